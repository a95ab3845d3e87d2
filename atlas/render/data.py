"""The atlas as open data: JSON, GeoJSON (RFC 7946) and CSV, plus schema.org JSON-LD.

Runs after relations.py, beside pages.py; returns outputs, writes nothing.
GeoJSON coordinates are [longitude, latitude]; partnership lines follow great
circles and are cut at the antimeridian into MultiLineStrings (RFC 7946 3.1.9).
Output is sorted so the same content gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Callable

from atlas import kinds
from atlas.content.cells import spreadsheet_safe
from atlas.content.fields import MEMBERSHIP_ROLES, wikidata_url
from atlas.kinds import Column
from atlas.render import present
from atlas.maps.geo import great_circle, split_at_antimeridian
from atlas.model import Atlas, Entry, Output
from atlas.graph.relations import Graph, Membership, Partnership
from atlas.render.datapackage import PublishedTable, data_package
from atlas.render.urls import Urls

PARTNERSHIP_COLUMNS = (
    Column("city_a", "string", "the slug of one city (the first in alphabetical order)"),
    Column("city_b", "string", "the slug of the other city"),
    Column("kind", "string", "sister-city, friendship, cooperation or memorandum"),
    Column("since", "string", "when it began: YYYY, YYYY-MM or YYYY-MM-DD; dates joined by ' or ' where sources"
                              " differ"),
    Column("until", "string", "when it was suspended or ended, in the same form; empty while it is in force"),
    Column("status", "string", "active, suspended or ended"),
    Column("reason", "string", "why it was suspended or ended, where given"),
    Column("status_source", "string", "the source id (see atlas.json) that reports the suspension or end"),
    Column("confidence", "string", "high, medium or low, where given"),
    Column("note", "string", "a short note"),
    Column("sources", "string", "source ids (see atlas.json), separated by spaces"),
)
MEMBERSHIP_COLUMNS = (
    Column("network", "string", "the network's slug"),
    Column("city", "string", "the member city's slug"),
    Column("role", "string", f"{', '.join(MEMBERSHIP_ROLES[:-1])} or {MEMBERSHIP_ROLES[-1]}"),
    Column("since", "string", "when the role began: YYYY, YYYY-MM or YYYY-MM-DD; dates joined by ' or ' where"
                              " sources differ"),
    Column("until", "string", "when the role ended, in the same form; empty while it is held"),
    Column("sources", "string", "source ids (see atlas.json), separated by spaces"),
)


def published_tables() -> list[PublishedTable]:
    """Every CSV file the build publishes: each kind's tables, then the partnerships and memberships."""
    return [*(PublishedTable(table.name, table.description, table.columns)
              for kind in kinds.registered() for table in kind.published_tables),
            PublishedTable("partnerships", "One row per partnership.", PARTNERSHIP_COLUMNS),
            PublishedTable("memberships", "One row per city's role in a network, with its dates.",
                           MEMBERSHIP_COLUMNS)]


def data_files() -> list[tuple[str, str, str]]:
    """(path, what it holds, format) of every file of the open data, as the Open data page lists them."""
    everything = ", ".join(kind.label[1].lower() for kind in kinds.registered() if kind.data is not None)
    return [("data/atlas.json", f"Everything: {everything}, partnerships, memberships and sources.", "JSON"),
            ("data/cities.geojson", "Cities as points, with their page addresses.", "GeoJSON"),
            ("data/partnerships.geojson", "Partnerships as great-circle lines.", "GeoJSON"),
            *((f"data/{table.name}.csv", table.description, "CSV") for table in published_tables()),
            ("data/datapackage.json", "A Frictionless Data Package describing every CSV file: its columns, their"
                                      " types and meaning, the licence and the sources.", "JSON")]


def data_file_columns() -> dict[str, tuple[Column, ...]]:
    """The columns of each CSV file of the open data, by path: the Open data page's column dictionary."""
    return {f"data/{table.name}.csv": table.columns for table in published_tables()}


