// Command-line parsing for `nixify`, as a pure function so every case is unit-tested.
import { parseArgs } from 'node:util';
import { CI_MODES, LAYOUTS, MAX_CI_MAX_JOBS, parseCiMaxJobs, parseLayout } from '../core/flake/options';
import type { CiMode, InitOptions, ToolchainSource } from '../core/flake/types';
import { MAX_MAX_DEPTH, MIN_MAX_DEPTH } from '../detectOptions';

export type CliCommand =
  | { command: 'help' }
  | { command: 'version' }
  | {
      command: 'detect';
      /** As given; undefined means the current directory. */
      dir: string | undefined;
      json: boolean;
      ignoredDirectories: string[];
      /** Undefined leaves the depth to the core's default. */
      maxDepth: number | undefined;
    }
  | {
      command: 'init';
      dir: string | undefined;
      /** Only the options given as flags; the rest come from the workspace and an existing flake.nix. */
      options: Partial<InitOptions>;
      dryRun: boolean;
      /** What to do with files that exist and differ: refuse (default), replace with a backup, or write beside. */
      onConflict: 'refuse' | 'replace' | 'beside';
    }
  | {
      command: 'status';
      dir: string | undefined;
      json: boolean;
      /** Undefined: the system Nix builds for. */
      system: string | undefined;
    }
  | {
      command: 'env';
      dir: string | undefined;
      json: boolean;
      /** The flake's `devShells.<system>.<attr>`; undefined: `default`. */
      attr: string | undefined;
      /** Evaluate even when the cache is up to date. */
      refresh: boolean;
      /** Undefined: $XDG_CACHE_HOME/nixify/devenv. */
      storage: string | undefined;
    }
  | {
      command: 'health';
      dir: string | undefined;
      json: boolean;
    };

