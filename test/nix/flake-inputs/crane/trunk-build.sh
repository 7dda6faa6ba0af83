# crane's buildTrunkPackage, recorded: unpacks the source as crane does (postUnpack, then into
# $sourceRoot), then, instead of running trunk (this machine has no wasm32 standard library), writes
# what `trunk build` puts in dist/: the index.html it was given, with the command line recorded in a
# comment, and a .js and a _bg.wasm named after the package.
set -eu
cd "$NIX_BUILD_TOP"
cp -r "$src" source
chmod -R u+w source
sourceRoot=source
eval "${postUnpack:-}"
cd "$sourceRoot"
release=
[ "${CARGO_PROFILE:-release}" != release ] || release=" --release"
line="trunk${trunkExtraArgs:+ $trunkExtraArgs} build$release${trunkExtraBuildArgs:+ $trunkExtraBuildArgs} $trunkIndexPath"
if [ ! -f "$trunkIndexPath" ]; then
  echo "crane stand-in: $line: no $trunkIndexPath in $(pwd)" >&2
  exit 1
fi
name=$(printf '%s' "$pname" | tr - _)
mkdir -p "$out"
{ cat "$trunkIndexPath"; printf '<!-- %s (in %s, CARGO_BUILD_TARGET=%s) -->\n' "$line" "${PWD#"$NIX_BUILD_TOP"/}" "${CARGO_BUILD_TARGET:-}"; } > "$out/index.html"
printf '// %s\n' "$line" > "$out/$name.js"
printf 'placeholder wasm32 build: %s\n' "$line" > "$out/${name}_bg.wasm"
