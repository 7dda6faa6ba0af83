// Argument vectors for `nix` and the version probe that decides which JSON dialect to expect.
import { ensureSuccess, runProcess, type ProcessOptions, type RunProcess } from '../process';

export interface NixArgsOptions {
  /** Settings passed as `--option NAME VALUE`, e.g. `{ substituters: '' }`. */
  options?: Readonly<Record<string, string>>;
}

// Letting a flake's `nixConfig` change settings such as substituters or trusted keys hands the
// workspace's author control over what the user's machine downloads and trusts.
const ACCEPT_FLAKE_CONFIG = /^(extra-)?accept-flake-config$/;
const ACCEPT_FLAKE_CONFIG_FLAG = /^--(no-)?(extra-)?accept-flake-config(=.*)?$/;

export class UnsafeNixArgumentError extends Error {
  constructor(what: string) {
    super(`Refusing to run nix with ${what}: a flake's nixConfig must never be accepted automatically`);
    this.name = 'UnsafeNixArgumentError';
  }
}

/**
 * The argv after `nix`: flakes enabled (even where nix.conf does not enable them), the given
 * `--option` pairs, then `subcommand`. Throws `UnsafeNixArgumentError` for `accept-flake-config`
 * in any form.
 */
export function nixArgs(subcommand: readonly string[], opts: NixArgsOptions = {}): string[] {
  const options = Object.entries(opts.options ?? {});
  for (const [name] of options) {
    if (ACCEPT_FLAKE_CONFIG.test(name)) throw new UnsafeNixArgumentError(`--option ${name}`);
    if (!/^[\w.-]+$/.test(name)) throw new Error(`Invalid nix option name: ${JSON.stringify(name)}`);
  }
  subcommand.forEach((arg, i) => {
    const previous = subcommand[i - 1];
    const isOptionName = previous === '--option' || previous === '--extra-option';
    if (ACCEPT_FLAKE_CONFIG_FLAG.test(arg) || (isOptionName && ACCEPT_FLAKE_CONFIG.test(arg))) {
      throw new UnsafeNixArgumentError(isOptionName ? `${previous} ${arg}` : arg);
    }
  });
  return [
    '--extra-experimental-features',
    'nix-command flakes',
    ...options.flatMap(([name, value]) => ['--option', name, value]),
    ...subcommand,
  ];
}

export interface NixVersion {
  major: number;
  minor: number;
  patch: number;
  /** The first line nix printed, e.g. `nix (Nix) 2.18.1pre20231027_abcdef`. */
  raw: string;
}

/**
 * Reads `nix --version` output: `nix (Nix) 2.8.0`, `nix (Lix, like Nix) 2.91.1`,
 * `nix (Determinate Nix 3.6.2) 2.29.0`. The parenthesised product name is skipped so the Nix
 * version it is compatible with is what counts. `null` unless the line starts with `nix` and
 * holds a version.
 */
export function parseNixVersion(stdout: string): NixVersion | null {
  const raw = stdout.trim().split('\n')[0]?.trim() ?? '';
  // Other GNU-style tools print `name (product) x.y` too.
  const match = /^nix\b\D*(\d+)\.(\d+)(?:\.(\d+))?/.exec(raw.replace(/\([^)]*\)/g, ''));
  if (!match) return null;
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3] ?? 0), raw };
}

/**
 * `'modern'` from Nix 2.18 on, whose JSON differs from 2.8's (`path-info --json` keyed by path,
 * `derivation show` instead of `show-derivation`, …). Versions before 2.18 count as 2.8.
 */
export type NixDialect = '2.8' | 'modern';

export function nixDialect(version: Pick<NixVersion, 'major' | 'minor'>): NixDialect {
  return version.major > 2 || (version.major === 2 && version.minor >= 18) ? 'modern' : '2.8';
}

/**
 * Runs `nix --version`. Throws `CommandNotFoundError` when nix is missing, `ProcessError` when it
 * fails, and an `Error` when the output holds no version.
 */
export async function probeNixVersion(
  run: RunProcess = runProcess,
  options: ProcessOptions & { nix?: string } = {},
): Promise<NixVersion> {
  const { nix = 'nix', ...processOptions } = options;
  const result = ensureSuccess(await run(nix, ['--version'], processOptions));
  const version = parseNixVersion(result.stdout);
  if (!version)
    throw new Error(`Cannot read the Nix version from \`${nix} --version\`: ${result.stdout.trim()}`);
  return version;
}
