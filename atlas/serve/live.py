"""Quick rebuilds for atlas serve: re-render only the page an edit touched, from the atlas in memory.

Most edits change an entry's text and nothing else the rest of the site shows
of it (edits.py). For such an edit the resolved graph is unchanged, so the one
page can be rendered at once from the last good build's state, with the same
code as a full build and so the same bytes. Anything else (front matter, links
or citations, a new or deleted file, a template) returns None: the caller runs
a full build. After a quick rebuild the caller still runs a build in the
background, for the search index (it starts from the last build's snapshot,
snapshot.py).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from atlas.incremental.edits import text_only_edits
from atlas.errors import ErrorList
from atlas.render.pages import render_entry_pages
from atlas.content.sources import folder_label
from atlas.site import SiteState
from atlas.publish.writer import replace_file


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
    errors = ErrorList()
    edited = text_only_edits(state.atlas, config.content_dir, changed, errors, folder_label(config.content_dir))
    if edited is None:
        return None
    if errors.errors:
        return QuickResult([], errors, time.perf_counter() - started)
    atlas = state.atlas.with_entries(edited)
    pages = render_entry_pages(edited, atlas, state.graph, state.env, state.urls, state.assets)
    for output in pages:
        replace_file(config.output_dir, output.dest, output.data)
    state.atlas = atlas
    return QuickResult([output.dest for output in pages], errors, time.perf_counter() - started)
