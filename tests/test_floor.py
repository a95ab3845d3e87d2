"""benchmarks/floor.py, the stack's floor: it times Markdown over the bodies the atlas renders and
Pagefind over the pages the atlas indexes, and nothing else."""

from __future__ import annotations

import sys
from pathlib import Path

from atlas.model import Output
from conftest import city

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import floor  # noqa: E402


def test_the_bodies_timed_are_the_entries_bodies_without_drafts(tmp_path, make_site):
    make_site(tmp_path, {"cities/lyon.md": city("Lyon", "FR", "[45.76, 4.84]", body="Silk weavers."),
                         "cities/rome.md": city("Rome", "IT", "[41.9, 12.5]", body="Eternal.", extra="draft: true")})
    assert floor.load_bodies(tmp_path / "content") == ["Silk weavers."]


def test_markdown_is_timed_on_one_core_and_on_several():
    times = floor.time_markdown(["# A\n\nText with a table:\n\n| a |\n| - |\n| 1 |\n"] * 40, True, 2)
    assert times["cpu"] > 0 and times["wall"] > 0 and times["per_body_ms"] == 1000 * times["cpu"] / 40


def test_only_the_pages_pagefind_indexes_are_copied(tmp_path):
    site = tmp_path / "site"
    for output in (Output("cities/lyon/index.html", b"<main data-pagefind-body>Lyon</main>"),
                   Output("cities/index.html", b"<main>Cities</main>"), Output("feed.xml", b"<feed/>")):
        (site / output.dest).parent.mkdir(parents=True, exist_ok=True)
        (site / output.dest).write_bytes(output.data)
    assert floor.copy_entry_pages(site, tmp_path / "copy") == 1
    assert [path.relative_to(tmp_path / "copy").as_posix() for path in (tmp_path / "copy").rglob("*.html")] == [
        "cities/lyon/index.html"]
