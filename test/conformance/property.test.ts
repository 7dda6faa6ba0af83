// Property-based conformance (fast-check, fixed seed): generated Cargo workspaces — members, globs,
// excludes, inheritance, path dependencies of every kind, odd names, random damage — must agree
// with `cargo metadata --no-deps --offline` where cargo accepts them, and where it refuses them
// Nixify must report an error at cargo's file and line without throwing. `npm run property` runs
// the same check on 1,000 cases.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { cargoEnv } from '../shared/cargoMetadata';
import { judge, workspaceSpec, type Verdict } from '../shared/generatedWorkspaces';

const SEED = 16;
const RUNS = 150;

describe('generated workspaces against cargo metadata (property-based)', function () {
  this.timeout(120_000);

  it(`agrees with cargo on ${RUNS} workspaces (seed ${SEED})`, () => {
    const env = cargoEnv();
    const verdicts: Verdict[] = [];
    fc.assert(
      fc.property(workspaceSpec, (spec) => {
        const verdict = judge(spec, env);
        verdicts.push(verdict);
        assert.equal(verdict.disagreement, null, `${JSON.stringify(spec)}\n${verdict.disagreement ?? ''}`);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    const accepted = verdicts.filter((v) => v.cargo === 'accepted').length;
    console.log(
      `      ${verdicts.length} cases: cargo accepted ${accepted}, refused ${verdicts.length - accepted}`,
    );
    // A generator that drifts into only one side would test half of the property.
    assert.ok(accepted > RUNS / 5 && accepted < (RUNS * 4) / 5, `cargo accepted ${accepted} of ${RUNS}`);
  });
});
