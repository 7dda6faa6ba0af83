// The project's one way to run a program. Everything that starts nix or git goes through here so
// that cancellation, timeouts, line streaming and error messages behave the same everywhere.
import * as fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { execa, type Options } from 'execa';

export interface ProcessOptions {
  cwd?: string;
  /**
   * Variables merged over `process.env` (an `undefined` value removes that variable), or, with
   * `replaceEnv: true`, the child's whole environment.
   */
  env?: Readonly<Record<string, string | undefined>>;
  replaceEnv?: boolean;
  /** Text written to the child's stdin; without it stdin is /dev/null so nothing waits for input. */
  stdin?: string;
  /** Stops the whole process group after this many milliseconds; the result says `timedOut`. */
  timeoutMs?: number;
  /** Stops the whole process group; the result says `cancelled`. */
  signal?: AbortSignal;
  /** Time between SIGTERM and SIGKILL when stopping the process group. */
  killGraceMs?: number;
  /** Called for each line as it arrives, without its line ending. */
  onStdoutLine?: (line: string) => void;
  onStderrLine?: (line: string) => void;
  /** Largest stdout or stderr kept, in characters; beyond it the run is stopped. */
  maxBuffer?: number;
}

export interface ProcessResult {
  /** `null` when the child was ended by a signal or never started. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  cancelled: boolean;
  timedOut: boolean;
  maxBufferExceeded: boolean;
  durationMs: number;
  /** The program followed by its arguments. */
  command: string[];
}

export type RunProcess = (
  file: string,
  args: readonly string[],
  options?: ProcessOptions,
) => Promise<ProcessResult>;

/** The program could not be found (ENOENT from spawn). */
export class CommandNotFoundError extends Error {
  constructor(readonly file: string) {
    super(file.includes('/') ? `${file} was not found` : `${file} was not found on PATH`);
    this.name = 'CommandNotFoundError';
  }
}

/** A run that did not succeed, for callers that want to throw; see `ensureSuccess`. */
export class ProcessError extends Error {
  constructor(readonly result: ProcessResult) {
    super(describeFailure(result));
    this.name = 'ProcessError';
  }
}

export interface ProcessStartEvent {
  file: string;
  args: readonly string[];
  cwd: string;
  pid: number;
}

const DEFAULT_KILL_GRACE_MS = 2000;
const STDERR_TAIL_LINES = 20;

const startListeners = new Set<(event: ProcessStartEvent) => void>();

/**
 * Tells `listener` about every process that actually started (not those whose program was
 * missing), e.g. to count nix runs. The event never carries the environment. The returned object
 * fits in `context.subscriptions`.
 */
export function onProcessStart(listener: (event: ProcessStartEvent) => void): { dispose(): void } {
  startListeners.add(listener);
  return { dispose: () => startListeners.delete(listener) };
}

// Children lead their own process groups, so they outlive us unless we end them: a detached child
// gets neither the terminal's Ctrl-C nor execa's cleanup.
const liveGroups = new Set<number>();
let exitHookInstalled = false;

function trackGroup(pid: number): void {
  liveGroups.add(pid);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => liveGroups.forEach((group) => killGroup(group, 'SIGTERM')));
  }
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Runs `file` with `args` (never through a shell) in its own process group. Resolves for any exit
 * code; rejects only when the program cannot be started (`CommandNotFoundError` for ENOENT) or a
 * line callback threw.
 */
