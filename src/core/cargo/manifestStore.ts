import * as path from 'node:path';
import type { FsCache } from './fsCache';
import type { WorkspaceInheritance } from './inheritance';
import { parseToml, strings, table, str, type TomlTable } from './toml';
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
    }
  | { kind: 'member'; pointer: string | undefined };

/** Reads and parses each manifest once per detection run. */
export class ManifestStore {
  private readonly loaded = new Map<string, LoadedManifest>();

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
    const workspace = table(loaded.manifest?.['workspace']);
    if (workspace) {
      return {
        kind: 'root',
        rootDir: path.dirname(loaded.path),
        members: strings(workspace['members']),
        exclude: strings(workspace['exclude']) ?? [],
        defaultMembers: strings(workspace['default-members']),
      };
    }
    const pkg = table(loaded.manifest?.['package']);
    return { kind: 'member', pointer: str(pkg?.['workspace']) };
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
  if (!parsed.ok) return { path: manifestPath, text, manifest: null, problem: parsed.problem };
  const shapeProblem = checkWorkspaceShape(parsed.value, text, manifestPath);
  return {
    path: manifestPath,
    text,
    manifest: parsed.value,
    ...(shapeProblem ? { problem: shapeProblem } : {}),
  };
}

/** cargo refuses a manifest whose `[workspace]` lists are not lists of strings; so do we, with a position. */
function checkWorkspaceShape(manifest: TomlTable, text: string, file: string): Problem | undefined {
  const workspace = manifest['workspace'];
  if (workspace === undefined) return undefined;
  const lineOf = (key: string) => {
    const index = text.split('\n').findIndex((l) => new RegExp(`^\\s*${key}\\s*=`).test(l));
    return index >= 0 ? index + 1 : 1;
  };
  if (!table(workspace)) {
    return {
      file,
      line: lineOf('workspace'),
      column: 1,
      message: 'invalid type: `workspace` must be a table',
      severity: 'error',
    };
  }
  for (const key of ['members', 'exclude', 'default-members']) {
    const value = (workspace as TomlTable)[key];
    if (value !== undefined && !strings(value)) {
      return {
        file,
        line: lineOf(key),
        column: 1,
        message: `invalid type: \`workspace.${key}\` must be an array of strings`,
        severity: 'error',
      };
    }
  }
  return undefined;
}
