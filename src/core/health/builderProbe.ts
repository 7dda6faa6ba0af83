// Opens each remote builder the way Nix's build hook does (its store URI with the spec's key and
// host key), through `nix store ping`/`store info`, with a time limit: an SSH server that accepts
// and never answers would otherwise hold the health check forever.
import type { BuildMachine } from '../nix/buildMachines';
import { processOptions, type NixRunOptions } from '../nix/invoke';
import { nixArgs, type NixVersion } from '../nix/nixCommand';
import { runProcess } from '../process';

export type BuilderProbe =
  | { kind: 'reachable'; output: string; durationMs: number }
  | { kind: 'unreachable'; stderr: string; timedOut: boolean; durationMs: number };

/** Default per builder: long enough for an SSH login and a Nix handshake over a slow link. */
export const BUILDER_TIMEOUT_MS = 8000;
/** The stopped `nix` gets this long after SIGTERM before SIGKILL, so the limit holds. */
const KILL_GRACE_MS = 500;

/**
 * The URI Nix opens for this machine: the spec's ssh-key and host-key fields become the store
 * parameters the build hook sets (`ssh-key`, `base64-ssh-public-host-key`).
 */
export function builderStoreUri(machine: BuildMachine): string {
  if (!/^ssh(-ng)?:\/\//.test(machine.uri)) return machine.uri;
  const params = [
    ...(machine.sshKey === null ? [] : [`ssh-key=${encodeURIComponent(machine.sshKey)}`]),
    ...(machine.publicHostKey === null
      ? []
      : [`base64-ssh-public-host-key=${encodeURIComponent(machine.publicHostKey)}`]),
  ];
  if (params.length === 0) return machine.uri;
  return `${machine.uri}${machine.uri.includes('?') ? '&' : '?'}${params.join('&')}`;
}

/** `store info` from 2.19 on; before, `store ping` (which later Nix keeps only as a deprecated alias). */
export function storeInfoVerb(version: Pick<NixVersion, 'major' | 'minor'>): 'info' | 'ping' {
  return version.major > 2 || (version.major === 2 && version.minor >= 19) ? 'info' : 'ping';
}

/**
 * NIX_SSHOPTS for the probe: the user's own options first (ssh keeps the first value it reads, so
 * theirs win), then no prompts and a connect timeout below the probe's own limit.
 */
export function probeSshOptions(userOptions: string | undefined, timeoutMs: number): string {
  const seconds = Math.max(1, Math.floor(timeoutMs / 1000) - 1);
  const ours = `-o ConnectTimeout=${seconds} -o BatchMode=yes`;
  return userOptions === undefined || userOptions.trim() === '' ? ours : `${userOptions} ${ours}`;
}

export async function probeBuilder(
  machine: BuildMachine,
  version: NixVersion,
  options: NixRunOptions & { timeoutMs: number },
): Promise<BuilderProbe> {
  const run = options.run ?? runProcess;
  const env = options.env ?? {};
  const userSshOptions =
    'NIX_SSHOPTS' in env || options.replaceEnv ? env['NIX_SSHOPTS'] : process.env['NIX_SSHOPTS'];
  const args = nixArgs(['store', storeInfoVerb(version), '--store', builderStoreUri(machine)]);
  try {
    const result = await run(options.nix ?? 'nix', args, {
      ...processOptions(options),
      env: { ...env, NIX_SSHOPTS: probeSshOptions(userSshOptions, options.timeoutMs) },
      timeoutMs: options.timeoutMs,
      killGraceMs: KILL_GRACE_MS,
    });
    // Both versions print `Store URL: …` before connecting, so only the exit code tells success.
    if (result.exitCode === 0 && !result.timedOut && !result.cancelled) {
      return {
        kind: 'reachable',
        output: `${result.stdout}\n${result.stderr}`,
        durationMs: result.durationMs,
      };
    }
    return {
      kind: 'unreachable',
      stderr: result.stderr,
      timedOut: result.timedOut,
      durationMs: result.durationMs,
    };
  } catch (error) {
    return { kind: 'unreachable', stderr: (error as Error).message, timedOut: false, durationMs: 0 };
  }
}
