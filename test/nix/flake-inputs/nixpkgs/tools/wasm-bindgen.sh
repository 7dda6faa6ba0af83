#!/bin/sh
# wasm-bindgen stand-in (there is no wasm32 standard library here, so no real .wasm to bind): writes
# the files real wasm-bindgen names for its options, each recording the command line, so that tests
# read what was asked from the output itself.
set -eu
target=bundler outDir= outName= typescript=1 input=
while [ "$#" -gt 0 ]; do
  case "$1" in
    --target) target=$2; shift ;;
    --out-dir) outDir=$2; shift ;;
    --out-name) outName=$2; shift ;;
    --no-typescript) typescript= ;;
    --*) ;;
    *) input=$1 ;;
  esac
  shift
done
noTypescript=
[ -n "$typescript" ] || noTypescript=" --no-typescript"
line="wasm-bindgen --target $target --out-dir $outDir --out-name $outName$noTypescript $input"
[ -n "$outDir" ] && [ -f "$input" ] || { echo "wasm-bindgen stand-in: $line: no --out-dir or no input" >&2; exit 1; }
# Without --out-name, real wasm-bindgen uses the input's file name.
[ -n "$outName" ] || outName=$(basename "$input" .wasm)
mkdir -p "$outDir"
printf '// %s\nexport default function init() {}\n' "$line" > "$outDir/$outName.js"
{ printf 'stand-in wasm: %s\n' "$line"; cat "$input"; } > "$outDir/${outName}_bg.wasm"
if [ -n "$typescript" ]; then
  printf '// %s\nexport default function init(): Promise<void>;\n' "$line" > "$outDir/$outName.d.ts"
  printf '// %s\n' "$line" > "$outDir/${outName}_bg.wasm.d.ts"
fi
