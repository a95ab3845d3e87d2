"""Reading the CSV: the header in any of its usual spellings, and the cells of a row as values.

The first step of plan_import (plan.py). Knows CSV and its delimiters, the
columns' many names, and kinds and years as people write them; nothing of
content/. A file it cannot read raises ImportFileError; a bad cell raises
ValueError, which plan.py reports against its row.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from atlas.content.schema import PARTNERSHIP_KINDS
from atlas.editing.importer.report import ImportFileError, RowReport
from atlas.graph import gazetteer

FIELDS = ("city_a", "country_a", "city_b", "country_b", "lat_a", "lon_a", "lat_b", "lon_b",
          "kind", "year", "until", "source", "note")
REQUIRED = FIELDS[:4]
MAX_TABLE_BYTES = 64 * 1024 * 1024  # a whole country's Wikidata result as JSON fits easily


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
    for name in ("until", "end", "ended", "end_year", "end_date", "until_year"):
        table[name] = "until"
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


@dataclass(frozen=True)
class Side:
    name: str
    country: str
    coordinates: tuple[float, float] | None  # as the row gives them
    wikidata: str | None = None  # "Q64", when a register gives it


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
    until: int | str | None = None  # a register's end time: the tie ended then


def normalise_header(text: str) -> str:
    """ "City A" -> "city_a", "Country (B)" -> "country_b"."""
    return re.sub(r"[^a-z0-9]+", "_", gazetteer.normalise_name(text)).strip("_")


def read_text(path: Path, csv_src: str) -> str:
    """The file's text (UTF-8, with or without a byte-order mark); ImportFileError when it cannot be read."""
    try:
        size = path.stat().st_size
        if size > MAX_TABLE_BYTES:
            raise ImportFileError(f"{csv_src}: file is too large ({size:,} bytes; the limit is {MAX_TABLE_BYTES:,})")
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(f"{csv_src}: cannot read the file: {exc.strerror}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = data[: exc.start].count(b"\n") + 1
        raise ImportFileError(f"{csv_src}: line {row} is not UTF-8 text; save the file as \"CSV UTF-8\"") from None


def read_csv(path: Path, csv_src: str) -> tuple[dict[str, int], int, list[tuple[int, list[str]]], list[RowReport]]:
    """The columns (field -> index), the header's width, the data rows with their numbers, notes on the header."""
    return read_csv_text(read_text(path, csv_src), csv_src)


def split_csv(text: str, csv_src: str, delimiter: str | None = None) -> list[tuple[int, list[str]]]:
    """The non-empty rows with their numbers (the first row is 1); the delimiter is guessed from the first line."""
    if delimiter is None:
        first = next((line for line in text.splitlines() if line.strip()), "")
        delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = list(enumerate(reader, start=1))
    except csv.Error as exc:
        raise ImportFileError(f"{csv_src}: row {reader.line_num}: not readable as CSV: {exc}") from None
    return [(n, cells) for n, cells in records if any(c.strip() for c in cells)]


def read_csv_text(text: str, csv_src: str
                  ) -> tuple[dict[str, int], int, list[tuple[int, list[str]]], list[RowReport]]:
    """read_csv for text already read."""
    records = split_csv(text, csv_src)
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


def parse_coordinates(cells: dict[str, str], side: str) -> tuple[float, float] | None:
    lat, lon = cells.get(f"lat_{side}", "").strip(), cells.get(f"lon_{side}", "").strip()
    if not lat and not lon:
        return None
    if not lat or not lon:
        raise ValueError(f"lat_{side} and lon_{side} go together: give both or neither")
    return (_parse_number(lat, f"lat_{side}", 90), _parse_number(lon, f"lon_{side}", 180))
