import * as assert from 'node:assert/strict';
import type { DerivationGroups, DerivationItem, ItemStatus } from '../../../src/core/derivations';
import {
  buildDerivationTree,
  buildTargets,
  failedAfterBuild,
  viewDescription,
  type DerivationFolderInput,
  type DerivationNode,
  type ItemNode,
} from '../../../src/views/derivationTreeModel';

const S = '/nix/store/';
const item = (
  name: string,
  kind: DerivationItem['kind'],
  label: string,
  attrs: string[] = [],
): DerivationItem => ({
  drvPath: `${S}${name.padEnd(32, 'a').slice(0, 32)}-${name}.drv`,
  name,
  outputs: { out: `${S}${name.padEnd(32, 'b').slice(0, 32)}-${name}` },
  kind,
  label,
  attributes: attrs,
  artifactsOf: [],
});
const app = item('app-0.1.0', 'package', 'package', ['packages.x86_64-linux.app']);
const appDeps = item('app-deps-0.1.0', 'dependencies', 'dependencies');
const web = item('web-ui-0.1.0', 'wasm', 'wasm build', ['packages.x86_64-linux.web-ui']);
const clippy = item('fixture-clippy', 'check', 'clippy', ['checks.x86_64-linux.workspace-clippy']);
const tool = item('tool', 'package', 'packages.tool', ['packages.x86_64-linux.tool']);
const groups: DerivationGroups = {
  system: 'x86_64-linux',
  crates: [
    { crate: 'app', items: [app, appDeps] },
    { crate: 'web-ui', items: [web] },
  ],
  workspace: [clippy],
  other: [tool],
  failed: [],
};
const status = (i: DerivationItem, s: ItemStatus['status'], hit = false): [string, ItemStatus] => [
  i.drvPath,
  {
    drvPath: i.drvPath,
    status: s,
    outputs: Object.entries(i.outputs).map(([output, path]) => ({
      output,
      path,
      status: s,
      hit: hit
        ? { url: 'file:///cache', signedBy: 'trusted-1', narSize: 2_500_000, fileSize: 1_200_000 }
        : null,
      detail:
        s === 'build'
          ? 'file:///cache has it, signed by untrusted-1, which trusted-public-keys does not list'
          : null,
    })),
    narSize: hit ? 2_500_000 : 0,
    downloadSize: hit ? 1_200_000 : null,
    detail: null,
  },
];
const folder = (over: Partial<DerivationFolderInput> = {}): DerivationFolderInput => ({
  name: 'ws',
  path: '/ws',
  manifests: { app: '/ws/crates/app/Cargo.toml', 'web-ui': '/ws/crates/web-ui/Cargo.toml' },
  untrusted: false,
  evaluating: false,
  error: null,
  groups,
  statuses: new Map([
    status(app, 'cached', true),
    status(appDeps, 'local'),
    status(web, 'build'),
    status(clippy, 'unknown'),
    status(tool, 'local'),
  ]),
  notes: [],
  failedBuilds: new Set(),
  building: new Set(),
  ...over,
});
const children = (n: DerivationNode): DerivationNode[] =>
  n.kind === 'folder' || n.kind === 'group' ? n.children : [];
const find = (nodes: DerivationNode[], label: string): DerivationNode => {
  const found = nodes.find((n) => n.label === label);
  assert.ok(found, `no node ${label} in ${nodes.map((n) => n.label).join(', ')}`);
  return found;
};

