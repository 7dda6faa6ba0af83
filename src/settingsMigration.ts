import * as vscode from 'vscode';
import { DEPRECATED_NIX_PATH, NIX_PATH } from './config';
import type { Log } from './log';

/**
 * Moves `nixify.devShell.nixPath` to `nixify.nix.path` wherever it is set (user, workspace, each
 * folder) and the new setting is not, then clears the old one there. Until this ran, `nixProgram`
 * reads the old setting as a fallback, so nothing changes for the user in between.
 */
export async function migrateNixPathSetting(log: Pick<Log, 'info'>): Promise<void> {
  const scopes: (vscode.WorkspaceFolder | undefined)[] = [
    undefined,
    ...(vscode.workspace.workspaceFolders ?? []),
  ];
  const moved: string[] = [];
  for (const scope of scopes) {
    const oldSection = vscode.workspace.getConfiguration(DEPRECATED_NIX_PATH.section, scope);
    const newSection = vscode.workspace.getConfiguration(NIX_PATH.section, scope);
    const old = oldSection.inspect<string>(DEPRECATED_NIX_PATH.key);
    const current = newSection.inspect<string>(NIX_PATH.key);
    const targets: [vscode.ConfigurationTarget, unknown, unknown][] =
      scope === undefined
        ? [
            [vscode.ConfigurationTarget.Global, old?.globalValue, current?.globalValue],
            [vscode.ConfigurationTarget.Workspace, old?.workspaceValue, current?.workspaceValue],
          ]
        : [
            [
              vscode.ConfigurationTarget.WorkspaceFolder,
              old?.workspaceFolderValue,
              current?.workspaceFolderValue,
            ],
          ];
    for (const [target, oldValue, newValue] of targets) {
      if (typeof oldValue !== 'string') continue;
      if (newValue === undefined) await newSection.update(NIX_PATH.key, oldValue, target);
      await oldSection.update(DEPRECATED_NIX_PATH.key, undefined, target);
      moved.push(scope === undefined ? vscode.ConfigurationTarget[target] : `folder ${scope.name}`);
    }
  }
  if (moved.length > 0) {
    log.info(`moved nixify.devShell.nixPath to nixify.nix.path (${moved.join(', ')})`);
    void vscode.window.showInformationMessage(
      'Nixify: the setting nixify.devShell.nixPath is now nixify.nix.path (every feature uses it); your value was moved.',
    );
  }
}
