"""Rewrite docs/field-reference.md from the notes on each field (atlas/content/reference.py).

    .venv/bin/python scripts/field_reference.py
"""

from __future__ import annotations

from pathlib import Path

from atlas.content.reference import PAGE, reference_page

path = Path(__file__).resolve().parent.parent / PAGE
path.write_text(reference_page(), encoding="utf-8")
print(f"wrote the field reference into {path}")
