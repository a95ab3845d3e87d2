#!/usr/bin/env bash
# Drift check: install the newest versions that pyproject.toml's ranges allow (not the lock files)
# into a throwaway virtualenv and run the whole suite there. Not run by .ci/run: run it on purpose,
# before ./scripts/lock.sh, to learn whether the next lock would break anything.
# Usage: ./scripts/test-newest.sh [pytest options]
set -euo pipefail
cd "$(dirname "$0")/.."
venv="$(mktemp -d)/venv"
trap 'rm -rf "$(dirname "$venv")"' EXIT
"${PYTHON:-python3}" -m venv "$venv"
# --upgrade --upgrade-strategy eager and no cache: the newest release of every package, fetched now.
PIP_CONSTRAINT="" "$venv/bin/python" -m pip install --quiet --no-cache-dir --upgrade pip
PIP_CONSTRAINT="" "$venv/bin/python" -m pip install --quiet --no-cache-dir --upgrade --upgrade-strategy eager -e ".[test]"
echo "Newest versions the ranges allow:"
"$venv/bin/python" -m pip freeze --exclude-editable | sed 's/^/  /'
npm ci --no-audit --no-fund --silent
# tests/test_lock.py is left out: it checks that the installed versions are the lock's.
"$venv/bin/python" -m pytest -n auto --dist loadfile -p no:cacheprovider --ignore=tests/test_lock.py "$@"
