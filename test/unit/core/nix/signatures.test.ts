import * as assert from 'node:assert/strict';
import { parseNarinfo } from '../../../../src/core/nix/narinfo';
import { parsePathInfoJson } from '../../../../src/core/nix/pathInfo';
import {
  checkSignatures,
  fingerprint,
  parsePublicKey,
  parsePublicKeys,
} from '../../../../src/core/nix/signatures';
import { DIALECTS, narinfoText, publicKey, recorded } from './nixJson';

// Narinfos and keys made by the real `nix key generate-secret`, `nix store sign` and `nix copy`.
describe('core/nix/signatures', () => {
  const trusted = parsePublicKeys([publicKey('trusted')]).keys;
  const untrusted = parsePublicKeys([publicKey('untrusted')]).keys;

  it('builds the fingerprint Nix signs', () => {
    const app = parseNarinfo(narinfoText('app'));
    assert.equal(
      fingerprint(app),
      `1;${app.storePath};${app.narHash};${app.narSize};${app.references.join(',')}`,
    );
  });

  it('verifies a signature by a trusted key, with and without references', () => {
    for (const name of ['app', 'toolchain'] as const) {
      const n = parseNarinfo(narinfoText(name));
      assert.deepEqual(checkSignatures(n, n.sigs, trusted), {
        trustedBy: 'nixify-test-1',
        signers: ['nixify-test-1'],
      });
    }
  });

  it('does not trust a valid signature by a key that is not trusted, and names the signer', () => {
    const webUi = parseNarinfo(narinfoText('web-ui'));
    assert.deepEqual(checkSignatures(webUi, webUi.sigs, trusted), {
      trustedBy: null,
      signers: ['untrusted-1'],
    });
    assert.equal(checkSignatures(webUi, webUi.sigs, untrusted).trustedBy, 'untrusted-1');
  });

  it('rejects a signature once anything it covers changes', () => {
    const app = parseNarinfo(narinfoText('app'));
    assert.equal(checkSignatures({ ...app, narSize: app.narSize + 1 }, app.sigs, trusted).trustedBy, null);
    assert.equal(checkSignatures({ ...app, references: [] }, app.sigs, trusted).trustedBy, null);
    assert.equal(
      checkSignatures({ ...app, storePath: `${app.storePath}x` }, app.sigs, trusted).trustedBy,
      null,
    );
  });

  it('skips a forged signature under a trusted name and still finds the real one', () => {
    const app = parseNarinfo(narinfoText('app'));
    const forged = `nixify-test-1:${Buffer.alloc(64, 7).toString('base64')}`;
    assert.equal(checkSignatures(app, [forged, 'garbage', ...app.sigs], trusted).trustedBy, 'nixify-test-1');
    assert.equal(checkSignatures(app, [forged], trusted).trustedBy, null);
  });

  for (const dialect of DIALECTS) {
    it(`verifies signatures read from path-info JSON, whose hash is SRI (Nix ${dialect})`, () => {
      const app = parseNarinfo(narinfoText('app'));
      const info = parsePathInfoJson(recorded(dialect, 'path-info-local.json')).get(app.storePath);
      assert.ok(info);
      const signed = {
        storePath: info.path,
        narHash: info.narHash,
        narSize: info.narSize,
        references: info.references,
      };
      assert.equal(checkSignatures(signed, info.signatures, trusted).trustedBy, 'nixify-test-1');
    });
  }

  it('reads trusted-public-keys entries and reports the ones that are not ed25519 keys', () => {
    assert.equal(parsePublicKey(publicKey('trusted'))?.name, 'nixify-test-1');
    const { keys, invalid } = parsePublicKeys([publicKey('trusted'), 'no-colon', 'short:AAAA', ':empty']);
    assert.deepEqual(
      keys.map((k) => k.name),
      ['nixify-test-1'],
    );
    assert.deepEqual(invalid, ['no-colon', 'short:AAAA', ':empty']);
  });
});
