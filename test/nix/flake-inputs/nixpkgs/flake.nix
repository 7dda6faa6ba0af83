# Stand-in for nixpkgs in Nixify's nix test tier (test/nix): the parts of nixpkgs that generated
# flakes use, made of plain `builtins.derivation`s so that they evaluate and build offline with Nix
# alone. Anything a generated flake uses that is missing here fails the evaluation loudly.
{
  description = "nixpkgs stand-in for Nixify's tests";

  outputs =
    { self }:
    {
      lib = import ./lib.nix;
      legacyPackages = self.lib.genAttrs [
        "x86_64-linux"
        "aarch64-linux"
        "x86_64-darwin"
        "aarch64-darwin"
      ] (system: import ./default.nix { inherit system; });
    };
}
