# Stand-in for nix-community/fenix in Nixify's nix test tier: `packages.<system>` with `combine`,
# `stable.toolchain`, `stable.<component>`, `targets.<triple>.stable.rust-std`, `fromToolchainFile`
# and `fromToolchainName`. Each component records its release, so tests can see a toolchain mixing
# releases. Toolchains run the machine's cargo and rustc (host-toolchain.sh) so that stand-in builds can.
{
  description = "fenix stand-in for Nixify's tests";

  outputs =
    { self }:
    {
      packages =
        builtins.mapAttrs (system: _: import ./packages.nix { inherit system; })
          {
            x86_64-linux = null;
            aarch64-linux = null;
            x86_64-darwin = null;
            aarch64-darwin = null;
          };
    };
}
