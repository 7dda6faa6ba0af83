import * as vscode from 'vscode';
import type { Ctx } from '../ctx';

/**
 * Opens the raw model as JSON. With one folder the document is exactly what
 * `nixify detect --json` prints for it, so the two can be diffed; with several, an array of them.
 */
export function showDetectedWorkspaces(ctx: Ctx) {
  return async () => {
    await ctx.ready();
    const results = [...ctx.models().values()];
    const content = JSON.stringify(results.length === 1 ? results[0] : results, null, 2);
    const document = await vscode.workspace.openTextDocument({ language: 'json', content });
    await vscode.window.showTextDocument(document, { preview: false });
  };
}
