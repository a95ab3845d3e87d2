"""The Kind: what the registry holds for each kind of entry, and the defaults kinds share.

Imported by every kind module (city.py, ...) and by the registry in __init__.py.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from atlas.content.fields import TERM_ROLES, FieldNote
from atlas.render import present


def no_context(entry: Any, page: Any) -> dict:
    return {}


def no_filters(entry: Any, atlas: Any, graph: Any) -> list[tuple[str, str]]:
    return []


def web_page(entry: Any, base: dict, atlas: Any, graph: Any) -> dict:
    """schema.org's plain description of a page, for kinds with nothing more to say."""
    return {**base, "@type": "WebPage"}


def list_index(kind: "Kind", pages: Any) -> None:
    """The kind's index: its entries by title, one card each (index_list.html)."""
    entries = sorted(pages.site.atlas.of_kind(kind.folder), key=lambda e: e.title.casefold())
    pages.emit(f"{kind.folder}/", "index_list.html", kind=kind.folder, title=kind.label[1], entries=entries)


@dataclass(frozen=True)
class Link:
    """A front-matter field that names entries of another kind, and what the tie means.

    `role` says how the graph keeps it: "member" (a city in a network, declared on
    either side), "headquarters" (a network's city), "about" (the entries a case
    study is about), "tag" (a theme), "within" (the city an office belongs to or an
    event was held in, the organisation a unit is part of: listed on that entry's page) or "mention" (only "Referenced by" on the
    named entry's page).

    `item` names the key of each item of a list of mappings that holds the slug:
    `Link("participants", "city", "participant city", "mention", item="city")`
    reads `participants: [{city: lyon, role: host}]`; items without that key are skipped.
    """

    field: str  # "cities"
    to: str  # the name of the kind it names: "city"
    what: str  # how messages call the named entry: "member city"
    role: str
    item: str | None = None  # in a list of mappings, the key holding the slug: "city"


@dataclass(frozen=True)
class Column:
    """A column of a published CSV file, as data/datapackage.json describes it.

    `type` is a Frictionless Table Schema type: string, integer, number, date, year, boolean.
    """

    name: str  # "slug"
    type: str  # "string"
    description: str


@dataclass(frozen=True)
class Table:
    """A CSV file of the open data, data/<name>.csv: its columns, and an entry's rows in it."""

    name: str  # "cities": data/cities.csv
    description: str  # "One row per city."
    columns: tuple[Column, ...]
    rows: Callable[[Any, Any, str], list[list]]  # (entry, graph, url) -> its rows, in the columns' order


ENTRY_COLUMNS = (  # what every entry may give, at the end of the table that lists a kind's entries
    Column("wikidata", "string", "the entry's Wikidata item, such as Q90 (https://www.wikidata.org/wiki/Q90),"
                                 " where the atlas gives it"),
)


def entry_cells(entry: Any) -> list:
    """The entry's cells under ENTRY_COLUMNS."""
    return [entry.meta.wikidata or ""]


