import * as assert from 'node:assert/strict';
import {
  allProblems,
  countOf,
  displayPath,
  formatProblem,
  isCargoWorkspace,
  problemLocation,
  targetKinds,
  workspaceKind,
  workspaceName,
  zeroBasedStart,
} from '../../src/describe';
import { demoWorkspace, pkg, problem, result, target, workspace } from './helpers/model';

describe('describe', () => {
  describe('targetKinds', () => {
    it('lists bin before lib kinds and leaves out tests, examples, benches and build scripts', () => {
      const crate = pkg('x', '/w/x', {
        targets: [
          target(['custom-build'], 'build-script-build'),
          target(['lib'], 'x'),
          target(['test'], 'it'),
          target(['bin'], 'x'),
          target(['example'], 'ex'),
          target(['bench'], 'b'),
          target(['bin'], 'y'),
        ],
      });
      assert.deepEqual(targetKinds(crate), ['bin', 'lib']);
    });

    it('keeps every crate type of a multi-type library', () => {
      assert.deepEqual(targetKinds(pkg('x', '/w/x', { targets: [target(['cdylib', 'rlib'])] })), [
        'rlib',
        'cdylib',
      ]);
    });

    it('puts unknown kinds last, alphabetically', () => {
      const crate = pkg('x', '/w/x', { targets: [target(['zz']), target(['proc-macro']), target(['aa'])] });
      assert.deepEqual(targetKinds(crate), ['proc-macro', 'aa', 'zz']);
    });
  });

  describe('workspaceName and workspaceKind', () => {
    it('names a virtual workspace after its directory', () => {
      const ws = demoWorkspace('/w/my-demo');
      assert.equal(workspaceName(ws), 'my-demo');
      assert.equal(workspaceKind(ws), 'virtual workspace');
    });

    it('names a workspace with a root package after the package', () => {
      const ws = workspace('/w/dir', [pkg('member', '/w/dir/member'), pkg('root-pkg', '/w/dir')]);
      assert.equal(workspaceName(ws), 'root-pkg');
      assert.equal(workspaceKind(ws), 'workspace');
    });

    it('calls a package outside any [workspace] a package', () => {
      assert.equal(
        workspaceKind(workspace('/w/solo', [pkg('solo', '/w/solo')], { explicit: false })),
        'package',
      );
    });
  });

  describe('isCargoWorkspace', () => {
    it('accepts a workspace with packages or a [workspace] manifest', () => {
      assert.equal(isCargoWorkspace(workspace('/w/a', [pkg('a', '/w/a')], { explicit: false })), true);
      assert.equal(isCargoWorkspace(workspace('/w/b', [], { virtual: true })), true);
      assert.equal(isCargoWorkspace(workspace('/w/c', [], { explicit: true })), true);
    });

    it('rejects an implicit workspace without packages', () => {
      assert.equal(isCargoWorkspace(workspace('/w/d', [], { explicit: false })), false);
    });
  });

  it('countOf picks singular or plural', () => {
    assert.equal(countOf(0, 'crate'), '0 crates');
    assert.equal(countOf(1, 'crate'), '1 crate');
    assert.equal(countOf(2, 'library', 'libraries'), '2 libraries');
  });

  it('allProblems lists workspace problems before top-level ones', () => {
    const first = problem('/w/a/Cargo.toml', 'first');
    const second = problem('/w/b/Cargo.toml', 'second');
    const stray = problem('/w/stray/Cargo.toml', 'stray');
    const detected = result(
      '/w',
      [workspace('/w/a', [], { problems: [first] }), workspace('/w/b', [], { problems: [second] })],
      [stray],
    );
    assert.deepEqual(allProblems(detected), [first, second, stray]);
  });

  describe('problem formatting', () => {
    it('prints file:line:column: severity: message', () => {
      const p = problem('/w/Cargo.toml', 'expected `=`', { line: 3, column: 7 });
      assert.equal(formatProblem(p), '/w/Cargo.toml:3:7: error: expected `=`');
      assert.equal(formatProblem(p, 'Cargo.toml'), 'Cargo.toml:3:7: error: expected `=`');
    });

    it('leaves out unknown (0) positions', () => {
      assert.equal(problemLocation(problem('/f', 'm', { line: 0, column: 0 })), '/f');
      assert.equal(problemLocation(problem('/f', 'm', { line: 4, column: 0 })), '/f:4');
      assert.equal(
        formatProblem(problem('/f', 'm', { line: 0, column: 0, severity: 'warning' })),
        '/f: warning: m',
      );
    });

    it('zeroBasedStart converts to editor positions and clamps unknown ones', () => {
      assert.deepEqual(zeroBasedStart({ line: 3, column: 7 }), { line: 2, character: 6 });
      assert.deepEqual(zeroBasedStart({ line: 0, column: 0 }), { line: 0, character: 0 });
    });
  });

  describe('displayPath', () => {
    it('shortens paths inside the base', () => {
      assert.equal(displayPath('/w/demo/crates/a', '/w/demo'), 'crates/a');
      assert.equal(displayPath('/w/demo', '/w/demo'), '.');
    });

    it('keeps paths outside the base absolute', () => {
      assert.equal(displayPath('/elsewhere/x', '/w/demo'), '/elsewhere/x');
      assert.equal(displayPath('/w', '/w/demo'), '/w');
    });

    it('does not mistake a sibling starting with two dots for a parent', () => {
      assert.equal(displayPath('/w/demo/..hidden/Cargo.toml', '/w/demo'), '..hidden/Cargo.toml');
    });
  });
});
