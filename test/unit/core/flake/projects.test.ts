import * as assert from 'node:assert/strict';
import { planRepository, PlanError } from '../../../../src/core/flake/plan';
import { defaultOptions } from '../../../../src/core/flake/options';
import {
  crateOutputNames,
  defaultProjectChoice,
  flakeProjects,
  primaryProject,
  sharedCrateNames,
  testDataReason,
} from '../../../../src/core/flake/projects';
import { pkg, workspace } from '../../helpers/model';

const LOCK = { version: 3, packages: [], path: '/x/Cargo.lock' } as never;

describe('the projects of one flake', () => {
  const root = workspace('/r', [pkg('cli', '/r/crates/cli'), pkg('core-lib', '/r/crates/core')], {
    lockfile: LOCK,
  });
  const site = workspace('/r/leptos-website', [pkg('leptos-website', '/r/leptos-website')], {
    lockfile: LOCK,
  });
  const tool = workspace('/r/tools/standalone', [pkg('cli', '/r/tools/standalone')], { lockfile: LOCK });

  it('keys the root project `workspace` and the others by directory, root first', () => {
    assert.deepEqual(
      flakeProjects('/r', [tool, site, root]).map((p) => [p.key, p.dir]),
      [
        ['workspace', ''],
        ['leptos-website', 'leptos-website'],
        ['tools-standalone', 'tools/standalone'],
      ],
    );
  });

  it('makes keys unique and valid attribute names', () => {
    const a = workspace('/r/a-b', []);
    const b = workspace('/r/a/b', []);
    const digit = workspace('/r/2d', []);
    const named = workspace('/r/workspace', []);
    assert.deepEqual(
      flakeProjects('/r', [a, b, digit, named]).map((p) => p.key),
      ['_2d', 'a-b', 'a-b-2', 'workspace-dir'],
    );
  });

  it('names crates after themselves unless two projects share the name', () => {
    const names = crateOutputNames(flakeProjects('/r', [root, site, tool]));
    assert.equal(names.get('workspace')?.get('cli'), 'workspace-cli');
    assert.equal(names.get('tools-standalone')?.get('cli'), 'tools-standalone-cli');
    assert.equal(names.get('workspace')?.get('core-lib'), 'core-lib');
    assert.equal(names.get('leptos-website')?.get('leptos-website'), 'leptos-website');
    assert.deepEqual(sharedCrateNames(flakeProjects('/r', [root, site, tool])), ['cli']);
  });

  it('takes the root project as the primary one, else the first', () => {
    assert.equal(primaryProject(flakeProjects('/r', [site, root]))?.key, 'workspace');
    assert.equal(primaryProject(flakeProjects('/r', [tool, site]))?.key, 'leptos-website');
  });

  it('leaves out test data and unlocked projects beside locked ones, unless named', () => {
    const fixture = workspace('/r/crates/cli/tests/fixtures/demo', [
      pkg('demo', '/r/crates/cli/tests/fixtures/demo'),
    ]);
    const example = workspace('/r/examples/counter', [pkg('counter', '/r/examples/counter')]);
    const choice = defaultProjectChoice('/r', [root, example, fixture]);
    assert.deepEqual(
      choice.chosen.map((ws) => ws.root),
      ['/r'],
    );
    assert.deepEqual(
      choice.leftOut.map((l) => [l.workspace.root, l.reason.split(' ')[0]]),
      [
        ['/r/examples/counter', 'no'],
        ['/r/crates/cli/tests/fixtures/demo', 'under'],
      ],
    );
    assert.deepEqual(
      defaultProjectChoice('/r', [root, example], '/r/examples/counter').chosen.map((ws) => ws.root),
      ['/r', '/r/examples/counter'],
    );
    // Nothing is locked yet (a new repository): every project is kept, and the plan says to lock.
    assert.equal(defaultProjectChoice('/r', [example, workspace('/r/b', [])]).chosen.length, 2);
    assert.equal(testDataReason('crates/x'), null);
    assert.match(testDataReason('benches/data/x') ?? '', /under benches\//);
  });
});

describe('planRepository', () => {
  const cats = workspace('/r/cats', [pkg('cats', '/r/cats')], { lockfile: LOCK });
  const app = workspace(
    '/r/app',
    [
      pkg('app', '/r/app', {
        dependencies: [
          {
            name: 'cats',
            source: null,
            req: '*',
            kind: null,
            rename: null,
            optional: false,
            uses_default_features: true,
            features: [],
            target: null,
            registry: null,
            path: '/r/cats',
          },
        ],
      }),
    ],
    { lockfile: LOCK },
  );
  const read = () => null;

  it('plans one flake.nix with a mkProject call per project', () => {
    const plan = planRepository(
      { root: '/r', workspaces: [app, cats] },
      { ...defaultOptions([app, cats]), ci: false },
      '0',
      read,
    );
    const flake = plan.files.find((f) => f.path === 'flake.nix')?.content ?? '';
    assert.match(flake, /app = mkProject \{\n\s+dir = "app";/);
    assert.match(flake, /cats = mkProject \{\n\s+dir = "cats";/);
    assert.match(flake, /primary = projects\.app;/);
    assert.deepEqual(
      plan.projects.map((p) => p.key),
      ['app', 'cats'],
    );
  });

  it('leaves out a project whose path dependency is outside the flake root, and builds the rest', () => {
    const other = workspace('/r/app/tool', [pkg('tool', '/r/app/tool')], { lockfile: LOCK });
    const plan = planRepository(
      { root: '/r/app', workspaces: [app, other] },
      defaultOptions([app]),
      '0',
      read,
    );
    assert.deepEqual(
      plan.projects.map((p) => p.dir),
      ['tool'],
    );
    assert.equal(plan.leftOut[0]?.dir, '');
    assert.match(plan.leftOut[0]?.reason ?? '', /\.\.\/cats is outside \/r\/app/);
    assert.ok(
      plan.followUps.some((n) => n.startsWith('The project in . is not in the flake: ../cats is outside')),
    );
  });

  it('refuses when no project can be built, saying why', () => {
    assert.throws(
      () => planRepository({ root: '/r/app', workspaces: [app] }, defaultOptions([app]), '0', read),
      (error: unknown) => error instanceof PlanError && /\.: \.\.\/cats is outside/.test(error.message),
    );
  });
});
