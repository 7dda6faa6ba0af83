// A real build: the stand-in crane's buildPackage runs the machine's cargo on a crate's own source,
// after the crate's postUnpack stubs. Cargo loads the whole workspace, so this proves the per-crate
// source (the crate and what it is built from, every other crate's Cargo.toml only) plus the stubs
// for the crates left out are enough: the build and the crate's tests (which need a
// dev-dependency) pass with the other crates' sources absent.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { InitOptions } from '../../src/core/flake';
import { buildFlake, gitInit } from './helpers/flake';
import { forEachNix, type Nix } from './helpers/nix';
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

    it("app builds and its tests pass (nixpkgs' toolchain), and the binary runs", function () {
      const dir = flakeWith({ toolchain: 'nixpkgs' });
      const out = buildFlake(nix, dir, 'checks.x86_64-linux.app');
      assert.equal(run(path.join(out, 'bin', 'app')), 'hello from core-lib, built with 42');
      const log = fs.readFileSync(path.join(out, 'nix-support', 'cargo-test.log'), 'utf8');
      assert.match(log, /test greets \.\.\. ok/);
    });

    it("unrelated-tool builds with rust-overlay's toolchain (an explicit [[bin]] path)", function () {
      const dir = flakeWith({ toolchain: 'rust-overlay' });
      const out = buildFlake(nix, dir, 'packages.x86_64-linux.unrelated-tool');
      assert.equal(run(path.join(out, 'bin', 'tool')), 'tool');
    });
  },
  { onlySystemNix: true },
);
