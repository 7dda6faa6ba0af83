import { validCachixName } from './cachix';
import type { Workspace } from '../cargo/types';
import type { DepsLayout, InitOptions, ToolchainSource } from './types';

// Defaults come from the workspace model; the choices are recorded in one header line of the
// generated flake.nix so that running Nixify again starts from what the user picked last time.

const HEADER_PREFIX = '# nixify:';

/** What a demanding user would pick for this workspace, before they change anything. */
export function defaultOptions(ws: Workspace): InitOptions {
  const wasm = wasmCrates(ws).length > 0;
  return {
    toolchain: ws.toolchain !== null || wasm ? 'rust-overlay' : 'nixpkgs',
    deps: ws.workspace_members.length > 1 ? 'per-crate' : 'shared',
    wasm,
    ci: true,
    cachix: null,
    cachixPublicKey: null,
    oci: false,
    envrc: true,
    gitignore: true,
    nextest: false,
  };
}

export function wasmCrates(ws: Workspace): string[] {
  return members(ws)
    .filter((p) => p.nixify.wasm !== null)
    .map((p) => p.name);
}

export function members(ws: Workspace): Workspace['packages'] {
  const ids = new Set(ws.workspace_members);
  return ws.packages.filter((p) => ids.has(p.id));
}

/** Why these options cannot produce a working flake for this workspace, or null. */
export function optionsProblem(ws: Workspace, options: InitOptions): string | null {
  if (options.wasm && options.toolchain === 'nixpkgs' && wasmCrates(ws).length > 0) {
    return "nixpkgs' rustc has no wasm32 standard library for crane builds: choose rust-overlay or fenix for the wasm crates, or turn wasm off";
  }
  if (options.cachix !== null && !validCachixName(options.cachix)) {
    return `not a Cachix cache name: "${options.cachix}" (lowercase letters, digits and dashes)`;
  }
  return null;
}

const TOOLCHAINS: readonly ToolchainSource[] = ['rust-overlay', 'fenix', 'nixpkgs'];
const LAYOUTS: readonly DepsLayout[] = ['per-crate', 'shared'];

/** The header line that records the options, e.g. `# nixify: toolchain=fenix deps=shared …`. */
export function optionsHeader(options: InitOptions): string {
  const yesNo = (b: boolean) => (b ? 'yes' : 'no');
  return [
    HEADER_PREFIX,
    `toolchain=${options.toolchain}`,
    `deps=${options.deps}`,
    `wasm=${yesNo(options.wasm)}`,
    `nextest=${yesNo(options.nextest)}`,
    `ci=${yesNo(options.ci)}`,
    `cachix=${options.cachix ?? 'none'}`,
    `oci=${yesNo(options.oci)}`,
    `envrc=${yesNo(options.envrc)}`,
    `gitignore=${yesNo(options.gitignore)}`,
  ].join(' ');
}

/**
 * The options recorded in an existing flake.nix, as far as they can be read; unknown or malformed
 * entries are ignored so that a hand-edited header never blocks re-running Nixify. The Cachix key
 * is read back from the nixConfig block.
 */
export function parseOptionsHeader(text: string): Partial<InitOptions> {
  const line = text.split('\n').find((l) => l.startsWith(HEADER_PREFIX));
  if (line === undefined) return {};
  const result: Partial<InitOptions> = {};
  for (const entry of line.slice(HEADER_PREFIX.length).trim().split(/\s+/)) {
    const [key, value] = entry.split('=', 2);
    if (value === undefined) continue;
    const bool = value === 'yes' ? true : value === 'no' ? false : undefined;
    switch (key) {
      case 'toolchain':
        if ((TOOLCHAINS as readonly string[]).includes(value)) result.toolchain = value as ToolchainSource;
        break;
      case 'deps':
        if ((LAYOUTS as readonly string[]).includes(value)) result.deps = value as DepsLayout;
        break;
      case 'cachix':
        result.cachix = value === 'none' ? null : value;
        break;
      case 'wasm':
      case 'nextest':
      case 'ci':
      case 'oci':
      case 'envrc':
      case 'gitignore':
        if (bool !== undefined) result[key] = bool;
        break;
    }
  }
  const key = /extra-trusted-public-keys = \[\s*"([^"]+\.cachix\.org-1:[A-Za-z0-9+/=]{44})"/.exec(text)?.[1];
  if (key !== undefined) result.cachixPublicKey = key;
  return result;
}

/** One line for quick picks and the CLI: "rust-overlay toolchain · per-crate deps · wasm · CI". */
export function optionsSummary(options: InitOptions): string {
  const on = (flag: boolean, name: string) => (flag ? [name] : []);
  return [
    `${options.toolchain} toolchain`,
    `${options.deps} deps`,
    ...on(options.wasm, 'wasm'),
    ...on(options.nextest, 'nextest'),
    ...on(options.ci, 'CI'),
    ...(options.cachix === null ? [] : [`Cachix ${options.cachix}`]),
    ...on(options.oci, 'OCI images'),
    ...on(options.envrc, '.envrc'),
    ...on(options.gitignore, '.gitignore'),
  ].join(' · ');
}
