"""Import twinnings from a CSV file into the city files: `atlas import twinnings FILE.csv`.

An editors' tool beside the build pipeline, not a stage of it. It reads the CSV
and content/ (through sources.py, plus the raw bytes of the files it will edit),
plans every change first (plan_import), and writes only when asked
(apply_import). New cities get a new file; a partnership is added to the first
city's `partners` list by inserting lines into its front matter, so every byte
an editor wrote stays as it was. Rows that cannot be used are reported with
their row number (the header is row 1), never dropped silently.

    city_a,country_a,city_b,country_b,kind,year,source
    Portland,US,Sapporo,Japan,sister city,1959,portland-sister-cities
"""

from __future__ import annotations

import csv
import difflib
import io
import re
import shutil
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml

from atlas.graph import gazetteer
from atlas.errors import AtlasError, ErrorList
from atlas.editing.scaffold import (clean_text, country_in_text, entry_slug, format_coordinates, resolve_country, yaml_since,
                       yaml_text)
from atlas.content.schema import PARTNERSHIP_KINDS
from atlas.content.sources import MAX_DATA_BYTES, MAX_SLUG_LENGTH, load_sources
from atlas.content.yamlfile import YamlError, load_yaml

SAME_PLACE_KM = 50.0  # two cities of one name and country closer than this are one city

FIELDS = ("city_a", "country_a", "city_b", "country_b", "lat_a", "lon_a", "lat_b", "lon_b",
          "kind", "year", "source", "note")
REQUIRED = FIELDS[:4]


def _column_aliases() -> dict[str, str]:
    """Header (normalised: "City A" -> "city_a") -> field."""
    words = {"city": ("city", "town", "name", "municipality"),
             "country": ("country", "cc", "country_code", "iso", "nation"),
             "lat": ("lat", "latitude"), "lon": ("lon", "lng", "long", "longitude")}
    sides = {"a": ("a", "1", "from", "first"), "b": ("b", "2", "to", "second")}
    table: dict[str, str] = {}
    for side, marks in sides.items():
        for what, names in words.items():
            for name in names:
                for mark in marks:
                    table[f"{name}_{mark}"] = table[f"{mark}_{name}"] = f"{what}_{side}"
                    if mark.isdigit():
                        table[f"{name}{mark}"] = f"{what}_{side}"
    table.update({"city": "city_a", "country": "country_a",
                  "partner": "city_b", "partner_city": "city_b", "twin": "city_b", "twin_city": "city_b",
                  "twin_town": "city_b", "sister_city": "city_b",
                  "partner_country": "country_b", "twin_country": "country_b", "sister_city_country": "country_b"})
    for name in ("kind", "type", "relationship", "relation", "partnership", "partnership_kind", "partnership_type",
                 "link_type", "agreement", "agreement_type"):
        table[name] = "kind"
    for name in ("year", "since", "date", "established", "start", "start_year", "year_established", "signed",
                 "date_signed", "since_year"):
        table[name] = "year"
    for name in ("source", "source_id", "sources", "source_ids", "ref", "reference", "citation"):
        table[name] = "source"
    for name in ("note", "notes", "comment", "comments", "remark", "remarks", "description"):
        table[name] = "note"
    return table


COLUMN_ALIASES = _column_aliases()

KIND_ALIASES = {
    **dict.fromkeys(("sister city", "sister cities", "sister", "sister town", "twin", "twins", "twin city",
                     "twin cities", "twin town", "twin towns", "twinning", "twinned", "partner", "partners",
                     "partner city", "partner cities", "partner town", "partnership", "jumelage"), "sister-city"),
    **dict.fromkeys(("friendship", "friendship city", "friendship cities", "friendly city", "friend city",
                     "friend", "friendship agreement", "friendship link"), "friendship"),
    **dict.fromkeys(("cooperation", "co operation", "cooperation agreement", "co operation agreement",
                     "cooperation city", "collaboration", "cooperative"), "cooperation"),
    **dict.fromkeys(("memorandum", "memorandum of understanding", "mou", "m o u", "memorandum of cooperation",
                     "moc"), "memorandum"),
}

