"""search.py: the Pagefind index of the entry pages, made at build time, in bundles of at most SHARD_PAGES pages.

These tests run the real Pagefind on a few tiny pages and read what it wrote:
which pages it indexed, with which filters, in which bundle.
"""

from __future__ import annotations

import gc
import gzip
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import cbor2
import pytest

from atlas.incremental.cache import load_cache, published_stamps, save_cache
from atlas.model import Output
from atlas.render import search
from atlas.render.entries import render_entry_page
from atlas.render.search import BUNDLE, SHARD_FILES, SHARD_PAGES, bundle_paths, index_pages
from plain import atlas_of, pages_of

MAGIC = b"pagefind_dcd"


@pytest.fixture(autouse=True)
def collectable():
    """Loading a cache freezes what it loaded out of the collector's sight; a build unfreezes it."""
    yield
    gc.unfreeze()


def page(dest: str, title: str, text: str, entry: bool = True, country: str | None = None) -> Output:
    """An HTML page as pages.py writes them: entry pages mark their text with data-pagefind-body."""
    body = " data-pagefind-body" if entry else ""
    country = f'<span data-pagefind-filter="country">{country}</span>' if country else ""
    return Output(dest, (f'<!doctype html><html lang="en"><head><title>{title}</title></head><body>'
                         f'<main{body}><h1>{title}</h1>{country}<p>{text}</p></main></body></html>').encode())


LYON = page("cities/lyon/index.html", "Lyon", "Silk weavers of the Rhône.", country="France")
ROME = page("cities/rome/index.html", "Rome", "The eternal city.", country="Italy")
CITIES = page("cities/index.html", "Cities", "Every city of the atlas.", entry=False)
NOT_FOUND = page("404.html", "Not found", "No such page.", entry=False)
FEED = Output("feed.xml", b"<feed/>")


def decoded(output: Output) -> bytes:
    data = gzip.decompress(output.data)
    assert data.startswith(MAGIC)
    return data[len(MAGIC):]


def fragments(outputs: list[Output]) -> dict[str, dict]:
    """url -> what Pagefind keeps of each indexed page (its text, filters and title)."""
    found = {}
    for output in outputs:
        if output.dest.endswith(".pf_fragment"):
            fragment = json.loads(decoded(output))
            found[fragment["url"]] = fragment
    return found


def entry_json(outputs: list[Output], bundle: str = f"{BUNDLE}/") -> dict:
    return json.loads(next(o for o in outputs if o.dest == f"{bundle}pagefind-entry.json").data)


# --- bundles ------------------------------------------------------------------------------------

@pytest.mark.parametrize("pages, bundles", [
    (0, ["pagefind/"]),
    (1, ["pagefind/"]),
    (SHARD_PAGES, ["pagefind/"]),
    (SHARD_PAGES + 1, ["pagefind/", "pagefind/shard-2/"]),
    (3 * SHARD_PAGES, ["pagefind/", "pagefind/shard-2/", "pagefind/shard-3/"]),
])
def test_the_primary_bundle_comes_first_and_a_shard_follows_for_every_further_shard_pages(pages, bundles):
    assert bundle_paths(pages) == bundles


# --- what gets indexed --------------------------------------------------------------------------

def test_only_entry_pages_are_indexed_with_their_text_title_and_filters():
    outputs = index_pages([LYON, ROME, CITIES, NOT_FOUND, FEED], "en")
    assert all(o.dest.startswith("pagefind/") for o in outputs)
    found = fragments(outputs)
    assert sorted(found) == ["/cities/lyon/", "/cities/rome/"]
    assert found["/cities/lyon/"]["meta"]["title"] == "Lyon"
    assert "Silk weavers" in found["/cities/lyon/"]["content"]
    assert found["/cities/rome/"]["filters"] == {"country": ["Italy"]}
    assert entry_json(outputs)["languages"]["en"]["page_count"] == 2