describe('derivation tree model', () => {
  it('groups crates, Workspace and Other outputs with status icons, colours and menu keys', () => {
    const [root] = buildDerivationTree([folder()]);
    assert.ok(root);
    assert.equal(root.description, '2 local · 1 cached · 1 to build · 1 unknown');
    assert.deepEqual(
      root.children.map((n) => n.label),
      ['app', 'web-ui', 'Workspace', 'Other outputs'],
    );
    const appNode = find(root.children, 'app');
    assert.equal(appNode.contextValue, 'nixify.derivationCrate.withDeps');
    assert.equal(appNode.description, '1 cached · 1 local');
    const pkg = find(children(appNode), 'package') as ItemNode;
    assert.deepEqual(
      [pkg.icon, pkg.color, pkg.contextValue],
      ['cloud-download', 'charts.blue', 'nixify.derivation.cached.package'],
    );
    assert.equal(pkg.description, 'cached · 1.2 MB · app-0.1.0');
    assert.equal(pkg.manifestPath, '/ws/crates/app/Cargo.toml');
    assert.match(pkg.tooltip, /Attribute: packages\.x86_64-linux\.app/);
    assert.match(pkg.tooltip, /Derivation: \/nix\/store\/.*-app-0\.1\.0\.drv/);
    assert.match(pkg.tooltip, /in file:\/\/\/cache, signed by trusted-1/);
    assert.match(pkg.tooltip, /NAR size 2\.5 MB · download 1\.2 MB/);
    const deps = find(children(appNode), 'dependencies') as ItemNode;
    assert.deepEqual([deps.icon, deps.color], ['pass', 'testing.iconPassed']);
    const wasm = find(children(find(root.children, 'web-ui')), 'wasm build') as ItemNode;
    assert.deepEqual([wasm.icon, wasm.color, wasm.status], ['tools', 'charts.orange', 'build']);
    const unknown = find(children(find(root.children, 'Workspace')), 'clippy') as ItemNode;
    assert.deepEqual([unknown.icon, unknown.status], ['question', 'unknown']);
  });

  it('shows running and failed builds over the cache status, and spinners while statuses are computed', () => {
    const [root] = buildDerivationTree([
      folder({ failedBuilds: new Set([web.drvPath]), building: new Set([app.drvPath]) }),
    ]);
    assert.ok(root);
    const wasm = find(children(find(root.children, 'web-ui')), 'wasm build') as ItemNode;
    assert.deepEqual(
      [wasm.icon, wasm.color, wasm.contextValue],
      ['error', 'testing.iconFailed', 'nixify.derivation.failed.wasm'],
    );
    const pkg = find(children(find(root.children, 'app')), 'package') as ItemNode;
    assert.equal(pkg.status, 'building');
    const [pending] = buildDerivationTree([folder({ statuses: null, evaluating: true })]);
    assert.ok(pending);
    const p = find(children(find(pending.children, 'app')), 'package') as ItemNode;
    assert.deepEqual([p.icon, p.status], ['sync~spin', 'evaluating']);
    assert.equal(viewDescription([folder({ statuses: null, evaluating: true })]), 'checking caches…');
    assert.equal(
      viewDescription([folder({ groups: null, statuses: null, evaluating: true })]),
      'evaluating…',
    );
  });

  it('says why nothing is shown: untrusted, evaluating, an evaluation error; and shows cache notes', () => {
    const [untrusted] = buildDerivationTree([folder({ untrusted: true, groups: null, statuses: null })]);
    assert.match(untrusted?.children[0]?.label ?? '', /^Trust this folder/);
    const [evaluating] = buildDerivationTree([folder({ evaluating: true, groups: null, statuses: null })]);
    assert.deepEqual(
      [evaluating?.children[0]?.label, evaluating?.children[0]?.icon],
      ['Evaluating the flake…', 'sync~spin'],
    );
    const error = "error: undefined variable 'oops'\n\n       at /ws/flake.nix:12:5:\n\n           11|";
    const [failed] = buildDerivationTree([folder({ error, groups: null, statuses: null })]);
    const node = failed?.children[0];
    assert.ok(node?.kind === 'message');
    assert.equal(node.label, "Evaluation failed: undefined variable 'oops'");
    assert.deepEqual(node.location, { file: '/ws/flake.nix', line: 12, column: 5 });
    // Nix 2.18+ opens with an empty `error:` and a trace; the label is the innermost message.
    const modern = `error:\n       … while evaluating attribute 'devShells'\n         at «string»:21:3:\n\n       error: boom\n       at /ws/flake.nix:3:7:`;
    const [failedModern] = buildDerivationTree([folder({ error: modern, groups: null, statuses: null })]);
    const modernNode = failedModern?.children[0];
    assert.ok(modernNode?.kind === 'message');
    assert.equal(modernNode.label, 'Evaluation failed: boom');
    assert.deepEqual(modernNode.location, { file: '/ws/flake.nix', line: 3, column: 7 });
    const note = 'https://x.cachix.org (declared by the flake) is not used: …';
    const [withNote] = buildDerivationTree([folder({ notes: [note] })]);
    assert.deepEqual([withNote?.children[0]?.label, withNote?.children[0]?.icon], [note, 'info']);
  });

  it("picks build targets: an item itself, a crate's missing ones or only its dependencies, a folder's missing ones", () => {
    const [root] = buildDerivationTree([
      folder({
        statuses: new Map([
          status(app, 'build'),
          status(appDeps, 'build'),
          status(web, 'local'),
          status(clippy, 'cached'),
          status(tool, 'local'),
        ]),
      }),
    ]);
    assert.ok(root);
    const appNode = find(root.children, 'app');
    assert.deepEqual(
      buildTargets(appNode).map((i) => i.name),
      ['app-0.1.0', 'app-deps-0.1.0'],
    );
    assert.deepEqual(
      buildTargets(appNode, 'dependencies').map((i) => i.name),
      ['app-deps-0.1.0'],
    );
    assert.deepEqual(
      buildTargets(root).map((i) => i.name),
      ['app-0.1.0', 'app-deps-0.1.0', 'fixture-clippy'],
    );
    const local = find(children(find(root.children, 'web-ui')), 'wasm build');
    assert.deepEqual(
      buildTargets(local).map((i) => i.name),
      ['web-ui-0.1.0'],
    );
  });

  it('keeps a failed build until the derivation is local; a cancelled build is no failure', () => {
    const statuses = new Map([status(app, 'build'), status(appDeps, 'local'), status(web, 'build')]);
    const built = [app.drvPath, appDeps.drvPath];
    const failed = failedAfterBuild(new Set([web.drvPath]), built, { ok: false, cancelled: false }, statuses);
    // appDeps was built before nix failed on app.
    assert.deepEqual([...failed].sort(), [app.drvPath, web.drvPath].sort());
    const retried = failedAfterBuild(failed, built, { ok: false, cancelled: true }, statuses);
    assert.deepEqual([...retried], [web.drvPath]);
    const fixed = new Map([status(app, 'local'), status(appDeps, 'local')]);
    assert.deepEqual(
      [...failedAfterBuild(failed, built, { ok: true, cancelled: false }, fixed)],
      [web.drvPath],
    );
  });
});