_KIND_PHRASE = {None: "Twinned with", "sister-city": "Twinned with", "friendship": "Friendship agreement with",
                "cooperation": "Cooperation agreement with", "memorandum": "Memorandum of understanding with"}


class ImportFileError(AtlasError):
    """The import cannot start (unreadable CSV, missing columns, broken content) or cannot write."""


@dataclass(frozen=True, order=True)
class RowReport:
    """Something about one CSV row (row 0: the file as a whole)."""

    row: int
    message: str
    severity: str = "skipped"  # "skipped" (the row has a problem), "duplicate" (already there), "warning"
    csv_src: str = field(default="", compare=False)

    @property
    def problem(self) -> bool:
        return self.severity == "skipped"

    def __str__(self) -> str:
        where = f"{self.csv_src} row {self.row}" if self.row else self.csv_src
        label = "warning" if self.severity == "warning" else "skipped"
        return f"{where}: {label}: {self.message}"


@dataclass(frozen=True)
class FileChange:
    """One city file to create or update."""

    path: Path
    src: str  # content/cities/sapporo.md
    text: str  # the whole new file
    original: bytes | None  # what was read, for an update; None for a new file
    added: tuple[str, ...]  # "sapporo (sister-city, 1959)", the partners added

    @property
    def created(self) -> bool:
        return self.original is None


@dataclass(frozen=True)
class ImportPlan:
    """Everything an import would do, before anything is written."""

    csv_src: str
    changes: tuple[FileChange, ...]
    partnerships: int
    skipped: tuple[RowReport, ...]  # problems and duplicates, by row
    warnings: tuple[RowReport, ...]

    @property
    def problems(self) -> list[RowReport]:
        """Rows that could not be used (duplicates are not problems)."""
        return [r for r in self.skipped if r.problem]

    def describe(self, dry_run: bool = False) -> list[str]:
        """One line per file, then one per partner added: what changes."""
        lines = []
        for change in self.changes:
            verb = ("would create" if dry_run else "created") if change.created else (
                "would update" if dry_run else "updated")
            lines.append(f"{verb} {change.src}")
            lines.extend(f"  + partner {added}" for added in change.added)
        return lines

    def summary(self, dry_run: bool = False) -> str:
        created = sum(1 for c in self.changes if c.created)
        updated = len(self.changes) - created
        text = (f"imported {_plural(self.partnerships, 'partnership')}: {_plural(created, 'city', 'cities')}"
                f" created, {updated} updated, {_plural(len(self.skipped), 'row')} skipped")
        return f"dry run: would have {text}; nothing was written" if dry_run else text


def _plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {words or word + 's'}"


# --- reading the CSV ------------------------------------------------------------------

@dataclass(frozen=True)
class Side:
    name: str
    country: str
    coordinates: tuple[float, float] | None  # as the row gives them


@dataclass(frozen=True)
class Twinning:
    """One usable row."""

    row: int
    a: Side
    b: Side
    kind: str | None
    since: int | str | None
    sources: tuple[str, ...]
    note: str | None


def normalise_header(text: str) -> str:
    """ "City A" -> "city_a", "Country (B)" -> "country_b"."""
    return re.sub(r"[^a-z0-9]+", "_", gazetteer.normalise_name(text)).strip("_")


