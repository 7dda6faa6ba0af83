// nix/workspace.nix (with nix/wasm.nix for the wasm verdicts and nix/leptos.nix for the Leptos
// sites), evaluated by the real Nix on every fixture workspace, finds what the TS model finds (the
// model is held to cargo by the conformance tier): the same crates with the same names, versions,
// directories, binaries, cdylibs, wasm verdicts and Leptos sites, and each crate's dependency
// closure computed from the model by cargo's rules.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CargoPackage, Workspace } from '../../src/core/cargo';
import { LEPTOS_NIX, LEPTOS_NIX_PATH } from '../../src/core/flake/artefactsNix';
import { WASM_NIX, WASM_NIX_PATH, WORKSPACE_NIX_PATH } from '../../src/core/flake/workspaceNix';
import { planRepository } from '../../src/core/flake';
import { relativeDir } from '../../src/core/flake/projects';
import { forEachNix, runNix, type Nix } from './helpers/nix';
import { EXAMPLES, FIXTURES, removeTempDirs, STAND_INS, tempDir } from './helpers/paths';
import { writeBuildableWorkspace, writeLargeWorkspace, writePatchedWorkspace } from './helpers/synthetic';
import {
  buildClosures,
  copyToTemp,
  fixtureNames,
  healthyWorkspaces,
  members,
  NIXIFY_VERSION,
  options,
} from './helpers/workspace';

interface DiscoveredCrate {
  name: string;
  version: string;
  dir: string;
  hasBin: boolean;
  hasLib: boolean;
  hasCdylib: boolean;
  wasm: boolean;
  /** The output names of the Leptos sites the crate is the server or the front of, sorted. */
  leptos: string[];
  mainProgram: string | null;
  dependencies: string[];
}

const LIB_KINDS = ['lib', 'rlib', 'dylib', 'cdylib', 'staticlib', 'proc-macro'];

/**
 * Evaluates the generated nix/workspace.nix of `ws` as a flake at `root` (the fixture's directory,
 * which holds every path dependency) would (`root = ./.; dir = …`), and nix/wasm.nix on its crates:
 * the plan writes that one only for a workspace with wasm crates, but every workspace must get the
 * model's verdict from it.
 */
function discover(nix: Nix, root: string, ws: Workspace): Record<string, DiscoveredCrate> {
  const file = planRepository({ root, workspaces: [ws] }, options(ws), NIXIFY_VERSION).files.find(
    (f) => f.path === WORKSPACE_NIX_PATH,
  );
  assert.ok(file, 'the plan has nix/workspace.nix');
  fs.mkdirSync(path.join(root, 'nix'), { recursive: true });
  fs.writeFileSync(path.join(root, WORKSPACE_NIX_PATH), file.content);
  fs.writeFileSync(path.join(root, WASM_NIX_PATH), WASM_NIX);
  fs.writeFileSync(path.join(root, LEPTOS_NIX_PATH), LEPTOS_NIX);
  const dir = JSON.stringify(relativeDir(root, ws.root));
  // nix/leptos.nix's builds need nixpkgs and crane (the stand-ins); finding the sites does not.
  const expr = `let
      w = import ${root}/${WORKSPACE_NIX_PATH} { root = ${root}; dir = ${dir}; };
      wasm = import ${root}/${WASM_NIX_PATH} { root = ${root}; dir = ${dir}; inherit (w) crates; };
      pkgs = import ${STAND_INS}/nixpkgs { };
      leptos = import ${root}/${LEPTOS_NIX_PATH} {
        inherit pkgs;
        craneLib = import ${STAND_INS}/crane/lib.nix { inherit pkgs; };
        inherit (pkgs) wasm-bindgen-cli;
        commonArgs = { };
        root = ${root};
        dir = ${dir};
        inherit (w) crates;
      };
      sites = builtins.attrValues (builtins.mapAttrs (name: s: {
        inherit name;
        crates = [ s.config.bin.name s.config.lib.name ];
      }) leptos.sites);
    in
    builtins.mapAttrs (name: c: {
      inherit (c) name version dir hasBin hasLib hasCdylib mainProgram;
      wasm = wasm.crates ? \${name};
      leptos = builtins.sort builtins.lessThan
        (map (s: s.name) (builtins.filter (s: builtins.elem name s.crates) sites));
      dependencies = builtins.sort builtins.lessThan c.dependencies;
    }) w.crates`;
  return JSON.parse(
    runNix(nix, 'nix-instantiate', ['--eval', '--strict', '--json', '--expr', expr]),
  ) as Record<string, DiscoveredCrate>;
}

