"""cache.py: what the last build made, so the next one redoes only what changed.

A fingerprint names everything a file is made from; a page or a set of files is
reused only while its fingerprint is unchanged and the published file is the
one recorded; the cache is kept per output folder and per version of the code
and templates.
"""

from __future__ import annotations

import dataclasses
import gc
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from atlas.content.schema import SiteConfig, validate_entries
from atlas.content.sources import load_sources
from atlas.errors import ErrorList
from atlas.incremental.cache import BuildCache, entry_token, fingerprint, load_cache, published_stamps, save_cache
from atlas.incremental.store import cache_path, read_pickle, write_pickle
from atlas.model import Output
from atlas.render.templates import TEMPLATES_DIR

from conftest import city


@pytest.fixture(autouse=True)
def collectable():
    """Loading a cache freezes what it loaded out of the collector's sight; a build unfreezes it, so do the tests."""
    yield
    gc.unfreeze()


@dataclass(frozen=True)
class Point:
    lat: float
    lon: float


def never(*args):
    raise AssertionError("rendered, though the cache had it")


def publish(outputs: list[Output], output_dir: Path) -> dict:
    """Write the outputs as the writer would, and the stamps a build records after writing."""
    for output in outputs:
        path = output_dir / output.dest
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(output.data)
    return published_stamps(outputs, output_dir)


def lyon(tmp_path, make_site, coordinates: str = "[45.76, 4.84]"):
    tmp_path.mkdir(exist_ok=True)
    content = make_site(tmp_path, {"cities/lyon.md": city("Lyon", "FR", coordinates, body="Text.\n")})
    errors = ErrorList()
    atlas = validate_entries(load_sources(content, errors), errors)
    assert not errors.problems
    return atlas.get("cities", "lyon")


# --- fingerprints -------------------------------------------------------------------------------

@pytest.mark.parametrize("a, b, same", [
    (("page", 1), ("page", 1), True),
    (("page", 1), ("page", 2), False),
    (("page", [1, 2]), ("page", (1, 2)), True),  # a list and a tuple of the same items
    (({"x", "y", "z"},), ({"z", "y", "x"},), True),  # sets in any order
    (({"a": 1, "b": 2},), ({"b": 2, "a": 1},), False),  # dicts in their order, as pages show them
    ((Point(45.76, 4.84),), (Point(45.76, 4.84),), True),  # dataclasses by their fields
    ((Point(45.76, 4.84),), (Point(45.76, 4.85),), False),
    ((SiteConfig(title="A"),), (SiteConfig(title="A"),), True),  # pydantic models by their JSON
    ((SiteConfig(title="A"),), (SiteConfig(title="A", language="fr"),), False),
])
def test_a_fingerprint_changes_exactly_when_what_it_names_changes(a, b, same):
    assert (fingerprint(*a) == fingerprint(*b)) is same


def test_a_fingerprint_is_a_sha256_in_hex():
    assert len(fingerprint("x")) == 64 and int(fingerprint("x"), 16) >= 0


def test_an_entry_counts_on_other_pages_by_its_token_kind_slug_and_a_digest_of_title_and_front_matter(
        tmp_path, make_site):
    entry_ = lyon(tmp_path, make_site)
    token = entry_token(entry_)
    assert token[:3] == ("entry", "cities", "lyon") and len(token[3]) == 24
    assert entry_token(entry_) is token  # computed once
    assert fingerprint(entry_) == fingerprint(token)


def test_editing_a_body_keeps_the_token_and_editing_the_title_or_front_matter_changes_it(tmp_path, make_site):
    entry_ = lyon(tmp_path, make_site)
    assert entry_token(dataclasses.replace(entry_, body="Another text.\n")) == entry_token(entry_)
    assert entry_token(dataclasses.replace(entry_, title="Lugdunum")) != entry_token(entry_)
    moved = lyon(tmp_path / "moved", make_site, coordinates="[45.75, 4.85]")
    assert entry_token(moved) != entry_token(entry_)


# --- pages: rendered once, then reused while their fingerprint and published file are unchanged ---

def test_a_page_is_rendered_once_and_reused_by_the_next_build(tmp_path):
    out, cache_dir = tmp_path / "out", tmp_path / "cache"
    cache = load_cache(cache_dir, out)
    page = cache.page("cities/lyon/index.html", "key-1", lambda: b"<h1>Lyon</h1>")
    assert (cache.rendered, cache.reused, page.data) == (1, 0, b"<h1>Lyon</h1>")
    save_cache(cache, cache_dir, out, publish([page], out))

    again = load_cache(cache_dir, out)
    reused = again.page("cities/lyon/index.html", "key-1", never)
    assert (again.rendered, again.reused) == (0, 1)
    assert reused.published == os.path.join(out, "cities/lyon/index.html")
    assert reused.data == b"<h1>Lyon</h1>" and reused.digest() == page.digest()