export async function runProcess(
  file: string,
  args: readonly string[],
  options: ProcessOptions = {},
): Promise<ProcessResult> {
  const command = [file, ...args];
  const start = performance.now();
  const base = { stdout: '', stderr: '', timedOut: false, maxBufferExceeded: false, command };
  if (options.signal?.aborted) {
    return { ...base, exitCode: null, signal: null, cancelled: true, durationMs: 0 };
  }
  // spawn reports a missing cwd as ENOENT, which would read as a missing program.
  if (options.cwd !== undefined && !fs.statSync(options.cwd, { throwIfNoEntry: false })?.isDirectory()) {
    throw new Error(`Cannot run ${file}: the directory ${options.cwd} does not exist`);
  }

  let callbackError: unknown;
  const lineTransform = (callback: ((line: string) => void) | undefined) =>
    callback && {
      preserveNewlines: true, // keeps the buffered output byte-for-byte what the child wrote
      *transform(line: unknown) {
        if (callbackError === undefined) {
          try {
            callback(String(line).replace(/\r?\n$/, ''));
          } catch (error) {
            callbackError = error;
          }
        }
        yield line;
      },
    };

  const execaOptions: Options = {
    shell: false,
    detached: true,
    reject: false,
    stripFinalNewline: false,
    extendEnv: false,
    env: childEnv(options),
    ...(options.cwd !== undefined && { cwd: options.cwd }),
    ...(options.stdin !== undefined ? { input: options.stdin } : { stdin: 'ignore' }),
    ...(options.maxBuffer !== undefined && { maxBuffer: options.maxBuffer }),
    stdout: lineTransform(options.onStdoutLine) ?? 'pipe',
    stderr: lineTransform(options.onStderrLine) ?? 'pipe',
  };
  const subprocess = execa(file, args, execaOptions);
  const pid = subprocess.pid;

  let stopped: 'cancelled' | 'timedOut' | 'maxBuffer' | undefined;
  let forceKill: NodeJS.Timeout | undefined;
  const stop = (reason: NonNullable<typeof stopped>) => {
    if (stopped !== undefined || pid === undefined) return;
    stopped = reason;
    killGroup(pid, 'SIGTERM');
    forceKill = setTimeout(() => {
      killGroup(pid, 'SIGKILL');
      liveGroups.delete(pid);
    }, options.killGraceMs ?? DEFAULT_KILL_GRACE_MS);
  };
  const onAbort = () => stop('cancelled');
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const timeout =
    options.timeoutMs !== undefined ? setTimeout(() => stop('timedOut'), options.timeoutMs) : undefined;

  if (pid !== undefined) {
    trackGroup(pid);
    const event = { file, args, cwd: options.cwd ?? process.cwd(), pid };
    for (const listener of startListeners) {
      try {
        listener(event);
      } catch {
        // An observer must not break the run it observes.
      }
    }
  }

  try {
    const result = await subprocess;
    if ('code' in result && result.code === 'ENOENT' && pid === undefined)
      throw new CommandNotFoundError(file);
    if (pid === undefined) throw new Error(`Cannot run ${file}: ${result.originalMessage ?? result.message}`);
    // execa ends only the leader on overflow; the rest of the group must go too.
    if (result.isMaxBuffer) stop('maxBuffer');
    if (callbackError !== undefined) throw callbackError;
    return {
      ...base,
      exitCode: result.exitCode ?? null,
      signal: result.signal ?? null,
      stdout: String(result.stdout ?? ''),
      stderr: String(result.stderr ?? ''),
      cancelled: stopped === 'cancelled',
      timedOut: stopped === 'timedOut',
      maxBufferExceeded: result.isMaxBuffer,
      durationMs: Math.round(performance.now() - start),
    };
  } finally {
    clearTimeout(timeout);
    options.signal?.removeEventListener('abort', onAbort);
    // Members that outlive a stopped leader still get SIGKILL when the grace period ends, but the
    // caller need not wait for it. (Killed grandchildren can linger as zombies where PID 1 does not
    // reap, so "group still exists" does not mean anything still runs.)
    if (pid !== undefined && (stopped === undefined || !groupAlive(pid))) {
      clearTimeout(forceKill);
      liveGroups.delete(pid);
    }
  }
}

function childEnv(options: ProcessOptions): Record<string, string> {
  const merged = options.replaceEnv ? { ...options.env } : { ...process.env, ...options.env };
  return Object.fromEntries(
    Object.entries(merged).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

/** Throws `ProcessError` unless the run exited with code 0. */
export function ensureSuccess(result: ProcessResult): ProcessResult {
  if (result.exitCode !== 0 || result.cancelled || result.timedOut || result.maxBufferExceeded) {
    throw new ProcessError(result);
  }
  return result;
}

/** One paragraph for a failed run: the command line, how it ended, the last lines of stderr. */
export function describeFailure(result: ProcessResult): string {
  const how = result.cancelled
    ? 'was cancelled'
    : result.timedOut
      ? `timed out after ${result.durationMs} ms`
      : result.maxBufferExceeded
        ? 'produced more output than allowed'
        : result.signal !== null
          ? `was killed by ${result.signal}`
          : `exited with code ${result.exitCode}`;
  const tail = result.stderr.trimEnd().split('\n').slice(-STDERR_TAIL_LINES).join('\n');
  return `\`${formatCommand(result.command)}\` ${how}${tail === '' ? '' : `:\n${tail}`}`;
}

const SECRET_OPTION = /token|password|secret|netrc/i;

/**
 * The command as a shell-like line, for messages only. Values of `--option NAME VALUE` whose name
 * looks secret (nix's `access-tokens`) are hidden, since messages end up in logs.
 */
export function formatCommand(command: readonly string[]): string {
  return command
    .map((arg, i) => {
      const option = command[i - 2];
      const name = command[i - 1] ?? '';
      if ((option === '--option' || option === '--extra-option') && SECRET_OPTION.test(name)) return '***';
      return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
    })
    .join(' ');
}
