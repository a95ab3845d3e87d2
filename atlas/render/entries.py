"""Entry pages: one page per city, network, case study, theme and page, each through its kind.

Used by pages.py. What every entry page shows (body, sources, what refers to it,
related entries, search filters) is made here, JSON-LD in data.py; what only its kind shows
comes from the kind's context function (atlas/kinds/). Reads no files.
"""

from __future__ import annotations

from collections import defaultdict

from atlas import kinds
from atlas.graph.relations import Graph
from atlas.incremental.dependencies import RecordedEntry
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
        "map": None,
    }
    context.update(kind.context(entry, pages))
    # each entry is listed once: what the kind's sections show is not repeated under
    # "Referenced by", and neither of those under "Related"
    linked = {link.target for link in graph.body_links.get(entry.key, {}).values() if link.target}
    shown = (entries_shown(context) | linked) - {entry.key}
    groups, context["referenced_elsewhere"] = referenced_by(entry, site.atlas, graph, shown)
    context["referenced_by"] = groups
    listed = shown | {other.key for _, others in groups for other in others}
    related = [r for r in graph.related.get(entry.key, []) if r.key not in listed]
    context["related"] = list(zip(site.entries(r.key for r in related),
                                  (r.reason(kinds.of_folder(r.key[0]).label[0]) for r in related)))
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


def referenced_by(entry: Entry, atlas: Atlas, graph: Graph, shown: set[tuple[str, str]] = frozenset()
                  ) -> tuple[list[tuple[str, list[Entry]]], int]:
    """The entries that refer to this one and are not `shown` elsewhere on its page, grouped by kind
    in the registry's order; and how many were left out because they are shown elsewhere."""
    groups: dict[str, list[Entry]] = defaultdict(list)
    elsewhere = 0
    for key in graph.references.get(entry.key, []):
        other = atlas.entries.get(key)
        if other is None:
            continue
        if key in shown:
            elsewhere += 1
        else:
            groups[other.kind].append(other)
    return ([(kind.label[1], sorted(groups[kind.folder], key=lambda e: e.title.casefold()))
             for kind in kinds.registered() if kind.folder in groups], elsewhere)


def entries_shown(context: dict) -> set[tuple[str, str]]:
    """The keys of the entries a page's context holds (in lists, rows and groups), which its sections link to."""
    found: set[tuple[str, str]] = set()

    def walk(value: object, depth: int) -> None:
        if isinstance(value, (Entry, RecordedEntry)):
            found.add(value.key)
        elif depth < 4 and isinstance(value, dict):
            for item in value.values():
                walk(item, depth + 1)
        elif depth < 4 and isinstance(value, (list, tuple)):
            for item in value:
                walk(item, depth + 1)

    for name, value in context.items():
        if name != "entry":
            walk(value, 0)
    return found
