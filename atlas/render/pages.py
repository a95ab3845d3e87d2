"""Render every page of the site from the validated atlas and its graph.

Runs after relations.py, before writer.py. Reads no files: templates come in
through templates.py, and the result is a list of (path, bytes) outputs.
Entry pages come from entries.py (each through its kind), each kind's index
from its kind, the timeline from timeline.py, the as-of-a-year pages from asof.py and the site's other pages from
indexes.py; site.py holds what they share. Templates get entries and plain
values, never file paths.
"""

from __future__ import annotations

from jinja2 import Environment

from atlas import kinds
from atlas.graph.relations import Graph
from atlas.incremental.cache import BuildCache, entry_token
from atlas.model import Atlas, Entry, Output
from atlas.render.asof import render_as_of
from atlas.render.assets import Assets
from atlas.render.entries import render_entry_page
from atlas.render.indexes import (render_home, render_open_data, render_partnership_index,
                                  render_source_pages)
from atlas.render.markup import MarkdownRenderer
from atlas.render.parallel import render_each
from atlas.render.search import bundle_paths
from atlas.render.site import Pages, SiteView
from atlas.render.timeline import render_timeline
from atlas.render.urls import Urls


def render_pages(atlas: Atlas, graph: Graph, env: Environment, urls: Urls, assets: Assets,
                 cache: BuildCache | None = None, progress=None) -> list[Output]:
    """Every HTML page of the site; with a cache, only the pages whose inputs changed are rendered.

    `progress(done, total)`, when given, is called as entry pages are done.
    """
    site = SiteView(atlas, graph, urls, assets)
    pages = Pages(site, env, MarkdownRenderer(), cache or BuildCache(namespace=""))
    entries = sorted(atlas.entries.values(), key=lambda e: (e.kind, e.slug))
    for entry in entries:  # computed once here, not once in each worker
        entry_token(entry)
    for kind in kinds.registered():
        env.get_template(kind.template)
    render_each(lambda entry: render_entry_page(pages, entry), entries, pages.cache, pages.outputs, progress)
    render_home(pages)
    for kind in kinds.registered():
        if kind.index is not None:
            kind.index(kind, pages)
    render_partnership_index(pages)
    render_timeline(pages)
    render_as_of(pages)
    render_source_pages(pages)
    render_open_data(pages)
    pages.emit("search/", "search.html", merged_bundles=[urls.page(path) for path in bundle_paths(len(entries))[1:]])
    pages.emit("404.html", "404.html")
    return pages.outputs


def render_entry_pages(entries: list[Entry], atlas: Atlas, graph: Graph, env: Environment, urls: Urls,
                       assets: Assets, cache: BuildCache | None = None) -> list[Output]:
    """The pages of these entries alone, with the bytes render_pages gives them (rebuilds after text edits)."""
    pages = Pages(SiteView(atlas, graph, urls, assets), env, MarkdownRenderer(), cache or BuildCache(namespace=""))
    for entry in entries:
        render_entry_page(pages, entry)
    return pages.outputs
