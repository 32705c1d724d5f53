#!/usr/bin/env bash
# Stops the engine .ci/start-docker.sh started (its containers stop with it) and unmounts the nsfs
# mount dockerd leaves at <exec-root>/netns/default. Images stay in the data root for the next run.
set -uo pipefail

dir="${MLOPS_DOCKER_DIR:-/tmp/mlops-docker}"
pidfile="$dir/dockerd.pid"

if [ -f "$pidfile" ]; then
  pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.2
    done
    kill -0 "$pid" 2>/dev/null && { echo "stop-docker: dockerd $pid still running after 20 s; killing it" >&2; kill -9 "$pid"; }
  fi
  rm -f "$pidfile"
fi
if mountpoint -q "$dir/exec/netns/default" 2>/dev/null; then
  umount "$dir/exec/netns/default" || umount -l "$dir/exec/netns/default"
fi
rm -f "$dir/docker.sock"
