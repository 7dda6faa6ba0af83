import * as assert from 'node:assert/strict';
import { formatPlatform } from '../../../../src/core/cargo/cfg';

describe('core/cargo/cfg formatPlatform', () => {
  it('prints cfg expressions as cargo-platform does', () => {
    assert.equal(formatPlatform('cfg(any(unix,windows))'), 'cfg(any(unix, windows))');
    assert.equal(formatPlatform('cfg(target_os="linux")'), 'cfg(target_os = "linux")');
    assert.equal(
      formatPlatform('cfg( all( not(target_arch = "wasm32") , feature="x",) )'),
      'cfg(all(not(target_arch = "wasm32"), feature = "x"))',
    );
  });

  it('keeps target triples as written', () => {
    assert.equal(formatPlatform('x86_64-unknown-linux-gnu'), 'x86_64-unknown-linux-gnu');
  });

  it('refuses malformed cfg', () => {
    assert.equal(formatPlatform('cfg(any(unix'), null);
    assert.equal(formatPlatform('cfg(a = b)'), null);
  });
});
