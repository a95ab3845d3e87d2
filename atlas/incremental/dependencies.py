"""What a page read while it rendered, so that the next build renders it again only when that changed.

In the spirit of Lektor's `record_dependency`: while render/site.py's Pages.emit
renders a page, the site as its template sees it (SiteView) reports each entry
it looks up and each relation of the graph it reads into a `Dependencies`. The
cache (cache.py) keeps what was read, with its token, beside the page; the next
build reuses the page while every token is still the same, and renders it again
otherwise. What the page's own context holds (its entry, the entries and
relations its kind chose to show, the rendered body) and the site's settings
count through the page's fingerprint, as before; templates and code count
through the cache's namespace.

A dependency is a plain tuple:

- ("entry", kind, slug): the entry's title and front matter (cache.entry_token),
  or its absence: what a page reads of its own entry;
- ("exists", kind, slug): whether there is such an entry;
- ("title", kind, slug): another entry's title;
- ("field", kind, slug, name): one field of another entry's front matter;
- ("body", kind, slug): the entry's text;
- ("relation", name, key): what the graph's relation `name` holds for `key`
  (`graph.partners_of.get("lyon")`);
- ("relation", name): the whole relation, when a template walks it all;
- ("kind", folder): which entries a kind has (`atlas.of_kind("cities")`, an
  index of cities);
- ("atlas",): which entries the atlas has, when a page walks them all;
- ("entries",): every entry's title and front matter (what the data files list);
- ("entries", folder): the title and front matter of every entry of a kind (its data table);
- ("source", id): one source of the bibliography, or its absence;
- ("sources",): the whole bibliography;
- ("graph",): the whole graph (what the data files list).

A page's context is computed, and its template rendered, with the atlas and
the graph seen through RecordedAtlas and RecordedGraph, so whatever a kind's
page context or a template looks at is recorded without their knowing; an
entry found through them is a RecordedEntry, which records the title and
each field read, so a page that shows a partner's name is not rendered again
when the partner's population changes.

Used by render/site.py and cache.py. Reads no files; knows the atlas and the
graph only by the attributes it asks for.
"""

from __future__ import annotations

import hashlib
from typing import Any, Iterable, Iterator

from atlas.incremental.cache import ENTRY_VIEWS, entry_token, fingerprint
from atlas.incremental.records import ONE_ENTRY_READS, unit_reads

Dependency = tuple
Recorded = tuple  # ((dependency, token), ...), as the cache keeps it


class Tokens:
    """The token of each dependency in this build's atlas and graph, each computed once.

    `known` gives tokens already known: a build that starts from the last one's
    graph (resume.py) knows its relations' tokens from the last build's cache
    (BuildCache.relations). Such a build also knows which entries
    changed since the last build (`edited`): what was recorded of any other
    entry, of the graph and of the atlas's make-up is as it was, and only the
    reads of the edited entries are compared.
    """

    def __init__(self, atlas: Any, graph: Any, known: dict | None = None,
                 edited: set[tuple[str, str]] | None = None) -> None:
        self.atlas = atlas
        self.graph = graph
        self._known: dict[Dependency, object] = dict(known or {})
        self.edited = edited

    def of(self, dependency: Dependency) -> object:
        token = self._known.get(dependency, _MISSING)
        if token is _MISSING:
            token = self._known[dependency] = self._token(dependency)
        return token

    def relation_tokens(self) -> dict[Dependency, object]:
        """The token of every relation of the graph known so far (what the next resumed build knows)."""
        return {dependency: token for dependency, token in self._known.items() if dependency[0] == "relation"}

    def unchanged(self, recorded: Recorded) -> bool:
        """Every dependency a page recorded last time still has the token it had then."""
        if self.edited is not None:
            edited = self.edited
            return all(self.of(dependency) == token for dependency, token in recorded
                       if dependency[0] in _OF_ONE_ENTRY and dependency[1:3] in edited
                       or dependency[0] == "entries")
        return all(self.of(dependency) == token for dependency, token in recorded)

    def _token(self, dependency: Dependency) -> object:
        what = dependency[0]
        if what == "entry":
            entry = self.atlas.entries.get(dependency[1:])
            return None if entry is None else entry_token(entry)[3]
        if what == "exists":
            return dependency[1:] in self.atlas.entries
        if what == "title":
            entry = self.atlas.entries.get(dependency[1:])
            return None if entry is None else entry.title
        if what == "field":
            entry = self.atlas.entries.get(dependency[1:3])
            return None if entry is None else fingerprint(getattr(entry.meta, dependency[3], _ABSENT))[:24]
        if what == "body":
            entry = self.atlas.entries.get(dependency[1:])
            return None if entry is None else hashlib.sha256(entry.body.encode("utf-8")).hexdigest()[:24]
        if what == "kind":
            return fingerprint([entry.slug for entry in self.atlas.of_kind(dependency[1])])[:24]
        if what == "atlas":
            return fingerprint(sorted(self.atlas.entries))[:24]
        if what == "entries" and len(dependency) == 2:
            return fingerprint(sorted(entry_token(entry) for entry in self.atlas.of_kind(dependency[1])))[:24]
        if what == "entries":
            return fingerprint(sorted(entry_token(entry) for entry in self.atlas.entries.values()))[:24]
        if what == "sources":
            return fingerprint(sorted(self.atlas.bibliography.items()))[:24]
        if what == "source":
            return fingerprint(self.atlas.bibliography.get(dependency[1], _ABSENT))[:24]
        if what == "graph":
            return fingerprint(*(getattr(self.graph, name) for name in sorted(vars(self.graph))))[:24]
        if what == "relation":
            relation = getattr(self.graph, dependency[1])
            if len(dependency) == 2:
                return fingerprint(relation)[:24]
            return fingerprint(relation.get(dependency[2], _ABSENT))[:24]
        raise ValueError(f"unknown dependency {dependency!r}")


