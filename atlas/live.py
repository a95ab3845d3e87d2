"""Quick rebuilds for atlas serve: re-render only the page an edit touched, from the atlas in memory.

Most edits change an entry's text and nothing else the rest of the site shows
of it (other pages show its title and front matter, never its body). For such
an edit the resolved graph is unchanged, so the one page can be rendered at
once from the last good build's state, with the same code as a full build and
so the same bytes. Anything else (front matter, links or citations, a new or
deleted file, a template) returns None: the caller runs a full build. After a
quick rebuild the caller still runs a full build in the background, for the
search index, the data files and the feeds.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from pathlib import Path

from .cache import BuildCache
from .errors import ErrorList
from .markup import MarkdownRenderer
from .model import Entry
from .pages import SiteView, _Pages
from .pipeline import SiteState, _label
from .relations import scan_body
from .schema import validate_entry
from .sources import KINDS, load_entry
from .writer import replace_file


@dataclass
class QuickResult:
    pages: list[str]  # dest of every page written
    errors: ErrorList
    seconds: float


def quick_rebuild(state: SiteState, changed: list[Path]) -> QuickResult | None:
    """Re-render the pages of `changed` entry files in place, or None when a full build is needed.

    On success `state` holds the edited entries, so the next quick rebuild starts from them.
    """
    started = time.perf_counter()
    config = state.config
    content = Path(config.content_dir).resolve()
    errors = ErrorList()
    edited: list[Entry] = []
    for path in changed:
        path = Path(path).resolve()
        if path.parent.parent != content or path.parent.name not in KINDS or path.suffix != ".md":
            return None
        old = state.atlas.get(path.parent.name, path.stem)
        if old is None or not path.is_file():
            return None
        raw = load_entry(config.content_dir, path.parent.name, path.name, errors, _label(config.content_dir))
        entry = validate_entry(raw, errors) if raw is not None else None
        if entry is None:
            continue
        if not _same_to_the_rest_of_the_site(old, entry):
            return None
        edited.append(entry)
    if errors.errors:
        return QuickResult([], errors, time.perf_counter() - started)
    entries = dict(state.atlas.entries)
    for entry in edited:
        entries[entry.key] = entry
    atlas = dataclasses.replace(state.atlas, entries=entries)
    site = SiteView(atlas, state.graph, state.urls, state.assets)
    pages = _Pages(site, state.env, MarkdownRenderer(), BuildCache(namespace=""))
    for entry in edited:
        pages.entry_page(entry)
    for output in pages.outputs:
        replace_file(config.output_dir, output.dest, output.data)
    state.atlas = atlas
    return QuickResult([output.dest for output in pages.outputs], errors, time.perf_counter() - started)


def _same_to_the_rest_of_the_site(old: Entry, new: Entry) -> bool:
    """True when only the body changed, and not its links, citations or anything the graph records."""
    if old.title != new.title or old.meta != new.meta:
        return False
    new_limits, new_links, new_cites, new_bad = scan_body(new.body, new.body_line)
    old_limits, old_links, old_cites, old_bad = scan_body(old.body, old.body_line)
    if new_limits or old_limits or new_bad or old_bad:
        return False
    if [(link.target, link.label) for link in old_links] != [(link.target, link.label) for link in new_links]:
        return False
    return list(dict.fromkeys(c.source_id for c in old_cites)) == list(dict.fromkeys(c.source_id for c in new_cites))
