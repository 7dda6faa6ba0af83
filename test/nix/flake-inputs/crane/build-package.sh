# crane's buildPackage, cut down: unpack src to ./source, run postUnpack (with $sourceRoot set as
# stdenv sets it), then `cargo build` and, with doCheck, `cargo test`, offline, with every cargo
# directory inside the build directory. Binaries go to $out/bin, libraries to $out/lib.
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
export CARGO_TARGET_DIR="$NIX_BUILD_TOP/target"
# shellcheck disable=SC2086 # cargoExtraArgs is a list of words, as in crane
cargo build --offline --release $cargoExtraArgs
mkdir -p "$out/bin" "$out/lib" "$out/nix-support"
if [ "${doCheck:-}" = 1 ]; then
  # The test output is kept, so that tests of the stand-in can see the tests ran.
  log="$out/nix-support/cargo-test.log"
  status=0
  # shellcheck disable=SC2086
  cargo test --offline --release $cargoExtraArgs > "$log" 2>&1 || status=$?
  cat "$log"
  [ "$status" -eq 0 ] || exit "$status"
fi
for file in "$CARGO_TARGET_DIR"/release/*; do
  [ -f "$file" ] || continue
  case "$file" in
    *.so | *.a | *.rlib | *.wasm) cp "$file" "$out/lib/" ;;
    *.d) ;;
    *) if [ -x "$file" ]; then cp "$file" "$out/bin/"; fi ;;
  esac
done
