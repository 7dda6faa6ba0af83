// Scenario `single`: the Crates view shows the virtual workspace and its two member crates.
import * as assert from 'node:assert/strict';
import { activeApi, crateNames, isWorkspaceRow, rows } from './helpers';

describe('crates view', () => {
  it('has the Cargo workspace as its only root, named after the directory of the virtual manifest', async () => {
    const roots = (await rows(await activeApi())).filter(isWorkspaceRow);
    assert.deepEqual(
      roots.map((row) => row.label),
      ['single'],
    );
  });

  it('lists app and core-lib under the workspace, with their versions', async () => {
    const api = await activeApi();
    const [workspace] = (await rows(api)).filter(isWorkspaceRow);
    assert.ok(workspace);
    assert.deepEqual(await crateNames(api, workspace), ['app', 'core-lib']);
    const crates = await rows(api, workspace.element);
    const version = (name: string) => crates.find((row) => row.label === name)?.description ?? '';
    assert.match(version('app'), /0\.3\.1/);
    assert.match(version('core-lib'), /1\.2\.0/);
  });
});
