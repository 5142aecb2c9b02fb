#!/usr/bin/env bash
# Starts (or stops) a private Docker engine for the tests: its own socket, data and exec roots,
# vfs storage, no iptables and no bridge, so it works inside a sandbox and never touches a
# system-wide Docker. Images come from `docker import` of a busybox-static root file system,
# because nothing can be pulled here.
#   .ci/dockerd.sh start DIR   -> prints DOCKER_HOST=unix://DIR/docker.sock
#   .ci/dockerd.sh stop DIR
#   .ci/dockerd.sh image       -> imports the test image into the engine at $DOCKER_HOST
set -euo pipefail
cmd=${1:?start|stop|image}
dir=${2:-}
image=${AUTOPILOT_TEST_IMAGE:-autopilot/busybox:test}

# Imports the busybox test image into the engine at $DOCKER_HOST unless it is there already.
import_image() {
  docker image inspect "$image" >/dev/null 2>&1 && return
  local root; root=$(mktemp -d)
  mkdir -p "$root/bin" "$root/tmp" "$root/etc" "$root/www"
  cp "$(command -v busybox)" "$root/bin/busybox"
  for applet in sh ls cat echo sleep true false test wget nc httpd kill ps; do ln -s busybox "$root/bin/$applet"; done
  echo "root:x:0:0:root:/:/bin/sh" >"$root/etc/passwd"
  tar -C "$root" -c . | docker import - "$image" >/dev/null
  rm -rf "$root"
}

start() {
  mkdir -p "$dir/data" "$dir/exec"
  # Two test runs starting at once must share one engine, not race to start two. (dockerd is
  # started with fd 9 closed, or it would hold the lock for its whole life.)
  exec 9>"$dir/.start.lock"
  flock 9
  local sock="$dir/docker.sock"
  if [ -S "$sock" ] && DOCKER_HOST="unix://$sock" docker version >/dev/null 2>&1; then
    echo "DOCKER_HOST=unix://$sock"; return
  fi
  dockerd --host "unix://$sock" --storage-driver=vfs --iptables=false --ip6tables=false --bridge=none \
    --data-root "$dir/data" --exec-root "$dir/exec" --pidfile "$dir/docker.pid" >"$dir/dockerd.log" 2>&1 9>&- &
  for _ in $(seq 1 100); do
    DOCKER_HOST="unix://$sock" docker version >/dev/null 2>&1 && break
    sleep 0.2
  done
  if ! DOCKER_HOST="unix://$sock" docker version >/dev/null 2>&1; then
    echo "dockerd did not start; its log:" >&2; tail -n 30 "$dir/dockerd.log" >&2; exit 1
  fi
  DOCKER_HOST="unix://$sock" import_image
  echo "DOCKER_HOST=unix://$sock"
}

stop() {
  if [ -f "$dir/docker.pid" ]; then
    local pid; pid=$(cat "$dir/docker.pid")
    DOCKER_HOST="unix://$dir/docker.sock" docker rm -f $(DOCKER_HOST="unix://$dir/docker.sock" docker ps -aq 2>/dev/null) >/dev/null 2>&1 || true
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
  fi
}

case "$cmd" in
  start) [ -n "$dir" ] || { echo "start needs a directory" >&2; exit 2; }; start ;;
  stop) [ -n "$dir" ] || { echo "stop needs a directory" >&2; exit 2; }; stop ;;
  image) import_image ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
