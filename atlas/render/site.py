"""What every page is rendered with: the site as templates see it, and the emitter of pages.

Used by pages.py and the modules that render one part of the site (entries.py,
indexes.py, timeline.py), and by the kinds' page contexts and index pages
(atlas/kinds/), which get the `Pages` as `page` or `pages`. Reads no files.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from typing import Callable

from jinja2 import Environment

from atlas import kinds
from atlas.incremental.cache import BuildCache, fingerprint
from atlas.incremental.dependencies import Dependencies, RecordedAtlas, RecordedGraph, Tokens
from atlas.maps.spec import MapLine, MapPoint, MapSpec, json_for_html, map_data, map_legend
from atlas.model import Atlas, Entry, Output
from atlas.graph.relations import Graph, Partnership
from atlas.render import present
from atlas.render.assets import Assets
from atlas.render.markup import BodyContext, MarkdownRenderer, plain_text
from atlas.render.policy import content_security_policy
from atlas.render.urls import Urls, route_to_dest

def nav_items() -> tuple[tuple[str, str], ...]:
    """The navigation bar: home, each kind's index that is in it, the timeline and the sources."""
    return (("", "Home"), *((f"{kind.folder}/", kind.label[1]) for kind in kinds.registered() if kind.nav),
            ("timeline/", "Timeline"), ("sources/", "Sources"))


@dataclass
class SiteView:
    """What every template can ask about the site.

    While a unit of pages is made (Pages.unit), its context functions and
    templates get the view `reading(reads)`: each entry it looks up, each
    relation of the graph and each source it reads is recorded in `reads`
    (atlas/incremental/dependencies.py), and the unit is made again when one
    of them changes.
    """

    atlas: Atlas
    graph: Graph
    urls: Urls
    assets: Assets
    reads: Dependencies | None = None

    def reading(self, reads: Dependencies) -> "SiteView":
        """This view, recording into `reads` what is read through it."""
        plain = self.plain
        return replace(self, atlas=RecordedAtlas(plain.atlas, reads), graph=RecordedGraph(plain.graph, reads),
                       reads=reads, plain_view=plain)

    plain_view: "SiteView | None" = None  # the view this one records reads of

    @property
    def plain(self) -> "SiteView":
        """The view without recording (what is read through it counts through the page's fingerprint)."""
        return self.plain_view or self

    @property
    def config(self):
        return self.atlas.config

    def csp_for(self, route: str) -> str:
        """The page's policy; only the search page runs WebAssembly (Pagefind)."""
        return content_security_policy(self.atlas.config, wasm=route == "search/")

    def url(self, kind_or_entry, slug: str | None = None) -> str:
        if not isinstance(kind_or_entry, str):  # an entry, or a view of one
            return self.urls.entry(kind_or_entry.kind, kind_or_entry.slug)
        if slug is None:
            return self.urls.page(kind_or_entry)
        return self.urls.entry(kind_or_entry, slug)

    def entry(self, kind: str, slug: str) -> Entry | None:
        return self.atlas.get(kind, slug)

    def entries(self, keys) -> list[Entry]:
        found = (self.atlas.get(*key) for key in keys)
        return [entry for entry in found if entry is not None]

    def cities_of(self, entry: Entry) -> list[Entry]:
        return self.entries((_CITIES, slug) for slug in entry.meta.cities)

    def source_url(self, source_id: str) -> str:
        return self.urls.page(f"sources/{source_id}/")


_CITIES = kinds.of_name("city").folder


def partnership_dates(partnership: Partnership) -> str:
    """ ", 1985; suspended 16 March 2022": when the tie began and how it stands, after its kind."""
    when = present.format_disputed(partnership.since)
    status = present.tie_status(partnership)
    return (f", {when}" if when else "") + (f"; {status[0].lower()}{status[1:]}" if status else "")


