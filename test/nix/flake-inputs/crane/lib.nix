# craneLib. `toolchain` is what overrideToolchain chose; crane's default is nixpkgs' rustc and cargo.
{
  pkgs,
  toolchain ? [
    pkgs.rustc
    pkgs.cargo
  ],
}:
let
  inherit (builtins)
    attrNames
    attrValues
    baseNameOf
    concatMap
    concatStringsSep
    dirOf
    elem
    filter
    isAttrs
    isFunction
    listToAttrs
    readFile
    removeAttrs
    toJSON
    unsafeDiscardStringContext
    ;
  inherit (pkgs) system;

  # Arguments as derivation attributes: `env` is flattened as mkDerivation does, attribute sets
  # become JSON (keeping their string context), nulls and functions are dropped.
  toEnv =
    args:
    let
      plain = removeAttrs args [
        "meta"
        "passthru"
        "env"
      ];
      kept = filter (name: plain.${name} != null && !isFunction plain.${name}) (attrNames plain);
      convert = v: if isAttrs v && !(v ? outPath) then toJSON v else v;
    in
    listToAttrs (
      map (name: {
        inherit name;
        value = convert plain.${name};
      }) kept
    )
    // (args.env or { });

  # Set by the benchmark in its copy of this flake: a rustc wrapper that counts compilations.
  rustcWrapper =
    if builtins.pathExists ./rustc-wrapper then
      builtins.replaceStrings [ "\n" ] [ "" ] (readFile ./rustc-wrapper)
    else
      null;

  # One crane derivation, built by cargo-build.sh as crane would build it.
  mkCargoDerivation =
    {
      craneFunction,
      pnameSuffix ? "",
      defaultExtraArgs ? "--locked",
    }:
    args:
    let
      pname = (args.pname or "crate") + pnameSuffix;
      version = args.version or "0.0.1";
    in
    derivation (
      toEnv args
      // {
        name = "${pname}-${version}";
        inherit
          pname
          version
          system
          craneFunction
          toolchain
          rustcWrapper
          ;
        cargoExtraArgs = args.cargoExtraArgs or defaultExtraArgs;
        builder = "/bin/sh";
        PATH = "/usr/bin:/bin";
        args = [ ./cargo-build.sh ];
      }
    )
    // {
      meta = args.meta or { };
    };

  buildDepsOnly =
    args:
    mkCargoDerivation {
      craneFunction = "buildDepsOnly";
      pnameSuffix = "-deps";
    } (removeAttrs args [ "dummySrc" ] // { src = args.dummySrc or (mkDummySrc { inherit (args) src; }); });

  # Real crane rewrites every target to a stub at evaluation time; here a build step does the same.
  # As with crane, the result depends on the Cargo files and on which Rust files exist, never on
  # their contents: the build gets the Cargo files and the list of Rust files, not the sources.
  mkDummySrc =
    {
      src,
      extraDummyScript ? "",
      ...
    }:
    let
      rustFiles =
        dir: rel:
        let
          entries = builtins.readDir dir;
        in
        concatMap (
          name:
          let
            path = if rel == "" then name else "${rel}/${name}";
          in
          if entries.${name} == "directory" then
            rustFiles "${dir}/${name}" path
          else if builtins.match ".*[.]rs" name != null then
            [ path ]
          else
            [ ]
        ) (attrNames entries);
    in
    derivation {
      name = "dummy-src";
      inherit system;
      src = builtins.path {
        name = "cargo-files";
        path = src;
        filter =
          path: type:
          type == "directory"
          || baseNameOf path == "Cargo.toml"
          # As crane: only the Cargo.lock at the source's root (a nested project adds its own with
          # extraDummyScript).
          || (baseNameOf path == "Cargo.lock" && dirOf path == toString src)
          || baseNameOf (dirOf path) == ".cargo";
      };
      inherit extraDummyScript;
      rustFiles = concatStringsSep "\n" (rustFiles src "");
      builder = "/bin/sh";
      args = [ ./dummy-src.sh ];
    };

  # Unique derivations, for the dev shell's merged inputs.
  uniqueDrvs =
    drvs:
    attrValues (
      listToAttrs (
        map (d: {
          name = unsafeDiscardStringContext (toString d);
          value = d;
        }) drvs
      )
    );
in
{
  overrideToolchain =
    toolchainArg:
    import ./lib.nix {
      inherit pkgs;
      toolchain = [ (if isFunction toolchainArg then toolchainArg pkgs else toolchainArg) ];
    };

  inherit buildDepsOnly;

  buildPackage =
    args:
    mkCargoDerivation {
      craneFunction = "buildPackage";
    } (args // { cargoArtifacts = args.cargoArtifacts or (buildDepsOnly args); });

  # crane's buildTrunkPackage: `trunk build` of a wasm32 app, its dist/ as $out. Trunk cannot run
  # here (no wasm32 standard library): trunk-build.sh records the command and the arguments that
  # matter, and writes the layout trunk would (the index.html given, a .js and a _bg.wasm).
  buildTrunkPackage =
    args:
    let
      wasmArgs = {
        CARGO_BUILD_TARGET = "wasm32-unknown-unknown";
        doCheck = false;
      }
      // args;
      pname = args.pname or "trunk-app";
      version = args.version or "0.0.1";
    in
    derivation (
      toEnv (removeAttrs wasmArgs [ "wasm-bindgen-cli" ])
      // {
        name = "${pname}-${version}";
        inherit pname version system;
        craneFunction = "buildTrunkPackage";
        cargoExtraArgs = args.cargoExtraArgs or "--locked";
        cargoArtifacts = args.cargoArtifacts or (buildDepsOnly wasmArgs);
        trunkIndexPath = args.trunkIndexPath or "./index.html";
        trunkExtraArgs = args.trunkExtraArgs or "";
        trunkExtraBuildArgs = args.trunkExtraBuildArgs or "";
        wasmBindgenCli = args.wasm-bindgen-cli or pkgs.wasm-bindgen-cli;
        nativeBuildInputs = (args.nativeBuildInputs or [ ]) ++ [
          pkgs.trunk
          pkgs.binaryen
          pkgs.dart-sass
        ];
        builder = "/bin/sh";
        PATH = "/usr/bin:/bin";
        args = [ ./trunk-build.sh ];
      }
    )
    // {
      meta = args.meta or { };
    };

  cargoClippy = mkCargoDerivation {
    craneFunction = "cargoClippy";
    pnameSuffix = "-clippy";
  };
  cargoFmt = mkCargoDerivation {
    craneFunction = "cargoFmt";
    pnameSuffix = "-fmt";
    # crane's cargoFmt runs `cargo fmt` without --locked.
    defaultExtraArgs = "";
  };
  cargoTest = mkCargoDerivation {
    craneFunction = "cargoTest";
    pnameSuffix = "-test";
  };
  cargoNextest = mkCargoDerivation {
    craneFunction = "cargoNextest";
    pnameSuffix = "-nextest";
  };
  cargoDoc = mkCargoDerivation {
    craneFunction = "cargoDoc";
    pnameSuffix = "-doc";
  };

  inherit mkDummySrc;

  # The crates.io sources: a `vendor` folder beside this file (the benchmark's local registry, each
  # crate with its .cargo-checksum.json), or none. Cargo reads them through CARGO_HOME's config.
  vendorCargoDeps =
    {
      cargoLock ? null,
      src ? null,
      ...
    }:
    derivation {
      name = "vendor-cargo-deps";
      inherit system;
      cargoLock = if cargoLock != null then cargoLock else src + "/Cargo.lock";
      config =
        if builtins.pathExists ./vendor then
          ''
            [source.crates-io]
            replace-with = "vendored-sources"
            [source.vendored-sources]
            directory = "${./vendor}"
          ''
        else
          "";
      builder = "/bin/sh";
      PATH = "/usr/bin:/bin";
      args = [
        "-c"
        ''mkdir -p "$out" && printf '%s' "$config" > "$out/config.toml"''
      ];
    };

  # mkShell with inputsFrom = the checks: their inputs, not the checks themselves.
  devShell =
    {
      checks ? { },
      inputsFrom ? [ ],
      packages ? [ ],
      ...
    }@args:
    let
      inputs = inputsFrom ++ attrValues checks;
      collect = attr: uniqueDrvs (concatMap (d: d.drvAttrs.${attr} or [ ]) inputs);
      nativeBuildInputs = collect "nativeBuildInputs";
      shellPackages = packages ++ toolchain;
    in
    derivation (
      toEnv (
        removeAttrs args [
          "checks"
          "inputsFrom"
          "packages"
        ]
      )
      // {
        name = args.name or "nix-shell";
        inherit system nativeBuildInputs toolchain;
        craneFunction = "devShell";
        packages = shellPackages;
        buildInputs = collect "buildInputs";
        # `nix print-dev-env` needs bash and one output.
        builder = "/bin/bash";
        outputs = [ "out" ];
        PATH = concatStringsSep ":" (
          map (p: "${p}/bin") (shellPackages ++ nativeBuildInputs)
          ++ [
            "/usr/bin"
            "/bin"
          ]
        );
        args = [
          "-c"
          ''echo "a development shell" > "$out"''
        ];
      }
    );
}
