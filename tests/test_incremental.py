"""Incremental builds: after one edit only the pages that show it are rendered, with the same bytes as a full build."""

from __future__ import annotations

import builtins
import shutil
from pathlib import Path

from conftest import edit, snapshot

from atlas.pipeline import Config, build



def cached(content: Path, output: Path, cache: Path) -> Config:
    return Config(content_dir=content, output_dir=output, cache_dir=cache)


def test_a_second_build_renders_nothing(atlas_copy, tmp_path):
    config = cached(atlas_copy, tmp_path / "out", tmp_path / "cache")
    first = build(config)
    assert first.rendered == first.pages
    second = build(config)
    assert second.rendered == 0 and second.written == 0


def test_editing_one_city_renders_that_page_and_the_pages_that_show_it(warm_atlas):
    config = warm_atlas
    # a new partnership: Galway now also partners Montpellier
    edit(config.content_dir / "cities" / "galway.md", "country: IE\n", "country: IE\npartners: [montpellier]\n")
    before = snapshot(config.output_dir)
    report = build(config)
    after = snapshot(config.output_dir)
    changed = {dest for dest in after if before.get(dest) != after[dest]}
    changed_pages = {d for d in changed if d.endswith(".html")}
    assert "cities/galway/index.html" in changed_pages
    assert "cities/montpellier/index.html" in changed_pages  # shows the partnership too
    assert "partnerships/index.html" in changed_pages and "index.html" in changed_pages
    assert "cities/tokyo/index.html" not in changed_pages  # unrelated
    assert report.rendered < report.pages / 4
    assert report.rendered >= len(changed_pages)


def test_an_incremental_build_gives_the_same_bytes_as_a_full_one(warm_atlas, tmp_path):
    config = warm_atlas
    edit(config.content_dir / "cities" / "barcelona.md", "Barcelona", "Barcelona (Catalonia)")
    edit(config.content_dir / "themes" / "climate.md", "name: ", "name: Climate and ")
    (config.content_dir / "cities" / "kumasi.md").unlink()
    edit(config.content_dir / "cities" / "atlanta.md", "  - {city: kumasi", "  # - {city: kumasi")
    build(config)
    build(Config(content_dir=config.content_dir, output_dir=tmp_path / "full", cache_dir=None))
    assert snapshot(config.output_dir) == snapshot(tmp_path / "full")


def test_a_template_change_renders_every_page(warm_atlas, monkeypatch):
    from atlas.incremental import cache

    config = warm_atlas
    monkeypatch.setattr(cache, "code_digest", lambda: "a different version of the templates")
    report = build(config)
    assert report.rendered == report.pages


def test_caches_of_output_folders_that_are_gone_are_forgotten(atlas_copy, tmp_path):
    cache = tmp_path / "cache"
    build(cached(atlas_copy, tmp_path / "first", cache))
    shutil.rmtree(tmp_path / "first")
    build(cached(atlas_copy, tmp_path / "second", cache))
    assert len(list(cache.glob("build-*.pickle"))) == 1


def test_a_warm_build_reads_and_parses_only_the_files_that_changed(warm_atlas, monkeypatch):
    import atlas.content.sources

    config = warm_atlas
    read: list[str] = []
    real_read = atlas.content.sources._read_text
    monkeypatch.setattr(atlas.content.sources, "_read_text", lambda path, src, *rest: read.append(src) or real_read(path, src, *rest))
    galway = config.content_dir / "cities" / "galway.md"
    galway.write_text(galway.read_text(encoding="utf-8") + "\nA line written after the first build.\n", encoding="utf-8")
    report = build(config)
    entries = [src for src in read if not src.endswith(".yaml")]
    assert entries == [f"{config.content_dir}/cities/galway.md"]
    page = (config.output_dir / "cities" / "galway" / "index.html").read_text(encoding="utf-8")
    assert "A line written after the first build." in page
    assert report.rendered >= 1


