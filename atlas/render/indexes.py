"""The site's own pages: home, partnerships, sources, open data and 404.

Used by pages.py; each kind's index page comes from its kind (atlas/kinds/), the
timeline from timeline.py. Reads no files.
"""

from __future__ import annotations

from collections import defaultdict

from atlas import kinds
from atlas.graph.relations import Partnership
from atlas.maps.spec import (MapOverlay, MapSpec, inline_map, map_data, map_data_file, map_legend, map_overview_file,
                             map_region_files)
from atlas.render import paging, present
from atlas.render.data import data_file_columns, data_files
from atlas.render.datapackage import LICENCE
from atlas.render.site import Pages
from atlas.render.timeline import decade_index


def render_home(pages: Pages) -> None:
    """The home page: the map of every city and partnership, counts, recent case studies, networks, themes."""
    atlas, graph = pages.site.atlas, pages.site.graph
    folder = {name: kinds.of_name(name).folder for name in ("city", "network", "case-study", "theme", "page")}
    cities = atlas.of_kind(folder["city"])
    points = [pages.place_point(c.slug, "city") for c in cities]
    index = {c.slug: i for i, c in enumerate(cities)}
    overlays = []
    for network in atlas.of_kind(folder["network"]):
        members = [index[s] for s in graph.members_of.get(network.slug, []) if s in index and points[index[s]]]
        if members:
            short = network.meta.short_name
            name = f"{network.title} ({short})" if short and short != network.title else network.title
            overlays.append(MapOverlay(f"{name} members", tuple(members)))
    keep = [i for i, p in enumerate(points) if p]
    remap = {old: new for new, old in enumerate(keep)}
    overlays = [MapOverlay(o.label, tuple(remap[i] for i in o.points)) for o in overlays]
    point_of = {cities[old].slug: new for old, new in remap.items()}
    lines = tuple(line for line in (pages.partnership_line(p, point_of) for p in graph.partnerships) if line)
    spec = MapSpec(f"Map of {present.count(len(keep), 'city', 'cities')} and "
                   f"{present.count(len(graph.partnerships), 'partnership')}",
                   tuple(points[i] for i in keep), lines, tuple(overlays), cluster=True)
    studies = sorted(atlas.of_kind(folder["case-study"]), key=lambda e: (e.meta.date or ("0",))[0], reverse=True)
    stats = {
        "cities": len(cities), "partnerships": len(graph.partnerships),
        "former": sum(1 for p in graph.partnerships if not p.current),
        "networks": len(atlas.of_kind(folder["network"])), "case_studies": len(studies),
        "countries": len({c.meta.country for c in cities}),
    }
    pages.emit("", "home.html", map=place_map(pages, spec), stats=stats,
               years=pages.year_range([*graph.partnerships, *graph.memberships]), case_studies=studies[:6],
               networks=atlas.of_kind(folder["network"]), themes=atlas.of_kind(folder["theme"]),
               pages=sorted(atlas.of_kind(folder["page"]), key=lambda e: (e.meta.order, e.title)),
               description=atlas.config.description or "")


def place_map(pages: Pages, spec: MapSpec, name: str = "home") -> dict | None:
    """A map of the whole atlas (home, as-of pages): its data inside the page, or, for a big atlas, in a file
    the map script fetches.

    The file (assets/maps/<name>.<hash>.json) is named by its content, so it can be
    cached for ever; the page names it in the map's data-map-src. A clustered map also
    gets an overview file (<name>-overview.<hash>.json), named in data-map-overview and
    preloaded: the map shows it first and, when the reader zooms in, fetches the files of the regions in view
    (<name>-<row>-<column>.<hash>.json).
    """
    if not spec.points or inline_map(spec):
        return pages.map_block(spec)
    whole_data = map_data(spec)  # the whole map's file, and the regions cut from it
    dest, data = map_data_file(spec, name, whole_data)
    pages.attach(dest, data)
    block = {"label": spec.label, "src": pages.site.urls.page(dest), "count": len(spec.points),
             "cluster": spec.cluster, "legend": map_legend(spec)}
    if spec.cluster:  # first an overview; each city and tie of the regions in view when the reader zooms in
        whole = (block["src"], len(data))
        regions = []
        for bounds, region, part in map_region_files(spec, name, whole_data):
            pages.attach(region, part)
            regions.append([*bounds, pages.site.urls.page(region), len(part)])
        overview, data = map_overview_file(spec, f"{name}-overview", regions, whole)
        pages.attach(overview, data)
        block["overview"] = pages.site.urls.page(overview)
    return block


def render_partnership_index(pages: Pages) -> None:
    cities = kinds.of_name("city").folder
    rows = sorted(pages.site.graph.partnerships,
                  key=lambda p: (p.first_year or 9999, pages.site.atlas.get(cities, p.a).title))
    if len(rows) > paging.PARTNERSHIP_INDEX_LIMIT:
        _partnership_index_by_decade(pages, rows)
        return
    pages.emit("partnerships/", "index_partnerships.html", partnerships=rows, part=None, parts=None)


def _partnership_index_by_decade(pages: Pages, rows: list[Partnership]) -> None:
    """A big atlas: partnerships/ lists the decades with counts; each decade's partnerships have a page."""
    by_decade: dict[int | None, list[Partnership]] = defaultdict(list)
    for partnership in rows:  # already oldest first
        year = partnership.first_year
        by_decade[paging.decade_of(year) if year is not None else None].append(partnership)
    keys = sorted(k for k in by_decade if k is not None) + ([None] if None in by_decade else [])
    parts = [{"label": paging.decade_label(k), "route": paging.decade_route("partnerships", k),
              "count": len(by_decade[k]), "detail": present.count(len(by_decade[k]), "partnership"),
              "undated": k is None}
             for k in keys]
    decade_index(pages, "partnerships/", "Partnerships", parts, len(by_decade.get(None, [])),
                 f"{present.count(len(rows), 'partnership')} between cities in the atlas, by the decade "
                 "in which they began. Each decade's page lists them oldest first.",
                 "Every partnership between cities in the atlas, by decade.")
    for key, part in zip(keys, parts):
        pages.emit(part["route"], "index_partnerships.html", partnerships=by_decade[key], part=part, parts=parts)


def render_source_pages(pages: Pages) -> None:
    """sources/: the bibliography, and a page per source listing what cites it."""
    site = pages.site
    ordered = sorted(site.atlas.bibliography.items(), key=lambda item: (item[1].title.casefold(), item[0]))
    pages.emit("sources/", "index_sources.html", sources=ordered)
    for source_id, source in ordered:
        citing = site.entries(site.graph.cited_by.get(source_id, []))
        pages.emit(f"sources/{source_id}/", "source.html", source_id=source_id, source=source,
                   citing=sorted(citing, key=lambda e: (e.kind, e.title.casefold())))


def render_open_data(pages: Pages, sizes: dict[str, int] | None = None) -> None:
    """data/: each file of the open data with its format, size (when the data files are made first, as a
    build makes them) and, for CSV files, its columns; the licence, from the data package."""
    columns = data_file_columns()
    files = [{"url": pages.site.urls.page(path), "name": path.rsplit("/", 1)[-1], "text": text, "format": kind,
              "size": present.format_size(sizes[path]) if sizes and path in sizes else None,
              "columns": columns.get(path, ())}
             for path, text, kind in data_files()]
    pages.emit("data/", "data.html", files=files, licence=LICENCE)
