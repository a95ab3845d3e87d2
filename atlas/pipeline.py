"""The build, top to bottom: load -> validate -> resolve -> render -> write.

Each stage takes plain objects and returns plain objects; only the first
reads content/ and only the last writes output/. Every content problem is
collected before anything is written, so a broken file never publishes.
"""

from __future__ import annotations

import gc
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from jinja2 import Environment

from atlas.graph.audit import audit_atlas
from atlas.incremental.cache import BuildCache, entry_token, fingerprint, load_cache, published_stamps, save_cache
from atlas.incremental.edits import text_only_edits
from atlas.errors import AtlasError, ContentError, ErrorList, Problem
from atlas.render.feeds import render_feeds
from atlas.publish.linkcheck import check_links
from atlas.render.data import render_data
from atlas.model import Atlas, Output
from atlas.render.assets import Assets, asset_sources, collect_assets
from atlas.render.pages import render_entry_pages, render_pages
from atlas.render.policy import render_headers
from atlas.graph.relations import Graph, resolve_links
from atlas.content.schema import validate_entries
from atlas.render.search import BUNDLE, index_pages
from atlas.incremental.snapshot import Snapshot, file_stamps, forget_snapshot, load_snapshot, save_snapshot
from atlas.content.sources import content_listing, folder_label, load_sources
from atlas.render.templates import TEMPLATES_DIR, make_environment
from atlas.render.urls import Urls, entry_route, route_to_dest
from atlas.publish.writer import WriteReport, write_site


@dataclass(frozen=True)
class Config:
    content_dir: Path = Path("content")
    output_dir: Path = Path("output")
    base_url: str | None = None
    drafts: bool = False
    templates_dir: Path = TEMPLATES_DIR
    cache_dir: Path | None = None  # None: no cache, every page is rendered (the CLI uses .atlas-cache)
    background_cleanup: bool = False  # atlas serve: delete the replaced site after answering
    strict: bool = False  # fail on warnings (with check's advice) and on broken links in the built site


@dataclass
class BuildReport:
    pages: int = 0
    files: int = 0
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    rendered: int = 0  # pages rendered, as opposed to reused from the cache
    resumed: bool = False  # started from the last build's snapshot: only entries' text had changed
    seconds: float = 0.0
    warnings: list[Problem] = field(default_factory=list)
    state: "SiteState | None" = field(default=None, repr=False)
    stages: dict[str, float] = field(default_factory=dict)  # seconds per stage
    peak_memory: dict[str, int] = field(default_factory=dict)  # KiB, peak so far at the end of each stage

    def summary(self) -> str:
        return (f"built {self.pages:,} pages ({self.rendered:,} rendered; {self.files:,} files: {self.written:,} written, "
                f"{self.unchanged:,} unchanged, {self.removed:,} removed) in {self.seconds:.1f} s, "
                f"{len(self.warnings)} warning{'s' if len(self.warnings) != 1 else ''}")


def check(config: Config, advice: bool = False) -> tuple[ErrorList, Graph | None]:
    """Validate and resolve the content without rendering or writing anything.

    With `advice`, also warn about orphan pages and facts without a source.
    """
    errors = ErrorList()
    sources = load_sources(config.content_dir, errors, label=folder_label(config.content_dir))
    atlas = validate_entries(sources, errors, drafts=config.drafts, base_url=config.base_url)
    graph = resolve_links(atlas, errors)
    if advice:
        audit_atlas(atlas, graph, errors)
    return errors, graph


@dataclass
class SiteState:
    """The resolved atlas of a good build: what atlas serve's quick rebuilds start from."""

    config: Config
    atlas: Atlas
    graph: Graph
    urls: Urls
    assets: Assets
    env: Environment


class BuildCancelled(AtlasError):
    """A newer edit arrived: this build's result would be out of date, so it published nothing."""


