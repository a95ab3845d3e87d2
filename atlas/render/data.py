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

from atlas import kinds
from atlas.render import present
from atlas.maps.geo import great_circle, split_at_antimeridian
from atlas.model import Atlas, Entry, Output
from atlas.graph.relations import Graph, Membership, Partnership
from atlas.render.urls import Urls

DATA_FILES = (
    ("data/atlas.json", "Everything: cities, networks, case studies, themes, partnerships, memberships and sources.",
     "JSON"),
    ("data/cities.geojson", "Cities as points, with their page addresses.", "GeoJSON"),
    ("data/partnerships.geojson", "Partnerships as great-circle lines.", "GeoJSON"),
    ("data/cities.csv", "One row per city.", "CSV"),
    ("data/partnerships.csv", "One row per partnership.", "CSV"),
    ("data/memberships.csv", "One row per city's role in a network, with its dates.", "CSV"),
)


def _dumps(value: object) -> bytes:
    """Compact JSON (one line, keys sorted): the C encoder, and the smallest download."""
    return (json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n").encode("utf-8")


def _link(urls: Urls, path: str) -> str:
    return urls.absolute(path) or path


def render_data(atlas: Atlas, graph: Graph, urls: Urls) -> list[Output]:
    city = kinds.of_name("city")
    tables = [Output(f"data/{kind.folder}.csv", _csv(list(kind.table[0]), [
        kind.table[1](entry, graph, _link(urls, urls.entry(kind.folder, entry.slug)))
        for entry in atlas.of_kind(kind.folder)])) for kind in kinds.registered() if kind.table is not None]
    return [
        Output("data/atlas.json", _dumps(atlas_document(atlas, graph, urls))),
        Output(f"data/{city.folder}.geojson", _dumps(cities_geojson(atlas.of_kind(city.folder), graph, urls))),
        Output("data/partnerships.geojson", _dumps(partnerships_geojson(atlas, graph))),
        *tables,
        Output("data/partnerships.csv", _csv(list(PARTNERSHIP_FIELDS),
                                             [_cells(partnership_record(p)) for p in graph.partnerships])),
        Output("data/memberships.csv", _csv(list(MEMBERSHIP_FIELDS),
                                            [_cells(membership_record(m)) for m in graph.memberships])),
    ]


def _cells(record: dict) -> list:
    """A record as a CSV row: dates sources differ on as "1999 or 2006", source ids space-separated."""
    return ["" if value is None else (" " if name == "sources" else " or ").join(value) if isinstance(value, list)
            else value for name, value in record.items()]


PARTNERSHIP_FIELDS = ("city_a", "city_b", "kind", "since", "until", "status", "reason", "status_source",
                      "confidence", "note", "sources")
MEMBERSHIP_FIELDS = ("network", "city", "role", "since", "until", "sources")


def partnership_record(p: Partnership) -> dict:
    """One partnership as data/atlas.json holds it (dates as lists: several when sources differ)."""
    return dict(zip(PARTNERSHIP_FIELDS, (p.a, p.b, p.kind, list(p.since), list(p.until), p.status, p.reason,
                                         p.status_source, p.confidence, p.note, list(p.sources))))


def membership_record(m: Membership) -> dict:
    return dict(zip(MEMBERSHIP_FIELDS, (m.network, m.city, m.role, list(m.since), list(m.until), list(m.sources))))


def _csv(header: list[str], rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_csv_safe(value) for value in row])
    return buffer.getvalue().encode("utf-8")


def _csv_safe(value: object) -> object:
    """Defuse spreadsheet formulas: text starting with = + - @ gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


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
                "region": present.region_of(city.meta.country),
                "partners": len(graph.partners_of.get(city.slug, [])),
                "networks": graph.networks_of.get(city.slug, []),
                "url": _link(urls, urls.entry(city.kind, city.slug)),
            },
        })
    return {"type": "FeatureCollection", "features": features}


def partnerships_geojson(atlas: Atlas, graph: Graph) -> dict:
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
    def entry_common(entry: Entry) -> dict:
        return {"slug": entry.slug, "url": _link(urls, urls.entry(entry.kind, entry.slug)),
                "summary": entry.meta.summary, "sources": graph.citations.get(entry.key, [])}

    return {
        "title": atlas.config.title,
        "description": atlas.config.description,
        **{kind.key: [{**entry_common(entry), **kind.data(entry, graph)} for entry in atlas.of_kind(kind.folder)]
           for kind in kinds.registered() if kind.data is not None},
        "partnerships": [partnership_record(p) for p in graph.partnerships],
        "memberships": [membership_record(m) for m in graph.memberships],
        "sources": [{"id": source_id, **source.model_dump(exclude={"id"}, mode="json")}
                    for source_id, source in sorted(atlas.bibliography.items())],
    }


def json_ld(entry: Entry, graph: Graph, urls: Urls, atlas: Atlas) -> dict:
    """schema.org description of an entry page: what its kind says it is (City, Organization, Event ...)."""
    url = urls.absolute(urls.entry(entry.kind, entry.slug)) or urls.entry(entry.kind, entry.slug)
    base = {"@context": "https://schema.org", "name": entry.title, "url": url}
    if entry.meta.summary:
        base["description"] = entry.meta.summary
    return kinds.of_folder(entry.kind).json_ld(entry, base, atlas, graph)
