#!/usr/bin/env python3
"""Build the atlas: `python build.py [--content DIR] [--output DIR] [--base-url URL] [--drafts]`.

The same as `atlas build`.
"""

import sys

from atlas.cli import main

if __name__ == "__main__":
    sys.exit(main(["build", *sys.argv[1:]]))
