// The large property-based run (`npm run property`): RUNS generated workspaces (default 1000)
// against `cargo metadata --no-deps --offline`, printing the count of cases, how many cargo
// accepted, and every disagreement; then RUNS cases of each property of the Nix JSON parsers and
// of the options header, with how they ended. Exit status 1 when there is any disagreement or
// failed property.
import fc from 'fast-check';
import { cargoEnv } from '../shared/cargoMetadata';
import { judge, workspaceSpec, type Verdict } from '../shared/generatedWorkspaces';
import { describeOutcomes } from '../shared/namedProperty';
import { nixJsonProperties } from '../shared/nixJsonProperties';
import { optionsHeaderProperties } from '../shared/optionsHeaderProperties';

const runs = Number(process.env.RUNS ?? 1000);
const seed = Number(process.env.SEED ?? 20261204);
const env = cargoEnv();
const verdicts: Verdict[] = [];
const started = Date.now();
fc.assert(
  fc.property(workspaceSpec, (spec) => {
    const verdict = judge(spec, env);
    verdicts.push(verdict);
    if (verdict.disagreement !== null)
      console.log(`--- disagreement:\n${JSON.stringify(spec)}\n${verdict.disagreement}`);
    return true;
  }),
  { numRuns: runs, seed },
);
const accepted = verdicts.filter((v) => v.cargo === 'accepted').length;
const disagreements = verdicts.filter((v) => v.disagreement !== null).length;
console.log(
  `${verdicts.length} generated workspaces (seed ${seed}): cargo accepted ${accepted}, refused ${verdicts.length - accepted}; ${disagreements} disagreements (${((Date.now() - started) / 1000).toFixed(1)} s)`,
);
let failed = 0;
for (const property of [...nixJsonProperties(), ...optionsHeaderProperties()]) {
  const begun = Date.now();
  try {
    property.run(runs, seed);
    const total = [...property.outcomes.values()].reduce((sum, n) => sum + n, 0);
    console.log(
      `${total} cases, ${property.name} (seed ${seed}): ${describeOutcomes(property.outcomes)} (${((Date.now() - begun) / 1000).toFixed(1)} s)`,
    );
  } catch (error) {
    failed++;
    console.log(`--- ${property.name} failed:\n${(error as Error).message}`);
  }
}
process.exitCode = disagreements === 0 && failed === 0 ? 0 : 1;
