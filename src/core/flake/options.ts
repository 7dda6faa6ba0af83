import { validCachixName } from './cachix';
import type { Workspace } from '../cargo/types';
import type { CiMode, DepsLayout, InitOptions, ToolchainSource } from './types';

// Defaults come from the workspace model; the choices are recorded in one header line of the
// generated flake.nix so that running Nixify again starts from what the user picked last time.

const HEADER_PREFIX = '# nixify:';

/**
 * GitHub's free plan runs 20 jobs at once per account, 5 of them on macOS: 8 build jobs leave room
 * for a second push's run, and past that a job's checkout, Nix install and cache restore (a minute
 * or two) outweigh what splitting a workspace's crates further saves.
 */
export const DEFAULT_CI_MAX_JOBS = 8;
/** GitHub refuses a matrix of more than 256 jobs. */
export const MAX_CI_MAX_JOBS = 256;
export const CI_MODES: readonly CiMode[] = ['planned', 'single'];

/** A --ci-max-jobs or header value, or null when it is not a whole number from 1 to 256. */
export function parseCiMaxJobs(text: string): number | null {
  const jobs = /^\d+$/.test(text) ? Number(text) : NaN;
  return Number.isSafeInteger(jobs) && jobs >= 1 && jobs <= MAX_CI_MAX_JOBS ? jobs : null;
}

/** What a demanding user would pick for these projects (or this one), before they change anything. */
export function defaultOptions(projects: Workspace | readonly Workspace[]): InitOptions {
  const all: readonly Workspace[] = Array.isArray(projects) ? projects : [projects as Workspace];
  const wasm = all.some((ws) => wasm32Crates(ws).length > 0);
  // rustup's toolchain files are honoured only by rust-overlay and fenix.
  const pinned = all.some((ws) => ws.toolchain !== null);
  return {
    toolchain: pinned || wasm ? 'rust-overlay' : 'nixpkgs',
    // Each dependency compiled once for the whole workspace, as cargo does (issue 12's measurements).
    deps: 'workspace',
    wasm,
    ci: true,
    ciMode: 'planned',
    ciMaxJobs: DEFAULT_CI_MAX_JOBS,
    cachix: null,
    cachixPublicKey: null,
    oci: false,
    envrc: true,
    gitignore: true,
    nextest: false,
  };
}

/** The crates built for wasm32 on their own (nix/wasm.nix's crates). */
export function wasmCrates(ws: Workspace): string[] {
  return members(ws)
    .filter((p) => p.nixify.wasm !== null)
    .map((p) => p.name);
}

/** The browser halves of Leptos sites: built for wasm32 too, by nix/leptos.nix. */
export function leptosFrontCrates(ws: Workspace): string[] {
  return members(ws)
    .filter((p) => p.nixify.leptos?.front === true)
    .map((p) => p.name);
}

/** Every crate compiled for wasm32, on its own or as a Leptos front: what the wasm option turns on. */
export function wasm32Crates(ws: Workspace): string[] {
  return [...wasmCrates(ws), ...leptosFrontCrates(ws)];
}

export function members(ws: Workspace): Workspace['packages'] {
  const ids = new Set(ws.workspace_members);
  return ws.packages.filter((p) => ids.has(p.id));
}

/** Why these options cannot produce a working flake for this workspace, or null. */
export function optionsProblem(ws: Workspace, options: InitOptions): string | null {
  if (options.wasm && options.toolchain === 'nixpkgs' && wasm32Crates(ws).length > 0) {
    return "nixpkgs' rustc has no wasm32 standard library for crane builds: choose rust-overlay or fenix for the wasm crates, or turn wasm off";
  }
  if (options.cachix !== null && !validCachixName(options.cachix)) {
    return `not a Cachix cache name: "${options.cachix}" (lowercase letters, digits and dashes)`;
  }
  return null;
}

const TOOLCHAINS: readonly ToolchainSource[] = ['rust-overlay', 'fenix', 'nixpkgs'];
export const LAYOUTS: readonly DepsLayout[] = ['workspace', 'per-crate'];

/**
 * A layout as written in a header or on the command line. `shared` is what Nixify 0.1 called the
 * single artifacts derivation: its crates were built with `-p`, which made cargo recompile part of
 * the dependencies in every crate; the workspace layout replaces it.
 */
export function parseLayout(value: string): DepsLayout | null {
  if (value === 'shared') return 'workspace';
  return (LAYOUTS as readonly string[]).includes(value) ? (value as DepsLayout) : null;
}

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
    // The CI choices only matter, and are only recorded, when there is a workflow.
    ...(options.ci ? [`ci-mode=${options.ciMode}`] : []),
    ...(options.ci && options.ciMode === 'planned' ? [`ci-max-jobs=${options.ciMaxJobs}`] : []),
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
  return readOptionsHeader(text).options;
}

/** What the header line of a flake.nix says, and what of it could not be read. */
export interface OptionsHeaderReading {
  /** False when the file has no `# nixify:` line (Nixify did not write it, or an edit broke it). */
  found: boolean;
  options: Partial<InitOptions>;
  /** Entries this Nixify cannot read (`wasm=maybe`, `junk`, a key given twice). */
  unread: string[];
  /** Keys the header does not give (Nixify 0.1 wrote fewer, or an edit removed them): defaults apply. */
  missing: string[];
}

