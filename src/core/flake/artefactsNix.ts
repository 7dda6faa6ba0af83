// Library files for what a wasm or Leptos crate ships, beyond its crane build: nix/wasm-pkg.nix
// (a wasm crate as a package a TypeScript project imports, through wasm-bindgen) and
// nix/leptos.nix (Leptos sites: server, front, stylesheet and assets, an app and an image). Static,
// like nix/workspace.nix: they read the Cargo files when the flake is evaluated. Their sources, with
// the exact call each flake.nix makes at their top, are in src/core/flake/nix/.

/** A wasm crate's wasm-bindgen package: written when wasm builds are on. */
export const WASM_PKG_NIX_PATH = 'nix/wasm-pkg.nix';
/** Leptos sites: written when a workspace has any (src/core/cargo/leptos.ts). */
export const LEPTOS_NIX_PATH = 'nix/leptos.nix';

export { LEPTOS_NIX, WASM_PKG_NIX } from './nix/sources.generated';
