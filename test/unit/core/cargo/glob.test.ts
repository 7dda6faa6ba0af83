import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FsCache } from '../../../../src/core/cargo/fsCache';
import { compileComponent, expandGlob } from '../../../../src/core/cargo/glob';

describe('core/cargo/glob', () => {
  let root: string;
  before(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'nixify-glob-')));
    for (const dir of [
      'crates/b',
      'crates/a',
      'crates/.hidden',
      'crates/ab',
      'crates/c1',
      'x/p/plugins/q',
      'x/r/plugins/s',
    ]) {
      fs.mkdirSync(path.join(root, dir), { recursive: true });
    }
    fs.writeFileSync(path.join(root, 'crates', 'file.txt'), '');
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  const rel = (paths: string[]) => paths.map((p) => path.relative(root, p));

  it('matches like the glob crate: sorted, dot files included, files too', () => {
    assert.deepEqual(rel(expandGlob(path.join(root, 'crates/*'), new FsCache())), [
      'crates/.hidden',
      'crates/a',
      'crates/ab',
      'crates/b',
      'crates/c1',
      'crates/file.txt',
    ]);
  });

  it('supports ?, classes and negated classes', () => {
    assert.deepEqual(rel(expandGlob(path.join(root, 'crates/?'), new FsCache())), ['crates/a', 'crates/b']);
    assert.deepEqual(rel(expandGlob(path.join(root, 'crates/[ab]'), new FsCache())), [
      'crates/a',
      'crates/b',
    ]);
    assert.deepEqual(rel(expandGlob(path.join(root, 'crates/[!a]*'), new FsCache())), [
      'crates/.hidden',
      'crates/b',
      'crates/c1',
      'crates/file.txt',
    ]);
    assert.deepEqual(rel(expandGlob(path.join(root, 'crates/c[0-9]'), new FsCache())), ['crates/c1']);
  });

  it('expands nested patterns and **', () => {
    assert.deepEqual(rel(expandGlob(path.join(root, 'x/*/plugins/*'), new FsCache())), [
      'x/p/plugins/q',
      'x/r/plugins/s',
    ]);
    assert.deepEqual(rel(expandGlob(path.join(root, 'x/**/plugins'), new FsCache())), [
      'x/p/plugins',
      'x/r/plugins',
    ]);
  });

  it('never lets * cross a slash', () => {
    assert.ok(!compileComponent('a*').test('a/b'));
  });
});
