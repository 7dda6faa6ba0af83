// Evaluating a dev shell with nix, and the cache-first load the editor does on startup.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { runProcess, type ProcessOptions, type ProcessResult } from '../process';
import { processOptions, type NixRunOptions } from '../nix/invoke';
import { nixArgs, probeNixVersion } from '../nix/nixCommand';
import { deltaFromBuildEnvironment, parseBuildEnvironment } from './buildEnvironment';
import { computeCacheKey } from './cacheKey';
import {
  profilePath,
  pruneOldGenerations,
  readCachedDevShell,
  writeCachedDevShell,
  type CacheLog,
} from './cacheStore';
import { DevShellEvaluationError, nixErrorMessage } from './errors';
import { applyShellHook, hasShellHook } from './shellHook';
import { attrPathElement, installableArgs } from './source';
import type { DevShellEnv, LoadedDevShell, ShellSource } from './types';

/**
 * How Nix runs (NixRunOptions: `nix` looked up on `env.PATH` or a path; `env` the whole environment
 * nix runs with, NIX_CONFIG included, and the user's baseline for the shellHook; aborting `signal`
 * kills nix's whole process group and the promise rejects with a `cancelled` error), and where the
 * result is kept.
 */
export interface EvalOptions extends Pick<NixRunOptions, 'nix' | 'env' | 'signal'> {
  /** Where cached environments and profile links (GC roots) live, e.g. the extension's storage. */
  storageDir: string;
  /** Nix's progress and build log, line by line (and the shellHook's stderr). */
  onStderrLine?: (line: string) => void;
  /** Where a cache entry that cannot be used is reported (file and reason, never values). */
  log?: CacheLog;
}

/** `env` is the whole environment here, never changes to the extension host's. */
function devShellProcessOptions(opts: EvalOptions): ProcessOptions {
  return {
    ...processOptions({ ...opts, env: opts.env ?? process.env, replaceEnv: true }),
    ...(opts.onStderrLine && { onStderrLine: opts.onStderrLine }),
  };
}

function failIfUnsuccessful(result: ProcessResult): void {
  if (result.cancelled) throw new DevShellEvaluationError('Evaluation cancelled', result.stderr, true);
  if (result.exitCode !== 0 || result.timedOut || result.maxBufferExceeded) {
    throw new DevShellEvaluationError(nixErrorMessage(result.stderr), result.stderr);
  }
}

/**
 * Names under `devShells.<system>` of a flake (one `nix eval`), sorted; `[]` when the flake has none
 * for this system, and for shell.nix/default.nix, which have no attributes to choose from.
 */
export async function listDevShellAttrs(source: ShellSource, opts: EvalOptions): Promise<string[]> {
  if (source.kind !== 'flake') return [];
  const installable = `${source.folder}#devShells.${attrPathElement(source.system)}`;
  const args = nixArgs(['eval', '--json', installable, '--apply', 'builtins.attrNames']);
  const result = await runProcess(opts.nix ?? 'nix', args, {
    ...devShellProcessOptions(opts),
    cwd: source.folder,
  });
  if (result.exitCode !== 0 && /does not provide attribute/.test(result.stderr)) return [];
  failIfUnsuccessful(result);
  const names = JSON.parse(result.stdout) as unknown;
  if (!Array.isArray(names))
    throw new DevShellEvaluationError('nix eval did not print a list', result.stderr);
  return names.map(String).sort();
}

/**
 * Runs `nix print-dev-env --json --profile <storage>/…/profile` (the profile makes the shell's
 * closure a GC root), derives the environment delta, runs the shellHook when there is one, and
 * caches the result. Throws `DevShellEvaluationError` with Nix's own message when evaluation fails;
 * the previously cached environment (and its GC root) is left as it was.
 */