def json_text(value: object) -> str:
    """Compact JSON (one line, keys sorted): the C encoder, and the smallest download."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _dumps(value: object) -> bytes:
    return (json_text(value) + "\n").encode("utf-8")


# How atlas.json's sections are encoded: (key, what the section reads, make its value) -> its JSON text.
# A build with a cache passes one that keeps each section's text while what it reads is unchanged.
SectionEncoder = Callable[[str, tuple[tuple, ...], Callable[[], object]], str]


def _encode_now(key: str, reads: tuple[tuple, ...], make: Callable[[], object]) -> str:
    return json_text(make())


def _link(urls: Urls, path: str) -> str:
    return urls.absolute(path) or path


def render_data(atlas: Atlas, graph: Graph, urls: Urls) -> list[Output]:
    return render_entry_data(atlas, graph, urls) + render_graph_data(graph)


def render_entry_data(atlas: Atlas, graph: Graph, urls: Urls) -> list[Output]:
    """The files that list entries: atlas.json, the cities' GeoJSON, each kind's table."""
    return [output for data_file in entry_data_files(atlas, graph, urls) for output in data_file.make()]


def atlas_json(atlas: Atlas, graph: Graph, urls: Urls, encode: SectionEncoder = _encode_now) -> bytes:
    """atlas.json, section by section: the same bytes as the whole document encoded at once (its keys
    sorted, nothing between them), so that a city's edit encodes again only the cities' section."""
    sections = atlas_sections(atlas, graph, urls)
    text = ",".join(f"{json_text(key)}:{encode(key, reads, make)}" for key, (reads, make) in sorted(sections.items()))
    return ("{" + text + "}\n").encode("utf-8")


@dataclass(frozen=True)
class DataFile:
    """One file of the open data, what it is made from, and how it is made.

    `reads` are dependencies in the form incremental/dependencies.py gives
    tokens to, and `shows` what it shows of entries when that is less than
    their front matter: a build with a cache makes the file again only when
    one of them (or the site's settings) changed, so a city's population edit
    remakes atlas.json and cities.csv, not the cities' map nor any other table.
    """

    dest: str
    reads: tuple[tuple, ...]
    make: Callable[[], list[Output]]
    shows: Callable[[], object] | None = None  # what it shows of entries, when less than their front matter


def entry_data_files(atlas: Atlas, graph: Graph, urls: Urls, encode: SectionEncoder = _encode_now) -> list[DataFile]:
    """render_entry_data's files, one by one, in its order, each with what it reads (`encode`: atlas_json's)."""
    city = kinds.of_name("city")

    def table_file(kind, table) -> DataFile:
        return DataFile(f"data/{table.name}.csv", (("entries", kind.folder), ("graph",)), lambda: [
            Output(f"data/{table.name}.csv", _csv(table.columns, [
                row for entry in atlas.of_kind(kind.folder)
                for row in table.rows(entry, graph, _link(urls, urls.entry(kind.folder, entry.slug)))]))])

    return [
        DataFile("data/atlas.json", (("entries",), ("sources",), ("graph",)), lambda: [
            Output("data/atlas.json", atlas_json(atlas, graph, urls, encode))]),
        DataFile(f"data/{city.folder}.geojson", (("kind", city.folder), ("graph",)), lambda: [
            Output(f"data/{city.folder}.geojson", _dumps(cities_geojson(atlas.of_kind(city.folder), graph, urls)))],
            shows=lambda: [(entry.slug, entry.title, entry.meta.country, entry.meta.wikidata)
                           for entry in atlas.of_kind(city.folder)]),
        *(table_file(kind, table) for kind in kinds.registered() for table in kind.published_tables),
        DataFile("data/datapackage.json", (("sources",),), lambda: [
            Output("data/datapackage.json", (json.dumps(data_package(atlas, urls, published_tables()),
                                                        ensure_ascii=False, indent=2) + "\n").encode("utf-8"))]),
    ]


def render_graph_data(graph: Graph) -> list[Output]:
    """The files made from the graph alone (a build after an edit that left it as it was keeps them)."""
    return [
        Output("data/partnerships.geojson", _dumps(partnerships_geojson(graph))),
        Output("data/partnerships.csv", _csv(PARTNERSHIP_COLUMNS,
                                             [_cells(partnership_record(p)) for p in graph.partnerships])),
        Output("data/memberships.csv", _csv(MEMBERSHIP_COLUMNS,
                                            [_cells(membership_record(m)) for m in graph.memberships])),
    ]


def _cells(record: dict) -> list:
    """A record as a CSV row: dates sources differ on as "1999 or 2006", source ids space-separated."""
    return ["" if value is None else (" " if name == "sources" else " or ").join(value) if isinstance(value, list)
            else value for name, value in record.items()]


PARTNERSHIP_FIELDS = tuple(column.name for column in PARTNERSHIP_COLUMNS)
MEMBERSHIP_FIELDS = tuple(column.name for column in MEMBERSHIP_COLUMNS)


def partnership_record(p: Partnership) -> dict:
    """One partnership as data/atlas.json holds it (dates as lists: several when sources differ)."""
    return dict(zip(PARTNERSHIP_FIELDS, (p.a, p.b, p.kind, list(p.since), list(p.until), p.status, p.reason,
                                         p.status_source, p.confidence, p.note, list(p.sources))))


def membership_record(m: Membership) -> dict:
    return dict(zip(MEMBERSHIP_FIELDS, (m.network, m.city, m.role, list(m.since), list(m.until), list(m.sources))))


def _csv(columns: tuple[Column, ...], rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([column.name for column in columns])
    for row in rows:
        writer.writerow([spreadsheet_safe(value) for value in row])
    return buffer.getvalue().encode("utf-8")


def cities_geojson(cities: list[Entry], graph: Graph, urls: Urls) -> dict:
    features = []
    for city in cities:
        place = graph.places.get(city.slug)
        if place is None:
            continue
        features.append({
            "type": "Feature",
            "id": city.slug,
            "geometry": {"type": "Point", "coordinates": [place.lon, place.lat]},
            "properties": {
                "slug": city.slug, "name": city.title, "country": city.meta.country,
                "region": present.region_of(city.meta.country), "wikidata": city.meta.wikidata,
                "partners": len(graph.partners_of.get(city.slug, [])),
                "networks": graph.networks_of.get(city.slug, []),
                "url": _link(urls, urls.entry(city.kind, city.slug)),
            },
        })
    return {"type": "FeatureCollection", "features": features}


def partnerships_geojson(graph: Graph) -> dict:
    features = []
    for p in graph.partnerships:
        a, b = graph.places.get(p.a), graph.places.get(p.b)
        if a is None or b is None:
            continue
        pieces = split_at_antimeridian(great_circle((a.lat, a.lon), (b.lat, b.lon)))
        lines = [[[lon, lat] for lat, lon in piece] for piece in pieces]
        geometry = ({"type": "LineString", "coordinates": lines[0]} if len(lines) == 1
                    else {"type": "MultiLineString", "coordinates": lines})
        features.append({
            "type": "Feature",
            "id": f"{p.a}--{p.b}",
            "geometry": geometry,
            "properties": partnership_record(p),
        })
    return {"type": "FeatureCollection", "features": features}


def atlas_document(atlas: Atlas, graph: Graph, urls: Urls) -> dict:
    return {key: make() for key, (_, make) in atlas_sections(atlas, graph, urls).items()}


def atlas_sections(atlas: Atlas, graph: Graph, urls: Urls) -> dict[str, tuple[tuple[tuple, ...], Callable[[], object]]]:
    """atlas.json's keys, each with what its value reads (incremental/dependencies.py's forms; the settings
    and URLs count for all) and how it is made."""
    def entry_common(entry: Entry) -> dict:
        return {"slug": entry.slug, "url": _link(urls, urls.entry(entry.kind, entry.slug)),
                "summary": entry.meta.summary, "wikidata": entry.meta.wikidata,
                "sources": graph.citations.get(entry.key, [])}

    def entries_of(kind) -> Callable[[], object]:
        return lambda: [{**entry_common(entry), **kind.data(entry, graph)} for entry in atlas.of_kind(kind.folder)]

    return {
        "title": ((), lambda: atlas.config.title),
        "description": ((), lambda: atlas.config.description),
        **{kind.key: ((("entries", kind.folder), ("graph",)), entries_of(kind))
           for kind in kinds.registered() if kind.data is not None},
        "partnerships": ((("graph",),), lambda: [partnership_record(p) for p in graph.partnerships]),
        "memberships": ((("graph",),), lambda: [membership_record(m) for m in graph.memberships]),
        "sources": ((("sources",),), lambda: [{"id": source_id, **source.model_dump(exclude={"id"}, mode="json")}
                                             for source_id, source in sorted(atlas.bibliography.items())]),
    }


def json_ld(entry: Entry, graph: Graph, urls: Urls, atlas: Atlas) -> dict:
    """schema.org description of an entry page: what its kind says it is (City, Organization, Event ...)."""
    url = urls.absolute(urls.entry(entry.kind, entry.slug)) or urls.entry(entry.kind, entry.slug)
    base = {"@context": "https://schema.org", "name": entry.title, "url": url}
    if entry.meta.summary:
        base["description"] = entry.meta.summary
    data = kinds.of_folder(entry.kind).json_ld(entry, base, atlas, graph)
    return _same_as(data, entry.meta.wikidata) if entry.meta.wikidata else data


def _same_as(data: dict, item: str) -> dict:
    """The entry's Wikidata item beside what else it is the same as (an organisation's website)."""
    given = data.get("sameAs")
    others = [given] if isinstance(given, str) else list(given or [])
    return {**data, "sameAs": [*others, wikidata_url(item)] if others else wikidata_url(item)}
