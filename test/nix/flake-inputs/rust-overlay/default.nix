# `import rust-overlay`: the overlay itself, as in the real repository's default.nix.
final: prev:
let
  inherit (builtins)
    fromTOML
    head
    isFunction
    match
    readFile
    ;
  latestStable = "1.86.0";

  # A toolchain: one derivation recording what was selected. The rust-std of every target comes from
  # the same release as rustc, as in rust-overlay.
  mkToolchain =
    args:
    let
      toolchain = derivation {
        name = "rust-${args.profile}-${args.release}";
        inherit (prev) system;
        inherit (args) release profile;
        extensions = args.extensions;
        targets = args.targets;
        builder = "/bin/sh";
        PATH = "/usr/bin:/bin";
        args = [ ./host-toolchain.sh ];
      };
    in
    toolchain
    // {
      override =
        newArgs: mkToolchain (args // (if isFunction newArgs then newArgs args else newArgs));
      version = args.release;
    };

  fromRustupToolchain =
    {
      channel,
      profile ? "default",
      components ? [ ],
      targets ? [ ],
      ...
    }:
    mkToolchain {
      release = if channel == "stable" then latestStable else channel;
      inherit profile;
      extensions = components;
      inherit targets;
    };
in
{
  rust-bin = {
    stable.latest.default = fromRustupToolchain { channel = "stable"; };
    inherit fromRustupToolchain;
    fromRustupToolchainFile =
      path:
      let
        content = readFile path;
        legacy = match "([^\r\n]+)\r?\n?" content;
      in
      if legacy != null then
        fromRustupToolchain { channel = head legacy; }
      else
        fromRustupToolchain (fromTOML content).toolchain;
  };
}
