#!/usr/bin/env bash
# Install everything the atlas needs and build the shipped atlas into output/.
# Usage: ./scripts/build.sh [extra `atlas build` options, e.g. --base-url https://example.org/atlas/]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/venv.sh requirements.lock
npm ci --omit=dev --no-audit --no-fund --silent
.venv/bin/atlas build "$@"
echo "The atlas is in output/. To read it, serve it:  .venv/bin/python -m http.server --directory output 8000"
echo "then open http://localhost:8000/ in a browser."
