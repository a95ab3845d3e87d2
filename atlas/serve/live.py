"""Quick rebuilds for atlas serve: re-render only the pages an edit touched, from the atlas in memory.

Most edits leave the graph as it was (edits.py): an entry's text, or a fact
such as a population. For such an edit the pages to render again are those
whose units recorded reading what changed (the last build's cache records,
dependencies.py), and they are rendered at once from the last good build's
state, with the same code as a full build and so the same bytes. Anything
else (links, partners, a new or deleted file, a template, an edit with errors)
returns None: the caller runs a full build, which reports errors as `atlas build`
does, with everything else it checks. After a quick rebuild the caller still runs a
build in the background, for the search index, the data files and the Open data
page that gives their sizes (it starts from the last build's snapshot, resume.py);
once it is published, the site is byte for byte a full build's.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from atlas.incremental.dependencies import Tokens, readers_of_entries
from atlas.incremental.records import unit_reads
from atlas.incremental.edits import graph_neutral_edits
from atlas.errors import ErrorList
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
    touched = {name for name in candidates if not tokens.unchanged(unit_reads(state.units[name][1]))}
    # the data files, and the Open data page's sizes of them, are the background build's: making atlas.json
    # and the tables again takes seconds in a large atlas, longer than the edit's own pages
    pages = render_units(touched, atlas, state.graph, state.env, state.urls, state.assets,
                         published_sizes(config.output_dir))
    for output in pages:
        replace_file(config.output_dir, output.dest, output.data)
    state.atlas = atlas
    return QuickResult([output.dest for output in pages], time.perf_counter() - started)


def published_sizes(output_dir: Path) -> dict[str, int]:
    """The size of each open-data file as the last build published it, for a unit that shows them."""
    folder = output_dir / "data"
    return ({f"data/{path.name}": path.stat().st_size for path in folder.iterdir() if path.is_file()}
            if folder.is_dir() else {})
