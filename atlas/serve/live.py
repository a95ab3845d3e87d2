"""Quick rebuilds for atlas serve: re-render only the pages an edit touched, from the atlas in memory.

Most edits leave the graph as it was (edits.py): an entry's text, or a fact
such as a population. For such an edit the pages to render again are those
whose units recorded reading what changed (the last build's cache records,
dependencies.py), and they are rendered at once from the last good build's
state, with the same code as a full build and so the same bytes. Anything
else (links, partners, a new or deleted file, a template, an edit with errors)
returns None: the caller runs a full build, which reports errors as `atlas build`
does, with everything else it checks. After a quick rebuild the caller still runs a
build in the background, for the search index and the data files (it starts
from the last build's snapshot, resume.py).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from atlas.incremental.dependencies import Tokens, readers_of_entries
from atlas.incremental.edits import graph_neutral_edits
from atlas.errors import ErrorList
from atlas.render.data import render_entry_data
from atlas.render.pages import render_units
from atlas.content.sources import folder_label
from atlas.site import SiteState
from atlas.publish.writer import replace_file


@dataclass
class QuickResult:
    pages: list[str]  # dest of every page written
    seconds: float


def quick_rebuild(state: SiteState, changed: list[Path]) -> QuickResult | None:
    """Re-render the pages that read what the `changed` entry files changed, in place; or None when a full
    build is needed.

    On success `state` holds the edited entries, so the next quick rebuild starts from them.
    """
    started = time.perf_counter()
    config = state.config
    errors = ErrorList()
    edited = graph_neutral_edits(state.atlas, config.content_dir, changed, errors, folder_label(config.content_dir))
    if edited is None or not state.units or errors.errors:
        return None  # a full build reports the errors, with everything else it checks
    atlas = state.atlas.with_entries(edited)
    state.edited.update(entry.key for entry in edited)  # the units' records are of the last build's atlas
    if state.readers is None:
        state.readers = readers_of_entries(state.units)
    tokens = Tokens(atlas, state.graph, edited=state.edited)
    candidates = {name for entry in edited for name in state.readers.get(entry.key, ())}
    touched = {name for name in candidates if not tokens.unchanged(state.units[name][1])}
    # the Open data page gives each data file's size: those made from entries change with them (the
    # graph's stay as the last build wrote them), so it is rendered again with their new sizes
    published = config.output_dir / "data"
    last = ({f"data/{path.name}": path.stat().st_size for path in published.iterdir() if path.is_file()}
            if published.is_dir() else {})
    sizes = {**last, **{output.dest: len(output.data)
                        for output in render_entry_data(atlas, state.graph, state.urls)}}
    if sizes != last:
        touched.add("open-data")
    pages = render_units(touched, atlas, state.graph, state.env, state.urls, state.assets, sizes)
    for output in pages:
        replace_file(config.output_dir, output.dest, output.data)
    state.atlas = atlas
    return QuickResult([output.dest for output in pages], time.perf_counter() - started)
