import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { CommandNotFoundError, formatCommand, runProcess } from '../core/process';
import { withCancellableProgress } from '../progress';
import { itemNodeOf } from './derivationArgument';

/** `NAME` of the first `https://NAME.cachix.org` cache the flake declares. */
export function cachixCacheName(substituters: readonly string[]): string | null {
  for (const url of substituters) {
    const match = /^https:\/\/([a-z0-9-]+)\.cachix\.org\/?$/i.exec(url);
    if (match?.[1]) return match[1];
  }
  return null;
}

/** What Push to Cachix did, for whoever ran the command: the command line and how it went. */
export interface CachixPush {
  /** `cachix push NAME <output paths>`, run or shown. */
  command: string[];
  /** The same as the one line the notification shows. */
  commandLine: string;
  outcome: 'pushed' | 'failed' | 'cancelled' | 'not-installed' | 'no-cache-declared';
}

/** Pushes the item's outputs with `cachix push`, or shows the command when cachix is not there. */
export function pushToCachix(ctx: Ctx) {
  return async (argument?: unknown): Promise<CachixPush | undefined> => {
    const node = itemNodeOf(argument);
    if (!node) return undefined;
    const declared = cachixCacheName(ctx.derivations.folder(node.folder)?.flakeSubstituters() ?? []);
    const name = declared ?? 'CACHE_NAME';
    const command = ['cachix', 'push', name, ...Object.values(node.item.outputs)];
    const commandLine = formatCommand(command);
    // Not awaited: the command is done once the command is shown, whether or not anyone clicks.
    const showCommand = (why: string, outcome: CachixPush['outcome']): CachixPush => {
      void vscode.window
        .showInformationMessage(`Nixify: ${why} Run: ${commandLine}`, 'Copy Command')
        .then((choice) =>
          choice === 'Copy Command' ? vscode.env.clipboard.writeText(commandLine) : undefined,
        );
      return { command, commandLine, outcome };
    };
    if (declared === null) {
      return showCommand('the flake declares no https://NAME.cachix.org cache.', 'no-cache-declared');
    }
    let result;
    try {
      result = await withCancellableProgress(`Pushing to ${name}.cachix.org`, (signal) =>
        runProcess('cachix', command.slice(1), { cwd: node.folder, signal }),
      );
    } catch (error) {
      if (error instanceof CommandNotFoundError)
        return showCommand('cachix is not on PATH.', 'not-installed');
      throw error;
    }
    ctx.log.info(`${commandLine}: exit ${String(result.exitCode)}\n${result.stderr.trim()}`);
    if (result.cancelled) return { command, commandLine, outcome: 'cancelled' };
    if (result.exitCode !== 0) return showCommand('cachix push failed (see the log).', 'failed');
    void vscode.window.showInformationMessage(`Nixify: pushed ${node.item.name} to ${name}.cachix.org`);
    return { command, commandLine, outcome: 'pushed' };
  };
}
