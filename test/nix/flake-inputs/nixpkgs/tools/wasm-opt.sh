#!/bin/sh
# wasm-opt stand-in: copies the input to -o and appends its command line to it.
set -eu
args="$*" input= output=
while [ "$#" -gt 0 ]; do
  case "$1" in
    -o) output=$2; shift ;;
    -*) ;;
    *) input=$1 ;;
  esac
  shift
done
[ -f "$input" ] && [ -n "$output" ] || { echo "wasm-opt stand-in: wasm-opt $args: no input or no -o" >&2; exit 1; }
tmp=$output.tmp
{ cat "$input"; printf 'wasm-opt %s\n' "$args"; } > "$tmp"
mv "$tmp" "$output"
