"""The import's report: what it would change (ImportPlan, FileChange) and what it made of each row (RowReport).

Plain data, made by plan.py and written by cityfile.apply_import; cli.py prints
describe() and summary(). ImportFileError is every module's way to stop the import.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from atlas.errors import AtlasError


class ImportFileError(AtlasError):
    """The import cannot start (unreadable CSV, missing columns, broken content) or cannot write."""


@dataclass(frozen=True, order=True)
class RowReport:
    """Something about one CSV row (row 0: the file as a whole)."""

    row: int
    message: str
    severity: str = "skipped"  # "skipped" (a problem), "duplicate" (already there), "merged" (dates or id added),
    # or "warning"
    csv_src: str = field(default="", compare=False)

    @property
    def problem(self) -> bool:
        return self.severity == "skipped"

    def __str__(self) -> str:
        where = f"{self.csv_src} row {self.row}" if self.row else self.csv_src
        label = self.severity if self.severity in ("warning", "merged") else "skipped"
        return f"{where}: {label}: {self.message}"


@dataclass(frozen=True)
class FileChange:
    """One city file to create or update."""

    path: Path
    src: str  # content/cities/sapporo.md
    text: str  # the whole new file
    original: bytes | None  # what was read, for an update; None for a new file
    added: tuple[str, ...]  # "sapporo (sister-city, 1959)", the partners added
    merged: tuple[str, ...] = ()  # "marseille: until 2000-06-15, status ended", what was added to existing ties
    wikidata: str | None = None  # the Q-id added to an existing file that had none

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
    merged: int = 0  # rows whose dates were added to a tie the atlas has
    ids_added: int = 0  # existing cities that gain a register's Q-id

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
            if change.wikidata:
                lines.append(f"  ~ wikidata {change.wikidata} added")
            lines.extend(f"  ~ partner {merged}" for merged in change.merged)
        return lines

    def summary(self, dry_run: bool = False) -> str:
        created = sum(1 for c in self.changes if c.created)
        updated = len(self.changes) - created
        merged = f" (and dates added to {self.merged} already there)" if self.merged else ""
        ids = f"; Wikidata ids added to {_plural(self.ids_added, 'city', 'cities')}" if self.ids_added else ""
        text = (f"imported {_plural(self.partnerships, 'partnership')}{merged}: {_plural(created, 'city', 'cities')}"
                f" created, {updated} updated, {_plural(len(self.skipped), 'row')} skipped{ids}")
        return f"dry run: would have {text}; nothing was written" if dry_run else text


def _plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {words or word + 's'}"