def read_csv(path: Path, csv_src: str) -> tuple[dict[str, int], int, list[tuple[int, list[str]]], list[RowReport]]:
    """The columns (field -> index), the header's width, the data rows with their numbers, notes on the header."""
    try:
        size = path.stat().st_size
        if size > MAX_DATA_BYTES:
            raise ImportFileError(f"{csv_src}: file is too large ({size:,} bytes; the limit is {MAX_DATA_BYTES:,})")
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(f"{csv_src}: cannot read the file: {exc.strerror}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = data[: exc.start].count(b"\n") + 1
        raise ImportFileError(f"{csv_src}: line {row} is not UTF-8 text; save the file as \"CSV UTF-8\"") from None
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = list(enumerate(reader, start=1))
    except csv.Error as exc:
        raise ImportFileError(f"{csv_src}: row {reader.line_num}: not readable as CSV: {exc}") from None
    records = [(n, cells) for n, cells in records if any(c.strip() for c in cells)]
    if not records:
        raise ImportFileError(f"{csv_src}: the file is empty; it needs a header such as"
                              f" {','.join(REQUIRED)}")
    header_row, header = records[0]
    columns: dict[str, int] = {}
    notes: list[RowReport] = []
    for index, name in enumerate(header):
        key = COLUMN_ALIASES.get(normalise_header(name))
        if key is None:
            if name.strip():
                notes.append(RowReport(header_row, f"column '{name.strip()}' is not used", "warning", csv_src))
            continue
        if key in columns:
            raise ImportFileError(f"{csv_src}: columns '{header[columns[key]].strip()}' and '{name.strip()}'"
                                  f" both give {key}; keep one")
        columns[key] = index
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        found = ", ".join(h.strip() for h in header if h.strip()) or "nothing"
        raise ImportFileError(f"{csv_src}: the header has no column {', '.join(missing)}"
                              f" (it needs {', '.join(REQUIRED)}; found: {found})")
    return columns, len(header), records[1:], notes


def parse_kind(text: str) -> str:
    """ "Sister City" -> "sister-city", "MoU" -> "memorandum"; ValueError when unknown."""
    key = re.sub(r"[^a-z]+", " ", text.lower()).strip()
    if key in KIND_ALIASES:
        return KIND_ALIASES[key]
    raise ValueError(f"kind '{text}' is not one of {', '.join(PARTNERSHIP_KINDS)}")


def parse_since(text: str, today: date | None = None) -> int | str:
    """ "1959" -> 1959, "1959.0" -> 1959, "1959-05" -> "1959-05"; ValueError otherwise."""
    this_year = (today or date.today()).year
    text = text.strip()
    match = re.fullmatch(r"(\d{1,4})(?:\.0+)?", text)
    if match:
        year = int(match.group(1))
        if not 1 <= year <= this_year:
            raise ValueError(f"year '{text}' is not a year up to {this_year}")
        return year
    match = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", text)
    if match:
        year, month, day = (int(g) if g else None for g in match.groups())
        try:
            date(year, month, day or 1)
        except ValueError:
            raise ValueError(f"year '{text}' is not a real date") from None
        if year > this_year:
            raise ValueError(f"year '{text}' is in the future")
        return text
    raise ValueError(f"year '{text}' is not a year: write 1959, 1959-05 or 1959-05-12")


def _parse_number(text: str, what: str, limit: float) -> float:
    value = text.strip()
    if "," in value and "." not in value:
        value = value.replace(",", ".")  # 45,52 in a semicolon-separated file
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"{what} '{text.strip()}' is not a number") from None
    if not -limit <= number <= limit:  # also refuses nan
        raise ValueError(f"{what} {text.strip()} is outside -{limit:g}..{limit:g}")
    return number


def _parse_coordinates(cells: dict[str, str], side: str) -> tuple[float, float] | None:
    lat, lon = cells.get(f"lat_{side}", "").strip(), cells.get(f"lon_{side}", "").strip()
    if not lat and not lon:
        return None
    if not lat or not lon:
        raise ValueError(f"lat_{side} and lon_{side} go together: give both or neither")
    return (_parse_number(lat, f"lat_{side}", 90), _parse_number(lon, f"lon_{side}", 180))


# --- what content/ already has ----------------------------------------------------------

@dataclass
class _City:
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
def _lookup(name: str, country: str) -> gazetteer.Lookup:
    return gazetteer.lookup_city(name, country)


