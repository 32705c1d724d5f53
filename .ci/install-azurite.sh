#!/usr/bin/env bash
# Installs the Azurite blob emulator (used by the Azure storage tests) into .tools/azurite.
# Idempotent: does nothing when it is already there. Needs node/npm and the npm registry.
set -euo pipefail

AZURITE_VERSION="3.37.0"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
prefix="$repo_root/.tools/azurite"

if [ -f "$prefix/node_modules/azurite/dist/src/blob/main.js" ]; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "install-azurite: npm not found; install Node.js 18+ (e.g. apt-get install nodejs npm) and rerun" >&2
  exit 1
fi

mkdir -p "$prefix"
echo "install-azurite: installing azurite@$AZURITE_VERSION into $prefix" >&2
npm install --no-audit --no-fund --prefix "$prefix" "azurite@$AZURITE_VERSION" >&2
test -f "$prefix/node_modules/azurite/dist/src/blob/main.js" || {
  echo "install-azurite: npm finished but $prefix/node_modules/azurite/dist/src/blob/main.js is missing" >&2
  exit 1
}
