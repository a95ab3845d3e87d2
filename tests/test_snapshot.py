"""snapshot.py: the last good build, kept so that a build after a text-only edit starts from it.

A snapshot tells which content files changed (only entry files, or nothing to
resume from), hands back the published files while they are as recorded, and
is read back only by the same code, for the same output folder, and with the
resolved atlas it was written with.
"""

from __future__ import annotations

import dataclasses
import gc
import os
import pickle
from pathlib import Path

import pytest

from atlas.content.schema import validate_entries
from atlas.content.sources import content_listing, load_sources
from atlas.errors import ErrorList, Problem
from atlas.graph.relations import resolve_links
from atlas.incremental.cache import published_stamps
from atlas.incremental.snapshot import Snapshot, file_stamps, forget_snapshot, load_snapshot, save_snapshot
from atlas.model import Output
from atlas.render.assets import Assets

from conftest import city

NAMESPACE = "code-1"


@pytest.fixture(autouse=True)
def collectable():
    """Loading a snapshot freezes what it loaded out of the collector's sight; a build unfreezes it."""
    yield
    gc.unfreeze()


@pytest.fixture
def snapshot(tmp_path, make_site) -> Snapshot:
    """The snapshot of a two-city atlas whose three files are published in tmp_path/out."""
    content = make_site(tmp_path, {"cities/lyon.md": city("Lyon", "FR", "[45.76, 4.84]", body="Lyon.\n"),
                                   "cities/rome.md": city("Rome", "IT", "[41.9, 12.5]", body="Rome.\n")})
    errors = ErrorList()
    atlas = validate_entries(load_sources(content, errors), errors)
    graph = resolve_links(atlas, errors)
    assert not errors.problems
    outputs = [Output("index.html", b"<h1>Atlas</h1>"), Output("cities/lyon/index.html", b"<h1>Lyon</h1>"),
               Output("cities/rome/index.html", b"<h1>Rome</h1>")]
    out = tmp_path / "out"
    for output in outputs:
        (out / output.dest).parent.mkdir(parents=True, exist_ok=True)
        (out / output.dest).write_bytes(output.data)
    assets = Assets("/assets/atlas.css", "/assets/site.js", "/assets/map.js", (), ())
    warning = Problem("content/cities/rome.md", 1, "no sources", severity="warning")
    return Snapshot(("settings",), content_listing(content), atlas, graph, assets, [warning],
                    published_stamps(outputs, out))


def edit(snapshot: Snapshot, tmp_path: Path, name: str, text: str) -> dict:
    """The listing after writing `text` to content/`name`, with a later modification time."""
    path = tmp_path / "content" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    later = os.stat(path).st_mtime_ns + 10**9
    os.utime(path, ns=(later, later))
    return content_listing(tmp_path / "content")


# --- which files changed --------------------------------------------------------------------------

def test_nothing_changed_is_no_edited_file(snapshot, tmp_path):
    assert snapshot.edited_files(content_listing(tmp_path / "content")) == []


def test_an_edited_entry_file_is_named_by_its_kind_and_file_name(snapshot, tmp_path):
    listing = edit(snapshot, tmp_path, "cities/lyon.md", city("Lyon", "FR", "[45.76, 4.84]", body="More.\n"))
    assert snapshot.edited_files(listing) == [("cities", "lyon.md")]


@pytest.mark.parametrize("name, text", [
    ("atlas.yaml", "title: Another Atlas\n"),  # the site settings
    ("sources.yaml", "- id: x\n  title: X\n"),  # a new file
    ("cities/paris.md", city("Paris", "FR", "[48.86, 2.35]")),  # a new entry
    ("cities/notes.txt", "not an entry"),
])
def test_any_other_change_leaves_nothing_to_resume_from(snapshot, tmp_path, name, text):
    assert snapshot.edited_files(edit(snapshot, tmp_path, name, text)) is None


def test_a_removed_entry_or_no_listing_leaves_nothing_to_resume_from(snapshot, tmp_path):
    (tmp_path / "content" / "cities" / "rome.md").unlink()
    assert snapshot.edited_files(content_listing(tmp_path / "content")) is None
    assert snapshot.edited_files(None) is None


