# Scenario `folder-churn` (test/vscode/folderChurn.test.ts): a flake whose evaluation takes about a
# minute (600 sums over a million numbers), longer than the test waits for its Nix process to end
# after the folder is removed: only a cancelled evaluation ends in time.
{
  description = "Nixify folder-churn fixture b";
  outputs = { self }: {
    packages.x86_64-linux.slow-b = builtins.derivation {
      name = "nixify-churn-b-${toString (builtins.foldl' (acc: i: acc + builtins.foldl' builtins.add i (builtins.genList (x: x) 1000000)) 0 (builtins.genList (x: x) 600))}";
      system = "x86_64-linux";
      builder = "/bin/sh";
      args = [ "-c" "echo > $out" ];
    };
  };
}