def test_a_city_with_a_region_is_titled_with_it_in_the_results():
    atlas = atlas_of({"cities/toledo-ohio.md": "name: Toledo\ncountry: US\nregion: Ohio\ncoordinates: [41.65, -83.54]\n",
                      "cities/lyon.md": "name: Lyon\ncountry: FR\nregion: Auvergne-Rhône-Alpes\n"
                                        "coordinates: [45.76, 4.84]\n"})
    pages = pages_of(atlas)
    for entry in atlas.entries.values():
        render_entry_page(pages, entry)
    found = fragments(index_pages(pages.outputs, "en"))
    assert {url: fragment["meta"]["title"] for url, fragment in found.items()} == {
        "/cities/toledo-ohio/": "Toledo, Ohio", "/cities/lyon/": "Lyon, Auvergne-Rhône-Alpes"}


def test_a_site_with_no_entry_page_indexes_its_html_pages_but_the_404_page():
    outputs = index_pages([CITIES, NOT_FOUND, FEED], "en")
    assert sorted(fragments(outputs)) == ["/cities/"]


def test_the_entry_pages_can_be_named_instead_of_found_in_the_html():
    outputs = index_pages([LYON, ROME, CITIES], "en", entry_pages={"cities/rome/index.html"})
    assert sorted(fragments(outputs)) == ["/cities/rome/"]


def test_the_index_is_for_the_sites_language_without_its_region():
    outputs = index_pages([LYON, ROME], "fr-CA")
    assert list(entry_json(outputs)["languages"]) == ["fr"]
    assert any(o.dest.startswith("pagefind/index/fr_") for o in outputs)


def test_the_primary_bundle_carries_the_script_and_webassembly_that_search_runs_on():
    dests = {o.dest for o in index_pages([LYON, ROME], "en")}
    assert {"pagefind/pagefind.js", "pagefind/pagefind-entry.json", "pagefind/wasm.en.pagefind"} <= dests


def test_filter_values_are_sorted_so_that_two_builds_give_the_same_bytes():
    first = index_pages([ROME, LYON], "en")
    filters = [o for o in first if o.dest.endswith(".pf_filter")]
    assert len(filters) == 1
    name, values = cbor2.loads(decoded(filters[0]))
    assert name == "country" and [value for value, _ in values] == ["France", "Italy"]
    second = index_pages([ROME, LYON], "en")
    assert [(o.dest, o.data) for o in second] == [(o.dest, o.data) for o in first]


# --- shards -------------------------------------------------------------------------------------

CITY_PAGES = [page(f"cities/c{n}/index.html", f"City {n}", f"Text of city {n}.") for n in range(9)]


@pytest.fixture
def four_pages_a_shard(monkeypatch):
    """Nine pages make three bundles (pages go to a bundle by a hash of their path: here 2, 5 and 2)."""
    monkeypatch.setattr(search, "SHARD_PAGES", 4)


def test_every_entry_page_is_in_exactly_one_bundle_and_shards_hold_only_what_merging_needs(four_pages_a_shard):
    outputs = index_pages(CITY_PAGES, "en")
    bundles = bundle_paths(len(CITY_PAGES))
    assert bundles == ["pagefind/", "pagefind/shard-2/", "pagefind/shard-3/"]
    urls: list[str] = []
    for bundle in bundles:
        files = [o for o in outputs if o.dest.startswith(bundle)
                 and (bundle != "pagefind/" or "/shard-" not in o.dest)]
        urls += fragments(files)
        if bundle != "pagefind/":
            names = [o.dest[len(bundle):] for o in files]
            assert names and all(n.startswith(SHARD_FILES) or n.endswith(".pf_meta") for n in names)
    assert sorted(urls) == sorted(f"/cities/c{n}/" for n in range(9))