@dataclass(frozen=True)
class Kind:
    """One kind of entry, and everything the site does with it."""

    name: str  # "city": what `atlas new` calls it
    folder: str  # "cities": content/cities/, /cities/<slug>/, and Entry.kind
    label: tuple[str, str]  # ("City", "Cities"): singular and plural, as readers see them
    model: type  # the pydantic model of its front matter
    title_field: str  # the field that is the entry's title: "name"
    template: str  # "city.html"
    fields: tuple[FieldNote, ...]  # notes on the model's own fields (those of every entry are in fields.py)
    template_dir: Path | None = None  # where its template lives, when not in the site's templates/
    at_root: bool = False  # its pages live at /<slug>/, not /<folder>/<slug>/
    nav: bool = True  # its index is in the navigation bar
    context: Callable[[Any, Any], dict] = no_context  # (entry, page) -> what its template shows
    index: Callable[["Kind", Any], None] | None = list_index  # (kind, pages): emit its index pages
    search_filters: Callable[[Any, Any, Any], list] = no_filters  # (entry, atlas, graph) -> [(name, value)]
    json_ld: Callable[[Any, dict, Any, Any], dict] = web_page  # (entry, base, atlas, graph) -> schema.org
    data: Callable[[Any, Any], dict] | None = None  # (entry, graph) -> its fields in data/atlas.json
    tables: tuple[Table, ...] = ()  # its CSV files of the open data, data/<name>.csv; the first lists its entries
    links: tuple[Link, ...] = ()  # fields naming other entries, resolved by graph/relations.py
    graph_fields: tuple[str, ...] = ()  # the other fields graph/ reads (a city's partners and place); an edit
    # to any field but these, the links' and `sources` leaves the graph as it was (incremental/edits.py)
    cited: tuple[tuple[str, str], ...] = ()  # (list field, key) of items naming source ids: ("findings", "source")
    facts: tuple[str, ...] = ()  # fields `atlas check` wants a source for
    dated_by: str | None = None  # the date field of a kind on the timeline and in the feed
    feed: bool = False  # its dated entries are in feed.xml
    new_front: Callable[..., tuple[list[str], list[str]]] | None = None  # `atlas new`: (front lines, warnings)
    new_options: frozenset[str] = frozenset()  # options of `atlas new` it takes: "country", "cities", "date"
    new_body: tuple[str, str] | None = None  # heading and prompt of a new entry's text; None: no `atlas new`

    @property
    def key(self) -> str:
        """The kind's name in data/atlas.json: "case_studies"."""
        return self.folder.replace("-", "_")

    @property
    def published_tables(self) -> tuple[Table, ...]:
        """Its tables as the open data has them: the first, one row per entry, ends with ENTRY_COLUMNS."""
        if not self.tables:
            return ()
        first = self.tables[0]

        def rows(entry: Any, graph: Any, url: str) -> list[list]:
            return [[*row, *entry_cells(entry)] for row in first.rows(entry, graph, url)]

        return (Table(first.name, first.description, first.columns + ENTRY_COLUMNS, rows), *self.tables[1:])


def tag_filters(atlas: Any, cities: list = (), networks: list = (), themes: list = ()) -> list[tuple[str, str]]:
    """Pagefind filters of the cities (region, country), networks and themes an entry is about."""
    filters = []
    for city in cities:
        filters.append(("region", present.region_of(city.meta.country)))
        filters.append(("country", present.country_name(city.meta.country)))
    for slug in networks:
        network = atlas.get("networks", slug)
        if network:
            filters.append(("network", network.meta.short_name or network.title))
    for slug in themes:
        theme = atlas.get("themes", slug)
        if theme:
            filters.append(("theme", theme.title))
    return filters


def organization_json_ld(base: dict, meta: Any) -> dict:
    """schema.org's Organization from the fields networks and organisations share: short name, founded, website."""
    data = {**base, "@type": "Organization"}
    if meta.short_name:
        data["alternateName"] = meta.short_name
    if meta.founded and len(meta.founded) == 1:
        data["foundingDate"] = meta.founded[0]
    if meta.website:
        data["sameAs"] = meta.website
    return data


def entries_of(atlas: Any, folder: str, slugs) -> list:
    """The entries of these slugs that exist, in order."""
    found = (atlas.get(folder, slug) for slug in slugs)
    return [entry for entry in found if entry is not None]


def network_memberships(site: Any, memberships: list, other: str) -> list[dict]:
    """One row per network of a city (`other` "network") or city of a network ("city"): the entry, its roles
    with their dates ("Founding member since 2005; Chair 2010 to 2013"), current or not, first and last year."""
    folder = "networks" if other == "network" else "cities"
    rows: dict[str, list] = defaultdict(list)
    for membership in memberships:
        rows[getattr(membership, other)].append(membership)
    found = []
    for slug, held in rows.items():
        entry = site.entry(folder, slug)
        if entry is None:
            continue
        roles = [present.role_name(m.role) + (f" {present.period(m.since, m.until)}" if m.since or m.until else "")
                 for m in held if m.role != "member" or m.since or m.until]
        firsts = [m.first_year for m in held]
        membership = [m for m in held if m.role not in TERM_ROLES]  # a chair's term ends, not the membership
        current = not membership or any(m.current for m in membership)
        found.append({"entry": entry, "roles": "; ".join(roles), "current": current,
                      "since": None if None in firsts else min(firsts),
                      "until": None if current else max(m.last_year for m in membership)})
    return sorted(found, key=lambda row: row["entry"].title.casefold())
