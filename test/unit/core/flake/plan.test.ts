import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { detectWorkspaces } from '../../../../src/core/cargo';
import { defaultOptions } from '../../../../src/core/flake/options';
import { PlanError, planInit } from '../../../../src/core/flake/plan';
import { applyPlan, besidePath } from '../../../../src/core/flake/write';
import { WASM_NIX, WORKSPACE_NIX } from '../../../../src/core/flake/workspaceNix';
import { CI_PLAN_SCRIPT, CI_PLAN_SCRIPT_PATH } from '../../../../src/core/flake/workflowPlanned';
import { REPO_ROOT } from '../../helpers/repo';

function copyExamples(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'nixify-plan-')));
  fs.cpSync(path.join(REPO_ROOT, 'examples'), dir, { recursive: true });
  return dir;
}

function planFor(dir: string, overrides = {}) {
  const ws = detectWorkspaces(dir, {}).workspaces[0];
  assert.ok(ws);
  return planInit(ws, { ...defaultOptions(ws), ...overrides }, '0.0.0-test');
}

describe('planInit and applyPlan', () => {
  let dir: string;
  beforeEach(() => {
    dir = copyExamples();
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('plans the flake, the discovery file, wasm-bindgen, CI, .envrc and .gitignore for the examples', () => {
    const plan = planFor(dir);
    assert.deepEqual(
      plan.files.map((f) => [f.path, f.status]),
      [
        ['flake.nix', 'create'],
        ['nix/workspace.nix', 'create'],
        ['nix/wasm.nix', 'create'],
        ['nix/wasm-bindgen-cli.nix', 'create'],
        ['nix/wasm-pkg.nix', 'create'],
        ['.github/workflows/nix.yml', 'create'],
        ['.github/nix-ci-plan.sh', 'create'],
        ['.envrc', 'create'],
        ['.gitignore', 'create'],
      ],
    );
    const flake = plan.files[0]?.content ?? '';
    assert.match(flake, /crane\.mkLib pkgs/);
    // The workspace layout: crates built with the selection of the one artifacts derivation.
    assert.match(flake, /^# nixify: toolchain=rust-overlay deps=workspace /m);
    assert.match(flake, /cargoArtifacts = if wasmCrates \? \$\{name\} then wasmDeps else workspaceDeps;/);
    assert.match(flake, /"--locked --workspace" \+ lib\.concatMapStrings \(name: " --exclude \$\{name\}"\)/);
    assert.doesNotMatch(flake, /crateDeps|"--locked -p \$\{crate\.name\}"/);
    assert.match(flake, /buildInputs = \[ pkgs\.openssl \]/);
    assert.match(flake, /nativeBuildInputs = \[ pkgs\.pkg-config \]/);
    assert.match(flake, /fromRustupToolchainFile toolchain\.file/);
    assert.match(flake, /toolchain\.file = \.\/rust-toolchain\.toml;/);
    assert.equal(plan.files[1]?.content, WORKSPACE_NIX);
    assert.equal(plan.files[2]?.content, WASM_NIX);
    assert.match(flake, /wasm = import \.\/nix\/wasm\.nix \{/);
    assert.ok(plan.followUps.some((n) => n.includes('wasm-bindgen-cli 0.2.100')));
  });

  it('builds each crate alone on its own dependency artifacts in the per-crate layout', () => {
    const flake = planFor(dir, { deps: 'per-crate' }).files[0]?.content ?? '';
    assert.match(flake, /^# nixify: toolchain=rust-overlay deps=per-crate /m);
    assert.match(flake, /"--locked -p \$\{crate\.name\}"/);
    assert.match(flake, /crateDeps = lib\.mapAttrs \(_: crate: depsOnly \(crateArgs crate\)\) crates;/);
    assert.match(flake, /cargoArtifacts = crateDeps\.\$\{name\};/);
    assert.doesNotMatch(flake, /wasmDeps|buildPhaseCargoCommand/);
  });

  it('writes the CI plan script for the planned workflow only', () => {
    const planned = planFor(dir, {});
    const script = planned.files.find((f) => f.path === CI_PLAN_SCRIPT_PATH);
    assert.equal(script?.content, CI_PLAN_SCRIPT);
    assert.match(
      planned.files.find((f) => f.path === '.github/workflows/nix.yml')?.content ?? '',
      /nix-ci-result:/,
    );
    const single = planFor(dir, { ciMode: 'single' });
    assert.ok(!single.files.some((f) => f.path === CI_PLAN_SCRIPT_PATH));
    assert.match(
      single.files.find((f) => f.path === '.github/workflows/nix.yml')?.content ?? '',
      /nix flake check/,
    );
  });

  it('leaves optional files out when their options are off', () => {
    const plan = planFor(dir, { ci: false, envrc: false, gitignore: false, wasm: false });
    assert.deepEqual(
      plan.files.map((f) => f.path),
      ['flake.nix', 'nix/workspace.nix'],
    );
  });

  for (const deps of ['workspace', 'per-crate'] as const) {
    it(`writes nothing about wasm into a ${deps} flake with wasm off, though the workspace has a wasm crate`, () => {
      const flake = planFor(dir, { wasm: false, deps }).files[0]?.content ?? '';
      const body = flake.replace(/^# nixify: .*\n/m, '');
      assert.doesNotMatch(body, /wasm|targets =|nativeCrates/i);
      assert.match(body, /binaryCrates = lib\.filterAttrs \(_: crate: crate\.hasBin\) crates;/);
      assert.match(
        body,
        deps === 'workspace'
          ? /cargoExtraArgs = "--locked --workspace";/
          : /"--locked -p \$\{crate\.name\}";/,
      );
    });
  }

  it('leaves out what the nixpkgs toolchain does not need: a second crane lib, empty input lists', () => {
    const bare = path.join(REPO_ROOT, 'test', 'fixtures', 'no-version-no-edition');
    const ws = detectWorkspaces(bare, {}).workspaces[0];
    assert.ok(ws);
    const flake =
      planInit(ws, { ...defaultOptions(ws), toolchain: 'nixpkgs' }, '0.0.0-test').files[0]?.content ?? '';
    assert.doesNotMatch(flake, /devCraneLib|nativeBuildInputs = \[|toolchainFor/);
    assert.match(flake, /devShell = craneLib\.devShell \{/);
  });

  it('refuses options that cannot work with a PlanError', () => {
    assert.throws(() => planFor(dir, { toolchain: 'nixpkgs' }), PlanError);
  });

  it('writes new files and reports the rest unchanged on a second run', () => {
    applyPlan(dir, planFor(dir).files);
    assert.ok(fs.existsSync(path.join(dir, 'nix/workspace.nix')));
    const again = planFor(dir);
    assert.deepEqual(new Set(again.files.map((f) => f.status)), new Set(['unchanged']));
  });

  it('never overwrites an existing flake.nix unless told to, and keeps a backup when replacing', () => {
    fs.writeFileSync(path.join(dir, 'flake.nix'), '# my flake\n');
    const plan = planFor(dir);
    const flake = plan.files.find((f) => f.path === 'flake.nix');
    assert.equal(flake?.status, 'conflict');
    const skipped = applyPlan(dir, plan.files);
    assert.equal(skipped.find((w) => w.path === 'flake.nix')?.decision, 'skip');
    assert.equal(fs.readFileSync(path.join(dir, 'flake.nix'), 'utf8'), '# my flake\n');

    const replaced = applyPlan(dir, planFor(dir).files, (f) =>
      f.status === 'conflict' ? 'replace' : 'skip',
    );
    const entry = replaced.find((w) => w.path === 'flake.nix');
    assert.equal(entry?.backup, path.join(dir, 'flake.nix.nixify-backup'));
    assert.equal(fs.readFileSync(path.join(dir, 'flake.nix.nixify-backup'), 'utf8'), '# my flake\n');
    assert.match(fs.readFileSync(path.join(dir, 'flake.nix'), 'utf8'), /^# Generated by Nixify/);
  });

  it('writes beside the existing file without touching it', () => {
    fs.writeFileSync(path.join(dir, 'flake.nix'), '# my flake\n');
    const written = applyPlan(dir, planFor(dir).files, (f) => (f.status === 'conflict' ? 'beside' : 'skip'));
    assert.equal(written.find((w) => w.path === 'flake.nix')?.writtenTo, path.join(dir, 'flake.nixify.nix'));
    assert.equal(fs.readFileSync(path.join(dir, 'flake.nix'), 'utf8'), '# my flake\n');
    assert.equal(besidePath(path.join(dir, 'flake.nix')), path.join(dir, 'flake.nixify.nix.1'));
    assert.equal(besidePath(path.join(dir, '.envrc')), path.join(dir, '.envrc.nixify'));
  });

  it('refuses to write over a file that changed after the preview', () => {
    fs.writeFileSync(path.join(dir, 'flake.nix'), '# my flake\n');
    const plan = planFor(dir);
    fs.writeFileSync(path.join(dir, 'flake.nix'), '# edited meanwhile\n');
    assert.throws(
      () => applyPlan(dir, plan.files, (f) => (f.status === 'conflict' ? 'replace' : 'write')),
      /changed on disk since the preview/,
    );
    assert.equal(fs.readFileSync(path.join(dir, 'flake.nix'), 'utf8'), '# edited meanwhile\n');
    assert.equal(fs.existsSync(path.join(dir, 'nix')), false, 'no other file was written either');
  });

  it('appends to an existing .gitignore without losing a line', () => {
    fs.writeFileSync(path.join(dir, '.gitignore'), '/target\n');
    const plan = planFor(dir);
    const gitignore = plan.files.find((f) => f.path === '.gitignore');
    assert.equal(gitignore?.status, 'update');
    applyPlan(dir, plan.files);
    const text = fs.readFileSync(path.join(dir, '.gitignore'), 'utf8');
    assert.ok(text.startsWith('/target\n'));
    assert.match(text, /\.direnv/);
    assert.deepEqual(
      fs.readdirSync(dir).filter((n) => n.includes('.tmp')),
      [],
      'no temporary files left behind',
    );
  });
});
