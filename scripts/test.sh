#!/usr/bin/env bash
# The README's test command: installs what the tests need (idempotent), then runs every tier —
# static checks, unit, conformance against cargo, the generated flakes under real Nix, the real VS Code
# suites, the e2e screenshot test.
# Every tier runs even when an earlier one fails; the exit code is non-zero if any failed.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# rustup installs cargo here; a login shell would have it on PATH, CI may not.
[ -d "$HOME/.cargo/bin" ] && export PATH="$HOME/.cargo/bin:$PATH"

bash scripts/setup-test-env.sh || { echo '[test] setup failed'; exit 1; }

failed_tiers=()
passed=0
failed=0
LOG_DIR="$ROOT/.test-runs/logs"
mkdir -p "$LOG_DIR"

# Runs one tier, shows its output, and adds the counts from its closing "N passing/N failing"
# (mocha) or "N passed, N failed" line to the totals.
tier() {
  local name=$1
  shift
  echo
  echo "=== $name"
  local log="$LOG_DIR/$name.log"
  "$@" 2>&1 | grep -v 'Unknown user config "nodedir"' | tee "$log"
  local status=${PIPESTATUS[0]}
  local p f
  p=$(grep -Eo '^ *[0-9]+ passing' "$log" | tail -1 | grep -Eo '[0-9]+' || true)
  f=$(grep -Eo '^ *[0-9]+ failing' "$log" | tail -1 | grep -Eo '[0-9]+' || true)
  if [ -z "$p" ]; then
    p=$(grep -Eo '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -1 | cut -d' ' -f1 || true)
    f=$(grep -Eo '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -1 | cut -d' ' -f3 || true)
  fi
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
  if [ "$status" -ne 0 ]; then
    failed_tiers+=("$name")
    # A tier that died before reporting still counts as a failure.
    [ -z "$f" ] || [ "$f" = 0 ] && failed=$((failed + 1))
  fi
}

tier build npm run build
tier typecheck npm run typecheck
tier lint npm run lint
tier format npm run format:check
tier unit npm run test:unit
tier conformance npm run test:conformance
tier nix npm run test:nix
tier vscode npm run test:vscode
tier e2e npm run test:e2e

echo
if [ "${#failed_tiers[@]}" -gt 0 ]; then
  echo "[test] failed tiers: ${failed_tiers[*]}"
else
  echo '[test] all tiers passed'
fi
echo "$passed passed, $failed failed"
[ "${#failed_tiers[@]}" -eq 0 ]
