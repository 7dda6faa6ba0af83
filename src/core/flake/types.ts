// The choices behind a generated flake and the files it becomes. Pure data: the extension's quick
// pick, the CLI's flags and the header comment of a generated flake.nix all map onto `InitOptions`.

/** Where rustc and cargo come from. */
export type ToolchainSource = 'rust-overlay' | 'fenix' | 'nixpkgs';

/**
 * `workspace`: one dependency-artifacts derivation, and every crate built with the workspace's own
 * package selection so that cargo reuses it (each dependency compiled once). `per-crate`: one
 * dependency-artifacts derivation per crate, built for that crate alone (`-p`).
 */
export type DepsLayout = 'workspace' | 'per-crate';

/**
 * `planned`: a plan job evaluates the flake once and a matrix builds only what no trusted cache has,
 * in at most `ciMaxJobs` jobs. `single`: one job per OS runs `nix flake check` and `nix build`.
 */
export type CiMode = 'planned' | 'single';

/** How the CI workflow caches the Nix store between runs. */
export type CiCache = 'cachix' | 'github';

export interface InitOptions {
  toolchain: ToolchainSource;
  deps: DepsLayout;
  /** Build the crates the model marks as wasm for wasm32 (and bring their tools). */
  wasm: boolean;
  /** Write `.github/workflows/nix.yml`. */
  ci: boolean;
  ciMode: CiMode;
  /** The most build jobs a planned workflow starts (a system with work always gets one). */
  ciMaxJobs: number;
  /** Cachix cache name, or null for none. */
  cachix: string | null;
  /** `<name>.cachix.org-1:…`; null writes a placeholder that says where to find it. */
  cachixPublicKey: string | null;
  /** One `dockerTools.buildLayeredImage` per binary crate. */
  oci: boolean;
  /** `.envrc` with `use flake`. */
  envrc: boolean;
  /** Add `result*` and `.direnv` to `.gitignore`. */
  gitignore: boolean;
  /** `cargo nextest` instead of `cargo test` for the workspace test check. */
  nextest: boolean;
}

/** A file Nixify wants to write, relative to the workspace root. */
export interface PlannedFile {
  /** Forward slashes, relative to the workspace root, e.g. `nix/workspace.nix`. */
  path: string;
  content: string;
  /** What is on disk now, or null when the file does not exist. */
  existing: string | null;
  /**
   * `create`: new file. `unchanged`: identical on disk. `conflict`: a different file exists and
   * the user must choose. `update`: a merge Nixify can do without losing anything (appending
   * missing `.gitignore` lines) — still shown as a diff.
   */
  status: 'create' | 'unchanged' | 'conflict' | 'update';
  /** One line for previews: why this file exists. */
  purpose: string;
}

/** What to do with one planned file. `beside` writes `<stem>.nixify<ext>` next to the original. */
export type WriteDecision = 'write' | 'replace' | 'beside' | 'skip';

export interface WrittenFile {
  path: string;
  /** Absolute path actually written (differs from `path` for `beside`). */
  writtenTo: string | null;
  /** Absolute path of the backup made before replacing, if any. */
  backup: string | null;
  decision: WriteDecision;
}
