import * as assert from 'node:assert/strict';
import { NixConfigError, parseNixConfigJson } from '../../../../src/core/nix/nixConfig';
import { DIALECTS, publicKey, recorded } from './nixJson';

describe('core/nix/nixConfig', () => {
  for (const dialect of DIALECTS) {
    it(`reads substituters, trusted substituters and keys (Nix ${dialect}: ${dialect === '2.8' ? 'show-config' : 'config show'})`, () => {
      assert.deepEqual(parseNixConfigJson(recorded(dialect, 'config.json')), {
        substituters: [
          'file:///var/cache/nix-a',
          'https://cache.example.org/',
          'http://127.0.0.1:5000?priority=30',
        ],
        trustedSubstituters: ['https://trusted.example.org'],
        trustedPublicKeys: [
          publicKey('trusted'),
          'cache.example.org-1:6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFGspcDShjY=',
        ],
        requireSigs: true,
        system: 'x86_64-linux',
      });
    });
  }

  it('reads require-sigs = false and whitespace-separated values', () => {
    const config = parseNixConfigJson(
      JSON.stringify({
        'require-sigs': { value: false },
        substituters: { value: 'a b' },
        system: { value: 'aarch64-darwin' },
      }),
    );
    assert.equal(config.requireSigs, false);
    assert.deepEqual(config.substituters, ['a', 'b']);
    assert.deepEqual(config.trustedPublicKeys, []);
  });

  it('refuses output that is not a configuration', () => {
    assert.throws(() => parseNixConfigJson('['), NixConfigError);
    assert.throws(() => parseNixConfigJson('[]'), /not an object/);
    assert.throws(() => parseNixConfigJson('{}'), /no system/);
  });
});
