import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Workspace } from '../cargo/types';
import { members, wasm32Crates } from './options';
import { relativeDir, ROOT_PROJECT_KEY } from './projects';

/**
 * What the renderers need to know about a workspace, taken from the model once so that rendering
 * is a pure function of (facts, options). Everything the flake can find by itself at evaluation
 * time (crates, versions, path dependencies) is deliberately not here.
 */
export interface FlakeFacts {
  /** The project's attribute name in the flake (src/core/flake/projects.ts). */
  key: string;
  /** The project's directory relative to the flake root, "" for the root. */
  dir: string;
  /** Used for the workspace-wide derivations' pname and the flake description. */
  name: string;
  version: string;
  /**
   * The `rust-toolchain.toml` or `rust-toolchain` rustup uses for the project, relative to the flake
   * root (it may be above the project), or null when there is none inside the flake's root.
   */
  toolchainFile: string | null;
  hasLockfile: boolean;
  /** nixpkgs attribute paths, sorted and unique. */
  buildInputs: string[];
  nativeBuildInputs: string[];
  /** Crate names the model builds for wasm32 (for the plan's summary; the flake rediscovers them). */
  wasmCrates: string[];
  /** wasm-bindgen version locked in Cargo.lock, when a wasm crate uses it. */
  wasmBindgenVersion: string | null;
  usesTrunk: boolean;
  usesLeptos: boolean;
  /** A package.json at the root or in a crate: the dev shell gets nodejs. */
  usesNode: boolean;
  /** Binary crates, for the CI workflow's build step. */
  binaryCrates: string[];
}

/** The facts of `ws` as the project `key` of a flake at `flakeRoot`. */
export function flakeFacts(
  ws: Workspace,
  flakeRoot: string = ws.root,
  key: string = ROOT_PROJECT_KEY,
): FlakeFacts {
  const crates = members(ws);
  const rootPackage = crates.find((p) => path.dirname(p.manifest_path) === ws.root);
  const wasm = crates.filter((p) => p.nixify.wasm !== null);
  const uniq = (items: string[]) => [...new Set(items)].sort();
  const toolchain = ws.toolchain
    ? path.relative(flakeRoot, ws.toolchain.path).split(path.sep).join('/')
    : null;
  const dirs = [ws.root, ...crates.map((p) => path.dirname(p.manifest_path))];
  return {
    key,
    dir: relativeDir(flakeRoot, ws.root),
    name: sanitizeName(rootPackage?.name ?? path.basename(ws.root)),
    version: rootPackage?.version ?? '0.1.0',
    toolchainFile:
      toolchain !== null && !toolchain.startsWith('..') && !path.isAbsolute(toolchain) ? toolchain : null,
    hasLockfile: ws.lockfile !== null,
    buildInputs: uniq(ws.system_libraries.flatMap((l) => l.buildInputs)),
    nativeBuildInputs: uniq(ws.system_libraries.flatMap((l) => l.nativeBuildInputs)),
    // Leptos fronts count: they are compiled for wasm32 too (by nix/leptos.nix).
    wasmCrates: wasm32Crates(ws),
    wasmBindgenVersion: ws.lockfile?.packages.find((p) => p.name === 'wasm-bindgen')?.version ?? null,
    usesTrunk: wasm.some((p) => p.nixify.wasm?.reasons.includes('Trunk.toml')),
    usesLeptos: crates.some((p) => p.nixify.leptos !== null),
    usesNode: dirs.some((d) => fs.existsSync(path.join(d, 'package.json'))),
    binaryCrates: crates.filter((p) => p.nixify.has_binary && p.nixify.wasm === null).map((p) => p.name),
  };
}

/** A derivation name: store paths allow letters, digits and `+-._?=`. */
function sanitizeName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9+._?=-]/g, '-').replace(/^[.-]+/, '');
  return cleaned === '' ? 'workspace' : cleaned;
}
