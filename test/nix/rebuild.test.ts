// Editing one crate's Rust source changes exactly the derivations of that crate and of the crates
// that depend on it (dev-dependencies included), as the model computes them by cargo's rules; no
// crate's dependency artifacts change. Checked by evaluating every crate's derivation before and
// after each edit, on examples/, on a fixture with a root package, and on a generated workspace of
// 120 crates with long names and an irregular dependency graph, in the default (workspace) layout,
// where every native crate shares one dependency-artifacts derivation, and on examples/ in the
// per-crate layout too.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Workspace } from '../../src/core/cargo';
import type { InitOptions } from '../../src/core/flake';
import { assertStoreNamesFit } from './helpers/checks';
import { evalFlake, gitAdd, gitInit } from './helpers/flake';
import { forEachNix, type Nix } from './helpers/nix';
import { EXAMPLES, FIXTURES, removeTempDirs, tempDir } from './helpers/paths';
import { findCargo, generateLockfile, writeLargeWorkspace } from './helpers/synthetic';
import {
  buildClosures,
  copyToTemp,
  members,
  options,
  rebuiltBy,
  workspaceAt,
  writePlan,
} from './helpers/workspace';

interface Built {
  drv: string;
  /** The drv of its cargoArtifacts, if any. */
  deps: string | null;
  src: string | null;
}

const SNAPSHOT = `cs: builtins.mapAttrs (_: c: {
  drv = c.drvPath;
  deps = if c.drvAttrs.cargoArtifacts or null == null then null else c.drvAttrs.cargoArtifacts.drvPath;
  src = c.drvAttrs.src or null;
}) cs`;

class Flake {
  private edits = 0;
  readonly crates: string[];
  readonly closures: Map<string, string[]>;
  state: Record<string, Built>;

  constructor(
    private readonly nix: Nix,
    readonly dir: string,
    readonly ws: Workspace,
    overrides: Partial<InitOptions> = {},
  ) {
    writePlan(ws, options(ws, overrides));
    gitInit(dir);
    this.crates = members(ws).map((p) => p.name);
    this.closures = buildClosures(ws);
    this.state = this.snapshot();
    // packages.<crate> is the same derivation as checks.<crate>, so both change together.
    const packages = evalFlake<Record<string, string>>(
      nix,
      dir,
      'packages.x86_64-linux',
      'ps: builtins.mapAttrs (_: p: p.drvPath) ps',
    );
    for (const crate of this.crates) {
      if (packages[crate] !== undefined)
        assert.equal(packages[crate], this.state[crate]?.drv, `packages.${crate}`);
    }
  }

  snapshot(): Record<string, Built> {
    return evalFlake<Record<string, Built>>(this.nix, this.dir, 'checks.x86_64-linux', SNAPSHOT);
  }

  /** The file cargo compiles first for the crate: its lib.rs or main.rs. */
  sourceOf(crate: string): string {
    const p = members(this.ws).find((m) => m.name === crate);
    const file = p?.targets.find((t) =>
      t.kind.some((k) => ['lib', 'rlib', 'cdylib', 'bin'].includes(k)),
    )?.src_path;
    assert.ok(file, `${crate} has a lib or bin target`);
    return file;
  }

  /** Appends a comment to `file` and returns which checks changed, and which crates' artifacts. */
  edit(file: string): { changed: string[]; depsChanged: string[] } {
    const comment = file.endsWith('.rs') ? '//' : '#';
    fs.appendFileSync(file, `\n${comment} edit ${++this.edits} by the nix tests\n`);
    gitAdd(this.dir);
    const before = this.state;
    this.state = this.snapshot();
    const names = Object.keys(this.state).sort();
    return {
      changed: names.filter((n) => before[n]?.drv !== this.state[n]?.drv),
      depsChanged: this.crates.filter((n) => before[n]?.deps !== this.state[n]?.deps),
    };
  }

  /** Editing the crate's source rebuilds it and its dependents, and the workspace-wide checks. */
  expectRebuildSet(crate: string): void {
    const { changed, depsChanged } = this.edit(this.sourceOf(crate));
    const expected = rebuiltBy(this.closures, crate).sort();
    assert.ok(expected.includes(crate));
    const changedCrates = changed.filter((n) => this.crates.includes(n));
    assert.deepEqual(changedCrates, expected, `editing ${crate} rebuilt the wrong crates`);
    assert.deepEqual(depsChanged, [], `editing ${crate}'s source changed dependency artifacts`);
    const workspaceWide = changed.filter((n) => !this.crates.includes(n));
    assert.deepEqual(workspaceWide, ['workspace-clippy', 'workspace-doc', 'workspace-fmt', 'workspace-test']);
  }
}

