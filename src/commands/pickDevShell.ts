import * as vscode from 'vscode';
import { listDevShellAttrs } from '../core/devenv';
import { projectsOfFlake } from '../core/flake/projects';
import type { Ctx } from '../ctx';
import { withCancellableProgress } from '../progress';
import { devShellFor } from './devShell';
import { NixRunner } from '../nixRunner';

/**
 * Chooses which `devShells.<system>.<attr>` of the folder's flake is the dev shell, records it in
 * the folder's `nixify.devShell.attribute` and turns that shell on. A second argument names the
 * attribute directly (no question asked).
 */
export function pickDevShell(ctx: Ctx) {
  return async (arg?: unknown, attribute?: unknown): Promise<string | undefined> => {
    const controller = devShellFor(ctx, arg);
    const source = controller.source();
    if (source === null || source.kind !== 'flake') {
      void vscode.window.showInformationMessage(
        source === null
          ? `${controller.folder.name} has no flake.nix, shell.nix or default.nix.`
          : `${controller.folder.name} has no flake: its ${source.kind} is its only shell.`,
      );
      return undefined;
    }
    let chosen = typeof attribute === 'string' && attribute !== '' ? attribute : undefined;
    if (chosen === undefined) {
      if (!ctx.isTrusted) {
        void vscode.window.showWarningMessage(
          'Listing the flake’s dev shells evaluates it, which an untrusted workspace does not allow.',
        );
        return undefined;
      }
      const attrs = await withCancellableProgress('Listing the flake’s dev shells', (signal) =>
        listDevShellAttrs(source, {
          storageDir: ctx.devShellStorage,
          ...new NixRunner(controller.folder.uri).options({ signal }),
        }),
      );
      if (attrs.length === 0) {
        void vscode.window.showInformationMessage(`The flake has no devShells.${source.system}.`);
        return undefined;
      }
      // A multi-project flake has a shell per project, named by its key: say which directory it is.
      const model = ctx.sessionFor(controller.folder.uri)?.model;
      const dirs = new Map(
        projectsOfFlake(
          controller.folder.uri.fsPath,
          model?.result?.workspaces ?? [],
          model?.flakeText ?? null,
        ).map((p) => [p.key, p.dir === '' ? '(root)' : `${p.dir}/`]),
      );
      const picked = await vscode.window.showQuickPick(
        attrs.map((attr) => ({
          label: attr,
          description:
            [dirs.get(attr), attr === source.attr ? 'current' : undefined]
              .filter((d) => d !== undefined)
              .join(' · ') || undefined,
        })),
        { title: 'Nix dev shell', placeHolder: `devShells.${source.system}.…` },
      );
      chosen = picked?.label;
    }
    if (chosen === undefined) return undefined;
    await vscode.workspace
      .getConfiguration('nixify.devShell', controller.folder.uri)
      .update('attribute', chosen, vscode.ConfigurationTarget.WorkspaceFolder);
    await controller.turnOn('user');
    return chosen;
  };
}