def test_with_a_cache_only_the_bundle_of_a_changed_page_is_indexed_again(tmp_path, four_pages_a_shard, monkeypatch):
    out, cache_dir = tmp_path / "out", tmp_path / "cache"
    cache = load_cache(cache_dir, out)
    first = index_pages(CITY_PAGES, "en", cache)
    for output in first:
        (out / output.dest).parent.mkdir(parents=True, exist_ok=True)
        (out / output.dest).write_bytes(output.data)
    save_cache(cache, cache_dir, out, published_stamps(first, out))
    runs: list[str] = []
    run = search._run_pagefind
    monkeypatch.setattr(search, "_run_pagefind", lambda pages, *args: runs.append(args[1]) or run(pages, *args))

    same = index_pages(CITY_PAGES, "en", load_cache(cache_dir, out))
    assert runs == []
    assert [(o.dest, o.data) for o in same] == [(o.dest, o.data) for o in first]

    edited = CITY_PAGES[:3] + [page("cities/c3/index.html", "City 3", "New text.")] + CITY_PAGES[4:]
    again = index_pages(edited, "en", load_cache(cache_dir, out))
    assert len(runs) == 1
    assert "/cities/c3/" in fragments([o for o in again if o.dest.startswith(runs[0])])


def test_a_change_where_pagefind_does_not_read_reuses_the_bundle_and_a_change_it_reads_does_not(
        tmp_path, four_pages_a_shard, monkeypatch):
    def city(population: str, text: str = "Text of city 3.") -> Output:
        return page("cities/c3/index.html", "City 3",
                    f'{text}</p><p data-pagefind-ignore>Population <b>{population}</b>')

    out, cache_dir = tmp_path / "out", tmp_path / "cache"
    pages = CITY_PAGES[:3] + [city("1,000")] + CITY_PAGES[4:]
    cache = load_cache(cache_dir, out)
    first = index_pages(pages, "en", cache)
    for output in first + pages:  # the pages are published with their index, as a build records them
        (out / output.dest).parent.mkdir(parents=True, exist_ok=True)
        (out / output.dest).write_bytes(output.data)
    cache.pages.update({p.dest: ["key", p.digest(), len(p.data), None, ()] for p in pages})
    save_cache(cache, cache_dir, out, published_stamps(first + pages, out))
    runs: list[str] = []
    run = search._run_pagefind
    monkeypatch.setattr(search, "_run_pagefind", lambda pages, *args: runs.append(args[1]) or run(pages, *args))

    population = CITY_PAGES[:3] + [city("2,000")] + CITY_PAGES[4:]
    again = index_pages(population, "en", load_cache(cache_dir, out))
    assert runs == []  # the population is not indexed: no shard is indexed again
    monkeypatch.setattr(search, "_run_pagefind", run)
    assert [(o.dest, o.data) for o in again] == [(o.dest, o.data) for o in index_pages(population, "en")]

    monkeypatch.setattr(search, "_run_pagefind", lambda pages, *args: runs.append(args[1]) or run(pages, *args))
    text = CITY_PAGES[:3] + [city("1,000", "New text.")] + CITY_PAGES[4:]
    index_pages(text, "en", load_cache(cache_dir, out))
    assert len(runs) == 1
    # a published page that is not the one the last build published (atlas serve writes pages ahead) is not
    # compared: its shard is indexed again
    (out / "cities/c3/index.html").write_bytes(city("3,000").data)
    index_pages(CITY_PAGES[:3] + [city("3,000")] + CITY_PAGES[4:], "en", load_cache(cache_dir, out))
    assert len(runs) == 2


def test_the_search_view_is_what_pagefind_reads():
    def view(body: str) -> str:
        return search.search_view(f'<html lang="en"><head><title>T</title></head><body><main data-pagefind-body>'
                                  f'{body}</main><footer>{body}</footer></body></html>'.encode())

    assert view("<p>a</p>") != view("<p>b</p>")
    assert view('<p>a</p><div data-pagefind-ignore>1</div>') == view('<p>a</p><div data-pagefind-ignore>2</div>')
    assert view('<p>a</p><div data-pagefind-ignore><span data-pagefind-filter="x">1</span></div>') != \
        view('<p>a</p><div data-pagefind-ignore><span data-pagefind-filter="y">1</span></div>')
    assert view("<p>a<br>b</p><img src=x.png>") != view("<p>a<br>b</p><img src=y.png>")


def test_the_entry_pages_alone_give_the_bundle_that_the_whole_site_gives():
    """A build starts Pagefind on the entry pages before the site's other pages exist: the bundle must be
    the one the whole site's pages give."""
    entries = {LYON.dest, ROME.dest}
    whole = index_pages([LYON, CITIES, ROME, NOT_FOUND, FEED], "en", entry_pages=entries)
    early = index_pages([LYON, ROME], "en", entry_pages=entries)
    assert [(output.dest, output.data) for output in early] == [(output.dest, output.data) for output in whole]


