"""Which edits leave the graph as it was: changes to anything of an entry but what the graph reads of it.

The graph (atlas/graph/) reads of each entry only its graph inputs: the
front-matter fields its kind names as links or as read by the graph, its
sources, and what its text links to and cites (graph_inputs). An edit that
keeps them (a city's population, a summary, a sentence of text) leaves every
relation as it was; what it changes for pages is then exactly what pages
recorded reading (dependencies.py). Builds that start from the last build's
snapshot (resume.py) and atlas serve's quick rebuilds (serve/live.py) both
rest on this test.
"""

from __future__ import annotations

from pathlib import Path

from atlas import kinds
from atlas.content.schema import validate_entry
from atlas.content.sources import KINDS, load_entry
from atlas.errors import ErrorList
from atlas.graph.relations import scan_body
from atlas.model import Atlas, Entry


def graph_neutral_edits(atlas: Atlas, content_dir: Path, changed: list[Path], errors: ErrorList,
                        label: str | None = None) -> list[Entry] | None:
    """The edited entries, validated, if no change touches what the graph reads; None if one does.

    Problems found in the edited files go into `errors`; an entry with errors is left out.
    """
    content = Path(content_dir).resolve()
    edited: list[Entry] = []
    for path in changed:
        path = Path(path).resolve()
        if path.parent.parent != content or path.parent.name not in KINDS or path.suffix != ".md":
            return None
        old = atlas.get(path.parent.name, path.stem)
        if old is None or not path.is_file():
            return None
        raw = load_entry(content_dir, path.parent.name, path.name, errors, label)
        entry = validate_entry(raw, errors) if raw is not None else None
        if entry is None:
            continue
        before, after = graph_inputs(old), graph_inputs(entry)
        if before is None or after is None or before != after:
            return None
        edited.append(entry)
    return edited


def graph_inputs(entry: Entry) -> tuple | None:
    """What the graph reads of an entry, as plain values; None when its text holds something that only a
    full build reports (a malformed link, a body over its limits)."""
    kind = kinds.of_folder(entry.kind)
    fields = sorted(fields_the_graph_reads(kind))
    limits, links, cites, bad = scan_body(entry.body, entry.body_line)
    if limits or bad:
        return None
    meta = tuple((name, repr(getattr(entry.meta, name, None))) for name in fields)
    return (meta, tuple((link.target, link.label) for link in links),
            tuple(dict.fromkeys(cite.source_id for cite in cites)))


def fields_the_graph_reads(kind) -> set[str]:
    """The front-matter fields of a kind that the graph reads: its links', the item fields it cites from,
    the ones it names as graph fields, and every entry's sources and draft flag; and its Wikidata id, which
    is checked against every other entry's (content/identity.py), so only a whole build can check an edit."""
    return {*kind.graph_fields, *(link.field for link in kind.links), *(field for field, _ in kind.cited),
            "sources", "draft", "wikidata"}
