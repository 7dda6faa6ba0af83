import * as assert from 'node:assert/strict';
import type { FlakeDerivation, FlakeDerivations } from '../../../../src/core/derivations/flakeOutputs';
import {
  allItems,
  attributePath,
  groupDerivations,
  groupProjectDerivations,
  type DerivationGroups,
} from '../../../../src/core/derivations/groups';
import { parseFlakeDerivationsJson } from '../../../../src/core/derivations/flakeOutputs';
import { recorded } from '../nix/nixJson';

/** [group, label, kind, derivation name] per item, in order. */
function layout(groups: DerivationGroups): string[][] {
  return [
    ...groups.crates.flatMap((g) => g.items.map((i) => [g.crate, i.label, i.kind, i.name])),
    ...groups.workspace.map((i) => ['Workspace', i.label, i.kind, i.name]),
    ...groups.other.map((i) => ['Other', i.label, i.kind, i.name]),
  ];
}

function drv(name: string): FlakeDerivation {
  return {
    drvPath: `/nix/store/${name.padEnd(32, 'a').slice(0, 32)}-${name}.drv`,
    name,
    outputs: { out: `/nix/store/x-${name}` },
  };
}

describe('core/derivations/groups', () => {
  const fixture = parseFlakeDerivationsJson(recorded('2.26', 'flake-eval.json'));
  const crates = [{ name: 'app' }, { name: 'core-lib' }, { name: 'web-ui', wasm: true }];

  it("maps the fixture flake (Nixify's per-crate layout) to crates, Workspace and Other outputs", () => {
    const groups = groupDerivations(fixture, crates);
    assert.deepEqual(layout(groups), [
      ['app', 'package', 'package', 'app-0.1.0'],
      ['app', 'dependencies', 'dependencies', 'app-deps-0.1.0'],
      ['app', 'image', 'image', 'app-image'],
      ['core-lib', 'package', 'package', 'core-lib-0.1.0'],
      ['core-lib', 'dependencies', 'dependencies', 'core-lib-deps-0.1.0'],
      ['web-ui', 'wasm build', 'wasm', 'web-ui-0.1.0'],
      ['web-ui', 'dependencies', 'dependencies', 'web-ui-deps-0.1.0'],
      ['Workspace', 'dependencies', 'dependencies', 'fixture-deps-0.1.0'],
      ['Workspace', 'clippy', 'check', 'fixture-clippy-0.1.0'],
      ['Workspace', 'doc', 'check', 'fixture-doc-0.1.0'],
      ['Workspace', 'fmt', 'check', 'fixture-fmt-0.1.0'],
      ['Workspace', 'test', 'check', 'fixture-test-0.1.0'],
      ['Workspace', 'dev shell', 'devShell', 'nix-shell'],
      ['Other', 'packages.wasm-bindgen-cli', 'package', 'wasm-bindgen-cli-0.2.93'],
    ]);
    const app = groups.crates[0]?.items[0];
    assert.deepEqual(app?.attributes, [
      'packages.x86_64-linux.app',
      'packages.x86_64-linux.default',
      'checks.x86_64-linux.app',
    ]);
    assert.deepEqual(groups.crates[0]?.items[1]?.artifactsOf, [
      'packages.x86_64-linux.app',
      'packages.x86_64-linux.default',
      'checks.x86_64-linux.app',
    ]);
    assert.deepEqual(groups.crates[0]?.items[1]?.attributes, []);
    assert.equal(allItems(groups).length, 14);
    assert.equal(new Set(allItems(groups).map((i) => i.drvPath)).size, 14);
  });

  it('puts dependency artifacts shared by several crates (the workspace layout) under Workspace', () => {
    const shared = drv('ws-deps-0.1.0');
    const flake: FlakeDerivations = {
      system: 'x86_64-linux',
      cache: { substituters: [], trustedPublicKeys: [] },
      inputs: {},
      attributes: [
        { section: 'packages', name: 'a', derivation: drv('a-0.1.0'), cargoArtifacts: shared },
        { section: 'checks', name: 'b', derivation: drv('b-0.1.0'), cargoArtifacts: shared },
        { section: 'checks', name: 'c', derivation: drv('c-0.1.0'), cargoArtifacts: drv('c-deps-0.1.0') },
      ],
    };
    assert.deepEqual(
      layout(groupDerivations(flake, [{ name: 'a' }, { name: 'b' }, { name: 'c' }, { name: 'd' }])),
      [
        ['a', 'package', 'package', 'a-0.1.0'],
        ['b', 'package', 'package', 'b-0.1.0'],
        ['c', 'package', 'package', 'c-0.1.0'],
        ['c', 'dependencies', 'dependencies', 'c-deps-0.1.0'],
        ['Workspace', 'dependencies', 'dependencies', 'ws-deps-0.1.0'],
      ],
    );
  });

  it('gives prefixed attributes to the longest crate name, lists failures and keeps crates without items', () => {
    const flake: FlakeDerivations = {
      system: 'x86_64-linux',
      cache: { substituters: [], trustedPublicKeys: [] },
      inputs: {},
      attributes: [
        { section: 'checks', name: 'app-cli-clippy', derivation: drv('x-clippy'), cargoArtifacts: null },
        { section: 'packages', name: 'app-wasm', derivation: drv('app-wasm'), cargoArtifacts: null },
        { section: 'packages', name: 'default', derivation: drv('workspace-0.1.0'), cargoArtifacts: null },
        { section: 'devShells', name: 'ci', derivation: drv('ci-shell'), cargoArtifacts: null },
        { section: 'checks', name: 'broken', derivation: null, cargoArtifacts: null },
        { section: 'packages', name: 'has.dot', derivation: drv('dot'), cargoArtifacts: null },
      ],
    };
    const groups = groupDerivations(flake, [{ name: 'app' }, { name: 'app-cli' }, { name: 'empty' }]);
    assert.deepEqual(layout(groups), [
      ['app', 'wasm', 'wasm', 'app-wasm'],
      ['app-cli', 'clippy', 'check', 'x-clippy'],
      ['Workspace', 'default package', 'package', 'workspace-0.1.0'],
      ['Workspace', 'dev shell ci', 'devShell', 'ci-shell'],
      ['Other', 'packages.has.dot', 'package', 'dot'],
    ]);
    assert.deepEqual(
      groups.crates.map((g) => g.crate),
      ['app', 'app-cli', 'empty'],
    );
    assert.deepEqual(groups.failed, ['checks.x86_64-linux.broken']);
    assert.deepEqual(groups.other[0]?.attributes, ['packages.x86_64-linux."has.dot"']);
  });

  it('groups a multi-project flake by project: crates by output name, <key>-* checks, devShells.<key>, the defaults with the primary', () => {
    // repo-with-site's flake: a root workspace, a Leptos package and a standalone package, two crates named cli.
    const rootDeps = drv('rws-deps-0.1.0');
    const siteDeps = drv('leptos-website-deps-0.1.0');
    const toolDeps = drv('cli-deps-1.0.0');
    const rootCli = drv('cli-0.1.0');
    const toolCli = drv('cli-1.0.0');
    const rootShell = drv('rws-shell');
    const attr = (
      section: 'packages' | 'checks' | 'devShells',
      name: string,
      d: FlakeDerivation,
      deps: FlakeDerivation | null = null,
    ) => ({
      section,
      name,
      derivation: d,
      cargoArtifacts: deps,
    });
    const flake: FlakeDerivations = {
      system: 'x86_64-linux',
      cache: { substituters: [], trustedPublicKeys: [] },
      inputs: {},
      attributes: [
        attr('packages', 'workspace-cli', rootCli, rootDeps),
        attr('packages', 'core-lib', drv('core-lib-0.1.0'), rootDeps),
        attr('packages', 'tools-standalone-cli', toolCli, toolDeps),
        attr('packages', 'leptos-website', drv('leptos-website-0.1.0'), siteDeps),
        attr('packages', 'default', rootCli, rootDeps),
        attr('packages', 'wasm-bindgen-cli', drv('wasm-bindgen-cli-0.2.93')),
        attr('checks', 'workspace-clippy', drv('rws-clippy'), rootDeps),
        attr('checks', 'leptos-website-clippy', drv('leptos-website-clippy'), siteDeps),
        attr('checks', 'leptos-website-test', drv('leptos-website-test'), siteDeps),
        attr('checks', 'tools-standalone-fmt', drv('cli-fmt')),
        attr('devShells', 'workspace', rootShell),
        attr('devShells', 'leptos-website', drv('leptos-shell')),
        attr('devShells', 'tools-standalone', drv('tools-shell')),
        attr('devShells', 'default', rootShell),
      ],
    };
    const groups = groupProjectDerivations(flake, [
      { key: 'workspace', dir: '', crates: [{ name: 'cli', output: 'workspace-cli' }, { name: 'core-lib' }] },
      { key: 'leptos-website', dir: 'leptos-website', crates: [{ name: 'leptos-website' }] },
      {
        key: 'tools-standalone',
        dir: 'tools/standalone',
        crates: [{ name: 'cli', output: 'tools-standalone-cli' }],
      },
    ]);
    const byProject = groups.projects.map((p) => [
      p.key,
      p.primary,
      p.crates.map((c) => [c.crate, c.output, c.items.map((i) => i.label)]),
      p.items.map((i) => [i.label, i.name]),
    ]);
    assert.deepEqual(byProject, [
      [
        'workspace',
        true,
        [
          ['cli', 'workspace-cli', ['package']],
          ['core-lib', 'core-lib', ['package']],
        ],
        [
          ['dependencies', 'rws-deps-0.1.0'],
          ['clippy', 'rws-clippy'],
          ['dev shell', 'rws-shell'],
        ],
      ],
      [
        'leptos-website',
        false,
        [['leptos-website', 'leptos-website', ['package']]],
        [
          ['dependencies', 'leptos-website-deps-0.1.0'],
          ['clippy', 'leptos-website-clippy'],
          ['test', 'leptos-website-test'],
          ['dev shell', 'leptos-shell'],
        ],
      ],
      [
        'tools-standalone',
        false,
        [['cli', 'tools-standalone-cli', ['package', 'dependencies']]],
        [
          ['fmt', 'cli-fmt'],
          ['dev shell', 'tools-shell'],
        ],
      ],
    ]);
    assert.deepEqual(groups.projects[0]?.items.find((i) => i.kind === 'devShell')?.attributes, [
      'devShells.x86_64-linux.workspace',
      'devShells.x86_64-linux.default',
    ]);
    assert.deepEqual(groups.projects[0]?.crates[0]?.items[0]?.attributes, [
      'packages.x86_64-linux.workspace-cli',
      'packages.x86_64-linux.default',
    ]);
    assert.deepEqual(
      groups.other.map((i) => i.label),
      ['packages.wasm-bindgen-cli'],
    );
    // The flat views of the same groups, for the users that do not care about projects.
    assert.deepEqual(
      groups.crates.map((c) => c.output),
      ['workspace-cli', 'core-lib', 'leptos-website', 'tools-standalone-cli'],
    );
    assert.equal(groups.workspace.length, 9);
    assert.equal(allItems(groups).length, 15);
  });

  it('quotes attribute names that are not plain identifiers', () => {
    assert.equal(attributePath('packages', 'x86_64-linux', 'app'), 'packages.x86_64-linux.app');
    assert.equal(attributePath('checks', 'x86_64-linux', '1st'), 'checks.x86_64-linux."1st"');
  });
});
