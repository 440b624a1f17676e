#!/usr/bin/env bash
# Makes sure a Docker engine is installed and answering on /var/run/docker.sock.
# On Debian it installs Debian's engine (docker.io) when it is missing and starts dockerd in
# the background, because nothing starts it on these machines.
set -euo pipefail

log() { printf '[docker-up] %s\n' "$*"; }

if docker version --format '{{.Server.Version}}' >/dev/null 2>&1; then
  log "Docker engine is running ($(docker version --format '{{.Server.Version}}'))"
  exit 0
fi

if ! command -v dockerd >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    log "Docker is not installed. Install it and start it, then try again:"
    log "  sudo apt-get install -y docker.io && sudo systemctl start docker"
    exit 1
  fi
  log "installing Debian's Docker engine (docker.io)"
  apt-get update -qq
  apt-get install -y -qq docker.io >/dev/null
fi

if [ "$(id -u)" -ne 0 ]; then
  log "Docker is installed but not running. Start it, then try again:"
  log "  sudo systemctl start docker"
  exit 1
fi

log "starting dockerd in the background (log: /var/log/dockerd.log)"
nohup dockerd >/var/log/dockerd.log 2>&1 &
for _ in $(seq 1 60); do
  if docker version --format '{{.Server.Version}}' >/dev/null 2>&1; then
    log "Docker engine is running ($(docker version --format '{{.Server.Version}}'))"
    exit 0
  fi
  sleep 1
done
log "dockerd did not answer within 60 s; its last lines:"
tail -n 20 /var/log/dockerd.log || true
exit 1
