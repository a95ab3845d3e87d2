#!/usr/bin/env python3
"""Take screenshots of the built atlas in headless Chromium, for the README and for review.

Usage: .venv/bin/python scripts/screenshots.py [--output-dir DIR] [--site output] [PAGE ...]

Serves the built site on a free localhost port, opens each page at 1280 px and
390 px wide, in the light and the dark colour scheme, waits for the map and its
country outlines to draw, and saves PNG files named <page>-<width>[-dark].png.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM_ARGS, Server  # noqa: E402

DEFAULT_PAGES = {
    "home": "/",
    "city": "/cities/barcelona/",
    "city-pacific": "/cities/los-angeles/",  # partners across the Pacific
    "network": "/networks/c40/",
    "case-study": "/case-studies/atlanta-smart-city-strategy-workshop/",
    "empty-network": "/networks/iclei/",  # no member city in the atlas: a sentence, no map
    "city-rich": "/cities/busan/",  # a city outside the US with its own ties on every continent
    "office": "/organisations/seoul-international-relations/",  # an international office
    "search": "/search/?q=climate",
    "timeline": "/timeline/",
    "data": "/data/",
}
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
SCHEMES = {"light": "", "dark": "-dark"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", default=str(ROOT / "output"))
    parser.add_argument("--output-dir", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--full-page", action="store_true", help="capture the whole page, not the first screen")
    parser.add_argument("pages", nargs="*", help="name=/path/ pairs (default: home, city, city-pacific, network, case-study, empty-network, city-rich, office, search, timeline, data)")
    args = parser.parse_args()
    pages = dict(p.split("=", 1) for p in args.pages) if args.pages else DEFAULT_PAGES
    out = Path(args.output_dir)
    out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    server = Server(Path(args.site))
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                                 args=CHROMIUM_ARGS)
            for (width_name, (width, height)), (scheme, suffix) in (
                    (w, s) for w in WIDTHS.items() for s in SCHEMES.items()):
                context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
                page = context.new_page()
                for name, path in pages.items():
                    page.goto(server.url(path))
                    if page.locator("#map_atlas").count():
                        page.wait_for_selector("#map_atlas .leaflet-interactive")
                        page.wait_for_function("() => !document.querySelector('.leaflet-basemap-pane')"
                                               " || document.querySelectorAll('.leaflet-basemap-pane path').length")
                    if "?q=" in path:  # the search page: wait for its results
                        page.wait_for_selector(".pagefind-ui__result-link")
                    page.wait_for_load_state("networkidle")
                    # the map (or the sentence that stands for it) at the top of the screen, the page above it
                    page.evaluate("() => { const m = document.querySelector('.map-figure, .map-empty');"
                                  " if (m) { window.scrollTo(0, m.getBoundingClientRect().top + window.scrollY - 16); } }")
                    page.wait_for_timeout(400)
                    target = out / f"{name}-{width_name}{suffix}.png"
                    page.screenshot(path=str(target), full_page=args.full_page)
                    print(target)
                context.close()
            browser.close()
    finally:
        server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
