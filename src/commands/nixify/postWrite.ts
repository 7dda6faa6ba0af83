// What comes after writing: `git add` (a flake in a git repository only sees files git tracks) and
// `nix flake lock`. Both run programs the workspace can configure (git hooks and fsmonitor from
// .git/config, the flake's own Nix code), so neither runs in an untrusted workspace.
import * as vscode from 'vscode';
import { gitAdd, gitTrackedStatus } from '../../core/git';
import { nixArgs } from '../../core/nix/nixCommand';
import { CommandNotFoundError, describeFailure, runProcess } from '../../core/process';
import { errorMessage, type Log } from '../../log';
import type { NixErrorReporter } from '../../nixDiagnostics';
import { processOptions } from '../../core/nix/invoke';
import { NixRunner } from '../../nixRunner';
import { withCancellableProgress } from '../../progress';

export type ActionOutcome =
  | { status: 'done'; detail: string }
  | { status: 'failed'; detail: string; nixMissing?: boolean }
  | { status: 'cancelled' }
  /** Not run, and why (untrusted workspace, not a git work tree, …). */
  | { status: 'unavailable'; detail: string }
  | { status: 'not-requested' };

/**
 * Adds the files among `relPaths` that git does not track yet. Files already tracked stay as they
 * are (nix reads a tracked file's working-tree content, and staging it would also stage the
 * user's own unstaged edits). A file git refuses (say `.envrc` in a global gitignore) is reported,
 * not fatal: git adds the others anyway.
 */
export async function addUntracked(
  root: string,
  relPaths: readonly string[],
  log: Log,
): Promise<ActionOutcome> {
  try {
    const { untracked } = await gitTrackedStatus(root, relPaths);
    if (untracked.length === 0) return { status: 'done', detail: 'git already tracks every file' };
    let refusal: string | undefined;
    try {
      await gitAdd(root, untracked);
    } catch (error) {
      refusal = errorMessage(error);
    }
    const stillUntracked = (await gitTrackedStatus(root, untracked)).untracked;
    const added = untracked.filter((p) => !stillUntracked.includes(p));
    log.info(`git add in ${root}: ${added.join(', ') || 'nothing'}`);
    if (stillUntracked.length === 0) return { status: 'done', detail: `git add: ${added.join(', ')}` };
    log.warn(`git did not add ${stillUntracked.join(', ')}: ${refusal ?? 'no reason given'}`);
    const detail = `git did not add ${stillUntracked.join(', ')} (ignored?)`;
    return added.length > 0
      ? { status: 'done', detail: `git add: ${added.join(', ')}; ${detail}` }
      : { status: 'failed', detail: refusal ?? detail };
  } catch (error) {
    log.error(`git add in ${root} failed:`, error);
    return { status: 'failed', detail: errorMessage(error) };
  }
}

/**
 * `nix flake lock` in `root` behind a cancellable notification; cancelling ends nix's whole
 * process group. Nix's stderr goes to the log line by line (it names inputs and URLs, no secrets).
 * Locking evaluates flake.nix: its errors go to `nixErrors` too.
 */
export function lockFlake(root: string, log: Log, nixErrors?: NixErrorReporter): Thenable<ActionOutcome> {
  return withCancellableProgress('nix flake lock', async (signal, report) => {
    try {
      const nix = new NixRunner(vscode.Uri.file(root)).options({ signal });
      const result = await runProcess(nix.nix ?? 'nix', nixArgs(['flake', 'lock']), {
        ...processOptions(nix),
        onStderrLine: (line) => {
          log.info(`nix flake lock: ${line}`);
          report(line.length > 120 ? `${line.slice(0, 119)}…` : line);
        },
      });
      if (result.cancelled) {
        log.info(`nix flake lock in ${root} cancelled`);
        return { status: 'cancelled' } as const;
      }
      if (result.exitCode !== 0) {
        nixErrors?.report(root, result.stderr);
        log.error(describeFailure(result));
        return { status: 'failed', detail: describeFailure(result) } as const;
      }
      nixErrors?.clear(root);
      log.info(`nix flake lock in ${root} finished in ${result.durationMs} ms`);
      return { status: 'done', detail: 'flake.lock written' } as const;
    } catch (error) {
      log.error(`nix flake lock in ${root} failed:`, error);
      return {
        status: 'failed',
        detail: errorMessage(error),
        nixMissing: error instanceof CommandNotFoundError,
      } as const;
    }
  });
}

/** One sentence for a notification, e.g. "git add: flake.nix, nix/workspace.nix." */
export function describeOutcome(what: string, outcome: ActionOutcome): string | undefined {
  switch (outcome.status) {
    case 'done':
      return `${outcome.detail}.`;
    case 'failed':
      return `${what} failed: ${outcome.detail.split('\n')[0] ?? ''}`;
    case 'cancelled':
      return `${what} was cancelled.`;
    case 'unavailable':
      return `${what} not run: ${outcome.detail}.`;
    case 'not-requested':
      return undefined;
  }
}
