"""What content/ already has: its cities, where they are, and the partnerships their files declare.

plan.py and reconcile.py ask Content which city a row's side names (the same
Wikidata id; else the same name and country, or the same place under another
name) and plan.py adds the new cities it plans; cityfile.py writes them. A
city's id is the `wikidata: Q…` of its front matter, read raw. Every look-up
goes through an index (by id, by name, by gazetteer place, by leading words),
so an import of tens of thousands of rows stays linear. Reads content/ through
sources.py; writes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from atlas.content.sources import MAX_SLUG_LENGTH, load_sources
from atlas.editing.importer.report import ImportFileError
from atlas.editing.importer.table import Side, Twinning
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
    wikidata: str | None = None  # "Q64"
    line: int = 1  # of the `wikidata` line, else of `name`, in an existing file
    partners_line: int = 1  # of the `partners` key, else of `name`
    merges: list[tuple[Tie, list[tuple[str, str]]]] = field(default_factory=list)  # fields this import adds to ties
    wikidata_row: int | None = None  # the row whose Q-id this import adds to the file (it had none)


@dataclass(frozen=True)
class Tie:
    """A partnership as a city file declares it."""

    src: str
    line: int  # of its item in the partners list
    index: int  # of its item in the partners list, from 0
    declaring: str  # slug of the file that declares it
    other: str
    item: dict  # the item as written: city, kind, since, until, status ...


@lru_cache(maxsize=None)
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
        self.ties: dict[tuple[str, str], Tie] = {}  # pair -> the first declaration of it
        self.by_qid: dict[str, City] = {}
        self._order: dict[str, int] = {}  # slug -> when it was added, so that look-ups keep file order
        self._places: dict[str, dict[int, list[City]]] = {}  # country -> gazetteer place -> cities (lazily)
        self._leading: dict[tuple[str, str], list[City]] = {}  # (leading words of a name, country) -> cities
        self.other_kinds = {raw.slug for raw in sources.entries if raw.kind != "cities"}
        folder = content_dir / "cities"
        self.taken = {p.stem.lower() for p in folder.iterdir()} if folder.is_dir() else set()
        for raw in sources.entries:
            if raw.kind != "cities":
                continue
            data = raw.meta.data
            self.taken.add(raw.slug)
            partners = data.get("partners") if isinstance(data.get("partners"), list) else []
            for index, partner in enumerate(partners):
                other = partner if isinstance(partner, str) else (
                    partner.get("city") if isinstance(partner, dict) else None)
                if isinstance(other, str) and other != raw.slug:
                    self.declared.setdefault(city_pair(raw.slug, other), raw.src)
                    item = partner if isinstance(partner, dict) else {"city": other}
                    self.ties.setdefault(city_pair(raw.slug, other), Tie(
                        raw.src, raw.meta.line_of(("partners", index)), index, raw.slug, other, item))
            name, country = data.get("name"), data.get("country")
            if not isinstance(name, str) or not isinstance(country, str):
                continue
            coordinates, origin = _given_coordinates(data.get("coordinates")), "content"
            if coordinates is None:
                place = lookup_place(name, country.strip().upper()).place
                coordinates, origin = ((place.lat, place.lon), "gazetteer") if place else (None, "")
            qid = data.get("wikidata")
            qid = qid.strip() if isinstance(qid, str) and WIKIDATA_ID.fullmatch(qid.strip()) else None
            name_line = raw.meta.line_of(("name",))
            self.add(City(raw.slug, name, country.strip().upper(), coordinates, origin, raw.src,
                          content_dir / "cities" / f"{raw.slug}.md", new=False, wikidata=qid,
                          line=raw.meta.line_of(("wikidata",)) if qid else name_line,
                          partners_line=raw.meta.line_of(("partners",), name_line)
                          if "partners" in data else name_line))

    def add(self, city: City) -> None:
        self.cities[city.slug] = city
        self._order[city.slug] = len(self._order)
        self.taken.add(city.slug)
        key = gazetteer.normalise_name(city.name)
        self.by_key.setdefault((key, city.country), []).append(city)
        if city.wikidata:
            self.by_qid.setdefault(city.wikidata, city)
        for leading in _leading_words(key):
            self._leading.setdefault((leading, city.country), []).append(city)
        if city.country in self._places:
            self._index_place(city)

    def same_name(self, side: Side) -> list[City]:
        """The cities of the side's name and country: by name alone, whatever their ids."""
        return self.by_key.get((gazetteer.normalise_name(side.name), side.country), [])

    def find(self, side: Side) -> tuple[City | None, str | None, str | None]:
        """(the city this side names, a reason it is ambiguous, a note on how it was matched).

        The same Wikidata id first; then the same name and country, leaving out
        cities that have another id (another Springfield), told apart by distance.
        """
        if side.wikidata and side.wikidata in self.by_qid:
            return self.by_qid[side.wikidata], None, None
        coordinates = side.coordinates or gazetteer_coordinates(side.name, side.country)
        clashes = [c for c in self.same_name(side) if _other_id(c, side) and coordinates and c.coordinates
                   and km(c.coordinates, coordinates) <= SAME_PLACE_KM]
        if clashes:
            return None, (f"{side.name} ({side.wikidata}) is within {SAME_PLACE_KM:g} km of"
                          f" {', '.join(_with_id(c) for c in clashes)}:"
                          " correct the id in the file or in the register"), None
        same_name = [c for c in self.same_name(side) if not _other_id(c, side)]
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
        candidates = list(self._leading.get((key, side.country), ()))
        for leading in _leading_words(key):
            candidates.extend(self.by_key.get((leading, side.country), ()))
        if place is not None:
            candidates.extend(self._place_index(side.country).get(place.geonameid, ()))
        for city in sorted({c.slug: c for c in candidates if not _other_id(c, side)}.values(),
                           key=lambda c: self._order[c.slug]):
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

    def _place_index(self, country: str) -> dict[int, list[City]]:
        if country not in self._places:
            self._places[country] = {}
            for city in self.cities.values():
                if city.country == country:
                    self._index_place(city)
        return self._places[country]

    def _index_place(self, city: City) -> None:
        place = lookup_place(city.name, city.country).place
        if place is not None:
            self._places[city.country].setdefault(place.geonameid, []).append(city)

    def new_slug(self, name: str, country: str, also_taken: set[str]) -> str:
        base = entry_slug(name)

        def taken(slug: str) -> bool:  # no union of the sets: this runs once per new city
            return slug in self.taken or slug in also_taken

        if not taken(base):
            return base
        suffix = f"-{country.lower()}"
        for n in range(1, 1000):
            ending = suffix if n == 1 else f"{suffix}-{n}"
            slug = base[: MAX_SLUG_LENGTH - len(ending)].rstrip("-") + ending
            if not taken(slug):
                return slug
        raise ImportFileError(f"no free file name for {name} ({country})")  # pragma: no cover

    def link(self, slug: str) -> str:
        return f"[[cities/{slug}]]" if slug in self.other_kinds else f"[[{slug}]]"


