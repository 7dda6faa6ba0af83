import * as assert from 'node:assert/strict';
import { SYSTEM_LIBRARY_TABLE, systemLibrariesFor } from '../../../../src/core/cargo/systemLibraries';

describe('core/cargo/systemLibraries', () => {
  it('maps -sys crates to nixpkgs attributes', () => {
    const found = systemLibrariesFor(['serde', 'openssl-sys', 'prost-build', 'bindgen']);
    assert.deepEqual(
      found.map((l) => [l.crate, l.buildInputs, l.nativeBuildInputs]),
      [
        ['openssl-sys', ['openssl'], ['pkg-config']],
        ['prost-build', [], ['protobuf']],
        ['bindgen', [], ['rustPlatform.bindgenHook']],
      ],
    );
  });

  it('covers the crates the issue names', () => {
    for (const crate of [
      'libgit2-sys',
      'libsqlite3-sys',
      'zstd-sys',
      'libz-sys',
      'tonic-build',
      'pq-sys',
      'alsa-sys',
      'libudev-sys',
    ]) {
      assert.ok(SYSTEM_LIBRARY_TABLE[crate], crate);
    }
  });
});
