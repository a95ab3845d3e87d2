"""Matching and planning: every row of the table or register as a change to a city file, before anything is written.

plan_import reads the file (registers.py: a table, or a Wikidata result) and
content/ (cities.py), reads each row (rows.py), matches its cities (by Q-id,
then by name, country and distance), skips rows with problems or partnerships
already declared (saying how the register's dates compare with the file's, which
stay as the editor wrote them), and returns the ImportPlan (report.py) with the
text of every file to create or update (cityfile.py). Writes nothing.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from atlas.content.schema import PARTNERSHIP_KINDS
from atlas.editing.importer.cities import (City, Content, Tie, city_pair, compare_tie, gazetteer_coordinates,
                                            lookup_place)
from atlas.editing.importer.cityfile import add_to_item, add_wikidata, flow_partner, insert_partners, render_new_city
from atlas.editing.importer.registers import read_rows
from atlas.editing.importer.report import FileChange, ImportFileError, ImportPlan, RowReport
from atlas.editing.importer.rows import ends_before, parse_row
from atlas.editing.importer.table import Side, Twinning
from atlas.editing.scaffold import entry_slug, yaml_since


def plan_import(csv_path: Path, content_dir: Path, *, default_kind: str | None = None,
                csv_label: str | None = None, label: str | None = None,
                only_rows: Collection[int] | None = None) -> ImportPlan:
    """Read the table or register and content/, and work out every change; writes nothing.

    `only_rows`: import just these rows (reconcile --apply: the ones an editor marked).
    """
    csv_path, content_dir = Path(csv_path), Path(content_dir)
    csv_src = csv_label or csv_path.as_posix()
    label = (label or content_dir.as_posix()).rstrip("/") or "."
    if not content_dir.is_dir():
        raise ImportFileError(f"content folder not found: {label}")
    if default_kind is not None and default_kind not in PARTNERSHIP_KINDS:
        raise ImportFileError(f"--kind: use one of {', '.join(PARTNERSHIP_KINDS)}")
    rows = read_rows(csv_path, csv_src)
    warnings = list(rows.notes)
    content = Content(content_dir, label)
    skipped: list[RowReport] = []
    interpreted: dict[str, tuple[str, list[int]]] = {}
    planned: dict[tuple[str, str], int] = {}  # pair -> row
    editable: dict[str, str | None] = {}  # slug -> why its file cannot be edited
    count = merged = 0
    ids: list[tuple[str, str]] = []  # (message, severity) about the Q-ids a row adds to existing cities
    for record in rows.records:
        if only_rows is not None and record.number not in only_rows:
            continue
        number = record.number
        twinning, problems, notes = parse_row(record, content, default_kind, interpreted)
        if twinning is None:
            skipped.append(RowReport(number, "; ".join(problems), "skipped", csv_src))
            continue
        warnings.extend(RowReport(number, note, "warning", csv_src) for note in notes)
        result = _plan_row(twinning, content, planned, editable, ids)
        warnings.extend(RowReport(number, message, severity, csv_src) for message, severity in ids)
        ids.clear()
        if isinstance(result, RowReport) and result.severity == "merged":
            merged += 1
            warnings.append(RowReport(number, result.message, result.severity, csv_src))
            continue
        if isinstance(result, RowReport):
            skipped.append(RowReport(number, result.message, result.severity, csv_src))
            continue
        count += 1
        warnings.extend(RowReport(number, note, "warning", csv_src) for note in result)
    for written, (note, rows) in interpreted.items():
        shown = ", ".join(str(r) for r in rows[:8]) + (", …" if len(rows) > 8 else "")
        warnings.append(RowReport(0, f"{note} (row{'s' if len(rows) > 1 else ''} {shown})", "warning", csv_src))
    changes = _render_changes(content)
    ids_added = sum(1 for c in changes if c.wikidata)
    return ImportPlan(csv_src, tuple(changes), count, tuple(sorted(skipped)), tuple(sorted(warnings)), merged,
                      ids_added)


def _plan_row(twinning: Twinning, content: Content, planned: dict, editable: dict,
              ids: list[tuple[str, str]]) -> RowReport | list[str]:
    """Add the row's partnership to the plan: the notes about it, or why the row is skipped.

    A city matched by name that has no Q-id gets the row's (reported in `ids`),
    whether or not the partnership is new.
    """
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
    for side, city in zip((twinning.a, twinning.b), proposed):
        if not city.new and side.wikidata and city.wikidata is None:
            ids.append(_keep_id(city, side.wikidata, twinning.row, content))
    pair = city_pair(city_a.slug, city_b.slug)
    if pair in planned:
        return RowReport(twinning.row, f"the same partnership as row {planned[pair]}", "duplicate")
    if pair in content.ties:
        return _merge(twinning, content.ties[pair], content, planned)
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
    if twinning.until is not None:
        partnership["until"] = twinning.until
        partnership["status"] = "ended"
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


def _merge(twinning: Twinning, tie: Tie, content: Content, planned: dict) -> RowReport:
    """A tie the atlas has: the register's dates it lacks are added; the ones it has stay as written."""
    item, fields, clashes = tie.item, [], []
    if twinning.since is not None and item.get("since") is None:
        if _ends_before(item.get("until"), twinning.since):
            clashes.append(f"since {twinning.since} in the register is after until {item['until']}")
        else:
            fields.append(("since", yaml_since(twinning.since)))
    if twinning.until is not None and item.get("until") is None and item.get("status") is None:
        if _ends_before(twinning.until, item.get("since")):
            clashes.append(f"until {twinning.until} in the register is before since {item['since']}")
        else:
            fields += [("until", yaml_since(twinning.until)), ("status", "ended")]
    added = {key for key, _ in fields}
    kept = "".join(f"; {field} {ours} in {tie.src}:{tie.line}, {theirs} in the register (the file's is kept)"
                   for field, ours, theirs in compare_tie(item, twinning) if field not in added)
    kept += "".join(f"; {clash} in {tie.src}:{tie.line}, so it is not added" for clash in clashes)
    if not fields:
        return RowReport(twinning.row, f"already declared in {tie.src}{kept}", "duplicate")
    what = ", ".join(f"{key} {value.strip(chr(34))}" for key, value in fields)
    city = content.cities[tie.declaring]
    try:
        add_to_item(city.path.read_bytes().decode("utf-8"), tie.line, tie.index, fields)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return RowReport(twinning.row, f"already declared in {tie.src}; {what} not added ({exc}): add by hand{kept}",
                         "duplicate")
    city.merges.append((tie, fields))
    planned[city_pair(tie.declaring, tie.other)] = twinning.row
    return RowReport(twinning.row, f"added to {tie.src}:{tie.line} ({tie.declaring} – {tie.other}): {what}{kept}",
                     "merged")


