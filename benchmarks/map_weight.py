#!/usr/bin/env python3
"""Measure the home map's data on the synthetic atlases: what the first view loads, and what waits.

Usage: .venv/bin/python benchmarks/map_weight.py [--cities 10000 30000] [--budget-kb 300]

For each size, generates the atlas (benchmarks/generate.py), makes the home map's
spec from its cities and ties as the build does (a dot per city, a line per tie,
clustered), and sizes, at gzip level 9, the overview file the first view fetches
(maps/spec.py, map_overview) and what zooming in fetches: the files of the regions
in view (map_regions), for a 1280 x 800 px view at DETAIL_ZOOM centred on each
region in turn (the median and the heaviest such view), beside the whole map's data
for comparison. Exits 1 when a first view is over the budget.
"""

from __future__ import annotations

import argparse
import gzip
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import math  # noqa: E402
import statistics  # noqa: E402

from atlas.maps.spec import (DETAIL_ZOOM, MapLine, MapPoint, MapSpec, map_data_file, map_overview_file,  # noqa: E402
                             map_region_files)
from generate import generate  # noqa: E402


def home_spec(cities: int) -> MapSpec:
    """The home map of the synthetic atlas of `cities` cities: every city, every tie (each pair once)."""
    rows = [entry for entry in generate(cities).entries if entry.kind == "cities"]
    index = {entry.slug: i for i, entry in enumerate(rows)}
    points, lines, seen = [], [], set()
    for entry in rows:
        meta = {key: yaml.safe_load(value) for key, value in entry.meta}
        lat, lon = meta["coordinates"]
        points.append(MapPoint(lat, lon, entry.title, f"/cities/{entry.slug}/"))
        for partner in meta.get("partners") or []:
            item = partner if isinstance(partner, dict) else {"city": partner}
            other = item["city"]
            pair = tuple(sorted((entry.slug, other)))
            if other in index and pair not in seen:
                seen.add(pair)
                lines.append(MapLine(index[entry.slug], index[other], item.get("kind", "sister-city"),
                                     f"{entry.title} – {other}", status=item.get("status", "active")))
    return MapSpec(f"Map of {len(points)} cities", tuple(points), tuple(lines), cluster=True)


def view_at(lat: float, lon: float, width: int = 1280, height: int = 800) -> tuple[float, float, float, float]:
    """(south, west, north, east) of a Web Mercator view at DETAIL_ZOOM, padded by a tenth on each side as the script pads it."""
    world = 256 * 2 ** DETAIL_ZOOM
    half_lon = width / world * 360 / 2 * 1.2
    y = math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
    half_y = height / world * 2 * math.pi / 2 * 1.2
    return (math.degrees(2 * math.atan(math.exp(y - half_y)) - math.pi / 2), lon - half_lon,
            math.degrees(2 * math.atan(math.exp(y + half_y)) - math.pi / 2), lon + half_lon)


def measure(cities: int) -> dict:
    spec = home_spec(cities)
    _, data = map_data_file(spec, "home")
    whole_gzip = len(gzip.compress(data, 9))
    files = map_region_files(spec, "home")
    regions = [(bounds, len(text), len(gzip.compress(text, 9))) for bounds, _, text in files]
    _, overview = map_overview_file(spec, "home-overview", [[*b, "", len(text)] for b, _, text in files],
                                    ("", len(data)))
    views = []
    for (south, west, north, east), _, _ in regions:
        s, w, n, e = view_at((south + north) / 2, (west + east) / 2)
        in_view = [(raw, packed) for (rs, rw, rn, re_), raw, packed in regions
                   if rs < n and s < rn and any(rw + k < e and w < re_ + k for k in (-360, 0, 360))]
        # the script fetches the whole map instead when the regions in view are 3/4 of its bytes or more
        lighter = sum(raw for raw, _ in in_view) < 0.75 * len(data)
        views.append(sum(packed for _, packed in in_view) if lighter else whole_gzip)
    return {"cities": len(spec.points), "ties": len(spec.lines), "regions": len(regions),
            "overview_kb": len(overview) / 1024, "overview_gzip_kb": len(gzip.compress(overview, 9)) / 1024,
            "view_median_gzip_kb": statistics.median(views) / 1024, "view_max_gzip_kb": max(views) / 1024,
            "detail_kb": len(data) / 1024, "detail_gzip_kb": len(gzip.compress(data, 9)) / 1024}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cities", type=int, nargs="+", default=[10_000, 30_000])
    parser.add_argument("--budget-kb", type=float, default=300.0, help="gzip KB the first view may load")
    args = parser.parse_args()
    print("| Cities | Ties | First view: KB (gzip KB) | Zoomed in, regions in view: median (heaviest) gzip KB"
          " | Whole map, for comparison: KB (gzip KB) |")
    print("| --- | --- | --- | --- | --- |")
    over = False
    for cities in args.cities:
        m = measure(cities)
        print(f"| {m['cities']:,} | {m['ties']:,} | {m['overview_kb']:.0f} ({m['overview_gzip_kb']:.1f}) |"
              f" {m['view_median_gzip_kb']:,.0f} ({m['view_max_gzip_kb']:,.0f}) of {m['regions']} regions |"
              f" {m['detail_kb']:,.0f} ({m['detail_gzip_kb']:,.0f}) |")
        over |= m["overview_gzip_kb"] > args.budget_kb
    if over:
        print(f"over budget: a first view loads more than {args.budget_kb:g} KB gzip of map data", file=sys.stderr)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
