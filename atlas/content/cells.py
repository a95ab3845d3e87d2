"""Text as a spreadsheet cell: what every CSV the atlas writes does to a value before writing it.

Shared by render/data.py (the open data's tables) and editing's reconcile.py
(the report an editor opens and marks). Pure; imports nothing of the atlas.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what makes a spreadsheet read a cell as a formula


def spreadsheet_safe(value: object) -> object:
    """Defuse spreadsheet formulas: text starting with = + - @ (or a tab or carriage return) gets a leading
    apostrophe, so a label such as `=HYPERLINK(…)` is shown, not run; other values are returned as they are."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value
