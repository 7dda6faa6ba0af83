import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { devShellFor } from './devShell';

/**
 * Opens the shell's variables, values included, in a read-only document. The one place values are
 * shown; only ever on the user's request, and never written to the log.
 */
export function showDevShellEnvironment(ctx: Ctx) {
  return async (arg?: unknown): Promise<vscode.Uri | undefined> => {
    const controller = devShellFor(ctx, arg);
    if (controller.status.applied === undefined) {
      void vscode.window.showInformationMessage(
        `The dev shell of ${controller.folder.name} is off: turn it on to see its environment.`,
      );
      return undefined;
    }
    const document = await vscode.workspace.openTextDocument(ctx.devShells.environmentUri(controller));
    await vscode.languages.setTextDocumentLanguage(document, 'shellscript');
    await vscode.window.showTextDocument(document, { preview: true });
    return document.uri;
  };
}
