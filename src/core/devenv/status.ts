// What one folder's dev shell is doing, as plain data, and the one function that moves it on. Every
// change the controller makes is an event here, so the rules live in one tested place: a failure
// keeps the last good environment, a cancelled re-evaluation goes back to it (stale or not), and an
// off shell follows its files while a running one keeps the shell it runs.
import type { DevShellEnv, ShellSource } from './types';

export type DevShellPhase = 'off' | 'loading' | 'on' | 'stale' | 'error';

export interface AppliedShell {
  env: DevShellEnv;
  /** Came from the cache (no nix process ran) rather than a fresh evaluation. */
  fromCache: boolean;
}

/** An immutable snapshot; `nextStatus` makes the next one. */
export interface DevShellStatus {
  phase: DevShellPhase;
  folderName: string;
  /** null when the folder has no flake.nix, shell.nix or default.nix. */
  source: ShellSource | null;
  /** The environment in effect. It outlives failed, cancelled and stale re-evaluations. */
  applied: AppliedShell | undefined;
  /** The files of `applied` changed since it was evaluated (kept through a reload that fails). */
  stale: boolean;
  /** Why the last request failed (phase `error`), or why nothing runs (untrusted workspace). */
  error: string | undefined;
}

export type DevShellEvent =
  /** The shell files or the selected attribute changed: `source` is what the settings select now. */
  | { type: 'sourceChanged'; source: ShellSource | null }
  /** The user turned the shell off: nothing stays applied. */
  | { type: 'turnedOff'; source: ShellSource | null }
  /** An evaluation of `source` started. */
  | { type: 'loading'; source: ShellSource }
  /** An environment (evaluated, or from the cache) now applies to terminals and rust-analyzer. */
  | { type: 'applied'; applied: AppliedShell }
  /** The request failed (or could not run); the last good environment stays. */
  | { type: 'failed'; error: string }
  /** The running evaluation was cancelled; `source` is the folder's shell should it go off. */
  | { type: 'cancelled'; source: ShellSource | null }
  /** The applied environment's files were compared with the files now. */
  | { type: 'staleChecked'; stale: boolean };

export function offStatus(folderName: string, source: ShellSource | null): DevShellStatus {
  return { phase: 'off', folderName, source, applied: undefined, stale: false, error: undefined };
}

/** The status after `event`; `status` itself when the event changes nothing. */
export function nextStatus(status: DevShellStatus, event: DevShellEvent): DevShellStatus {
  switch (event.type) {
    case 'sourceChanged':
      return status.phase === 'off' ? offStatus(status.folderName, event.source) : status;
    case 'turnedOff':
      return offStatus(status.folderName, event.source);
    case 'loading':
      return { ...status, phase: 'loading', source: event.source, error: undefined };
    case 'applied':
      return {
        ...status,
        phase: 'on',
        source: event.applied.env.source,
        applied: event.applied,
        stale: false,
        error: undefined,
      };
    case 'failed':
      return { ...status, phase: 'error', error: event.error };
    case 'cancelled':
      return status.applied
        ? { ...status, phase: status.stale ? 'stale' : 'on', error: undefined }
        : offStatus(status.folderName, event.source);
    case 'staleChecked': {
      if (!status.applied) return status;
      // A failure or a running evaluation says more than staleness: it only shows once they end.
      const phase =
        status.phase === 'on' || status.phase === 'stale' ? (event.stale ? 'stale' : 'on') : status.phase;
      if (phase === status.phase && event.stale === status.stale) return status;
      return { ...status, phase, stale: event.stale };
    }
  }
}