/** Input the CLI cannot work with. The CLI prints the message and exits with status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Input the command read but cannot use (a manifest that does not parse, a workspace with errors):
 * the CLI prints the message, which names each file at line and column, and exits with status 1.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
}

export const HELP = `Usage: nixify <command> [options]

Commands:
  detect [DIR]         List the Cargo workspaces under DIR (default: the current directory)
  init [DIR]           Write a crane flake for the Cargo workspace rooted at DIR
  status [DIR]         Show each crate's derivations: local, cached (in a trusted binary cache)
                       or to build, for the flake in DIR
  env [DIR]            Print the dev shell's environment (flake.nix, else shell.nix or
                       default.nix in DIR) and whether it came from Nixify's cache
  health [DIR]         Check Nix, its configuration, the binary caches and the workspace in
                       DIR; each problem comes with its fix

Options for detect:
  --json               Print the detection result as JSON (fields as in \`cargo metadata\`)
  --ignore NAME        Skip directories named NAME while searching (repeatable)
  --max-depth N        Search at most N directory levels below DIR (${MIN_MAX_DEPTH}-${MAX_MAX_DEPTH})

Options for init (defaults come from the workspace, then from an existing flake.nix's header):
  --toolchain SOURCE   rust-overlay, fenix or nixpkgs
  --deps LAYOUT        workspace (dependencies compiled once for the workspace) or per-crate
  --wasm, --no-wasm    Build the wasm crates for wasm32 (and bring their tools)
  --ci, --no-ci        Write .github/workflows/nix.yml
  --ci-mode MODE       planned (a plan job, then a matrix building only what no trusted cache
                       has) or single (one job per OS: nix flake check, nix build)
  --ci-max-jobs N      At most N build jobs in the planned workflow (1-${MAX_CI_MAX_JOBS}; default 8)
  --cachix NAME        Use the Cachix cache NAME (--no-cachix for none)
  --cachix-key KEY     Its public key, NAME.cachix.org-1:...
  --oci, --no-oci      An OCI image per binary crate
  --envrc, --no-envrc  Write .envrc (use flake)
  --gitignore, --no-gitignore
                       Add result* and .direnv/ to .gitignore
  --nextest, --no-nextest
                       cargo nextest for the workspace test check
  --dry-run            Print the plan and the files (diffs for existing ones); write nothing
  --force              Replace files that differ, keeping each as FILE.nixify-backup
  --beside             Write files that differ beside them (flake.nixify.nix, ...)

Options for status:
  --json               Print the crates, items, statuses and cache hits as JSON
  --system SYSTEM      Evaluate for SYSTEM (default: the system Nix builds for)

Options for env:
  --json               Print the environment delta, its source and origin as JSON
  --attr NAME          Use the flake's devShells.<system>.NAME (default: default)
  --refresh            Evaluate with nix even when the cached environment is up to date
  --storage DIR        Cache and GC roots in DIR (default: $XDG_CACHE_HOME/nixify/devenv)

Options for health:
  --json               Print the checks (id, title, status, detail, fix) as JSON

  -h, --help           Show this help
  -V, --version        Show the version

Exit status: 0 when the command did its work without errors (detect: warnings allowed);
1 when the input or Nix has errors, each printed at file:line:column (detect still prints its whole
listing; init writes nothing: a manifest that does not parse, a workspace with errors, files that
exist and differ), status or env could not evaluate or ask Nix, or health found an error;
2 for unusable input (a flag, a missing directory, nothing to act on, several workspaces where init
needs one named); 130 when env was interrupted.
`;

export function parseCliArgs(argv: readonly string[]): CliCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'V' },
        json: { type: 'boolean' },
        ignore: { type: 'string', multiple: true },
        'max-depth': { type: 'string' },
        attr: { type: 'string' },
        refresh: { type: 'boolean' },
        storage: { type: 'string' },
        system: { type: 'string' },
        toolchain: { type: 'string' },
        deps: { type: 'string' },
        'ci-mode': { type: 'string' },
        'ci-max-jobs': { type: 'string' },
        cachix: { type: 'string' },
        'cachix-key': { type: 'string' },
        'dry-run': { type: 'boolean' },
        force: { type: 'boolean' },
        beside: { type: 'boolean' },
        ...Object.fromEntries(
          TOGGLES.flatMap((t) => [
            [t, { type: 'boolean' }],
            [`no-${t}`, { type: 'boolean' }],
          ]),
        ),
        'no-cachix': { type: 'boolean' },
      },
    });
  } catch (error) {
    // parseArgs explains unknown flags and missing values well; keep its words.
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    return { command: 'help' };
  }
  if (values.version) {
    return { command: 'version' };
  }
  const [command, ...operands] = positionals;
  if (command === undefined) {
    throw new UsageError('missing command (try `nixify detect` or `nixify init`)');
  }
  if (!['detect', 'init', 'status', 'env', 'health'].includes(command)) {
    throw new UsageError(
      `unknown command '${command}' (try \`nixify detect\`, \`nixify init\` or \`nixify status\`)`,
    );
  }
  for (const flag of ENV_ONLY) {
    if (command !== 'env' && values[flag] !== undefined) {
      throw new UsageError(`--${flag} is an option of env, not ${command}`);
    }
  }
  if (operands.length > 1) {
    throw new UsageError(`${command} takes one directory, got ${operands.length}: ${operands.join(' ')}`);
  }
  if (command === 'init') {
    return parseInit(operands[0], values);
  }
  if (command === 'status') {
    return parseStatus(operands[0], values);
  }
  if (command === 'env') {
    return parseEnv(operands[0], values);
  }
  if (command === 'health') {
    return parseHealth(operands[0], values);
  }
  if (values.system !== undefined) throw new UsageError('--system is an option of status, not detect');
  const ignoredDirectories = values.ignore ?? [];
  if (ignoredDirectories.some((name) => name.length === 0)) {
    throw new UsageError('--ignore needs a directory name');
  }
  return {
    command: 'detect',
    dir: operands[0],
    json: values.json ?? false,
    ignoredDirectories,
    maxDepth: values['max-depth'] === undefined ? undefined : parseMaxDepth(values['max-depth']),
  };
}

function parseMaxDepth(text: string): number {
  const depth = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(depth) || depth < MIN_MAX_DEPTH || depth > MAX_MAX_DEPTH) {
    throw new UsageError(
      `--max-depth must be a whole number from ${MIN_MAX_DEPTH} to ${MAX_MAX_DEPTH}, got '${text}'`,
    );
  }
  return depth;
}

const TOGGLES = ['wasm', 'ci', 'oci', 'envrc', 'gitignore', 'nextest'] as const;
const TOOLCHAINS: readonly ToolchainSource[] = ['rust-overlay', 'fenix', 'nixpkgs'];

function parseInit(dir: string | undefined, values: Record<string, unknown>): CliCommand {
  const options: Partial<InitOptions> = {};
  const toolchain = values['toolchain'];
  if (typeof toolchain === 'string') {
    if (!(TOOLCHAINS as readonly string[]).includes(toolchain)) {
      throw new UsageError(`--toolchain must be one of ${TOOLCHAINS.join(', ')}, got '${toolchain}'`);
    }
    options.toolchain = toolchain as ToolchainSource;
  }
  const deps = values['deps'];
  if (typeof deps === 'string') {
    const layout = parseLayout(deps);
    if (layout === null) {
      throw new UsageError(`--deps must be one of ${LAYOUTS.join(', ')}, got '${deps}'`);
    }
    options.deps = layout;
  }
  const ciMode = values['ci-mode'];
  if (typeof ciMode === 'string') {
    if (!(CI_MODES as readonly string[]).includes(ciMode)) {
      throw new UsageError(`--ci-mode must be one of ${CI_MODES.join(', ')}, got '${ciMode}'`);
    }
    options.ciMode = ciMode as CiMode;
  }
  const maxJobs = values['ci-max-jobs'];
  if (typeof maxJobs === 'string') {
    const jobs = parseCiMaxJobs(maxJobs);
    if (jobs === null) {
      throw new UsageError(
        `--ci-max-jobs must be a whole number from 1 to ${MAX_CI_MAX_JOBS}, got '${maxJobs}'`,
      );
    }
    options.ciMaxJobs = jobs;
  }
  for (const toggle of TOGGLES) {
    if (values[toggle] === true && values[`no-${toggle}`] === true) {
      throw new UsageError(`--${toggle} and --no-${toggle} contradict each other`);
    }
    if (values[toggle] === true) options[toggle] = true;
    if (values[`no-${toggle}`] === true) options[toggle] = false;
  }
  if (typeof values['cachix'] === 'string' && values['no-cachix'] === true) {
    throw new UsageError('--cachix and --no-cachix contradict each other');
  }
  if (typeof values['cachix'] === 'string') options.cachix = values['cachix'];
  if (values['no-cachix'] === true) options.cachix = null;
  if (typeof values['cachix-key'] === 'string') options.cachixPublicKey = values['cachix-key'];
  if (values['force'] === true && values['beside'] === true) {
    throw new UsageError('--force and --beside contradict each other');
  }
  for (const flag of ['json', 'ignore', 'max-depth', 'system']) {
    if (values[flag] !== undefined) {
      throw new UsageError(`--${flag} is an option of ${flag === 'system' ? 'status' : 'detect'}, not init`);
    }
  }
  return {
    command: 'init',
    dir,
    options,
    dryRun: values['dry-run'] === true,
    onConflict: values['force'] === true ? 'replace' : values['beside'] === true ? 'beside' : 'refuse',
  };
}

const INIT_ONLY = [
  'toolchain',
  'deps',
  'ci-mode',
  'ci-max-jobs',
  'cachix',
  'cachix-key',
  'no-cachix',
  'dry-run',
  'force',
  'beside',
];

function parseStatus(dir: string | undefined, values: Record<string, unknown>): CliCommand {
  for (const flag of ['ignore', 'max-depth']) {
    if (values[flag] !== undefined) throw new UsageError(`--${flag} is an option of detect, not status`);
  }
  for (const flag of [...INIT_ONLY, ...TOGGLES.flatMap((t) => [t, `no-${t}`])]) {
    if (values[flag] !== undefined) throw new UsageError(`--${flag} is an option of init, not status`);
  }
  const system = values['system'];
  if (system !== undefined && (typeof system !== 'string' || !/^[\w.-]+$/.test(system))) {
    throw new UsageError(`--system needs a Nix system such as x86_64-linux, got '${String(system)}'`);
  }
  return { command: 'status', dir, json: values['json'] === true, system };
}

const ENV_ONLY = ['attr', 'refresh', 'storage'] as const;

function parseEnv(dir: string | undefined, values: Record<string, unknown>): CliCommand {
  for (const flag of [
    'ignore',
    'max-depth',
    'system',
    ...INIT_ONLY,
    ...TOGGLES.flatMap((t) => [t, `no-${t}`]),
  ]) {
    if (values[flag] !== undefined) throw new UsageError(`--${flag} is not an option of env`);
  }
  const attr = values['attr'];
  if (attr !== undefined && (typeof attr !== 'string' || attr === '')) {
    throw new UsageError('--attr needs the name of a dev shell, e.g. default');
  }
  const storage = values['storage'];
  if (storage !== undefined && (typeof storage !== 'string' || storage === '')) {
    throw new UsageError('--storage needs a directory');
  }
  return {
    command: 'env',
    dir,
    json: values['json'] === true,
    attr,
    refresh: values['refresh'] === true,
    storage,
  };
}

function parseHealth(dir: string | undefined, values: Record<string, unknown>): CliCommand {
  for (const [flag, value] of Object.entries(values)) {
    if (flag !== 'json' && value !== undefined) throw new UsageError(`--${flag} is not an option of health`);
  }
  return { command: 'health', dir, json: values['json'] === true };
}