def test_a_page_whose_fingerprint_changed_is_rendered_again(tmp_path):
    out, cache_dir = tmp_path / "out", tmp_path / "cache"
    cache = load_cache(cache_dir, out)
    page = cache.page("index.html", "key-1", lambda: b"old")
    save_cache(cache, cache_dir, out, publish([page], out))
    again = load_cache(cache_dir, out)
    assert again.page("index.html", "key-2", lambda: b"new").data == b"new"
    assert (again.rendered, again.reused) == (1, 0)


def test_a_page_whose_published_file_was_changed_since_is_rendered_again(tmp_path):
    out, cache_dir = tmp_path / "out", tmp_path / "cache"
    cache = load_cache(cache_dir, out)
    page = cache.page("index.html", "key-1", lambda: b"as built")
    save_cache(cache, cache_dir, out, publish([page], out))
    (out / "index.html").write_bytes(b"edited by hand")
    again = load_cache(cache_dir, out)
    assert again.page("index.html", "key-1", lambda: b"as built").data == b"as built"
    assert again.rendered == 1


def test_a_rendered_body_is_kept_and_one_no_build_used_is_dropped(tmp_path):
    out, cache_dir = tmp_path / "out", tmp_path / "cache"
    cache = load_cache(cache_dir, out)
    assert cache.body("lyon", lambda: "<p>Lyon</p>") == "<p>Lyon</p>"
    assert cache.body("lyon", never) == "<p>Lyon</p>"
    cache.body("rome", lambda: "<p>Rome</p>")
    save_cache(cache, cache_dir, out, {})
    second = load_cache(cache_dir, out)
    assert second.body("lyon", never) == "<p>Lyon</p>"  # rome is not asked for
    save_cache(second, cache_dir, out, {})
    assert load_cache(cache_dir, out).bodies == {"lyon": "<p>Lyon</p>"}


# --- the readers index: which units read what of which entry ---------------------------------------

def test_the_readers_index_lists_each_unit_under_the_entries_it_read_and_follows_a_unit_run_again(tmp_path):
    out, cache_dir = tmp_path / "out", tmp_path / "cache"
    cache = load_cache(cache_dir, out)
    pages = [cache.page(dest, "key", lambda dest=dest: dest.encode()) for dest in ("lyon.html", "index.html")]
    cache.record_unit("entry:cities/lyon", "k", ((("entry", "cities", "lyon"), "t1"),
                                                 (("title", "cities", "rome"), "Rome")), ["lyon.html"])
    cache.record_unit("index:city", "k", ((("kind", "cities"), "t2"), (("entries",), "t3")), ["index.html"])
    save_cache(cache, cache_dir, out, publish(pages, out))
    again = load_cache(cache_dir, out)
    assert again.readers == {("cities", "lyon"): {"entry:cities/lyon"}, ("cities", "rome"): {"entry:cities/lyon"},
                             "entries": {"index:city"}}
    again.record_unit("entry:cities/lyon", "k", ((("entry", "cities", "lyon"), "t1"),
                                                 (("title", "cities", "oslo"), "Oslo")), ["lyon.html"])
    save_cache(again, cache_dir, out, publish(pages, out))
    readers = load_cache(cache_dir, out).readers
    assert "entry:cities/lyon" not in readers.get(("cities", "rome"), set())
    assert readers[("cities", "oslo")] == {"entry:cities/lyon"}


def test_with_the_edited_entries_known_only_their_readers_and_those_of_every_entry_are_compared(tmp_path):
    out, cache_dir = tmp_path / "out", tmp_path / "cache"
    cache = load_cache(cache_dir, out)
    pages = [cache.page(f"{name}.html", "key", lambda name=name: name.encode()) for name in ("lyon", "rome", "all")]
    cache.record_unit("lyon", "k", ((("entry", "cities", "lyon"), "old"),), ["lyon.html"])
    cache.record_unit("rome", "k", ((("entry", "cities", "rome"), "old"),), ["rome.html"])
    cache.record_unit("all", "k", ((("entries",), "old"),), ["all.html"])
    save_cache(cache, cache_dir, out, publish(pages, out))
    again = load_cache(cache_dir, out)
    compared = []

    class Tokens:  # every token changed; only the readers of lyon's entry, and of every entry, are asked
        edited = {("cities", "lyon")}

        def unchanged(self, recorded):
            compared.append(recorded[0][0])
            return False

    assert [again.reuse_unit(name, "k", Tokens()) is None for name in ("lyon", "rome", "all")] == [True, False, True]
    assert compared == [("entry", "cities", "lyon"), ("entries",)]


# --- sets of files made together (search shards, data files) ----------------------------------------