_MISSING = object()
_ABSENT = "\0absent"
_OF_ONE_ENTRY = ONE_ENTRY_READS


def readers_of_entries(units: dict[str, list]) -> dict[tuple[str, str], set[str]]:
    """(kind, slug) -> the units that read something of that entry (its existence, title, fields, text):
    the only units an edit that leaves the graph as it was can change (atlas serve asks, edit after edit)."""
    readers: dict[tuple[str, str], set[str]] = {}
    for name, (_, recorded, _) in units.items():
        for dependency, _ in unit_reads(recorded):
            if dependency[0] in _OF_ONE_ENTRY:
                readers.setdefault(dependency[1:3], set()).add(name)
    return readers


class Dependencies:
    """What one page (or one unit of pages) read while it rendered: each dependency with its token.

    With a `parent`, each read is recorded in the parent too: a page's reads
    are also those of the unit of pages it belongs to.
    """

    def __init__(self, tokens: Tokens, parent: "Dependencies | None" = None) -> None:
        self.tokens = tokens
        self.parent = parent
        self.read: dict[Dependency, object] = {}

    def record(self, dependency: Dependency) -> None:
        if dependency not in self.read:
            self.read[dependency] = self.tokens.of(dependency)
            if self.parent is not None:
                self.parent.record(dependency)

    def entry(self, kind: str, slug: str) -> None:
        self.record(("entry", kind, slug))

    def body(self, kind: str, slug: str) -> None:
        self.record(("body", kind, slug))

    def relation(self, name: str, key: object = _MISSING) -> None:
        self.record(("relation", name) if key is _MISSING else ("relation", name, key))

    def kind(self, folder: str) -> None:
        self.record(("kind", folder))

    def whole_atlas(self) -> None:
        self.record(("atlas",))

    def source(self, source_id: str) -> None:
        self.record(("source", source_id))

    def recorded(self) -> Recorded:
        return tuple(self.read.items())

    def replay(self, recorded: Recorded) -> None:
        """Record again what a page read when it was rendered, now that it is reused as it was: the unit
        it belongs to, run again for another of its pages, must still record the reads of this one."""
        for dependency, _ in recorded:
            self.record(dependency)

    def unchanged(self, recorded: Recorded) -> bool:
        return self.tokens.unchanged(recorded)


class RecordedGraph:
    """The graph as a template reads it: each relation it looks at is recorded."""

    def __init__(self, graph: Any, reads: Dependencies) -> None:
        self._graph = graph
        self._reads = reads

    def __getattr__(self, name: str) -> object:
        value = getattr(self._graph, name)
        if isinstance(value, dict):
            return RecordedRelation(name, value, self._reads)
        self._reads.relation(name)
        return value


class RecordedAtlas:
    """The atlas as a page context or a template reads it: each entry, kind and source it looks at is recorded.

    Only what pages may read is offered: entries (one, a kind's, or all),
    the bibliography and the site settings (which count through the page's
    fingerprint).
    """

    def __init__(self, atlas: Any, reads: Dependencies) -> None:
        self._atlas = atlas
        self._reads = reads
        self.entries = RecordedEntries(atlas.entries, reads)
        self.bibliography = RecordedBibliography(atlas.bibliography, reads)

    @property
    def config(self) -> Any:
        return self._atlas.config

    def get(self, kind: str, slug: str) -> Any:
        return self.entries.get((kind, slug))

    def of_kind(self, folder: str) -> list:
        self._reads.kind(folder)
        return [RecordedEntry(entry, self._reads) for entry in self._atlas.of_kind(folder)]


