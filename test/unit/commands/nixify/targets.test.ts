import * as assert from 'node:assert/strict';
import { blockingProblems, candidates, targetAt } from '../../../../src/commands/nixify/targets';
import { pkg, result, workspace } from '../../helpers/model';

describe('nixify targets', () => {
  const app = workspace('/w/one', [pkg('app', '/w/one'), pkg('lib', '/w/one/crates/lib')]);
  const tool = workspace('/w/one/tools/gen', [pkg('gen', '/w/one/tools/gen')]);
  const solo = workspace('/w/two/solo', [pkg('solo', '/w/two/solo')]);
  // A manifest-less root: detection reports it, but it is no Cargo workspace.
  const empty = workspace('/w/two/empty', [], { explicit: false });
  const folders = [
    { name: 'one', path: '/w/one', result: result('/w/one', [app, tool]) },
    { name: 'two', path: '/w/two', result: result('/w/two', [solo, empty]) },
    { name: 'three', path: '/w/three', result: undefined },
  ];
  const all = candidates(folders);
  const projectRoots = (t: ReturnType<typeof targetAt>) => t?.projects.map((ws) => ws.root);

  it('offers one flake per folder that holds a Cargo project, with every project in it', () => {
    assert.deepEqual(
      all.map((t) => [t.folder.name, t.root, t.projects.map((ws) => ws.root)]),
      [
        ['one', '/w/one', ['/w/one', '/w/one/tools/gen']],
        ['two', '/w/two', ['/w/two/solo']],
      ],
    );
  });

  it('names one workspace alone by its root, its Cargo.toml or a member’s Cargo.toml below the folder', () => {
    assert.deepEqual(projectRoots(targetAt(all, '/w/one/tools/gen')), ['/w/one/tools/gen']);
    assert.equal(targetAt(all, '/w/one/tools/gen/Cargo.toml')?.root, '/w/one/tools/gen');
    assert.equal(targetAt(all, '/w/two/solo/Cargo.toml')?.root, '/w/two/solo');
  });

  it('names the whole folder by its path, its root workspace or any other path inside it', () => {
    assert.deepEqual(projectRoots(targetAt(all, '/w/one/')), ['/w/one', '/w/one/tools/gen']);
    assert.deepEqual(projectRoots(targetAt(all, '/w/one/crates/lib/Cargo.toml')), [
      '/w/one',
      '/w/one/tools/gen',
    ]);
    assert.deepEqual(projectRoots(targetAt(all, '/w/one/crates')), ['/w/one', '/w/one/tools/gen']);
    assert.deepEqual(projectRoots(targetAt(all, '/w/two')), ['/w/two/solo']);
  });

  it('finds nothing outside the folders', () => {
    assert.equal(targetAt(all, '/w/three'), undefined);
    assert.equal(targetAt(all, '/elsewhere'), undefined);
    assert.equal(targetAt(all, '/w/onex'), undefined);
  });

  it('does not preselect projects under tests/ or fixtures/, and keeps broken ones apart', () => {
    const fixture = workspace('/w/four/tests/fixtures/demo', [pkg('demo', '/w/four/tests/fixtures/demo')]);
    const main = workspace('/w/four', [pkg('main', '/w/four')]);
    const bad = workspace('/w/four/bad', [pkg('bad', '/w/four/bad')]);
    bad.problems.push({
      file: '/w/four/bad/Cargo.toml',
      line: 1,
      column: 1,
      message: 'x',
      severity: 'error',
    });
    const [four] = candidates([
      { name: 'four', path: '/w/four', result: result('/w/four', [main, fixture, bad]) },
    ]);
    assert.deepEqual(
      four?.projects.map((ws) => ws.root),
      ['/w/four', '/w/four/tests/fixtures/demo'],
    );
    assert.deepEqual(
      four?.preselected.map((ws) => ws.root),
      ['/w/four'],
    );
    assert.deepEqual(
      four?.broken.map((ws) => ws.root),
      ['/w/four/bad'],
    );
  });

  it('puts the flake of a folder opened inside its one workspace at that workspace’s root', () => {
    const [inner] = candidates([
      { name: 'lib', path: '/w/one/crates/lib', result: result('/w/one/crates/lib', [app]) },
    ]);
    assert.equal(inner?.root, '/w/one');
  });

  it('names the errors that may be why no folder has a workspace: errors only, each once, in order', () => {
    const broken = {
      file: '/w/b/Cargo.toml',
      line: 10,
      column: 29,
      message: 'failed to parse manifest',
      severity: 'error' as const,
    };
    const warning = { ...broken, line: 1, column: 1, message: 'unused key', severity: 'warning' as const };
    const member = { ...broken, file: '/w/c/Cargo.toml', line: 2, column: 1, message: 'invalid name' };
    const problems = blockingProblems([
      { name: 'b', path: '/w/b', result: result('/w/b', [], [broken, warning]) },
      // A nested folder sees the same manifest: reported once.
      { name: 'b2', path: '/w/b', result: result('/w/b', [], [broken]) },
      { name: 'c', path: '/w/c', result: result('/w/c', [], [member]) },
      { name: 'none', path: '/w/d', result: undefined },
    ]);
    assert.deepEqual(
      problems.map((p) => `${p.file}:${p.line}:${p.column}`),
      ['/w/b/Cargo.toml:10:29', '/w/c/Cargo.toml:2:1'],
    );
    assert.deepEqual(blockingProblems(folders), []);
  });
});
