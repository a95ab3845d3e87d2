"""Matching and planning: every row of the CSV as a change to a city file, before anything is written.

plan_import reads the CSV (table.py) and content/ (cities.py), matches each
row's cities, skips rows with problems or partnerships already declared, and
returns the ImportPlan (report.py) with the text of every file to create or
update (cityfile.py). Writes nothing.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from atlas.content.schema import PARTNERSHIP_KINDS
from atlas.editing.importer.cities import (SAME_PLACE_KM, City, Content, city_pair, gazetteer_coordinates, km,
                                            lookup_place)
from atlas.editing.importer.cityfile import flow_partner, insert_partners, render_new_city
from atlas.editing.importer.report import FileChange, ImportFileError, ImportPlan, RowReport
from atlas.editing.importer.table import Side, Twinning, parse_coordinates, parse_kind, parse_since, read_csv
from atlas.editing.scaffold import clean_text, entry_slug, resolve_country
from atlas.graph import gazetteer


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
    content = Content(content_dir, label)
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


def _parse_row(number: int, row: dict[str, str], cells: list[str], width: int, content: Content,
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
            coordinates = parse_coordinates(row, side)
        except ValueError as exc:
            problems.append(str(exc))
            coordinates = None
        sides.append(Side(name, country or "", coordinates))
    kind = _parse_cell(row.get("kind"), parse_kind, default_kind, problems)
    since = _parse_cell(row.get("year"), parse_since, None, problems)
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
    """Same country, and the same name or the same gazetteer place (Köln, Cologne), and not far apart."""
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


def _plan_row(twinning: Twinning, content: Content, planned: dict, editable: dict) -> RowReport | list[str]:
    """Add the row's partnership to the plan: the notes about it, or why the row is skipped."""
    notes: list[str] = []
    proposed: list[City] = []
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
    pair = city_pair(city_a.slug, city_b.slug)
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


def _new_city(side: Side, content: Content, also_taken: set[str]) -> City:
    slug = content.new_slug(side.name, side.country, also_taken)
    coordinates, origin = side.coordinates, "row"
    if coordinates is None:
        coordinates = gazetteer_coordinates(side.name, side.country)
        origin = "gazetteer" if coordinates else ""
    return City(slug, side.name, side.country, coordinates, origin, f"{content.label}/cities/{slug}.md",
                 content.content_dir / "cities" / f"{slug}.md", new=True)


def _no_coordinates(city: City) -> str:
    found = lookup_place(city.name, city.country)
    why = (f"the gazetteer has {len(found.candidates)} places called {city.name} in {city.country}"
           if found.candidates else f"the gazetteer has no {city.name} in {city.country}")
    return (f"{city.src} has no coordinates: {why}; add lat and lon to the row, or fill in the file,"
            " or `atlas check` will ask for them")


def _why_not_editable(city: City, cache: dict) -> str | None:
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


def _render_changes(content: Content) -> list[FileChange]:
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