@dataclass
class PublishGate:
    """Lets atlas serve cancel a build that newer edits overtook, and keep writers to output/ in turn."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    published: Callable[[SiteState, int], None] | None = None  # called under the lock after publishing
    cancelled: threading.Event = field(default_factory=threading.Event)

    def checkpoint(self) -> None:
        if self.cancelled.is_set():
            raise BuildCancelled("cancelled: the content changed while it was building")


class Stopwatch:
    """Seconds spent in each stage, for `atlas build --timings`."""

    def __init__(self) -> None:
        self.stages: dict[str, float] = {}
        self.peak_memory: dict[str, int] = {}  # the process's peak resident set (KiB) at the end of each stage
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.stages[stage] = self.stages.get(stage, 0.0) + now - self._last
        self.peak_memory[stage] = _peak_memory_kib()
        self._last = now


def _data_files(atlas: Atlas, graph: Graph, urls: Urls, cache: BuildCache | None) -> list[Output]:
    """The open-data files; with a cache, last build's while the entries and graph they list are unchanged."""
    if cache is None:
        return render_data(atlas, graph, urls)
    key = fingerprint("data", atlas.config, urls, [entry_token(e) for _, e in sorted(atlas.entries.items())],
                      graph.partnerships, graph.members_of, graph.places, graph.citations,
                      sorted(atlas.bibliography.items()))
    reused = cache.reuse_all(key)
    if reused is not None:
        return reused
    data = render_data(atlas, graph, urls)
    cache.record_all(key, data)
    return data


def _checking(gate: PublishGate, progress):
    """A progress callback that also stops the rendering of a build that newer edits overtook."""
    def report(done: int, total: int) -> None:
        gate.checkpoint()
        if progress is not None:
            progress(done, total)

    return report


def _peak_memory_kib() -> int:
    try:
        import resource
    except ImportError:  # not on Windows
        return 0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def render(config: Config, cache: BuildCache | None = None, progress=None, gate: PublishGate | None = None,
           watch: Stopwatch | None = None) -> tuple[list[Output], ErrorList, SiteState]:
    """Every output file of the site, in memory; raises ContentError on content errors."""
    gate = gate or PublishGate()
    watch = watch or Stopwatch()
    errors = ErrorList()
    sources = load_sources(config.content_dir, errors, label=folder_label(config.content_dir),
                           memo=cache.sources if cache is not None else None)
    watch.lap("load")
    atlas = validate_entries(sources, errors, drafts=config.drafts, base_url=config.base_url)
    watch.lap("validate")
    graph = resolve_links(atlas, errors, body_scans=cache.body_scans if cache is not None else None)
    if config.strict:
        audit_atlas(atlas, graph, errors)
        if errors.warnings:
            raise ContentError(errors.problems)
    errors.raise_if_any()  # stop before rendering or writing anything
    watch.lap("resolve")
    gate.checkpoint()
    urls = Urls.from_base_url(atlas.config.base_url)
    assets, asset_outputs = collect_assets(urls, atlas.config)
    env = make_environment(config.templates_dir)
    watch.lap("assets")
    pages = render_pages(atlas, graph, env, urls, assets, cache, _checking(gate, progress))
    watch.lap("pages")
    gate.checkpoint()
    with ThreadPoolExecutor(max_workers=1) as background:  # Pagefind runs while the data files are made
        indexing = background.submit(index_pages, pages, atlas.config.language, cache, _entry_dests(atlas.entries))
        data = _data_files(atlas, graph, urls, cache)
        feeds = render_feeds(atlas, [page.dest for page in pages if page.dest.endswith(".html")], urls)
        watch.lap("data files and feeds")
        search_index = indexing.result()
        watch.lap("search index (after the data files)")
    outputs = asset_outputs + pages + search_index + data + feeds + [render_headers(atlas.config)]
    return outputs, errors, SiteState(config, atlas, graph, urls, assets, env)


def build(config: Config, progress=None, gate: PublishGate | None = None) -> BuildReport:
    """Render the site and publish it whole; with a gate, publish only if no newer edit cancelled it.

    After edits to entries' text alone, the build starts from the last one's
    snapshot (snapshot.py) instead of the whole atlas; the bytes are the same.
    """
    try:
        return _build(config, progress, gate)
    finally:
        gc.unfreeze()  # what the cache and snapshot loaded can be collected again (atlas serve lives on)


