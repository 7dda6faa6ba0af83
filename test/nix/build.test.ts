// Real builds: the stand-in crane runs the machine's cargo as crane would (dependency artifacts from a
// dummy source, then the crate on its own source after its postUnpack stubs). Cargo loads the whole
// workspace, so this proves the per-crate source (the crate and what it is built from, every other
// crate's Cargo.toml only) plus the stand-ins for the crates left out are enough.
//
// The workspace layout (the default) builds every crate with the workspace's own selection
// (`--workspace`): the stand-ins are compiled too, only the crate's own binaries are installed, and
// no crate runs tests: checks.workspace-test runs them all, and a failing test fails it (and only it).
// The per-crate layout builds a crate alone (`-p`) and runs its own tests, which need a
// dev-dependency, with the other crates' sources absent.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { InitOptions } from '../../src/core/flake';
import { buildFlake, flakeArgs, gitAdd, gitInit } from './helpers/flake';
import { forEachNix, NixError, runNix, type Nix } from './helpers/nix';
import { removeTempDirs, tempDir } from './helpers/paths';
import { findCargo, generateLockfile, writeBuildableWorkspace } from './helpers/synthetic';
import { options, workspaceAt, writePlan } from './helpers/workspace';

function filesUnder(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }) as string[])
    .filter((f) => fs.statSync(path.join(dir, f)).isFile())
    .sort();
}

function run(program: string): string {
  const result = spawnSync(program, { encoding: 'utf8' });
  assert.equal(result.status, 0, `${program} failed: ${result.stderr}`);
  return result.stdout.trim();
}

/** Cargo colours its output on the pseudo-terminal Nix gives builders. */
function withoutColours(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1B(?:\[[0-9;?]*[A-Za-z]|\([A-Z0-9])/g, '');
}

/** The build log Nix kept for an attribute's derivation (`nix log`), without colours. */
function buildLog(nix: Nix, dir: string, attrPath: string): string {
  return withoutColours(runNix(nix, 'nix', ['log', ...flakeArgs(dir), `git+file://${dir}#${attrPath}`]));
}

const FAILING_TEST = `
#[test]
fn fails_on_purpose() {
    assert_eq!(core_lib::greeting(), "goodbye", "a test that fails on purpose");
}
`;

forEachNix(
  'crates build with real cargo from their own source',
  (nix: Nix) => {
    after(removeTempDirs);

    let cargo: string | null = null;
    before(function () {
      cargo = findCargo();
      if (cargo === null) {
        console.log('    [nix tier] no cargo on this machine: the build tests are skipped');
        this.skip();
      }
    });

    function flakeWith(overrides: Partial<InitOptions>): string {
      const dir = path.join(tempDir('build'), 'buildable');
      writeBuildableWorkspace(dir, `built by the nix tests at ${new Date().toISOString()} (${process.pid})`);
      generateLockfile(cargo ?? 'cargo', dir);
      const ws = workspaceAt(dir);
      writePlan(ws, options(ws, overrides));
      gitInit(dir);
      return dir;
    }

    it("app's source holds app and what it is built from; the other crates only their Cargo.toml", function () {
      const dir = flakeWith({});
      // Put together from the skeleton and one store copy per package when built.
      const src = buildFlake(nix, dir, 'checks.x86_64-linux.app.src');
      assert.deepEqual(filesUnder(src), [
        'Cargo.lock',
        'Cargo.toml',
        'crates/app/Cargo.toml',
        'crates/app/build.rs',
        'crates/app/src/main.rs',
        'crates/app/tests/greeting.rs',
        'crates/build-helper/Cargo.toml',
        'crates/build-helper/src/lib.rs',
        'crates/core/Cargo.toml',
        'crates/core/src/lib.rs',
        'crates/sys/Cargo.toml',
        'crates/test-util/Cargo.toml',
        'crates/test-util/src/lib.rs',
        'crates/tool/Cargo.toml',
      ]);
    });

    it('default layout: app builds with the workspace selection, only its binary is installed, and it runs', function () {
      const dir = flakeWith({ toolchain: 'nixpkgs' });
      const out = buildFlake(nix, dir, 'checks.x86_64-linux.app');
      assert.equal(run(path.join(out, 'bin', 'app')), 'hello from core-lib, built with 42');
      // Cargo built the stand-ins (unrelated-tool's `tool` among them): they are not installed.
      assert.deepEqual(fs.readdirSync(path.join(out, 'bin')), ['app']);
      assert.equal(
        fs.existsSync(path.join(out, 'nix-support', 'cargo-test.log')),
        false,
        'the crate build ran no tests',
      );
    });

    it("default layout: checks.workspace-test runs every crate's tests with the workspace dependency artifacts", function () {
      const dir = flakeWith({ toolchain: 'nixpkgs' });
      buildFlake(nix, dir, 'checks.x86_64-linux.workspace-test');
      const log = buildLog(nix, dir, 'checks.x86_64-linux.workspace-test');
      // app's integration test needs its dev-dependency test-util; unrelated-tool's is a [[test]].
      assert.match(log, /test greets \.\.\. ok/);
      assert.match(log, /test it_works \.\.\. ok/);
      assert.doesNotMatch(log, /FAILED/);
    });

    it('default layout: a failing test fails checks.workspace-test, not the crate build', function () {
      const dir = flakeWith({ toolchain: 'nixpkgs' });
      fs.appendFileSync(path.join(dir, 'crates', 'app', 'tests', 'greeting.rs'), FAILING_TEST);
      gitAdd(dir);
      assert.throws(
        () => buildFlake(nix, dir, 'checks.x86_64-linux.workspace-test'),
        (error: unknown) =>
          error instanceof NixError &&
          /test fails_on_purpose \.\.\. FAILED/.test(withoutColours(error.stderr)) &&
          /a test that fails on purpose/.test(withoutColours(error.stderr)),
      );
      const out = buildFlake(nix, dir, 'checks.x86_64-linux.app');
      assert.equal(run(path.join(out, 'bin', 'app')), 'hello from core-lib, built with 42');
    });

    it("default layout: unrelated-tool builds with rust-overlay's toolchain (an explicit [[bin]] path)", function () {
      const dir = flakeWith({ toolchain: 'rust-overlay' });
      const out = buildFlake(nix, dir, 'packages.x86_64-linux.unrelated-tool');
      assert.equal(run(path.join(out, 'bin', 'tool')), 'tool');
      assert.deepEqual(fs.readdirSync(path.join(out, 'bin')), ['tool']);
    });

    it("per-crate layout: app builds alone and its own tests pass (nixpkgs' toolchain), and the binary runs", function () {
      const dir = flakeWith({ toolchain: 'nixpkgs', deps: 'per-crate' });
      const out = buildFlake(nix, dir, 'checks.x86_64-linux.app');
      assert.equal(run(path.join(out, 'bin', 'app')), 'hello from core-lib, built with 42');
      const log = fs.readFileSync(path.join(out, 'nix-support', 'cargo-test.log'), 'utf8');
      assert.match(log, /test greets \.\.\. ok/);
      // -p app: the other crates' tests are not run.
      assert.doesNotMatch(log, /it_works/);
    });
  },
  { onlySystemNix: true },
);
