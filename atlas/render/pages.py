"""Render every page of the site from the validated atlas and its graph.

Runs after relations.py, before writer.py. Reads no files: templates come in
through templates.py, and the result is a list of (path, bytes) outputs.
Each page's context comes from one function per page type; templates get
entries and plain values, never file paths.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from jinja2 import Environment

from atlas.render import paging, present
from atlas.maps.spec import MapLine, MapOverlay, MapPoint, MapSpec, inline_map, json_for_html, map_data, map_data_file
from atlas.render.markup import BodyContext, MarkdownRenderer, plain_text
from atlas.incremental.cache import BuildCache, entry_token, fingerprint
from atlas.render.data import DATA_FILES, json_ld
from atlas.model import KIND_LABELS, Atlas, Entry, Output
from atlas.render.assets import Assets
from atlas.render.parallel import render_each
from atlas.render.search import bundle_paths
from atlas.render.policy import content_security_policy
from atlas.graph.relations import Graph, Partnership
from atlas.render.urls import Urls, entry_route, route_to_dest

NAV = (("", "Home"), ("cities/", "Cities"), ("networks/", "Networks"), ("case-studies/", "Case studies"),
       ("themes/", "Themes"), ("timeline/", "Timeline"), ("sources/", "Sources"))


@dataclass
class SiteView:
    """What every template can ask about the site."""

    atlas: Atlas
    graph: Graph
    urls: Urls
    assets: Assets
    bodies: dict = field(default_factory=dict)

    @property
    def config(self):
        return self.atlas.config

    def csp_for(self, route: str) -> str:
        """The page's policy; only the search page runs WebAssembly (Pagefind)."""
        return content_security_policy(self.atlas.config, wasm=route == "search/")

    def url(self, kind_or_entry, slug: str | None = None) -> str:
        if isinstance(kind_or_entry, Entry):
            return self.urls.entry(kind_or_entry.kind, kind_or_entry.slug)
        if slug is None:
            return self.urls.page(kind_or_entry)
        return self.urls.entry(kind_or_entry, slug)

    def entry(self, kind: str, slug: str) -> Entry | None:
        return self.atlas.get(kind, slug)

    def entries(self, keys) -> list[Entry]:
        found = (self.atlas.entries.get(tuple(key)) for key in keys)
        return [entry for entry in found if entry is not None]

    def cities_of(self, entry: Entry) -> list[Entry]:
        return self.entries(("cities", slug) for slug in entry.meta.cities)

    def source_url(self, source_id: str) -> str:
        return self.urls.page(f"sources/{source_id}/")


ENTRY_TEMPLATES = {"cities": "city.html", "networks": "network.html", "case-studies": "case_study.html",
                   "themes": "theme.html", "pages": "page.html"}

# pages whose templates read the whole atlas (through `site.graph` or `site.entry`), not just their context
WHOLE_ATLAS_TEMPLATES = frozenset({
    "home.html", "index_cities.html", "index_list.html", "index_case_studies.html", "index_partnerships.html",
    "index_sources.html", "timeline.html", "data.html", "search.html", "404.html",
})


def render_pages(atlas: Atlas, graph: Graph, env: Environment, urls: Urls, assets: Assets,
                 cache: BuildCache | None = None, progress=None) -> list[Output]:
    """Every HTML page of the site; with a cache, only the pages whose inputs changed are rendered.

    `progress(done, total)`, when given, is called as entry pages are done.
    """
    site = SiteView(atlas, graph, urls, assets)
    renderer = MarkdownRenderer()
    pages = _Pages(site, env, renderer, cache or BuildCache(namespace=""))
    entries = sorted(atlas.entries.values(), key=lambda e: (e.kind, e.slug))
    for entry in entries:  # computed once here, not once in each worker
        entry_token(entry)
    for template in ENTRY_TEMPLATES.values():
        env.get_template(template)
    render_each(pages.entry_page, entries, pages.cache, pages.outputs, progress)
    pages.home()
    pages.city_index()
    pages.simple_index("networks")
    pages.simple_index("themes")
    pages.case_study_index()
    pages.partnership_index()
    pages.timeline()
    pages.source_pages()
    pages.open_data()
    pages.emit("search/", "search.html", merged_bundles=[urls.page(path) for path in bundle_paths(len(entries))[1:]])
    pages.not_found()
    return pages.outputs


