"""Reading a table or a register: the rows of a file as the table's cells, whatever its format.

The first step of plan_import (plan.py) and of reconcile (reconcile.py). It
tells the formats apart by the file's extension and header:

- a Wikidata Query Service result for P190, as CSV, TSV (`?item` headers,
  `<http://www.wikidata.org/entity/Q64>` cells, `"…"^^<…>` literals) or SPARQL
  JSON (`head.vars`, `results.bindings`), with the variables
  `item itemLabel twin twinLabel itemCountryLabel twinCountryLabel itemCoord
  twinCoord start end startPrecision endPrecision` in any order (others are
  ignored; `itemCountryCode`/`twinCountryCode` give ISO codes instead);
- any other CSV, the editors' own tables and the Twin Cities map dataset
  (`city1,country1,lat1,lng1,city2,…`), read by table.py.

A register's row becomes the table's cells: city_a/b, country_a/b, lat/lon_a/b,
year (from start) and until (from end), with its Q-ids in wikidata_a/b, and the
times written as the atlas writes dates (`1960`, `"1960-10"`, `"1960-10-03"`).
Knows nothing of content/.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from atlas.editing.importer.report import ImportFileError, RowReport
from atlas.editing.importer.table import read_csv_text, read_text, split_csv

ENTITY = re.compile(r"(?:https?://www\.wikidata\.org/(?:entity|wiki)/)?(Q[1-9][0-9]*)")
POINT = re.compile(r"\s*Point\(\s*(\S+)\s+(\S+)\s*\)\s*", re.IGNORECASE)
TIME = re.compile(r"\+?(\d{1,4})-(\d{2})-(\d{2})(?:T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?)?")
PRECISIONS = {9: "year", 10: "month", 11: "day"}
# variable -> (what it gives, side)
VARIABLES = {"item": ("wikidata", "a"), "itemlabel": ("city", "a"), "itemcountrylabel": ("country", "a"),
             "itemcountrycode": ("code", "a"), "itemcoord": ("coord", "a"),
             "twin": ("wikidata", "b"), "twinlabel": ("city", "b"), "twincountrylabel": ("country", "b"),
             "twincountrycode": ("code", "b"), "twincoord": ("coord", "b"),
             "start": ("start", ""), "startprecision": ("startPrecision", ""),
             "end": ("end", ""), "endprecision": ("endPrecision", "")}
WIKIDATA_FORMATS = ("wikidata-csv", "wikidata-tsv", "wikidata-json")


@dataclass(frozen=True)
class Record:
    """One data row: its number, its cells as the table's fields, and what could not be read of it."""

    number: int
    cells: dict[str, str]
    problems: tuple[str, ...] = ()
    explained: frozenset[str] = frozenset()  # empty cells whose reason is among the problems already
    labels: dict[str, str] | None = None  # field -> the register's name for it, for messages: city_b -> twinLabel


@dataclass(frozen=True)
class Rows:
    format: str  # "table" or one of WIKIDATA_FORMATS
    records: tuple[Record, ...]
    notes: tuple[RowReport, ...]  # about the header


