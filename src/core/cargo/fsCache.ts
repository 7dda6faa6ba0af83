import * as fs from 'node:fs';

export type EntryKind = 'file' | 'dir' | 'symlink' | 'other';

/**
 * Memoised directory listings for one detection run. Target discovery asks "does src/lib.rs exist?"
 * many times per crate; answering from the listing the walk already made halves the syscalls.
 * Symlinks are resolved lazily so that a link loop costs one failed stat, never a hang.
 */
export class FsCache {
  private readonly listings = new Map<string, Map<string, EntryKind> | null>();
  private readonly texts = new Map<string, string | null>();

  /** Entries of `dir`, or null when it is not a readable directory. */
  list(dir: string): Map<string, EntryKind> | null {
    let entries = this.listings.get(dir);
    if (entries === undefined) {
      // Most crates have no examples/, tests/ or benches/: the parent's listing says so without
      // a failing readdir (an exception each, which dominated detection time).
      const slash = dir.lastIndexOf('/');
      const parent = this.listings.get(slash > 0 ? dir.slice(0, slash) : '/');
      const kind = parent?.get(dir.slice(slash + 1));
      entries = parent && kind !== 'dir' && kind !== 'symlink' ? null : readListing(dir);
      this.listings.set(dir, entries);
    }
    return entries;
  }

  kind(file: string): EntryKind | null {
    const slash = file.lastIndexOf('/');
    const entry = this.list(slash > 0 ? file.slice(0, slash) : '/')?.get(file.slice(slash + 1));
    if (entry !== 'symlink') return entry ?? null;
    try {
      const stat = fs.statSync(file);
      return stat.isDirectory() ? 'dir' : stat.isFile() ? 'file' : 'other';
    } catch {
      return null; // dangling link or loop
    }
  }

  isFile(file: string): boolean {
    return this.kind(file) === 'file';
  }

  isDir(dir: string): boolean {
    return this.kind(dir) === 'dir';
  }

  /** File contents as UTF-8, or null when the file cannot be read. */
  readText(file: string): string | null {
    let text = this.texts.get(file);
    if (text === undefined) {
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch {
        text = null;
      }
      this.texts.set(file, text);
    }
    return text;
  }
}

function readListing(dir: string): Map<string, EntryKind> | null {
  try {
    const result = new Map<string, EntryKind>();
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      result.set(
        entry.name,
        entry.isFile() ? 'file' : entry.isDirectory() ? 'dir' : entry.isSymbolicLink() ? 'symlink' : 'other',
      );
    }
    return result;
  } catch {
    return null;
  }
}

/** Byte-wise comparison, as Rust sorts `OsStr` (localeCompare would not match cargo's order). */
export function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * `path.join(dir, ...names)` for plain names below an absolute, normalised directory, without
 * re-normalising: path.join showed up at 7% of detection time.
 */
export function under(dir: string, ...names: string[]): string {
  return (dir.endsWith('/') ? dir : `${dir}/`) + names.join('/');
}