def test_a_set_of_files_is_reused_whole_while_every_file_is_as_published(tmp_path):
    out, cache_dir = tmp_path / "out", tmp_path / "cache"
    cache = load_cache(cache_dir, out)
    files = [Output("data/cities.json", b"[]"), Output("data/cities.csv", b"name\n")]
    assert cache.reuse_all("inputs-1") is None
    cache.record_all("inputs-1", files)
    save_cache(cache, cache_dir, out, publish(files, out))

    again = load_cache(cache_dir, out)
    assert [(o.dest, o.data) for o in again.reuse_all("inputs-1")] == [(o.dest, o.data) for o in files]
    assert again.reuse_all("inputs-2") is None
    (out / "data/cities.csv").write_bytes(b"name,country\n")
    assert load_cache(cache_dir, out).reuse_all("inputs-1") is None  # one file changed: none is reused


# --- where the cache lives, and when it is thrown away -----------------------------------------

def test_without_a_cache_folder_nothing_is_kept(tmp_path):
    cache = load_cache(None, tmp_path / "out")
    cache.page("index.html", "key", lambda: b"x")
    save_cache(cache, None, tmp_path / "out", {})
    assert load_cache(None, tmp_path / "out").pages == {}
    assert list(tmp_path.iterdir()) == []


def test_each_output_folder_has_a_cache_of_its_own(tmp_path):
    cache_dir = tmp_path / "cache"
    assert cache_path(cache_dir, tmp_path / "a", ".pickle") != cache_path(cache_dir, tmp_path / "b", ".pickle")
    cache = load_cache(cache_dir, tmp_path / "a")
    page = cache.page("index.html", "key", lambda: b"x")
    save_cache(cache, cache_dir, tmp_path / "a", publish([page], tmp_path / "a"))
    assert load_cache(cache_dir, tmp_path / "b").pages == {}
    assert "index.html" in load_cache(cache_dir, tmp_path / "a").pages


def test_the_cache_of_an_output_folder_that_is_gone_is_pruned(tmp_path):
    cache_dir = tmp_path / "cache"
    for name in ("gone", "kept"):
        (tmp_path / name).mkdir()
        save_cache(load_cache(cache_dir, tmp_path / name), cache_dir, tmp_path / name, {})
    shutil.rmtree(tmp_path / "gone")
    save_cache(load_cache(cache_dir, tmp_path / "kept"), cache_dir, tmp_path / "kept", {})
    assert sorted(p.suffix for p in cache_dir.iterdir()) == [".path", ".pickle"]
    assert cache_path(cache_dir, tmp_path / "kept", ".pickle").exists()


def test_a_stored_value_is_read_back_only_under_the_namespace_it_was_written_with(tmp_path):
    path = tmp_path / "value.pickle"
    write_pickle(path, "code-1", {"pages": 3})
    assert read_pickle(path, "code-1") == {"pages": 3}
    assert read_pickle(path, "code-2") is None
    path.write_bytes(b"not a pickle")
    assert read_pickle(path, "code-1") is None
    assert read_pickle(tmp_path / "missing.pickle", "code-1") is None


def test_other_templates_give_another_namespace_and_so_discard_the_cache(tmp_path):
    out, cache_dir, templates = tmp_path / "out", tmp_path / "cache", tmp_path / "templates"
    shutil.copytree(TEMPLATES_DIR, templates)
    cache = load_cache(cache_dir, out, templates)
    page = cache.page("index.html", "key", lambda: b"x")
    save_cache(cache, cache_dir, out, publish([page], out))
    assert load_cache(cache_dir, out, templates).namespace == cache.namespace
    assert "index.html" in load_cache(cache_dir, out, templates).pages

    (templates / "base.html").write_text((templates / "base.html").read_text(encoding="utf-8") + "\n",
                                         encoding="utf-8")
    changed = load_cache(cache_dir, out, templates)
    assert changed.namespace != cache.namespace
    assert (changed.pages, changed.bodies, changed.file_sets) == ({}, {}, {})
    assert load_cache(cache_dir, out).namespace != cache.namespace  # the project's own templates: another one


def test_the_content_files_parsed_last_time_are_kept_in_a_file_of_their_own(tmp_path):
    out, cache_dir = tmp_path / "out", tmp_path / "cache"
    cache = load_cache(cache_dir, out)
    cache.sources["content/cities/lyon.md"] = ("stamp", "parsed")
    cache.body_scans["digest"] = ("links",)
    save_cache(cache, cache_dir, out, {})
    assert cache_path(cache_dir, out, ".sources").exists()
    again = load_cache(cache_dir, out)
    assert again.parsed is None  # read only when a build asks
    assert again.sources == {"content/cities/lyon.md": ("stamp", "parsed")}
    assert again.body_scans == {"digest": ("links",)}


def test_an_empty_cache_is_a_build_cache_with_the_namespace(tmp_path):
    cache = load_cache(tmp_path / "cache", tmp_path / "out")
    assert isinstance(cache, BuildCache)
    assert (cache.pages, cache.bodies, cache.file_sets, cache.rendered, cache.reused) == ({}, {}, {}, 0, 0)
    assert len(cache.namespace) == 64
