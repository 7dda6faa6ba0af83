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
  /**
   * Set when the crate is built for wasm32 on its own. Null for the crates of Leptos sites, which
   * are built as sites (see `leptos`), as nix/wasm.nix leaves them to nix/leptos.nix.
   */
  wasm: WasmInfo | null;
  /** Set when the package is the server or the browser half of Leptos sites. */
  leptos: LeptosPackage | null;
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

/** A package's part in Leptos sites (cargo-leptos projects). */
export interface LeptosPackage {
  /** The `bin-package` of a site: built natively, as the server. */
  server: boolean;
  /** The `lib-package` of a site: built for wasm32, then through wasm-bindgen. */
  front: boolean;
  sites: LeptosSite[];
}

/** One cargo-leptos project, with cargo-leptos's defaults filled in. Keys as in the metadata. */
export interface LeptosSite {
  /** `[package.metadata.leptos]` of one package, or an entry of `[[workspace.metadata.leptos]]`. */
  source: 'package' | 'workspace';
  /** The package's name, or the entry's `name`. */
  name: string;
  /** The directory its relative paths start from, relative to the workspace root ("" for the root). */
  config_dir: string;
  output_name: string;
  bin_package: string;
  lib_package: string;
  bin_target: string | null;
  bin_target_triple: string | null;
  /** `features` followed by `bin-features`. */
  bin_features: string[];
  /** `features` followed by `lib-features`. */
  lib_features: string[];
  /** false: cargo-leptos passes --no-default-features (its default). */
  bin_default_features: boolean;
  lib_default_features: boolean;
  site_root: string;
  site_pkg_dir: string;
  site_addr: string;
  reload_port: number;
  assets_dir: string | null;
  style_file: string | null;
  tailwind_input_file: string | null;
  tailwind_config_file: string | null;
  /** `env` (LEPTOS_ENV: DEV or PROD) when the metadata sets it. */
  env: string | null;
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
