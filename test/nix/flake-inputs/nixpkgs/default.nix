# `import nixpkgs { system; overlays; }`: the package set generated flakes use. Every package is a
# `builtins.derivation` that builds in an instant; rustc and cargo run the machine's own toolchain
# (host-toolchain.sh) so that the crane stand-in can run a real `cargo build`.
{
  system ? "x86_64-linux",
  overlays ? [ ],
  ...
}:
let
  lib = import ./lib.nix;

  # A package that builds to an empty prefix: enough to be an input, a store path and a name.
  mkPackage =
    pname: version: attrs:
    derivation (
      {
        name = "${pname}-${version}";
        inherit pname version system;
        builder = "/bin/sh";
        PATH = "/usr/bin:/bin";
        args = [
          "-c"
          ''mkdir -p "$out/bin"''
        ];
      }
      // attrs
    );

  # A package holding one stand-in command, bin/<command>, made from tools/<script>: it records its
  # command line in what it writes (these tools cannot really run here: no wasm32 standard library).
  mkTool =
    pname: version: command: script: attrs:
    mkPackage pname version (
      attrs
      // {
        inherit command script;
        args = [
          "-c"
          ''mkdir -p "$out/bin" && cp "$script" "$out/bin/$command" && chmod +x "$out/bin/$command"''
        ];
      }
    );

  # host-toolchain.sh is kept identical in the rust-overlay and fenix stand-ins: a flake only sees its
  # own directory.
  hostToolchain =
    pname: version:
    mkPackage pname version {
      args = [ ./host-toolchain.sh ];
    };

  base = {
    inherit lib system;
    stdenv = {
      hostPlatform = {
        inherit system;
        isLinux = lib.elem system [
          "x86_64-linux"
          "aarch64-linux"
        ];
        isDarwin = lib.elem system [
          "x86_64-darwin"
          "aarch64-darwin"
        ];
      };
    };

    rustc = hostToolchain "rustc" "1.86.0";
    cargo = hostToolchain "cargo" "1.86.0";
    clippy = hostToolchain "clippy" "1.86.0";
    rustfmt = hostToolchain "rustfmt" "1.86.0";
    rust-analyzer = mkPackage "rust-analyzer" "2025-03-17" { };
    rustPlatform = {
      rustLibSrc = mkPackage "rust-lib-src" "1.86.0" { };
      bindgenHook = mkPackage "rust-bindgen-hook" "0.71.1" { };
      fetchCargoVendor =
        {
          src,
          hash,
          pname ? "source",
          version ? "",
          ...
        }:
        mkPackage "${pname}-vendor" version { inherit src hash; };
    };

    # Fetchers record their hash instead of fetching: nothing is downloaded.
    fetchCrate =
      {
        pname,
        version,
        hash,
        ...
      }:
      mkPackage pname version {
        inherit hash;
        crate = "${pname}-${version}.crate";
      };
    buildWasmBindgenCli =
      { src, cargoDeps, ... }:
      mkTool "wasm-bindgen-cli" src.version "wasm-bindgen" ./tools/wasm-bindgen.sh {
        inherit src cargoDeps;
      };
    # Deliberately not the version examples/ locks, so the flake takes the fetchCrate route.
    wasm-bindgen-cli = mkTool "wasm-bindgen-cli" "0.2.92" "wasm-bindgen" ./tools/wasm-bindgen.sh { };

    dockerTools.buildLayeredImage =
      {
        name,
        tag ? "latest",
        config ? { },
        contents ? [ ],
        ...
      }:
      mkPackage "docker-image-${name}.tar.gz" "" {
        name = "docker-image-${name}.tar.gz";
        imageName = name;
        imageTag = tag;
        imageContents = contents;
        # toJSON keeps the string context: the image depends on what config.Cmd names.
        imageConfig = builtins.toJSON config;
      };

    # Runs the script with the host's tools, as nixpkgs' runCommandLocal runs it with stdenv's.
    runCommandLocal =
      name: env: script:
      derivation (
        {
          inherit name system;
          builder = "/bin/sh";
          PATH = "/usr/bin:/bin";
          args = [
            "-c"
            script
          ];
        }
        // env
      );

    # nixpkgs' runCommand: the script runs with nativeBuildInputs' bin/ directories on PATH.
    runCommand =
      name: env: script:
      derivation (
        removeAttrs env [ "nativeBuildInputs" ]
        // {
          inherit name system;
          nativeBuildInputs = env.nativeBuildInputs or [ ];
          builder = "/bin/sh";
          PATH = lib.concatMapStrings (p: "${p}/bin:") (env.nativeBuildInputs or [ ]) + "/usr/bin:/bin";
          args = [
            "-c"
            script
          ];
        }
      );
    # nixpkgs' writeShellScriptBin: bin/<name>, the text after a bash shebang.
    writeShellScriptBin =
      name: text:
      derivation {
        inherit name system text;
        builder = "/bin/sh";
        PATH = "/usr/bin:/bin";
        args = [
          "-c"
          ''mkdir -p "$out/bin" && { echo '#!/bin/bash'; printf '%s\n' "$text"; } > "$out/bin/${name}" && chmod +x "$out/bin/${name}"''
        ];
      }
      // {
        meta.mainProgram = name;
      };

    # The machine's jq: crane's install steps and the generated flakes run it.
    jq = mkPackage "jq" "1.7.1" {
      args = [
        "-c"
        ''mkdir -p "$out/bin" && ln -s /usr/bin/jq "$out/bin/jq"''
      ];
    };
    trunk = mkPackage "trunk" "0.21.14" { };
    cargo-leptos = mkPackage "cargo-leptos" "0.2.35" { };
    cargo-nextest = mkPackage "cargo-nextest" "0.9.94" { };
    binaryen = mkTool "binaryen" "123" "wasm-opt" ./tools/wasm-opt.sh { };
    dart-sass = mkTool "dart-sass" "1.85.1" "sass" ./tools/sass.sh { };
    tailwindcss = mkTool "tailwindcss" "3.4.17" "tailwindcss" ./tools/tailwindcss.sh { };
    nodejs = mkPackage "nodejs" "22.14.0" { };
    nixfmt = mkPackage "nixfmt" "1.0.0" { };
    libiconv = mkPackage "libiconv" "109" { };

    # Every attribute src/core/cargo/systemLibraries.ts may name.
    pkg-config = mkPackage "pkg-config-wrapper" "0.29.2" { };
    perl = mkPackage "perl" "5.40.0" { };
    cmake = mkPackage "cmake" "3.31.6" { };
    protobuf = mkPackage "protobuf" "29.3" { };
    openssl = mkPackage "openssl" "3.4.1" { };
    libgit2 = mkPackage "libgit2" "1.9.0" { };
    zlib = mkPackage "zlib" "1.3.1" { };
    libssh2 = mkPackage "libssh2" "1.11.1" { };
    sqlite = mkPackage "sqlite" "3.48.0" { };
    zstd = mkPackage "zstd" "1.5.7" { };
    xz = mkPackage "xz" "5.6.4" { };
    bzip2 = mkPackage "bzip2" "1.0.8" { };
    curl = mkPackage "curl" "8.12.1" { };
    libpq = mkPackage "libpq" "17.4" { };
    libmysqlclient = mkPackage "mariadb-connector-c" "3.3.10" { };
    alsa-lib = mkPackage "alsa-lib" "1.2.13" { };
    udev = mkPackage "systemd-minimal-libs" "257.3" { };
    dbus = mkPackage "dbus" "1.14.10" { };
    libusb1 = mkPackage "libusb" "1.0.27" { };
    oniguruma = mkPackage "oniguruma" "6.9.10" { };
    freetype = mkPackage "freetype" "2.13.3" { };
    fontconfig = mkPackage "fontconfig" "2.16.0" { };
    glib = mkPackage "glib" "2.82.5" { };
    gtk3 = mkPackage "gtk+3" "3.24.49" { };
    gtk4 = mkPackage "gtk4" "4.16.12" { };
    wayland = mkPackage "wayland" "1.23.1" { };
    xorg.libX11 = mkPackage "libX11" "1.8.12" { };
    rdkafka = mkPackage "rdkafka" "2.8.0" { };
    hdf5 = mkPackage "hdf5" "1.14.6" { };
  };

  # Overlays see the final set and the one before them, as in nixpkgs.
  pkgs = builtins.foldl' (prev: overlay: prev // overlay pkgs prev) base overlays;
in
pkgs