# --- the published files ----------------------------------------------------------------------------

ALL = ("index.html", "cities/lyon/index.html", "cities/rome/index.html")


def test_the_published_files_come_back_as_outputs_that_point_at_them(snapshot, tmp_path):
    outputs = snapshot.published_outputs(tmp_path / "out", ALL)
    assert [o.dest for o in outputs] == ["index.html", "cities/lyon/index.html", "cities/rome/index.html"]
    assert outputs[1].published == os.path.join(tmp_path / "out", "cities/lyon/index.html")
    assert outputs[1].data == b"<h1>Lyon</h1>"
    assert outputs[1].sha256 == snapshot.published["cities/lyon/index.html"][0]


def test_a_published_file_changed_or_removed_since_is_not_offered(snapshot, tmp_path):
    (tmp_path / "out" / "cities/lyon/index.html").write_bytes(b"<h1>Lyon, changed</h1>")
    assert snapshot.published_outputs(tmp_path / "out", ALL) is None
    assert len(snapshot.published_outputs(tmp_path / "out", ("index.html", "cities/rome/index.html"))) == 2
    (tmp_path / "out" / "index.html").unlink()
    assert snapshot.published_outputs(tmp_path / "out", ("index.html",)) is None
    assert snapshot.published_outputs(tmp_path / "out", ("never/published.html",)) is None


def test_edits_replace_the_entries_and_are_remembered(snapshot):
    lyon = snapshot.atlas.get("cities", "lyon")
    edited = dataclasses.replace(lyon, body="Lyon, edited.\n")
    after = snapshot.with_edits([edited])
    assert after.atlas.get("cities", "lyon").body == "Lyon, edited.\n"
    assert after.atlas.get("cities", "rome") is snapshot.atlas.get("cities", "rome")
    assert after.edited == {("cities", "lyon"): edited}
    assert snapshot.atlas.get("cities", "lyon") is lyon and snapshot.edited == {}  # the old one is as it was


# --- kept in the cache folder ---------------------------------------------------------------------

def test_a_full_snapshot_is_read_back_as_it_was_saved(snapshot, tmp_path):
    cache, out = tmp_path / "cache", tmp_path / "out"
    save_snapshot(snapshot, cache, out, NAMESPACE, full=True)
    loaded = load_snapshot(cache, out, NAMESPACE)
    assert (loaded.settings, loaded.listing, loaded.published) == (snapshot.settings, snapshot.listing,
                                                                    snapshot.published)
    assert [str(w) for w in loaded.warnings] == [str(w) for w in snapshot.warnings]
    assert sorted(loaded.atlas.entries) == [("cities", "lyon"), ("cities", "rome")]
    assert loaded.graph.places and loaded.graph.places.keys() == snapshot.graph.places.keys()
    assert loaded.assets == snapshot.assets
    assert loaded.resolved_id == snapshot.resolved_id and len(loaded.resolved_id) == 16
    assert loaded.edited == {}


def test_a_snapshot_after_text_edits_keeps_the_resolved_atlas_and_carries_the_edits(snapshot, tmp_path):
    cache, out = tmp_path / "cache", tmp_path / "out"
    save_snapshot(snapshot, cache, out, NAMESPACE, full=True)
    resolved = (cache / os.listdir(cache)[0]).with_suffix(".snapshot")
    written = resolved.stat().st_mtime_ns
    lyon = dataclasses.replace(snapshot.atlas.get("cities", "lyon"), body="Lyon, edited.\n")
    save_snapshot(snapshot.with_edits([lyon]), cache, out, NAMESPACE, full=False)
    assert resolved.stat().st_mtime_ns == written  # only the small file is written
    loaded = load_snapshot(cache, out, NAMESPACE)
    assert loaded.atlas.get("cities", "lyon").body == "Lyon, edited.\n"
    assert list(loaded.edited) == [("cities", "lyon")]