class RecordedEntry:
    """Another entry as a page reads it: its title, text and each field of its front matter are recorded
    as they are read. Its kind and slug are what it is, and are not."""

    __slots__ = ("unwrapped", "_reads", "kind", "slug")

    def __init__(self, entry: Any, reads: Dependencies) -> None:
        self.unwrapped = entry
        self._reads = reads
        self.kind = entry.kind
        self.slug = entry.slug

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.slug)

    @property
    def src(self) -> str:
        return self.unwrapped.src

    @property
    def title(self) -> str:
        self._reads.record(("title", self.kind, self.slug))
        return self.unwrapped.title

    @property
    def body(self) -> str:
        self._reads.body(self.kind, self.slug)
        return self.unwrapped.body

    @property
    def body_line(self) -> int:
        self._reads.body(self.kind, self.slug)
        return self.unwrapped.body_line

    @property
    def meta(self) -> "RecordedMeta":
        return RecordedMeta(self.unwrapped.meta, self._reads, self.kind, self.slug)

    @property
    def lines(self) -> Any:
        self._reads.entry(self.kind, self.slug)
        return self.unwrapped.lines

    def line_of(self, *path: object) -> int:
        self._reads.entry(self.kind, self.slug)
        return self.unwrapped.line_of(*path)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, (RecordedEntry, type(self.unwrapped))) and other.key == self.key

    def __hash__(self) -> int:
        return hash(self.key)

    def __repr__(self) -> str:
        return f"RecordedEntry({self.kind}/{self.slug})"


class RecordedMeta:
    """Another entry's front matter: each field read is recorded; anything else reads it whole."""

    __slots__ = ("unwrapped", "_reads", "_key")

    def __init__(self, meta: Any, reads: Dependencies, kind: str, slug: str) -> None:
        self.unwrapped = meta
        self._reads = reads
        self._key = (kind, slug)

    def __getattr__(self, name: str) -> Any:
        if name in type(self.unwrapped).model_fields:
            self._reads.record(("field", *self._key, name))
        else:
            self._reads.entry(*self._key)
        return getattr(self.unwrapped, name)


class _RecordedMapping:
    """A mapping whose lookups record their key, and whose walks record the whole."""

    def __init__(self, mapping: dict, reads: Dependencies) -> None:
        self._mapping = mapping
        self._reads = reads

    def _one(self, key: object) -> None:
        raise NotImplementedError

    def _all(self) -> dict:
        raise NotImplementedError

    def get(self, key: object, default: object = None) -> object:
        self._one(key)
        return self._mapping.get(key, default)

    def __getitem__(self, key: object) -> object:
        self._one(key)
        return self._mapping[key]

    def __contains__(self, key: object) -> bool:
        self._one(key)
        return key in self._mapping

    def __iter__(self) -> Iterator:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())

    def keys(self) -> Iterable:
        return self._all().keys()

    def values(self) -> Iterable:
        return self._all().values()

    def items(self) -> Iterable:
        return self._all().items()


class RecordedEntries(_RecordedMapping):
    """atlas.entries: (kind, slug) -> entry, each a RecordedEntry."""

    def _one(self, key: object) -> None:
        self._reads.record(("exists", *key))

    def _all(self) -> dict:
        self._reads.whole_atlas()
        return self._mapping

    def get(self, key: object, default: object = None) -> object:
        found = super().get(key)
        return default if found is None else RecordedEntry(found, self._reads)

    def __getitem__(self, key: object) -> object:
        return RecordedEntry(super().__getitem__(key), self._reads)

    def values(self) -> Iterable:
        return [RecordedEntry(entry, self._reads) for entry in self._all().values()]

    def items(self) -> Iterable:
        return [(key, RecordedEntry(entry, self._reads)) for key, entry in self._all().items()]


class RecordedBibliography(_RecordedMapping):
    """atlas.bibliography: source id -> source."""

    def _one(self, key: object) -> None:
        self._reads.source(key)

    def _all(self) -> dict:
        self._reads.record(("sources",))
        return self._mapping


class RecordedRelation(_RecordedMapping):
    """One relation of the graph (a dict): looking up a key records that key, anything else the whole."""

    def __init__(self, name: str, relation: dict, reads: Dependencies) -> None:
        super().__init__(relation, reads)
        self._name = name

    def _one(self, key: object) -> None:
        self._reads.relation(self._name, key)

    def _all(self) -> dict:
        self._reads.relation(self._name)
        return self._mapping


ENTRY_VIEWS[RecordedEntry] = lambda view: entry_token(view.unwrapped)
ENTRY_VIEWS[RecordedMeta] = lambda view: (type(view.unwrapped).__name__, view.unwrapped.model_dump_json())
