import { compareBytes, under, type FsCache } from './fsCache';

/** Never searched for manifests: build output, dependencies, VCS data, direnv caches. */
export const ALWAYS_SKIPPED = ['target', 'node_modules', '.git', '.direnv', '.hg', '.jj', '.svn'];
export const DEFAULT_MAX_DEPTH = 8;

/**
 * Every Cargo.toml below `root`, in byte order. Hidden directories and symbolic links are not
 * entered (that covers `result*` links into /nix/store and symlink loops); workspace members
 * behind links are still found later, through `members`, the way cargo finds them.
 */
export function findManifests(
  root: string,
  fsCache: FsCache,
  options: { ignoredDirectories?: readonly string[]; maxDepth?: number } = {},
): string[] {
  const skipped = new Set([...ALWAYS_SKIPPED, ...(options.ignoredDirectories ?? [])]);
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const found: string[] = [];
  const pending: Array<[string, number]> = [[root, 0]];
  while (pending.length > 0) {
    const [dir, depth] = pending.pop() ?? ['', 0];
    const entries = fsCache.list(dir);
    if (!entries) continue;
    if (entries.get('Cargo.toml') === 'file') found.push(under(dir, 'Cargo.toml'));
    if (depth >= maxDepth) continue;
    for (const [name, kind] of entries) {
      if (kind === 'dir' && !name.startsWith('.') && !skipped.has(name))
        pending.push([under(dir, name), depth + 1]);
    }
  }
  return found.sort(compareBytes);
}
