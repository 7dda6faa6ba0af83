# Scenario `nix-errors`: test/harness/nixErrorsFixture.mjs makes this folder a git repository, as
# flakes need. No inputs: evaluates offline. test/vscode/nixErrors.test.ts breaks and mends it.
{
  description = "Nixify nix-errors fixture";
  outputs = { self }:
    let
      system = "x86_64-linux";
      settings = import ./nix/settings.nix;
      # Never in the store: its build sleeps, so an evaluation of `slow` can be cancelled mid-way.
      sleeper = builtins.derivation {
        name = "nixify-nix-errors-sleeper";
        inherit system;
        builder = "/bin/sh";
        PATH = "/usr/bin:/bin";
        args = [ "-c" "sleep 120; mkdir -p $out" ];
      };
      shell = name: extra: builtins.derivation ({
        inherit name system;
        builder = "/bin/bash";
        outputs = [ "out" ];
      } // extra);
    in {
      devShells.${system} = {
        default = shell "nixify-nix-errors-shell" { NIXIFY_GREETING = settings.greeting; };
        slow = shell "nixify-nix-errors-slow" { PATH = "${sleeper}/bin"; };
      };
    };
}
