"""Builds after edits that leave the graph as it was: start from the last build's snapshot, not the whole atlas.

Called by pipeline.build before it renders anything: when only entries
changed since the last build, and none in what the graph reads of it
(edits.py), the build starts from the snapshot's resolved atlas and graph
with the edited entries in place, instead of loading, validating and
resolving everything. It then renders like any build (pipeline.render_site):
every unit of pages whose recorded reads are unchanged is reused without
being run (dependencies.py), the data files and search shards are made
again only when what they hold changed. The bytes are those of a full build.
Reads content/ (the edited files) and output/ (the published assets). After
publishing, the build keeps its snapshot for the next one (keep_snapshot),
the only thing this module writes, into the cache folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from atlas.content.sources import folder_label
from atlas.errors import ErrorList, Problem
from atlas.incremental.cache import BuildCache
from atlas.incremental.dependencies import Tokens
from atlas.incremental.edits import graph_neutral_edits
from atlas.incremental.snapshot import Snapshot, file_stamps, forget_snapshot, load_snapshot, save_snapshot
from atlas.model import Output
from atlas.render.assets import asset_sources
from atlas.render.templates import make_environment
from atlas.render.urls import Urls
from atlas.site import Config, SiteState
from atlas.timings import Stopwatch


def site_settings(config: Config) -> tuple:
    """What a build's output depends on besides content/ and the code: its settings, templates and assets."""
    templates = sorted(path for path in Path(config.templates_dir).rglob("*") if path.is_file())
    return (str(Path(config.content_dir).resolve()), config.base_url, config.drafts, config.cms_backend,
            file_stamps(templates), file_stamps(asset_sources()))


@dataclass
class Resumed:
    """Where a resumed build starts: the last build's state with the edits in, and its published assets."""

    state: SiteState
    asset_outputs: list[Output]
    errors: ErrorList
    tokens: Tokens
    snapshot: Snapshot


def resume_after_edits(config: Config, cache: BuildCache, settings: tuple, listing: dict | None,
                       watch: Stopwatch) -> Resumed | None:
    """The last build's snapshot with the edits since, if none of them changed the graph; else None."""
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
    edited = graph_neutral_edits(snapshot.atlas, config.content_dir, paths, errors, label)
    edited_srcs = {f"{label}/{kind}/{name}" for kind, name in files}
    if edited is None or errors.problems or any(w.src in edited_srcs for w in snapshot.warnings):
        return None  # a full build reports the problems, with everything else it checks
    assets = snapshot.published_outputs(config.output_dir, snapshot.asset_dests)
    if assets is None:
        return None
    watch.lap("load")
    snapshot = snapshot.with_edits(edited)
    atlas, graph = snapshot.atlas, snapshot.graph
    state = SiteState(config, atlas, graph, Urls.from_base_url(atlas.config.base_url), snapshot.assets,
                      make_environment(config.templates_dir, config.cache_dir), snapshot.asset_dests)
    errors.problems.extend(snapshot.warnings)
    known = dict(cache.relations)  # the tokens of the last build's graph, which is this one's
    known[("graph",)] = snapshot.graph_token
    tokens = Tokens(atlas, graph, known=known, edited={entry.key for entry in edited})
    return Resumed(state, assets, errors, tokens, snapshot)


def keep_snapshot(config: Config, namespace: str, settings: tuple, listing: dict | None, state: SiteState,
                  warnings: list[Problem], published: dict, previous: Snapshot | None) -> None:
    """After publishing, keep the build's snapshot for the next one to resume from.

    Without a listing (no cache, or content/ holds a link) there is none to keep,
    and the last one is forgotten. After a resumed build (`previous`) the resolved
    atlas stays the last full build's, with the edits since.
    """
    if listing is None:
        forget_snapshot(config.cache_dir, config.output_dir)
        return
    snapshot = Snapshot(settings, listing, state.atlas, state.graph, state.assets, warnings, published,
                        asset_dests=state.asset_dests, graph_token=state.tokens.of(("graph",)))
    if previous is not None:
        snapshot.resolved_id, snapshot.edited = previous.resolved_id, previous.edited
    save_snapshot(snapshot, config.cache_dir, config.output_dir, namespace, full=previous is None)
