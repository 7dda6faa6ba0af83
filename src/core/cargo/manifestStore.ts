import * as path from 'node:path';
import type { FsCache } from './fsCache';
import type { WorkspaceInheritance } from './inheritance';
import { locateKey, valueColumn } from './locate';
import { dashed, describeTomlValue, parseToml, strings, table, str, type TomlTable } from './toml';
import type { Problem } from './types';

export interface LoadedManifest {
  path: string;
  text: string;
  /** null when the file is missing or does not parse. */
  manifest: TomlTable | null;
  problem?: Problem;
}

export type WorkspaceConfig =
  | {
      kind: 'root';
      rootDir: string;
      members: string[] | undefined;
      exclude: string[];
      defaultMembers: string[] | undefined;
      /** `members` and `exclude` as absolute paths, for cargo's prefix test of exclusion. */
      memberPrefixes: string[];
      excludePrefixes: string[];
    }
  | { kind: 'member'; pointer: string | undefined };

/** Reads and parses each manifest once per detection run. */
export class ManifestStore {
  private readonly loaded = new Map<string, LoadedManifest>();
  private readonly configs = new WeakMap<LoadedManifest, WorkspaceConfig>();

  constructor(readonly fsCache: FsCache) {}

  load(manifestPath: string): LoadedManifest {
    let entry = this.loaded.get(manifestPath);
    if (!entry) {
      entry = read(manifestPath, this.fsCache);
      this.loaded.set(manifestPath, entry);
    }
    return entry;
  }

  exists(manifestPath: string): boolean {
    return this.fsCache.isFile(manifestPath);
  }

  config(loaded: LoadedManifest): WorkspaceConfig {
    let config = this.configs.get(loaded);
    if (!config) {
      config = readConfig(loaded);
      this.configs.set(loaded, config);
    }
    return config;
  }

  inheritance(rootManifest: string): WorkspaceInheritance | null {
    const workspace = table(this.load(rootManifest).manifest?.['workspace']);
    if (!workspace) return null;
    return {
      rootManifest,
      rootDir: path.dirname(rootManifest),
      package: table(workspace['package']),
      dependencies: table(workspace['dependencies']),
    };
  }
}

function readConfig(loaded: LoadedManifest): WorkspaceConfig {
  const workspace = table(loaded.manifest?.['workspace']);
  if (!workspace) return { kind: 'member', pointer: str(table(loaded.manifest?.['package'])?.['workspace']) };
  const rootDir = path.dirname(loaded.path);
  const members = strings(workspace['members']);
  const exclude = strings(workspace['exclude']) ?? [];
  const absolute = (entries: string[]) => entries.map((entry) => path.resolve(rootDir, entry));
  return {
    kind: 'root',
    rootDir,
    members,
    exclude,
    defaultMembers: strings(workspace['default-members']),
    memberPrefixes: absolute(members ?? []),
    excludePrefixes: absolute(exclude),
  };
}

function read(manifestPath: string, fsCache: FsCache): LoadedManifest {
  const text = fsCache.readText(manifestPath);
  if (text === null) {
    return {
      path: manifestPath,
      text: '',
      manifest: null,
      problem: {
        file: manifestPath,
        line: 0,
        column: 0,
        message: `failed to read \`${manifestPath}\``,
        severity: 'error',
      },
    };
  }
  const parsed = parseToml(text, manifestPath);
  if (!parsed.ok) {
    const problem = {
      ...parsed.problem,
      message: parsed.problem.message.replace(/^could not parse TOML/, 'failed to parse manifest'),
    };
    return { path: manifestPath, text, manifest: null, problem };
  }
  const virtualProblem = checkVirtualManifest(parsed.value);
  if (virtualProblem !== undefined) {
    // cargo refuses it wherever it meets it (as a member, or as an ancestor in its root search),
    // without a position.
    const problem: Problem = {
      file: manifestPath,
      line: 0,
      column: 0,
      message: virtualProblem,
      severity: 'error',
    };
    return { path: manifestPath, text, manifest: null, problem };
  }
  const shapeProblem = checkWorkspaceShape(parsed.value, text, manifestPath);
  return {
    path: manifestPath,
    text,
    manifest: parsed.value,
    ...(shapeProblem ? { problem: shapeProblem } : {}),
  };
}

// What only a package may have; cargo checks them in this order (util/toml/mod.rs, to_virtual_manifest).
const PACKAGE_ONLY = [
  'lib',
  'bin',
  'example',
  'test',
  'bench',
  'dependencies',
  'dev-dependencies',
  'build-dependencies',
  'features',
  'target',
  'badges',
];

/** cargo's error for a manifest without `[package]`: a package-only section, or no `[workspace]` either. */
function checkVirtualManifest(manifest: TomlTable): string | undefined {
  if (manifest['package'] !== undefined || manifest['project'] !== undefined) return undefined;
  const section = PACKAGE_ONLY.find((key) => dashed(manifest, key) !== undefined);
  if (section !== undefined)
    return `failed to parse manifest: this virtual manifest specifies a \`${section}\` section, which is not allowed`;
  if (manifest['workspace'] === undefined)
    return 'failed to parse manifest: manifest is missing either a `[package]` or a `[workspace]`';
  return undefined;
}

/** cargo refuses a manifest whose `[workspace]` lists are not lists of strings; so do we, at the value. */
function checkWorkspaceShape(manifest: TomlTable, text: string, file: string): Problem | undefined {
  const workspace = manifest['workspace'];
  if (workspace === undefined) return undefined;
  const section = table(workspace);
  if (!section) {
    // `[[workspace]]` (an array of tables) has no `workspace =` to point at: cargo points at the header.
    const header = text.split('\n').findIndex((line) => /^\s*\[\[\s*workspace\s*\]\]/.test(line));
    const at =
      header >= 0 ? locateKey(text, 'workspace') : valueColumn(text, locateKey(text, '', 'workspace'));
    return {
      file,
      ...at,
      message: `invalid type: ${describeTomlValue(workspace)}, expected a table`,
      severity: 'error',
    };
  }
  for (const key of ['members', 'exclude', 'default-members']) {
    const value = section[key];
    if (value === undefined || strings(value)) continue;
    const wrong = Array.isArray(value) ? value.find((v) => typeof v !== 'string') : value;
    const expected = Array.isArray(value) ? 'a string' : 'a sequence';
    const at = valueColumn(text, locateKey(text, 'workspace', key));
    return {
      file,
      ...at,
      message: `invalid type: ${describeTomlValue(wrong)}, expected ${expected} for \`workspace.${key}\``,
      severity: 'error',
    };
  }
  return undefined;
}
