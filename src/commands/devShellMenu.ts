import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import type { CommandId } from './ids';
import { devShellFor } from './devShell';

type Item = vscode.QuickPickItem & { command: CommandId };

/** Everything about the folder's dev shell in one pick; what the status item's "More…" opens. */
export function devShellMenu(ctx: Ctx) {
  return async (arg?: unknown): Promise<unknown> => {
    const controller = devShellFor(ctx, arg);
    const { phase, applied } = controller.status;
    const items: Item[] = [
      controller.isWanted
        ? {
            label: '$(circle-slash) Turn off',
            description: 'terminals and rust-analyzer go back to normal',
            command: 'nixify.toggleDevShell',
          }
        : {
            label: '$(play) Turn on',
            description: 'from the cache when the files are unchanged',
            command: 'nixify.toggleDevShell',
          },
      {
        label: '$(refresh) Reload',
        description: 'evaluate again; the current environment stays until it succeeds',
        command: 'nixify.reloadDevShell',
      },
      {
        label: '$(list-selection) Pick shell…',
        description: 'another devShells attribute of the flake',
        command: 'nixify.pickDevShell',
      },
    ];
    if (applied) {
      items.push({
        label: '$(eye) Show environment',
        description: 'variables and values, read-only',
        command: 'nixify.showDevShellEnvironment',
      });
    }
    if (phase === 'loading') {
      items.push({ label: '$(close) Cancel evaluation', command: 'nixify.cancelDevShellEvaluation' });
    }
    items.push(
      {
        label: '$(trash) Forget cached shell',
        description: 'turn off and drop the cache and its GC root',
        command: 'nixify.forgetDevShell',
      },
      { label: '$(output) Show log', command: 'nixify.showLog' },
    );
    const picked = await vscode.window.showQuickPick(items, {
      title: `Nix dev shell (${controller.folder.name})`,
      matchOnDescription: true,
    });
    if (picked === undefined) return undefined;
    return vscode.commands.executeCommand(picked.command, controller.folder.uri);
  };
}
