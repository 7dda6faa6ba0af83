// Which variables of a dev shell reach the user, and which are the build sandbox's leftovers.

/**
 * Colon-separated lists the shell's entries are put in front of, as `nix develop` does from Nix 2.18
 * on (2.8 replaced XDG_DATA_DIRS; the issue asks for the modern behaviour on every version).
 */
export const PREPENDED_VARIABLES: ReadonlySet<string> = new Set(['PATH', 'XDG_DATA_DIRS']);

/** `ignoreVars` in Nix's src/nix/develop.cc: never copied from the build environment into the shell. */
export const NIX_IGNORED_VARIABLES: ReadonlySet<string> = new Set([
  'BASHOPTS',
  'HOME',
  'NIX_BUILD_TOP',
  'NIX_ENFORCE_PURITY',
  'NIX_LOG_FD',
  'NIX_REMOTE',
  'PPID',
  'SHELL',
  'SHELLOPTS',
  'SSL_CERT_FILE',
  'TEMP',
  'TEMPDIR',
  'TERM',
  'TMP',
  'TMPDIR',
  'TZ',
  'UID',
]);

/**
 * Dropped on top of Nix's list. `nix develop` exports these too, but in an editor they only do harm:
 * the builder and output paths (`out`…) point at the sandbox or a directory that does not exist,
 * `NIX_ATTRS_*` at the sandbox's files, `shellHook` is code whose effects the delta already holds
 * (exporting its text into every terminal and language server helps nobody), and the rest is what
 * bash itself sets in any shell (or what we set to run node inside one).
 */
const EDITOR_DROPPED_VARIABLES: ReadonlySet<string> = new Set([
  'builder',
  'out',
  'NIX_ATTRS_JSON_FILE',
  'NIX_ATTRS_SH_FILE',
  'shellHook',
  // nix develop's temporary root for the run; the --profile link is ours.
  'NIX_GCROOT',
  'PWD',
  'OLDPWD',
  'SHLVL',
  '_',
  'ELECTRON_RUN_AS_NODE',
]);

/** True for variables a dev shell must not hand to the user; `outputNames` are the shell's outputs. */
export function isDroppedVariable(name: string, outputNames: ReadonlySet<string>): boolean {
  return NIX_IGNORED_VARIABLES.has(name) || EDITOR_DROPPED_VARIABLES.has(name) || outputNames.has(name);
}

/** What PATH is in a build whose derivation sets none; `nix develop` passes it on, to no use. */
const UNSET_PATH_MARKER = '/path-not-set';

/** A PATH-like value without the sandbox's placeholder entry (and without empty entries). */
export function withoutSandboxPathEntries(value: string): string {
  return value
    .split(':')
    .filter((entry) => entry !== '' && entry !== UNSET_PATH_MARKER)
    .join(':');
}