def render_entry_pages(entries: list[Entry], atlas: Atlas, graph: Graph, env: Environment, urls: Urls,
                       assets: Assets, cache: BuildCache | None = None) -> list[Output]:
    """The pages of these entries alone, with the bytes render_pages gives them (rebuilds after text edits)."""
    pages = _Pages(SiteView(atlas, graph, urls, assets), env, MarkdownRenderer(), cache or BuildCache(namespace=""))
    for entry in entries:
        pages.entry_page(entry)
    return pages.outputs


class _Pages:
    def __init__(self, site: SiteView, env: Environment, renderer: MarkdownRenderer, cache: BuildCache) -> None:
        self.site = site
        self.env = env
        self.renderer = renderer
        self.cache = cache
        self.outputs: list[Output] = []
        self.footer_pages = sorted(site.atlas.of_kind("pages"), key=lambda e: (e.meta.order, e.title))
        self.site_key = fingerprint(site.atlas.config, site.urls, site.assets, self.footer_pages, NAV)
        self._atlas_key: str | None = None

    @property
    def atlas_key(self) -> str:
        """A fingerprint of every entry and relation, for pages that show the whole atlas."""
        if self._atlas_key is None:
            atlas, graph = self.site.atlas, self.site.graph
            self._atlas_key = fingerprint(sorted(atlas.entries.items()), graph.partnerships, graph.members_of,
                                          graph.places, graph.cited_by, sorted(atlas.bibliography.items()))
        return self._atlas_key

    # --- helpers -----------------------------------------------------------

    def emit(self, route: str, template: str, **context) -> None:
        section = route.split("/", 1)[0] + "/" if "/" in route else ""
        context.setdefault("map", None)
        context.setdefault("json_ld", None)
        dest = route_to_dest(route)
        whole = self.atlas_key if template in WHOLE_ATLAS_TEMPLATES else None
        key = fingerprint(self.site_key, template, route, context, whole)

        def render() -> bytes:
            html = self.env.get_template(template).render(
                site=self.site, route=route, section=section if route != "404.html" else None,
                nav_items=NAV, footer_pages=self.footer_pages, **context)
            return html.encode("utf-8")

        self.outputs.append(self.cache.page(dest, key, render))

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

    def place_point(self, slug: str, role: str, detail: str = "") -> MapPoint | None:
        place = self.site.graph.places.get(slug)
        city = self.site.atlas.get("cities", slug)
        if place is None or city is None:
            return None
        return MapPoint(place.lat, place.lon, city.title, self.site.url(city), role,
                        detail or present.country_name(city.meta.country))

    def map_block(self, spec: MapSpec | None) -> dict | None:
        if spec is None or not spec.points:
            return None
        return {"label": spec.label, "json": json_for_html(map_data(spec)), "count": len(spec.points),
                "cluster": spec.cluster}

    def partnership_line(self, partnership: Partnership, index: dict[str, int], first: str | None = None
                         ) -> MapLine | None:
        """A line between two points of the map (`index`: city slug -> point), drawn from `first`."""
        if partnership.a not in index or partnership.b not in index:
            return None
        names = [self.site.atlas.get("cities", s).title for s in (partnership.a, partnership.b)]
        when = present.format_disputed(partnership.since)
        label = f"{names[0]} – {names[1]} ({present.partnership_kind(partnership.kind).lower()}"
        label += f", {when})" if when else ")"
        a, b = (partnership.a, partnership.b) if first != partnership.b else (partnership.b, partnership.a)
        return MapLine(index[a], index[b], partnership.kind, label)

    # --- entry pages -------------------------------------------------------

    def entry_page(self, entry: Entry) -> None:
        graph = self.site.graph
        citations = graph.citations.get(entry.key, [])
        body = self.body_html(entry, citations)
        context = {
            "entry": entry,
            "filters": self.search_filters(entry),
            "json_ld": json_for_html(json_ld(entry, graph, self.site.urls, self.site.atlas)),
            "body": body,
            "description": self.description(entry, body),
            "references": self.references(entry),
            "referenced_by": self.referenced_by(entry),
            "related": self.site.entries(graph.related.get(entry.key, [])),
            "map": None,
        }
        builder = {
            "cities": self.city_context,
            "networks": self.network_context,
            "case-studies": self.case_study_context,
            "themes": self.theme_context,
            "pages": lambda e: {},
        }[entry.kind]
        context.update(builder(entry))
        self.emit(entry_route(entry.kind, entry.slug), ENTRY_TEMPLATES[entry.kind], **context)

    def search_filters(self, entry: Entry) -> list[tuple[str, str]]:
        """Pagefind filters: kind, and region, country, network and theme where they apply."""
        atlas, graph = self.site.atlas, self.site.graph
        filters = [("kind", KIND_LABELS[entry.kind][0])]
        cities: list[Entry] = []
        networks: list[str] = []
        if entry.kind == "cities":
            cities = [entry]
            networks = graph.networks_of.get(entry.slug, [])
        elif entry.kind == "networks":
            networks = [entry.slug]
        elif entry.kind == "case-studies":
            cities = self.site.cities_of(entry)
            networks = list(entry.meta.networks)
        for city in cities:
            filters.append(("region", present.region_of(city.meta.country)))
            filters.append(("country", present.country_name(city.meta.country)))
        for slug in networks:
            network = atlas.get("networks", slug)
            if network:
                filters.append(("network", network.meta.short_name or network.title))
        themes = [entry.slug] if entry.kind == "themes" else list(getattr(entry.meta, "themes", []))
        for slug in themes:
            theme = atlas.get("themes", slug)
            if theme:
                filters.append(("theme", theme.title))
        # Pagefind's search page shows filter values as HTML and decodes entities first, so no
        # escaping survives: angle brackets and ampersands become look-alikes, and neither a tag
        # nor an entity can be formed.
        safe = [(name, value.replace("<", "\u2039").replace(">", "\u203a").replace("&", "\uff06"))
                for name, value in filters]
        return list(dict.fromkeys(safe))

    def referenced_by(self, entry: Entry) -> list[tuple[str, list[Entry]]]:
        groups: dict[str, list[Entry]] = defaultdict(list)
        for key in self.site.graph.references.get(entry.key, []):
            other = self.site.atlas.entries.get(key)
            if other is not None:
                groups[other.kind].append(other)
        return [(KIND_LABELS[kind][1], sorted(groups[kind], key=lambda e: e.title.casefold()))
                for kind in KIND_LABELS if kind in groups]

    def city_context(self, city: Entry) -> dict:
        graph = self.site.graph
        partnerships = graph.partners_of.get(city.slug, [])
        numbers = {source_id: index + 1 for index, source_id in enumerate(graph.citations.get(city.key, []))}
        partners = []
        points: list[MapPoint] = []
        index: dict[str, int] = {}

        def add_point(slug: str, role: str, detail: str = "") -> None:
            point = self.place_point(slug, role, detail)
            if point is not None and slug not in index:
                index[slug] = len(points)
                points.append(point)

        add_point(city.slug, "focus")
        for partnership in partnerships:
            other = self.site.atlas.get("cities", partnership.other(city.slug))
            partners.append({
                "city": other,
                "partnership": partnership,
                "cites": [(numbers[s], s) for s in partnership.sources if s in numbers],
            })
            when = present.format_disputed(partnership.since)
            add_point(other.slug, "partner",
                      present.partnership_kind(partnership.kind) + (f" since {when}" if when else ""))
        lines = [self.partnership_line(p, index, first=city.slug) for p in partnerships]
        place = graph.places.get(city.slug)
        label = (f"Map of {city.title} and its {present.count(len(partnerships), 'partner city', 'partner cities')}"
                 if partnerships else f"Map of {city.title}")
        spec = MapSpec(label, tuple(points), tuple(line for line in lines if line),
                       center_lon=place.lon if place else None)
        return {
            "place": place,
            "country": present.country_name(city.meta.country),
            "region": present.region_of(city.meta.country),
            "partners": partners,
            "networks": self.site.entries(("networks", s) for s in graph.networks_of.get(city.slug, [])),
            "hosted": self.site.entries(("networks", s) for s in graph.hosted_by.get(city.slug, [])),
            "case_studies": self._case_studies(city.key),
            "themes": self.site.entries(("themes", s) for s in city.meta.themes),
            "map": self.map_block(spec),
        }

    def _case_studies(self, key: tuple[str, str]) -> list[Entry]:
        studies = self.site.entries(("case-studies", s) for s in self.site.graph.case_studies_of.get(key, []))
        return sorted(studies, key=lambda e: (e.meta.date or ("0",))[0], reverse=True)

    def network_context(self, network: Entry) -> dict:
        graph = self.site.graph
        members = self.site.entries(("cities", s) for s in graph.members_of.get(network.slug, []))
        hq = network.meta.headquarters
        points = []
        if hq and hq in graph.places:
            points.append(self.place_point(hq, "hq", "Headquarters"))
        points += [self.place_point(m.slug, "member") for m in members if m.slug != hq]
        label = f"Map of {present.count(len(members), 'member city', 'member cities')} of {network.title}"
        if hq:
            label += " and its headquarters"
        by_country: dict[str, list[Entry]] = defaultdict(list)
        for member in members:
            by_country[present.country_name(member.meta.country)].append(member)
        return {
            "members": members,
            "members_by_country": sorted((c, sorted(m, key=lambda e: e.title)) for c, m in by_country.items()),
            "headquarters": self.site.entry("cities", hq) if hq else None,
            "case_studies": self._case_studies(network.key),
            "themes": self.site.entries(("themes", s) for s in network.meta.themes),
            "map": self.map_block(MapSpec(label, tuple(p for p in points if p))),
        }

    def case_study_context(self, study: Entry) -> dict:
        cities = self.site.entries(("cities", s) for s in study.meta.cities)
        points = tuple(p for p in (self.place_point(c.slug, "city") for c in cities) if p)
        names = ", ".join(c.title for c in cities)
        return {
            "cities": cities,
            "networks": self.site.entries(("networks", s) for s in study.meta.networks),
            "themes": self.site.entries(("themes", s) for s in study.meta.themes),
            "map": self.map_block(MapSpec(f"Map of the cities in this case study: {names}", points)),
        }

    def theme_context(self, theme: Entry) -> dict:
        tagged = self.site.entries(self.site.graph.tagged.get(theme.slug, []))
        by_kind = [(KIND_LABELS[kind][1], [e for e in tagged if e.kind == kind]) for kind in KIND_LABELS]
        city_slugs: set[str] = set()
        for entry in tagged:
            if entry.kind == "cities":
                city_slugs.add(entry.slug)
            elif entry.kind == "networks":
                city_slugs.update(self.site.graph.members_of.get(entry.slug, []))
            elif entry.kind == "case-studies":
                city_slugs.update(entry.meta.cities)
        points = tuple(p for p in (self.place_point(s, "city") for s in sorted(city_slugs)) if p)
        label = f"Map of {present.count(len(points), 'city', 'cities')} working on {theme.title}"
        return {"tagged": [(label_, items) for label_, items in by_kind if items],
                "map": self.map_block(MapSpec(label, points, cluster=len(points) > 200))}

    # --- site pages --------------------------------------------------------

    def home(self) -> None:
        atlas, graph = self.site.atlas, self.site.graph
        cities = atlas.of_kind("cities")
        points = [self.place_point(c.slug, "city") for c in cities]
        index = {c.slug: i for i, c in enumerate(cities)}
        overlays = []
        for network in atlas.of_kind("networks"):
            members = [index[s] for s in graph.members_of.get(network.slug, []) if s in index and points[index[s]]]
            if members:
                name = network.meta.short_name or network.title
                overlays.append(MapOverlay(f"{name} members", tuple(members)))
        keep = [i for i, p in enumerate(points) if p]
        remap = {old: new for new, old in enumerate(keep)}
        overlays = [MapOverlay(o.label, tuple(remap[i] for i in o.points)) for o in overlays]
        point_of = {cities[old].slug: new for old, new in remap.items()}
        lines = tuple(line for line in (self.partnership_line(p, point_of) for p in graph.partnerships) if line)
        spec = MapSpec(f"Map of {present.count(len(keep), 'city', 'cities')} and "
                       f"{present.count(len(graph.partnerships), 'partnership')}",
                       tuple(points[i] for i in keep), lines, tuple(overlays), cluster=True)
        studies = sorted(atlas.of_kind("case-studies"), key=lambda e: (e.meta.date or ("0",))[0], reverse=True)
        stats = {
            "cities": len(cities), "partnerships": len(graph.partnerships),
            "networks": len(atlas.of_kind("networks")), "case_studies": len(studies),
            "countries": len({c.meta.country for c in cities}),
        }
        self.emit("", "home.html", map=self.home_map(spec), stats=stats, case_studies=studies[:6],
                  networks=atlas.of_kind("networks"), themes=atlas.of_kind("themes"),
                  pages=sorted(atlas.of_kind("pages"), key=lambda e: (e.meta.order, e.title)),
                  description=atlas.config.description or "")

    def home_map(self, spec: MapSpec) -> dict | None:
        """The home map: its data inside the page, or, for a big atlas, in a file the map script fetches.

        The file (assets/maps/home.<hash>.json) is named by its content, so it can be
        cached for ever; the page names it in the map's data-map-src and preloads it.
        """
        if not spec.points or inline_map(spec):
            return self.map_block(spec)
        dest, data = map_data_file(spec, "home")
        self.outputs.append(Output(dest, data))
        return {"label": spec.label, "src": self.site.urls.page(dest), "count": len(spec.points),
                "cluster": spec.cluster}

    def city_index(self) -> None:
        if len(self.site.atlas.of_kind("cities")) > paging.CITY_INDEX_LIMIT:
            self.city_index_by_country()
            return
        regions: dict[str, dict[str, list[Entry]]] = defaultdict(lambda: defaultdict(list))
        for city in self.site.atlas.of_kind("cities"):
            country = city.meta.country
            regions[present.region_of(country)][present.country_name(country)].append(city)
        grouped = [(region, sorted((country, sorted(cities, key=lambda e: e.title.casefold()))
                                   for country, cities in countries.items()))
                   for region, countries in sorted(regions.items())]
        graph = self.site.graph
        cities = self.site.atlas.of_kind("cities")
        city_networks = {c.slug: [self._network_label(n) for n in graph.networks_of.get(c.slug, [])] for c in cities}
        city_themes = {c.slug: [t.title for t in self.site.entries(("themes", s) for s in c.meta.themes)]
                       for c in cities}
        self.emit("cities/", "index_cities.html", regions=grouped, total=len(cities),
                  city_networks=city_networks, city_themes=city_themes)

    def city_index_by_country(self) -> None:
        """A big atlas: cities/ lists regions and countries with counts; each country has a page of its cities.

        These templates read only their context (no `site.graph`), so each page's
        fingerprint covers everything it shows.
        """
        graph = self.site.graph
        by_country: dict[str, list[Entry]] = defaultdict(list)
        for city in self.site.atlas.of_kind("cities"):
            by_country[city.meta.country].append(city)
        regions: dict[str, list[dict]] = defaultdict(list)
        for code, cities in by_country.items():
            regions[present.region_of(code)].append({"code": code, "name": present.country_name(code),
                                                     "route": paging.country_route(code), "count": len(cities)})
        grouped = [(region, sum(c["count"] for c in countries), sorted(countries, key=lambda c: c["name"]))
                   for region, countries in sorted(regions.items())]
        self.emit("cities/", "index_countries.html", regions=grouped,
                  total=sum(len(cities) for cities in by_country.values()))
        for region, _, countries in grouped:
            for country in countries:
                rows = []
                for city in sorted(by_country[country["code"]], key=lambda e: e.title.casefold()):
                    networks = [self._network_label(n) for n in graph.networks_of.get(city.slug, [])]
                    themes = [t.title for t in self.site.entries(("themes", slug) for slug in city.meta.themes)]
                    rows.append({"city": city, "partners": len(graph.partners_of.get(city.slug, [])),
                                 "networks": "|".join(networks), "themes": "|".join(themes)})
                self.emit(country["route"], "country.html", region=region, country=country["name"], cities=rows)

    def _network_label(self, slug: str) -> str:
        network = self.site.atlas.get("networks", slug)
        return (network.meta.short_name or network.title) if network else slug

    def simple_index(self, kind: str) -> None:
        entries = sorted(self.site.atlas.of_kind(kind), key=lambda e: e.title.casefold())
        self.emit(f"{kind}/", "index_list.html", kind=kind, title=KIND_LABELS[kind][1], entries=entries)

    def case_study_index(self) -> None:
        by_year: dict[str, list[Entry]] = defaultdict(list)
        for study in self.site.atlas.of_kind("case-studies"):
            year = (study.meta.date or ("Undated",))[0][:4]
            by_year[year].append(study)
        years = sorted(by_year.items(), key=lambda item: item[0], reverse=True)
        study_themes = {s.slug: [t.title for t in self.site.entries(("themes", t) for t in s.meta.themes)]
                        for s in self.site.atlas.of_kind("case-studies")}
        self.emit("case-studies/", "index_case_studies.html", study_themes=study_themes,
                  years=[(str(int(y)) if y.isdigit() else y,
                          sorted(s, key=lambda e: ((e.meta.date or ("",))[0], e.slug), reverse=True))
                         for y, s in years])

    def timeline(self) -> None:
        """Partnerships and case studies by decade and year, oldest first."""
        by_year: dict[int, list[dict]] = defaultdict(list)
        undated = []
        for p in self.site.graph.partnerships:
            if not p.since:
                undated.append(p)
                continue
            by_year[p.first_year].append({
                "kind": "partnership", "partnership": p, "sort": (1, p.a, p.b),
                "a": self.site.atlas.get("cities", p.a), "b": self.site.atlas.get("cities", p.b),
                "disputed": present.format_disputed(p.since) if len(p.since) > 1 else ""})
        for study in self.site.atlas.of_kind("case-studies"):
            if study.meta.date:
                by_year[int(study.meta.date[0][:4])].append({
                    "kind": "study", "entry": study, "sort": (0, study.slug, ""),
                    "disputed": present.format_disputed(study.meta.date) if len(study.meta.date) > 1 else ""})
        decades: dict[int, list] = defaultdict(list)
        for year in sorted(by_year):
            decades[paging.decade_of(year)].append((year, sorted(by_year[year], key=lambda item: item["sort"])))
        dated = sum(len(items) for items in by_year.values())
        undated = sorted(undated, key=lambda p: (p.a, p.b))
        if dated + len(undated) > paging.TIMELINE_LIMIT:
            self.timeline_by_decade(sorted(decades.items()), dated, undated)
            return
        self.emit("timeline/", "timeline.html", decades=sorted(decades.items()), dated=dated, undated=undated,
                  part=None, parts=None)

    def timeline_by_decade(self, decades: list[tuple[int, list]], dated: int, undated: list[Partnership]) -> None:
        """A big atlas: timeline/ lists the decades with counts; each decade has a page, as has "year not recorded"."""
        parts = []
        for decade, years in decades:
            items = [item for _, year_items in years for item in year_items]
            studies = sum(1 for item in items if item["kind"] == "study")
            detail = present.count(len(items) - studies, "partnership")
            if studies:
                detail += ", " + present.count(studies, "case study", "case studies")
            parts.append({"label": paging.decade_label(decade), "route": paging.decade_route("timeline", decade),
                          "count": len(items), "detail": detail, "undated": False})
        if undated:
            parts.append({"label": paging.decade_label(None), "route": paging.decade_route("timeline", None),
                          "count": len(undated), "detail": present.count(len(undated), "partnership"),
                          "undated": True})
        self.decade_index("timeline/", "Timeline", parts, len(undated),
                          f"{present.count(dated, 'partnership or case study', 'partnerships and case studies')} "
                          "with a known year, by decade. Each decade's page lists them year by year, oldest first.",
                          "Partnerships and case studies of city diplomacy, decade by decade.")
        for (decade, years), part in zip(decades, parts):
            self.emit(part["route"], "timeline.html", decades=[(decade, years)], dated=part["count"], undated=[],
                      part=part, parts=parts)
        if undated:
            self.emit(parts[-1]["route"], "timeline.html", decades=[], dated=0, undated=undated,
                      part=parts[-1], parts=parts)

    def decade_index(self, route: str, title: str, parts: list[dict], undated: int, lede: str,
                     description: str) -> None:
        """The first page of a section split by decade: each part with its count."""
        if undated:
            lede += f" {present.count(undated, 'partnership')} without a recorded year are listed apart."
        self.emit(route, "index_decades.html", title=title, lede=lede, parts=parts, description=description)

    def partnership_index(self) -> None:
        rows = sorted(self.site.graph.partnerships,
                      key=lambda p: (p.first_year or 9999, self.site.atlas.get("cities", p.a).title))
        if len(rows) > paging.PARTNERSHIP_INDEX_LIMIT:
            self.partnership_index_by_decade(rows)
            return
        self.emit("partnerships/", "index_partnerships.html", partnerships=rows, part=None, parts=None)

    def partnership_index_by_decade(self, rows: list[Partnership]) -> None:
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
        self.decade_index("partnerships/", "Partnerships", parts, len(by_decade.get(None, [])),
                          f"{present.count(len(rows), 'partnership')} between cities in the atlas, by the decade "
                          "in which they began. Each decade's page lists them oldest first.",
                          "Every partnership between cities in the atlas, by decade.")
        for key, part in zip(keys, parts):
            self.emit(part["route"], "index_partnerships.html", partnerships=by_decade[key], part=part, parts=parts)

    def source_pages(self) -> None:
        bibliography = self.site.atlas.bibliography
        ordered = sorted(bibliography.items(), key=lambda item: (item[1].title.casefold(), item[0]))
        self.emit("sources/", "index_sources.html", sources=ordered)
        for source_id, source in ordered:
            citing = self.site.entries(self.site.graph.cited_by.get(source_id, []))
            self.emit(f"sources/{source_id}/", "source.html", source_id=source_id, source=source,
                      citing=sorted(citing, key=lambda e: (e.kind, e.title.casefold())))

    def open_data(self) -> None:
        files = [(self.site.urls.page(path), path.rsplit("/", 1)[-1], text, kind) for path, text, kind in DATA_FILES]
        self.emit("data/", "data.html", files=files)

    def not_found(self) -> None:
        self.emit("404.html", "404.html")

