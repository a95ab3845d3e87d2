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

from atlas.render import present
from atlas.maps.geo import great_circle, split_at_antimeridian
from atlas.model import Atlas, Entry, Output
from atlas.graph.relations import Graph, Partnership
from atlas.render.urls import Urls

DATA_FILES = (
    ("data/atlas.json", "Everything: cities, networks, case studies, themes, partnerships, memberships and sources.",
     "JSON"),
    ("data/cities.geojson", "Cities as points, with their page addresses.", "GeoJSON"),
    ("data/partnerships.geojson", "Partnerships as great-circle lines.", "GeoJSON"),
    ("data/cities.csv", "One row per city.", "CSV"),
    ("data/partnerships.csv", "One row per partnership.", "CSV"),
    ("data/memberships.csv", "One row per city in a network.", "CSV"),
)


def _dumps(value: object) -> bytes:
    """Compact JSON (one line, keys sorted): the C encoder, and the smallest download."""
    return (json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n").encode("utf-8")


def _link(urls: Urls, path: str) -> str:
    return urls.absolute(path) or path


def render_data(atlas: Atlas, graph: Graph, urls: Urls) -> list[Output]:
    cities = atlas.of_kind("cities")
    return [
        Output("data/atlas.json", _dumps(atlas_document(atlas, graph, urls))),
        Output("data/cities.geojson", _dumps(cities_geojson(cities, graph, urls))),
        Output("data/partnerships.geojson", _dumps(partnerships_geojson(atlas, graph))),
        Output("data/cities.csv", _csv(["slug", "name", "country", "region", "latitude", "longitude",
                                        "coordinates_from", "partners", "networks", "url"],
                                       [_city_row(c, graph, urls) for c in cities])),
        Output("data/partnerships.csv", _csv(["city_a", "city_b", "kind", "since", "status", "confidence",
                                              "note", "sources"],
                                             [_partnership_row(p) for p in graph.partnerships])),
        Output("data/memberships.csv", _csv(["network", "city"],
                                            [[n, c] for n, cs in sorted(graph.members_of.items()) for c in cs])),
    ]


def _city_row(city: Entry, graph: Graph, urls: Urls) -> list:
    place = graph.places.get(city.slug)
    return [city.slug, city.title, city.meta.country, present.region_of(city.meta.country),
            place.lat if place else "", place.lon if place else "", place.origin if place else "",
            len(graph.partners_of.get(city.slug, [])), " ".join(graph.networks_of.get(city.slug, [])),
            _link(urls, urls.entry("cities", city.slug))]


def _partnership_row(p: Partnership) -> list:
    return [p.a, p.b, p.kind, " or ".join(p.since), p.status, p.confidence or "", p.note or "",
            " ".join(p.sources)]


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
                "url": _link(urls, urls.entry("cities", city.slug)),
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
            "properties": {"city_a": p.a, "city_b": p.b, "kind": p.kind, "since": list(p.since),
                           "status": p.status, "confidence": p.confidence, "note": p.note,
                           "sources": list(p.sources)},
        })
    return {"type": "FeatureCollection", "features": features}


def atlas_document(atlas: Atlas, graph: Graph, urls: Urls) -> dict:
    def entry_common(entry: Entry) -> dict:
        return {"slug": entry.slug, "url": _link(urls, urls.entry(entry.kind, entry.slug)),
                "summary": entry.meta.summary, "sources": graph.citations.get(entry.key, [])}

    cities = []
    for city in atlas.of_kind("cities"):
        place = graph.places.get(city.slug)
        cities.append({**entry_common(city), "name": city.title, "country": city.meta.country,
                       "coordinates": [place.lat, place.lon] if place else None,
                       "coordinates_from": place.origin if place else None,
                       "population": city.meta.population, "office": city.meta.office,
                       "themes": list(city.meta.themes)})
    networks = [{**entry_common(n), "name": n.title, "short_name": n.meta.short_name,
                 "founded": list(n.meta.founded or ()), "headquarters": n.meta.headquarters,
                 "website": n.meta.website, "themes": list(n.meta.themes)} for n in atlas.of_kind("networks")]
    studies = [{**entry_common(s), "title": s.title, "date": list(s.meta.date or ()), "kind": s.meta.kind,
                "cities": list(s.meta.cities), "networks": list(s.meta.networks), "themes": list(s.meta.themes)}
               for s in atlas.of_kind("case-studies")]
    themes = [{**entry_common(t), "name": t.title, "description": t.meta.description}
              for t in atlas.of_kind("themes")]
    return {
        "title": atlas.config.title,
        "description": atlas.config.description,
        "cities": cities,
        "networks": networks,
        "case_studies": studies,
        "themes": themes,
        "partnerships": [dict(zip(("city_a", "city_b", "kind", "since", "status", "confidence", "note", "sources"),
                                  (p.a, p.b, p.kind, list(p.since), p.status, p.confidence, p.note, list(p.sources))))
                         for p in graph.partnerships],
        "memberships": [{"network": n, "city": c} for n, cs in sorted(graph.members_of.items()) for c in cs],
        "sources": [{"id": source_id, **source.model_dump(exclude={"id"}, mode="json")}
                    for source_id, source in sorted(atlas.bibliography.items())],
    }


def json_ld(entry: Entry, graph: Graph, urls: Urls, atlas: Atlas) -> dict:
    """schema.org description of an entry page: City, Organization, Event or Article."""
    url = urls.absolute(urls.entry(entry.kind, entry.slug)) or urls.entry(entry.kind, entry.slug)
    base = {"@context": "https://schema.org", "name": entry.title, "url": url}
    if entry.meta.summary:
        base["description"] = entry.meta.summary
    if entry.kind == "cities":
        place = graph.places.get(entry.slug)
        data = {**base, "@type": "City",
                "address": {"@type": "PostalAddress", "addressCountry": entry.meta.country}}
        if place:
            data["geo"] = {"@type": "GeoCoordinates", "latitude": place.lat, "longitude": place.lon}
        return data
    if entry.kind == "networks":
        data = {**base, "@type": "Organization"}
        if entry.meta.short_name:
            data["alternateName"] = entry.meta.short_name
        if entry.meta.founded and len(entry.meta.founded) == 1:
            data["foundingDate"] = entry.meta.founded[0]
        if entry.meta.website:
            data["sameAs"] = entry.meta.website
        hq = atlas.get("cities", entry.meta.headquarters) if entry.meta.headquarters else None
        if hq:
            data["location"] = {"@type": "City", "name": hq.title}
        members = [atlas.get("cities", slug) for slug in graph.members_of.get(entry.slug, [])]
        if members:
            data["member"] = [{"@type": "City", "name": m.title} for m in members if m]
        return data
    if entry.kind == "case-studies":
        cities = [atlas.get("cities", slug) for slug in entry.meta.cities]
        places = [{"@type": "City", "name": c.title} for c in cities if c]
        when = entry.meta.date[0] if entry.meta.date and len(entry.meta.date) == 1 else None
        if (entry.meta.kind or "").lower() in ("workshop", "conference", "event", "meeting", "summit"):
            data = {**base, "@type": "Event", "location": places[0] if len(places) == 1 else places}
            if when:
                data["startDate"] = when
            return data
        data = {**base, "@type": "Article", "headline": entry.title[:110], "about": places}
        if when:
            data["datePublished"] = when
        return data
    return {**base, "@type": "WebPage"}
