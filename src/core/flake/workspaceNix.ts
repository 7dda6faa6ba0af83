// The discovery file every generated flake imports as nix/workspace.nix. It is static: the crate
// graph is read from the Cargo files when the flake is evaluated, so adding a crate needs no
// regeneration. Builtins only (no nixpkgs, no import-from-derivation), so it can be evaluated and
// tested with Nix alone. The TS model (src/core/cargo) is the reference it is tested against. Its
// source is src/core/flake/nix/workspace.nix.

export const WORKSPACE_NIX_PATH = 'nix/workspace.nix';

export { WORKSPACE_NIX } from './nix/sources.generated';