def _build(config: Config, progress, gate: PublishGate | None) -> BuildReport:
    started = time.perf_counter()
    gate = gate or PublishGate()
    watch = Stopwatch()
    cache = load_cache(config.cache_dir, config.output_dir, config.templates_dir)
    listing = content_listing(config.content_dir) if config.cache_dir is not None else None  # before reading
    settings = _settings(config)
    watch.lap("cache")
    resumed = _after_text_edits(config, cache, settings, listing, gate, watch)
    if resumed is not None:
        outputs, errors, state, previous = resumed
    else:
        (outputs, errors, state), previous = render(config, cache, progress, gate, watch), None
    if config.strict:
        broken = check_links(outputs, Urls.from_base_url(_base_url(config, outputs)).base_path)
        if broken:
            raise BrokenLinksError(broken)
    with gate.lock:
        gate.checkpoint()
        written: WriteReport = write_site(outputs, config.output_dir, config.background_cleanup)
        watch.lap("write")
        published = published_stamps(outputs, config.output_dir) if config.cache_dir is not None else {}
        save_cache(cache, config.cache_dir, config.output_dir, published)
        if listing is None:
            forget_snapshot(config.cache_dir, config.output_dir)
        else:
            snapshot = Snapshot(settings, listing, state.atlas, state.graph, state.assets, errors.warnings,
                                published)
            if previous is not None:  # the resolved atlas stays last full build's, with the edits since
                snapshot.resolved_id, snapshot.edited = previous.resolved_id, previous.edited
            save_snapshot(snapshot, config.cache_dir, config.output_dir, cache.namespace, full=previous is None)
        watch.lap("cache")
        pages = sum(1 for o in outputs if o.dest.endswith(".html"))
        if gate.published is not None:
            gate.published(state, pages)
    return BuildReport(
        rendered=cache.rendered,
        resumed=previous is not None,
        pages=pages,
        files=len(outputs),
        written=written.written,
        unchanged=written.unchanged,
        removed=written.removed,
        seconds=time.perf_counter() - started,
        warnings=errors.warnings,
        state=state,
        stages=watch.stages,
        peak_memory=watch.peak_memory,
    )


def _after_text_edits(config: Config, cache: BuildCache, settings: tuple, listing: dict | None,
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
    rendered_again = _entry_dests(entry.key for entry in edited)
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
                               _entry_dests(atlas.entries))
    watch.lap("search index")
    errors.problems.extend(snapshot.warnings)
    return outputs + search_index, errors, SiteState(config, atlas, graph, urls, snapshot.assets, env), snapshot


def _entry_dests(keys) -> set[str]:
    """The files of these entries' pages, from their (kind, slug)."""
    return {route_to_dest(entry_route(kind, slug)) for kind, slug in keys}


def _settings(config: Config) -> tuple:
    """What a build's output depends on besides content/ and the code: its settings, templates and assets."""
    templates = sorted(path for path in Path(config.templates_dir).rglob("*") if path.is_file())
    return (str(Path(config.content_dir).resolve()), config.base_url, config.drafts,
            file_stamps(templates), file_stamps(asset_sources()))


class BrokenLinksError(AtlasError):
    """--strict found links in the built site that lead nowhere; nothing was written."""

    def __init__(self, broken: list) -> None:
        self.broken = broken
        super().__init__("\n".join(str(link) for link in broken))


def _base_url(config: Config, outputs: list[Output]) -> str | None:
    """The base URL the site was rendered for (from --base-url or atlas.yaml, as render saw it)."""
    if config.base_url:
        return config.base_url
    home = next((o for o in outputs if o.dest == "index.html"), None)
    if home is None:
        return None
    match = re.search(rb'<link rel="canonical" href="([^"]+)"', home.data)
    return match.group(1).decode() if match else None
