# Scenario `remote-builders`: test/harness/remoteBuildersFixture.mjs makes this folder a git
# repository and gives the extension host a NIX_CONFIG with two remote builders (never contacted:
# where a derivation would build is decided from their systems and features, as Nix decides).
# No inputs: evaluates offline. Nothing here is ever built.
{
  description = "Nixify remote-builders fixture";
  outputs = { self }:
    let
      mk = name: extra: builtins.derivation ({
        inherit name;
        system = "x86_64-linux";
        builder = "/bin/sh";
        PATH = "/usr/bin:/bin";
        args = [ "-c" "echo ${name} > $out" ];
      } // extra);
    in {
      packages.x86_64-linux = {
        # Builds here: this machine is x86_64-linux and the only Linux builder wants `cuda` builds.
        native = mk "nixify-rb-native" { };
        # Only the Mac builder can: this machine has no aarch64-darwin.
        mac-tool = mk "nixify-rb-mac-tool" { system = "aarch64-darwin"; };
        # Requires `cuda`, which only the GPU builder offers (and demands).
        kernels = mk "nixify-rb-kernels" { requiredSystemFeatures = [ "cuda" ]; };
      };
    };
}
