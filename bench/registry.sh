#!/usr/bin/env bash
# Registry benchmark on both backends: 200 registrations of one model from 8 concurrent processes.
# Usage: bench/registry.sh [TOTAL] [PROCESSES]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
total="${1:-200}"
processes="${2:-8}"
work="$(mktemp -d)"
azurite_pid=""
cleanup() { [ -n "$azurite_pid" ] && kill "$azurite_pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

read -r -a mlops_cmd <<< "${MLOPS_CMD:-$root/mlops}"
"${mlops_cmd[@]}" --version >/dev/null   # builds the CLI on first use
"$root/.ci/install-azurite.sh"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# A fresh account key per run (Azurite reads AZURITE_ACCOUNTS), so no key is written down anywhere.
account_key="$(head -c 64 /dev/urandom | base64 -w0)"
AZURITE_ACCOUNTS="benchaccount:$account_key" node "$root/.tools/azurite/node_modules/azurite/dist/src/blob/main.js" --blobHost 127.0.0.1 --blobPort "$port" \
  --location "$work/azurite" --disableTelemetry --silent &
azurite_pid=$!
for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null && break; sleep 0.1; done

echo "== local folder"
(cd "$work" && "${mlops_cmd[@]}" bench registry --registry "$work/registry" --total "$total" --processes "$processes" --json)
echo "== Azure Blob (Azurite on 127.0.0.1:$port)"
export AZURE_STORAGE_CONNECTION_STRING="DefaultEndpointsProtocol=http;AccountName=benchaccount;AccountKey=$account_key;BlobEndpoint=http://127.0.0.1:$port/benchaccount;"
(cd "$work" && "${mlops_cmd[@]}" bench registry --registry "azblob://bench/registry" --total "$total" --processes "$processes" --json)
