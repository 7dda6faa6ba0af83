import { WASM_BINDGEN_CLI_NIX } from './nix/sources.generated';
import { nixString } from './nixText';

// nix/wasm-bindgen-cli.nix: wasm-bindgen's CLI must be exactly the version of the wasm-bindgen crate
// in Cargo.lock, or the generated JS glue does not match the wasm module. Its source is
// src/core/flake/nix/wasm-bindgen-cli.nix, whose hash table starts with an entry for each locked
// version (projects of one repository may lock different ones; the hashes are lib.fakeHash, which
// makes `nix build` print the real ones).

export const WASM32 = 'wasm32-unknown-unknown';
export const WASM_BINDGEN_NIX_PATH = 'nix/wasm-bindgen-cli.nix';

// Like nixpkgs' substituteAll: the placeholder is a valid Nix string, so the source file parses.
const VERSION_PLACEHOLDER = '"@version@"';

export function renderWasmBindgenNix(versions: readonly string[]): string {
  const entry = /^( *)"@version@" = \{\n[^]*?\n\1\};\n/m.exec(WASM_BINDGEN_CLI_NIX);
  if (entry === null) throw new Error('nix/wasm-bindgen-cli.nix has no "@version@" entry');
  // Functions, so that `$` in the replacement is never read as a pattern.
  const entries = versions.map((v) => entry[0].replace(VERSION_PLACEHOLDER, () => nixString(v))).join('');
  return WASM_BINDGEN_CLI_NIX.replace(entry[0], () => entries);
}
