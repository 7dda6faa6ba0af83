#!/bin/sh
# dart-sass stand-in: `sass [options] <input> <output>` writes the input to the output under a comment
# recording the command line.
set -eu
args="$*" input= output=
for a in "$@"; do
  case "$a" in
    -*) ;;
    *) if [ -z "$input" ]; then input=$a; else output=$a; fi ;;
  esac
done
[ -f "$input" ] && [ -n "$output" ] || { echo "sass stand-in: sass $args: no input or no output" >&2; exit 1; }
{ printf '/* sass %s */\n' "$args"; cat "$input"; } > "$output"
