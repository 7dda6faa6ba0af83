import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { detectWorkspaces } from '../../../src/core/cargo';
import {
  groupProjectDerivations,
  type BuildMachines,
  type DerivationGroups,
  type DerivationItem,
  type FlakeDerivation,
  type ItemStatus,
} from '../../../src/core/derivations';
import {
  buildDerivationTree,
  buildTargets,
  failedAfterBuild,
  projectsOfModel,
  viewDescription,
  type DerivationFolderInput,
  type DerivationNode,
  type ItemNode,
} from '../../../src/views/derivationTreeModel';
import type { BuildMachine } from '../../../src/core/nix/buildMachines';
import { buildMachine } from '../helpers/buildMachine';
import { REPO_ROOT } from '../helpers/repo';

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
const crateGroups = [
  { crate: 'app', output: 'app', project: 'workspace', items: [app, appDeps] },
  { crate: 'web-ui', output: 'web-ui', project: 'workspace', items: [web] },
];
const groups: DerivationGroups = {
  system: 'x86_64-linux',
  projects: [{ key: 'workspace', dir: '', primary: true, crates: crateGroups, items: [clippy] }],
  crates: crateGroups,
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
  describe('a flake with several Cargo projects (repo-with-site)', () => {
    const dir = path.join(REPO_ROOT, 'test', 'fixtures', 'repo-with-site');
    const model = projectsOfModel(dir, detectWorkspaces(dir), null);
    const d = (name: string): FlakeDerivation => ({
      drvPath: `${S}${name.padEnd(32, 'a').slice(0, 32)}-${name}.drv`,
      name,
      outputs: { out: `${S}${name.padEnd(32, 'b').slice(0, 32)}-${name}` },
    });
    const rootDeps = d('rws-deps');
    const attributes = [
      ['packages', 'workspace-cli', d('cli-0.1.0'), rootDeps],
      ['packages', 'core-lib', d('core-lib-0.1.0'), rootDeps],
      ['packages', 'leptos-website', d('leptos-website-0.1.0'), null],
      ['packages', 'tools-standalone-cli', d('cli-1.0.0'), null],
      ['checks', 'workspace-clippy', d('rws-clippy'), rootDeps],
      ['checks', 'tools-standalone-clippy', d('cli-clippy'), null],
      ['devShells', 'workspace', d('rws-shell'), null],
      ['devShells', 'default', d('rws-shell'), null],
      ['devShells', 'leptos-website', d('site-shell'), null],
      ['devShells', 'tools-standalone', d('tools-shell'), null],
    ] as const;
    const multi = groupProjectDerivations(
      {
        system: 'x86_64-linux',
        cache: { substituters: [], trustedPublicKeys: [] },
        inputs: {},
        attributes: attributes.map(([section, name, derivation, cargoArtifacts]) => ({
          section,
          name,
          derivation,
          cargoArtifacts,
        })),
      },
      model.projects,
    );
    const built = new Set(['cli-0.1.0', 'rws-deps', 'rws-shell']);
    const statuses = new Map(
      [...multi.crates.flatMap((c) => c.items), ...multi.workspace].map((i) =>
        status(i, built.has(i.name) ? 'local' : 'build'),
      ),
    );
    const tree = () =>
      buildDerivationTree([
        folder({
          path: dir,
          groups: multi,
          statuses,
          manifests: model.manifests,
          projectNames: model.names,
        }),
      ])[0];

    it('names the projects and their crates as the generated flake does', () => {
      assert.deepEqual(
        model.projects.map((p) => [p.key, p.dir, p.crates.map((c) => c.output ?? c.name)]),
        [
          ['workspace', '', ['workspace-cli', 'core-lib']],
          ['leptos-website', 'leptos-website', ['leptos-website']],
          ['tools-standalone', 'tools/standalone', ['tools-standalone-cli']],
        ],
      );
      assert.equal(
        model.manifests['tools-standalone-cli'],
        path.join(dir, 'tools', 'standalone', 'Cargo.toml'),
      );
      assert.deepEqual(model.names, {
        workspace: 'repo-with-site',
        'leptos-website': 'leptos-website',
        'tools-standalone': 'tools/standalone',
      });
    });

    it('puts the projects on top, each with its crates and a Project node (checks, dev shell, artifacts)', () => {
      const root = tree();
      assert.ok(root);
      assert.deepEqual(
        root.children.map((n) => [n.label, n.description]),
        [
          ['repo-with-site', '2 crates · 2 to build · 3 local'],
          ['leptos-website', '1 crate · 2 to build'],
          ['tools/standalone', '1 crate · 3 to build'],
        ],
      );
      const site = find(root.children, 'leptos-website');
      assert.match(site.tooltip, /devShells\.leptos-website · checks\.leptos-website-clippy/);
      assert.deepEqual(
        children(site).map((n) => n.label),
        ['leptos-website', 'Project'],
      );
      const top = find(root.children, 'repo-with-site');
      assert.deepEqual(
        children(top).map((n) => n.label),
        ['workspace-cli', 'core-lib', 'Project'],
      );
      assert.deepEqual(
        children(find(children(top), 'Project')).map((n) => n.label),
        ['dependencies', 'clippy', 'dev shell'],
      );
      const cli = find(children(find(root.children, 'tools/standalone')), 'tools-standalone-cli');
      assert.equal(
        cli.kind === 'group' && cli.manifestPath,
        path.join(dir, 'tools', 'standalone', 'Cargo.toml'),
      );
      const ids = new Set<string>();
      const walk = (n: DerivationNode): void => {
        assert.ok(!ids.has(n.id), `duplicate id ${n.id}`);
        ids.add(n.id);
        children(n).forEach(walk);
      };
      walk(root);
      // Build on a project builds what of it is not local.
      assert.deepEqual(
        buildTargets(site).map((i) => i.name),
        ['leptos-website-0.1.0', 'site-shell'],
      );
    });
  });
});

