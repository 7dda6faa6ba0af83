import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { detectWorkspaces, type DetectResult } from '../../../src/core/cargo';
import {
  buildCrateTree,
  crateTreeMessage,
  type CrateNode,
  type CrateTreeNode,
  type FolderNode,
  type ProblemNode,
  type WorkspaceNode,
} from '../../../src/views/crateTreeModel';
import { demoWorkspace, pkg, problem, result, workspace } from '../helpers/model';
import { REPO_ROOT } from '../helpers/repo';

function only<T extends CrateTreeNode['kind']>(
  nodes: CrateTreeNode[],
  kind: T,
): Extract<CrateTreeNode, { kind: T }>[] {
  return nodes.filter((node): node is Extract<CrateTreeNode, { kind: T }> => node.kind === kind);
}

function single(detected: DetectResult | undefined, path = '/w/demo'): CrateTreeNode[] {
  return buildCrateTree([{ name: 'demo', path, result: detected }]);
}

describe('buildCrateTree', () => {
  describe('with one workspace folder', () => {
    it('shows the Cargo workspaces as roots', () => {
      const roots = single(result('/w/demo', [demoWorkspace('/w/demo')]));
      assert.equal(roots.length, 1);
      const [ws] = only(roots, 'workspace');
      assert.ok(ws);
      assert.equal(ws.label, 'demo');
      assert.equal(ws.description, 'virtual · 3 crates');
      assert.equal(ws.manifestPath, '/w/demo/Cargo.toml');
      assert.match(ws.tooltip, /virtual workspace\n\/w\/demo\/Cargo\.toml/);
    });

    it('is empty until the first detection', () => {
      assert.deepEqual(single(undefined), []);
    });

    it('labels a workspace with a root package by the package, without "virtual"', () => {
      const ws = workspace('/w/demo', [pkg('app', '/w/demo')]);
      const [node] = only(single(result('/w/demo', [ws])), 'workspace');
      assert.equal(node?.label, 'app');
      assert.equal(node?.description, '1 crate');
    });

    it('adds the problems that belong to no workspace after the workspaces', () => {
      const stray = problem('/w/demo/old/Cargo.toml', 'not a member of any workspace', {
        severity: 'warning',
        line: 0,
        column: 0,
      });
      const roots = single(result('/w/demo', [demoWorkspace('/w/demo')], [stray]));
      assert.deepEqual(
        roots.map((node) => node.kind),
        ['workspace', 'problem'],
      );
      const [node] = only(roots, 'problem');
      assert.equal(node?.description, 'old/Cargo.toml');
      assert.equal(node?.severity, 'warning');
    });
  });

  describe('crate nodes', () => {
    const crates = (): CrateNode[] => {
      const [ws] = only(single(result('/w/demo', [demoWorkspace('/w/demo')])), 'workspace');
      return only(ws?.children ?? [], 'crate');
    };

    it('lists every package of the workspace in order', () => {
      assert.deepEqual(
        crates().map((node) => node.label),
        ['demo-core', 'demo-cli', 'demo-web'],
      );
    });

    it('describes version, kinds and wasm', () => {
      assert.deepEqual(
        crates().map((node) => node.description),
        ['0.1.0 · lib', '1.2.3 · bin, lib', '0.1.0 · rlib, cdylib · wasm'],
      );
    });

    it('picks the icon from what the crate builds', () => {
      assert.deepEqual(
        crates().map((node) => node.icon),
        ['library', 'package', 'wasm'],
      );
    });

    it('puts the manifest, path dependencies and wasm reasons in the tooltip', () => {
      const web = crates()[2];
      assert.equal(
        web?.tooltip,
        '/w/demo/crates/web/Cargo.toml\nPath dependencies: demo-core\nBuilds for wasm32-unknown-unknown: cdylib depending on wasm-bindgen',
      );
      assert.equal(crates()[0]?.tooltip, '/w/demo/crates/core/Cargo.toml');
      assert.equal(web?.manifestPath, '/w/demo/crates/web/Cargo.toml');
    });

    it('shows the Leptos sites of a package: the front with the wasm icon, the server as a package', () => {
      const root = path.join(REPO_ROOT, 'test/fixtures/leptos-workspace');
      const [ws] = only(single(detectWorkspaces(root), root), 'workspace');
      const nodes = only(ws?.children ?? [], 'crate');
      assert.deepEqual(
        nodes.map((n) => [n.label, n.description, n.icon]),
        [
          ['app', '0.1.0 · lib', 'library'],
          ['frontend', '0.1.0 · rlib, cdylib · Leptos', 'wasm'],
          ['server', '0.1.0 · bin · Leptos', 'package'],
        ],
      );
      assert.deepEqual(
        nodes.map((n) => n.tooltip.split('\n').slice(1)),
        [
          [],
          ['Path dependencies: app', 'Leptos site shop: its front, built for wasm32'],
          ['Path dependencies: app', 'Leptos site shop: its server'],
        ],
      );
    });

    it('leaves the kinds out when a package has no describing target', () => {
      const ws = workspace('/w/demo', [pkg('odd', '/w/demo', { targets: [] })]);
      const [node] = only(single(result('/w/demo', [ws])), 'workspace');
      assert.equal(only(node?.children ?? [], 'crate')[0]?.description, '0.1.0');
    });
  });

  describe('problem nodes', () => {
    const ws = demoWorkspace('/w/demo');
    ws.problems = [
      problem('/w/demo/crates/cli/Cargo.toml', 'unknown field `edtion`\nhelp: did you mean `edition`?', {
        severity: 'warning',
        line: 5,
        column: 1,
      }),
    ];
    const [node] = only(single(result('/w/demo', [ws])), 'workspace');
    const [problemNode] = only(node?.children ?? [], 'problem') as ProblemNode[];

    it('follow the crates of their workspace', () => {
      assert.deepEqual(
        node?.children.map((child) => child.kind),
        ['crate', 'crate', 'crate', 'problem'],
      );
    });

    it('show the first line of the message and where it is', () => {
      assert.equal(problemNode?.label, 'unknown field `edtion`');
      assert.equal(problemNode?.description, 'crates/cli/Cargo.toml:5:1');
      assert.equal(
        problemNode?.tooltip,
        'crates/cli/Cargo.toml:5:1: warning: unknown field `edtion`\nhelp: did you mean `edition`?',
      );
    });

    it('keep the absolute file and 1-based position for opening it', () => {
      assert.deepEqual(
        { file: problemNode?.file, line: problemNode?.line, column: problemNode?.column },
        { file: '/w/demo/crates/cli/Cargo.toml', line: 5, column: 1 },
      );
    });
  });

  describe('with several Cargo projects in the folder', () => {
    const fixture = (name: string) => path.join(REPO_ROOT, 'test', 'fixtures', name);
    const flakeListing = (projects: [string, string][]) =>
      `          projects = {\n${projects.map(([key, dir]) => `            ${key} = mkProject {\n              dir = "${dir}";\n            };\n`).join('')}          };\n`;
    const tree = (dir: string, flakeText: string | null, hasFlake = flakeText !== null) =>
      only(
        buildCrateTree([
          { name: path.basename(dir), path: dir, result: detectWorkspaces(dir), hasFlake, flakeText },
        ]),
        'workspace',
      );

    it('shows every separate package with its crates, and its devShells attribute in a multi-project flake', () => {
      const dir = fixture('separate-packages');
      const nodes = tree(
        dir,
        flakeListing([
          ['app', 'app'],
          ['cats', 'cats'],
          ['wasm', 'wasm'],
        ]),
      );
      assert.deepEqual(
        nodes.map((n) => [n.label, n.description, n.flakeKey, n.children.map((c) => c.label)]),
        [
          ['app', '1 crate · devShells.app', 'app', ['app']],
          ['cats', '1 crate · devShells.cats', 'cats', ['cats']],
          ['wasm', '1 crate · devShells.wasm', 'wasm', ['wasm']],
        ],
      );
      assert.match(
        nodes[0]?.tooltip ?? '',
        /^package in app\/\n.*app\/Cargo\.toml\nIn flake\.nix as app: devShells\.app, checks\.app-clippy/,
      );
    });

    it('says which project a Nixify flake leaves out, and names keys as the flake does', () => {
      const dir = fixture('repo-with-site');
      const nodes = tree(
        dir,
        flakeListing([
          ['workspace', ''],
          ['tools-standalone', 'tools/standalone'],
        ]),
      );
      assert.deepEqual(
        nodes.map((n) => [n.label, n.description.replace(/^.*crates? · /, ''), n.flakeKey]),
        [
          ['repo-with-site', 'devShells.workspace', 'workspace'],
          ['leptos-website', 'not in flake.nix', null],
          ['cli', 'devShells.tools-standalone', 'tools-standalone'],
        ],
      );
    });

    it('takes the keys from the directories when the flake does not list its projects, and shows none without a flake', () => {
      const dir = fixture('separate-packages');
      assert.deepEqual(
        tree(dir, '{ outputs = _: { }; }').map((n) => n.flakeKey),
        ['app', 'cats', 'wasm'],
      );
      assert.deepEqual(
        tree(dir, null).map((n) => [n.description, n.flakeKey]),
        [
          ['1 crate', null],
          ['1 crate', null],
          ['1 crate', null],
        ],
      );
    });

    it('keeps a one-project flake as it was: no attribute names', () => {
      const dir = fixture('repo-with-site');
      const nodes = tree(dir, flakeListing([['workspace', '']]));
      assert.ok(nodes.every((n) => n.flakeKey === null && !n.description.includes('devShells')));
    });
  });

  describe('with several workspace folders', () => {
    const roots = buildCrateTree([
      { name: 'demo', path: '/w/demo', result: result('/w/demo', [demoWorkspace('/w/demo')]) },
      { name: 'empty', path: '/w/empty', result: result('/w/empty', []) },
      { name: 'later', path: '/w/later', result: undefined },
    ]);
    const folders = only(roots, 'folder') as FolderNode[];

    it('shows one folder node per folder, in order', () => {
      assert.equal(roots.length, 3);
      assert.deepEqual(
        folders.map((folder) => [folder.label, folder.description, folder.path]),
        [
          ['demo', '1 workspace', '/w/demo'],
          ['empty', 'no Cargo.toml', '/w/empty'],
          ['later', 'detecting…', '/w/later'],
        ],
      );
    });

    it('puts the workspaces below their folder', () => {
      assert.deepEqual(
        folders.map((folder) => folder.children.map((child) => (child as WorkspaceNode).label)),
        [['demo'], [], []],
      );
    });
  });

  it('gives every node a unique id, also when nested folders show the same workspace', () => {
    const roots = buildCrateTree([
      {
        name: 'outer',
        path: '/w',
        result: result('/w', [demoWorkspace('/w/demo')], [problem('/w/x', 'a'), problem('/w/x', 'a')]),
      },
      { name: 'inner', path: '/w/demo', result: result('/w/demo', [demoWorkspace('/w/demo')]) },
    ]);
    const ids: string[] = [];
    const walk = (nodes: CrateTreeNode[]) => {
      for (const node of nodes) {
        ids.push(node.id);
        if (node.kind === 'folder' || node.kind === 'workspace') {
          walk(node.children);
        }
      }
    };
    walk(roots);
    assert.equal(ids.length, 2 + 2 + 3 * 2 + 2);
    assert.equal(new Set(ids).size, ids.length);
  });
});

describe('crateTreeMessage', () => {
  const ws = (root: string) => result(root, [demoWorkspace(root)]);

  it('says which folders have a Cargo workspace but no flake.nix', () => {
    const message = crateTreeMessage([
      { name: 'a', path: '/w/a', result: ws('/w/a'), hasFlake: false },
      { name: 'b', path: '/w/b', result: ws('/w/b'), hasFlake: true },
      { name: 'c', path: '/w/c', result: result('/w/c', []), hasFlake: false },
    ]);
    assert.equal(
      message,
      'No flake.nix yet in a. "Nixify Workspace" (the button above) writes one, showing every file first.',
    );
  });

  it('names no folder when there is one, and says nothing once every workspace has a flake', () => {
    assert.match(
      crateTreeMessage([{ name: 'a', path: '/w/a', result: ws('/w/a'), hasFlake: false }]) ?? '',
      /^No flake\.nix yet\. /,
    );
    assert.equal(
      crateTreeMessage([{ name: 'a', path: '/w/a', result: ws('/w/a'), hasFlake: true }]),
      undefined,
    );
    assert.equal(
      crateTreeMessage([{ name: 'a', path: '/w/a', result: undefined, hasFlake: false }]),
      undefined,
    );
  });
});