WIKIDATA_ID = re.compile(r"Q[1-9][0-9]*")


def _leading_words(key: str) -> list[str]:
    """ "saint louis park" -> ["saint", "saint louis"]: the names it may be a longer form of."""
    words = key.split(" ")
    return [" ".join(words[:n]) for n in range(1, len(words))]


def _with_id(city: City) -> str:
    """ "content/cities/lyon.md:5 (wikidata: Q4560)", or whichever row of this import gave the id."""
    added = f", added by row {city.wikidata_row}" if city.wikidata_row else ""
    return f"{city.src}:{city.line} (wikidata: {city.wikidata}{added})"


def _other_id(city: City, side: Side) -> bool:
    """The city has a Wikidata id and the side another one: not the same city, whatever the name."""
    return bool(city.wikidata and side.wikidata and city.wikidata != side.wikidata)


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


def compare_tie(item: dict, twinning: Twinning) -> list[tuple[str, str, str]]:
    """(field, the file's value, the register's) where a register's tie differs from a partners item.

    A date the register leaves out is no difference; one the file leaves out is
    ("none"). A list of dates (sources differ) agrees when it holds the register's.
    Dates of different precision agree when the finer lies within the coarser
    (1991 and 1991-08-28: Wikidata often gives only the year of a dated signing).
    The register's status is ended when it gives an end, else active.
    """
    differences = []
    for key, theirs in (("since", twinning.since), ("until", twinning.until)):
        ours = item.get(key)
        written = [str(d) for d in ours] if isinstance(ours, list) else ([] if ours is None else [str(ours)])
        if theirs is not None and not any(dates_agree(str(theirs), date) for date in written):
            differences.append((key, " or ".join(written) or "none", str(theirs)))
    ours, theirs = tie_status(item), "ended" if twinning.until is not None else "active"
    if ours != theirs:
        differences.append(("status", ours, theirs))
    return differences


def dates_agree(one: str, other: str) -> bool:
    """Whether two atlas dates (YYYY, YYYY-MM or YYYY-MM-DD) can name the same day."""
    coarse, fine = sorted((one, other), key=len)
    return fine == coarse or fine.startswith(coarse + "-")


def tie_status(item: dict) -> str:
    """The status a partners item has: as written, else ended when it gives until, else active."""
    status = item.get("status")
    if isinstance(status, str):
        return status
    return "ended" if item.get("until") is not None else "active"
