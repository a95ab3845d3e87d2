"""The build, top to bottom: load -> validate -> resolve -> render -> write.

Each stage takes plain objects and returns plain objects; only the first
reads content/ and only the last writes output/. Every content problem is
collected before anything is written, so a broken file never publishes.
"""

from __future__ import annotations

import gc
import time
from pathlib import Path

from atlas.content.schema import validate_entries, warn_placeholder_base_url
from atlas.content.sources import content_listing, folder_label, load_sources
from atlas.errors import ContentError, ErrorList
from atlas.graph.audit import CitationCount, audit_atlas, count_citations
from atlas.graph.relations import Graph, resolve_links
from atlas.incremental.cache import BuildCache, fingerprint, load_cache, published_stamps, save_cache
from atlas.incremental.dependencies import Tokens
from atlas.incremental.resume import keep_snapshot, resume_after_edits, site_settings
from atlas.model import Atlas, Output
from atlas.publish.linkcheck import BrokenLinksError, check_links
from atlas.publish.writer import WriteReport, write_site
from atlas.render.assets import Assets, collect_assets
from atlas.render.data import entry_data_files, json_text, render_entry_data, render_graph_data
from atlas.render.feeds import render_feeds
from atlas.render.pages import render_entry_pages, render_site_pages
from atlas.render.parallel import Beside, worker_count
from atlas.render.policy import render_headers
from atlas.render.search import index_pages, start_indexing
from atlas.render.templates import compile_templates, make_environment
from atlas.render.urls import ADMIN, Urls, entry_dests
from atlas.site import BuildReport, Config, PublishGate, SiteState
from atlas.timings import Stopwatch


def check(config: Config, advice: bool = False) -> tuple[ErrorList, Graph | None, CitationCount]:
    """Validate and resolve the content without rendering or writing anything.

    With `advice`, also warn about orphan pages and facts without a source.
    Also counts the citations by the kind of source they cite.
    """
    errors = ErrorList()
    sources = load_sources(config.content_dir, errors, label=folder_label(config.content_dir))
    atlas = validate_entries(sources, errors, drafts=config.drafts, base_url=config.base_url)
    graph = resolve_links(atlas, errors, today=config.today)
    if advice:
        audit_atlas(atlas, graph, errors)
    return errors, graph, count_citations(atlas, graph)


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
    warn_placeholder_base_url(atlas.config, sources, errors)
    watch.lap("validate")
    # the assets need the settings, not the graph: on an atlas rendered on several cores, a second process
    # makes them (importing folium is most of it) while this one resolves and compiles the templates
    parallel = not errors.errors and worker_count(len(atlas.entries)) > 1
    making = Beside(parallel, _assets, atlas, config)
    try:
        graph = resolve_links(atlas, errors, body_scans=cache.body_scans if cache is not None else None,
                              today=config.today)
        if config.strict:
            audit_atlas(atlas, graph, errors)
            if errors.warnings:
                raise ContentError(errors.errors + errors.warnings)  # notes are advice, not failures
        errors.raise_if_any()  # stop before rendering or writing anything
        watch.lap("resolve")
        gate.checkpoint()
        env = make_environment(config.templates_dir, config.cache_dir)
        if parallel:  # meanwhile, and once for the entry pages' workers, which inherit them compiled
            compile_templates(env)
        assets, asset_outputs = making.result()
    finally:
        making.close()
    watch.lap("assets")
    urls = Urls.from_base_url(atlas.config.base_url)
    state = SiteState(config, atlas, graph, urls, assets, env, tuple(output.dest for output in asset_outputs))
    return render_site(state, asset_outputs, errors, cache, progress, gate, watch)


def _assets(atlas: Atlas, config: Config) -> tuple[Assets, list[Output]]:
    """The site's assets and the browser editor's files (render_admin), with the URLs pages load them by."""
    from atlas.editing.cms import render_admin  # the editor's page: a resumed build keeps the published one

    urls = Urls.from_base_url(atlas.config.base_url)
    assets, outputs = collect_assets(urls, atlas.config)
    # the published editor edits the repository's content/; atlas serve's, the folder it serves, wherever it is
    folder = Path(config.content_dir).resolve().name if config.cms_backend else "content"
    return assets, outputs + render_admin(atlas, urls, assets, make_environment(config.templates_dir), folder,
                                          config.cms_backend)


