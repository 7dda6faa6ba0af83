// Scenario `remote-builders`: a flake whose packages need this machine, a Mac builder and a GPU
// builder (test/harness/remoteBuildersFixture.mjs configures both in NIX_CONFIG). The Derivations
// view marks each "to build" node with where Nix would build it and counts them in its summary.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { NixifyApi } from '../../src/api';
import { activeApi } from './helpers';

let api: NixifyApi;

/** [label, description, tooltip] of every item node, read through the provider as the view reads it. */
function items(): [string, string, string][] {
  const tree = api.derivationTree;
  const out: [string, string, string][] = [];
  const visit = (node: ReturnType<typeof tree.getChildren>[number]): void => {
    if (node.kind === 'item') out.push([node.label, node.description, node.tooltip]);
    for (const child of tree.getChildren(node)) visit(child);
  };
  for (const root of tree.getChildren()) visit(root);
  return out;
}

describe('Derivations view with remote builders configured', function () {
  this.timeout(60_000);

  before(async () => {
    api = await activeApi();
    await vscode.commands.executeCommand('nixify.refreshDerivations');
    await api.derivationTree.whenIdle();
  });

  it('marks each to-build derivation with the machine Nix would build it on', () => {
    const rows = items();
    const row = (label: string) => rows.find(([l]) => l === label);
    assert.equal(row('packages.native')?.[1], 'to build here · nixify-rb-native', JSON.stringify(rows));
    assert.equal(row('packages.mac-tool')?.[1], 'to build on mac.invalid · nixify-rb-mac-tool');
    assert.equal(row('packages.kernels')?.[1], 'to build on gpu.invalid · nixify-rb-kernels');
    assert.match(
      row('packages.mac-tool')?.[2] ?? '',
      /Builds on: ssh-ng:\/\/nix@mac\.invalid \(this machine cannot\)/,
    );
  });

  it('counts them in the view’s summary', () => {
    assert.match(api.derivationTree.description, /3 to build \(1 here · 2 on builders\)$/);
  });
});
