// Scenario `single`: edits on disk show up in the view after `nixify.refreshWorkspaces`.
// The harness runs on a copy of the workspace, but the suite still cleans up so its tests stay independent.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activeApi, allRows, crateNames, eventually, isWorkspaceRow, onlyFolder, rows } from './helpers';
import type { NixifyApi } from '../../src/api';

const encoder = new TextEncoder();

async function write(uri: vscode.Uri, text: string): Promise<void> {
  await vscode.workspace.fs.writeFile(uri, encoder.encode(text));
}

async function workspaceCrates(api: NixifyApi): Promise<string[]> {
  const [workspace] = (await rows(api)).filter(isWorkspaceRow);
  return workspace ? crateNames(api, workspace) : [];
}

async function refreshUntil<T>(
  api: NixifyApi,
  what: string,
  check: () => Promise<T | undefined>,
): Promise<T> {
  await vscode.commands.executeCommand('nixify.refreshWorkspaces');
  return eventually(what, check);
}

describe('refresh after editing manifests', () => {
  let api: NixifyApi;
  let crates: vscode.Uri;

  before(async () => {
    api = await activeApi();
    crates = vscode.Uri.joinPath(onlyFolder().uri, 'crates');
  });

  afterEach(async () => {
    for (const name of ['extra', 'broken']) {
      await vscode.workspace.fs
        .delete(vscode.Uri.joinPath(crates, name), { recursive: true, useTrash: false })
        .then(
          () => undefined,
          () => undefined, // Not created by this test.
        );
    }
    await refreshUntil(api, 'the view to drop the added crates', async () => {
      const names = await workspaceCrates(api);
      return names.join() === 'app,core-lib' ? names : undefined;
    });
  });

  it('shows a crate added under crates/*', async () => {
    const extra = vscode.Uri.joinPath(crates, 'extra');
    await write(
      vscode.Uri.joinPath(extra, 'Cargo.toml'),
      '[package]\nname = "extra"\nversion = "0.0.7"\nedition = "2021"\n',
    );
    await write(vscode.Uri.joinPath(extra, 'src', 'lib.rs'), 'pub fn extra() {}\n');

    const names = await refreshUntil(api, 'the view to list extra', async () => {
      const current = await workspaceCrates(api);
      return current.includes('extra') ? current : undefined;
    });
    assert.deepEqual(names, ['app', 'core-lib', 'extra']);
    const model = api.models().get(onlyFolder().uri.fsPath);
    assert.ok(model?.workspaces[0]?.packages.some((pkg) => pkg.name === 'extra' && pkg.version === '0.0.7'));
  });

  it('shows an unparsable member manifest as a problem', async () => {
    const broken = vscode.Uri.joinPath(crates, 'broken');
    await write(vscode.Uri.joinPath(broken, 'Cargo.toml'), '[package\nname = "broken"\n');
    await write(vscode.Uri.joinPath(broken, 'src', 'lib.rs'), '\n');

    const problems = await refreshUntil(api, 'a problem row', async () => {
      const found = (await allRows(api)).filter((row) => row.contextValue === 'nixify.problem');
      return found.length > 0 ? found : undefined;
    });
    assert.ok(problems.length >= 1);
    const model = api.models().get(onlyFolder().uri.fsPath);
    assert.ok(model);
    const all = [...model.problems, ...model.workspaces.flatMap((workspace) => workspace.problems)];
    assert.ok(
      all.some((problem) => problem.file.includes('broken') && problem.severity === 'error'),
      `no error for crates/broken/Cargo.toml in ${JSON.stringify(all)}`,
    );
  });
});
