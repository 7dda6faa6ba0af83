import * as assert from 'node:assert/strict';
import { fromNix32, narHashNix32, toNix32 } from '../../../../src/core/nix/hash';
import { parseNarinfo } from '../../../../src/core/nix/narinfo';
import { parsePathInfoJson } from '../../../../src/core/nix/pathInfo';
import { DIALECTS, narinfoText, recorded } from './nixJson';

describe('core/nix/hash', () => {
  for (const dialect of DIALECTS) {
    it(`turns path-info's SRI hash into the narinfo's nix32 hash (Nix ${dialect})`, () => {
      const narinfo = parseNarinfo(narinfoText('toolchain'));
      const info = parsePathInfoJson(recorded(dialect, 'path-info-local.json')).get(narinfo.storePath);
      assert.ok(info);
      assert.match(info.narHash, /^sha256-/);
      assert.equal(narHashNix32(info.narHash), narinfo.narHash);
    });
  }

  it('round-trips nix32 and accepts hex', () => {
    const bytes = Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex');
    const text = toNix32(bytes);
    assert.equal(text.length, 52);
    assert.deepEqual(Buffer.from(fromNix32(text, 32) ?? []), bytes);
    assert.equal(narHashNix32(`sha256:${bytes.toString('hex')}`), `sha256:${text}`);
    assert.equal(narHashNix32(`sha256:${text}`), `sha256:${text}`);
  });

  it('refuses what is not a SHA-256 in a form Nix prints', () => {
    for (const hash of [
      'md5:abc',
      'sha256-short',
      `sha256:${'e'.repeat(52)}`,
      `sha512:${'0'.repeat(103)}`,
      '',
    ]) {
      assert.equal(narHashNix32(hash), null, hash);
    }
  });
});
