import * as vscode from 'vscode';
import type { Ctx } from '../ctx';

export function refreshWorkspaces(ctx: Ctx) {
  return () =>
    vscode.window.withProgress(
      { location: { viewId: 'nixify.crates' }, title: 'Detecting Cargo workspaces' },
      () => ctx.detectAll('refresh requested'),
    );
}
