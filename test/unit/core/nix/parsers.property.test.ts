// The Nix JSON parsers against generated answers of both dialects and random damage (fast-check,
// fixed seed; `npm run property` runs the same properties on RUNS cases).
import { describeOutcomes } from '../../../shared/namedProperty';
import { nixJsonProperties } from '../../../shared/nixJsonProperties';

const SEED = 16;
const RUNS = 150;

describe('core/nix JSON parsers (property-based)', () => {
  for (const property of nixJsonProperties()) {
    it(`${property.name}: ${RUNS} cases (seed ${SEED})`, () => {
      property.run(RUNS, SEED);
      console.log(`      ${describeOutcomes(property.outcomes)}`);
    });
  }
});
