import * as path from 'node:path';
import { compareBytes, type FsCache } from './fsCache';

// Workspace `members`/`exclude` patterns expanded the way cargo does it (the `glob` crate): one
// pattern per path component, `*` and `?` never cross `/`, `[ab]`, `[a-z]`, `[!x]` classes, `**` for
// any depth, a leading dot needs no literal dot, results in byte order, files and dirs alike (the
// caller keeps directories).

const MAX_GLOBSTAR_DEPTH = 32;

export function hasGlobMagic(pattern: string): boolean {
  return /[*?[]/.test(pattern);
}

/** Existing paths matching an absolute pattern, sorted as cargo sees them. */
export function expandGlob(pattern: string, fsCache: FsCache): string[] {
  const absolute = path.resolve(pattern);
  const components = absolute.split('/').filter((c) => c !== '');
  const results: string[] = [];
  walk('/', components, 0, fsCache, results, 0);
  return results;
}

function walk(
  base: string,
  components: string[],
  index: number,
  fsCache: FsCache,
  out: string[],
  globstarDepth: number,
): void {
  if (index === components.length) {
    out.push(base);
    return;
  }
  const component = components[index] ?? '';
  if (component === '**') {
    // Zero directories, then one more level at a time (bounded so that a symlink loop cannot spin).
    walk(base, components, index + 1, fsCache, out, globstarDepth);
    if (globstarDepth >= MAX_GLOBSTAR_DEPTH) return;
    for (const name of sortedNames(base, fsCache)) {
      const child = path.join(base, name);
      if (fsCache.isDir(child)) walk(child, components, index, fsCache, out, globstarDepth + 1);
    }
    return;
  }
  if (!hasGlobMagic(component)) {
    const child = path.join(base, component);
    if (fsCache.kind(child) !== null) walk(child, components, index + 1, fsCache, out, globstarDepth);
    return;
  }
  const matcher = compileComponent(component);
  for (const name of sortedNames(base, fsCache)) {
    if (!matcher.test(name)) continue;
    const child = path.join(base, name);
    if (index + 1 < components.length && !fsCache.isDir(child)) continue;
    walk(child, components, index + 1, fsCache, out, globstarDepth);
  }
}

function sortedNames(dir: string, fsCache: FsCache): string[] {
  return [...(fsCache.list(dir)?.keys() ?? [])].sort(compareBytes);
}

/** One path component of a glob as an anchored RegExp. */
export function compileComponent(component: string): RegExp {
  let source = '';
  for (let i = 0; i < component.length; i++) {
    const ch = component[i] ?? '';
    if (ch === '*') {
      source += '[^/]*';
    } else if (ch === '?') {
      source += '[^/]';
    } else if (ch === '[') {
      const close = component.indexOf(']', i + 2);
      if (close < 0) {
        source += '\\[';
        continue;
      }
      let body = component.slice(i + 1, close);
      const negated = body.startsWith('!');
      if (negated) body = body.slice(1);
      const escaped = body.replace(/[\\\]^]/g, (c) => `\\${c}`);
      source += negated ? `[^/${escaped}]` : `[${escaped}]`;
      i = close;
    } else {
      source += ch.replace(/[.+^${}()|\\]/g, (c) => `\\${c}`);
    }
  }
  return new RegExp(`^${source}$`);
}
