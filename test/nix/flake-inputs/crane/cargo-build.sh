# crane's builders, cut down to what decides which crates cargo compiles: the same cargo commands
# crane runs (the release profile, `--message-format json-render-diagnostics` for buildPackage, the
# check/build/test --no-run sequence of buildDepsOnly), dependency artifacts handed on as a tarball
# of target/ that keeps cargo's timestamps (crane's "use-zstd" mode), the vendored sources appended
# to CARGO_HOME's config. Offline; every cargo directory is inside the build directory.
# With $rustcWrapper set, cargo runs rustc through it (the benchmark counts compilations).
set -eu
for dir in $toolchain; do
  PATH="$dir/bin:$PATH"
done
export PATH
if ! command -v cargo > /dev/null; then
  echo "crane stand-in: no cargo in the toolchain (none was found on this machine)" >&2
  exit 1
fi
cd "$NIX_BUILD_TOP"
cp -r "$src" source
chmod -R u+w source
sourceRoot=source
eval "${postUnpack:-}"
cd "$sourceRoot"
export CARGO_HOME="$NIX_BUILD_TOP/cargo-home"
mkdir -p "$CARGO_HOME"
export CARGO_TARGET_DIR=target
export CARGO_PROFILE=release
if [ -n "${cargoVendorDir:-}" ] && [ -f "$cargoVendorDir/config.toml" ]; then
  cat "$cargoVendorDir/config.toml" >> "$CARGO_HOME/config.toml"
fi
if [ -n "${rustcWrapper:-}" ]; then
  export RUSTC_WRAPPER="$rustcWrapper"
fi
if [ -n "${cargoArtifacts:-}" ] && [ -f "$cargoArtifacts/target.tar" ]; then
  tar -xf "$cargoArtifacts/target.tar"
fi
cargoWithProfile() {
  command=$1
  shift
  cargo "$command" --profile "$CARGO_PROFILE" "$@"
}
# crane checks unless told otherwise (doCheck = false arrives as an empty string).
checking=${doCheck-1}
mkdir -p "$out"
# This machine has no wasm32 standard library: a wasm32 build records the cargo command crane would
# run (in nix-support/cargo-command) instead of running it, and buildPackage installs a placeholder
# lib/<lib name>.wasm (the first -p package's name, `-` as `_`), where crane installs the cdylib.
case " $cargoExtraArgs ${CARGO_BUILD_TARGET:-} " in
  *" --target wasm32-"* | *" wasm32-"*)
    mkdir -p "$out/nix-support"
    printf 'cargo build --profile %s %s\n' "$CARGO_PROFILE" "$cargoExtraArgs" > "$out/nix-support/cargo-command"
    case "$craneFunction" in
      buildDepsOnly) tar -cf "$out/target.tar" --files-from /dev/null ;;
      buildPackage)
        # shellcheck disable=SC2086 # one word a line
        package=$(printf '%s\n' $cargoExtraArgs | sed -n '/^-p$/{n;p;q}')
        lib=$(printf '%s' "${package:-$pname}" | tr - _)
        mkdir -p "$out/lib"
        printf 'placeholder wasm32 build of %s: cargo build %s\n' "$lib" "$cargoExtraArgs" > "$out/lib/$lib.wasm"
        ;;
      *)
        echo "crane stand-in: $craneFunction for wasm32 cannot run here (no wasm32 standard library)" >&2
        exit 1
        ;;
    esac
    exit 0
    ;;
esac
# shellcheck disable=SC2086 # the extra arguments are lists of words, as in crane
case "$craneFunction" in
  buildDepsOnly)
    # As crane: "${cargoCheckCommand} ${cargoExtraArgs} ${cargoCheckExtraArgs}", a line of shell.
    if [ "$checking" = 1 ]; then checkExtra=${cargoCheckExtraArgs---all-targets}; else checkExtra=${cargoCheckExtraArgs-}; fi
    eval "${cargoCheckCommand:-cargoWithProfile check} $cargoExtraArgs $checkExtra"
    cargoWithProfile build $cargoExtraArgs
    [ "$checking" != 1 ] || cargoWithProfile test $cargoExtraArgs --no-run
    tar -cf "$out/target.tar" target
    ;;
  buildPackage)
    if [ -n "${buildPhaseCargoCommand:-}" ]; then
      eval "$buildPhaseCargoCommand"
    else
      cargoBuildLog=$(mktemp cargoBuildLogXXXX.json)
      cargoWithProfile build --message-format json-render-diagnostics $cargoExtraArgs > "$cargoBuildLog"
    fi
    mkdir -p "$out/bin" "$out/lib" "$out/nix-support"
    # Installed before the tests run, as crane does: a test build can replace the binaries.
    jq -r 'select(.reason == "compiler-artifact" and .profile.test == false) | .executable // empty' \
      < "$cargoBuildLog" | while IFS= read -r file; do cp "$file" "$out/bin/"; done
    jq -r 'select(.reason == "compiler-artifact" and .profile.test == false)
      | select(.target.kind | index("cdylib") or index("staticlib")) | .filenames[]' \
      < "$cargoBuildLog" | while IFS= read -r file; do cp "$file" "$out/lib/"; done
    if [ "$checking" = 1 ]; then
      # The test output is kept, so that tests of the stand-in can see the tests ran.
      log="$out/nix-support/cargo-test.log"
      status=0
      cargoWithProfile test $cargoExtraArgs > "$log" 2>&1 || status=$?
      cat "$log"
      [ "$status" -eq 0 ] || exit "$status"
    fi
    ;;
  cargoClippy) cargoWithProfile clippy $cargoExtraArgs ${cargoClippyExtraArgs:---all-targets} ;;
  cargoTest) cargoWithProfile test $cargoExtraArgs ${cargoTestExtraArgs:-} ;;
  cargoDoc) cargoWithProfile doc $cargoExtraArgs ${cargoDocExtraArgs:---no-deps} ;;
  cargoFmt) cargo fmt $cargoExtraArgs -- --check ;;
  *)
    echo "crane stand-in: $craneFunction only records its arguments; it cannot be built here" >&2
    exit 1
    ;;
esac
