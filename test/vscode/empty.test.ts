// Scenario `empty`: a folder without Cargo.toml. Nothing activates Nixify until something asks for
// it (opening its view does; the suite calls activate() the same way).
import * as assert from 'node:assert/strict';
import { activeApi, allRows, extension, onlyFolder } from './helpers';

describe('folder without Cargo.toml', () => {
  it('does not activate by itself', () => {
    assert.equal(extension().isActive, false);
  });

  it('reports nixify.inCargoWorkspace false once activated', async () => {
    const api = await activeApi();
    const keys = api.contextKeys();
    assert.equal(keys['nixify.activated'], true);
    assert.equal(keys['nixify.detected'], true);
    assert.equal(keys['nixify.inCargoWorkspace'], false);
    assert.equal(keys['nixify.hasFlake'], false);
  });

  it('has an empty model and no crates in the view', async () => {
    const api = await activeApi();
    assert.deepEqual(api.models().get(onlyFolder().uri.fsPath)?.workspaces, []);
    const crates = (await allRows(api)).filter((row) => row.contextValue === 'nixify.crate');
    assert.deepEqual(crates, []);
  });
});
