// `nix build` of derivations with Nix's machine-readable log (`--log-format internal-json`): the
// progress as it goes, every builder's output line, and one sentence that says how it ended.
// Aborting the signal ends nix's whole process group (src/core/process).
import {
  buildInstallables,
  BuildProgressParser,
  formatBuildProgress,
  type BuildProgress,
} from '../nix/buildProgress';
import { dialectOf, processOptions, type NixRunOptions } from '../nix/invoke';
import { nixArgs } from '../nix/nixCommand';
import { runProcess } from '../process';

export interface BuildOptions extends NixRunOptions {
  /** The names log lines give derivations, by drv path; others are named by their store path. */
  names?: ReadonlyMap<string, string>;
  /** "1/2 builds · 0.1 MB downloaded", each time the text changes. */
  onProgress?: (text: string) => void;
  /** A builder's output as "name> line", or one of Nix's messages (info and more urgent). */
  onLog?: (line: string) => void;
}

export interface BuildResult {
  /** Every derivation built (or fetched). */
  ok: boolean;
  cancelled: boolean;
  /** "Built 2/2 builds", "Build cancelled", or "Build failed: " and Nix's last error. */
  message: string;
  /** Null when nix was stopped or never ran. */
  exitCode: number | null;
  durationMs: number;
  progress: BuildProgress;
}

const BUILD_KILL_GRACE_MS = 10_000;
// Nix's verbosity levels: 0 error, 1 warn, 2 notice, 3 info; beyond that it chatters.
const LOGGED_LEVEL = 3;
// `/nix/store/` and the 32-character hash with its dash.
const STORE_PREFIX_LENGTH = 44;

/** Builds every output of each derivation (`nix build --no-link`); resolves however nix ends. */
export async function buildDerivations(
  drvPaths: readonly string[],
  options: BuildOptions = {},
): Promise<BuildResult> {
  const { names, onProgress, onLog, ...nixOptions } = options;
  const parser = new BuildProgressParser();
  if (drvPaths.length === 0) {
    return {
      ok: true,
      cancelled: false,
      message: 'Nothing to build',
      exitCode: 0,
      durationMs: 0,
      progress: parser.progress,
    };
  }
  const modern = (await dialectOf(nixOptions)) === 'modern';
  // `-L` before `--log-format`: on Nix 2.8 a later `-L` switches back to the text format.
  const args = nixArgs([
    'build',
    '--no-link',
    '-L',
    '--log-format',
    'internal-json',
    ...buildInstallables(drvPaths, modern),
  ]);
  let shown = '';
  const onStderrLine = (line: string) => {
    const event = parser.push(line);
    if (event?.kind === 'log') {
      const name = event.drvPath
        ? (names?.get(event.drvPath) ?? event.drvPath.slice(STORE_PREFIX_LENGTH))
        : 'nix';
      onLog?.(`${name}> ${event.line}`);
    } else if (event?.kind === 'message' && event.level <= LOGGED_LEVEL) {
      onLog?.(event.text);
    } else if (event?.kind === 'progress') {
      const text = formatBuildProgress(parser.progress);
      if (text !== shown) {
        shown = text;
        onProgress?.(text);
      }
    }
  };
  const run = nixOptions.run ?? runProcess;
  const result = await run(nixOptions.nix ?? 'nix', args, {
    ...processOptions(nixOptions),
    // On SIGTERM nix stops its builders, which run in process groups of their own; a SIGKILL before
    // it has done so (2 s by default, too short on a loaded machine) would leave them running.
    killGraceMs: BUILD_KILL_GRACE_MS,
    onStderrLine,
  });
  const cancelled = result.cancelled;
  const ok = result.exitCode === 0 && !cancelled;
  const progress = parser.progress;
  const message = ok
    ? `Built ${formatBuildProgress(progress)}`
    : cancelled
      ? 'Build cancelled'
      : `Build failed: ${lastBuildError(result.stderr)}`;
  return { ok, cancelled, message, exitCode: result.exitCode, durationMs: result.durationMs, progress };
}

/** The first line of the last error Nix reported in a build's stderr, without "error:". */
export function lastBuildError(stderr: string): string {
  const parser = new BuildProgressParser();
  const errors = stderr
    .split('\n')
    .map((line) => parser.push(line))
    .flatMap((e) => (e?.kind === 'message' && e.level === 0 && e.text.startsWith('error') ? [e.text] : []));
  return (errors.at(-1) ?? 'see the log').replace(/^error:\s*/, '').split('\n')[0] ?? '';
}
