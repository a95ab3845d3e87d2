#!/usr/bin/env bash
# Install what the tests need (Python packages, front-end packages, Debian's Chromium) and run the whole suite.
# Usage: ./scripts/test.sh [pytest options]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/venv.sh requirements-test.lock
npm ci --no-audit --no-fund --silent
# Debian packages the browser and validator tests need: Chromium, and Java for the Nu HTML Checker
missing=""
command -v chromium >/dev/null 2>&1 || missing="$missing chromium fonts-dejavu-core"
command -v java >/dev/null 2>&1 || missing="$missing default-jre-headless"
if [ -n "$missing" ]; then
  SUDO=""
  if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq $missing >/dev/null
fi
# One worker per core; each test file stays on one worker, so a module's fixtures are built once.
# Pass -n 0 to run in this process alone.
exec .venv/bin/python -m pytest -n auto --dist loadfile "$@"
