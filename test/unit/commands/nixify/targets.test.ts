import * as assert from 'node:assert/strict';
import { blockingProblems, candidates, targetsAt } from '../../../../src/commands/nixify/targets';
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
  const roots = (targets: ReturnType<typeof candidates>) => targets.map((t) => t.ws.root);

  it('lists the Cargo workspaces of every folder in order', () => {
    assert.deepEqual(roots(all), ['/w/one', '/w/one/tools/gen', '/w/two/solo']);
    assert.deepEqual(
      all.map((t) => t.folder.name),
      ['one', 'one', 'two'],
    );
  });

  it('finds one workspace by its root, its Cargo.toml or a member’s Cargo.toml', () => {
    assert.deepEqual(roots(targetsAt(all, '/w/one/tools/gen')), ['/w/one/tools/gen']);
    assert.deepEqual(roots(targetsAt(all, '/w/one/tools/gen/Cargo.toml')), ['/w/one/tools/gen']);
    assert.deepEqual(roots(targetsAt(all, '/w/one/crates/lib/Cargo.toml')), ['/w/one']);
    assert.deepEqual(roots(targetsAt(all, '/w/one/')), ['/w/one']);
  });

  it('offers every workspace of a folder named by a path that is no workspace root', () => {
    assert.deepEqual(roots(targetsAt(all, '/w/two')), ['/w/two/solo']);
    assert.deepEqual(roots(targetsAt(all, '/w/one/crates')), ['/w/one', '/w/one/tools/gen']);
  });

  it('finds nothing outside the folders', () => {
    assert.deepEqual(targetsAt(all, '/w/three'), []);
    assert.deepEqual(targetsAt(all, '/elsewhere'), []);
    assert.deepEqual(targetsAt(all, '/w/onex'), []);
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