def _keep_id(city: City, qid: str, row: int, content: Content) -> tuple[str, str]:
    """Plan the register's Q-id into an existing city file that has none: (what is reported, its severity)."""
    try:
        _, line = add_wikidata(city.path.read_bytes().decode("utf-8"), qid)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return f"wikidata {qid} not added to {city.src} ({exc}): add it by hand if it is this city", "warning"
    city.wikidata, city.wikidata_row, city.line = qid, row, line
    content.by_qid.setdefault(qid, city)
    return f"wikidata {qid} added to {city.src}:{line} ({city.name}, {city.country})", "merged"


def _ends_before(until: object, since: object) -> bool:
    """The end is before a start (either may be a list of dates, or None): the pair would fail `atlas check`."""
    ends = until if isinstance(until, list) else [until]
    starts = since if isinstance(since, list) else [since]
    return any(ends_before(str(end), str(start)) for end in ends for start in starts
               if end is not None and start is not None)


def _new_city(side: Side, content: Content, also_taken: set[str]) -> City:
    slug = content.new_slug(side.name, side.country, also_taken)
    coordinates, origin = side.coordinates, "row"
    if coordinates is None:
        coordinates = gazetteer_coordinates(side.name, side.country)
        origin = "gazetteer" if coordinates else ""
    return City(slug, side.name, side.country, coordinates, origin, f"{content.label}/cities/{slug}.md",
                content.content_dir / "cities" / f"{slug}.md", new=True, wikidata=side.wikidata)


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
        elif city.partners or city.merges or city.wikidata_row:
            original = city.path.read_bytes()
            text = original.decode("utf-8")
            try:
                added_at = None
                if city.wikidata_row:
                    text, added_at = add_wikidata(text, city.wikidata)
                for tie, fields in sorted(city.merges, key=lambda merge: -merge[0].line):  # lines below stay put
                    moved = added_at is not None and tie.line >= added_at
                    text = add_to_item(text, tie.line + (1 if moved else 0), tie.index, fields)
                if city.partners:
                    text = insert_partners(text, [flow_partner(p) for p in city.partners])
            except ValueError as exc:  # the trial edits passed, so this is a bug; write nothing
                raise ImportFileError(f"{city.src}: cannot add partners: {exc}") from None
            merged = tuple(f"{tie.other}: " + ", ".join(f"{k} {v.strip(chr(34))}" for k, v in fields) + " added"
                           for tie, fields in sorted(city.merges, key=lambda merge: merge[0].line))
            changes.append(FileChange(city.path, city.src, text, original, tuple(_describe(p) for p in city.partners),
                                      merged, city.wikidata if city.wikidata_row else None))
    return changes


def _describe(partnership: dict) -> str:
    details = [str(partnership[k]) for k in ("kind", "since") if k in partnership]
    if "until" in partnership:
        details.append(f"until {partnership['until']}")
    return partnership["city"] + (f" ({', '.join(details)})" if details else "")
