# Sourced by build.sh and test.sh: make .venv/ (with $PYTHON, default python3) and install into it
# exactly the versions of a lock file ($1: requirements.lock or requirements-test.lock), hashes
# checked, then the atlas itself, editable. ./scripts/lock.sh makes the lock files.
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
# --no-deps and --no-build-isolation: nothing is installed that the lock file does not name,
# setuptools included. PIP_CONSTRAINT is cleared so that a machine-wide pip constraint file
# cannot override the lock.
PIP_CONSTRAINT="" .venv/bin/python -m pip install --quiet --require-hashes --only-binary :all: -r "$1"
PIP_CONSTRAINT="" .venv/bin/python -m pip install --quiet --no-deps --no-build-isolation -e .
