import type { TomlTable } from './toml';

/** What a member may inherit with `key.workspace = true`, taken from its workspace root. */
export interface WorkspaceInheritance {
  rootManifest: string;
  rootDir: string;
  package: TomlTable | undefined;
  dependencies: TomlTable | undefined;
}

/** `[package]` keys that `key.workspace = true` may take from `[workspace.package]`. */
export const INHERITABLE_PACKAGE_KEYS = new Set([
  'version',
  'authors',
  'description',
  'documentation',
  'readme',
  'homepage',
  'repository',
  'license',
  'license-file',
  'keywords',
  'categories',
  'publish',
  'edition',
  'rust-version',
  'exclude',
  'include',
  'badges',
]);
