#!/usr/bin/env bash
# Everything a fresh machine needs before the demo or the tests: Docker installed and running,
# the npm packages, the compiled CLI, and the example images (built offline if need be).
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[setup] %s\n' "$*"; }

bash scripts/docker-up.sh

# The UI tests drive Debian's Chromium: Playwright's own browser download cannot work offline.
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "installing Chromium for the UI tests"
    apt-get update -qq && apt-get install -y -qq chromium >/dev/null
  else
    log "Chromium is missing: the UI tests need it (sudo apt-get install chromium)"
  fi
fi

# The Electron binary cannot be fetched on offline lab machines; the engine and the CLI do not
# need it (the desktop build does: see the README).
export ELECTRON_SKIP_BINARY_DOWNLOAD="${ELECTRON_SKIP_BINARY_DOWNLOAD:-1}"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
fi

log "compiling the engine and the CLI"
npm run --silent build

log "building the UI (renderer/dist)"
npm run --silent build:renderer >/dev/null

bash scripts/build-images.sh
