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

  # One crane derivation. `script` is the builder; most only record their inputs.
  mkCargoDerivation =
    {
      craneFunction,
      pnameSuffix ? "",
      defaultExtraArgs ? "--locked",
      script ? ''mkdir -p "$out"'',
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
          ;
        cargoExtraArgs = args.cargoExtraArgs or defaultExtraArgs;
        builder = "/bin/sh";
        PATH = "/usr/bin:/bin";
        args = [
          "-c"
          script
        ];
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

  # Real crane rewrites every target to a stub at evaluation time; what matters here is the same:
  # the result depends on the Cargo files only, never on the sources.
  mkDummySrc =
    { src, ... }:
    builtins.path {
      name = "dummy-src";
      path = src;
      filter =
        path: type:
        type == "directory"
        || elem (baseNameOf path) [
          "Cargo.toml"
          "Cargo.lock"
          "rust-toolchain"
          "rust-toolchain.toml"
        ]
        || baseNameOf (dirOf path) == ".cargo";
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
      script = readFile ./build-package.sh;
    } (args // { cargoArtifacts = args.cargoArtifacts or (buildDepsOnly args); });

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
      builder = "/bin/sh";
      PATH = "/usr/bin:/bin";
      args = [
        "-c"
        ''mkdir -p "$out"''
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
