// What the dev-shell suites share: fixture copies in git, the options every evaluation gets, the
// real `nix develop` to compare with, and a count of the processes a call starts.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EvalOptions } from '../../../src/core/devenv';
import { onProcessStart, type ProcessStartEvent } from '../../../src/core/process';
import { gitInit } from './flake';
import { nixEnv, type Nix } from './nix';
import { FIXTURES, tempDir } from './paths';

export const DEVENV_FIXTURES = path.join(FIXTURES, 'devenv');

/** A copy of test/fixtures/devenv/<name> in a fresh git repository (flakes see only what git tracks). */
export function devenvFixture(name: string, label: string): string {
  const dir = tempDir(`devenv-${label}`);
  fs.cpSync(path.join(DEVENV_FIXTURES, name), dir, { recursive: true });
  gitInit(dir);
  return dir;
}

export function isModern(nix: Nix): boolean {
  const [major, minor] = nix.version;
  return major > 2 || minor >= 19;
}

/**
 * The environment nix runs with, which is also the user's baseline the shellHook starts from: the
 * tier's offline config (plus no build hook for the loader-run modern Nix, see testing.md §3) and a
 * variable the fixture's hook unsets.
 */
export function devenvEnv(nix: Nix): NodeJS.ProcessEnv {
  const env = nixEnv();
  const extra = isModern(nix) ? '\nbuild-hook =' : '';
  return { ...env, NIX_CONFIG: `${env['NIX_CONFIG'] ?? ''}${extra}`, UNSET_ME: 'set by the user' };
}

export function evalOptions(nix: Nix, storageDir: string): EvalOptions {
  return { storageDir, nix: path.join(nix.binDir, 'nix'), env: devenvEnv(nix) };
}

/**
 * The environment a command sees inside the real `nix develop` of `installable`, run in `dir` with
 * `env`: node writes it to a file, so the shellHook's output cannot mix in.
 */
export function nixDevelopEnvironment(nix: Nix, dir: string, installable: string[]): Record<string, string> {
  const dump = path.join(tempDir('devenv-develop'), 'env.json');
  const script = 'require("fs").writeFileSync(process.argv[1], JSON.stringify(process.env))';
  const result = spawnSync(
    path.join(nix.binDir, 'nix'),
    ['develop', ...installable, '--command', process.execPath, '-e', script, dump],
    { cwd: dir, env: devenvEnv(nix), encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`nix develop failed:\n${result.stderr}`);
  return JSON.parse(fs.readFileSync(dump, 'utf8')) as Record<string, string>;
}

/** Runs `body` and returns what it returned together with every process it started. */
export async function withProcessCount<T>(
  body: () => Promise<T>,
): Promise<{ result: T; started: ProcessStartEvent[] }> {
  const started: ProcessStartEvent[] = [];
  const subscription = onProcessStart((event) => started.push(event));
  try {
    return { result: await body(), started };
  } finally {
    subscription.dispose();
  }
}

/** Processes (not zombies) whose command line contains `needle`, as `pid: cmdline`. */
export function processesMentioning(needle: string): string[] {
  const found: string[] = [];
  for (const pid of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
      if (state !== 'Z' && cmdline.includes(needle) && Number(pid) !== process.pid)
        found.push(`${pid}: ${cmdline}`);
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** Runs a store tool (nix-store…) of `nix`; returns status and output without throwing. */
export function storeTool(
  nix: Nix,
  tool: string,
  args: string[],
): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(path.join(nix.binDir, tool), args, {
    env: devenvEnv(nix),
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
