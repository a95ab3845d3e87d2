"""What content/ already has: its cities, where they are, and the partnerships their files declare.

plan.py asks Content which city a row's side names (the same name and country,
or the same place under another name) and adds the new cities it plans;
cityfile.py writes them. Reads content/ through sources.py; writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from atlas.content.sources import MAX_SLUG_LENGTH, load_sources
from atlas.editing.importer.report import ImportFileError
from atlas.editing.importer.table import Side
from atlas.editing.scaffold import entry_slug
from atlas.errors import ErrorList
from atlas.graph import gazetteer

SAME_PLACE_KM = 50.0  # two cities of one name and country closer than this are one city


@dataclass
class City:
    slug: str
    name: str
    country: str
    coordinates: tuple[float, float] | None  # given, from the row or from the gazetteer
    origin: str  # "content", "row", "gazetteer" or "" (none)
    src: str
    path: Path
    new: bool
    partners: list[dict] = field(default_factory=list)  # partners this import adds to the file
    mentions: list[tuple[str, dict]] = field(default_factory=list)  # (other slug, partnership) for a new file's body


@lru_cache(maxsize=4096)
def lookup_place(name: str, country: str) -> gazetteer.Lookup:
    return gazetteer.lookup_city(name, country)


class Content:
    """The cities in content/ and the ones this import plans, with their partnerships."""

    def __init__(self, content_dir: Path, label: str) -> None:
        errors = ErrorList()
        sources = load_sources(content_dir, errors, label=label)
        if errors.errors:
            shown = "\n".join(str(p) for p in errors.errors[:20])
            raise ImportFileError(f"the content has problems to fix before importing (see `atlas check`):\n{shown}")
        self.content_dir = content_dir
        self.label = label
        bibliography = sources.bibliography.data if sources.bibliography else None
        self.source_ids = [item["id"] for item in bibliography or () if isinstance(item, dict)
                           and isinstance(item.get("id"), str)]
        self.cities: dict[str, City] = {}
        self.by_key: dict[tuple[str, str], list[City]] = {}
        self.declared: dict[tuple[str, str], str] = {}  # pair -> src of the file that declares it
        self.other_kinds = {raw.slug for raw in sources.entries if raw.kind != "cities"}
        folder = content_dir / "cities"
        self.taken = {p.stem.lower() for p in folder.iterdir()} if folder.is_dir() else set()
        for raw in sources.entries:
            if raw.kind != "cities":
                continue
            data = raw.meta.data
            self.taken.add(raw.slug)
            partners = data.get("partners") if isinstance(data.get("partners"), list) else []
            for partner in partners:
                other = partner if isinstance(partner, str) else (
                    partner.get("city") if isinstance(partner, dict) else None)
                if isinstance(other, str) and other != raw.slug:
                    self.declared.setdefault(city_pair(raw.slug, other), raw.src)
            name, country = data.get("name"), data.get("country")
            if not isinstance(name, str) or not isinstance(country, str):
                continue
            coordinates, origin = _given_coordinates(data.get("coordinates")), "content"
            if coordinates is None:
                place = lookup_place(name, country.strip().upper()).place
                coordinates, origin = ((place.lat, place.lon), "gazetteer") if place else (None, "")
            self.add(City(raw.slug, name, country.strip().upper(), coordinates, origin, raw.src,
                           content_dir / "cities" / f"{raw.slug}.md", new=False))

    def add(self, city: City) -> None:
        self.cities[city.slug] = city
        self.taken.add(city.slug)
        self.by_key.setdefault((gazetteer.normalise_name(city.name), city.country), []).append(city)

    def find(self, side: Side) -> tuple[City | None, str | None, str | None]:
        """(the city this side names, a reason it is ambiguous, a note on how it was matched)."""
        coordinates = side.coordinates or gazetteer_coordinates(side.name, side.country)
        same_name = self.by_key.get((gazetteer.normalise_name(side.name), side.country), [])
        if same_name:
            if coordinates is None:
                if len(same_name) == 1:
                    return same_name[0], None, None
                return None, (f"there are {len(same_name)} cities called {side.name} in {side.country}"
                              f" ({', '.join(c.src for c in same_name)}): give lat and lon in the row"), None
            near = [c for c in same_name if c.coordinates and km(c.coordinates, coordinates) <= SAME_PLACE_KM]
            unplaced = [c for c in same_name if c.coordinates is None]
            for group in (near, unplaced):
                if len(group) == 1:
                    return group[0], None, None
                if group:
                    return None, (f"{', '.join(c.src for c in group)} are all {side.name} ({side.country})"
                                  f" within {SAME_PLACE_KM:g} km; add coordinates to tell them apart"), None
            return None, None, None  # a different city of the same name: a new file
        # The same place under another name: Köln and Cologne, Toledo and "Toledo, Ohio".
        place = lookup_place(side.name, side.country).place
        key = gazetteer.normalise_name(side.name)
        for city in [c for c in self.cities.values() if c.country == side.country]:
            other = lookup_place(city.name, city.country).place
            same_place = place is not None and other is not None and other.geonameid == place.geonameid and (
                city.coordinates is None or km(city.coordinates, (place.lat, place.lon)) <= SAME_PLACE_KM)
            other_key = gazetteer.normalise_name(city.name)
            same_start = (coordinates is not None and city.coordinates is not None
                          and km(city.coordinates, coordinates) <= SAME_PLACE_KM
                          and (other_key.startswith(key + " ") or key.startswith(other_key + " ")))
            if same_place or same_start:
                return city, None, f"{side.name} ({side.country}) taken as {city.src} ({city.name})"
        return None, None, None

    def new_slug(self, name: str, country: str, also_taken: set[str]) -> str:
        base = entry_slug(name)
        taken = self.taken | also_taken
        if base not in taken:
            return base
        suffix = f"-{country.lower()}"
        for n in range(1, 1000):
            ending = suffix if n == 1 else f"{suffix}-{n}"
            slug = base[: MAX_SLUG_LENGTH - len(ending)].rstrip("-") + ending
            if slug not in taken:
                return slug
        raise ImportFileError(f"no free file name for {name} ({country})")  # pragma: no cover

    def link(self, slug: str) -> str:
        return f"[[cities/{slug}]]" if slug in self.other_kinds else f"[[{slug}]]"


def city_pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    return gazetteer.distance_km(a[0], a[1], b[0], b[1])


def _given_coordinates(value: object) -> tuple[float, float] | None:
    if isinstance(value, list) and len(value) == 2 and all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in value):
        return (float(value[0]), float(value[1]))
    return None


def gazetteer_coordinates(name: str, country: str) -> tuple[float, float] | None:
    place = lookup_place(name, country).place
    return (place.lat, place.lon) if place else None
