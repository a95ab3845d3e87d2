#!/usr/bin/env python3
"""Measure what a reader downloads: each page type's HTML plus every script and style it loads.

Usage: .venv/bin/python benchmarks/page_weight.py [--site output] [--budget-kb 60]

Sizes are gzip level 9 (what a static host typically serves). Map tiles and the
optional country-outline basemap are listed apart: they are map data, not code.
Exits 1 when a city page is over the budget.
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", default="output")
    parser.add_argument("--budget-kb", type=float, default=60.0)
    args = parser.parse_args()
    site = Path(args.site)
    print(f"{'page':32} {'requests':>8} {'raw KB':>8} {'gzip KB':>8}")
    over = False
    for name, page in PAGES.items():
        if not (site / page).exists():
            continue
        raw, total, requests, _ = measure(site, page)
        flag = ""
        if name.startswith("city") and total / 1024 > args.budget_kb:
            flag, over = "  OVER BUDGET", True
        print(f"{name:32} {requests:8d} {raw / 1024:8.1f} {total / 1024:8.1f}{flag}")
    basemaps = sorted((site / "assets" / "basemap").glob("*.json")) if (site / "assets" / "basemap").exists() else []
    for path in basemaps:
        data = path.read_bytes()
        print(f"{'basemap (map data, cached)':32} {1:8d} {len(data) / 1024:8.1f} {gz(data) / 1024:8.1f}")
    print(f"budget: a city page with its scripts and styles at most {args.budget_kb:.0f} KB gzipped")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
