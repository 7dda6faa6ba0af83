// Scenario `devshell-multi-root`: folders `devshell` (the offline fixture flake of the `devshell`
// scenario) and `single` (a Cargo workspace without any Nix file). One status item follows the active
// editor's folder; each folder's terminals get only that folder's shell.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { NixifyApi } from '../../src/api';
import { activeApi, eventually } from './helpers';
import { terminalSees } from './terminal';

const VAR = 'NIXIFY_FIXTURE_VAR';
const VALUE = 'hello-from-the-dev-shell';

function folder(name: string): vscode.WorkspaceFolder {
  const found = vscode.workspace.workspaceFolders?.find((f) => f.name === name);
  assert.ok(found, `workspace folder ${name} is not open`);
  return found;
}

async function open(file: string): Promise<void> {
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.file(file)));
}

describe('dev shell in a multi-root workspace', function () {
  this.timeout(120_000);
  let api: NixifyApi;

  before(async () => {
    api = await activeApi();
    await api.devShell.restored;
  });

  after(async () => {
    const shell = folder('devshell');
    if (api.devShell.status(shell.uri)?.wanted) {
      await vscode.commands.executeCommand('nixify.toggleDevShell', shell.uri);
    }
    await api.devShell.whenIdle(shell.uri);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('the status item follows the active editor: hidden for a folder without a shell, named per folder', async () => {
    await open(path.join(folder('single').uri.fsPath, 'Cargo.toml'));
    await eventually('the item to follow to `single`', async () =>
      api.devShell.statusBar().folder === folder('single').uri.fsPath ? true : undefined,
    );
    assert.equal(api.devShell.statusBar().visible, false);
    assert.equal(api.devShell.status(folder('single').uri)?.source, null);

    await open(path.join(folder('devshell').uri.fsPath, 'Cargo.toml'));
    await eventually('the item to follow to `devshell`', async () =>
      api.devShell.statusBar().folder === folder('devshell').uri.fsPath ? true : undefined,
    );
    const item = api.devShell.statusBar();
    assert.equal(item.visible, true);
    assert.equal(item.text, '$(circle-large-outline) Dev shell (devshell)');
  });

  it('each folder’s terminals get only that folder’s shell', async () => {
    const shell = folder('devshell');
    await vscode.commands.executeCommand('nixify.toggleDevShell', shell.uri);
    await api.devShell.whenIdle(shell.uri);
    assert.equal(api.devShell.status(shell.uri)?.phase, 'on', api.devShell.status(shell.uri)?.error);
    assert.equal(api.devShell.status(folder('single').uri)?.phase, 'off');
    assert.equal(api.devShell.statusBar().text, '$(check) Dev shell (devshell)');
    assert.equal((await terminalSees(shell, [VAR]))[VAR], VALUE);
    assert.equal((await terminalSees(folder('single'), [VAR]))[VAR], '');
  });

  it('toggling a folder without a shell says why and changes nothing else', async () => {
    await vscode.commands.executeCommand('nixify.toggleDevShell', folder('single').uri);
    const single = api.devShell.status(folder('single').uri);
    assert.equal(single?.phase, 'error');
    assert.match(single?.error ?? '', /no flake\.nix, shell\.nix or default\.nix/);
    assert.equal(api.devShell.status(folder('devshell').uri)?.phase, 'on');
    await vscode.commands.executeCommand('nixify.toggleDevShell', folder('single').uri);
    assert.equal(api.devShell.status(folder('single').uri)?.phase, 'off');
  });
});
