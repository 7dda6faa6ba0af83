# crane's mkDummySrc, as a build step: every Rust file ($rustFiles, one path a line) becomes a stub, every package gets a stub build
# script (crane points package.build at one, so that build-dependencies are in the artifacts), the
# declared tests, benches and examples that are missing get stubs. The result depends on the Cargo
# files only. Proc-macro crates accept a private main function too, so one stub serves every target.
set -eu
PATH=/usr/bin:/bin
cp -r "$src" "$out"
chmod -R u+w "$out"
cd "$out"
stub='#![allow(dead_code)]
fn main() {}'
printf '%s\n' "$rustFiles" | while IFS= read -r file; do
  [ -n "$file" ] || continue
  mkdir -p "$(dirname "$file")"
  printf '%s\n' "$stub" > "$file"
done
find . -name Cargo.toml -type f | while IFS= read -r manifest; do
  grep -q '^\[package\]' "$manifest" || continue
  dir=$(dirname "$manifest")
  build=$(sed -n 's/^build *= *"\(.*\)".*/\1/p' "$manifest" | head -n 1)
  printf '%s\n' "$stub" > "$dir/${build:-build.rs}"
  # Declared targets: their path, or cargo's default for one declared by name only.
  awk '
    function flush() { if (kind != "" && name != "" && path == "") print dir "/" name ".rs"; kind = ""; name = ""; path = "" }
    /^\[\[(example|test|bench)\]\]/ { flush(); kind = $0; dir = (kind ~ /example/) ? "examples" : (kind ~ /test/) ? "tests" : "benches"; next }
    /^\[/ { flush(); next }
    kind != "" && /^name *=/ { n = $0; sub(/^name *= *"/, "", n); sub(/".*/, "", n); name = n }
    /^path *= *"/ { p = $0; sub(/^path *= *"/, "", p); sub(/".*/, "", p); print p; path = p }
    END { flush() }
  ' "$manifest" | while IFS= read -r target; do
    mkdir -p "$dir/$(dirname "$target")"
    [ -e "$dir/$target" ] || printf '%s\n' "$stub" > "$dir/$target"
  done
done
# crane runs the caller's extraDummyScript last, with $out set.
eval "${extraDummyScript:-}"