class _Content:
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
        self.cities: dict[str, _City] = {}
        self.by_key: dict[tuple[str, str], list[_City]] = {}
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
                    self.declared.setdefault(_pair(raw.slug, other), raw.src)
            name, country = data.get("name"), data.get("country")
            if not isinstance(name, str) or not isinstance(country, str):
                continue
            coordinates, origin = _given_coordinates(data.get("coordinates")), "content"
            if coordinates is None:
                place = _lookup(name, country.strip().upper()).place
                coordinates, origin = ((place.lat, place.lon), "gazetteer") if place else (None, "")
            self.add(_City(raw.slug, name, country.strip().upper(), coordinates, origin, raw.src,
                           content_dir / "cities" / f"{raw.slug}.md", new=False))

    def add(self, city: _City) -> None:
        self.cities[city.slug] = city
        self.taken.add(city.slug)
        self.by_key.setdefault((gazetteer.normalise_name(city.name), city.country), []).append(city)

    def find(self, side: Side) -> tuple[_City | None, str | None, str | None]:
        """(the city this side names, a reason it is ambiguous, a note on how it was matched)."""
        coordinates = side.coordinates or _gazetteer_coordinates(side.name, side.country)
        same_name = self.by_key.get((gazetteer.normalise_name(side.name), side.country), [])
        if same_name:
            if coordinates is None:
                if len(same_name) == 1:
                    return same_name[0], None, None
                return None, (f"there are {len(same_name)} cities called {side.name} in {side.country}"
                              f" ({', '.join(c.src for c in same_name)}): give lat and lon in the row"), None
            near = [c for c in same_name if c.coordinates and _km(c.coordinates, coordinates) <= SAME_PLACE_KM]
            unplaced = [c for c in same_name if c.coordinates is None]
            for group in (near, unplaced):
                if len(group) == 1:
                    return group[0], None, None
                if group:
                    return None, (f"{', '.join(c.src for c in group)} are all {side.name} ({side.country})"
                                  f" within {SAME_PLACE_KM:g} km; add coordinates to tell them apart"), None
            return None, None, None  # a different city of the same name: a new file
        # The same place under another name: Köln and Cologne, Toledo and "Toledo, Ohio".
        place = _lookup(side.name, side.country).place
        key = gazetteer.normalise_name(side.name)
        for city in [c for c in self.cities.values() if c.country == side.country]:
            other = _lookup(city.name, city.country).place
            same_place = place is not None and other is not None and other.geonameid == place.geonameid and (
                city.coordinates is None or _km(city.coordinates, (place.lat, place.lon)) <= SAME_PLACE_KM)
            other_key = gazetteer.normalise_name(city.name)
            same_start = (coordinates is not None and city.coordinates is not None
                          and _km(city.coordinates, coordinates) <= SAME_PLACE_KM
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


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    return gazetteer.distance_km(a[0], a[1], b[0], b[1])


def _given_coordinates(value: object) -> tuple[float, float] | None:
    if isinstance(value, list) and len(value) == 2 and all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in value):
        return (float(value[0]), float(value[1]))
    return None


def _gazetteer_coordinates(name: str, country: str) -> tuple[float, float] | None:
    place = _lookup(name, country).place
    return (place.lat, place.lon) if place else None


# --- planning -----------------------------------------------------------------------------

def plan_import(csv_path: Path, content_dir: Path, *, default_kind: str | None = None,
                csv_label: str | None = None, label: str | None = None) -> ImportPlan:
    """Read the CSV and content/, and work out every change; writes nothing."""
    csv_path, content_dir = Path(csv_path), Path(content_dir)
    csv_src = csv_label or csv_path.as_posix()
    label = (label or content_dir.as_posix()).rstrip("/") or "."
    if not content_dir.is_dir():
        raise ImportFileError(f"content folder not found: {label}")
    if default_kind is not None and default_kind not in PARTNERSHIP_KINDS:
        raise ImportFileError(f"--kind: use one of {', '.join(PARTNERSHIP_KINDS)}")
    columns, width, records, warnings = read_csv(csv_path, csv_src)
    content = _Content(content_dir, label)
    skipped: list[RowReport] = []
    interpreted: dict[str, tuple[str, list[int]]] = {}
    planned: dict[tuple[str, str], int] = {}  # pair -> row
    editable: dict[str, str | None] = {}  # slug -> why its file cannot be edited
    count = 0
    for number, cells in records:
        row = {name: clean_text(cells[index]) if index < len(cells) else "" for name, index in columns.items()}
        twinning, problems, notes = _parse_row(number, row, cells, width, content, default_kind, interpreted)
        if twinning is None:
            skipped.append(RowReport(number, "; ".join(problems), "skipped", csv_src))
            continue
        warnings.extend(RowReport(number, note, "warning", csv_src) for note in notes)
        result = _plan_row(twinning, content, planned, editable)
        if isinstance(result, RowReport):
            skipped.append(RowReport(number, result.message, result.severity, csv_src))
            continue
        count += 1
        warnings.extend(RowReport(number, note, "warning", csv_src) for note in result)
    for written, (note, rows) in interpreted.items():
        shown = ", ".join(str(r) for r in rows[:8]) + (", …" if len(rows) > 8 else "")
        warnings.append(RowReport(0, f"{note} (row{'s' if len(rows) > 1 else ''} {shown})", "warning", csv_src))
    changes = _render_changes(content)
    return ImportPlan(csv_src, tuple(changes), count, tuple(sorted(skipped)), tuple(sorted(warnings)))


