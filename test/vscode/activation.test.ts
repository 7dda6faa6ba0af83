// Scenarios `single` (virtual manifest, no flake) and `with-flake` (one crate + flake.nix).
import * as assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activeApi, eventually, extension, onlyFolder } from './helpers';

const scenario = process.env.NIXIFY_TEST_SCENARIO ?? 'single';

describe(`activation (${scenario})`, () => {
  it('activates by itself through workspaceContains:Cargo.toml', async () => {
    const ext = extension();
    await eventually('the extension to activate', async () => (ext.isActive ? true : undefined));
    assert.equal(ext.isActive, true);
  });

  it('sets nixify.activated, nixify.detected, nixify.inCargoWorkspace and nixify.hasFlake', async () => {
    const keys = (await activeApi()).contextKeys();
    assert.equal(keys['nixify.activated'], true);
    assert.equal(keys['nixify.detected'], true);
    assert.equal(keys['nixify.inCargoWorkspace'], true);
    assert.equal(keys['nixify.hasFlake'], scenario === 'with-flake');
  });

  it('keys the model by the workspace folder path', async () => {
    const api = await activeApi();
    const folder = onlyFolder();
    assert.deepEqual([...api.models().keys()], [folder.uri.fsPath]);
    const model = api.models().get(folder.uri.fsPath);
    assert.ok(model, 'no model for the workspace folder');
    assert.equal(model.workspaces.length, 1);
    const expected = scenario === 'with-flake' ? ['flaky'] : ['app', 'core-lib'];
    assert.deepEqual(model.workspaces[0]?.packages.map((pkg) => pkg.name).sort(), expected);
  });

  it('reports how long activate() took', async () => {
    const api = await activeApi();
    assert.equal(typeof api.activationMs, 'number');
    assert.ok(
      Number.isFinite(api.activationMs) && api.activationMs >= 0,
      `activationMs = ${api.activationMs}`,
    );
    // Logged, never bounded: a timing assertion would make the suite depend on the machine's load.
    console.log(`nixify activationMs (${scenario}): ${api.activationMs.toFixed(1)}`);
    if (scenario === 'single') {
      const file = path.join(extension().extensionPath, '.test-runs', 'activation-ms.json');
      await mkdir(path.dirname(file), { recursive: true });
      const record = {
        activationMs: api.activationMs,
        scenario,
        vscode: vscode.version,
        at: new Date().toISOString(),
      };
      await writeFile(file, `${JSON.stringify(record, null, 2)}\n`);
    }
  });
});
