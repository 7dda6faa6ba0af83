# fenix.packages.<system>.
{ system }:
let
  inherit (builtins)
    concatMap
    elem
    filter
    fromTOML
    head
    listToAttrs
    match
    readFile
    ;
  latestStable = "1.86.0";
  hostTriple =
    {
      x86_64-linux = "x86_64-unknown-linux-gnu";
      aarch64-linux = "aarch64-unknown-linux-gnu";
      x86_64-darwin = "x86_64-apple-darwin";
      aarch64-darwin = "aarch64-apple-darwin";
    }
    .${system};
  knownTargets = [
    hostTriple
    "wasm32-unknown-unknown"
    "wasm32-wasip1"
    "x86_64-unknown-linux-gnu"
    "x86_64-unknown-linux-musl"
    "aarch64-unknown-linux-gnu"
  ];
  componentNames = [
    "cargo"
    "clippy"
    "rust-analyzer"
    "rust-docs"
    "rust-src"
    "rust-std"
    "rustc"
    "rustfmt"
  ];
  profiles = {
    minimal = [
      "cargo"
      "rust-std"
      "rustc"
    ];
    default = [
      "cargo"
      "clippy"
      "rust-docs"
      "rust-std"
      "rustc"
      "rustfmt"
    ];
  };

  component =
    release: target: name:
    derivation {
      name = "${name}-${release}-${target}";
      inherit system release target;
      component = name;
      builder = "/bin/sh";
      PATH = "/usr/bin:/bin";
      args = [
        "-c"
        ''mkdir -p "$out"''
      ];
    }
    // {
      version = release;
    };

  # Several components as one toolchain, like fenix's combine (a symlinkJoin).
  combine' =
    name: paths:
    derivation {
      inherit name system paths;
      # Every release among the components, nested toolchains included.
      releases = concatMap (p: p.releases or [ p.release ]) paths;
      builder = "/bin/sh";
      PATH = "/usr/bin:/bin";
      args = [ ./host-toolchain.sh ];
    };

  # A release for one target: its components, and the profile toolchains.
  toolchainOf' =
    target: release:
    let
      components = listToAttrs (
        map (name: {
          inherit name;
          value = component release target name;
        }) componentNames
      );
      withComponents = names: combine' "rust-${release}" (map (n: components.${n}) names);
    in
    components
    // {
      inherit withComponents;
      toolchain = withComponents profiles.default;
      defaultToolchain = withComponents profiles.default;
      minimalToolchain = withComponents profiles.minimal;
    };

  releaseOf = channel: if channel == "stable" then latestStable else channel;

  # A channel's release (fenix checks `sha256` against the channel manifest; recorded only).
  toolchainOf =
    {
      root ? null,
      channel ? "nightly",
      date ? null,
      sha256 ? null,
    }:
    toolchainOf' hostTriple (releaseOf (if date == null then channel else "${channel}-${date}"));

  fromToolchainName =
    {
      name,
      sha256 ? "",
    }:
    toolchainOf' hostTriple (releaseOf name);

  fromToolchainFile =
    {
      file ? null,
      dir ? null,
      sha256 ? null,
    }:
    let
      text = readFile (if file != null then file else dir + "/rust-toolchain.toml");
      legacy = match "([^\r\n]+)\r?\n?" text;
      t = if legacy != null then { channel = head legacy; } else (fromTOML text).toolchain;
      release = releaseOf t.channel;
      host = toolchainOf' hostTriple release;
      names = profiles.${t.profile or "default"} ++ filter (c: !elem c profiles.default) (t.components or [ ]);
    in
    (combine' "rust-${t.channel}" (
      map (n: host.${n}) names ++ map (target: (toolchainOf' target release).rust-std) (t.targets or [ ])
    ))
    // {
      # Recorded so tests can see it; fenix checks it against the channel manifest.
      inherit sha256;
    };
in
{
  combine = combine' "rust-mixed";
  stable = toolchainOf' hostTriple latestStable;
  inherit fromToolchainFile fromToolchainName toolchainOf;
  targets = listToAttrs (
    map (target: {
      name = target;
      value = {
        stable = toolchainOf' target latestStable;
        toolchainOf =
          {
            channel ? "nightly",
            date ? null,
            ...
          }:
          toolchainOf' target (releaseOf (if date == null then channel else "${channel}-${date}"));
      };
    }) knownTargets
  );
}