def _parse_row(number: int, row: dict[str, str], cells: list[str], width: int, content: _Content,
               default_kind: str | None, interpreted: dict) -> tuple[Twinning | None, list[str], list[str]]:
    problems: list[str] = []
    notes: list[str] = []
    if any(c.strip() for c in cells[width:]):
        problems.append(f"the row has {len(cells)} cells but the header has {width} columns")
    sides = []
    for side in ("a", "b"):
        name = row.get(f"city_{side}", "")
        if not name:
            problems.append(f"city_{side} is empty")
        elif not entry_slug(name):
            problems.append(f"city_{side} '{name}' has no letters a-z to make a file name from;"
                            " write the name in Latin letters")
        country = _row_country(row.get(f"country_{side}", ""), name, f"country_{side}", problems, notes, number,
                               interpreted)
        try:
            coordinates = _parse_coordinates(row, side)
        except ValueError as exc:
            problems.append(str(exc))
            coordinates = None
        sides.append(Side(name, country or "", coordinates))
    kind = default_kind
    if row.get("kind"):
        try:
            kind = parse_kind(row["kind"])
        except ValueError as exc:
            problems.append(str(exc))
    since = None
    if row.get("year"):
        try:
            since = parse_since(row["year"])
        except ValueError as exc:
            problems.append(str(exc))
    sources: list[str] = []
    for source_id in re.split(r"[\s;,]+", row.get("source", "")):
        if not source_id or source_id in sources:
            continue
        if source_id not in content.source_ids:
            close = difflib.get_close_matches(source_id, content.source_ids, n=1, cutoff=0.6)
            problems.append(f"source '{source_id}' is not in sources.yaml"
                            + (f" (did you mean {close[0]}?)" if close else "; add it there first"))
        sources.append(source_id)
    a, b = sides
    if not problems and _same_city(a, b):
        problems.append(f"the same city on both sides ({a.name}, {a.country})")
    if problems:
        return None, problems, notes
    return Twinning(number, a, b, kind, since, tuple(sources), row.get("note") or None), [], notes


def _same_city(a: Side, b: Side) -> bool:
    """Same country, and the same name or the same gazetteer place (Köln, Cologne), and not far apart."""
    if a.country != b.country or (a.coordinates and b.coordinates
                                  and _km(a.coordinates, b.coordinates) > SAME_PLACE_KM):
        return False
    if gazetteer.normalise_name(a.name) == gazetteer.normalise_name(b.name):
        return True
    place_a, place_b = _lookup(a.name, a.country).place, _lookup(b.name, b.country).place
    return place_a is not None and place_b is not None and place_a.geonameid == place_b.geonameid


def _row_country(text: str, city: str, column: str, problems: list[str], notes: list[str], number: int,
                 interpreted: dict) -> str | None:
    if not text:
        problems.append(f"{column} is empty")
        return None
    found = resolve_country(text)
    if found.code:
        if found.note:
            interpreted.setdefault(text, (found.note, []))[1].append(number)
        return found.code
    if found.successors and city:
        here = [code for code in found.successors
                if _lookup(city, code).place or _lookup(city, code).candidates]
        if len(here) == 1:
            notes.append(f"{column} '{text}' taken as {here[0]}, where the gazetteer has {city}")
            return here[0]
    problems.append(f"{column}: {found.reason}")
    return None


