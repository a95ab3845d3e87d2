"""Render every page of the site from the validated atlas and its graph.

Runs after relations.py, before writer.py. Reads no files: templates come in
through templates.py, and the result is a list of (path, bytes) outputs.
Entry pages come from entries.py (each through its kind), each kind's index
from its kind, the timeline from timeline.py, the as-of-a-year pages from asof.py and the site's other pages from
indexes.py; site.py holds what they share. Templates get entries and plain
values, never file paths.
"""

from __future__ import annotations

from typing import Callable

from jinja2 import Environment

from atlas import kinds
from atlas.graph.relations import Graph
from atlas.incremental.cache import BuildCache, entry_token
from atlas.incremental.dependencies import Tokens
from atlas.model import Atlas, Entry, Output
from atlas.render.asof import render_as_of
from atlas.render.assets import Assets
from atlas.render.entries import render_entry_page
from atlas.render.indexes import (render_home, render_open_data, render_partnership_index,
                                  render_source_pages)
from atlas.render.markup import MarkdownRenderer
from atlas.render.parallel import render_each, worker_count
from atlas.render.search import bundle_paths
from atlas.render.site import Pages, SiteView
from atlas.render.templates import compile_templates
from atlas.render.timeline import render_timeline
from atlas.render.urls import Urls


def render_entry_pages(atlas: Atlas, graph: Graph, env: Environment, urls: Urls, assets: Assets,
                       cache: BuildCache | None = None, progress=None, tokens: Tokens | None = None) -> Pages:
    """The entries' own pages, in entry order (`.outputs`), on every core; with a cache, only the pages
    whose inputs changed are rendered. `progress(done, total)`, when given, is called as they are done.

    The search index reads these pages only, so a build can start it here, beside the rest.
    """
    site = SiteView(atlas, graph, urls, assets)
    pages = Pages(site, env, MarkdownRenderer(), cache or BuildCache(namespace=""), tokens)
    entries = sorted(atlas.entries.values(), key=lambda e: (e.kind, e.slug))
    for entry in entries:  # computed once here, not once in each worker
        entry_token(entry)
    reused = {entry.key: pages.reused(entry_unit(entry)) for entry in entries}  # no worker starts for these
    pending = [entry for entry in entries if reused[entry.key] is None]
    if worker_count(len(pending)) > 1:
        compile_templates(env)  # here, once: the workers inherit them compiled
    render_each(lambda entry: render_entry_unit(pages, entry), pending, pages.cache, pages.outputs, progress)
    fresh = {output.dest: output for output in pages.outputs}
    pages.outputs = [output for entry in entries for output in
                     (reused[entry.key] or [fresh[dest] for dest in pages.cache.units[entry_unit(entry)][2]])]
    return pages


def render_site_pages(pages: Pages, data_sizes: dict[str, int] | None = None) -> list[Output]:
    """The entries' pages render_entry_pages made, then the site's other pages. `data_sizes` (path -> bytes
    of each open-data file) lets the Open data page give each file's size."""
    for name, (make, inputs) in site_units(pages, len(pages.plain_site.atlas.entries), data_sizes).items():
        pages.unit(name, make, *inputs)
    return pages.outputs


def entry_unit(entry: Entry) -> str:
    return f"entry:{entry.kind}/{entry.slug}"


def render_entry_unit(pages: Pages, entry: Entry) -> None:
    pages.unit(entry_unit(entry), lambda: render_entry_page(pages, entry))


def site_units(pages: Pages, entry_count: int, data_sizes: dict[str, int] | None = None
               ) -> dict[str, tuple[Callable[[], None], tuple]]:
    """The site's units of pages besides the entries' own: name -> (what makes them, its inputs)."""
    urls = pages.plain_site.urls
    units: dict[str, tuple[Callable[[], None], tuple]] = {"home": (lambda: render_home(pages), ())}
    for kind in kinds.registered():
        if kind.index is not None:
            units[f"index:{kind.name}"] = (lambda kind=kind: kind.index(kind, pages), ())
    merged = [urls.page(path) for path in bundle_paths(entry_count)[1:]]
    units.update({
        "partnerships": (lambda: render_partnership_index(pages), ()),
        "timeline": (lambda: render_timeline(pages), ()),
        "as-of": (lambda: render_as_of(pages), ()),
        "sources": (lambda: render_source_pages(pages), ()),
        "open-data": (lambda: render_open_data(pages, data_sizes), (sorted((data_sizes or {}).items()),)),
        "search": (lambda: pages.emit("search/", "search.html", merged_bundles=merged), (merged,)),
        "404": (lambda: pages.emit("404.html", "404.html"), ()),
    })
    return units


def render_units(names: set[str], atlas: Atlas, graph: Graph, env: Environment, urls: Urls,
                 assets: Assets, data_sizes: dict[str, int] | None = None) -> list[Output]:
    """The pages of these units alone, with the bytes render_entry_pages and render_site_pages give them (atlas serve's quick rebuilds)."""
    pages = Pages(SiteView(atlas, graph, urls, assets), env, MarkdownRenderer(), BuildCache(namespace=""))
    others = site_units(pages, len(atlas.entries), data_sizes)
    for name in sorted(names):
        if name.startswith("entry:"):
            render_entry_page(pages, atlas.get(*name.removeprefix("entry:").split("/", 1)))
        else:
            others[name][0]()
    return pages.outputs
