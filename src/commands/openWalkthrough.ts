import * as vscode from 'vscode';

/** `<publisher>.<name>#<walkthrough id>`, as package.json spells them. */
export const WALKTHROUGH_ID = 'nixify.nixify#nixify.gettingStarted';

/** Opens the Getting Started walkthrough (Nix check, Nixify, dev shell, derivations, flake.nix). */
export function openWalkthrough() {
  return (): Thenable<unknown> =>
    vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, false);
}
