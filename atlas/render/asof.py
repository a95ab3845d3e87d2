"""The atlas as of a year: as-of/<year>/ shows the map, counts and lists of the partnerships and
memberships in force that year, and as-of/ lists the years. The pages work without JavaScript;
with it, the year slider on the home, city and network pages does the same in place (site.js).

Used by pages.py. Reads no files. A tie is in force in a year from the first year
a source gives for its start to the last year a source gives for its end
(graph/dated.py); a tie whose start no source records is in force in no
particular year, and is left out and counted apart.

Which years get a page: every year in which a partnership or membership starts
or ends, and the year after each end (the first year without it), up to the
latest year the data names. Between two such years nothing changes, so a page
for every calendar year would repeat its neighbour; the index says to read the
latest page before a year that has none. A big atlas (more partnerships than
paging.PARTNERSHIP_INDEX_LIMIT) gets a page for the first year of each decade
instead, each with counts and the map, and its lists only while they stay
under that limit.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from atlas import kinds
from atlas.maps.spec import MapLine, MapPoint, MapSpec
from atlas.render import paging, present
from atlas.render.indexes import place_map
from atlas.render.site import Pages


def as_of_years(relations: list) -> list[int]:
    """The years worth a page: starts, ends and the years after ends, up to the latest year named."""
    starts = {r.first_year for r in relations if r.first_year is not None}
    ends = {r.last_year for r in relations if r.last_year is not None}
    if not starts:
        return []
    latest = max(starts | ends)
    return sorted(starts | ends | {year + 1 for year in ends if year + 1 <= latest})


def decade_years(relations: list) -> list[int]:
    """A big atlas: the first year of each decade from the first start to the latest year named."""
    years = as_of_years(relations)
    return list(range(paging.decade_of(years[0]), years[-1] + 1, 10)) if years else []


def render_as_of(pages: Pages) -> None:
    """as-of/ and a page per year (as-of/ says so when no tie has a recorded start)."""
    graph = pages.site.graph
    relations = [*graph.partnerships, *graph.memberships]
    big = len(graph.partnerships) > paging.PARTNERSHIP_INDEX_LIMIT
    years = decade_years(relations) if big else as_of_years(relations)
    undated = sum(1 for p in graph.partnerships if p.first_year is None)
    shared = _SharedParts(pages)
    rows = []
    for index, year in enumerate(years):
        ties = [p for p in graph.partnerships if p.in_force(year)]
        memberships = [m for m in graph.memberships if m.in_force(year)]
        rows.append({"year": year, "partnerships": len(ties), "memberships": len(memberships)})
        neighbours = {"previous": years[index - 1] if index else None,
                      "next": years[index + 1] if index + 1 < len(years) else None}
        _year_page(pages, shared, year, ties, memberships, undated, neighbours, big)
    pages.emit("as-of/", "as_of_index.html", years=rows, undated=undated, big=big)


class _SharedParts:
    """What the year pages share, made once for the unit rather than once a year: each city's point,
    each partnership's line (but for where its cities are in that year's points) and its table row.
    The starter atlas's 69 year pages list some 8,000 rows between them, of 530 partnerships."""

    def __init__(self, pages: Pages) -> None:
        self.pages = pages
        self.points: dict[str, MapPoint | None] = {}
        self.lines: dict[int, MapLine | None] = {}
        self.rows: dict[int, str] = {}
        self.row_template = pages.env.get_template("as_of_row.html").module

    def point(self, slug: str) -> MapPoint | None:
        if slug not in self.points:
            self.points[slug] = self.pages.place_point(slug, "city")
        return self.points[slug]

    def line(self, partnership, index: dict[str, int]) -> MapLine | None:
        if partnership.a not in index or partnership.b not in index:
            return None
        key = id(partnership)
        if key not in self.lines:  # drawn from a to b: its points' places in a two-point map
            self.lines[key] = self.pages.partnership_line(partnership, {partnership.a: 0, partnership.b: 1})
        line = self.lines[key]
        return replace(line, a=index[partnership.a], b=index[partnership.b]) if line is not None else None

    def row(self, partnership) -> str:
        key = id(partnership)
        if key not in self.rows:
            self.rows[key] = self.row_template.partnership_row(self.pages.site, partnership)
        return self.rows[key]


def _year_page(pages: Pages, shared: _SharedParts, year: int, ties: list, memberships: list, undated: int,
               neighbours: dict, big: bool) -> None:
    site = pages.site
    cities = kinds.of_name("city").folder
    slugs = sorted({slug for p in ties for slug in (p.a, p.b)})
    points, index = [], {}
    for slug in slugs:
        point = shared.point(slug)
        if point is not None:
            index[slug] = len(points)
            points.append(point)
    lines = tuple(line for line in (shared.line(p, index) for p in ties) if line)
    spec = MapSpec(f"Map of {present.count(len(ties), 'partnership')} in force in {year}, between"
                   f" {present.count(len(points), 'city', 'cities')}", tuple(points), lines, cluster=True)
    by_network: dict[str, list] = defaultdict(list)
    for membership in memberships:
        by_network[membership.network].append(membership)
    networks = [(site.atlas.get(kinds.of_name("network").folder, slug),
                 sorted(held, key=lambda m: site.atlas.get(cities, m.city).title))
                for slug, held in sorted(by_network.items())]
    listed = not big or len(ties) <= paging.PARTNERSHIP_INDEX_LIMIT
    ordered = sorted(ties, key=lambda p: (p.first_year, site.atlas.get(cities, p.a).title))
    pages.emit(f"as-of/{year}/", "as_of.html", year=year, map=place_map(pages, spec, f"as-of-{year}"),
               partnerships=[shared.row(p) for p in ordered] if listed else [], count=len(ties), cities=len(slugs),
               networks=networks if listed else [], memberships=len(memberships), undated=undated,
               **neighbours)
