// Scenario `multi-root`: folders `single` (virtual workspace app + core-lib) and `second` (crate solo).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activeApi, crateNames, isWorkspaceRow, rows } from './helpers';

describe('multi-root workspace', () => {
  it('has one root per workspace folder', async () => {
    const roots = await rows(await activeApi());
    assert.deepEqual(
      roots.map((row) => row.contextValue),
      ['nixify.folder', 'nixify.folder'],
    );
    assert.deepEqual(roots.map((row) => row.label).sort(), ['second', 'single']);
  });

  it('keeps one model per folder', async () => {
    const api = await activeApi();
    const folders = (vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.fsPath).sort();
    assert.equal(folders.length, 2);
    assert.deepEqual([...api.models().keys()].sort(), folders);
  });

  it('lists each folder’s crates below its own root', async () => {
    const api = await activeApi();
    const byFolder: Record<string, string[]> = {};
    for (const folder of await rows(api)) {
      const workspaces = (await rows(api, folder.element)).filter(isWorkspaceRow);
      const names = await Promise.all(workspaces.map((workspace) => crateNames(api, workspace)));
      byFolder[folder.label] = names.flat().sort();
    }
    assert.deepEqual(byFolder, { single: ['app', 'core-lib'], second: ['solo'] });
  });
});