def read_rows(path: Path, src: str) -> Rows:
    """Every data row of the file, in the table's terms; ImportFileError when the file cannot be read."""
    path = Path(path)
    text = read_text(path, src)
    stripped = text.lstrip()
    if path.suffix.lower() == ".json" or stripped.startswith("{"):
        return _read_json(text, src)
    if not stripped:
        return _read_table(text, src)
    first = stripped.splitlines()[0]
    if path.suffix.lower() == ".tsv" or first.startswith("?"):
        # The query service's TSV quotes nothing: a literal keeps its quotes, and a tab or
        # line break inside one is written \t, \n; so a line is a row, split at its tabs.
        records = [(n, line.split("\t")) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
        header = [cell.strip().lstrip("?") for cell in records[0][1]]
        if _is_wikidata(header):
            rows = [(n, [_tsv_value(cell) for cell in cells]) for n, cells in records[1:]]
            return _read_wikidata("wikidata-tsv", header, records[0][0], rows, src)
        return _read_table(text, src)
    records = split_csv(text, src)
    header = [cell.strip() for cell in records[0][1]]
    if _is_wikidata(header):
        return _read_wikidata("wikidata-csv", header, records[0][0], records[1:], src)
    return _read_table(text, src)


def _is_wikidata(header: list[str]) -> bool:
    names = {name.lower() for name in header}
    return bool(names & {"item", "itemlabel"}) and bool(names & {"twin", "twinlabel"})


def _read_table(text: str, src: str) -> Rows:
    columns, width, records, notes = read_csv_text(text, src)
    rows = []
    for number, cells in records:
        row = {name: cells[index] if index < len(cells) else "" for name, index in columns.items()}
        extra = () if not any(c.strip() for c in cells[width:]) else (
            f"the row has {len(cells)} cells but the header has {width} columns",)
        rows.append(Record(number, row, extra))
    return Rows("table", tuple(rows), tuple(notes))


def _read_json(text: str, src: str) -> Rows:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFileError(f"{src}: line {exc.lineno}: not readable as JSON: {exc.msg}") from None
    head = data.get("head") if isinstance(data, dict) else None
    results = data.get("results") if isinstance(data, dict) else None
    variables = head.get("vars") if isinstance(head, dict) else None
    bindings = results.get("bindings") if isinstance(results, dict) else None
    if not isinstance(variables, list) or not isinstance(bindings, list) or not all(
            isinstance(v, str) for v in variables):
        raise ImportFileError(f"{src}: not a SPARQL JSON result: it needs head.vars and results.bindings"
                              " (download the query service's result as JSON)")
    rows = []
    for number, binding in enumerate(bindings, start=2):  # numbered as the same result's CSV: the header is row 1
        if not isinstance(binding, dict):
            rows.append((number, [""] * len(variables)))
            continue
        rows.append((number, [_json_value(binding.get(name)) for name in variables]))
    return _read_wikidata("wikidata-json", variables, 1, rows, src)


def _json_value(term: object) -> str:
    if not isinstance(term, dict) or term.get("type") == "bnode":  # a blank node: "unknown value"
        return ""
    value = term.get("value")
    return value if isinstance(value, str) else ""


def _tsv_value(cell: str) -> str:
    """`<http://…/Q64>` -> the URL, `"Berlin"@en` and `"1960…"^^<…>` -> the text, `_:b1` (unknown) -> ""."""
    cell = cell.strip()
    if cell.startswith("<") and cell.endswith(">"):
        return cell[1:-1]
    if cell.startswith("_:"):
        return ""
    match = re.fullmatch(r'"((?:[^"\\]|\\.)*)"(?:@[A-Za-z0-9-]+|\^\^<[^>]*>)?', cell, re.DOTALL)
    if match:
        escapes = {"t": "\t", "n": "\n", "r": "\r", '"': '"', "\\": "\\", "'": "'"}
        return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(1)), match.group(1))
    return cell


