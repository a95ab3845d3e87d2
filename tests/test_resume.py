"""Builds after edits that leave the graph as it was start from the last build's snapshot, and give a full
build's bytes.

An edit to an entry's text, or to a fact of its front matter that the graph
does not read (a city's office or population, a summary), leaves every
relation as it was. Such a build starts from the snapshot of the last good
build and renders the pages that read what changed; any other change (links,
partners, citations, files added or removed, settings), or anything out of
place, makes a full build. Either way the output is byte for byte a full build's.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import atlas.pipeline
from atlas.errors import ContentError
from atlas.pipeline import Config, build
from atlas.render.templates import TEMPLATES_DIR

from conftest import STARTER_CONTENT, snapshot

SENTENCE = "\nA sentence added to the text, with no link and no citation.\n"


@pytest.fixture
def site(kept_builds) -> Config:
    """The starter atlas built once with a cache, free to edit."""
    # not the placeholder address, which --strict refuses
    return kept_builds.restore(base_url="https://atlas.example.net/").state.config


@pytest.fixture
def resolves(monkeypatch) -> list[int]:
    """Counts how often a build resolves the whole atlas (a full build does, a resumed one does not)."""
    calls: list[int] = []
    real = atlas.pipeline.resolve_links
    monkeypatch.setattr(atlas.pipeline, "resolve_links", lambda *a, **k: calls.append(1) or real(*a, **k))
    return calls


def full_build_of(config: Config, tmp_path: Path) -> dict[str, str]:
    fresh = tmp_path / "fresh"
    shutil.rmtree(fresh, ignore_errors=True)
    build(Config(content_dir=config.content_dir, output_dir=fresh, base_url=config.base_url))
    return snapshot(fresh)


def append(path: Path, text: str = SENTENCE) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_text_edit_renders_only_that_page_without_resolving_the_atlas(site, tmp_path, resolves):
    append(site.content_dir / "cities" / "barcelona.md")
    report = build(site)
    assert report.resumed and resolves == []
    assert report.rendered == 1
    assert "A sentence added to the text" in (site.output_dir / "cities/barcelona/index.html").read_text()
    assert snapshot(site.output_dir) == full_build_of(site, tmp_path)


def test_the_search_index_finds_the_new_words_after_a_text_edit(site, tmp_path):
    append(site.content_dir / "cities" / "paris.md", "\nThe word quokkaberry is new to the atlas.\n")
    report = build(site)
    assert report.resumed
    assert snapshot(site.output_dir) == full_build_of(site, tmp_path)  # the Pagefind bundle included


def test_successive_text_edits_and_then_a_full_build_give_a_full_builds_bytes(site, tmp_path, resolves):
    for name in ("barcelona", "atlanta", "barcelona", "paris"):
        append(site.content_dir / "cities" / f"{name}.md", f"\nAnother sentence about {name}.\n")
        assert build(site).resumed
    assert resolves == []
    replace(site.content_dir / "cities" / "galway.md", "country: IE\n", "country: IE\npartners: [montpellier]\n")
    report = build(site)
    assert not report.resumed and resolves == [1]
    assert report.rendered < report.pages / 4  # the cache was kept through the resumed builds
    assert snapshot(site.output_dir) == full_build_of(site, tmp_path)


@pytest.mark.parametrize("field, old, new", [
    ("office", "office: Department", "office: The Department"),
    ("population", "office: ", "population: 1620343\noffice: "),
    ("summary", "summary: ", "summary: In short, "),
])
def test_a_fact_the_graph_does_not_read_renders_the_pages_that_show_it_without_resolving(
        site, tmp_path, resolves, field, old, new):
    replace(site.content_dir / "cities" / "barcelona.md", old, new)
    report = build(site)
    assert report.resumed and resolves == []
    assert 1 <= report.rendered < report.pages / 4
    assert snapshot(site.output_dir) == full_build_of(site, tmp_path)


def test_a_population_edit_compares_only_the_units_that_read_the_city_and_gives_a_full_builds_bytes(
        site, tmp_path, monkeypatch):
    import atlas.incremental.dependencies as dependencies

    compared: list[int] = []
    real = dependencies.Tokens.unchanged
    monkeypatch.setattr(dependencies.Tokens, "unchanged", lambda self, recorded: compared.append(1)
                        or real(self, recorded))
    replace(site.content_dir / "cities" / "barcelona.md", "office: ", "population: 1620343\noffice: ")
    report = build(site)
    assert report.resumed and 1 <= report.rendered
    assert 0 < len(compared) < len(report.state.units) / 2  # not every unit (and its pages) is looked at
    assert snapshot(site.output_dir) == full_build_of(site, tmp_path)
    compared.clear()
    append(site.content_dir / "cities" / "barcelona.md")  # a second resumed build, from the first one's cache
    assert build(site).resumed and 0 < len(compared) < len(report.state.units) / 2
    assert snapshot(site.output_dir) == full_build_of(site, tmp_path)


@pytest.mark.parametrize("change", [
    "a partner", "coordinates", "a new link", "a new citation", "a new file", "a deleted file", "atlas.yaml", "sources.yaml",
])
def test_every_other_change_makes_a_full_build(site, tmp_path, resolves, change):
    content = site.content_dir
    barcelona = content / "cities" / "barcelona.md"
    if change == "a partner":
        replace(barcelona, "partners:\n", "partners:\n  - galway\n")
    elif change == "coordinates":
        replace(barcelona, "coordinates: [41.3851, 2.1734]", "coordinates: [41.39, 2.17]")
    elif change == "a new link":
        append(barcelona, "\nSee also [[paris]].\n")
    elif change == "a new citation":
        append(barcelona, "\nA fact [@conducting-city-diplomacy-47].\n")  # a source Barcelona did not cite
    elif change == "a new file":
        (content / "themes" / "new-theme.md").write_text("---\nname: A new theme\n---\nText.\n", encoding="utf-8")
    elif change == "a deleted file":
        (content / "themes" / "new-theme.md").write_text("---\nname: A new theme\n---\nText.\n", encoding="utf-8")
        build(site)
        resolves.clear()
        (content / "themes" / "new-theme.md").unlink()
    elif change == "atlas.yaml":
        append(content / "atlas.yaml", "\n# a comment\n")
    elif change == "sources.yaml":
        append(content / "sources.yaml", "\n# a comment\n")
    report = build(site)
    assert not report.resumed and resolves == [1]
    assert snapshot(site.output_dir) == full_build_of(site, tmp_path)


def test_an_error_in_the_edited_file_is_reported_by_file_and_line_and_publishes_nothing(site):
    before = snapshot(site.output_dir)
    append(site.content_dir / "cities" / "barcelona.md", "\nA citation of nothing [@no-such-source].\n")
    with pytest.raises(ContentError) as raised:
        build(site)
    assert any(p.src.endswith("cities/barcelona.md") and p.line > 1 for p in raised.value.problems)
    assert snapshot(site.output_dir) == before


def test_warnings_of_the_last_build_are_reported_again(site, tmp_path):
    (site.content_dir / "notes.txt").write_text("not content", encoding="utf-8")
    full = build(site)
    assert [w.src for w in full.warnings] == [f"{site.content_dir}/notes.txt"]
    append(site.content_dir / "cities" / "barcelona.md")
    resumed = build(site)
    assert resumed.resumed and resumed.warnings == full.warnings


@pytest.mark.parametrize("published", ["cities/tokyo/index.html", "data/cities.csv", "feed.xml"])
def test_a_published_file_changed_by_hand_is_made_again(site, tmp_path, published):
    (site.output_dir / published).write_text("defaced", encoding="utf-8")
    append(site.content_dir / "cities" / "barcelona.md")
    build(site)
    assert snapshot(site.output_dir) == full_build_of(site, tmp_path)


def test_a_published_asset_changed_by_hand_makes_a_full_build_that_repairs_it(site, tmp_path, resolves):
    css = next((site.output_dir / "assets").glob("atlas.*.css"))
    css.write_text("defaced", encoding="utf-8")
    append(site.content_dir / "cities" / "barcelona.md")
    report = build(site)
    assert not report.resumed and resolves == [1]
    assert snapshot(site.output_dir) == full_build_of(site, tmp_path)


def test_a_template_change_makes_a_full_build(tmp_path, resolves):
    templates = tmp_path / "templates"
    shutil.copytree(Path(TEMPLATES_DIR), templates)
    content = tmp_path / "content"
    shutil.copytree(STARTER_CONTENT, content)
    config = Config(content_dir=content, output_dir=tmp_path / "out", cache_dir=tmp_path / "cache",
                    templates_dir=templates)
    build(config)
    footer = templates / "base.html"
    footer.write_text(footer.read_text(encoding="utf-8").replace("</footer>", "<p>Edited footer</p></footer>"),
                      encoding="utf-8")
    append(content / "cities" / "barcelona.md")
    report = build(config)
    assert not report.resumed
    assert "Edited footer" in (tmp_path / "out" / "cities/paris/index.html").read_text(encoding="utf-8")


def test_strict_builds_always_check_the_whole_site(site, resolves):
    append(site.content_dir / "cities" / "barcelona.md")
    report = build(Config(content_dir=site.content_dir, output_dir=site.output_dir, cache_dir=site.cache_dir,
                          base_url=site.base_url, strict=True))
    assert not report.resumed and resolves == [1]


def test_content_with_a_symbolic_link_is_always_built_in_full(site, resolves):
    hidden = site.content_dir / ".kept" / "paris.md"  # a hidden folder: not read itself
    hidden.parent.mkdir()
    shutil.move(site.content_dir / "cities" / "paris.md", hidden)
    os.symlink(hidden, site.content_dir / "cities" / "paris.md")
    build(site)
    append(hidden)  # the link's stamp does not change when its target does
    report = build(site)
    assert not report.resumed
    assert "A sentence added to the text" in (site.output_dir / "cities/paris/index.html").read_text()


def test_a_build_with_nothing_changed_resumes_and_writes_nothing(site, resolves):
    report = build(site)
    assert report.resumed and resolves == [] and report.rendered == 0 and report.written == 0


def test_a_damaged_snapshot_makes_a_full_build(site, tmp_path, resolves):
    for path in site.cache_dir.glob("*.snapshot"):
        path.write_bytes(b"not a pickle")
    append(site.content_dir / "cities" / "barcelona.md")
    report = build(site)
    assert not report.resumed and resolves == [1]
    assert snapshot(site.output_dir) == full_build_of(site, tmp_path)