describe('derivation tree: where a "to build" derivation would build', () => {
  const machines = (builders: BuildMachine[]): BuildMachines => ({
    local: { system: 'x86_64-linux', extraPlatforms: [], systemFeatures: ['big-parallel'], maxJobs: 2 },
    builders,
  });
  const builder = (uri: string, systems: string[]): BuildMachine =>
    buildMachine(uri, {
      systems,
      maxJobs: 4,
      speedFactor: 2,
      supportedFeatures: ['big-parallel'],
      origin: '/etc/nix/machines:1',
    });
  const linux = { system: 'x86_64-linux', requiredSystemFeatures: [], preferLocalBuild: false };
  const withBuild = (i: DerivationItem, build = linux): DerivationItem => ({ ...i, build });

  it('marks to-build items with the builder Nix would offer them to, and counts them in the summary', () => {
    const darwinTool = withBuild(tool, { ...linux, system: 'aarch64-darwin' });
    const webGroup = { crate: 'web-ui', output: 'web-ui', project: 'workspace', items: [withBuild(web)] };
    const g: DerivationGroups = {
      ...groups,
      projects: [{ key: 'workspace', dir: '', primary: true, crates: [webGroup], items: [clippy] }],
      crates: [webGroup],
      other: [darwinTool],
    };
    const input = folder({
      groups: g,
      statuses: new Map([status(web, 'build'), status(clippy, 'local'), status(tool, 'build')]),
      machines: machines([builder('ssh-ng://nix@mac.example?remote-store=x', ['aarch64-darwin'])]),
    });
    const [root] = buildDerivationTree([input]);
    assert.ok(root);
    const wasm = find(children(find(root.children, 'web-ui')), 'wasm build') as ItemNode;
    assert.equal(wasm.description, 'to build here · web-ui-0.1.0');
    assert.match(wasm.tooltip, /Builds on: this machine/);
    const other = find(children(find(root.children, 'Other outputs')), 'packages.tool') as ItemNode;
    assert.equal(other.description, 'to build on mac.example · tool');
    assert.match(
      other.tooltip,
      /Builds on: ssh-ng:\/\/nix@mac\.example\?remote-store=x \(this machine cannot\)/,
    );
    assert.equal(root.description, '1 local · 0 cached · 2 to build (1 here · 1 on builders)');
    assert.equal(viewDescription([input]), '1 local · 0 cached · 2 to build (1 here · 1 on builders)');
  });

  it('adds nothing without builders, and says when no machine can build it', () => {
    const darwinTool = withBuild(tool, { ...linux, system: 'aarch64-darwin' });
    const input = folder({
      groups: { ...groups, other: [darwinTool] },
      statuses: new Map([status(tool, 'build')]),
      machines: machines([]),
    });
    const [root] = buildDerivationTree([input]);
    assert.ok(root);
    const other = find(children(find(root.children, 'Other outputs')), 'packages.tool') as ItemNode;
    assert.equal(other.description, 'to build: no machine can · tool');
    assert.match(
      other.tooltip,
      /No machine can build it: needs aarch64-darwin; this machine is x86_64-linux/,
    );
    assert.match(root.description, /\(0 here · 1 nowhere\)$/);
  });
});
