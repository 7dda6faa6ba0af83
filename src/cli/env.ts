// `nixify env [DIR]`: the folder's dev-shell environment as the editor gets it, from the same cache,
// and whether it came from there. Values go to the user's own terminal only; nothing is logged.
import * as os from 'node:os';
import * as path from 'node:path';
import {
  DevShellEvaluationError,
  loadDevShell,
  shellSourceFor,
  type LoadedDevShell,
  type ShellSource,
} from '../core/devenv';
import { CommandNotFoundError } from '../core/process';
import { UsageError, type CliCommand } from './args';
import { locatedNixError } from './format';
import type { CliIo } from './run';

export type EnvCommand = Extract<CliCommand, { command: 'env' }>;

export const EXIT_ENV_FAILED = 1;
/** What shells report for a run ended by Ctrl-C. */
export const EXIT_INTERRUPTED = 130;

/** `$XDG_CACHE_HOME/nixify/devenv`, or `~/.cache/nixify/devenv` (XDG's rule: a relative value is ignored). */
export function defaultStorageDir(env: NodeJS.ProcessEnv, home: string): string {
  const cacheHome = env['XDG_CACHE_HOME'];
  const base = cacheHome && path.isAbsolute(cacheHome) ? cacheHome : path.join(home, '.cache');
  return path.join(base, 'nixify', 'devenv');
}

export async function runEnv(command: EnvCommand, io: CliIo): Promise<number> {
  const dir = path.resolve(io.cwd, command.dir ?? '.');
  const source = shellSourceFor(dir, command.attr === undefined ? {} : { attr: command.attr });
  if (source === null) throw new UsageError(`no flake.nix, shell.nix or default.nix in ${dir}`);
  if (command.attr !== undefined && source.kind !== 'flake') {
    throw new UsageError(`--attr picks a flake's dev shell, but ${dir} has ${source.kind} and no flake.nix`);
  }
  const env = io.env ?? process.env;
  const storageDir =
    command.storage === undefined
      ? defaultStorageDir(env, os.homedir())
      : path.resolve(io.cwd, command.storage);

  // Nix runs in its own process group: Ctrl-C must reach it through the abort signal.
  const controller = new AbortController();
  const interrupt = () => controller.abort();
  process.once('SIGINT', interrupt);
  try {
    // Nix's progress is worth seeing during a long build; its error is printed once, at the end.
    let failing = false;
    const options = {
      storageDir,
      env,
      signal: controller.signal,
      onStderrLine: (line: string) => {
        failing ||= /^error\b/.test(line);
        if (!failing) io.stderr(`${line}\n`);
      },
      log: (line: string) => io.stderr(`nixify: ${line}\n`),
    };
    let loaded = await loadDevShell(source, {
      ...options,
      policy: command.refresh ? 'evaluate' : 'cache-first',
    });
    if (loaded.stale) {
      io.stderr('nixify: the shell’s files changed since the cached evaluation; evaluating again\n');
      loaded = await loadDevShell(source, { ...options, policy: 'evaluate' });
    }
    io.stdout(command.json ? `${JSON.stringify(envJson(loaded), null, 2)}\n` : formatEnv(loaded, io.cwd));
    return 0;
  } catch (error) {
    if (error instanceof DevShellEvaluationError) {
      if (error.cancelled) return EXIT_INTERRUPTED;
      const file = path.join(source.folder, source.kind === 'flake' ? 'flake.nix' : source.kind);
      const where = locatedNixError(error.stderr, source.folder, file, io.cwd);
      io.stderr(`nixify: the dev shell did not evaluate:\n${where}${error.message}\n`);
      return EXIT_ENV_FAILED;
    }
    if (error instanceof CommandNotFoundError) {
      io.stderr(`nixify: ${error.message}: nixify env needs Nix\n`);
      return EXIT_ENV_FAILED;
    }
    throw error;
  } finally {
    process.removeListener('SIGINT', interrupt);
  }
}

/** The `--json` document: the loaded environment and where it came from. */
export function envJson(loaded: LoadedDevShell) {
  const { env } = loaded;
  return {
    source: env.source,
    fromCache: loaded.fromCache,
    stale: loaded.stale,
    evaluatedAt: env.evaluatedAt,
    durationMs: env.durationMs,
    nixVersion: env.nixVersion,
    profile: env.profile,
    key: env.key,
    delta: env.delta,
  };
}

export function describeSource(source: ShellSource, cwd: string): string {
  const where = path.relative(cwd, source.folder) || '.';
  return source.kind === 'flake'
    ? `devShells.${source.system}.${source.attr} of the flake in ${where}`
    : `${path.join(where, source.kind)}`;
}

/** Plain `NAME=value` when it reads back unambiguously, else the value as a JSON string. */
function showValue(value: string): string {
  return /^[\x20-\x7e]*$/.test(value) && !value.includes('"') ? value : JSON.stringify(value);
}

/** The human-readable report: source, origin, then the variables prepended, set and unset. */
export function formatEnv(loaded: LoadedDevShell, cwd: string): string {
  const { env } = loaded;
  const lines = [
    `Dev shell: ${describeSource(env.source, cwd)}`,
    loaded.fromCache
      ? `From the cache: evaluated ${env.evaluatedAt} in ${env.durationMs} ms (${env.nixVersion}); no nix process ran`
      : `Evaluated now in ${env.durationMs} ms (${env.nixVersion})`,
    `GC root: ${env.profile}`,
  ];
  const prepend = Object.entries(env.delta.prepend);
  const set = Object.entries(env.delta.set);
  if (prepend.length > 0) {
    lines.push('', `Prepended (${prepend.length}):`);
    for (const [name, value] of prepend) lines.push(`  ${name}=${showValue(value)}:$${name}`);
  }
  if (set.length > 0) {
    lines.push('', `Set (${set.length}):`);
    for (const [name, value] of set) lines.push(`  ${name}=${showValue(value)}`);
  }
  if (env.delta.unset.length > 0) {
    lines.push('', `Unset (${env.delta.unset.length}):`);
    for (const name of env.delta.unset) lines.push(`  ${name}`);
  }
  return `${lines.join('\n')}\n`;
}
