import * as os from 'node:os';
import * as path from 'node:path';
import { under, type FsCache } from './fsCache';
import { parseToml, str, strings, table, type TomlTable } from './toml';

// Cargo reads `.cargo/config.toml` (or legacy `.cargo/config`) in the directory it runs in and
// every parent, then $CARGO_HOME's. The model reads only the keys it needs: `build.target` and
// `[registries.NAME].index`.

interface ConfigFile {
  file: string;
  value: TomlTable;
}

const chains = new WeakMap<FsCache, Map<string, ConfigFile[]>>();

/** The config files cargo would read from `dir`, nearest first; memoised per directory for one run. */
function configFiles(dir: string, fsCache: FsCache): ConfigFile[] {
  let memo = chains.get(fsCache);
  if (!memo) chains.set(fsCache, (memo = new Map()));
  const known = memo.get(dir);
  if (known) return known;
  const parent = path.dirname(dir);
  const own = readConfig(under(dir, '.cargo'), fsCache);
  const rest =
    parent === dir
      ? readConfigList(process.env['CARGO_HOME'] ?? path.join(os.homedir(), '.cargo'), fsCache)
      : configFiles(parent, fsCache);
  const files = own ? [own, ...rest] : rest;
  memo.set(dir, files);
  return files;
}

function readConfigList(folder: string, fsCache: FsCache): ConfigFile[] {
  const config = readConfig(folder, fsCache);
  return config ? [config] : [];
}

/** cargo reads `config` only when there is no `config.toml`. */
function readConfig(folder: string, fsCache: FsCache): ConfigFile | undefined {
  for (const name of ['config.toml', 'config']) {
    const file = under(folder, name);
    if (!fsCache.isFile(file)) continue;
    const parsed = parseToml(fsCache.readText(file) ?? '', file);
    return parsed.ok ? { file, value: parsed.value } : undefined;
  }
  return undefined;
}

/** `build.target` cargo would use when run in `dir`. */
export function findBuildTarget(dir: string, fsCache: FsCache): { target: string; file: string } | null {
  for (const { file, value } of configFiles(dir, fsCache)) {
    const build = table(value['build']);
    const target = str(build?.['target']) ?? strings(build?.['target'])?.[0];
    if (target) return { target, file };
  }
  return null;
}

/** The index URL of a named registry, from `CARGO_REGISTRIES_<NAME>_INDEX` or cargo's config. */
export function findRegistryIndex(name: string, dir: string, fsCache: FsCache): string | null {
  const fromEnv = process.env[`CARGO_REGISTRIES_${name.toUpperCase().replace(/-/g, '_')}_INDEX`];
  if (fromEnv) return fromEnv;
  for (const { value } of configFiles(dir, fsCache)) {
    const index = str(table(table(value['registries'])?.[name])?.['index']);
    if (index) return index;
  }
  return null;
}

/** A registry index as cargo names its source: sparse indexes keep their `sparse+` scheme. */
export function registrySource(index: string): string {
  return index.startsWith('sparse+') ? index : `registry+${index}`;
}
