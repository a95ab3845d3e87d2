#!/usr/bin/env python3
"""Take the screenshot of the browser editor's city form for the README and docs/editors-guide.md.

Usage: .venv/bin/python scripts/cms_screenshot.py [--city barcelona] [--output docs/screenshots/cms-city-desktop.png]

Builds the shipped atlas into a temporary folder with the editor's local
backend (decap-server, on the project folder: nothing is saved), serves it on
a free localhost port, signs in and opens the city's form at 1280 px.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from atlas.pipeline import Config, build  # noqa: E402
from atlas.serve.cms import start_local_backend  # noqa: E402
from tests.browser.conftest import CHROMIUM_ARGS, Server, chromium_path  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--city", default="barcelona")
    parser.add_argument("--output", default=str(ROOT / "docs/screenshots/cms-city-desktop.png"))
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    backend = start_local_backend(ROOT)
    try:
        with tempfile.TemporaryDirectory() as folder:
            output = Path(folder) / "output"
            build(Config(content_dir=ROOT / "content", output_dir=output, cms_backend=backend.url))
            server = Server(output)
            try:
                with sync_playwright() as playwright:
                    browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
                    page = browser.new_page(viewport={"width": 1280, "height": 900})
                    page.goto(server.url("/admin/"))
                    page.get_by_role("button", name="Login").click()
                    page.get_by_text("Cities").first.wait_for()
                    page.goto(server.url(f"/admin/#/collections/cities/entries/{args.city}"))
                    page.get_by_label("Name", exact=True).wait_for()
                    page.wait_for_timeout(1500)  # the relation pickers fetch the names of the entries
                    page.screenshot(path=args.output)
                    browser.close()
            finally:
                server.close()
    finally:
        backend.stop()
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
