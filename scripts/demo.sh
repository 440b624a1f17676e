#!/usr/bin/env bash
# The main job, end to end: set the machine up, then run the bag summary action on a mission
# folder (the fixture mission lab-run-01 unless a folder is given) and show where the
# artifacts are.
#   bash scripts/demo.sh                  # the fixture mission
#   bash scripts/demo.sh ~/bags/run-42    # your own folder of bags
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec node bin/kleinkram-actions.js demo "$@"
