import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { manifestPathOf } from './manifestArgument';

export function revealManifest(ctx: Ctx) {
  return async (argument?: unknown) => {
    const manifestPath = manifestPathOf(argument);
    if (!manifestPath) {
      ctx.log.warn('nixify.revealManifest needs a crate or workspace from the Crates view');
      return;
    }
    await vscode.window.showTextDocument(vscode.Uri.file(manifestPath), { preview: true });
  };
}