def render_site(state: SiteState, asset_outputs: list[Output], errors: ErrorList, cache: BuildCache | None,
                progress=None, gate: PublishGate | None = None, watch: Stopwatch | None = None,
                tokens: Tokens | None = None) -> tuple[list[Output], ErrorList, SiteState]:
    """Every output file of the resolved site: pages, search index, data files, feeds, and the assets given."""
    gate = gate or PublishGate()
    watch = watch or Stopwatch()
    atlas, graph, urls = state.atlas, state.graph, state.urls
    tokens = state.tokens = tokens or Tokens(atlas, graph)
    entry_pages = render_entry_pages(atlas, graph, state.env, urls, state.assets, cache, _checking(gate, progress),
                                     tokens)
    watch.lap("entry pages")
    gate.checkpoint()
    indexed = entry_dests(atlas.entries)
    # Pagefind reads the entry pages only: it indexes them (on its own threads, in its own process) while
    # this one makes the data files, the site's other pages and the feeds
    indexing = (start_indexing(list(entry_pages.outputs), atlas.config.language, cache, indexed)
                if entry_pages.outputs else None)
    try:
        data = _data_files(atlas, urls, cache, tokens)  # before the Open data page, which gives their sizes
        watch.lap("data files")
        pages = render_site_pages(entry_pages, {output.dest: len(output.data) for output in data})
        watch.lap("other pages")
        feeds = render_feeds(atlas, [page.dest for page in pages if page.dest.endswith(".html")], urls)
        watch.lap("feeds")
        search_index = (indexing.result() if indexing is not None  # an atlas with no entries indexes its other pages
                        else index_pages(pages, atlas.config.language, cache, indexed))
        watch.lap("search index (waited for after the feeds)")
    finally:
        if indexing is not None:
            indexing.close()
    outputs = asset_outputs + pages + search_index + data + feeds + [render_headers(atlas.config)]
    return outputs, errors, state


def build(config: Config, progress=None, gate: PublishGate | None = None) -> BuildReport:
    """Render the site and publish it whole; with a gate, publish only if no newer edit cancelled it.

    After edits that leave the graph as it was, the build starts from the last
    one's snapshot (resume.py) instead of the whole atlas; the bytes are the same.
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
    settings = site_settings(config)
    watch.lap("cache")
    resumed = resume_after_edits(config, cache, settings, listing, watch)
    if resumed is not None:
        outputs, errors, state = render_site(resumed.state, resumed.asset_outputs, resumed.errors, cache, progress,
                                             gate, watch, resumed.tokens)
        previous = resumed.snapshot
    else:
        (outputs, errors, state), previous = render(config, cache, progress, gate, watch), None
    if config.strict:
        broken = check_links(outputs, state.urls.base_path)
        if broken:
            raise BrokenLinksError(broken)
    with gate.lock:
        gate.checkpoint()
        written: WriteReport = write_site(outputs, config.output_dir, config.background_cleanup, cache.trees)
        cache.trees = written.known
        watch.lap("write")
        published = published_stamps(outputs, config.output_dir) if config.cache_dir is not None else {}
        cache.relations = state.tokens.relation_tokens()
        save_cache(cache, config.cache_dir, config.output_dir, published)
        keep_snapshot(config, cache.namespace, settings, listing, state, errors.warnings, published, previous)
        state.units = cache.units_used()
        watch.lap("cache")
        pages = sum(1 for o in outputs if o.dest.endswith(".html") and not o.dest.startswith(ADMIN))
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


def _data_files(atlas: Atlas, urls: Urls, cache: BuildCache | None, tokens: Tokens) -> list[Output]:
    """The open-data files; with a cache, each is last build's while what it lists is unchanged: the graph
    for those made from it alone, and for the others the entries (of their kind) and sources too."""
    if cache is None:
        return render_entry_data(atlas, tokens.graph, urls) + render_graph_data(tokens.graph)

    def encode_section(key: str, reads: tuple[tuple, ...], make) -> str:  # atlas.json's, kept by the cache
        return cache.fragment(fingerprint("atlas.json", key, atlas.config, urls, [tokens.of(read) for read in reads]),
                              lambda: json_text(make()))

    made = [_reused_or_made(cache, fingerprint("data", data_file.dest, atlas.config, urls,
                                               [tokens.of(read) for read in data_file.reads],
                                               data_file.shows() if data_file.shows is not None else None),
                            data_file.make)
            for data_file in entry_data_files(atlas, tokens.graph, urls, encode_section)]
    return ([output for outputs in made for output in outputs]
            + _reused_or_made(cache, fingerprint("graph data", tokens.of(("graph",))),
                              lambda: render_graph_data(tokens.graph)))


def _reused_or_made(cache: BuildCache, key: str, make) -> list[Output]:
    reused = cache.reuse_all(key)
    if reused is not None:
        return reused
    made = make()
    cache.record_all(key, made)
    return made


def _checking(gate: PublishGate, progress):
    """A progress callback that also stops the rendering of a build that newer edits overtook."""
    def report(done: int, total: int) -> None:
        gate.checkpoint()
        if progress is not None:
            progress(done, total)

    return report