forEachNix(
  'an edit rebuilds exactly the edited crate and its dependents',
  (nix) => {
    after(removeTempDirs);

    describe('examples/', function () {
      let flake: Flake;
      before(function () {
        const dir = copyToTemp(EXAMPLES, 'rebuild');
        flake = new Flake(nix, dir, workspaceAt(dir));
      });

      for (const crate of ['shared', 'hello-cli', 'tls-client', 'web']) {
        it(`editing ${crate}`, function () {
          flake.expectRebuildSet(crate);
        });
      }

      it('editing a file outside every crate (README.md) changes nothing', function () {
        assert.deepEqual(flake.edit(path.join(flake.dir, 'README.md')), { changed: [], depsChanged: [] });
      });

      it('editing flake.nix (a comment) changes nothing', function () {
        assert.deepEqual(flake.edit(path.join(flake.dir, 'flake.nix')), { changed: [], depsChanged: [] });
      });

      it('the native crates share one dependency-artifacts derivation, the wasm crate another', function () {
        const deps = (crate: string) => flake.state[crate]?.deps;
        assert.ok(deps('shared'));
        assert.equal(deps('hello-cli'), deps('shared'));
        assert.equal(deps('tls-client'), deps('shared'));
        assert.ok(deps('web') && deps('web') !== deps('shared'));
      });

      it("editing a crate's Cargo.toml rebuilds everything, dependency artifacts included", function () {
        const { changed, depsChanged } = flake.edit(path.join(flake.dir, 'crates', 'shared', 'Cargo.toml'));
        assert.deepEqual(depsChanged, [...flake.crates].sort());
        assert.deepEqual(changed, Object.keys(flake.state).sort());
      });
    });

    describe('examples/ in the per-crate layout', function () {
      let flake: Flake;
      before(function () {
        const dir = copyToTemp(EXAMPLES, 'rebuild');
        flake = new Flake(nix, dir, workspaceAt(dir), { deps: 'per-crate' });
      });

      it('every crate has its own dependency-artifacts derivation', function () {
        const deps = flake.crates.map((c) => flake.state[c]?.deps);
        assert.equal(new Set(deps).size, flake.crates.length, deps.join(' '));
      });

      for (const crate of ['shared', 'hello-cli', 'tls-client', 'web']) {
        it(`editing ${crate}`, function () {
          flake.expectRebuildSet(crate);
        });
      }
    });

    describe('fixture root-package (the root is a crate too)', function () {
      let flake: Flake;
      before(function () {
        const dir = copyToTemp(path.join(FIXTURES, 'root-package'), 'rebuild');
        fs.writeFileSync(
          path.join(dir, 'Cargo.lock'),
          '# placeholder written by the nix tests\nversion = 3\n',
        );
        flake = new Flake(nix, dir, workspaceAt(dir));
      });

      for (const crate of ['app', 'app-core', 'app-util']) {
        it(`editing ${crate}`, function () {
          flake.expectRebuildSet(crate);
        });
      }
    });

    describe('a generated workspace of 120 crates', function () {
      let flake: Flake;
      let samples: Record<string, string>;
      before(function () {
        const dir = path.join(tempDir('rebuild'), 'a-workspace-with-many-crates');
        samples = writeLargeWorkspace(dir, 120).samples;
        const cargo = findCargo();
        if (cargo !== null) {
          generateLockfile(cargo, dir);
        } else {
          console.log(
            '    [nix tier] no cargo on this machine: a placeholder Cargo.lock, the workspace unchecked by cargo',
          );
          fs.writeFileSync(path.join(dir, 'Cargo.lock'), 'version = 3\n');
        }
        flake = new Flake(nix, dir, workspaceAt(dir));
        assert.equal(flake.crates.length, 120);
      });

      it('no store path name is longer than 211 characters', function () {
        const longest = assertStoreNamesFit(flake.state);
        assert.ok(longest > 50, 'the long crate names reach the derivation names');
      });

      it('editing the crate the most crates are built from', function () {
        const counts = flake.crates.map((c) => [c, rebuiltBy(flake.closures, c).length] as const);
        const [crate, count] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
        assert.ok(count > 20, `${crate} is used by ${count} crates`);
        flake.expectRebuildSet(crate);
      });

      for (const label of [
        'a crate nothing depends on',
        'a build dependency',
        'a dev dependency',
        "a [target.'cfg(windows)'] dependency",
        'a crate in no members list',
      ]) {
        it(`editing ${label}`, function () {
          const crate = samples[label];
          assert.ok(crate, label);
          if (label === 'a crate nothing depends on')
            assert.deepEqual(rebuiltBy(flake.closures, crate), [crate]);
          flake.expectRebuildSet(crate);
        });
      }
    });
  },
  { onlySystemNix: true },
);
