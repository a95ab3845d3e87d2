"""Editing in the browser: /admin/ (Decap CMS, with forms generated from the kinds) against its local backend.

`atlas serve --cms` runs on a small atlas in a temporary folder; it starts
decap-server, which saves into that folder's content/. The tests use the forms
as an editor would, then read the saved file, check it and build the atlas.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from atlas.pipeline import Config, build, check

from .conftest import write_tree

ROOT = Path(__file__).resolve().parents[2]
FILES = {
    "atlas.yaml": "title: Twinning Atlas\ncms_repo: example/twinning-atlas\n",
    "sources.yaml": "- id: coimbra-council\n  title: Coimbra council minutes\n  year: 1985\n",
    "cities/lyon.md": "---\nname: Lyon\ncountry: FR\ncoordinates: [45.76, 4.84]\n---\nLyon.\n",
    "cities/turin.md": "---\nname: Turin\ncountry: IT\ncoordinates: [45.07, 7.69]\n---\nTurin.\n",
    "networks/eurocities.md": "---\nname: Eurocities\nfounded: 1986\n---\nA network of European cities.\n",
    "case-studies/river-cities.md": ("---\ntitle: River cities compare notes\ndate: 2019\ncities: [lyon, turin]\n"
                                     "---\nThe two cities met on their rivers.\n"),
}


@pytest.fixture
def cms(tmp_path):
    """`atlas serve --cms` on a copy of a small atlas: (the served address, the content folder)."""
    content = write_tree(tmp_path / "site" / "content", FILES)
    process = subprocess.Popen(
        [sys.executable, "-m", "atlas.cli", "serve", "--cms", "--content", str(content), "--port", "0",
         "--output", str(tmp_path / "served"), "--cache-dir", str(tmp_path / "cache")],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    log: list[str] = []
    url = None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        line = process.stdout.readline()
        log.append(line)
        match = re.search(r"editing in the browser at (http://127\.0\.0\.1:\d+/)admin/", line)
        if match:
            url = match.group(1)
            break
    assert url, "".join(log)
    yield url, content
    process.terminate()
    process.wait(timeout=15)


def open_editor(page, url: str, route: str) -> None:
    """Sign in to the local backend (no account: one button) and open a route of the editor."""
    page.goto(url + "admin/")
    page.get_by_role("button", name="Login").click()
    page.get_by_text("Cities").first.wait_for()
    page.goto(url + "admin/#/collections/" + route)


def choose(page, field_id: str, typed: str, option: str) -> None:
    """Pick an entry in a relation field by typing part of its name, as an editor searches."""
    page.locator(f"#{field_id}").fill(typed)
    page.get_by_role("option", name=option, exact=True).click()


def test_an_editor_creates_a_city_with_partners_and_a_network_and_the_atlas_shows_the_ties(page, cms, tmp_path):
    url, content = cms
    open_editor(page, url, "cities/new")
    page.get_by_label("Name", exact=True).fill("Coimbra")
    page.get_by_label("Country", exact=True).fill("PT")
    for index, value in enumerate(("40.21", "-8.43")):  # the coordinates' inputs come before the population's
        page.get_by_role("button", name="Add latitude, then longitude").click()
        page.locator("input[type=number]").nth(index).fill(value)
    page.get_by_role("button", name="Add partner").click()
    choose(page, page.get_by_label("City", exact=True).last.get_attribute("id"), "Ly", "Lyon")
    page.get_by_label("Since (optional)").last.fill("1985-05")
    sources = page.get_by_label("Sources (optional)").first  # the partner's (the entry's own come last)
    choose(page, sources.get_attribute("id"), "Coimbra", "Coimbra council minutes (coimbra-council)")
    page.get_by_role("button", name="Add partner").click()
    choose(page, page.get_by_label("City", exact=True).last.get_attribute("id"), "Tur", "Turin")
    page.get_by_role("button", name="Add network").click()
    choose(page, page.get_by_label("Network", exact=True).get_attribute("id"), "Euro", "Eurocities")
    publish(page)
    saved = content / "cities" / "coimbra.md"
    deadline = time.monotonic() + 20
    while not saved.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    text = saved.read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---")[1])
    assert front["name"] == "Coimbra" and front["country"] == "PT"
    assert front["coordinates"] == [40.21, -8.43]
    assert [(p["city"], p.get("since")) for p in front["partners"]] == [("lyon", "1985-05"), ("turin", None)]
    assert front["partners"][0]["sources"] == ["coimbra-council"]
    assert [n["network"] for n in front["networks"]] == ["eurocities"]

    errors, _, _ = check(Config(content_dir=content))
    assert not errors.problems, [str(problem) for problem in errors.problems]
    output = tmp_path / "built"
    build(Config(content_dir=content, output_dir=output))
    coimbra = (output / "cities/coimbra/index.html").read_text(encoding="utf-8")
    assert "Lyon" in coimbra and "Turin" in coimbra and "Eurocities" in coimbra
    lyon = (output / "cities/lyon/index.html").read_text(encoding="utf-8")
    assert 'href="/cities/coimbra/"' in lyon and "May 1985" in lyon
    assert 'href="/cities/coimbra/"' in (output / "cities/turin/index.html").read_text(encoding="utf-8")
    assert 'href="/cities/coimbra/"' in (output / "networks/eurocities/index.html").read_text(encoding="utf-8")


def publish(page) -> None:
    page.get_by_role("button", name="Publish").first.click()
    page.get_by_text("Publish now").click()


def test_an_edit_to_a_case_studys_text_shows_in_the_preview_and_once_saved_on_the_served_atlas(page, cms):
    url, content = cms
    open_editor(page, url, "case-studies/entries/river-cities")
    preview = page.frame_locator("iframe").first
    preview.get_by_text("The two cities met on their rivers.").wait_for()
    editor = page.locator("[data-slate-editor]")  # the body's rich-text editor
    editor.get_by_text("The two cities met on their rivers.").click()
    page.keyboard.press("Control+A")
    page.keyboard.type("The two cities met on their rivers, then on their bridges.")
    preview.get_by_text("The two cities met on their rivers, then on their bridges.").wait_for(timeout=30000)
    assert "The two cities met on their rivers." not in preview.locator("body").inner_text()

    publish(page)
    served = page.context.new_page()  # atlas serve rebuilds on the saved file, as on any edit
    served.goto(url + "case-studies/river-cities/")
    served.get_by_text("then on their bridges").wait_for(timeout=90000)
    assert "then on their bridges" in (content / "case-studies/river-cities.md").read_text(encoding="utf-8")
