// Plain data shared by the dev-shell core (evaluation, cache) and its adapters (VS Code, CLI).

/** Where a folder's dev shell comes from. */
export interface ShellSource {
  /** `flake`: `<folder>#devShells.<system>.<attr>`; otherwise a `shell.nix`/`default.nix` file. */
  kind: 'flake' | 'shell.nix' | 'default.nix';
  /** Absolute path of the folder holding flake.nix / shell.nix / default.nix. */
  folder: string;
  /** Dev shell attribute, e.g. `default` (flakes only; `''` for shell.nix/default.nix). */
  attr: string;
  /** Nix system, e.g. `x86_64-linux`, computed without running nix. */
  system: string;
}

/**
 * What the dev shell changes in a user's environment, without any of the build sandbox's leftovers
 * (`HOME=/homeless-shelter`, `TMP*`, `TEMP*`, `NIX_BUILD_TOP`, `out`, `builder`, `SHELL`, bash's
 * own `var`s…). Values may hold secrets: never log them, only names and counts.
 */
export interface EnvDelta {
  /** Variables set (exported) by the shell, including those its `shellHook` exports. */
  set: Record<string, string>;
  /**
   * PATH-like variables (`PATH`, `XDG_DATA_DIRS`) whose shell entries go in front of the user's
   * own value: the value is only the shell's part, joined with `:`.
   */
  prepend: Record<string, string>;
  /** Variables the shell's `shellHook` unsets. */
  unset: string[];
}

export interface DevShellEnv {
  source: ShellSource;
  delta: EnvDelta;
  /** The content key this environment was evaluated for (see `computeCacheKey`). */
  key: string;
  /** `--profile` link in the storage folder: the shell's closure is a GC root while it exists. */
  profile: string;
  /** ISO time of the evaluation, and how long it took. */
  evaluatedAt: string;
  durationMs: number;
  /** `nix --version` first line of the Nix that evaluated it. */
  nixVersion: string;
}

export interface LoadedDevShell {
  env: DevShellEnv;
  /** True when it came from the cache (no nix process ran). */
  fromCache: boolean;
  /** True when the cached environment's key differs from the files on disk now. */
  stale: boolean;
}
