#!/usr/bin/env bash
# Builds the image the benchmarks run their actions in, offline apart from one Debian package:
# a root file system holding only Debian's statically linked busybox and its applet links,
# imported with `docker import`. No registry is involved, and the tar is byte-for-byte the same
# for the same package version (sorted names, fixed times and owners).
# Usage: bench/busybox-image.sh [tag]   (default kleinkram-bench/busybox:1)
set -euo pipefail

tag=${1:-kleinkram-bench/busybox:1}
cache=${KLEINKRAM_BENCH_CACHE:-/tmp/kleinkram-bench-cache}

log() { printf '[busybox-image] %s\n' "$*" >&2; }

if docker image inspect "$tag" >/dev/null 2>&1; then
  log "$tag is present"
  exit 0
fi

mkdir -p "$cache"
deb=$(find "$cache" -maxdepth 1 -name 'busybox-static_*.deb' | sort | tail -n 1)
if [ -z "$deb" ]; then
  log "fetching Debian's busybox-static package into $cache"
  # apt's sandbox user cannot write to a root-owned cache folder; the download itself is fine.
  (cd "$cache" && apt-get download -q busybox-static 2>&1 | grep -v '^W: Download is performed unsandboxed' >&2) || {
    log 'apt-get download busybox-static failed: run apt-get update, then try again'
    exit 1
  }
  deb=$(find "$cache" -maxdepth 1 -name 'busybox-static_*.deb' | sort | tail -n 1)
fi

work=$(mktemp -d /tmp/kleinkram-busybox.XXXXXX)
trap 'rm -rf "$work"' EXIT
dpkg-deb -x "$deb" "$work/pkg"
root="$work/root"
mkdir -p "$root/bin" "$root/tmp" "$root/out"
chmod 1777 "$root/tmp"
cp "$work/pkg/bin/busybox" "$root/bin/busybox"
for applet in $("$root/bin/busybox" --list); do
  [ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"
done

version=$(dpkg-deb -f "$deb" Version)
log "importing $tag (busybox-static $version)"
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$root" -c . |
  docker import \
    --change 'ENV PATH=/bin' \
    --change 'CMD ["sh"]' \
    --change "LABEL app.kleinkram.bench.busybox=$version" \
    - "$tag" >/dev/null
log "$tag is ready"
