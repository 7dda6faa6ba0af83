# Scenario `folder-churn` (test/vscode/folderChurn.test.ts): a flake whose evaluation takes seconds
# (a sum over ten million numbers), so that the folder can be removed while Nix evaluates it.
{
  description = "Nixify folder-churn fixture a";
  outputs = { self }: {
    packages.x86_64-linux.slow-a = builtins.derivation {
      name = "nixify-churn-a-${toString (builtins.foldl' builtins.add 0 (builtins.genList (x: x) 10000000))}";
      system = "x86_64-linux";
      builder = "/bin/sh";
      args = [ "-c" "echo > $out" ];
    };
  };
}
