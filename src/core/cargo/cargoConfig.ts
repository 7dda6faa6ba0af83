import * as path from 'node:path';
import type { FsCache } from './fsCache';
import { parseToml, str, strings, table } from './toml';

/**
 * `build.target` from the nearest `.cargo/config.toml` (or legacy `.cargo/config`) at or above
 * `dir`, as cargo would see it when run there. Only the key Nixify needs is read.
 */
export function findBuildTarget(dir: string, fsCache: FsCache): { target: string; file: string } | null {
  for (let current = dir; ; current = path.dirname(current)) {
    for (const name of ['config.toml', 'config']) {
      const file = path.join(current, '.cargo', name);
      if (!fsCache.isFile(file)) continue;
      const parsed = parseToml(fsCache.readText(file) ?? '', file);
      const build = parsed.ok ? table(parsed.value['build']) : undefined;
      const target = str(build?.['target']) ?? strings(build?.['target'])?.[0];
      if (target) return { target, file };
    }
    if (path.dirname(current) === current) return null;
  }
}