export async function evaluateDevShell(source: ShellSource, opts: EvalOptions): Promise<DevShellEnv> {
  const started = performance.now();
  const nix = opts.nix ?? 'nix';
  const env = opts.env ?? process.env;
  const key = await computeCacheKey(source, { nix, env });
  const profile = profilePath(source, opts.storageDir);
  makeEntryDir(path.dirname(profile));

  const args = nixArgs(['print-dev-env', '--json', '--profile', profile, ...installableArgs(source)]);
  const [result, nixVersion] = await Promise.all([
    runProcess(nix, args, { ...devShellProcessOptions(opts), cwd: source.folder }),
    // Asked alongside the evaluation, so it costs no wall time.
    probeNixVersion(runProcess, {
      nix,
      env,
      replaceEnv: true,
      ...(opts.signal && { signal: opts.signal }),
    }).then(
      (version) => version.raw,
      () => 'unknown',
    ),
  ]);
  failIfUnsuccessful(result);

  let buildEnv;
  try {
    buildEnv = parseBuildEnvironment(result.stdout);
  } catch (error) {
    throw new DevShellEvaluationError((error as Error).message, result.stderr);
  }
  let delta = deltaFromBuildEnvironment(buildEnv, source.folder);
  if (hasShellHook(buildEnv)) {
    delta = await applyShellHook(buildEnv, delta, {
      folder: source.folder,
      baseline: env,
      ...(opts.signal && { signal: opts.signal }),
      ...(opts.onStderrLine && { onStderrLine: opts.onStderrLine }),
    });
  }

  const evaluated: DevShellEnv = {
    source,
    delta,
    key,
    profile,
    evaluatedAt: new Date().toISOString(),
    durationMs: Math.round(performance.now() - started),
    nixVersion,
  };
  writeCachedDevShell(evaluated, opts.storageDir);
  pruneOldGenerations(profile);
  return evaluated;
}

/** Before nix runs: a storage path that is a file (or read-only) fails here, with its name. */
function makeEntryDir(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    throw new DevShellEvaluationError(
      `the dev-shell cache cannot be kept in ${dir} (${code ?? message})${code === 'ENOTDIR' || code === 'EEXIST' ? ': a part of that path is a file' : ''}`,
      '',
    );
  }
}

/** Whether the files (or the Nix) behind `env` changed since it was evaluated. Runs no process. */
export async function isStale(env: DevShellEnv, opts: Pick<NixRunOptions, 'nix' | 'env'>): Promise<boolean> {
  return (await computeCacheKey(env.source, opts)) !== env.key;
}

/**
 * The cached environment of `source` if it can be applied as is: one file read, no process, no walk
 * of the folder (whether it is stale is a separate, slower question: `isStale`). Undefined when
 * nothing is cached, the entry cannot be read, or the profile's store path was garbage-collected;
 * the last two are told to `log`.
 */
export function usableCachedDevShell(
  source: ShellSource,
  storageDir: string,
  log?: CacheLog,
): DevShellEnv | undefined {
  const cached = readCachedDevShell(source, storageDir, log);
  if (cached === undefined) return undefined;
  // existsSync follows the profile link: false once its store path is gone.
  if (fs.existsSync(cached.profile)) return cached;
  log?.(
    `dev-shell cache entry of ${source.folder} ignored: its GC root ${cached.profile} ${danglingReason(cached.profile)}; the shell is evaluated again`,
  );
  return undefined;
}

function danglingReason(profile: string): string {
  try {
    return `points to ${fs.readlinkSync(profile)}, which is gone (garbage-collected?)`;
  } catch {
    return 'is missing';
  }
}

/**
 * `cache-first`: the cached environment with its `stale` flag, without starting any process; an
 * evaluation only when nothing usable is cached (none, or its profile's store path was deleted).
 * `evaluate`: always evaluates.
 */
export async function loadDevShell(
  source: ShellSource,
  opts: EvalOptions & { policy: 'cache-first' | 'evaluate' },
): Promise<LoadedDevShell> {
  if (opts.policy === 'cache-first') {
    const cached = usableCachedDevShell(source, opts.storageDir, opts.log);
    if (cached) return { env: cached, fromCache: true, stale: await isStale(cached, opts) };
  }
  return { env: await evaluateDevShell(source, opts), fromCache: false, stale: false };
}
