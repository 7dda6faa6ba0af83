// A crate's source in Nixify's flake holds the crates it depends on too, so "the source of app
// changed" may mean core-lib was edited. Both sources are still in the store after an edit (nothing
// collects the old one until a GC), so comparing the two trees names the crates really edited.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { tidyCauses, type RebuildCause, type RebuildExplanation } from './whyRebuild';

/** Files at the workspace root that belong to no crate but to the whole build. */
const CARGO_FILES = new Set(['Cargo.toml', 'Cargo.lock', '.cargo/config.toml', '.cargo/config']);

/** Relative paths of the files that differ, were added or removed; null when a tree is gone. */
export async function changedFiles(before: string, after: string): Promise<string[] | null> {
  const [a, b] = await Promise.all([listFiles(before), listFiles(after)]);
  if (a === null || b === null) return null;
  const changed: string[] = [];
  for (const rel of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const x = a.get(rel);
    const y = b.get(rel);
    if (x === undefined || y === undefined || x !== y) {
      changed.push(rel);
      continue;
    }
    const [bx, by] = await Promise.all([
      fs.readFile(path.join(before, rel)),
      fs.readFile(path.join(after, rel)),
    ]);
    if (!bx.equals(by)) changed.push(rel);
  }
  return changed;
}

/** Relative path → size (or link target), for every file under `root`. */
async function listFiles(root: string): Promise<Map<string, string> | null> {
  const files = new Map<string, string>();
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      const rel = path.relative(root, full);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isSymbolicLink()) files.set(rel, `link:${await fs.readlink(full)}`);
      else files.set(rel, `size:${(await fs.stat(full)).size}`);
    }
  };
  try {
    await walk(root);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  return files;
}

/** The crates (by directory relative to the workspace root) that own any of `files`. */
export function cratesOwning(
  files: readonly string[],
  crateDirs: Readonly<Record<string, string>>,
): string[] {
  // Deepest directory first: a crate nested inside another owns its own files.
  const dirs = Object.entries(crateDirs).sort((a, b) => b[1].length - a[1].length);
  const owners = new Set<string>();
  for (const file of files) {
    const owner = dirs.find(([, dir]) =>
      dir === '' || dir === '.'
        ? // A root package owns its Cargo.toml, not the workspace's lock file and cargo config.
          !CARGO_FILES.has(file) || file === 'Cargo.toml'
        : file === dir || file.startsWith(`${dir}/`),
    );
    if (owner) owners.add(owner[0]);
  }
  return [...owners].sort();
}

/**
 * Fills in `changedCrates` and `files` of every crate-source cause whose two trees still exist. When
 * only root Cargo files differ, the cause is really Cargo.lock (or the manifests).
 */
export async function refineCrateSources(
  explanation: RebuildExplanation,
  crateDirs: Readonly<Record<string, string>>,
): Promise<RebuildExplanation> {
  const causes = await Promise.all(
    explanation.causes.map(async (cause): Promise<RebuildCause> => {
      if (cause.kind !== 'crate-source') return cause;
      const files = await changedFiles(cause.from, cause.to);
      if (files === null) return cause;
      const changedCrates = cratesOwning(files, crateDirs);
      if (changedCrates.length === 0 && files.length > 0 && files.every((f) => CARGO_FILES.has(f))) {
        return {
          kind: files.every((f) => f === 'Cargo.lock') ? 'cargo-lock' : 'cargo-manifests',
          via: cause.via,
        };
      }
      return { ...cause, files, changedCrates };
    }),
  );
  return { ...explanation, causes: tidyCauses(causes) };
}
