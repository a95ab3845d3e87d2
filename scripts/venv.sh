# Sourced by build.sh and test.sh: make .venv/ (with $PYTHON, default python3) and install the atlas
# into it, with the extras named in $1 (for example "[test]"), editable.
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".${1:-}"
