#!/bin/sh
# tailwindcss stand-in: `tailwindcss --input <file> --output <file> [--config <file>] [--minify]` writes
# the input to the output under a comment recording the command line.
set -eu
args="$*" input= output=
while [ "$#" -gt 0 ]; do
  case "$1" in
    -i|--input) input=$2; shift ;;
    -o|--output) output=$2; shift ;;
    -c|--config) shift ;;
  esac
  shift
done
[ -f "$input" ] && [ -n "$output" ] || { echo "tailwindcss stand-in: tailwindcss $args: no input or no output" >&2; exit 1; }
{ printf '/* tailwindcss %s */\n' "$args"; cat "$input"; } > "$output"
