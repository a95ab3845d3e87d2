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
  or its absence;
- ("body", kind, slug): the entry's text;
- ("relation", name, key): what the graph's relation `name` holds for `key`
  (`graph.partners_of.get("lyon")`);
- ("relation", name): the whole relation, when a template walks it all.

Used by render/site.py and cache.py. Reads no files; knows the atlas and the
graph only by the attributes it asks for.
"""

from __future__ import annotations

import hashlib
from typing import Any, Iterable, Iterator

from atlas.incremental.cache import entry_token, fingerprint

Dependency = tuple
Recorded = tuple  # ((dependency, token), ...), as the cache keeps it


class Tokens:
    """The token of each dependency in this build's atlas and graph, each computed once."""

    def __init__(self, atlas: Any, graph: Any) -> None:
        self.atlas = atlas
        self.graph = graph
        self._known: dict[Dependency, object] = {}

    def of(self, dependency: Dependency) -> object:
        token = self._known.get(dependency, _MISSING)
        if token is _MISSING:
            token = self._known[dependency] = self._token(dependency)
        return token

    def unchanged(self, recorded: Recorded) -> bool:
        """Every dependency a page recorded last time still has the token it had then."""
        return all(self.of(dependency) == token for dependency, token in recorded)

    def _token(self, dependency: Dependency) -> object:
        what = dependency[0]
        if what == "entry":
            entry = self.atlas.entries.get(dependency[1:])
            return None if entry is None else entry_token(entry)[3]
        if what == "body":
            entry = self.atlas.entries.get(dependency[1:])
            return None if entry is None else hashlib.sha256(entry.body.encode("utf-8")).hexdigest()[:24]
        if what == "relation":
            relation = getattr(self.graph, dependency[1])
            if len(dependency) == 2:
                return fingerprint(relation)[:24]
            return fingerprint(relation.get(dependency[2], _ABSENT))[:24]
        raise ValueError(f"unknown dependency {dependency!r}")


_MISSING = object()
_ABSENT = "\0absent"


class Dependencies:
    """What one page read while it rendered: each dependency with its token in this build."""

    def __init__(self, tokens: Tokens) -> None:
        self.tokens = tokens
        self.read: dict[Dependency, object] = {}

    def record(self, dependency: Dependency) -> None:
        if dependency not in self.read:
            self.read[dependency] = self.tokens.of(dependency)

    def entry(self, kind: str, slug: str) -> None:
        self.record(("entry", kind, slug))

    def body(self, kind: str, slug: str) -> None:
        self.record(("body", kind, slug))

    def relation(self, name: str, key: object = _MISSING) -> None:
        self.record(("relation", name) if key is _MISSING else ("relation", name, key))

    def recorded(self) -> Recorded:
        return tuple(self.read.items())

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


class RecordedRelation:
    """One relation of the graph (a dict); looking up a key records that key, anything else the whole."""

    def __init__(self, name: str, relation: dict, reads: Dependencies) -> None:
        self._name = name
        self._relation = relation
        self._reads = reads

    def get(self, key: object, default: object = None) -> object:
        self._reads.relation(self._name, key)
        return self._relation.get(key, default)

    def __getitem__(self, key: object) -> object:
        self._reads.relation(self._name, key)
        return self._relation[key]

    def __contains__(self, key: object) -> bool:
        self._reads.relation(self._name, key)
        return key in self._relation

    def _whole(self) -> dict:
        self._reads.relation(self._name)
        return self._relation

    def __iter__(self) -> Iterator:
        return iter(self._whole())

    def __len__(self) -> int:
        return len(self._whole())

    def keys(self) -> Iterable:
        return self._whole().keys()

    def values(self) -> Iterable:
        return self._whole().values()

    def items(self) -> Iterable:
        return self._whole().items()
