"""Rewrite README.md's field reference from the notes on each field (atlas/content/reference.py).

    .venv/bin/python scripts/field_reference.py [README.md]
"""

from __future__ import annotations

import sys
from pathlib import Path

from atlas.content.reference import readme_with_reference

path = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "README.md")
path.write_text(readme_with_reference(path.read_text(encoding="utf-8")), encoding="utf-8")
print(f"wrote the field reference into {path}")