class Pages:
    """Makes the site's pages unit by unit into `outputs`, each through the cache; and the helpers page
    contexts share.

    A unit is one call that emits pages: an entry's page, a kind's index pages,
    the timeline. While it runs, `site` is the recording view: everything the
    unit reads, in its context functions and in its templates, is recorded, and
    the next build reuses its pages without running it while all of that, the
    site's settings and the unit's own inputs are unchanged.
    """

    def __init__(self, site: SiteView, env: Environment, renderer: MarkdownRenderer, cache: BuildCache,
                 tokens: Tokens | None = None) -> None:
        self.plain_site = site
        self.site = site
        self.unit_reads: Dependencies | None = None
        self.env = env
        self.renderer = renderer
        self.cache = cache
        self.outputs: list[Output] = []
        self.nav = nav_items()
        pages = [entry for kind in kinds.registered() if kind.at_root for entry in site.atlas.of_kind(kind.folder)]
        self.footer_pages = sorted(pages, key=lambda e: (e.meta.order, e.title))
        self.site_key = fingerprint(site.atlas.config, site.urls, site.assets, self.footer_pages, self.nav)
        # what every page's header and footer link to, with their addresses: made once, not once a page
        self.nav_links = tuple((route, label, site.url(route)) for route, label in self.nav)
        self.footer_links = tuple((site.url(page), page.title) for page in self.footer_pages)
        self.tokens = tokens or Tokens(site.atlas, site.graph)

    def unit(self, name: str, make: Callable[[], None], *inputs: object) -> None:
        """Run `make`, which emits pages, recording what it reads; or reuse the pages it made last time.

        `inputs` are what `make` holds that it did not read through `site` (the
        unit's entry is read through it).
        """
        reused = self.reused(name, *inputs)
        if reused is not None:
            self.outputs.extend(reused)
            return
        key = self._unit_key(name, inputs)
        start = len(self.outputs)
        self.unit_reads = Dependencies(self.tokens)
        self.site = self.plain_site.reading(self.unit_reads)
        try:
            make()
        finally:
            reads, self.unit_reads, self.site = self.unit_reads, None, self.plain_site
        self.cache.record_unit(name, key, reads.recorded(), [output.dest for output in self.outputs[start:]])

    def reused(self, name: str, *inputs: object) -> list[Output] | None:
        """The pages the unit made last time, if nothing it read and none of its inputs changed since."""
        return self.cache.reuse_unit(name, self._unit_key(name, inputs), self.tokens)

    def _unit_key(self, name: str, inputs: tuple) -> str:
        """The unit's fingerprint. Most units (an entry's page) have no inputs but their name: hashed
        directly, since a build after one edit asks for all 10,000 of them."""
        if not inputs:
            return hashlib.sha256(f"{self.site_key}\0{name}".encode("utf-8")).hexdigest()
        return fingerprint(self.site_key, name, inputs)

    def emit(self, route: str, template: str, **context) -> None:
        """Render the page, or reuse last build's: while its settings, template, context and what its
        template read through `site` are unchanged."""
        section = route.split("/", 1)[0] + "/" if "/" in route else ""
        context.setdefault("map", None)
        context.setdefault("json_ld", None)
        dest = route_to_dest(route)
        key = fingerprint(self.site_key, template, route, context)
        reads = Dependencies(self.tokens, parent=self.unit_reads)

        def render() -> bytes:
            html = self.env.get_template(template).render(
                site=self.plain_site.reading(reads), route=route, section=section if route != "404.html" else None,
                nav_items=self.nav_links, footer_links=self.footer_links, **context)
            return html.encode("utf-8")

        self.outputs.append(self.cache.page(dest, key, render, reads))

    def attach(self, dest: str, data: bytes) -> None:
        """A file that goes with a page (its map's data), kept by the cache with the unit's pages."""
        self.outputs.append(self.cache.page(dest, hashlib.sha256(data).hexdigest(), lambda: data, counted=False))

    def body_html(self, entry: Entry, citations: list[str]) -> str:
        links = {}
        for written, link in self.site.graph.body_links.get(entry.key, {}).items():
            if link.target is not None:
                target = self.site.atlas.entries[link.target]
                links[written] = (self.site.url(target), target.title)
        numbers = {source_id: index + 1 for index, source_id in enumerate(citations)}
        key = fingerprint(entry.body, links, numbers)
        return self.cache.body(key, lambda: self.renderer.render(entry.body, BodyContext(links, numbers)))

    def references(self, entry: Entry) -> list[tuple[int, str, object]]:
        ids = self.site.graph.citations.get(entry.key, [])
        return [(index + 1, source_id, self.site.atlas.bibliography[source_id]) for index, source_id in enumerate(ids)]

    def description(self, entry: Entry, body_html: str) -> str:
        if entry.meta.summary:
            return entry.meta.summary
        text = plain_text(body_html)
        return (text[:157] + "…") if len(text) > 160 else text

    def place_point(self, slug: str, role: str, detail: str = "",
                    years: tuple[int | None, int | None] | None = None) -> MapPoint | None:
        """The city's point on a map; `years` (first, last) when it is there only for a while (a partner)."""
        place = self.site.graph.places.get(slug)
        city = self.site.atlas.get(_CITIES, slug)
        if place is None or city is None:
            return None
        return MapPoint(place.lat, place.lon, city.title, self.site.url(city), role,
                        detail or present.country_name(city.meta.country), years)

    def map_block(self, spec: MapSpec | None) -> dict | None:
        if spec is None or not spec.points:
            return None
        return {"label": spec.label, "json": json_for_html(map_data(spec)), "count": len(spec.points),
                "cluster": spec.cluster, "legend": map_legend(spec)}

    def partnership_line(self, partnership: Partnership, index: dict[str, int], first: str | None = None
                         ) -> MapLine | None:
        """A line between two points of the map (`index`: city slug -> point), drawn from `first`."""
        if partnership.a not in index or partnership.b not in index:
            return None
        names = [self.site.atlas.get(_CITIES, s).title for s in (partnership.a, partnership.b)]
        label = (f"{names[0]} – {names[1]} ({present.partnership_kind(partnership.kind).lower()}"
                 f"{partnership_dates(partnership)})")
        a, b = (partnership.a, partnership.b) if first != partnership.b else (partnership.b, partnership.a)
        return MapLine(index[a], index[b], partnership.kind, label, partnership.first_year, partnership.last_year,
                       partnership.status)

    def dates_of(self, partnership: Partnership) -> str:
        return partnership_dates(partnership)

    def year_range(self, relations) -> dict | None:
        """The years the year control spans: from the first start to the last start or end of `relations`,
        or the year after it when it is an end (the first year without that tie)."""
        starts = {r.first_year for r in relations if r.first_year is not None}
        ends = {r.last_year for r in relations if r.last_year is not None}
        if not starts | ends:
            return None
        last = max(starts | ends)
        return {"first": min(starts | ends), "last": last + 1 if last in ends else last}

    def case_studies(self, key: tuple[str, str]) -> list[Entry]:
        """The case studies about this entry, newest first."""
        folder = kinds.of_name("case-study").folder
        studies = self.site.entries((folder, s) for s in self.site.graph.case_studies_of.get(key, []))
        return sorted(studies, key=lambda e: (e.meta.date or ("0",))[0], reverse=True)
