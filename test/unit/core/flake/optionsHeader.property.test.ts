// The options header against rendered options and random edits (fast-check, fixed seed;
// `npm run property` runs the same properties on RUNS cases).
import { describeOutcomes } from '../../../shared/namedProperty';
import { optionsHeaderProperties } from '../../../shared/optionsHeaderProperties';

const SEED = 16;
const RUNS = 300;

describe('core/flake/options header (property-based)', () => {
  for (const property of optionsHeaderProperties()) {
    it(`${property.name}: ${RUNS} cases (seed ${SEED})`, () => {
      property.run(RUNS, SEED);
      console.log(`      ${describeOutcomes(property.outcomes)}`);
    });
  }
});
