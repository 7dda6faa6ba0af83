// Scenario `folder-churn`: folders `empty` (stays first) and `churn-a`; `churn-b` beside them. Both
// churn flakes take seconds to evaluate. Folders are removed and added while Nix evaluates them:
// afterwards no Nix process of a removed folder runs, the Derivations view lists exactly the open
// folders, and the folder that stayed is evaluated to the end.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { NixifyApi } from '../../src/api';
import { activeApi, eventually } from './helpers';
import { processesWhere } from './procs';

let api: NixifyApi;
const workspacesDir = (): string => path.dirname(vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '');
const churn = (name: 'a' | 'b'): string => path.join(workspacesDir(), `churn-${name}`);

/** Nix processes whose command line names `folder` (the evaluation's getFlake reference does). */
const nixOf = (folder: string) =>
  processesWhere((argv) => path.basename(argv[0] ?? '') === 'nix' && argv.join(' ').includes(folder));

/** Replaces the second workspace folder with `folder` (or removes it), and waits for the change. */
async function setSecondFolder(folder: string | null): Promise<void> {
  const changed = new Promise<void>((resolve) => {
    const listener = vscode.workspace.onDidChangeWorkspaceFolders(() => {
      listener.dispose();
      resolve();
    });
  });
  const count = vscode.workspace.workspaceFolders?.length ?? 0;
  const added = folder === null ? [] : [{ uri: vscode.Uri.file(folder) }];
  assert.ok(vscode.workspace.updateWorkspaceFolders(1, count - 1, ...added), 'the folder change was refused');
  await changed;
}

const treeFolders = (): string[] =>
  api.derivationTree
    .getChildren()
    .map((root) => root.folder)
    .sort();

describe('folders added and removed while Nix evaluates them', function () {
  this.timeout(180_000);

  before(async () => {
    api = await activeApi();
  });

  it('stops the evaluation of a removed folder and drops it from the view', async () => {
    void vscode.commands.executeCommand('nixify.refreshDerivations');
    await eventually('an evaluation of churn-a', async () =>
      nixOf(churn('a')).length > 0 ? true : undefined,
    );
    await setSecondFolder(churn('b'));
    await eventually('churn-b in the view', async () =>
      treeFolders().includes(churn('b')) ? true : undefined,
    );
    assert.ok(!treeFolders().includes(churn('a')), treeFolders().join(', '));
    void vscode.commands.executeCommand('nixify.refreshDerivations');
    await eventually('an evaluation of churn-b', async () =>
      nixOf(churn('b')).length > 0 ? true : undefined,
    );
    // Rapidly: b out, a in, a out, b in, b out, a in — each while the previous one's evaluation runs.
    await setSecondFolder(null);
    await setSecondFolder(churn('a'));
    void vscode.commands.executeCommand('nixify.refreshDerivations');
    await setSecondFolder(null);
    await setSecondFolder(churn('b'));
    await eventually('churn-b in the view again', async () =>
      treeFolders().includes(churn('b')) ? true : undefined,
    );
    void vscode.commands.executeCommand('nixify.refreshDerivations');
    await eventually('an evaluation of churn-b, again', async () =>
      nixOf(churn('b')).length > 0 ? true : undefined,
    );
    await setSecondFolder(null);
    await setSecondFolder(churn('a'));

    await eventually('no Nix process of the removed churn-b', async () =>
      nixOf(churn('b')).length === 0 ? true : undefined,
    );
    assert.ok(!treeFolders().includes(churn('b')), treeFolders().join(', '));
  });

  it('evaluates the folder that stayed to the end, and lists only open folders', async () => {
    await vscode.commands.executeCommand('nixify.refreshDerivations');
    await api.derivationTree.whenIdle();
    const open = new Set((vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath));
    assert.ok(
      treeFolders().every((folder) => open.has(folder)),
      treeFolders().join(', '),
    );
    assert.ok(treeFolders().includes(churn('a')), treeFolders().join(', '));
    const [root] = api.derivationTree.getChildren().filter((r) => r.folder === churn('a'));
    assert.match(root?.description ?? '', /1 to build/);
    await eventually('no Nix process left running', async () =>
      nixOf(churn('a')).length === 0 && nixOf(churn('b')).length === 0 ? true : undefined,
    );
  });
});
