import * as path from 'node:path';
import { findRegistryIndex, registrySource } from './cargoConfig';
import { formatPlatform } from './cfg';
import { compareBytes, type FsCache } from './fsCache';
import type { WorkspaceInheritance } from './inheritance';
import { packageNameError } from './packageName';
import { keyProblem } from './problems';
import { bool, dashed, invalidDependencyMessage, isTable, str, strings, table, type TomlTable } from './toml';
import { valueColumn } from './locate';
import type { CargoDependency, DependencyKind, Problem } from './types';
import { formatVersionReq } from './versionReq';

export const CRATES_IO = 'registry+https://github.com/rust-lang/crates.io-index';

const KIND_TABLES: ReadonlyArray<[string, DependencyKind]> = [
  ['dependencies', null],
  ['dev-dependencies', 'dev'],
  ['build-dependencies', 'build'],
];

export interface DependencyContext {
  manifestPath: string;
  edition: string;
  fsCache: FsCache;
  packageDir: string;
  text: string;
  workspace: WorkspaceInheritance | null;
  problems: Problem[];
}

/**
 * Every dependency of a manifest in cargo's order: the three kind tables, then each
 * `[target.X]` (keys in byte order) with its three kind tables; inside a table, keys in byte order.
 */
export function collectDependencies(manifest: TomlTable, ctx: DependencyContext): CargoDependency[] {
  const result: CargoDependency[] = [];
  const addTables = (owner: TomlTable, target: string | null, section: string) => {
    for (const [tableName, kind] of KIND_TABLES) {
      const deps = table(dashed(owner, tableName));
      if (!deps) continue;
      for (const key of Object.keys(deps).sort(compareBytes)) {
        const dep = toDependency(key, deps[key], kind, target, `${section}${tableName}`, ctx);
        if (dep) result.push(dep);
      }
    }
  };
  addTables(manifest, null, '');
  const targets = table(manifest['target']) ?? {};
  for (const key of Object.keys(targets).sort(compareBytes)) {
    const platform = formatPlatform(key);
    if (platform === null) {
      ctx.problems.push(
        keyProblem(ctx, 'target', undefined, `failed to parse \`${key}\` as a cfg expression`),
      );
    }
    const owner = table(targets[key]);
    if (owner) addTables(owner, platform ?? key, `target.${key}.`);
  }
  return result;
}

function toDependency(
  key: string,
  value: unknown,
  kind: DependencyKind,
  target: string | null,
  section: string,
  ctx: DependencyContext,
): CargoDependency | null {
  let detail: TomlTable;
  let baseDir = ctx.packageDir;
  if (typeof value === 'string') {
    detail = { version: value };
  } else if (isTable(value)) {
    detail = value;
  } else {
    const at = keyProblem(ctx, section, key, invalidDependencyMessage(value));
    ctx.problems.push({ ...at, ...valueColumn(ctx.text, at) });
    return null;
  }
  if (detail['workspace'] === true) {
    const inherited = inheritDependency(key, detail, ctx, section);
    if (!inherited) return null;
    detail = inherited;
    baseDir = ctx.workspace?.rootDir ?? baseDir;
  }

  const packageName = str(detail['package']);
  // cargo refuses a dependency whose key (or `package`) is no valid package name, at the key.
  for (const name of packageName === undefined ? [key] : [key, packageName]) {
    const nameError = packageNameError(name);
    if (nameError !== undefined) ctx.problems.push(keyProblem(ctx, section, key, nameError));
  }
  const version = str(detail['version']);
  let req = '*';
  if (version !== undefined) {
    const formatted = formatVersionReq(version);
    if (formatted === null) {
      ctx.problems.push(
        keyProblem(
          ctx,
          section,
          key,
          `failed to parse the version requirement \`${version}\` for dependency \`${key}\``,
        ),
      );
    }
    req = formatted ?? version;
  }
  const dependency: CargoDependency = {
    name: packageName ?? key,
    source: CRATES_IO,
    req,
    kind,
    rename: packageName !== undefined ? key : null,
    optional: bool(detail['optional']) ?? false,
    uses_default_features: bool(dashed(detail, 'default-features')) ?? true,
    features: strings(detail['features']) ?? [],
    target,
    registry: null,
  };
  const depPath = str(detail['path']);
  const git = str(detail['git']);
  const registryIndex = str(dashed(detail, 'registry-index'));
  const registryName = str(detail['registry']);
  if (depPath !== undefined) {
    dependency.source = null;
    dependency.path = path.resolve(baseDir, depPath);
  } else if (git !== undefined) {
    dependency.source = `git+${git}${gitReferenceQuery(detail)}`;
  } else if (registryIndex !== undefined) {
    dependency.source = registrySource(registryIndex);
    dependency.registry = registryIndex;
  } else if (registryName !== undefined) {
    const index = findRegistryIndex(registryName, ctx.packageDir, ctx.fsCache);
    if (index === null) {
      ctx.problems.push(
        keyProblem(
          ctx,
          section,
          key,
          `registry index was not found in any configuration: \`${registryName}\``,
        ),
      );
    }
    dependency.source = index === null ? null : registrySource(index);
    dependency.registry = index;
  }
  for (const unstable of ['public', 'base'] as const) {
    if (detail[unstable] !== undefined) {
      ctx.problems.push(
        keyProblem(
          ctx,
          section,
          key,
          `\`${unstable}\` in dependency \`${key}\` needs a nightly cargo feature (${unstable === 'public' ? 'public-dependency' : 'path-bases'})`,
        ),
      );
    }
  }
  return dependency;
}

function gitReferenceQuery(detail: TomlTable): string {
  for (const ref of ['branch', 'tag', 'rev']) {
    const value = str(detail[ref]);
    if (value !== undefined) return `?${ref}=${value}`; // cargo prints the ref as written
  }
  return '';
}

/** `dep = { workspace = true, … }`, merged as cargo merges it with `[workspace.dependencies]`. */
function inheritDependency(
  key: string,
  member: TomlTable,
  ctx: DependencyContext,
  section: string,
): TomlTable | null {
  const fromWorkspace = ctx.workspace?.dependencies?.[key];
  if (fromWorkspace === undefined) {
    const where = ctx.workspace
      ? `\`dependency.${key}\` was not found in \`workspace.dependencies\``
      : 'no workspace root was found';
    ctx.problems.push(
      keyProblem(
        ctx,
        section,
        key,
        `error inheriting \`${key}\` from workspace root manifest's \`workspace.dependencies.${key}\`: ${where}`,
      ),
    );
    return null;
  }
  const memberFeatures = strings(member['features']);
  if (typeof fromWorkspace === 'string') {
    return { version: fromWorkspace, optional: member['optional'], features: memberFeatures };
  }
  if (!isTable(fromWorkspace)) return null;
  const merged: TomlTable = { ...fromWorkspace };
  const memberDefault = bool(dashed(member, 'default-features'));
  const workspaceDefault = bool(dashed(fromWorkspace, 'default-features'));
  // A member may turn default features back on, never off: cargo ignores that with a warning,
  // and from edition 2024 on refuses it.
  if (memberDefault === true && workspaceDefault === false) merged['default-features'] = true;
  if (memberDefault === false && workspaceDefault !== false && ctx.edition >= '2024') {
    ctx.problems.push(
      keyProblem(
        ctx,
        section,
        key,
        `\`default-features = false\` cannot override workspace's \`default-features\` (dependency \`${key}\`)`,
      ),
    );
  }
  merged['features'] = [...(strings(fromWorkspace['features']) ?? []), ...(memberFeatures ?? [])];
  merged['optional'] = member['optional'];
  return merged;
}
