#!/usr/bin/env python3
"""Measure the home map's data on the synthetic atlases: what the first view loads, and what waits.

Usage: .venv/bin/python benchmarks/map_weight.py [--cities 10000 30000] [--budget-kb 300]

For each size, generates the atlas (benchmarks/generate.py), makes the home map's
spec from its cities and ties as the build does (a dot per city, a line per tie,
clustered), and sizes, at gzip level 9, the overview file the first view fetches
(maps/spec.py, map_overview) and the whole map data fetched when the reader zooms
in. Exits 1 when a first view is over the budget.
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

from atlas.maps.spec import MapLine, MapPoint, MapSpec, map_data_file, map_overview_file  # noqa: E402
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


def measure(cities: int) -> dict:
    spec = home_spec(cities)
    detail, data = map_data_file(spec, "home")
    _, overview = map_overview_file(spec, "home-overview", "/" + detail)
    return {"cities": len(spec.points), "ties": len(spec.lines),
            "overview_kb": len(overview) / 1024, "overview_gzip_kb": len(gzip.compress(overview, 9)) / 1024,
            "detail_kb": len(data) / 1024, "detail_gzip_kb": len(gzip.compress(data, 9)) / 1024}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cities", type=int, nargs="+", default=[10_000, 30_000])
    parser.add_argument("--budget-kb", type=float, default=300.0, help="gzip KB the first view may load")
    args = parser.parse_args()
    print("| Cities | Ties | First view: KB (gzip KB) | On zooming in: KB (gzip KB) |")
    print("| --- | --- | --- | --- |")
    over = False
    for cities in args.cities:
        m = measure(cities)
        print(f"| {m['cities']:,} | {m['ties']:,} | {m['overview_kb']:.0f} ({m['overview_gzip_kb']:.1f}) |"
              f" {m['detail_kb']:,.0f} ({m['detail_gzip_kb']:,.0f}) |")
        over |= m["overview_gzip_kb"] > args.budget_kb
    if over:
        print(f"over budget: a first view loads more than {args.budget_kb:g} KB gzip of map data", file=sys.stderr)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
