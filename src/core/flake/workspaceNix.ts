// The discovery files every generated flake imports. They are static: the crate graph is read from
// the Cargo files when the flake is evaluated, so adding a crate needs no regeneration. Builtins only
// (no nixpkgs, no import-from-derivation), so they can be evaluated and tested with Nix alone. The TS
// model (src/core/cargo) is the reference they are tested against. Their sources are in
// src/core/flake/nix/.

/** The crates, their sources and stand-ins: written for every flake. */
export const WORKSPACE_NIX_PATH = 'nix/workspace.nix';
/** Which crates are wasm, and the locked wasm-bindgen: written only when wasm builds are on. */
export const WASM_NIX_PATH = 'nix/wasm.nix';

export { WASM_NIX, WORKSPACE_NIX } from './nix/sources.generated';
