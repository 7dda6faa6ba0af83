// Scenario `with-flake`: "Nixify: Check Nix Health" in a real VS Code, with the machine's Nix and
// its own configuration (no NIX_CONFIG from the harness). The folder has a flake.nix but neither
// flake.lock nor Cargo.lock, and lives in the harness's run folder (inside this repository's work
// tree, ignored by git, so git tracks none of its files).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as vscode from 'vscode';
import type { HealthItem, HealthReport } from '../../src/core/health';
import { activeApi, eventually, onlyFolder } from './helpers';

describe('Check Nix Health (with-flake)', () => {
  let report: HealthReport | undefined;
  const item = (id: string): HealthItem => {
    const found = report?.items.find((i) => i.id === id);
    assert.ok(found, `no ${id} in ${report?.items.map((i) => i.id).join(', ')}`);
    return found;
  };

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('runs every check through the command and returns the report', async () => {
    await activeApi();
    report = await vscode.commands.executeCommand<HealthReport | undefined>('nixify.checkHealth');
    assert.ok(report, 'the command returned no report');
    const folder = onlyFolder().uri.fsPath;
    assert.equal(item('nix.installed').status, 'ok');
    assert.match(item('nix.installed').detail, /^Nix \d+\.\d+\.\d+ at \//);
    assert.equal(item('nix.store').status, 'ok');
    for (const id of ['nix.experimentalFeatures', 'nix.trustedUser', 'tool.git', 'tool.cachix']) {
      assert.ok(['ok', 'warning', 'skipped'].includes(item(id).status), `${id}: ${item(id).status}`);
    }
    // The workspace is trusted (the harness turns trust off), so the flake's nixConfig was read.
    assert.equal(item('flake.substituters').status, 'ok');
    assert.equal(item('flake.substituters').folder, folder);
    assert.equal(item('flake.substituters').detail, 'flake.nix declares no binary caches.');
    assert.equal(item('workspace.flakeLock').status, 'warning');
    assert.equal(item('workspace.cargoLock').status, 'error');
    assert.deepEqual(item('workspace.cargoLock').fix, {
      kind: 'command',
      command: 'cargo generate-lockfile',
    });
    const inRepo = spawnSync('git', ['rev-parse', '--is-inside-work-tree'], {
      cwd: folder,
      encoding: 'utf8',
    });
    const flake = item('workspace.flake');
    if (inRepo.stdout.trim() === 'true') {
      assert.equal(flake.status, 'error');
      assert.deepEqual(flake.fix, { kind: 'command', command: 'git add flake.nix' });
    } else {
      assert.equal(flake.status, 'ok');
    }
    for (const i of report.items) {
      assert.ok(['ok', 'warning', 'error', 'skipped'].includes(i.status), `${i.id}: ${i.status}`);
      assert.ok(i.title !== '' && i.detail !== '', i.id);
    }
  });

  it('shows the results in a quick pick whose first entry opens the full report', async () => {
    assert.ok(report);
    // The quick pick is open; its first entry is "Open the full report".
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    const document = await eventually('the report document to open', async () =>
      vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'nixify-health'),
    );
    const text = document.getText();
    assert.match(text, /^# Nixify health: problems found/);
    assert.ok(text.includes('## ✗ Cargo.lock'), text);
    assert.ok(text.includes('```sh\ncargo generate-lockfile\n```'), text);
  });

  // The walkthrough opens in the Welcome editor (which the harness keeps closed at startup). That
  // its steps and media are well-formed is checked against package.json in test/unit/walkthrough.
  it('opens the Getting Started walkthrough in the Welcome editor', async () => {
    const welcome = () =>
      vscode.window.tabGroups.all.flatMap((group) => group.tabs).find((t) => /^Welcome$/.test(t.label));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    assert.equal(welcome(), undefined, 'a Welcome editor was already open');
    await vscode.commands.executeCommand('nixify.openWalkthrough');
    await eventually('the walkthrough to open', async () => welcome());
  });
});