def _read_wikidata(fmt: str, header: list[str], header_row: int, rows: list[tuple[int, list[str]]],
                   src: str) -> Rows:
    columns: dict[str, int] = {}
    notes = []
    for index, name in enumerate(header):
        key = name.strip().lstrip("?").lower()
        if key in VARIABLES and key not in columns:
            columns[key] = index
        elif name.strip():
            notes.append(RowReport(header_row, f"variable '{name.strip()}' is not used", "warning", src))
    missing = [name for name in ("itemLabel", "twinLabel") if name.lower() not in columns]
    no_country = [side for side in ("item", "twin") if f"{side}countrylabel" not in columns
                  and f"{side}countrycode" not in columns]
    if missing or no_country:
        needs = missing + [f"{side}CountryLabel" for side in no_country]
        raise ImportFileError(f"{src}: the result has no variable {', '.join(needs)} (it needs item, itemLabel,"
                              " twin, twinLabel, itemCountryLabel, twinCountryLabel; see the query in"
                              " docs/commands.md)")
    labels = {}
    for side, var in (("a", "item"), ("b", "twin")):
        labels[f"city_{side}"] = f"{var}Label"
        labels[f"country_{side}"] = f"{var}CountryLabel" if f"{var}countrylabel" in columns else f"{var}CountryCode"
    records = []
    for number, cells in rows:
        values = {key: (cells[index].strip() if index < len(cells) else "") for key, index in columns.items()}
        records.append(_wikidata_record(number, values, labels))
    return Rows(fmt, tuple(records), tuple(notes))


def _wikidata_record(number: int, values: dict[str, str], labels: dict[str, str]) -> Record:
    cells: dict[str, str] = {}
    problems: list[str] = []
    explained: set[str] = set()
    for side, var in (("a", "item"), ("b", "twin")):
        qid = values.get(var, "")
        if qid:
            match = ENTITY.fullmatch(qid)
            if match:
                cells[f"wikidata_{side}"] = match.group(1)
            else:
                problems.append(f"{var} '{qid}' is not a Wikidata item (Q…)")
        label = values.get(f"{var}label", "")
        if label and ENTITY.fullmatch(label):  # the label service gives the id when there is no label
            problems.append(f"{var}Label is empty ({label} has no label in the query's language)")
            explained.add(f"city_{side}")
            label = ""
        cells[f"city_{side}"] = label
        cells[f"country_{side}"] = values.get(f"{var}countrylabel") or values.get(f"{var}countrycode", "")
        coord = values.get(f"{var}coord", "")
        if coord:
            point = POINT.fullmatch(coord)
            if point:
                cells[f"lon_{side}"], cells[f"lat_{side}"] = point.groups()
            else:
                problems.append(f"{var}Coord '{coord}' is not a point: Point(lon lat)")
    for var, field in (("start", "year"), ("end", "until")):
        try:
            cells[field] = wikidata_date(values.get(var, ""), values.get(f"{var}precision", ""), var)
        except ValueError as exc:
            problems.append(str(exc))
    return Record(number, cells, tuple(problems), frozenset(explained), labels)


def wikidata_date(value: str, precision: str, what: str = "start") -> str:
    """A Wikidata time as the atlas writes dates; "" when there is none. ValueError when it cannot be one.

    >>> wikidata_date("1960-01-01T00:00:00Z", "9"), wikidata_date("1960-10-03T00:00:00Z", "11")
    ('1960', '1960-10-03')

    Without a precision, a 1 January at midnight is a year alone, as Wikidata
    stores a year; any other day is that day.
    """
    value = value.strip()
    if not value or ".well-known/genid" in value:  # no value, or "unknown value"
        return ""
    match = TIME.fullmatch(value)
    if not match:
        if re.fullmatch(r"\d{4}(?:-\d{2}){0,2}", value):  # already the atlas's form
            return value
        raise ValueError(f"{what} '{value}' is not a date such as 1960-10-03T00:00:00Z")
    year, month, day = match.groups()
    precision = precision.strip()
    if precision:
        try:
            level = int(float(precision))
        except ValueError:
            raise ValueError(f"{what}Precision '{precision}' is not a number (9 year, 10 month, 11 day)") from None
        if level < 9:
            raise ValueError(f"{what} {value} is known only to the decade or less (precision {level});"
                             " the atlas needs at least a year")
    else:
        level = 9 if re.fullmatch(r"\+?\d{1,4}-01-01(?:T00:00:00Z?)?", value) else 11
    year = year.zfill(4)
    return {9: year, 10: f"{year}-{month}"}.get(min(level, 11), f"{year}-{month}-{day}")
