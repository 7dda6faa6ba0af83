# Stand-in for oxalica/rust-overlay in Nixify's nix test tier: an overlay that adds `rust-bin` with
# `stable.latest.default` and `fromRustupToolchainFile`, whose toolchains have rust-overlay's
# `.override { extensions; targets; }` (new arguments replace the old ones, as makeOverridable does).
# The toolchains run the machine's cargo and rustc (host-toolchain.sh) so that stand-in builds can.
{
  description = "rust-overlay stand-in for Nixify's tests";

  outputs =
    { self }:
    {
      overlays.default = import ./default.nix;
    };
}
