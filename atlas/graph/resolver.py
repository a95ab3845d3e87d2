"""Look up the slugs and source ids front matter and bodies name, with a close match when one is missing.

Used by the modules relations.py calls (places.py, ties.py, citations.py). Reads no files.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from typing import Iterator

from atlas import kinds
from atlas.errors import ErrorList
from atlas.model import Atlas, Entry

# (kind, slug) named -> the (kind, slug) of every entry that names it; relations.py sorts it into Graph.references
Refs = dict[tuple[str, str], set[tuple[str, str]]]


class Resolver:
    """Looks up slugs with a close-match suggestion when they are missing."""

    def __init__(self, atlas: Atlas, errors: ErrorList) -> None:
        self.atlas = atlas
        self.errors = errors
        self.slugs: dict[str, list[str]] = defaultdict(list)
        for kind, slug in atlas.entries:
            self.slugs[kind].append(slug)

    def entry(self, kind: str, slug: str, src: str, line: int, what: str) -> Entry | None:
        found = self.atlas.get(kind, slug)
        if found is None and not self.explain_missing(kind, slug, src, line, what):
            self.errors.error(src, line, f"{what} '{slug}' does not exist", self.suggest(kind, slug))
        return found

    def explain_missing(self, kind: str, slug: str, src: str, line: int, what: str) -> bool:
        """True when the entry exists but is left out: broken (its own errors say why) or a draft."""
        if (kind, slug) in self.atlas.invalid:
            return True
        if (kind, slug) in self.atlas.drafts:
            self.errors.warning(src, line, f"{what} '{slug}' is a draft and is left out of this build",
                                "build with --drafts to include it")
            return True
        return False

    def suggest(self, kind: str, slug: str) -> str | None:
        close = difflib.get_close_matches(slug, self.slugs.get(kind, []), n=1, cutoff=0.6)
        if close:
            return f"did you mean {close[0]}?"
        folder = f"{kind}/{slug}.md"
        return f"create content/{folder}, or check the spelling"

    def source(self, source_id: str, src: str, line: int) -> bool:
        if source_id in self.atlas.bibliography:
            return True
        if source_id in self.atlas.broken_sources:  # sources.yaml's errors say why
            return False
        close = difflib.get_close_matches(source_id, list(self.atlas.bibliography), n=1, cutoff=0.6)
        hint = f"did you mean {close[0]}?" if close else "add it to content/sources.yaml"
        self.errors.error(src, line, f"source '{source_id}' is not in sources.yaml", hint)
        return False


def city_folder() -> str:
    """The folder of the kind partnerships tie together, and places belong to."""
    return kinds.of_name("city").folder


def linked(atlas: Atlas, resolver: Resolver, refs: Refs, role: str) -> Iterator[tuple[Entry, str, str]]:
    """(entry, target folder, slug) for every resolved slug of the links with this role, kind by kind."""
    for kind in kinds.registered():
        for entry in atlas.of_kind(kind.folder):
            for link in (link for link in kind.links if link.role == role):
                target = kinds.of_name(link.to).folder
                for slug, line in _named(entry, link):
                    if resolver.entry(target, slug, entry.src, line, link.what):
                        refs[(target, slug)].add(entry.key)
                        yield entry, target, slug


def _named(entry: Entry, link: kinds.Link) -> Iterator[tuple[str, int]]:
    """(slug, line) of each slug the link's field holds: one slug, a list of them, or a key of each item."""
    value = getattr(entry.meta, link.field)
    if isinstance(value, str):
        yield value, entry.line_of(link.field)
        return
    for index, item in enumerate(value or ()):
        if link.item is None:
            yield item, entry.line_of(link.field, index)
        elif getattr(item, link.item, None):
            yield getattr(item, link.item), entry.line_of(link.field, index, link.item)
