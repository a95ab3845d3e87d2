"""A page records what it reads while it renders, and is rendered again exactly when that changed.

The starter atlas is built once with a cache, edited, and built again: the pages
rendered the second time are those that read what the edit changed, and the
bytes are those of a build from scratch, whatever the edit.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import edit, snapshot
from plain import atlas_of

from atlas.graph.relations import Graph
from atlas.incremental.cache import BuildCache
from atlas.incremental.cache import fingerprint
from atlas.incremental.dependencies import Dependencies, RecordedAtlas, Tokens
from atlas.model import Atlas
import atlas.render.pages
from atlas.pipeline import Config, build
from atlas.render.templates import TEMPLATES_DIR



@pytest.fixture
def rendered(monkeypatch) -> set[str]:
    """The pages a build renders (as opposed to reusing), in one process."""
    monkeypatch.setenv("ATLAS_WORKERS", "1")
    seen: set[str] = set()
    page = BuildCache.page

    def spying(self, dest, key, render, reads=None, counted=True):
        def rendering():
            seen.add(dest)
            return render()
        return page(self, dest, key, rendering, reads, counted)

    monkeypatch.setattr(BuildCache, "page", spying)
    return seen


@pytest.fixture
def config(warm_atlas, rendered) -> Config:
    """The atlas built once with a cache; `rendered` is empty for the next build."""
    rendered.clear()
    return warm_atlas


@pytest.fixture
def content(config) -> Path:
    return config.content_dir


# What one read records

class _Atlas:
    def __init__(self, entries):
        self.entries = entries


class _Entry:
    def __init__(self, title, body):
        self.kind, self.slug, self.title, self.body = "cities", "lyon", title, body

        class Meta:
            def model_dump_json(self):
                return "{}"
        self.meta = Meta()


def test_a_recorded_read_keeps_its_token_and_is_unchanged_until_what_it_read_changes():
    graph = Graph()
    graph.partners_of["lyon"] = ["milan"]
    lyon = _Entry("Lyon", "Text.")
    reads = Dependencies(Tokens(_Atlas({("cities", "lyon"): lyon}), graph))
    reads.entry("cities", "lyon")
    reads.body("cities", "lyon")
    reads.relation("partners_of", "lyon")
    reads.entry("cities", "nowhere")
    recorded = reads.recorded()
    assert [dependency for dependency, _ in recorded] == [
        ("entry", "cities", "lyon"), ("body", "cities", "lyon"), ("relation", "partners_of", "lyon"),
        ("entry", "cities", "nowhere")]
    assert Tokens(_Atlas({("cities", "lyon"): _Entry("Lyon", "Text.")}), graph).unchanged(recorded)
    assert not Tokens(_Atlas({("cities", "lyon"): _Entry("Lyon", "Other text.")}), graph).unchanged(recorded)
    assert not Tokens(_Atlas({("cities", "lyon"): _Entry("Lyons", "Text.")}), graph).unchanged(recorded)
    graph.partners_of["lyon"] = ["milan", "turin"]
    assert not Tokens(_Atlas({("cities", "lyon"): lyon}), graph).unchanged(recorded)


def test_another_entry_read_through_the_atlas_records_its_title_and_each_field_read_not_the_rest():
    atlas = atlas_of({"cities/lyon.md": "name: Lyon\ncountry: FR\npopulation: 520000\n",
                      "cities/turin.md": "name: Turin\ncountry: IT\n"})
    reads = Dependencies(Tokens(atlas, Graph()))
    lyon = RecordedAtlas(atlas, reads).get("cities", "lyon")
    assert lyon.title == "Lyon" and lyon.meta.country == "FR" and lyon.slug == "lyon"
    assert set(reads.read) == {("exists", "cities", "lyon"), ("title", "cities", "lyon"),
                               ("field", "cities", "lyon", "country")}
    edited = atlas.with_entries([replace(atlas.get("cities", "lyon"), meta=atlas.get("cities", "lyon").meta
                                         .model_copy(update={"population": 530000}))])
    assert Tokens(edited, Graph()).unchanged(reads.recorded())  # the population was not read
    renamed = atlas.with_entries([replace(atlas.get("cities", "lyon"), title="Lyon (Rhône)")])
    assert not Tokens(renamed, Graph()).unchanged(reads.recorded())


def test_walking_a_kind_records_which_entries_it_has_and_what_is_read_of_each():
    atlas = atlas_of({"cities/lyon.md": "name: Lyon\ncountry: FR\n", "cities/turin.md": "name: Turin\ncountry: IT\n"})
    reads = Dependencies(Tokens(atlas, Graph()))
    assert [city.title for city in RecordedAtlas(atlas, reads).of_kind("cities")] == ["Lyon", "Turin"]
    assert set(reads.read) == {("kind", "cities"), ("title", "cities", "lyon"), ("title", "cities", "turin")}
    fewer = Atlas(atlas.config, {("cities", "lyon"): atlas.get("cities", "lyon")}, {}, {}, "sources.yaml")
    assert not Tokens(fewer, Graph()).unchanged(reads.recorded())


def test_an_entry_read_through_the_atlas_counts_in_a_fingerprint_as_the_entry_itself():
    atlas = atlas_of({"cities/lyon.md": "name: Lyon\ncountry: FR\n"})
    seen = RecordedAtlas(atlas, Dependencies(Tokens(atlas, Graph()))).get("cities", "lyon")
    assert fingerprint([seen]) == fingerprint([atlas.get("cities", "lyon")])


def test_a_unit_whose_reads_are_unchanged_is_not_run_at_all(config, content, rendered, monkeypatch):
    ran = []
    real = atlas.render.pages.render_entry_page
    monkeypatch.setattr(atlas.render.pages, "render_entry_page",
                        lambda pages, entry: ran.append(entry.slug) or real(pages, entry))
    edit(content / "cities" / "galway.md", "Galway has been a sister city", "Galway has long been a sister city")
    build(config)
    assert ran == ["galway"]  # no other entry's context was even computed


# What is rendered again

def test_a_page_that_shows_an_entry_s_title_is_rendered_again_when_the_title_changes(config, content, rendered):
    # partnerships/ gets the partnerships; its template looks up the cities' names with site.entry
    edit(content / "cities" / "galway.md", 'name: "Galway"', 'name: "Gaillimh"')
    build(config)
    assert "cities/galway/index.html" in rendered
    assert "partnerships/index.html" in rendered  # Galway partners Chicago
    assert "timeline/index.html" in rendered
    assert "cities/chicago/index.html" in rendered
    assert "networks/index.html" not in rendered


def test_a_field_of_an_entry_renders_again_only_the_pages_that_read_that_field(config, content, rendered):
    edit(content / "cities" / "galway.md", "summary: \"Irish city,", "summary: \"A city in Ireland,")
    build(config)
    assert "cities/galway/index.html" in rendered
    assert "partnerships/index.html" not in rendered  # it shows Galway's name, not its summary
    assert "cities/chicago/index.html" not in rendered
    assert "index.html" not in rendered


def test_a_city_s_region_renders_again_the_pages_that_name_the_city_with_it(config, content, rendered):
    # the partner tables, partnerships/ and the timeline name a city with its region ("Galway, Connacht")
    edit(content / "cities" / "galway.md", "country: IE\n", "country: IE\nregion: Connacht\n")
    build(config)
    assert {"cities/galway/index.html", "cities/chicago/index.html", "partnerships/index.html",
            "timeline/index.html"} <= rendered
    assert "networks/index.html" not in rendered and "cities/index.html" not in rendered


def test_a_page_that_reads_an_entry_through_its_template_is_not_rendered_when_an_unrelated_entry_changes(
        config, content, rendered):
    edit(content / "themes" / "climate.md", "summary: Cities' joint work", "summary: The joint work of cities")
    build(config)
    assert "themes/climate/index.html" in rendered
    assert "partnerships/index.html" not in rendered
    assert "timeline/index.html" not in rendered
    assert "sources/index.html" not in rendered


@pytest.mark.parametrize("path, old, new", [
    ("cities/galway.md", 'name: "Galway"', 'name: "Gaillimh"'),
    ("networks/c40.md", "name: C40", "name: C40 Cities"),
    ("themes/climate.md", "name: Climate", "name: Climate change"),
])
def test_the_home_page_which_shows_the_whole_atlas_is_rendered_again_when_any_entry_s_title_changes(
        config, content, rendered, path, old, new):
    edit(content / path, old, new)
    build(config)
    assert "index.html" in rendered


def test_an_edit_to_an_entry_s_text_renders_only_the_pages_that_show_its_text(config, content, rendered):
    edit(content / "cities" / "galway.md", "Galway has been a sister city", "Galway has long been a sister city")
    report = build(config)
    assert rendered == {"cities/galway/index.html"}
    assert report.rendered == 1


def test_a_second_build_reads_everything_it_recorded_as_unchanged_and_renders_nothing(config, rendered):
    build(config)
    assert rendered == set()


# The same bytes as a build from scratch, whatever the edit

def _text(content: Path) -> None:
    edit(content / "cities" / "galway.md", "Galway has been", "Galway, on the west coast, has been")


def _front_matter(content: Path) -> None:
    edit(content / "cities" / "barcelona.md", "name: Barcelona", "name: Barcelona (Catalonia)")
    edit(content / "themes" / "climate.md", "name: ", "name: Climate and ")


def _region(content: Path) -> None:
    edit(content / "cities" / "galway.md", "country: IE\n", "country: IE\nregion: Connacht\n")
    edit(content / "cities" / "toledo-ohio.md", "region: Ohio", "region: Lucas County, Ohio")


def _relation(content: Path) -> None:
    edit(content / "cities" / "galway.md", "country: IE\n", "country: IE\npartners: [montpellier]\n")


def _rename(content: Path) -> None:
    (content / "cities" / "keighley.md").rename(content / "cities" / "keighley-yorkshire.md")
    edit(content / "case-studies" / "origins-of-twinning.md", "keighley,", "keighley-yorkshire,")
    edit(content / "case-studies" / "origins-of-twinning.md", "[[keighley]]", "[[keighley-yorkshire]]")
    edit(content / "cities" / "poix-du-nord.md", "[[keighley]]", "[[keighley-yorkshire]]")


def _delete(content: Path) -> None:
    (content / "cities" / "kumasi.md").unlink()
    edit(content / "cities" / "atlanta.md", "  - {city: kumasi", "  # - {city: kumasi")


def _settings(content: Path) -> None:
    edit(content / "atlas.yaml", "title: City Diplomacy Atlas", "title: The City Diplomacy Atlas")


EDITS = {"text": _text, "front matter": _front_matter, "a region": _region, "a new relation": _relation, "a rename": _rename,
         "a deleted file": _delete, "settings": _settings}


@pytest.mark.parametrize("name", sorted(EDITS))
def test_a_build_after_an_edit_gives_the_bytes_of_a_build_from_scratch(config, content, tmp_path, name):
    EDITS[name](content)
    build(config)
    build(Config(content_dir=content, output_dir=tmp_path / "full", cache_dir=None))
    assert snapshot(config.output_dir) == snapshot(tmp_path / "full")


def test_a_build_after_a_template_edit_gives_the_bytes_of_a_build_from_scratch(atlas_copy, tmp_path):
    content = atlas_copy
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES_DIR, templates)
    config = Config(content_dir=content, output_dir=tmp_path / "out", cache_dir=tmp_path / "cache",
                    templates_dir=templates)
    build(config)
    edit(templates / "index_partnerships.html", "{{ city_link(site, b) }}", "{{ city_link(site, b) | upper }}")
    build(config)
    build(Config(content_dir=content, output_dir=tmp_path / "full", cache_dir=None, templates_dir=templates))
    assert snapshot(tmp_path / "out") == snapshot(tmp_path / "full")
