// The last good environment of each dev shell, one folder per (folder, attribute, system, kind) in
// the storage directory: `env.json` plus the `--profile` links that keep the shell's closure alive.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DevShellEnv, ShellSource } from './types';

const FORMAT = 1;
const ENV_FILE = 'env.json';

/** `<storageDir>/<folder name>-<hash>`: readable when someone looks, unique per source. */
export function entryDir(source: ShellSource, storageDir: string): string {
  const id = createHash('sha256')
    .update(JSON.stringify([source.kind, source.folder, source.attr, source.system]))
    .digest('hex')
    .slice(0, 16);
  const name = path.basename(source.folder).replace(/[^\w.-]/g, '_') || 'root';
  return path.join(storageDir, `${name}-${id}`);
}

/** The `--profile` nix writes: a GC root for the shell's closure while it exists. */
export function profilePath(source: ShellSource, storageDir: string): string {
  return path.join(entryDir(source, storageDir), 'profile');
}

/** Where a discarded cache entry is reported: one line naming the file and why, never its values. */
export type CacheLog = (line: string) => void;

/**
 * The cached environment of `source`, or undefined when there is none or it cannot be used (cut
 * short, hand-edited, written by another version of Nixify): such an entry is logged and ignored,
 * and the next evaluation replaces it.
 */
export function readCachedDevShell(
  source: ShellSource,
  storageDir: string,
  log?: CacheLog,
): DevShellEnv | undefined {
  const file = path.join(entryDir(source, storageDir), ENV_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    // No entry yet is the ordinary case, not worth a line.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') log?.(discarded(file, errorCode(error)));
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    log?.(discarded(file, 'it is not valid JSON (cut short or edited by hand?)'));
    return undefined;
  }
  const problem = entryProblem(parsed, source);
  if (problem !== null) {
    log?.(discarded(file, problem));
    return undefined;
  }
  const { format: _format, ...env } = parsed as CachedEnv;
  return env;
}

function discarded(file: string, reason: string): string {
  return `dev-shell cache entry ${file} ignored: ${reason}; the shell is evaluated again`;
}

function errorCode(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  return `it cannot be read (${code ?? message})`;
}

/** Why a parsed `env.json` cannot stand for `source`'s environment, or null when it can. */
function entryProblem(value: unknown, source: ShellSource): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'it is not a JSON object';
  const format = (value as { format?: unknown }).format;
  if (format !== FORMAT)
    return `it has format ${JSON.stringify(format ?? null)}, this Nixify reads format ${FORMAT}`;
  if (!isCachedEnv(value)) return 'it lacks fields of a cached environment or has them of the wrong type';
  return sameSource(value.source, source) ? null : 'it belongs to another shell (a hash collision?)';
}

/** Replaces the cached environment atomically: a reader sees the old file or the new one. */
export function writeCachedDevShell(env: DevShellEnv, storageDir: string): void {
  const dir = entryDir(env.source, storageDir);
  fs.mkdirSync(dir, { recursive: true });
  const target = path.join(dir, ENV_FILE);
  const temp = path.join(dir, `.${ENV_FILE}.${process.pid}.${Date.now()}.tmp`);
  try {
    fs.writeFileSync(temp, `${JSON.stringify({ format: FORMAT, ...env }, null, 2)}\n`);
    fs.renameSync(temp, target);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
}

/**
 * Removes the cached environment and the profile links. Nix registered the links as indirect GC
 * roots; once they are gone, the next garbage collection may free the shell's closure.
 */
export function forgetDevShell(source: ShellSource, storageDir: string): void {
  fs.rmSync(entryDir(source, storageDir), { recursive: true, force: true });
}

/**
 * Each `--profile` evaluation adds a generation (`profile-N-link`), every one a GC root. Once a new
 * environment is cached, only the generation `profile` points to is worth keeping.
 */
export function pruneOldGenerations(profile: string): void {
  let current: string;
  try {
    current = fs.readlinkSync(profile);
  } catch {
    return;
  }
  const dir = path.dirname(profile);
  const generation = new RegExp(`^${path.basename(profile)}-\\d+-link$`);
  for (const name of fs.readdirSync(dir)) {
    if (generation.test(name) && name !== path.basename(current))
      fs.rmSync(path.join(dir, name), { force: true });
  }
}

function sameSource(a: ShellSource, b: ShellSource): boolean {
  return a.kind === b.kind && a.folder === b.folder && a.attr === b.attr && a.system === b.system;
}

type CachedEnv = DevShellEnv & { format: number };

function isCachedEnv(value: unknown): value is CachedEnv {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<CachedEnv>;
  const delta = v.delta;
  return (
    v.format === FORMAT &&
    typeof v.key === 'string' &&
    typeof v.profile === 'string' &&
    typeof v.evaluatedAt === 'string' &&
    typeof v.durationMs === 'number' &&
    typeof v.nixVersion === 'string' &&
    typeof v.source === 'object' &&
    v.source !== null &&
    typeof delta === 'object' &&
    delta !== null &&
    isStringRecord(delta.set) &&
    isStringRecord(delta.prepend) &&
    Array.isArray(delta.unset) &&
    delta.unset.every((name) => typeof name === 'string')
  );
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.values(value as Record<string, unknown>).every((v) => typeof v === 'string')
  );
}
