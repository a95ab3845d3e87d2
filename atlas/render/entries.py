"""Entry pages: one page per city, network, case study, theme and page, each through its kind.

Used by pages.py. What every entry page shows (body, sources, what refers to it,
related entries, search filters) is made here, JSON-LD in data.py; what only its kind shows
comes from the kind's context function (atlas/kinds/). Reads no files.
"""

from __future__ import annotations

from collections import defaultdict

from atlas import kinds
from atlas.graph.relations import Graph
from atlas.maps.spec import json_for_html
from atlas.model import Atlas, Entry
from atlas.render.data import json_ld
from atlas.render.site import Pages
from atlas.render.urls import entry_route


def render_entry_page(pages: Pages, entry: Entry) -> None:
    """The entry's page; run as one unit of pages (Pages.unit), so what it reads is recorded."""
    site = pages.site
    graph = site.graph
    if pages.unit_reads is not None:  # its title and front matter, and its text, are what the page shows
        pages.unit_reads.entry(entry.kind, entry.slug)
        pages.unit_reads.body(entry.kind, entry.slug)
    kind = kinds.of_folder(entry.kind)
    citations = graph.citations.get(entry.key, [])
    body = pages.body_html(entry, citations)
    context = {
        "entry": entry,
        "filters": search_filters(entry, site.atlas, graph),
        "json_ld": json_for_html(json_ld(entry, graph, site.urls, site.atlas)),
        "body": body,
        "description": pages.description(entry, body),
        "references": pages.references(entry),
        "referenced_by": referenced_by(entry, site.atlas, graph),
        "related": site.entries(graph.related.get(entry.key, [])),
        "map": None,
    }
    context.update(kind.context(entry, pages))
    pages.emit(entry_route(entry.kind, entry.slug), kind.template, **context)


def search_filters(entry: Entry, atlas: Atlas, graph: Graph) -> list[tuple[str, str]]:
    """Pagefind filters: kind, and what the kind adds (region, country, network and theme where they apply)."""
    kind = kinds.of_folder(entry.kind)
    filters = [("kind", kind.label[0]), *kind.search_filters(entry, atlas, graph)]
    # Pagefind's search page shows filter values as HTML and decodes entities first, so no
    # escaping survives: angle brackets and ampersands become look-alikes, and neither a tag
    # nor an entity can be formed.
    safe = [(name, value.replace("<", "\u2039").replace(">", "\u203a").replace("&", "\uff06"))
            for name, value in filters]
    return list(dict.fromkeys(safe))


def referenced_by(entry: Entry, atlas: Atlas, graph: Graph) -> list[tuple[str, list[Entry]]]:
    """The entries that refer to this one, grouped by kind in the registry's order."""
    groups: dict[str, list[Entry]] = defaultdict(list)
    for key in graph.references.get(entry.key, []):
        other = atlas.entries.get(key)
        if other is not None:
            groups[other.kind].append(other)
    return [(kind.label[1], sorted(groups[kind.folder], key=lambda e: e.title.casefold()))
            for kind in kinds.registered() if kind.folder in groups]
