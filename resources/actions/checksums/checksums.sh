#!/usr/bin/env bash
# Writes OUT_DIR/SHA256SUMS in `sha256sum` format for every regular file under DATA_DIR, with
# paths relative to DATA_DIR, sorted by bytes, so `sha256sum -c SHA256SUMS` run there verifies it.
# Usage: checksums.sh [DATA_DIR [OUT_DIR]] (defaults /data and /out, as the engine mounts them).
# Exit codes: 0 every file hashed; 1 some files could not be read (the others are still listed,
# but a partial list must not pass for a complete one); 2 DATA_DIR does not exist.
set -euo pipefail

# As PID 1 of the container the default SIGTERM action is ignored, and `docker stop` would
# wait out its grace period; exiting runs the EXIT trap below, which removes scratch files.
# bash runs a trap only once its foreground child is done, so each hash runs in the
# background and is awaited with `wait`, which a signal does interrupt.
child=
trap '[ -n "$child" ] && kill "$child" 2>/dev/null; exit 143' TERM

data=${1:-/data}
out=${2:-/out}

if [ ! -d "$data" ]; then
  echo "checksums: $data does not exist or is not a directory" >&2
  exit 2
fi
mkdir -p "$out"
cd "$data"

# Scratch files live in OUT_DIR: it is the one place known to be writable, and the final mv
# stays on one file system, so readers see either the old SHA256SUMS or the whole new one.
list=$(mktemp "$out/.checksums-files.XXXXXX")
sums=$(mktemp "$out/.SHA256SUMS.XXXXXX")
one=$(mktemp "$out/.checksums-one.XXXXXX")
trap 'rm -f "$list" "$sums" "$one"' EXIT

failed=0
# find does not follow symlinks by default, and -type f then leaves them out; NUL separators
# keep names with newlines whole. find reports unreadable directories on stderr itself.
find . -type f -print0 >"$list" || failed=1
# Byte order, so the listing does not depend on the locale the container happens to have.
mapfile -d '' files < <(LC_ALL=C sort -z "$list")

total=${#files[@]}
echo "hashing $total files under $data"
i=0
for path in "${files[@]}"; do
  i=$((i + 1))
  printf '[%d/%d] %s\n' "$i" "$total" "${path#./}"
  # Hash the ./ form so that a file named "-" is not taken for stdin, then drop the ./ from
  # the line; sha256sum escapes odd names, so the line holds exactly one "  ./".
  sha256sum -- "$path" >"$one" &
  child=$!
  if wait "$child"; then
    line=$(<"$one")
    printf '%s\n' "${line/  .\//  }" >>"$sums"
  else
    failed=1
  fi
  child=
done

chmod 0644 "$sums"
mv -f "$sums" "$out/SHA256SUMS"
if [ "$failed" -ne 0 ]; then
  echo "checksums: some files could not be read; $out/SHA256SUMS lists only the others" >&2
  exit 1
fi
echo "done: $total files -> $out/SHA256SUMS"
