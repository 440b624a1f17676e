#!/usr/bin/env bash
# Builds the images the examples and the tests run on, offline where it has to be:
# - debian:bookworm-slim, made with debootstrap and `docker import` when no registry has it;
# - one image per example action under resources/actions/<name>/ (tag from its template.yaml).
# Images already present are kept; pass --rebuild to build the examples again.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
rebuild=0
[ "${1:-}" = "--rebuild" ] && rebuild=1

log() { printf '[build-images] %s\n' "$*"; }

have_image() { docker image inspect "$1" >/dev/null 2>&1; }

base=debian:bookworm-slim
if ! have_image "$base"; then
  log "$base is missing; trying a pull first"
  if ! timeout 60 docker pull -q "$base" >/dev/null 2>&1; then
    if ! command -v debootstrap >/dev/null 2>&1; then
      if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        apt-get install -y -qq debootstrap >/dev/null
      else
        log "no registry answered and debootstrap is missing: sudo apt-get install debootstrap"
        exit 1
      fi
    fi
    root=$(mktemp -d /tmp/kleinkram-base.XXXXXX)
    log "no registry answered: making $base with debootstrap (about 30 s)"
    debootstrap --variant=minbase bookworm "$root" >/tmp/kleinkram-debootstrap.log 2>&1 || {
      log "debootstrap failed; see /tmp/kleinkram-debootstrap.log"
      exit 1
    }
    tar -C "$root" -c . | docker import - "$base" >/dev/null
    rm -rf "$root"
  fi
  log "$base is ready"
fi

for dir in "$here"/resources/actions/*/; do
  [ -f "$dir/Dockerfile" ] || continue
  image=$(sed -n 's/^image:[[:space:]]*//p' "$dir/template.yaml" | head -n 1 | tr -d "\"'")
  if [ -z "$image" ]; then
    log "no image: line in $dir/template.yaml"
    exit 1
  fi
  if [ "$rebuild" -eq 0 ] && have_image "$image"; then
    log "$image is present"
    continue
  fi
  log "building $image from $dir"
  docker build -q -t "$image" "$dir" >/dev/null
done
log "all images are ready"
