# A Rust toolchain stand-in that runs the machine's own cargo, rustc, rustdoc, clippy and rustfmt.
#
#   sh host-toolchain.sh           as a derivation's builder: writes $out/bin/<tool> wrappers
#   sh host-toolchain.sh TOOL ...  runs the machine's TOOL with the arguments
#
# The tools are found when they run, not when the toolchain is built, so a toolchain built once
# stays usable; the build needs no sandbox and a user that can read the toolchain (the nix tests
# build as the calling user). rustup's proxies are resolved to the real binaries: a build has no
# usable HOME for rustup to find its settings.
# Kept identical in the nixpkgs, rust-overlay and fenix stand-ins: each flake must stand alone.
set -eu
tools="cargo rustc rustdoc cargo-clippy clippy-driver rustfmt cargo-fmt"

if [ $# -eq 0 ]; then
  mkdir -p "$out/bin"
  for tool in $tools; do
    printf '#!/bin/sh\nexec /bin/sh %s %s "$@"\n' "$0" "$tool" > "$out/bin/$tool"
    chmod +x "$out/bin/$tool"
  done
  exit 0
fi

tool=$1
shift
for home in $(cut -d: -f6 /etc/passwd 2> /dev/null) /usr/local; do
  for dir in "$home/.cargo/bin" "$home/cargo/bin"; do
    [ -x "$dir/$tool" ] || continue
    if [ "$(basename "$(readlink -f "$dir/$tool")")" != rustup ]; then
      exec "$dir/$tool" "$@"
    fi
    base=$(dirname "$(dirname "$dir")")
    for rustupHome in "$base/.rustup" "$base/rustup"; do
      [ -d "$rustupHome" ] || continue
      real=$(RUSTUP_HOME="$rustupHome" "$dir/rustup" which "$tool" 2> /dev/null) || continue
      exec "$real" "$@"
    done
  done
done
for dir in /usr/local/bin /usr/bin; do
  [ -x "$dir/$tool" ] && exec "$dir/$tool" "$@"
done
echo "Rust toolchain stand-in: no $tool on this machine (or not readable by the build user)" >&2
exit 127
