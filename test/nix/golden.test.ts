// Golden files: what Nixify writes for representative workspaces and repositories, byte for byte. A change to
// a generated file shows up as a diff in test/golden/ in review. After an intended change, rewrite
// them with `UPDATE_GOLDEN=1 npm run test:nix` and review the diff.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { InitOptions } from '../../src/core/flake';
import { defaultOptions, planInit, planRepository } from '../../src/core/flake';
import { EXAMPLES, FIXTURES, GOLDEN, removeTempDirs } from './helpers/paths';
import { copyToTemp, healthyWorkspaces, NIXIFY_VERSION, options, workspaceAt } from './helpers/workspace';

const UPDATE = process.env['UPDATE_GOLDEN'] === '1';

const CASES: {
  name: string;
  source: string;
  overrides: Partial<InitOptions>;
  /** One flake for every project under the directory (issue 13), not its one workspace. */
  repository?: boolean;
}[] = [
  { name: 'examples-default-options', source: EXAMPLES, overrides: {} },
  { name: 'examples-per-crate', source: EXAMPLES, overrides: { deps: 'per-crate', ciMode: 'single' } },
  {
    name: 'single-crate-bin-nixpkgs',
    source: path.join(FIXTURES, 'no-version-no-edition'),
    overrides: { toolchain: 'nixpkgs' },
  },
  {
    name: 'workspace-fenix-oci-cachix',
    source: path.join(FIXTURES, 'virtual-manifest'),
    overrides: {
      toolchain: 'fenix',
      deps: 'workspace',
      oci: true,
      cachix: 'nixify-example',
      cachixPublicKey: `nixify-example.cachix.org-1:${Buffer.from(Array.from({ length: 32 }, (_, i) => i)).toString('base64')}`,
    },
  },
  {
    name: 'separate-packages',
    source: path.join(FIXTURES, 'separate-packages'),
    overrides: {},
    repository: true,
  },
  {
    name: 'repository-with-leptos-site',
    source: path.join(FIXTURES, 'repo-with-site'),
    overrides: { oci: true },
    repository: true,
  },
];

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }) as string[])
    .filter((f) => fs.statSync(path.join(dir, f)).isFile())
    .map((f) => f.split(path.sep).join('/'))
    .sort();
}

describe('generated files match test/golden', function () {
  after(removeTempDirs);

  for (const { name, source, overrides, repository } of CASES) {
    it(name, function () {
      const copy = copyToTemp(source, 'golden');
      const workspaces = healthyWorkspaces(copy);
      const plan = repository
        ? planRepository(
            { root: fs.realpathSync(copy), workspaces },
            { ...defaultOptions(workspaces), ...overrides },
            NIXIFY_VERSION,
          )
        : planInit(workspaceAt(copy), options(workspaceAt(copy), overrides), NIXIFY_VERSION);
      const dir = path.join(GOLDEN, name);
      if (UPDATE) {
        fs.rmSync(dir, { recursive: true, force: true });
        for (const file of plan.files) {
          fs.mkdirSync(path.dirname(path.join(dir, file.path)), { recursive: true });
          fs.writeFileSync(path.join(dir, file.path), file.content);
        }
        console.log(`    [nix tier] rewrote test/golden/${name}`);
      }
      assert.deepEqual(
        filesUnder(dir),
        plan.files.map((f) => f.path).sort(),
        `test/golden/${name} holds other files than Nixify writes (UPDATE_GOLDEN=1 rewrites it)`,
      );
      for (const file of plan.files) {
        const golden = fs.readFileSync(path.join(dir, file.path), 'utf8');
        assert.equal(
          file.content,
          golden,
          `${name}/${file.path} differs from the golden file (UPDATE_GOLDEN=1 rewrites it)`,
        );
      }
    });
  }
});
