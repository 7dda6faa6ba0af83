// The content key of a dev shell: what must change before its environment can differ. Computed
// without starting nix, so a reload with unchanged files runs no process at all.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compareBytes } from '../cargo/fsCache';
import type { ShellSource } from './types';

const KEY_VERSION = 'nixify-devenv-key-v1';
/** Read at the folder's top only: the files Nix and rust-overlay/fenix read from there. */
const TOP_LEVEL_INPUTS = ['flake.lock', 'rust-toolchain', 'rust-toolchain.toml'];
/** Never holds the shell's sources, and can be huge. */
const SKIPPED_DIRECTORIES = new Set(['.git', 'target', 'node_modules', '.direnv']);

/**
 * Glob patterns, relative to the folder, of the files the key hashes; a file watcher on them tells
 * when the environment may be stale.
 */
export function cacheKeyInputs(source: ShellSource): string[] {
  const entry = source.kind === 'flake' ? ['flake.nix', 'flake.lock'] : [source.kind];
  return [...entry, '**/*.nix', 'rust-toolchain', 'rust-toolchain.toml'];
}

export interface KeyOptions {
  /** `nix` (looked up on `env.PATH`) or a path to it, as in NixRunOptions. */
  nix?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * sha256 over the source (kind, attribute, system), the Nix binary's identity, and the name and
 * content hash of every key input: flake.lock and rust-toolchain files at the top, every `.nix` file
 * below the folder (outside .git, target, node_modules, result*, .direnv). Contents, not mtimes:
 * a checkout that rewrites files unchanged keeps the key.
 */
export async function computeCacheKey(source: ShellSource, opts: KeyOptions = {}): Promise<string> {
  const hash = createHash('sha256');
  const field = (text: string) => hash.update(text).update('\0');
  field(KEY_VERSION);
  field(source.kind);
  field(source.attr);
  field(source.system);
  field(nixIdentity(opts.nix ?? 'nix', opts.env ?? process.env));
  for (const relative of keyFiles(source.folder)) {
    field(relative);
    field(fileDigest(path.join(source.folder, relative)));
  }
  return hash.digest('hex');
}

/** Relative paths, in byte order, of the files the key covers. */
export function keyFiles(folder: string): string[] {
  const found = TOP_LEVEL_INPUTS.filter((name) => isFile(path.join(folder, name)));
  const pending = [''];
  for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(folder, dir), { withFileTypes: true });
    } catch {
      continue; // unreadable: nix could not read it either
    }
    for (const entry of entries) {
      const relative = dir === '' ? entry.name : `${dir}/${entry.name}`;
      // Symlinked directories are not followed: a link loop must not hang a reload.
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name) && !entry.name.startsWith('result')) pending.push(relative);
      } else if (entry.name.endsWith('.nix') && (entry.isFile() || isFile(path.join(folder, relative)))) {
        found.push(relative);
      }
    }
  }
  return found.sort(compareBytes);
}

function isFile(file: string): boolean {
  return fs.statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
}

function fileDigest(file: string): string {
  try {
    return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  } catch {
    return 'unreadable';
  }
}

/**
 * Which Nix would evaluate: the resolved binary's path, size and mtime. A Nix upgrade replaces the
 * store path (or the file), so the key changes, without running `nix --version`.
 */
export function nixIdentity(nixBinary: string, env: NodeJS.ProcessEnv): string {
  const found = nixBinary.includes('/') ? nixBinary : findOnPath(nixBinary, env['PATH'] ?? '');
  if (found === undefined) return `${nixBinary}: not found`;
  try {
    const real = fs.realpathSync(found);
    const stat = fs.statSync(real);
    return `${real} ${stat.size} ${stat.mtimeMs}`;
  } catch {
    return `${found}: not found`;
  }
}

/** The first executable file `name` in the PATH-style list `searchPath`, as `which` finds it. */
export function findOnPath(name: string, searchPath: string): string | undefined {
  for (const dir of searchPath.split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}
