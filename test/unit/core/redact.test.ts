import * as assert from 'node:assert/strict';
import { hideUrlCredentials } from '../../../src/core/redact';

describe('hideUrlCredentials', () => {
  it('hides user and password of every URL, keeping scheme, host and path', () => {
    assert.equal(
      hideUrlCredentials('substituters = https://ci:s3cret@cache.example.org/x s3://key@bucket?region=eu'),
      'substituters = https://***@cache.example.org/x s3://***@bucket?region=eu',
    );
  });

  it('leaves URLs without credentials, store paths and e-mail addresses alone', () => {
    const text = 'https://cache.nixos.org /nix/store/abc-source ssh-ng://builder me@example.org';
    assert.equal(hideUrlCredentials(text), text);
  });
});
