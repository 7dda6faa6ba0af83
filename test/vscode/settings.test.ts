// Scenario `with-flake`: the deprecated `nixify.devShell.nixPath` moves to `nixify.nix.path`, in a
// real VS Code's configuration (the folder's .vscode/settings.json in the run folder).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { migrateNixPathSetting } from '../../src/settingsMigration';
import { activeApi } from './helpers';

describe('settings: nixify.devShell.nixPath → nixify.nix.path', () => {
  const oldSection = () => vscode.workspace.getConfiguration('nixify.devShell');
  const newSection = () => vscode.workspace.getConfiguration('nixify.nix');
  const logged: string[] = [];
  const log = { info: (message: string) => void logged.push(message) };

  before(async () => {
    await activeApi();
  });

  afterEach(async () => {
    await oldSection().update('nixPath', undefined, vscode.ConfigurationTarget.Workspace);
    await newSection().update('path', undefined, vscode.ConfigurationTarget.Workspace);
    logged.length = 0;
  });

  it('moves a workspace value to the new setting and clears the old one', async () => {
    await oldSection().update('nixPath', '/opt/nix/bin/nix', vscode.ConfigurationTarget.Workspace);
    await migrateNixPathSetting(log);
    assert.equal(newSection().inspect<string>('path')?.workspaceValue, '/opt/nix/bin/nix');
    assert.equal(oldSection().inspect<string>('nixPath')?.workspaceValue, undefined);
    assert.equal(logged.length, 1);
  });

  it('keeps a value the new setting already has; the old one is cleared', async () => {
    await newSection().update('path', '/chosen/nix', vscode.ConfigurationTarget.Workspace);
    await oldSection().update('nixPath', '/old/nix', vscode.ConfigurationTarget.Workspace);
    await migrateNixPathSetting(log);
    assert.equal(newSection().inspect<string>('path')?.workspaceValue, '/chosen/nix');
    assert.equal(oldSection().inspect<string>('nixPath')?.workspaceValue, undefined);
  });

  it('does nothing (and says nothing) when the old setting is not set', async () => {
    await migrateNixPathSetting(log);
    assert.equal(newSection().inspect<string>('path')?.workspaceValue, undefined);
    assert.deepEqual(logged, []);
  });
});
