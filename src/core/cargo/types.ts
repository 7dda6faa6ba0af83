// The workspace model. Package, target and dependency objects use the field names of
// `cargo metadata --format-version 1` so the two can be compared field by field; Nixify's own
// additions live under `nixify` (per package) or on the workspace object.

/** Something wrong with the input. Positions are 1-based; 0 means "unknown". */
export interface Problem {
  file: string;
  line: number;
  column: number;
  message: string;
  severity: 'error' | 'warning';
}

export interface CargoTarget {
  name: string;
  /** `lib`/`rlib`/`cdylib`/…, `bin`, `example`, `test`, `bench`, `custom-build`, `proc-macro`. */
  kind: string[];
  crate_types: string[];
  'required-features'?: string[];
  src_path: string;
  edition: string;
  doc: boolean;
  doctest: boolean;
  test: boolean;
}

export type DependencyKind = null | 'dev' | 'build';

export interface CargoDependency {
  /** The package name (`package = "…"` when renamed). */
  name: string;
  source: string | null;
  req: string;
  kind: DependencyKind;
  /** The key in the manifest when it differs from the package name. */
  rename: string | null;
  optional: boolean;
  uses_default_features: boolean;
  features: string[];
  /** A `cfg(…)` expression or a target triple for `[target.…]` tables, as cargo prints it. */
  target: string | null;
  registry: string | null;
  /** Absolute directory of a path dependency. */
  path?: string;
}

export interface CargoPackage {
  name: string;
  version: string;
  id: string;
  license: string | null;
  license_file: string | null;
  description: string | null;
  source: null;
  dependencies: CargoDependency[];
  targets: CargoTarget[];
  features: Record<string, string[]>;
  manifest_path: string;
  metadata: unknown;
  publish: string[] | null;
  authors: string[];
  categories: string[];
  keywords: string[];
  repository: string | null;
  homepage: string | null;
  documentation: string | null;
  edition: string;
  links: string | null;
  default_run: string | null;
  rust_version: string | null;
  nixify: PackageExtras;
}

/** What Nixify needs to know about a package beyond cargo metadata. */
export interface PackageExtras {
  /** Names of workspace members this package depends on by path (any kind, any target). */
  path_dependencies: string[];
  /** Set when the crate is meant to be built for wasm32. */
  wasm: WasmInfo | null;
  /** True when the package has a binary target. */
  has_binary: boolean;
  /** `lib.crate-type` includes cdylib. */
  has_cdylib: boolean;
}

export interface WasmInfo {
  target: string;
  /** Why we think so, e.g. "cdylib depending on wasm-bindgen", "Trunk.toml", "[package.metadata.leptos]". */
  reasons: string[];
  /** wasm-bindgen version locked in Cargo.lock, when it is used. */
  wasm_bindgen_version: string | null;
}

export interface LockedPackage {
  name: string;
  version: string;
  source: string | null;
  checksum: string | null;
}

export interface Lockfile {
  path: string;
  version: number;
  packages: LockedPackage[];
}

export interface ToolchainFile {
  path: string;
  channel: string | null;
  components: string[];
  targets: string[];
  profile: string | null;
}

export interface SystemLibrary {
  /** The crate in Cargo.lock that needs it. */
  crate: string;
  /** nixpkgs attribute names. */
  buildInputs: string[];
  nativeBuildInputs: string[];
  /** Extra environment the build needs, e.g. LIBCLANG_PATH for bindgen. */
  why: string;
}

export interface Workspace {
  /** Directory of the root manifest. */
  root: string;
  manifest_path: string;
  /** A `[workspace]` without `[package]`. */
  virtual: boolean;
  /** False for a package that is not part of any `[workspace]` (cargo treats it as a workspace of one). */
  explicit: boolean;
  packages: CargoPackage[];
  /** Package ids, in cargo's order. */
  workspace_members: string[];
  workspace_default_members: string[];
  lockfile: Lockfile | null;
  toolchain: ToolchainFile | null;
  system_libraries: SystemLibrary[];
  /** Trunk.toml / .cargo/config.toml build.target found at the root. */
  build_target: string | null;
  problems: Problem[];
}

export interface DetectResult {
  /** The directory that was searched. */
  root: string;
  workspaces: Workspace[];
  /** Problems that belong to no workspace (unreadable directories, stray manifests). */
  problems: Problem[];
}

export interface DetectOptions {
  /** Directory names skipped by the search, on top of the built-in ones. */
  ignoredDirectories?: readonly string[];
  /** How deep below the root the search for manifests goes. */
  maxDepth?: number;
}
