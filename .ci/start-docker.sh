#!/usr/bin/env bash
# Starts a private Docker engine for the Docker deployment tests and builds the project's base image
# (Debian bookworm + openjdk-17-jre-headless from Debian's packages, no registry pull).
# Idempotent: reuses a running engine, a cached rootfs tar (.tools/docker/) and an existing image.
# On success prints one line, the DOCKER_HOST to use (unix://...). When the engine cannot run here
# (not root, apt fails, dockerd does not start) it says why on stderr, prints nothing and exits 0,
# so the Docker tests skip.
#
# The engine stays on loopback: no docker0 bridge, no iptables/NAT, no ip_forward; containers use
# the host network and bind 127.0.0.1 (see /work/shared/deps-notes.md §4).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${MLOPS_DOCKER_DIR:-/tmp/mlops-docker}"
sock="$dir/docker.sock"
host="unix://$sock"
base_image="${MLOPS_DOCKER_BASE_IMAGE:-mlops/base-jre:bookworm}"
cache="$repo_root/.tools/docker"
rootfs_tar="$cache/rootfs-bookworm-jre17.tar"
mirror="${MLOPS_DEBIAN_MIRROR:-http://deb.debian.org/debian}"

skip() {
  echo "start-docker: $*; Docker tests will be skipped" >&2
  exit 0
}

[ "$(id -u)" = 0 ] || skip "not root (dockerd and debootstrap need root)"

missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
if [ ${#missing[@]} -gt 0 ]; then
  echo "start-docker: installing ${missing[*]} from Debian" >&2
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >&2; then
    DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >&2 || skip "apt-get install ${missing[*]} failed"
  fi
fi

docker_cli() { DOCKER_BUILDKIT=0 docker -H "$host" "$@"; }

if ! docker_cli version >/dev/null 2>&1; then
  mkdir -p "$dir"
  if [ -f "$dir/dockerd.pid" ] && kill -0 "$(cat "$dir/dockerd.pid")" 2>/dev/null; then
    skip "a dockerd (pid $(cat "$dir/dockerd.pid")) owns $dir but does not answer on $sock; run .ci/stop-docker.sh"
  fi
  rm -f "$sock" "$dir/dockerd.pid"
  echo "start-docker: starting dockerd under $dir (log $dir/dockerd.log)" >&2
  nohup dockerd --data-root "$dir/data" --exec-root "$dir/exec" -H "$host" --pidfile "$dir/dockerd.pid" \
    --bridge=none --iptables=false --ip-forward=false --ip-masq=false \
    >"$dir/dockerd.log" 2>&1 </dev/null &
  for _ in $(seq 1 150); do
    docker_cli version >/dev/null 2>&1 && break
    sleep 0.2
  done
  docker_cli version >/dev/null 2>&1 || skip "dockerd did not answer on $sock within 30 s (last log: $(tail -n 3 "$dir/dockerd.log" | tr '\n' ' '))"
fi

if ! docker_cli image inspect "$base_image" >/dev/null 2>&1; then
  if [ ! -s "$rootfs_tar" ]; then
    echo "start-docker: debootstrap bookworm + openjdk-17-jre-headless (about a minute, cached in $rootfs_tar)" >&2
    mkdir -p "$cache"
    work="$(mktemp -d "$cache/rootfs.XXXXXX")"
    if ! debootstrap --variant=minbase --include=openjdk-17-jre-headless bookworm "$work/root" "$mirror" >"$work/debootstrap.log" 2>&1; then
      tail -n 5 "$work/debootstrap.log" >&2
      rm -rf "$work"
      skip "debootstrap failed"
    fi
    rm -rf "$work/root/var/cache/apt/archives/"*.deb "$work/root/var/lib/apt/lists/"* "$work/root/usr/share/doc" \
      "$work/root/usr/share/man" "$work/root/usr/share/locale"
    # device nodes and the mount points' contents come from the container runtime
    tar -C "$work/root" --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' -cf "$work/rootfs.tar" .
    mv "$work/rootfs.tar" "$rootfs_tar"
    rm -rf "$work"
  fi
  context="$(mktemp -d "$cache/context.XXXXXX")"
  ln "$rootfs_tar" "$context/rootfs.tar" 2>/dev/null || cp "$rootfs_tar" "$context/rootfs.tar"
  printf 'FROM scratch\nADD rootfs.tar /\nENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64\nCMD ["java", "-version"]\n' >"$context/Dockerfile"
  echo "start-docker: building $base_image" >&2
  docker_cli build -q -t "$base_image" "$context" >&2 || { rm -rf "$context"; skip "building $base_image failed"; }
  rm -rf "$context"
fi

echo "$host"