def _plan_row(twinning: Twinning, content: _Content, planned: dict, editable: dict) -> RowReport | list[str]:
    """Add the row's partnership to the plan: the notes about it, or why the row is skipped."""
    notes: list[str] = []
    proposed: list[_City] = []
    for side in (twinning.a, twinning.b):
        city, ambiguous, note = content.find(side)
        if ambiguous:
            return RowReport(twinning.row, ambiguous)
        if note:
            notes.append(note)
        if city is None:
            city = _new_city(side, content, {c.slug for c in proposed if c.new})
        proposed.append(city)
    city_a, city_b = proposed
    if city_a.slug == city_b.slug:
        return RowReport(twinning.row, f"the same city on both sides ({city_a.src})")
    pair = _pair(city_a.slug, city_b.slug)
    if pair in content.declared:
        return RowReport(twinning.row, f"already declared in {content.declared[pair]}", "duplicate")
    if pair in planned:
        return RowReport(twinning.row, f"the same partnership as row {planned[pair]}", "duplicate")
    declaring, other = city_a, city_b
    if not city_a.new and _why_not_editable(city_a, editable):
        if city_b.new or not _why_not_editable(city_b, editable):
            declaring, other = city_b, city_a
            notes.append(f"declared on {city_b.src}: {city_a.src} cannot be edited automatically"
                         f" ({editable[city_a.slug]})")
        else:
            return RowReport(twinning.row, f"cannot add the partnership to {city_a.src} automatically"
                             f" ({editable[city_a.slug]}); add it by hand")
    for city in proposed:
        if city.new and city.slug not in content.cities:
            content.add(city)
            if city.slug != entry_slug(city.name):
                notes.append(f"{city.src}: {entry_slug(city.name)}.md is another city, so this {city.name}"
                             f" is {city.slug}.md")
            if city.coordinates is None:
                notes.append(_no_coordinates(city))
    partnership = {"city": other.slug}
    if twinning.kind:
        partnership["kind"] = twinning.kind
    if twinning.since is not None:
        partnership["since"] = twinning.since
    if twinning.note:
        partnership["note"] = twinning.note
    if twinning.sources:
        partnership["sources"] = list(twinning.sources)
    declaring.partners.append(partnership)
    for city, partner in ((declaring, other), (other, declaring)):
        if city.new:
            city.mentions.append((partner.slug, partnership))
    planned[pair] = twinning.row
    return notes


def _new_city(side: Side, content: _Content, also_taken: set[str]) -> _City:
    slug = content.new_slug(side.name, side.country, also_taken)
    coordinates, origin = side.coordinates, "row"
    if coordinates is None:
        coordinates = _gazetteer_coordinates(side.name, side.country)
        origin = "gazetteer" if coordinates else ""
    return _City(slug, side.name, side.country, coordinates, origin, f"{content.label}/cities/{slug}.md",
                 content.content_dir / "cities" / f"{slug}.md", new=True)


def _no_coordinates(city: _City) -> str:
    found = _lookup(city.name, city.country)
    why = (f"the gazetteer has {len(found.candidates)} places called {city.name} in {city.country}"
           if found.candidates else f"the gazetteer has no {city.name} in {city.country}")
    return (f"{city.src} has no coordinates: {why}; add lat and lon to the row, or fill in the file,"
            " or `atlas check` will ask for them")


def _why_not_editable(city: _City, cache: dict) -> str | None:
    if city.slug not in cache:
        try:
            text = city.path.read_bytes().decode("utf-8")
            insert_partners(text, ["{city: x}"])
            cache[city.slug] = None
        except (OSError, UnicodeDecodeError) as exc:
            cache[city.slug] = f"cannot read it: {exc}"
        except ValueError as exc:
            cache[city.slug] = str(exc)
    return cache[city.slug]


# --- rendering ------------------------------------------------------------------------------

def _render_changes(content: _Content) -> list[FileChange]:
    changes = []
    for city in sorted(content.cities.values(), key=lambda c: c.src):
        if city.new:
            changes.append(FileChange(city.path, city.src, render_new_city(city, content), None,
                                      tuple(_describe(p) for p in city.partners)))
        elif city.partners:
            original = city.path.read_bytes()
            try:
                text = insert_partners(original.decode("utf-8"), [flow_partner(p) for p in city.partners])
            except ValueError as exc:  # the trial edit passed, so this is a bug; write nothing
                raise ImportFileError(f"{city.src}: cannot add partners: {exc}") from None
            changes.append(FileChange(city.path, city.src, text, original, tuple(_describe(p) for p in city.partners)))
    return changes


