// Library files for what a wasm, Leptos or Trunk crate ships, beyond its crane build:
// nix/wasm-pkg.nix (a wasm crate as a package a TypeScript project imports, through wasm-bindgen),
// nix/leptos.nix (Leptos sites: server, front, stylesheet and assets, an app and an image) and
// nix/trunk.nix (Trunk apps' dist/ through crane's buildTrunkPackage). Static,
// like nix/workspace.nix: they read the Cargo files when the flake is evaluated. Their sources, with
// the exact call each flake.nix makes at their top, are in src/core/flake/nix/.

/** A wasm crate's wasm-bindgen package: written when wasm builds are on. */
export const WASM_PKG_NIX_PATH = 'nix/wasm-pkg.nix';
/** Leptos sites: written when a workspace has any (src/core/cargo/leptos.ts). */
export const LEPTOS_NIX_PATH = 'nix/leptos.nix';

/** Trunk apps: written when a crate has a Trunk.toml. */
export const TRUNK_NIX_PATH = 'nix/trunk.nix';

export { LEPTOS_NIX, TRUNK_NIX, WASM_PKG_NIX } from './nix/sources.generated';
