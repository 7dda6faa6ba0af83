import * as assert from 'node:assert/strict';
import { parsePathInfoJson, PathInfoError } from '../../../../src/core/nix/pathInfo';
import { DIALECTS, recorded } from './nixJson';

describe('core/nix/pathInfo', () => {
  for (const dialect of DIALECTS) {
    it(`reads the local store's answer, a missing path as null (Nix ${dialect})`, () => {
      const infos = parsePathInfoJson(recorded(dialect, 'path-info-local.json'));
      assert.equal(infos.size, 3);
      const [app, toolchain, missing] = ['-app-0.1.0', '-rust-default-1.80.0', '-core-lib-0.1.0'].map(
        (suffix) => [...infos].find(([p]) => p.endsWith(suffix)),
      );
      assert.ok(app?.[1] && toolchain?.[1] && missing);
      assert.equal(missing[1], null);
      assert.equal(app[1].narSize, 512);
      assert.deepEqual(app[1].references, [toolchain[0]]);
      assert.equal(app[1].signatures.length, 1);
      assert.match(app[1].deriver ?? '', /\.drv$/);
    });

    it(`reads a binary cache's answer with its download size (Nix ${dialect})`, () => {
      const infos = parsePathInfoJson(recorded(dialect, 'path-info-cache.json'));
      const found = [...infos.values()].filter((i) => i !== null);
      assert.equal(infos.size, 3);
      assert.equal(found.length, 2);
      for (const info of found) {
        assert.equal(typeof info?.downloadSize, 'number');
        assert.equal(info?.signatures.length, 1);
      }
    });
  }

  it('gives the same result for both dialects', () => {
    for (const file of ['path-info-local.json', 'path-info-cache.json']) {
      const strip = (text: string) =>
        [...parsePathInfoJson(text)]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([p, i]) => [p, i && { ...i, ca: null }]);
      assert.deepEqual(strip(recorded('2.26', file)), strip(recorded('2.8', file)), file);
    }
  });

  it('refuses output that is not path-info JSON', () => {
    assert.throws(() => parsePathInfoJson('not json'), PathInfoError);
    assert.throws(() => parsePathInfoJson('42'), PathInfoError);
    assert.throws(() => parsePathInfoJson('[{"valid":true}]'), /without a path/);
    assert.throws(() => parsePathInfoJson('{"/nix/store/x":{"narSize":1}}'), /without narHash/);
  });
});
