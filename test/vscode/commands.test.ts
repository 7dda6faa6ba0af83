// Scenario `single`: the commands the extension contributes exist in the running editor and do what
// their titles say.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import { activeApi, eventually, extension, isWorkspaceRow, onlyFolder, rows } from './helpers';

describe('commands', () => {
  before(async () => {
    await activeApi();
  });

  afterEach(async () => {
    // Revert first: closing the unsaved JSON document would ask whether to save it.
    for (let i = 0; i < 10 && vscode.window.activeTextEditor; i++) {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });

  for (const id of ['nixify.showLog', 'nixify.showDetectedWorkspaces', 'nixify.refreshWorkspaces']) {
    it(`registers ${id}`, async () => {
      const commands = await vscode.commands.getCommands(true);
      assert.ok(commands.includes(id), `${id} is not registered`);
    });
  }

  it('nixify.showLog runs without error', async () => {
    await vscode.commands.executeCommand('nixify.showLog');
  });

  it('nixify.showDetectedWorkspaces opens the JSON that `nixify detect --json` prints', async () => {
    await vscode.commands.executeCommand('nixify.showDetectedWorkspaces');
    // Not activeTextEditor: an output channel (language "log") can hold the focus for a moment.
    const editor = await eventually('a JSON editor to open', async () =>
      vscode.window.visibleTextEditors.find((e) => e.document.languageId === 'json'),
    );
    const cli = path.join(extension().extensionPath, 'dist', 'cli.js');
    const { stdout } = await promisify(execFile)(process.execPath, [
      cli,
      'detect',
      '--json',
      onlyFolder().uri.fsPath,
    ]);
    assert.deepEqual(JSON.parse(editor.document.getText()), JSON.parse(stdout));
  });

  it('nixify.revealManifest opens the Cargo.toml of a crate from the view', async () => {
    const api = await activeApi();
    const [workspace] = (await rows(api)).filter(isWorkspaceRow);
    assert.ok(workspace);
    const core = (await rows(api, workspace.element)).find((row) => row.label === 'core-lib');
    assert.ok(core, 'core-lib is not in the view');
    await vscode.commands.executeCommand('nixify.revealManifest', core.element);
    const expected = vscode.Uri.joinPath(onlyFolder().uri, 'crates', 'core-lib', 'Cargo.toml');
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, expected.fsPath);
  });
});
