"""Browser fixtures, defined once for the whole suite (tests/conftest.py imports them), so the
browser tests and the hostile corpus share one Playwright session and one Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest

from atlas.pipeline import Config, build

from .conftest import CHROMIUM_ARGS, Server, chromium_path


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def starter_site(starter_build) -> Path:
    """The shipped atlas, built once for every test that reads it (tests/conftest.py)."""
    return starter_build.require()


@pytest.fixture(scope="session")
def starter_site_under_subpath(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("starter-subpath") / "output"
    build(Config(content_dir=Path(__file__).resolve().parents[2] / "content", output_dir=output,
                 base_url="https://example.org/atlas/"))
    return output


@pytest.fixture
def serve():
    servers: list[Server] = []

    def start(directory: Path, prefix: str = "/") -> Server:
        server = Server(directory, prefix)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()
