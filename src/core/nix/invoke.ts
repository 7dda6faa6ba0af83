// How the Nix queries here start `nix` and its legacy tools: one options type for all of them, the
// version probed once per binary and environment, and output checked before anyone parses it.
import * as path from 'node:path';
import { ensureSuccess, runProcess, type ProcessOptions, type RunProcess } from '../process';
import { nixArgs, nixDialect, probeNixVersion, type NixDialect, type NixVersion } from './nixCommand';

export interface NixRunOptions {
  /** The `nix` binary; `nix-store` is taken from beside it. Default: `nix` on PATH. */
  nix?: string;
  /** Passed to every process, e.g. a NIX_CONFIG (see ProcessOptions.env). */
  env?: ProcessOptions['env'];
  /** `env` is the whole environment rather than changes to this process's. */
  replaceEnv?: boolean;
  cwd?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Replaces `runProcess`, e.g. to count the processes started. */
  run?: RunProcess;
}

/** `nix-store`, `nix-instantiate`… from the same installation as `options.nix`. */
export function nixTool(tool: string, options: NixRunOptions = {}): string {
  const nix = options.nix ?? 'nix';
  return nix.includes('/') ? path.join(path.dirname(nix), tool) : tool;
}

/** The process options a NixRunOptions stands for, for runs of other programs with the same environment. */
export function processOptions(options: NixRunOptions, maxBuffer = 256 * 1024 * 1024): ProcessOptions {
  return {
    maxBuffer,
    ...(options.env !== undefined && { env: options.env }),
    ...(options.replaceEnv !== undefined && { replaceEnv: options.replaceEnv }),
    ...(options.cwd !== undefined && { cwd: options.cwd }),
    ...(options.signal !== undefined && { signal: options.signal }),
    ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
  };
}

/** Runs `nix <subcommand>` (flakes enabled, `--option` pairs) and returns stdout; throws ProcessError. */
export async function runNix(
  subcommand: readonly string[],
  options: NixRunOptions & { nixOptions?: Readonly<Record<string, string>> } = {},
): Promise<string> {
  const run = options.run ?? runProcess;
  const args = nixArgs(subcommand, options.nixOptions ? { options: options.nixOptions } : {});
  return ensureSuccess(await run(options.nix ?? 'nix', args, processOptions(options))).stdout;
}

/** Runs a legacy tool (`nix-store`…) beside `options.nix`; throws ProcessError. */
export async function runNixTool(
  tool: string,
  args: readonly string[],
  options: NixRunOptions = {},
): Promise<string> {
  const run = options.run ?? runProcess;
  return ensureSuccess(await run(nixTool(tool, options), args, processOptions(options))).stdout;
}

const versions = new Map<string, Promise<NixVersion>>();

/** The version of `options.nix`, probed once per binary. */
export function nixVersionOf(options: NixRunOptions = {}): Promise<NixVersion> {
  const key = options.nix ?? 'nix';
  let version = versions.get(key);
  if (version === undefined) {
    version = probeNixVersion(options.run ?? runProcess, { ...processOptions(options), nix: key });
    // A failed probe (nix missing) is retried next time rather than remembered.
    version.catch(() => versions.delete(key));
    versions.set(key, version);
  }
  return version;
}

export async function dialectOf(options: NixRunOptions = {}): Promise<NixDialect> {
  return nixDialect(await nixVersionOf(options));
}