def _describe(partnership: dict) -> str:
    details = [str(partnership[k]) for k in ("kind", "since") if k in partnership]
    return partnership["city"] + (f" ({', '.join(details)})" if details else "")


def _partner_fields(partnership: dict, flow: bool) -> list[tuple[str, str]]:
    """The fields of a partners item as YAML text, in the order files show them."""
    fields = [("city", partnership["city"])]
    if "kind" in partnership:
        fields.append(("kind", partnership["kind"]))
    if "since" in partnership:
        fields.append(("since", yaml_since(partnership["since"])))
    if "note" in partnership:
        fields.append(("note", yaml_text(partnership["note"], flow=flow)))
    if "sources" in partnership:
        fields.append(("sources", f"[{', '.join(partnership['sources'])}]"))
    return fields


def flow_partner(partnership: dict) -> str:
    """A partners item on one line: {city: sapporo, kind: sister-city, since: 1959, sources: [x]}."""
    return "{" + ", ".join(f"{key}: {value}" for key, value in _partner_fields(partnership, flow=True)) + "}"


def render_new_city(city: _City, content: _Content) -> str:
    """A new city file: the facts the CSV gives, a summary and a sentence per partnership."""
    lines = ["---", f"name: {yaml_text(city.name)}", f"country: {city.country}"]
    if city.coordinates is None:
        found = _lookup(city.name, city.country)
        why = (f"{len(found.candidates)} places of this name in the gazetteer" if found.candidates
               else "not found in the gazetteer")
        lines.append(f"# coordinates: [lat, lon]  # {why}: fill in")
    else:
        comment = "  # GeoNames" if city.origin == "gazetteer" else ""
        lines.append(f"coordinates: {format_coordinates(*city.coordinates)}{comment}")
    if city.partners:
        lines.append("partners:")
        for partnership in city.partners:
            for index, (key, value) in enumerate(_partner_fields(partnership, flow=False)):
                lines.append(f"{'  - ' if index == 0 else '    '}{key}: {value}")
    cited = list(dict.fromkeys(s for _, p in city.mentions for s in p.get("sources", ())))
    if cited:
        lines.append(f"sources: [{', '.join(cited)}]")
    lines.append(f"summary: {yaml_text(f'City in {country_in_text(city.country)}.')}")
    lines.append("---")
    for other, partnership in city.mentions:
        since = f" since {partnership['since']}" if "since" in partnership else ""
        cite = f" [@{'; @'.join(partnership['sources'])}]" if partnership.get("sources") else ""
        lines.append(f"{_KIND_PHRASE[partnership.get('kind')]} {content.link(other)}{since}{cite}.")
    return "\n".join(lines) + "\n"


# --- editing front matter line by line -----------------------------------------------------

_PARTNERS_KEY = re.compile(r"partners[ \t]*:(?=[ \t\r\n]|$)")
_NULLS = ("", "~", "null", "Null", "NULL")


def insert_partners(text: str, items: list[str]) -> str:
    """`text` with `items` (one-line YAML mappings) added to its front matter's partners list.

    Only lines are added, except a one-line `partners: [a, b]`, which becomes a
    block list with the same items written as they were. Every other byte stays.
    Raises ValueError with the reason when the front matter cannot be edited safely.
    """
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].lstrip("\ufeff").rstrip("\r\n").rstrip() != "---":
        raise ValueError("the file does not start with front matter")
    newline = _newline(lines[0])
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip("\r\n").rstrip() in ("---", "...")), None)
    if end is None:
        raise ValueError("its front matter is not closed")
    front = lines[1:end]
    keys = [i for i, line in enumerate(front) if _PARTNERS_KEY.match(line)]
    added = [f"- {item}{newline}" for item in items]
    if len(keys) > 1:
        raise ValueError("partners is given twice")
    if not keys:
        new_front = front + [f"partners:{newline}"] + ["  " + line for line in added]
    else:
        k = keys[0]
        line = front[k].rstrip("\r\n")
        rest = line[_PARTNERS_KEY.match(line).end():]
        value = rest.strip()
        if not value or value.startswith("#"):
            new_front = _insert_into_block(front, k, added)
        elif value.startswith("["):
            existing, comment = _flow_items(line)
            key_line = f"partners:{'  ' + comment if comment else ''}{newline}"
            new_front = front[:k] + [key_line] + [f"  - {t}{newline}" for t in existing] + [
                "  " + a for a in added] + front[k + 1:]
        elif value.split(" #")[0].strip() in _NULLS:
            comment = value[value.index("#"):] if "#" in value else ""
            key_line = f"partners:{'  ' + comment if comment else ''}{newline}"
            new_front = front[:k] + [key_line] + ["  " + a for a in added] + front[k + 1:]
        else:
            raise ValueError("its partners value is not a list")
    _verify(front, new_front, items)
    return "".join(lines[:1] + new_front + lines[end:])


