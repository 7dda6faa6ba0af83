import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { CommandNotFoundError, formatCommand, runProcess } from '../core/process';
import { itemNodeOf } from './derivationArgument';

/** `NAME` of the first `https://NAME.cachix.org` cache the flake declares. */
export function cachixCacheName(substituters: readonly string[]): string | null {
  for (const url of substituters) {
    const match = /^https:\/\/([a-z0-9-]+)\.cachix\.org\/?$/i.exec(url);
    if (match?.[1]) return match[1];
  }
  return null;
}

/** Pushes the item's outputs with `cachix push`, or shows the command when cachix is not there. */
export function pushToCachix(ctx: Ctx) {
  return async (argument?: unknown) => {
    const node = itemNodeOf(argument);
    if (!node) return;
    const declared = ctx.derivations.flakeSubstituters(node.folder);
    const name = cachixCacheName(declared) ?? 'CACHE_NAME';
    const paths = Object.values(node.item.outputs);
    const command = ['cachix', 'push', name, ...paths];
    const showCommand = async (why: string) => {
      const choice = await vscode.window.showInformationMessage(
        `Nixify: ${why} Run: ${formatCommand(command)}`,
        'Copy Command',
      );
      if (choice === 'Copy Command') await vscode.env.clipboard.writeText(formatCommand(command));
    };
    if (name === 'CACHE_NAME') return showCommand('the flake declares no https://NAME.cachix.org cache.');
    try {
      const result = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: `Pushing to ${name}.cachix.org`,
          cancellable: true,
        },
        (_progress, token) => {
          const abort = new AbortController();
          token.onCancellationRequested(() => abort.abort());
          return runProcess('cachix', command.slice(1), { cwd: node.folder, signal: abort.signal });
        },
      );
      ctx.log.info(`cachix push ${name}: exit ${String(result.exitCode)}\n${result.stderr.trim()}`);
      if (result.exitCode === 0)
        void vscode.window.showInformationMessage(`Nixify: pushed ${node.item.name} to ${name}`);
      else if (!result.cancelled) void showCommand('cachix push failed (see the log).');
    } catch (error) {
      if (error instanceof CommandNotFoundError) return showCommand('cachix is not on PATH.');
      throw error;
    }
  };
}
