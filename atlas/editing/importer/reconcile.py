"""Where the atlas and a register disagree: `atlas reconcile twinnings FILE`.

Reads the register as the import does (registers.py, rows.py) and content/
(cities.py), matches each row's cities the same way (Q-id first, then name,
country and distance) and lists, each with the atlas file and line and the
register row: ties only in the atlas (of the cities the register lists as its
items, city_a), ties only in the register, ties in both whose dates or status
differ, and cities matched by name whose Q-id or coordinates disagree. The CSV
form has an `import` column for the editor to mark; marked_rows reads it back
for `--apply`, which imports those rows through plan_import. Writes nothing.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from atlas.content.cells import spreadsheet_safe
from atlas.editing.importer.cities import SAME_PLACE_KM, City, Content, city_pair, compare_tie, km
from atlas.editing.importer.registers import read_rows
from atlas.editing.importer.report import ImportFileError, RowReport
from atlas.editing.importer.rows import parse_row
from atlas.editing.importer.table import Side, Twinning, read_text, split_csv

LABELS = {"only-in-atlas": "only in the atlas", "only-in-register": "only in the register",
          "dates-differ": "dates differ", "status-differs": "status differs",
          "wikidata-differs": "Wikidata ids differ", "coordinates-differ": "coordinates differ"}
CSV_COLUMNS = ("difference", "atlas_file", "atlas_line", "register_row", "city_a", "city_b", "atlas", "register",
               "import")
MARKS = {"yes", "y", "x", "1", "true", "import", "\u2713", "\u2714"}


@dataclass(frozen=True)
class Difference:
    """One disagreement, with where it is in the atlas (file, line) and in the register (row)."""

    atlas_file: str  # "" when the atlas has nothing to point at
    atlas_line: int
    register_row: int  # 0 when the register has nothing to point at
    difference: str  # a key of LABELS
    city_a: str
    city_b: str  # "" for a city's identity
    atlas: str  # what the atlas says
    register: str  # what the register says

    def line(self, register_src: str) -> str:
        where = [f"{self.atlas_file}:{self.atlas_line}"] if self.atlas_file else []
        where += [f"{register_src} row {self.register_row}"] if self.register_row else []
        subject = f"{self.city_a} – {self.city_b}" if self.city_b else self.city_a
        details = "; ".join(part for part in (f"atlas: {self.atlas}" if self.atlas else "",
                                               f"register: {self.register}" if self.register else "") if part)
        return f"{': '.join(where)}: {LABELS[self.difference]}: {subject}" + (f" ({details})" if details else "")


@dataclass(frozen=True)
class Reconciliation:
    register_src: str
    differences: tuple[Difference, ...]
    unread: tuple[RowReport, ...]  # rows that could not be read or matched, with why

    def counts(self) -> dict[str, int]:
        return {key: sum(1 for d in self.differences if d.difference == key) for key in LABELS}

    def text(self) -> str:
        lines = [d.line(self.register_src) for d in self.differences] + [str(r) for r in self.unread]
        counts = ", ".join(f"{n} {LABELS[key]}" for key, n in self.counts().items())
        lines.append(f"{len(self.differences)} differences ({counts}); {len(self.unread)} rows not compared")
        return "\n".join(lines) + "\n"

    def json(self) -> str:
        return json.dumps({"register": self.register_src, "differences": [asdict(d) for d in self.differences],
                           "counts": self.counts(),
                           "not_compared": [{"row": r.row, "message": r.message} for r in self.unread]},
                          indent=2, ensure_ascii=False) + "\n"

    def csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for d in self.differences:
            writer.writerow([d.difference, d.atlas_file, d.atlas_line or "", d.register_row or "",
                             *map(spreadsheet_safe, (d.city_a, d.city_b, d.atlas, d.register)), ""])
        return out.getvalue()


def reconcile(register: Path, content_dir: Path, *, register_label: str | None = None,
              label: str | None = None) -> Reconciliation:
    """Compare the register with content/; writes nothing."""
    register_src = register_label or Path(register).as_posix()
    label = (label or Path(content_dir).as_posix()).rstrip("/") or "."
    if not Path(content_dir).is_dir():
        raise ImportFileError(f"content folder not found: {label}")
    rows = read_rows(Path(register), register_src)
    content = Content(Path(content_dir), label)
    found: dict[tuple[str, str], Difference] = {}  # by what it is about, so a tie listed both ways counts once
    unread: list[RowReport] = []
    seen: set[tuple[str, str]] = set()
    items: set[str] = set()  # atlas cities the register lists as its items
    for record in rows.records:
        twinning, problems, _ = parse_row(record, content, None, {})
        if twinning is None:
            unread.append(RowReport(record.number, "; ".join(problems), "skipped", register_src))
            continue
        matched: list[City | None] = []
        for index, side in enumerate((twinning.a, twinning.b)):
            city, ambiguous, _ = content.find(side)
            if city is not None and index == 0:
                items.add(city.slug)
            if not _check_identity(side, city, content, record.number, found) and ambiguous:
                unread.append(RowReport(record.number, ambiguous, "skipped", register_src))
            if ambiguous:
                break
            matched.append(city)
        else:
            _compare_tie(twinning, matched, content, seen, found)
    for pair, tie in content.ties.items():
        if pair not in seen and (tie.declaring in items or tie.other in items):
            found.setdefault(("tie", *pair), Difference(
                tie.src, tie.line, 0, "only-in-atlas", tie.declaring, tie.other, _tie_text(tie.item), ""))
    return Reconciliation(register_src, tuple(sorted(found.values(), key=_order)), tuple(sorted(unread)))


def _order(d: Difference) -> tuple:
    return (d.atlas_file == "", d.atlas_file, d.atlas_line, d.register_row, d.difference, d.city_a, d.city_b)


def _check_identity(side: Side, city: City | None, content: Content, row: int, found: dict) -> bool:
    """A city of the side's name nearby with another Q-id; the side's city by Q-id far from its coordinates.

    True when the side's Q-id disagrees with a city of its name.
    """
    clash = False
    if side.wikidata and side.wikidata not in content.by_qid:
        for other in content.same_name(side):
            near = side.coordinates is None or other.coordinates is None or km(
                side.coordinates, other.coordinates) <= SAME_PLACE_KM
            if other.wikidata and other.wikidata != side.wikidata and near:
                clash = True
                found.setdefault(("id", other.slug, side.wikidata), Difference(
                    other.src, other.line, row, "wikidata-differs", other.slug, "", other.wikidata,
                    f"{side.name} is {side.wikidata}"))
    if city is not None and not city.new and city.origin == "content" and side.coordinates and (
            km(city.coordinates, side.coordinates) > SAME_PLACE_KM):
        found.setdefault(("coord", city.slug, ""), Difference(
            city.src, city.line, row, "coordinates-differ", city.slug, "", _coordinates_text(city.coordinates),
            f"{_coordinates_text(side.coordinates)}, {km(city.coordinates, side.coordinates):,.0f} km away"))
    return clash


def _compare_tie(twinning: Twinning, matched: list[City | None], content: Content, seen: set,
                 found: dict) -> None:
    city_a, city_b = matched
    names = [c.slug if c else f"{s.name} ({s.country}{', ' + s.wikidata if s.wikidata else ''})"
             for c, s in zip(matched, (twinning.a, twinning.b))]
    pair = city_pair(city_a.slug, city_b.slug) if city_a and city_b else None
    if pair is None or pair not in content.ties:
        key = ("tie", *sorted(names))
        if key not in found:
            near = city_a or city_b
            found[key] = Difference(near.src if near else "", near.partners_line if near else 0, twinning.row,
                                    "only-in-register", *names, "", _twinning_text(twinning))
        return
    seen.add(pair)
    tie = content.ties[pair]
    for field, ours, theirs in compare_tie(tie.item, twinning):
        kind = "status-differs" if field == "status" else "dates-differ"
        found.setdefault(("tie", *pair, field), Difference(
            tie.src, tie.line, twinning.row, kind, tie.declaring, tie.other, f"{field} {ours}", f"{field} {theirs}"))


def _tie_text(item: dict) -> str:
    return ", ".join(f"{key} {_dates_text(item[key])}" for key in ("kind", "since", "until", "status")
                     if item.get(key) is not None)


def _dates_text(value: object) -> str:
    return " or ".join(str(v) for v in value) if isinstance(value, list) else str(value)


def _twinning_text(twinning: Twinning) -> str:
    parts = [f"since {twinning.since}" if twinning.since is not None else "",
             f"until {twinning.until}, ended" if twinning.until is not None else ""]
    return ", ".join(p for p in parts if p)


def _coordinates_text(coordinates: tuple[float, float]) -> str:
    return f"[{coordinates[0]:.4f}, {coordinates[1]:.4f}]"


def marked_rows(report: Path, label: str | None = None) -> set[int]:
    """The register rows of the report's only-in-register lines whose `import` cell an editor marked (yes, x)."""
    src = label or Path(report).as_posix()
    records = split_csv(read_text(Path(report), src), src)
    if not records:
        raise ImportFileError(f"{src}: the report is empty")
    header = [cell.strip().lower() for cell in records[0][1]]
    missing = [name for name in ("difference", "register_row", "import") if name not in header]
    if missing:
        raise ImportFileError(f"{src}: not a reconciliation report: no column {', '.join(missing)}"
                              " (make one with `atlas reconcile twinnings FILE --format csv`)")
    column = {name: header.index(name) for name in ("difference", "register_row", "import")}
    rows = set()
    for number, cells in records[1:]:
        cell = {name: cells[i].strip() if i < len(cells) else "" for name, i in column.items()}
        if cell["difference"] == "only-in-register" and cell["import"].lower() in MARKS:
            if not cell["register_row"].isdigit():
                raise ImportFileError(f"{src}: row {number}: register_row '{cell['register_row']}' is not a number")
            rows.add(int(cell["register_row"]))
    return rows
