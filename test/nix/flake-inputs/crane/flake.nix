# Stand-in for ipetkov/crane in Nixify's nix test tier. `mkLib pkgs` gives the functions generated
# flakes call, each a `builtins.derivation` named as crane names it (`<pname>-<version>`,
# `<pname>-deps-<version>`, `-clippy`, `-fmt`, `-test`, `-nextest`, `-doc`) whose environment records
# the arguments that matter: src, cargoArtifacts, cargoExtraArgs, postUnpack, toolchain,
# buildInputs, nativeBuildInputs, packages… Read them with `nix show-derivation` or `.drvAttrs`.
# buildPackage really builds: it runs the machine's cargo on the source, after postUnpack. A wasm32
# build (this machine has no wasm32 standard library) records its cargo command instead and installs
# a placeholder lib/<lib name>.wasm; buildTrunkPackage records the trunk command and writes dist/.
{
  description = "crane stand-in for Nixify's tests";

  outputs =
    { self }:
    {
      mkLib = pkgs: import ./lib.nix { inherit pkgs; };
    };
}
