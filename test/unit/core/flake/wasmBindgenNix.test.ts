import * as assert from 'node:assert/strict';
import { WASM_BINDGEN_CLI_NIX } from '../../../../src/core/flake/nix/sources.generated';
import { renderWasmBindgenNix } from '../../../../src/core/flake/wasmBindgenNix';

describe('nix/wasm-bindgen-cli.nix', () => {
  it('the source holds the version placeholder once, in the hash table', () => {
    assert.equal(WASM_BINDGEN_CLI_NIX.split('"@version@"').length, 2);
    assert.match(WASM_BINDGEN_CLI_NIX, /hashes = \{\n {4}"@version@" = \{\n {6}hash = lib\.fakeHash;/);
  });

  it('starts the hash table with the locked version, hashes to be filled in', () => {
    const text = renderWasmBindgenNix(['0.2.100']);
    assert.match(text, /\n {4}"0\.2\.100" = \{\n {6}hash = lib\.fakeHash;\n {6}cargoHash = lib\.fakeHash;/);
    assert.ok(!text.includes('@version@'));
    assert.equal(text.replace('"0.2.100"', '"@version@"'), WASM_BINDGEN_CLI_NIX);
  });

  it('has one entry per version when projects lock different ones', () => {
    const text = renderWasmBindgenNix(['0.2.93', '0.2.100']);
    assert.match(
      text,
      /\n {4}"0\.2\.93" = \{\n {6}hash = lib\.fakeHash;\n {6}cargoHash = lib\.fakeHash;\n {4}\};\n {4}"0\.2\.100" = \{/,
    );
    assert.ok(!text.includes('@version@'));
  });
});
