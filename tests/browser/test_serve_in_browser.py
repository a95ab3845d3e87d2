"""`atlas serve` with a real browser: an edit rebuilds and reloads the page; a broken file shows an overlay."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import write_tree

ROOT = Path(__file__).resolve().parents[2]
LYON = "---\nname: Lyon\ncountry: FR\ncoordinates: [45.76, 4.84]\npartners: [turin]\n---\n{body}\n"
FILES = {
    "atlas.yaml": "title: Served atlas\n",
    "cities/lyon.md": LYON.format(body="Lyon works with Turin."),
    "cities/turin.md": "---\nname: Turin\ncountry: IT\ncoordinates: [45.07, 7.69]\n---\nTurin.\n",
}


@pytest.fixture
def server(tmp_path):
    content = tmp_path / "content"
    write_tree(content, FILES)
    process = subprocess.Popen(
        [sys.executable, "-m", "atlas.cli", "serve", "--content", str(content), "--port", "0",
         "--output", str(tmp_path / "served"), "--cache-dir", str(tmp_path / "cache")],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = None
    log: list[str] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        log.append(line)
        match = re.search(r"at (http://127\.0\.0\.1:\d+/)", line)
        if match:
            url = match.group(1)
            break
    assert url, "".join(log)
    yield url, content, process
    process.terminate()
    process.wait(timeout=10)


def test_editing_a_file_rebuilds_and_reloads_the_open_page(page, server):
    url, content, process = server
    page.goto(url + "cities/lyon/")
    assert "Lyon works with Turin." in page.inner_text("main")
    page.wait_for_timeout(300)  # the page has subscribed to rebuilds
    started = time.monotonic()
    (content / "cities/lyon.md").write_text(LYON.format(body="Lyon and Turin share a tram plan."), encoding="utf-8")
    page.wait_for_function("() => document.body.innerText.includes('share a tram plan')", timeout=15000)
    assert time.monotonic() - started < 10
    line = ""
    while "rebuilt in" not in line:
        line = process.stdout.readline()
    assert re.search(r"rebuilt in [\d.]+ s: \d+ of \d+ pages rendered", line)


def test_a_broken_file_shows_an_overlay_and_keeps_the_last_good_page_until_fixed(page, server):
    url, content, _ = server
    page.goto(url + "cities/lyon/")
    page.wait_for_timeout(300)
    (content / "cities/lyon.md").write_text(LYON.format(body="Fine.").replace("country: FR", "country: Francia"),
                                            encoding="utf-8")
    overlay = page.wait_for_selector("#atlas-error-overlay", timeout=15000)
    assert "content/cities/lyon.md:3: error: country" in overlay.inner_text()
    assert "Lyon works with Turin." in page.inner_text("main")  # the last good page
    page.reload()  # a fresh load still sees the error
    assert "content/cities/lyon.md:3" in page.wait_for_selector("#atlas-error-overlay").inner_text()
    (content / "cities/lyon.md").write_text(LYON.format(body="Fixed and rebuilt."), encoding="utf-8")
    page.wait_for_function("() => document.body.innerText.includes('Fixed and rebuilt.')", timeout=15000)
    assert page.query_selector("#atlas-error-overlay") is None
