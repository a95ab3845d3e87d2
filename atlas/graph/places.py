"""Where each city is: its own coordinates, or the gazetteer's when it gives none.

Called by relations.py, first. Reads no files (but for the gazetteer data its package ships).
"""

from __future__ import annotations

from dataclasses import dataclass

from atlas.errors import ErrorList
from atlas.graph import gazetteer
from atlas.graph.resolver import city_folder
from atlas.model import Atlas


@dataclass(frozen=True)
class Place:
    lat: float
    lon: float
    origin: str  # "content" or "gazetteer"


def resolve_places(atlas: Atlas, errors: ErrorList) -> dict[str, Place]:
    """City slug -> its place; a city the gazetteer cannot place is an error asking for coordinates."""
    places: dict[str, Place] = {}
    for city in atlas.of_kind(city_folder()):
        meta = city.meta
        given_but_wrong = meta.coordinates is None and ("coordinates",) in city.lines.lines
        if meta.name is None or meta.country is None or given_but_wrong:
            continue  # a city file with errors there (schema.salvage_entry): they are reported already
        if meta.coordinates is not None:  # audit.py compares them with the gazetteer (atlas check)
            lat, lon = meta.coordinates
            places[city.slug] = Place(lat, lon, "content")
            continue
        lookup = gazetteer.lookup_city(meta.name, meta.country)
        if lookup.place is not None:
            places[city.slug] = Place(lookup.place.lat, lookup.place.lon, "gazetteer")
        elif lookup.candidates:
            options = "; ".join(f"{p.name} ({p.region or p.country}) at [{p.lat:.4f}, {p.lon:.4f}]"
                                for p in lookup.candidates[:5])
            errors.error(city.src, city.line_of("name"),
                         f"'{meta.name}' matches {len(lookup.candidates)} places in {meta.country} in the gazetteer;"
                         " add coordinates: [latitude, longitude]", f"candidates: {options}")
        else:
            errors.error(city.src, city.line_of("name"),
                         f"no coordinates given and the gazetteer has no city named '{meta.name}' in {meta.country}",
                         "add coordinates: [latitude, longitude]")
    return places
