"""Maps: what each page's map shows (plain data), and the one script that draws them.

Runs inside pages.py, after relations.py. Reads no files.

folium builds the map once per site (maps/script.py, imported only when the
script is made): the Leaflet map, its tiles and attribution, and an element
that draws markers, clusters, great-circle lines and layer toggles. That
script is the same on every page, so it is written once as an external file; each page
carries only its own data as a JSON block. Content never goes into the script:
names reach the map as JSON and are shown with textContent, so a city named
`</script><script>alert(1)</script>` is just text.

A map with more than INLINE_MAP_LIMIT points and lines (the home map of a big
atlas) does not go into its page: `map_data_file` makes its data a file of its
own, named by a hash of its bytes, and the page names that file in the map's
`data-map-src` attribute; the script fetches it (same origin, which the pages'
`connect-src 'self'` allows) and draws it as it draws inline data. More than
CANVAS_LINE_LIMIT lines are drawn on one canvas instead of one SVG path each.

Such a map (the home map of a big atlas, an as-of page) first shows an overview,
a small file of its own (`map_overview`): the cities counted on a grid of
CELL_DEGREES and the ties between cells counted and thinned to the strongest
OVERVIEW_LINK_LIMIT, drawn as lines as thick as their count. Each city and tie
is fetched only when the reader zooms in to DETAIL_ZOOM or picks a cell, and
only for the regions in view (`map_regions`: REGION_DEGREES squares, each file
holding its cities and every tie with an end in it).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter
from dataclasses import dataclass

from atlas.maps.geo import span_center, wrap_lon

MAP_ELEMENT_ID = "map_atlas"  # the id folium gives the map: its name + "_" + id
DATA_ELEMENT_ID = "atlas-map-data"
DATA_SRC_ATTRIBUTE = "data-map-src"  # on the map element: the URL of a map's data file
INLINE_MAP_LIMIT = 500  # points + lines; a bigger map's data is a file the script fetches
CANVAS_LINE_LIMIT = 1_000  # more lines than this are drawn on one canvas, not as an SVG path each
CELL_DEGREES = 6.0  # the overview of a big map counts cities on a grid of cells this many degrees wide
OVERVIEW_LINK_LIMIT = 400  # and draws at most this many lines between cells, the ones with the most ties
DETAIL_ZOOM = 4  # from this zoom, or when a cell is picked, the map shows each city and tie
REGION_DEGREES = 20.0  # and fetches them in squares this many degrees wide, only those in view

PARTNERSHIP_COLOURS = {
    "sister-city": "#1f5fa8",
    "friendship": "#2e7d32",
    "cooperation": "#a15c00",
    "memorandum": "#6b3fa0",
}
PARTNERSHIP_LABELS = {
    "sister-city": "Sister cities",
    "friendship": "Friendship agreements",
    "cooperation": "Cooperation agreements",
    "memorandum": "Memoranda of understanding",
}
FORMER_COLOUR = "#7a7a7a"  # suspended and ended ties: grey and dashed, whatever their kind
FORMER_DASH = "6 5"
POINT_COLOURS = {"focus": "#b3261e", "partner": "#1f5fa8", "member": "#1f5fa8", "hq": "#6b3fa0", "city": "#1f5fa8"}
# The same things in the dark colour scheme (prefers-color-scheme: dark): lighter on a dark basemap.
PALETTES = {
    "light": {"lines": PARTNERSHIP_COLOURS, "points": POINT_COLOURS, "former": FORMER_COLOUR,
              "outline": "#a59d8c", "land": "#f3efe6", "edge": "#ffffff", "ring": "#b3261e"},
    "dark": {"lines": {"sister-city": "#78aef0", "friendship": "#74c779", "cooperation": "#e7a64c",
                       "memorandum": "#bb93e6"},
             "points": {"focus": "#ff8a7a", "partner": "#78aef0", "member": "#78aef0", "hq": "#bb93e6",
                        "city": "#78aef0"},
             "former": "#9aa1a8", "outline": "#66707b", "land": "#2c333b", "edge": "#15181c", "ring": "#ff8a7a"},
}
POINT_LABELS = {"partner": "Partner city", "member": "Member city", "hq": "Headquarters", "city": "City"}


@dataclass(frozen=True)
class Tiles:
    url: str
    attribution: str
    max_zoom: int = 19


OSM_TILES = Tiles(
    "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
)


@dataclass(frozen=True)
class MapPoint:
    lat: float
    lon: float
    name: str
    url: str
    role: str = "city"  # "focus", "partner", "member", "hq", "city"
    detail: str = ""  # a short line under the name in the popup
    years: tuple[int | None, int | None] | None = None  # (first, last) year it is on the map; None: always


@dataclass(frozen=True)
class MapLine:
    a: int  # indexes into MapSpec.points; the browser draws the great circle between them
    b: int
    kind: str  # a partnership kind
    label: str  # "Chicago – Warsaw (sister city, 1960)"
    since: int | None = None  # the first year the tie is in force (None: not recorded)
    until: int | None = None  # the last (None: it lasts)
    status: str = "active"  # "suspended" and "ended" lines are drawn dashed


@dataclass(frozen=True)
class MapOverlay:
    label: str  # "C40 members"
    points: tuple[int, ...]  # indexes into MapSpec.points


@dataclass(frozen=True)
class MapSpec:
    label: str  # the map's accessible name
    points: tuple[MapPoint, ...]
    lines: tuple[MapLine, ...] = ()
    overlays: tuple[MapOverlay, ...] = ()
    center_lon: float | None = None  # recentre longitudes on this (a city's own map)
    cluster: bool = False


def map_data(spec: MapSpec) -> dict:
    """The JSON a page carries for its map: points, lines by kind, overlays.

    A point is [lat, lon, name, url, role, detail], followed by its first and last
    year when it is dated; a line is [a, b, label, since, until, status]: the
    year control (site.js) shows only what is in force in the year chosen.
    """
    center = spec.center_lon if spec.center_lon is not None else 0.0
    if spec.center_lon is None and not spec.lines and not spec.cluster:
        # dots alone (a network, a case study): on the world copy that frames them in the least width
        center = span_center([p.lon for p in spec.points])
    points = [[round(p.lat, 5), round(wrap_lon(p.lon, center), 5), p.name, p.url, p.role, p.detail,
               *(p.years or ())] for p in spec.points]
    groups: dict[str, list[list]] = {}
    for line in spec.lines:
        groups.setdefault(line.kind, []).append([line.a, line.b, line.label, line.since, line.until, line.status])
    return {
        "label": spec.label,
        "cluster": spec.cluster,
        "centered": spec.center_lon is not None,
        "points": points,
        "lineGroups": [{"kind": kind, "label": PARTNERSHIP_LABELS.get(kind, kind),
                        "colour": PARTNERSHIP_COLOURS.get(kind, "#555555"), "lines": lines}
                       for kind, lines in sorted(groups.items())],
        "overlays": [{"label": o.label, "points": list(o.points)} for o in spec.overlays],
    }


def map_legend(spec: MapSpec) -> list[dict]:
    """The key to a map, in words: one item per kind of dot and line it draws, in drawing order.

    An item is {"shape": "dot" | "line" | "cluster", "colour", "dark", "dashed", "label"} ("dark":
    its colour in the dark colour scheme); the
    page's own city is named. Suspended and ended ties are one grey, dashed item.
    """
    items: list[dict] = []
    roles = {p.role for p in spec.points}
    for role in ("focus", "hq", "member", "partner", "city"):
        if role in roles:
            label = next(p.name for p in spec.points if p.role == "focus") if role == "focus" else POINT_LABELS[role]
            items.append({"shape": "dot", "colour": POINT_COLOURS[role], "dark": PALETTES["dark"]["points"][role],
                          "dashed": False, "label": label})
    if spec.cluster:
        items.append({"shape": "cluster", "colour": "", "dark": "", "dashed": False,
                      "label": "Number of cities in a group (zoom in or select it to see them)"})
    if spec.cluster and not inline_map(spec):
        items.append({"shape": "line", "colour": PARTNERSHIP_COLOURS["sister-city"],
                      "dark": PALETTES["dark"]["lines"]["sister-city"], "dashed": False,
                      "label": "Zoomed out: the most ties between groups, thicker for more (zoom in to see each tie)"})
    for kind in sorted({line.kind for line in spec.lines if line.status == "active"}):
        items.append({"shape": "line", "colour": PARTNERSHIP_COLOURS.get(kind, "#555555"),
                      "dark": PALETTES["dark"]["lines"].get(kind, "#aaaaaa"), "dashed": False,
                      "label": PARTNERSHIP_LABELS.get(kind, kind)})
    former = sorted({line.status for line in spec.lines if line.status != "active"}, reverse=True)
    if former:
        items.append({"shape": "line", "colour": FORMER_COLOUR, "dark": PALETTES["dark"]["former"], "dashed": True,
                      "label": " or ".join(former).capitalize() + " ties (any kind)"})
    return items


def inline_map(spec: MapSpec) -> bool:
    """Whether a map is small enough to carry its data inside its page."""
    return len(spec.points) + len(spec.lines) <= INLINE_MAP_LIMIT


def map_data_file(spec: MapSpec, name: str, data: dict | None = None) -> tuple[str, bytes]:
    """A map's data as a file of its own: ("assets/maps/home.<hash>.json", compact JSON).

    The name carries a hash of the bytes, so the file can be cached for ever and a
    changed map gets a new name; the same spec always gives the same bytes.
    """
    return _json_file(data or map_data(spec), name)


def region_of(lat: float, lon: float) -> tuple[int, int]:
    """The (row, column) of the REGION_DEGREES square a place is in, counted from 90° S and 180° W."""
    rows, columns = round(180 / REGION_DEGREES), round(360 / REGION_DEGREES)
    return (min(math.floor((lat + 90.0) / REGION_DEGREES), rows - 1),
            math.floor((wrap_lon(lon) + 180.0) / REGION_DEGREES) % columns)


def region_bounds(region: tuple[int, int]) -> list[float]:
    """[south, west, north, east] of a region, in degrees."""
    row, column = region
    return [row * REGION_DEGREES - 90.0, column * REGION_DEGREES - 180.0,
            (row + 1) * REGION_DEGREES - 90.0, (column + 1) * REGION_DEGREES - 180.0]


def map_regions(spec: MapSpec, whole: dict | None = None) -> dict[tuple[int, int], dict]:
    """A big map's detail cut into regions: what the script fetches for the part of the world in view.

    A region holds its own cities and every tie with an end in it; a tie between two regions is in
    both, and a city at a tie's far end comes as its [lat, lon] alone (its dot is drawn when its own
    region is fetched). Each is `map_data`'s JSON for those points and lines, plus "ids" (each
    point's index in the whole map) and each line group's "ids" (each line's index in spec.lines),
    so the script draws a city or tie met in several regions once. Overlays keep only the region's
    own cities.
    """
    whole = whole or map_data(spec)  # `whole`: map_data(spec), when the caller made it already
    homes = [region_of(p.lat, p.lon) for p in spec.points]
    own: dict[tuple[int, int], set[int]] = {}
    for index, region in enumerate(homes):
        own.setdefault(region, set()).add(index)
    lines: dict[tuple[int, int], list[int]] = {}
    for index, line in enumerate(spec.lines):
        for region in {homes[line.a], homes[line.b]}:
            lines.setdefault(region, []).append(index)
    ids_of_kind: dict[str, list[int]] = {}  # map_data groups spec.lines by kind, keeping their order
    for index, line in enumerate(spec.lines):
        ids_of_kind.setdefault(line.kind, []).append(index)
    regions: dict[tuple[int, int], dict] = {}
    for region in sorted(own.keys() | lines.keys()):
        indexes = sorted(own.get(region, set()) | {end for i in lines.get(region, ())
                                                   for end in (spec.lines[i].a, spec.lines[i].b)})
        local = {point: i for i, point in enumerate(indexes)}
        mine = set(lines.get(region, ()))
        groups = []
        for group in whole["lineGroups"]:
            kept = [(i, line) for i, line in zip(ids_of_kind[group["kind"]], group["lines"]) if i in mine]
            if kept:
                groups.append({**group, "lines": [[local[line[0]], local[line[1]], *line[2:]] for _, line in kept],
                               "ids": [i for i, _ in kept]})
        overlays = [{"label": o["label"], "points": [local[i] for i in o["points"] if homes[i] == region]}
                    for o in whole["overlays"]]
        regions[region] = {
            "label": whole["label"], "cluster": whole["cluster"], "centered": whole["centered"],
            "canvas": len(spec.lines) > CANVAS_LINE_LIMIT,
            "points": [whole["points"][i] if homes[i] == region else whole["points"][i][:2] for i in indexes],
            "ids": indexes, "lineGroups": groups,
            "overlays": [o for o in overlays if o["points"]],
        }
    return regions


def map_overview(spec: MapSpec, regions: list[list] | None = None, whole: tuple[str, int] | None = None) -> dict:
    """The first view of a big map: cities counted per grid cell, and the ties between cells, strongest first.

    A cell is [lat, lon, cities] (its cities' mean position); a link is [cell, cell, ties],
    at most OVERVIEW_LINK_LIMIT of them; ties within one cell are not drawn. `regions` are
    [south, west, north, east, url, bytes] of each region's file (`map_regions`), fetched when
    the reader zooms in to that part of the world; `whole` is the URL and size of the whole
    map's data, fetched instead when the regions in view would weigh more (a view of a busy
    continent, whose ties are repeated in the regions at both of their ends).
    """
    def cell_of(point: MapPoint) -> tuple[int, int]:
        return (math.floor((point.lat + 90.0) / CELL_DEGREES), math.floor((wrap_lon(point.lon) + 180.0) / CELL_DEGREES))

    keys = [cell_of(p) for p in spec.points]
    members: dict[tuple[int, int], list[MapPoint]] = {}
    for key, point in zip(keys, spec.points):
        members.setdefault(key, []).append(point)
    order = {key: i for i, key in enumerate(sorted(members))}
    cells = [[round(sum(p.lat for p in members[key]) / len(members[key]), 2),
              round(sum(wrap_lon(p.lon) for p in members[key]) / len(members[key]), 2), len(members[key])]
             for key in sorted(members)]
    ties = Counter(tuple(sorted((order[keys[line.a]], order[keys[line.b]]))) for line in spec.lines
                   if keys[line.a] != keys[line.b])
    strongest = sorted(ties.items(), key=lambda item: (-item[1], item[0]))[:OVERVIEW_LINK_LIMIT]
    return {
        "label": spec.label, "overview": True, "regions": regions or [], "detailZoom": DETAIL_ZOOM,
        "detail": whole[0] if whole else None, "detailBytes": whole[1] if whole else None,
        "ties": len(spec.lines), "shown": sum(count for _, count in strongest),
        "cells": cells, "links": [[a, b, count] for (a, b), count in strongest],
    }


def map_overview_file(spec: MapSpec, name: str, regions: list[list],
                      whole: tuple[str, int] | None = None) -> tuple[str, bytes]:
    """The overview as a file of its own, named by its bytes like `map_data_file`."""
    return _json_file(map_overview(spec, regions, whole), name)


def map_region_files(spec: MapSpec, name: str, whole: dict | None = None) -> list[tuple[list[float], str, bytes]]:
    """Each region of a big map as a file: (bounds, "assets/maps/<name>-<row>-<column>.<hash>.json", bytes)."""
    files = []
    for (row, column), data in map_regions(spec, whole).items():
        dest, text = _json_file(data, f"{name}-{row}-{column}")
        files.append((region_bounds((row, column)), dest, text))
    return files


def _json_file(data: dict, name: str) -> tuple[str, bytes]:
    text = (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
    return f"assets/maps/{name}.{hashlib.sha256(text).hexdigest()[:10]}.json", text


def json_for_html(value: object) -> str:
    """JSON that is safe inside a <script type="application/json"> element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def render_map_script(tiles: Tiles | None = OSM_TILES, basemap_url: str | None = None,
                      basemap_detail_url: str | None = None) -> str:
    """The site's one map script (see maps/script.py); folium is imported only when it is made."""
    from atlas.maps.script import make_map_script

    return make_map_script(tiles, basemap_url, basemap_detail_url)
