// The small actions of the Derivations view: refresh, build log, copy store path.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { runNix } from '../core/nix/invoke';
import { errorMessage } from '../log';
import { NixRunner } from '../nixRunner';
import { itemNodeOf } from './derivationArgument';

export function refreshDerivations(ctx: Ctx) {
  return () => ctx.derivations.refresh('refresh requested', { fresh: true });
}

/** `nix log <drv>` in a read-only document; returns the log shown, undefined when there is none. */
export function showBuildLog() {
  return async (argument?: unknown): Promise<string | undefined> => {
    const node = itemNodeOf(argument);
    if (!node) return undefined;
    let text: string;
    try {
      text = await runNix(['log', node.item.drvPath], new NixRunner(vscode.Uri.file(node.folder)).options());
    } catch (error) {
      void vscode.window.showWarningMessage(
        `Nixify: no build log for ${node.item.name} (${errorMessage(error).split('\n').at(-1) ?? ''})`,
      );
      return undefined;
    }
    const doc = await vscode.workspace.openTextDocument({ content: text, language: 'log' });
    await vscode.window.showTextDocument(doc, { preview: true });
    return text;
  };
}

/** Copies the output paths (one a line; `out` first). */
export function copyStorePath() {
  return async (argument?: unknown) => {
    const node = itemNodeOf(argument);
    if (!node) return;
    const outputs = Object.entries(node.item.outputs).sort(([a], [b]) =>
      a === 'out' ? -1 : b === 'out' ? 1 : a.localeCompare(b),
    );
    await vscode.env.clipboard.writeText(outputs.map(([, p]) => p).join('\n'));
    void vscode.window.setStatusBarMessage(`Copied ${outputs[0]?.[1] ?? ''}`, 3000);
  };
}