def _newline(line: str) -> str:
    if line.endswith("\r\n"):
        return "\r\n"
    return "\r" if line.endswith("\r") else "\n"


def _insert_into_block(front: list[str], k: int, added: list[str]) -> list[str]:
    last, indent = k, None
    for j in range(k + 1, len(front)):
        content = front[j].rstrip("\r\n")
        stripped = content.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if content[0] not in " \t-":
            break
        last = j
        match = re.match(r"([ \t]*)-(?:[ \t]|$)", content)
        if match and indent is None:
            indent = match.group(1)
    if last > k and indent is None:
        raise ValueError("its partners value is not a list")
    indent = "  " if indent is None else indent
    return front[: last + 1] + [indent + line for line in added] + front[last + 1:]


def _flow_items(line: str) -> tuple[list[str], str]:
    """The items of a one-line `partners: [a, {city: b}]` as written, and a trailing comment."""
    try:
        node = yaml.compose(line, Loader=yaml.SafeLoader)  # the pure-Python loader: marks count characters
    except yaml.YAMLError:
        raise ValueError("its partners list spans several lines") from None
    if not isinstance(node, yaml.MappingNode) or not node.value:
        raise ValueError("its partners value is not a list")
    sequence = node.value[0][1]
    if not isinstance(sequence, yaml.SequenceNode):
        raise ValueError("its partners value is not a list")
    items = [line[child.start_mark.index:child.end_mark.index] for child in sequence.value]
    trailing = line[sequence.end_mark.index:].strip()
    if trailing and not trailing.startswith("#"):
        raise ValueError("its partners line has text after the list")
    return items, trailing


def _verify(front: list[str], new_front: list[str], items: list[str]) -> None:
    """The edited front matter must mean the old one plus the new partners, nothing else."""
    try:
        old = load_yaml("".join(front)).data or {}
        new = load_yaml("".join(new_front)).data
        wanted = [load_yaml(f"- {item}\n").data[0] for item in items]
    except YamlError as exc:
        raise ValueError(f"its front matter does not read as YAML ({exc})") from None
    if not isinstance(old, dict) or not isinstance(new, dict):
        raise ValueError("its front matter is not a set of `key: value` lines")
    old_partners = old.get("partners") or []
    if not isinstance(old_partners, list):
        raise ValueError("its partners value is not a list")
    if (new.get("partners") != old_partners + wanted
            or {k: v for k, v in new.items() if k != "partners"} != {k: v for k, v in old.items() if k != "partners"}):
        raise ValueError("its front matter is laid out in a way the importer cannot edit safely")


# --- writing --------------------------------------------------------------------------------

def apply_import(plan: ImportPlan) -> None:
    """Write the plan: new files are created, updated files replaced whole; nothing if any file moved on."""
    for change in plan.changes:
        if change.created and (change.path.exists() or change.path.is_symlink()):
            raise ImportFileError(f"{change.src} was created since the import was planned; nothing was written")
        if not change.created and change.path.read_bytes() != change.original:
            raise ImportFileError(f"{change.src} changed since the import was planned; nothing was written")
    for change in plan.changes:
        data = change.text.encode("utf-8")
        if change.created:
            change.path.parent.mkdir(parents=True, exist_ok=True)
            with open(change.path, "xb") as handle:
                handle.write(data)
            continue
        tmp = change.path.with_name(f".{change.path.name}.import-tmp")
        tmp.write_bytes(data)
        shutil.copymode(change.path, tmp)
        tmp.replace(change.path)