def test_the_entries_line_maps_are_read_only_when_a_line_is_asked_for(snapshot, tmp_path):
    cache, out = tmp_path / "cache", tmp_path / "out"
    save_snapshot(snapshot, cache, out, NAMESPACE, full=True)
    lines_file = [p for p in cache.iterdir() if p.suffix == ".lines"][0]
    loaded = load_snapshot(cache, out, NAMESPACE)
    lyon, rome = loaded.atlas.get("cities", "lyon"), loaded.atlas.get("cities", "rome")
    assert "lines" not in vars(lyon.lines) and "lines" not in vars(rome.lines)  # not read yet
    lines_file.unlink()  # the file was opened with the snapshot: a later full build may replace it
    original = snapshot.atlas.get("cities", "lyon")
    assert lyon.line_of("coordinates") == original.line_of("coordinates") > 1
    assert (lyon.lines.data, lyon.lines.lines) == (original.lines.data, original.lines.lines)
    assert rome.line_of("country") == snapshot.atlas.get("cities", "rome").line_of("country")
    assert pickle.loads(pickle.dumps(lyon.lines)) == original.lines  # pickled again as a plain map


def left_from_the_last_full_snapshot(snapshot: Snapshot, tmp_path: Path, suffix: str) -> Path:
    """The snapshot's file with `suffix` as the full snapshot before the latest one wrote it."""
    cache, out = tmp_path / "cache", tmp_path / "out"
    save_snapshot(snapshot, cache, out, NAMESPACE, full=True)
    path = [p for p in cache.iterdir() if p.suffix == suffix][0]
    kept = path.read_bytes()
    save_snapshot(dataclasses.replace(snapshot), cache, out, NAMESPACE, full=True)  # a new resolved atlas
    assert load_snapshot(cache, out, NAMESPACE) is not None
    path.write_bytes(kept)
    return path


def test_a_lines_file_missing_or_from_another_resolved_atlas_is_not_resumed_from(snapshot, tmp_path):
    lines_file = left_from_the_last_full_snapshot(snapshot, tmp_path, ".lines")
    assert load_snapshot(tmp_path / "cache", tmp_path / "out", NAMESPACE) is None
    lines_file.unlink()
    assert load_snapshot(tmp_path / "cache", tmp_path / "out", NAMESPACE) is None


def test_a_snapshot_is_read_only_by_the_same_code_for_the_same_output_folder(snapshot, tmp_path):
    cache, out = tmp_path / "cache", tmp_path / "out"
    save_snapshot(snapshot, cache, out, NAMESPACE, full=True)
    assert load_snapshot(cache, out, "code-2") is None
    assert load_snapshot(cache, tmp_path / "elsewhere", NAMESPACE) is None
    assert load_snapshot(None, out, NAMESPACE) is None


def test_a_small_file_that_goes_with_another_resolved_atlas_is_not_used(snapshot, tmp_path):
    left_from_the_last_full_snapshot(snapshot, tmp_path, ".site")
    assert load_snapshot(tmp_path / "cache", tmp_path / "out", NAMESPACE) is None


def test_a_forgotten_snapshot_is_not_resumed_from(snapshot, tmp_path):
    cache, out = tmp_path / "cache", tmp_path / "out"
    save_snapshot(snapshot, cache, out, NAMESPACE, full=True)
    forget_snapshot(cache, out)
    assert load_snapshot(cache, out, NAMESPACE) is None
    forget_snapshot(None, out)  # no cache folder: nothing to forget


def test_without_a_cache_folder_nothing_is_saved(snapshot, tmp_path):
    save_snapshot(snapshot, None, tmp_path / "out", NAMESPACE, full=True)
    assert not (tmp_path / "cache").exists()


# --- stamps of the files a build reads besides content/ ----------------------------------------------

def test_file_stamps_give_size_and_modification_time_and_mark_a_missing_file(tmp_path):
    present = tmp_path / "base.html"
    present.write_text("<html>", encoding="utf-8")
    stamps = file_stamps([present, tmp_path / "gone.html"])
    assert stamps == ((os.fspath(present), 6, present.stat().st_mtime_ns), (os.fspath(tmp_path / "gone.html"), None))
    os.utime(present, ns=(1, 1))
    assert file_stamps([present]) != stamps[:1]
