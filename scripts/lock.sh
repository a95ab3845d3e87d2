#!/usr/bin/env bash
# Make requirements.lock (building the atlas) and requirements-test.lock (building and testing)
# from pyproject.toml's ranges: the newest versions they allow today, each with its hashes, for
# Python 3.11 and newer on every platform. build.sh and test.sh install exactly these.
# Usage: ./scripts/lock.sh            (then run ./scripts/test.sh and commit both lock files)
set -euo pipefail
cd "$(dirname "$0")/.."
UV_VERSION="0.13.8"
tools="$(mktemp -d)"
trap 'rm -rf "$tools"' EXIT
"${PYTHON:-python3}" -m venv "$tools/venv"
"$tools/venv/bin/python" -m pip install --quiet "uv==$UV_VERSION"
# The build front end itself is pinned too: pip, and the build-system's setuptools.
"$tools/venv/bin/python" - > "$tools/installer.in" <<'PY'
import tomllib
print("pip")
print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"]))
PY
compile() {
  "$tools/venv/bin/uv" pip compile --quiet --upgrade --universal --python-version 3.11 --generate-hashes \
    --no-header --custom-compile-command "./scripts/lock.sh" "$@"
}
compile pyproject.toml "$tools/installer.in" --extra test -o requirements-test.lock
# The build's lock is the test lock less the test tools: the same version of every shared package.
compile pyproject.toml "$tools/installer.in" -c requirements-test.lock -o requirements.lock
echo "Wrote requirements.lock and requirements-test.lock; run ./scripts/test.sh, then commit both."
