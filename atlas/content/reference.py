"""docs/field-reference.md, made from the notes the kinds and schema.py keep on each field.

One source for what a field means: the kinds' notes (atlas/kinds/), those of every
entry (fields.py) and of atlas.yaml and sources.yaml (schema.py). `atlas new`
writes the same notes beside its commented-out fields. Regenerate the page's
tables after changing a note:

    .venv/bin/python scripts/field_reference.py
"""

from __future__ import annotations

from atlas import kinds
from atlas.content.fields import COMMON_NOTES, FieldNote
from atlas.content.schema import SITE_NOTES, SOURCE_NOTES, SiteConfig, SourceMeta, item_model

PAGE = "docs/field-reference.md"  # under the project folder
HEADING = "# Field reference\n\n"
REGENERATE = ".venv/bin/python scripts/field_reference.py"


def field_reference() -> str:
    """The Markdown of the field reference: one table per file type, kind and list of items."""
    parts = [_table("**`atlas.yaml`**", SiteConfig, SITE_NOTES),
             _table("**Every entry** may have:", None, COMMON_NOTES)]
    for kind in kinds.registered():
        parts.append(_table(f"**{kind.label[1]}** (`{kind.folder}/<slug>.md`)", kind.model, kind.fields))
        for note in kind.fields:
            if note.items:
                items = item_model(kind.model.model_fields[note.name].annotation)
                parts.append(_table(note.items_title, items, note.items))
    parts.append(_table("**Sources** (items of `sources.yaml`)", SourceMeta, SOURCE_NOTES))
    return "\n".join(parts)


def _table(title: str, model: type | None, notes: tuple[FieldNote, ...]) -> str:
    if model is None:
        rows = [f"| `{note.name}` | {note.meaning} |" for note in notes]
        return "\n".join([title, "", "| Field | Meaning |", "| --- | --- |", *rows, ""])
    missing = [name for name in model.model_fields
               if name not in {n.name for n in notes} and name not in {n.name for n in COMMON_NOTES}]
    if missing:
        raise ValueError(f"{title}: no note on {', '.join(missing)}")
    rows = [f"| `{note.name}` | {_required(model, note)} | {note.meaning} |" for note in notes]
    return "\n".join([title, "", "| Field | Required | Meaning |", "| --- | --- | --- |", *rows, ""])


def _required(model: type, note: FieldNote) -> str:
    if model.model_fields[note.name].is_required():
        return "yes"
    return note.required or "no"


def reference_page() -> str:
    """The whole of docs/field-reference.md: its heading, then the tables the notes make."""
    return HEADING + field_reference()