function binNames(p: CargoPackage): string[] {
  return p.targets.filter((t) => t.kind.includes('bin')).map((t) => t.name);
}

/** The differences between what Nix found and what the model says, one line each. */
function compare(
  root: string,
  ws: Workspace,
  found: Record<string, DiscoveredCrate>,
  others: readonly Workspace[],
): string[] {
  const diffs: string[] = [];
  const closures = buildClosures(ws, others);
  const expected = members(ws);
  for (const p of expected) {
    const crate = found[p.name];
    if (crate === undefined) {
      diffs.push(`${p.name}: not found by nix/workspace.nix`);
      continue;
    }
    const want: Omit<DiscoveredCrate, 'mainProgram'> = {
      name: p.name,
      version: p.version,
      dir: relativeDir(root, path.dirname(p.manifest_path)),
      hasBin: p.nixify.has_binary,
      hasLib: p.targets.some((t) => t.kind.some((k) => LIB_KINDS.includes(k))),
      // The lib's crate types. The model's has_cdylib also counts a cdylib [[example]]; the flake's
      // hasCdylib (a package to build) means the lib.
      hasCdylib: p.targets.some(
        (t) => t.crate_types.includes('cdylib') && t.kind.some((k) => LIB_KINDS.includes(k)),
      ),
      wasm: p.nixify.wasm !== null,
      leptos: (p.nixify.leptos?.sites.map((site) => site.output_name) ?? []).sort(),
      dependencies: closures.get(p.name) ?? [],
    };
    for (const key of Object.keys(want) as (keyof typeof want)[]) {
      if (JSON.stringify(want[key]) !== JSON.stringify(crate[key])) {
        diffs.push(`${p.name}.${key}: model ${JSON.stringify(want[key])}, nix ${JSON.stringify(crate[key])}`);
      }
    }
    // cargo's order of binaries is not Nix's; the program must be one of them (default-run wins).
    const bins = binNames(p);
    const program = crate.mainProgram;
    if (
      p.default_run !== null
        ? program !== p.default_run
        : bins.length === 0
          ? program !== null
          : !bins.includes(program ?? '')
    ) {
      diffs.push(`${p.name}.mainProgram: nix ${JSON.stringify(program)}, binaries ${JSON.stringify(bins)}`);
    }
  }
  const names = new Set(expected.map((p) => p.name));
  for (const name of Object.keys(found)) {
    if (!names.has(name)) diffs.push(`${name}: found by nix/workspace.nix, not a member in the model`);
  }
  return diffs;
}

function checkAll(nix: Nix, dir: string): number {
  const workspaces = healthyWorkspaces(dir);
  const diffs = workspaces.flatMap((ws) =>
    compare(dir, ws, discover(nix, dir, ws), workspaces).map(
      (d) => `${path.relative(dir, ws.root) || '.'}: ${d}`,
    ),
  );
  assert.deepEqual(diffs, [], `nix/workspace.nix disagrees with the model:\n  ${diffs.join('\n  ')}`);
  return workspaces.length;
}

forEachNix('nix/workspace.nix finds what the model finds', (nix) => {
  after(removeTempDirs);

  for (const name of fixtureNames()) {
    it(name, function () {
      const root = copyToTemp(path.join(FIXTURES, name), 'discovery');
      const count = checkAll(nix, root);
      if (count === 0) assert.ok(name.startsWith('bad-'), `${name}: the model found no healthy workspace`);
    });
  }

  it('examples', function () {
    assert.equal(checkAll(nix, copyToTemp(EXAMPLES, 'discovery')), 1);
  });

  it('a generated workspace of 120 crates (globs, explicit and implicit members, every dependency kind)', function () {
    const root = path.join(tempDir('discovery'), 'large');
    writeLargeWorkspace(root, 120);
    const [ws] = healthyWorkspaces(root);
    assert.ok(ws, 'the model reads the generated workspace');
    assert.equal(members(ws).length, 120);
    assert.equal(checkAll(nix, root), 1);
  });

  it("a [patch] path: the patched crate is in its users' closure, and no member", function () {
    const root = path.join(tempDir('discovery'), 'patched');
    writePatchedWorkspace(root);
    const [ws] = healthyWorkspaces(root);
    assert.ok(ws);
    assert.deepEqual(buildClosures(ws).get('app'), ['app', 'patched-thing']);
    assert.equal(checkAll(nix, root), 1);
  });

  it('the buildable workspace of the build test', function () {
    const root = path.join(tempDir('discovery'), 'buildable');
    writeBuildableWorkspace(root);
    assert.equal(checkAll(nix, root), 1);
  });
});
