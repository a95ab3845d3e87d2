"""The atlas as plain, validated data: what schema.py produces and later stages read.

Front-matter fields live in the pydantic models of the kinds (atlas/kinds/, `Entry.meta`);
everything a template needs is derived from these objects, never from files.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from atlas.content.yamlfile import YamlDoc

@dataclass(frozen=True, eq=False)
class Entry:
    """One validated content file: a city, network, case study, theme or page."""

    kind: str  # its kind's folder: "cities", "case-studies"
    slug: str
    src: str  # "content/cities/lyon.md"
    title: str  # a city's or network's name, a case study's title
    body: str
    body_line: int
    meta: Any  # the model of its kind (CityMeta, NetworkMeta, ...)
    lines: YamlDoc = field(repr=False)

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.slug)

    def line_of(self, *path: object) -> int:
        return self.lines.line_of(tuple(path))


class Output:
    """One file of the built site: its bytes, or the published file that holds them already.

    A page the cache vouches for (same fingerprint, and the published file's size
    and modification time as recorded) is not read at all unless a later stage
    asks for its bytes; the writer links the published file as it is.
    """

    __slots__ = ("dest", "_data", "published", "sha256")

    def __init__(self, dest: str, data: bytes | None = None, *, published: str | Path | None = None,
                 sha256: str | None = None) -> None:
        if data is None and published is None:
            raise ValueError(f"{dest}: an output needs its bytes or the published file that holds them")
        self.dest = dest  # "cities/lyon/index.html", relative to the output folder
        self._data = data
        self.published = published
        self.sha256 = sha256

    @property
    def data(self) -> bytes:
        if self._data is not None:
            return self._data
        with open(self.published, "rb") as file:
            return file.read()

    @property
    def in_memory(self) -> bool:
        """Made by this build (its bytes in memory), not vouched for as the file already published."""
        return self._data is not None

    def published_as(self, path: str) -> None:
        """Now that `path` holds these bytes, forget them: a large site's pages need not stay in memory
        while the cache and the snapshot are saved."""
        self.digest()
        self.published, self._data = path, None

    def digest(self) -> str:
        if self.sha256 is None:
            self.sha256 = hashlib.sha256(self.data).hexdigest()
        return self.sha256

    def __repr__(self) -> str:
        return f"Output({self.dest!r}, {'published' if self._data is None else f'{len(self._data)} bytes'})"


@dataclass(frozen=True)
class Atlas:
    """Every validated entry, the bibliography and the site settings."""

    config: Any  # schema.SiteConfig
    entries: dict[tuple[str, str], Entry]
    bibliography: dict[str, Any]  # id -> schema.SourceMeta
    bibliography_lines: dict[str, int]  # id -> line in sources.yaml
    bibliography_src: str
    invalid: frozenset = frozenset()  # (kind, slug) of files that failed to load or validate
    drafts: frozenset = frozenset()  # (kind, slug) of drafts left out of this build
    # What can be known of files with errors (never set in a build that renders): the text of the
    # files whose YAML could not be read (src -> text), and the ids of sources.yaml's broken items
    unparsed: dict = field(default_factory=dict)
    broken_sources: frozenset = frozenset()

    def named_in_unparsed(self, name: str) -> bool:
        """Whether a file whose YAML could not be read holds this slug or source id: it may name it."""
        if not self.unparsed:
            return False
        pattern = re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])")
        return any(pattern.search(text) for text in self.unparsed.values())

    def of_kind(self, kind: str) -> list[Entry]:
        return sorted((e for e in self.entries.values() if e.kind == kind), key=lambda e: e.slug)

    def get(self, kind: str, slug: str) -> Entry | None:
        return self.entries.get((kind, slug))

    def with_entries(self, entries) -> "Atlas":
        """The atlas with these entries in place of those of the same kind and slug (edits to their text)."""
        return replace(self, entries={**self.entries, **{entry.key: entry for entry in entries}})
