"""A row as a Twinning: its cities, countries, coordinates, Q-ids, kind, dates and sources checked.

Shared by plan.py (the import) and reconcile.py. Takes a Record (registers.py),
whatever format it came from, and content/'s source ids (cities.py); a row with
problems gives them all, one per slip, and no Twinning.
"""

from __future__ import annotations

import difflib
import re

from atlas.editing.importer.cities import SAME_PLACE_KM, Content, km, lookup_place
from atlas.editing.importer.registers import Record
from atlas.editing.importer.table import Side, Twinning, parse_coordinates, parse_kind, parse_since
from atlas.editing.scaffold import clean_text, entry_slug, resolve_country
from atlas.graph import gazetteer


def parse_row(record: Record, content: Content, default_kind: str | None,
              interpreted: dict) -> tuple[Twinning | None, list[str], list[str]]:
    """(the row's Twinning or None, its problems, notes about how it was read)."""
    number = record.number
    row = {name: clean_text(value) for name, value in record.cells.items()}
    problems: list[str] = list(record.problems)
    notes: list[str] = []
    labels = record.labels or {}
    sides = []
    for side in ("a", "b"):
        name, column = row.get(f"city_{side}", ""), labels.get(f"city_{side}", f"city_{side}")
        if not name:
            if f"city_{side}" not in record.explained:
                problems.append(f"{column} is empty")
        elif not entry_slug(name):
            problems.append(f"{column} '{name}' has no letters a-z to make a file name from;"
                            " write the name in Latin letters")
        country = _row_country(row.get(f"country_{side}", ""), name,
                               labels.get(f"country_{side}", f"country_{side}"), problems, notes, number, interpreted)
        try:
            coordinates = parse_coordinates(row, side)
        except ValueError as exc:
            problems.append(str(exc))
            coordinates = None
        sides.append(Side(name, country or "", coordinates, row.get(f"wikidata_{side}") or None))
    kind = _parse_cell(row.get("kind"), parse_kind, default_kind, problems)
    since = _parse_cell(row.get("year"), parse_since, None, problems)
    until = _parse_cell(row.get("until"), parse_since, None, problems)
    if since is not None and until is not None and ends_before(str(until), str(since)):
        problems.append(f"the tie ends ({until}) before it begins ({since})")
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
    return Twinning(number, a, b, kind, since, tuple(sources), row.get("note") or None, until), [], notes


def ends_before(until: str, since: str) -> bool:
    """ "1959" is not before "1959-05": dates compare to the precision both have."""
    size = min(len(until), len(since))
    return until[:size] < since[:size]


def _parse_cell(text: str | None, parse, default, problems: list[str]):
    """parse(text), or `default` for an empty cell or one that does not parse (its problem is added)."""
    if not text:
        return default
    try:
        return parse(text)
    except ValueError as exc:
        problems.append(str(exc))
        return default


def _same_city(a: Side, b: Side) -> bool:
    """The same Q-id; or the same country, and the same name or gazetteer place (Köln, Cologne), not far apart."""
    if a.wikidata and b.wikidata:
        return a.wikidata == b.wikidata
    if a.country != b.country or (a.coordinates and b.coordinates
                                  and km(a.coordinates, b.coordinates) > SAME_PLACE_KM):
        return False
    if gazetteer.normalise_name(a.name) == gazetteer.normalise_name(b.name):
        return True
    place_a, place_b = lookup_place(a.name, a.country).place, lookup_place(b.name, b.country).place
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
                if lookup_place(city, code).place or lookup_place(city, code).candidates]
        if len(here) == 1:
            notes.append(f"{column} '{text}' taken as {here[0]}, where the gazetteer has {city}")
            return here[0]
    problems.append(f"{column}: {found.reason}")
    return None
