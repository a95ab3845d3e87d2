"""Advice for editors that `atlas check` (and `atlas build --strict`) gives beyond errors.

Runs after relations.py on the resolved graph; reads no files. A plain build
does not print these: an atlas in progress has orphans and unsourced drafts.

- facts without a source: front-matter facts with no `sources` and no citation;
  partnerships with no source;
- orphan pages: entries that no other entry links to or names.
"""

from __future__ import annotations

from .errors import ErrorList
from .model import Atlas
from .relations import Graph


def audit_atlas(atlas: Atlas, graph: Graph, errors: ErrorList) -> None:
    _warn_unsourced_facts(atlas, graph, errors)
    _warn_orphans(atlas, graph, errors)


FACT_FIELDS = {
    "cities": ("population", "office", "partners", "networks"),
    "networks": ("founded", "headquarters", "members", "website"),
    "case-studies": ("date",),
}


def _warn_unsourced_facts(atlas: Atlas, graph: Graph, errors: ErrorList) -> None:
    """Every fact cites its source: front-matter facts need `sources` or a citation in the text."""
    for entry in atlas.entries.values():
        given = [name for name in FACT_FIELDS.get(entry.kind, ()) if getattr(entry.meta, name, None)]
        if given and not entry.meta.sources and not graph.citations.get(entry.key):
            errors.warning(entry.src, entry.line_of(given[0]),
                           f"{', '.join(given)} given without a source", "add `sources: [source-id]`")
        if entry.kind == "cities":
            for index, partner in enumerate(entry.meta.partners):
                if not partner.sources and not entry.meta.sources:
                    errors.warning(entry.src, entry.line_of("partners", index),
                                   f"the partnership with '{partner.city}' has no source",
                                   "add `sources: [source-id]` to it")


def _warn_orphans(atlas: Atlas, graph: Graph, errors: ErrorList) -> None:
    """Entries no other entry links to are reachable only through the index pages."""
    for entry in atlas.entries.values():
        if entry.kind != "pages" and not graph.references.get(entry.key):
            errors.warning(entry.src, 1, "no other entry links to this one (an orphan page)",
                           f"link to it with [[{entry.slug}]] where it belongs")