# --- started beside the build -------------------------------------------------------------------

def test_indexing_writes_the_pages_for_pagefind_in_the_calling_thread_and_gives_the_same_bundle(monkeypatch):
    """A thread beside a build that renders pages waits for the interpreter's lock at every file it
    writes: the pages are written before the build goes on, and only Pagefind runs beside it."""
    written_on = []
    folder_of = search._pages_folder
    monkeypatch.setattr(search, "_pages_folder", lambda pages: written_on.append(threading.current_thread())
                        or folder_of(pages))
    with search.start_indexing([LYON, ROME], "en") as indexing:
        assert written_on == [threading.current_thread()]
        outputs = indexing.result()
    assert [(o.dest, o.data) for o in outputs] == [(o.dest, o.data) for o in index_pages([LYON, ROME], "en")]


def test_pagefind_works_in_shared_memory_when_it_has_room_and_leaves_nothing_there(tmp_path, monkeypatch):
    memory = tmp_path / "shm"
    memory.mkdir()
    monkeypatch.setattr(search, "SHARED_MEMORY", str(memory))
    seen = []
    run = search._run_pagefind
    monkeypatch.setattr(search, "_run_pagefind", lambda pages, *args: seen.append(args[3]) or run(pages, *args))
    assert fragments(index_pages([LYON, ROME], "en")).keys() == {"/cities/lyon/", "/cities/rome/"}
    assert [Path(folder).parent for folder in seen] == [memory]
    for _ in range(100):  # each run deletes its folder on a thread of its own
        if not any(memory.iterdir()):
            break
        time.sleep(0.05)
    assert list(memory.iterdir()) == []


def test_without_room_in_shared_memory_the_system_temporary_folder_is_used(tmp_path, monkeypatch):
    monkeypatch.setattr(search, "SHARED_MEMORY", str(tmp_path))
    assert search._scratch(1) == str(tmp_path)
    assert search._scratch(10 ** 18) is None  # more than any disk holds
    monkeypatch.setattr(search, "SHARED_MEMORY", str(tmp_path / "none"))
    assert search._scratch(1) is None


def test_of_many_shards_only_those_that_start_at_once_are_written_ahead(monkeypatch):
    monkeypatch.setattr(search, "SHARD_PAGES", 3)  # nine pages: three shards
    monkeypatch.setattr(search, "available_cores", lambda: 2)
    written = []
    folder_of = search._pages_folder
    monkeypatch.setattr(search, "_pages_folder", lambda pages: written.append(threading.current_thread())
                        or folder_of(pages))
    with search.start_indexing(CITY_PAGES, "en") as indexing:
        assert written == [threading.current_thread()] * 2
        outputs = indexing.result()
    assert len(written) == 3 and written[2] is not threading.current_thread()  # the third by its own run
    assert [(o.dest, o.data) for o in outputs] == [(o.dest, o.data) for o in index_pages(CITY_PAGES, "en")]


def test_the_temporary_folders_of_killed_builds_are_removed_and_those_of_running_ones_kept(tmp_path, monkeypatch):
    """A build killed with SIGKILL cannot delete its folder; in /dev/shm it would hold memory."""
    monkeypatch.setattr(search, "SHARED_MEMORY", str(tmp_path))
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (tmp_path / f"atlas-pagefind-{dead.pid}-abc" / "site").mkdir(parents=True)  # a killed build's
    (tmp_path / f"atlas-pagefind-{os.getpid()}-def").mkdir()  # a build still running (this one)
    (tmp_path / "atlas-pagefind-old").mkdir()  # no pid: not known to be abandoned
    (tmp_path / "someone-else").mkdir()
    index_pages([LYON, ROME], "en")
    left = sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(f"atlas-pagefind-{os.getpid()}-")
                  or p.name.endswith("-def"))
    assert left == sorted([f"atlas-pagefind-{os.getpid()}-def", "atlas-pagefind-old", "someone-else"])
