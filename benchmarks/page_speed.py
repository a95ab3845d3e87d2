#!/usr/bin/env python3
"""A Lighthouse-style budget for each page type: requests, bytes and time to first render.

Usage: .venv/bin/python benchmarks/page_speed.py [--site output] [--runs 5]

Serves the built site on localhost, loads each page type in headless Chromium
with a cold cache, and prints the median of several runs: requests, bytes
transferred (uncompressed, as served by Python's http.server), first
contentful paint and the load event.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM_ARGS, Server  # noqa: E402

PAGES = {
    "home": "/",
    "city": "/cities/barcelona/",
    "network": "/networks/c40/",
    "case study": "/case-studies/atlanta-smart-city-strategy-workshop/",
    "theme": "/themes/climate/",
    "cities index": "/cities/",
    "search": "/search/?q=climate",
}


def measure(browser, url: str) -> dict:
    context = browser.new_context()
    page = context.new_page()
    sizes: list[int] = []
    page.on("response", lambda response: sizes.append(len(response.body()) if response.ok else 0))
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    timing = page.evaluate("""() => {
        const paint = performance.getEntriesByName('first-contentful-paint')[0];
        const nav = performance.getEntriesByType('navigation')[0];
        return {fcp: paint ? paint.startTime : null, load: nav.loadEventEnd};
    }""")
    context.close()
    return {"requests": len(sizes), "kb": sum(sizes) / 1024, **timing}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", default=str(ROOT / "output"))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    server = Server(Path(args.site))
    print(f"{'page':14} {'requests':>8} {'KB':>8} {'first paint ms':>15} {'load ms':>8}")
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                                 args=CHROMIUM_ARGS)
            for name, path in PAGES.items():
                runs = [measure(browser, server.url(path)) for _ in range(args.runs)]
                med = {key: statistics.median(r[key] for r in runs) for key in ("requests", "kb", "fcp", "load")}
                print(f"{name:14} {med['requests']:8.0f} {med['kb']:8.1f} {med['fcp']:15.0f} {med['load']:8.0f}")
            browser.close()
    finally:
        server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
