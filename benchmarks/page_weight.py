#!/usr/bin/env python3
"""Measure what a reader downloads: each page type's HTML plus every script and style it loads.

Usage: .venv/bin/python benchmarks/page_weight.py [--site output] [--code-budget-kb 60] [--html-budget-kb 16]

Sizes are gzip level 9 (what a static host typically serves). Map tiles and the
optional country-outline basemap are listed apart: they are map data, not code.

A city page has two budgets, checked on every city page of the site:
- code: the scripts, styles and icon it loads, the same on every city page and cached after the
  first (Leaflet is 41 KB of it), at most 60 KB;
- HTML: the page itself, which grows with what the atlas records of the city, at most 16 KB.
Exits 1 when any city page is over either.
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

PAGES = {
    "home": "index.html",
    "city (Barcelona)": "cities/barcelona/index.html",
    "city (Chicago, 30 partners)": "cities/chicago/index.html",
    "network (C40)": "networks/c40/index.html",
    "case study": "case-studies/atlanta-smart-city-strategy-workshop/index.html",
    "theme": "themes/climate/index.html",
    "cities index": "cities/index.html",
}


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("src"):
            self.urls.append(attrs["src"])
        if tag == "link" and attrs.get("rel") in ("stylesheet", "icon") and attrs.get("href"):
            self.urls.append(attrs["href"])


def gz(data: bytes) -> int:
    return len(gzip.compress(data, 9, mtime=0))


def measure(site: Path, page: str) -> tuple[int, int, int, list[str]]:
    html = (site / page).read_bytes()
    parser = _Assets()
    parser.feed(html.decode("utf-8"))
    raw = len(html)
    total = gz(html)
    for url in parser.urls:
        path = site / re.sub(r"^/+", "", url)
        data = path.read_bytes()
        raw += len(data)
        total += gz(data)
    return raw, total, 1 + len(parser.urls), parser.urls


def city_pages_over(site: Path, code_budget: float, html_budget: float) -> tuple[list[str], list[tuple[float, str]]]:
    """Every city page's total gzip KB, and a line for each one over a budget."""
    over, totals = [], []
    for page in sorted(site.glob("cities/*/index.html")):
        if page.parent.name == "country":
            continue
        _, total, _, _ = measure(site, page.relative_to(site).as_posix())
        html = gz(page.read_bytes())
        code = total - html
        totals.append((total / 1024, page.parent.name))
        if code / 1024 > code_budget:
            over.append(f"{page.parent.name}: code and styles {code / 1024:.1f} KB > {code_budget:g} KB")
        if html / 1024 > html_budget:
            over.append(f"{page.parent.name}: HTML {html / 1024:.1f} KB > {html_budget:g} KB")
    return over, sorted(totals)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", default="output")
    parser.add_argument("--code-budget-kb", type=float, default=60.0)
    parser.add_argument("--html-budget-kb", type=float, default=16.0)
    args = parser.parse_args()
    site = Path(args.site)
    print(f"{'page':32} {'requests':>8} {'raw KB':>8} {'HTML gzip':>9} {'code gzip':>9} {'gzip KB':>8}")
    for name, page in PAGES.items():
        if not (site / page).exists():
            continue
        raw, total, requests, _ = measure(site, page)
        html = gz((site / page).read_bytes())
        print(f"{name:32} {requests:8d} {raw / 1024:8.1f} {html / 1024:9.1f} {(total - html) / 1024:9.1f} {total / 1024:8.1f}")
    basemaps = sorted((site / "assets" / "basemap").glob("*.json")) if (site / "assets" / "basemap").exists() else []
    for path in basemaps:
        data = path.read_bytes()
        print(f"{'basemap (map data, cached)':32} {1:8d} {len(data) / 1024:8.1f} {gz(data) / 1024:8.1f}")
    over, totals = city_pages_over(site, args.code_budget_kb, args.html_budget_kb)
    if totals:
        median = totals[len(totals) // 2]
        print(f"{len(totals)} city pages: median {median[0]:.1f} KB gzip ({median[1]}), "
              f"heaviest {totals[-1][0]:.1f} KB ({totals[-1][1]})")
    print(f"budget for every city page: code and styles at most {args.code_budget_kb:g} KB gzip, "
          f"its HTML at most {args.html_budget_kb:g} KB gzip")
    for line in over:
        print("OVER BUDGET " + line, file=sys.stderr)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
