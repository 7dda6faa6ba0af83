// Scenario `derivations`: the fixture flake (test/fixtures/derivations/workspace) set up by the nix
// tier's helper with real signed binary caches (test/harness/derivationsFixture.mjs): the tree
// shows exactly the statuses Nix acts on, Build makes a node local through a real `nix build`, and
// cancelling a long build leaves no nix or sleep process behind. Tests run in order.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { NixifyApi } from '../../src/api';
import { itemNode } from './derivationNodes';
import { activeApi, eventually } from './helpers';
import { descendants, processesWhere } from './procs';

type Row = [group: string, label: string, status: string];

const EXPECTED: Row[] = [
  ['app', 'package', 'cached'],
  ['app', 'dependencies', 'local'],
  ['app', 'image', 'build'],
  ['core-lib', 'package', 'cached'],
  ['core-lib', 'dependencies', 'local'],
  ['web-ui', 'wasm build', 'build'],
  ['web-ui', 'dependencies', 'local'],
  ['Workspace', 'dependencies', 'local'],
  ['Workspace', 'clippy', 'build'],
  ['Workspace', 'doc', 'build'],
  ['Workspace', 'fmt', 'build'],
  ['Workspace', 'test', 'build'],
  ['Workspace', 'dev shell', 'build'],
  ['Other outputs', 'packages.slow', 'build'],
  ['Other outputs', 'packages.wasm-bindgen-cli', 'build'],
];

let api: NixifyApi;

/** Every derivation as [group, label, status], read through the provider as the view reads it. */
async function rows(): Promise<Row[]> {
  const tree = api.derivationTree;
  const out: Row[] = [];
  for (const root of tree.getChildren()) {
    for (const group of tree.getChildren(root)) {
      for (const node of tree.getChildren(group)) {
        if (node.kind === 'item') out.push([group.label, node.label, node.status]);
      }
    }
  }
  return out;
}

const item = (group: string, label: string) => itemNode(api, group, label);

const nixOrSleep = () =>
  processesWhere(
    (argv) => argv.includes('sleep 300') || (argv[0]?.endsWith('sleep') === true && argv[1] === '300'),
  );

describe('Derivations view with real signed binary caches', function () {
  this.timeout(60_000);

  before(async () => {
    api = await activeApi();
    await vscode.commands.executeCommand('nixify.refreshDerivations');
    await api.derivationTree.whenIdle();
  });

  it('shows every derivation with exactly its status and the summary as the view description', async () => {
    assert.deepEqual(await rows(), EXPECTED);
    assert.equal(api.derivationTree.description, '4 local · 2 cached · 9 to build');
    const [root] = api.derivationTree.getChildren();
    assert.equal(root?.description, '4 local · 2 cached · 9 to build');
  });

  it('gives cached items the cache and signer, and shows an untrusted signature as "build" with why', () => {
    const app = item('app', 'package');
    const tree = api.derivationTree.getTreeItem(app);
    assert.ok(tree.iconPath instanceof vscode.ThemeIcon);
    assert.equal(tree.iconPath.id, 'cloud-download');
    assert.equal((tree.iconPath.color as { id?: string } | undefined)?.id, 'charts.blue');
    assert.match(
      String(tree.tooltip),
      new RegExp(`in ${process.env.NIXIFY_TEST_HTTP_CACHE ?? 'missing'}, signed by nixify-trusted-1`),
    );
    assert.equal(tree.contextValue, 'nixify.derivation.cached.package');
    const wasm = item('web-ui', 'wasm build');
    assert.match(wasm.tooltip, /signed by nixify-untrusted-1, which trusted-public-keys does not list/);
    const local = api.derivationTree.getTreeItem(item('app', 'dependencies'));
    assert.ok(local.iconPath instanceof vscode.ThemeIcon);
    assert.deepEqual(
      [local.iconPath.id, (local.iconPath.color as { id?: string } | undefined)?.id],
      ['pass', 'testing.iconPassed'],
    );
  });

  it('explains in one line how to trust the cache the flake declares', () => {
    const [root] = api.derivationTree.getChildren();
    const labels = api.derivationTree.getChildren(root).map((n) => n.label);
    assert.ok(
      labels.some((l) =>
        /^https:\/\/fixture-cache\.invalid \(declared by the flake\) is not used.*extra-substituters/.test(l),
      ),
      labels.join('\n'),
    );
  });

  it('Build on a "build" node runs nix build and the node becomes local (its cached dependency too)', async () => {
    const ok = await vscode.commands.executeCommand('nixify.buildDerivation', item('app', 'image'));
    assert.equal(ok, true);
    assert.equal(item('app', 'image').status, 'local');
    assert.equal(item('app', 'package').status, 'local');
    assert.equal(api.derivationTree.description, '6 local · 1 cached · 8 to build');
  });

  it('cancelling a long build kills its whole process group: no nix or sleep left', async () => {
    const building = vscode.commands.executeCommand(
      'nixify.buildDerivation',
      item('Other outputs', 'packages.slow'),
    );
    await eventually('the slow build to start sleeping', async () =>
      nixOrSleep().length > 0 ? true : undefined,
    );
    assert.equal(item('Other outputs', 'packages.slow').status, 'building');
    api.derivationTree.cancelBuilds();
    assert.equal(await building, false);
    await eventually('every nix and sleep process to end', async () => {
      const left = [...nixOrSleep(), ...descendants().filter((p) => /(^|\/)nix$/.test(p.argv[0] ?? ''))];
      return left.length === 0 ? true : undefined;
    });
    // Cancelled is not failed: the node goes back to "build".
    assert.equal(item('Other outputs', 'packages.slow').status, 'build');
  });
});
