// A stand-in for the process wrapper that answers as a recorded Nix 2.8 or 2.26 would
// (test/fixtures/nix-json/<version>): `nix --version`, the flake evaluation, the configuration, the
// local store's validity query, and `nix build` with its recorded internal-json stderr. It keeps
// every command line, so a test can count the processes a step starts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ProcessOptions, ProcessResult, RunProcess } from '../../../../src/core/process';
import { NIX_JSON, recorded, type Recorded } from '../nix/nixJson';

const VERSIONS: Record<Recorded, string> = { '2.8': 'nix (Nix) 2.8.0', '2.26': 'nix (Nix) 2.26.3' };

export interface RecordedNixOptions {
  /** The paths `nix-store --check-validity --print-invalid` reports missing. Default: none. */
  invalid?: (paths: readonly string[]) => readonly string[];
  /** What `nix build` ends with; it always first replays the recorded stderr to `onStderrLine`. */
  build?: (options: ProcessOptions) => Partial<ProcessResult>;
}

export interface RecordedNix {
  /** A path of its own: the version probe is remembered per binary. */
  nix: string;
  run: RunProcess;
  /** Every process started, as [program name, ...arguments after the experimental-features flag]. */
  calls: string[][];
}

let instances = 0;

export function recordedNix(version: Recorded, options: RecordedNixOptions = {}): RecordedNix {
  const nix = `/recorded-nix-${version}-${++instances}/bin/nix`;
  const calls: string[][] = [];
  const run: RunProcess = async (file, args, processOptions = {}) => {
    const subcommand = args[0] === '--extra-experimental-features' ? args.slice(2) : [...args];
    calls.push([path.basename(file), ...subcommand]);
    const result = (stdout: string, extra: Partial<ProcessResult> = {}): ProcessResult => ({
      exitCode: 0,
      signal: null,
      stdout,
      stderr: '',
      cancelled: false,
      timedOut: false,
      maxBufferExceeded: false,
      durationMs: 1,
      command: [file, ...args],
      ...extra,
    });
    if (subcommand[0] === '--version') return result(`${VERSIONS[version]}\n`);
    if (path.basename(file) === 'nix-store') {
      const paths = subcommand.filter((a) => a.startsWith('/nix/store/'));
      return result((options.invalid?.(paths) ?? []).map((p) => `${p}\n`).join(''));
    }
    if (subcommand[0] === 'eval') return result(recorded(version, 'flake-eval.json'));
    if (subcommand[0] === 'show-config' || (subcommand[0] === 'config' && subcommand[1] === 'show')) {
      return result(recorded(version, 'config.json'));
    }
    if (subcommand[0] === 'build') {
      const stderr = fs.readFileSync(path.join(NIX_JSON, `build-progress-${version}.txt`), 'utf8');
      for (const line of stderr.split('\n')) processOptions.onStderrLine?.(line);
      return result('', { stderr, ...options.build?.(processOptions) });
    }
    return result('', {
      exitCode: 1,
      stderr: `error: the recorded Nix cannot answer ${subcommand.join(' ')}`,
    });
  };
  return { nix, run, calls };
}