def test_a_broken_or_stale_parse_cache_is_ignored(warm_atlas):
    config = warm_atlas
    first = tree_after(build, config, config.output_dir)
    for memo in config.cache_dir.glob("*.sources"):
        memo.write_bytes(b"not a pickle")
    assert tree_after(build, config, config.output_dir) == first
    edit(config.content_dir / "cities" / "galway.md", 'name: "Galway"', 'name: "Gaillimh"')
    build(config)
    assert "Gaillimh" in (config.output_dir / "cities" / "galway" / "index.html").read_text(encoding="utf-8")


def tree_after(run, config: Config, output: Path) -> dict[str, str]:
    run(config)
    return snapshot(output)


def test_the_data_files_are_made_again_only_when_what_they_list_changed(warm_atlas, monkeypatch):
    import dataclasses

    import atlas.pipeline

    config = warm_atlas
    made = []
    real_files, real_graph_data = atlas.pipeline.entry_data_files, atlas.pipeline.render_graph_data

    def recorded(data_file):
        return dataclasses.replace(data_file, make=lambda: made.append(data_file.dest) or data_file.make())

    monkeypatch.setattr(atlas.pipeline, "entry_data_files",
                        lambda *args: [recorded(data_file) for data_file in real_files(*args)])
    monkeypatch.setattr(atlas.pipeline, "render_graph_data",
                        lambda *args: made.append("graph data") or real_graph_data(*args))
    galway = config.content_dir / "cities" / "galway.md"
    galway.write_text(galway.read_text(encoding="utf-8") + "\nMore text, no new facts.\n", encoding="utf-8")
    build(config)
    assert made == []
    edit(galway, 'name: "Galway"', 'name: "Gaillimh"')
    build(config)
    # the graph, the partnerships' files made from it, other kinds' tables and the package are as they were
    assert made == ["data/atlas.json", "data/cities.geojson", "data/cities.csv"]
    assert "Gaillimh" in (config.output_dir / "data" / "atlas.json").read_text(encoding="utf-8")
    made.clear()
    edit(galway, "country: IE\n", "country: IE\npartners: [montpellier]\n")
    build(config)
    assert made[:3] == ["data/atlas.json", "data/cities.geojson", "data/cities.csv"] and made[-1] == "graph data"
    made.clear()
    edit(galway, "country: IE\n", "country: IE\npopulation: 83456\n")
    build(config)  # a fact the cities' map does not show
    assert made == ["data/atlas.json", "data/cities.csv"]
    assert "galway,montpellier" in (config.output_dir / "data" / "partnerships.csv").read_text(encoding="utf-8")


def test_a_published_file_changed_by_hand_is_rendered_again(warm_atlas):
    config = warm_atlas
    page = config.output_dir / "cities" / "galway" / "index.html"
    good = page.read_bytes()
    page.write_bytes(b"<p>defaced</p>")
    data = config.output_dir / "data" / "atlas.json"
    data_good = data.read_bytes()
    data.write_bytes(data_good[:-10])
    report = build(config)
    assert page.read_bytes() == good and data.read_bytes() == data_good
    assert report.rendered == 1


def test_a_warm_build_does_not_read_the_pages_it_reuses(atlas_copy, tmp_path, monkeypatch):
    from atlas.render import search

    monkeypatch.setattr(search, "SHARD_PAGES", 20)  # the starter atlas in about 7 search shards
    config = cached(atlas_copy, tmp_path / "out", tmp_path / "cache")
    first = build(config)
    read: list[Path] = []
    real_open = builtins.open

    def reading(file, mode="r", *args, **kwargs):
        if isinstance(file, (str, Path)) and "r" in mode and "+" not in mode:
            read.append(Path(file))
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", reading)
    real_read_bytes = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self) or real_read_bytes(self))
    galway = atlas_copy / "cities" / "galway.md"
    galway.write_text(galway.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    report = build(config)
    assert report.rendered == 1
    published = {p for p in read if (tmp_path / "out") in p.parents and p.suffix == ".html"}
    # read back: only the pages of the one search shard indexed again, and the edited page to compare it
    assert 0 < len(published) <= 45 < first.pages
    assert not [p for p in published if "sources" in p.relative_to(tmp_path / "out").parts]
