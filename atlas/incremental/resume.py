"""Builds after text-only edits: start from the last build's snapshot instead of the whole atlas.

Called by pipeline.build before it renders anything: when only entries' text
changed since the last build (edits.py), the edited entries' pages are
rendered and their search shards re-indexed, and every other file is the
published one (snapshot.py). The bytes are those of a full build. Reads
content/ (the edited files) and output/ (the published files). After
publishing, the build keeps its snapshot for the next one (keep_snapshot),
the only thing this module writes, into the cache folder.
"""

from __future__ import annotations

from pathlib import Path

from atlas.content.sources import folder_label
from atlas.errors import ErrorList, Problem
from atlas.incremental.cache import BuildCache
from atlas.incremental.edits import text_only_edits
from atlas.incremental.snapshot import Snapshot, file_stamps, forget_snapshot, load_snapshot, save_snapshot
from atlas.model import Output
from atlas.render.assets import asset_sources
from atlas.render.pages import render_entry_pages
from atlas.render.search import BUNDLE, index_pages
from atlas.render.templates import make_environment
from atlas.render.urls import Urls, entry_dests
from atlas.site import Config, PublishGate, SiteState
from atlas.timings import Stopwatch


def site_settings(config: Config) -> tuple:
    """What a build's output depends on besides content/ and the code: its settings, templates and assets."""
    templates = sorted(path for path in Path(config.templates_dir).rglob("*") if path.is_file())
    return (str(Path(config.content_dir).resolve()), config.base_url, config.drafts,
            file_stamps(templates), file_stamps(asset_sources()))


def resume_after_text_edits(config: Config, cache: BuildCache, settings: tuple, listing: dict | None,
                            gate: PublishGate, watch: Stopwatch
                            ) -> tuple[list[Output], ErrorList, SiteState, Snapshot] | None:
    """The build's outputs from the last build's snapshot, if only entries' text changed since; else None.

    Renders the edited entries' pages and re-indexes their search shards; every
    other file is the published one, checked by size and modification time.
    """
    if config.strict or listing is None:
        return None  # --strict checks every link of the site, so it always builds it all
    snapshot = load_snapshot(config.cache_dir, config.output_dir, cache.namespace)
    if snapshot is None or snapshot.settings != settings:
        return None
    files = snapshot.edited_files(listing)
    if files is None:
        return None
    label = folder_label(config.content_dir)
    errors = ErrorList()
    paths = [Path(config.content_dir) / kind / name for kind, name in files]
    edited = text_only_edits(snapshot.atlas, config.content_dir, paths, errors, label)
    edited_srcs = {f"{label}/{kind}/{name}" for kind, name in files}
    if edited is None or errors.problems or any(w.src in edited_srcs for w in snapshot.warnings):
        return None  # a full build reports the problems, with everything else it checks
    rendered_again = entry_dests(entry.key for entry in edited)
    if not rendered_again <= snapshot.published.keys():
        return None
    published = snapshot.published_outputs(config.output_dir, rendered_again)
    if published is None:
        return None
    watch.lap("load")
    snapshot = snapshot.with_edits(edited)
    atlas, graph = snapshot.atlas, snapshot.graph
    urls = Urls.from_base_url(atlas.config.base_url)
    env = make_environment(config.templates_dir)
    cache.carry_over(search_prefix=f"{BUNDLE}/")
    fresh = {output.dest: output for output in
             render_entry_pages(edited, atlas, graph, env, urls, snapshot.assets, cache)}
    watch.lap("pages")
    gate.checkpoint()
    outputs = [fresh.get(o.dest, o) for o in published if not o.dest.startswith(f"{BUNDLE}/")]
    search_index = index_pages([o for o in outputs if o.dest.endswith(".html")], atlas.config.language, cache,
                               entry_dests(atlas.entries))
    watch.lap("search index")
    errors.problems.extend(snapshot.warnings)
    return outputs + search_index, errors, SiteState(config, atlas, graph, urls, snapshot.assets, env), snapshot


def keep_snapshot(config: Config, namespace: str, settings: tuple, listing: dict | None, state: SiteState,
                  warnings: list[Problem], published: dict, previous: Snapshot | None) -> None:
    """After publishing, keep the build's snapshot for the next one to resume from.

    Without a listing (no cache, or content/ holds a link) there is none to keep,
    and the last one is forgotten. After a resumed build (`previous`) the resolved
    atlas stays the last full build's, with the text edits since.
    """
    if listing is None:
        forget_snapshot(config.cache_dir, config.output_dir)
        return
    snapshot = Snapshot(settings, listing, state.atlas, state.graph, state.assets, warnings, published)
    if previous is not None:
        snapshot.resolved_id, snapshot.edited = previous.resolved_id, previous.edited
    save_snapshot(snapshot, config.cache_dir, config.output_dir, namespace, full=previous is None)
