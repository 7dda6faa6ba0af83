# An evaluation-only stand-in for nixpkgs (see default.nix), for running the REAL crane offline
# against flakes Nixify generates. Used by scripts/check-real-crane.mjs and bench/flakeEval.bench.ts:
#
#   nix eval <generated flake>#… \
#     --override-input nixpkgs path:<this folder> \
#     --override-input nixpkgs/nixpkgs-lib path:<checkout of nixpkgs.lib> \
#     --override-input crane path:<checkout of crane>
#
# The lib always comes from the developer's own checkout of nixpkgs.lib (crane needs
# lib.version >= 26.05); the url below is only what that input stands for.
{
  description = "Evaluation-only stand-in for nixpkgs, with the real nixpkgs lib";

  inputs.nixpkgs-lib.url = "github:nix-community/nixpkgs.lib";

  outputs =
    { nixpkgs-lib, ... }:
    let
      inherit (nixpkgs-lib) lib;
    in
    {
      inherit lib;
      legacyPackages = lib.genAttrs [
        "x86_64-linux"
        "aarch64-linux"
        "x86_64-darwin"
        "aarch64-darwin"
      ] (system: import ./default.nix { inherit system lib; });
    };
}