const HEADER_KEYS = [
  'toolchain',
  'deps',
  'wasm',
  'nextest',
  'ci',
  'cachix',
  'oci',
  'envrc',
  'gitignore',
] as const;
type HeaderKey = (typeof HEADER_KEYS)[number];

/** `parseOptionsHeader` that also says what it could not read: the header is anyone's to edit. */
export function readOptionsHeader(text: string): OptionsHeaderReading {
  const line = text.split('\n').find((l) => l.startsWith(HEADER_PREFIX));
  if (line === undefined) return { found: false, options: {}, unread: [], missing: [] };
  const options: Partial<InitOptions> = {};
  const unread: string[] = [];
  const seen = new Set<string>();
  for (const entry of line.slice(HEADER_PREFIX.length).trim().split(/\s+/)) {
    if (entry === '') continue;
    const [key = '', value] = entry.split('=', 2);
    const read = value === undefined ? null : readEntry(key, value, text);
    if (read === null) unread.push(entry);
    else if (seen.has(key)) unread.push(`${entry} (${key} given twice)`);
    Object.assign(options, read);
    seen.add(key);
  }
  const key = /extra-trusted-public-keys = \[\s*"([^"]+\.cachix\.org-1:[A-Za-z0-9+/=]{44})"/.exec(text)?.[1];
  if (key !== undefined) options.cachixPublicKey = key;
  return { found: true, options, unread, missing: HEADER_KEYS.filter((k) => !seen.has(k)) };
}

/** The option one `key=value` entry sets, or null when this Nixify cannot read it. */
function readEntry(key: string, value: string, text: string): Partial<InitOptions> | null {
  const bool = value === 'yes' ? true : value === 'no' ? false : undefined;
  switch (key as HeaderKey | 'ci-mode' | 'ci-max-jobs') {
    case 'toolchain':
      return (TOOLCHAINS as readonly string[]).includes(value)
        ? { toolchain: value as ToolchainSource }
        : null;
    case 'deps': {
      const layout = parseLayout(value);
      if (layout === null) return null;
      // Nixify 0.1 wrote per-crate for every multi-crate workspace without being asked: such a
      // flake moves to the workspace layout (modelChangeNote says so and how to stay).
      return { deps: layout === 'per-crate' && writtenBy01(text) ? 'workspace' : layout };
    }
    case 'cachix':
      return value === '' ? null : { cachix: value === 'none' ? null : value };
    // Written only when there is a workflow, so never "missing".
    case 'ci-mode':
      return (CI_MODES as readonly string[]).includes(value) ? { ciMode: value as CiMode } : null;
    case 'ci-max-jobs': {
      const jobs = parseCiMaxJobs(value);
      return jobs === null ? null : { ciMaxJobs: jobs };
    }
    case 'wasm':
    case 'nextest':
    case 'ci':
    case 'oci':
    case 'envrc':
    case 'gitignore':
      return bool === undefined ? null : { [key]: bool };
    default:
      return null;
  }
}

function writtenBy01(text: string): boolean {
  return /^# Generated by Nixify 0\.1\./m.test(text);
}

/**
 * Why regenerating this existing flake.nix changes how its crates are built, or null: shown with
 * the diff, because the new flake.nix differs throughout its crate section.
 */
export function modelChangeNote(existingFlake: string | null, options: InitOptions): string | null {
  if (existingFlake === null || options.deps !== 'workspace') return null;
  const line = existingFlake.split('\n').find((l) => l.startsWith(HEADER_PREFIX));
  const old = line === undefined ? undefined : /\bdeps=(\S+)/.exec(line)?.[1];
  if (old !== 'shared' && !(old === 'per-crate' && writtenBy01(existingFlake))) return null;
  const before =
    old === 'shared'
      ? 'one dependency build, but each crate built with `-p`, so cargo compiled part of the dependencies again inside every crate'
      : "one dependency build per crate, each compiling that crate's whole dependency tree again";
  return `The build model changes (deps=${old} → deps=workspace): before, ${before}; now every dependency is compiled once for the workspace and each crate is built with the same package selection (the crates it does not need are stand-ins), so an edit still rebuilds only the edited crate and its dependents, and tests run once in checks.workspace-test. To keep the old per-crate layout, choose per-crate (\`nixify init --deps per-crate\`).`;
}

/** One line for quick picks and the CLI: "rust-overlay toolchain · per-crate deps · wasm · CI". */
export function optionsSummary(options: InitOptions): string {
  const on = (flag: boolean, name: string) => (flag ? [name] : []);
  return [
    `${options.toolchain} toolchain`,
    `${options.deps} deps`,
    ...on(options.wasm, 'wasm'),
    ...on(options.nextest, 'nextest'),
    ...on(
      options.ci,
      options.ciMode === 'planned' ? `planned CI (≤ ${options.ciMaxJobs} jobs)` : 'single-job CI',
    ),
    ...(options.cachix === null ? [] : [`Cachix ${options.cachix}`]),
    ...on(options.oci, 'OCI images'),
    ...on(options.envrc, '.envrc'),
    ...on(options.gitignore, '.gitignore'),
  ].join(' · ');
}
