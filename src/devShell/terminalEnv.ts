// New integrated terminals of a folder get the dev shell through VS Code's environment variable
// collection, scoped to that folder. Existing terminals keep theirs (VS Code offers to relaunch them).
import * as vscode from 'vscode';
import type { DevShellEnv } from '../core/devenv/types';
import { shellLabel } from './summary';

export function applyToTerminals(collection: vscode.EnvironmentVariableCollection, env: DevShellEnv): void {
  collection.clear();
  collection.description = new vscode.MarkdownString(
    `Nix dev shell \`${shellLabel(env.source)}\` (Nixify). Turn it off from the status bar.`,
  );
  for (const [name, value] of Object.entries(env.delta.set)) {
    collection.replace(name, value);
  }
  // Prepended, never replaced: entries the user's own shell startup adds to PATH stay behind ours.
  for (const [name, value] of Object.entries(env.delta.prepend)) {
    if (value !== '') collection.prepend(name, `${value}:`);
  }
  // A collection cannot unset a variable; the few a shellHook unsets stay set in terminals.
}

export function removeFromTerminals(collection: vscode.EnvironmentVariableCollection): void {
  collection.clear();
  collection.description = undefined;
}
