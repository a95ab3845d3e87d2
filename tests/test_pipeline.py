"""pipeline.py (with pages.py, urls.py, writer.py): the whole build, from content/ to output/.

A broken file never publishes; a build that changes nothing writes nothing;
every page lives at a pretty URL, and every internal link resolves.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from atlas.errors import ContentError, ErrorList
from atlas.content.schema import validate_entries
from atlas.content.sources import load_sources
from atlas.render.urls import Urls, entry_route, route_to_dest
from conftest import (PROJECT_ROOT, SMALL_ATLAS, STARTER_CONTENT, build_site, city, entry, find_broken_links,
                      internal_urls, mtimes, parse_html, snapshot, write_site)

BASE_URL = "https://example.org/atlas/"


@pytest.fixture(scope="module")
def small_site(tmp_path_factory) -> Path:
    """SMALL_ATLAS built once; tests only read it."""
    root = tmp_path_factory.mktemp("small")
    content = write_site(root, SMALL_ATLAS)
    build_site(content, root / "output")
    return root / "output"


@pytest.fixture(scope="module")
def small_site_under_base(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("small-base")
    content = write_site(root, SMALL_ATLAS)
    build_site(content, root / "output", base_url=BASE_URL)
    return root / "output"


# --- what is built --------------------------------------------------------------

def test_an_atlas_of_atlas_yaml_and_two_cities_builds(tmp_path, make_site):
    make_site(tmp_path, {"cities/lyon.md": city("Lyon", "FR"),
                         "cities/turin.md": city("Turin", "IT", "[45.0703, 7.6869]", "partners: [lyon]\n")})
    report = build_site()
    assert report.warnings == []
    assert report.written == report.files > 0
    for page in ("index.html", "cities/lyon/index.html", "cities/turin/index.html", "cities/index.html",
                 "partnerships/index.html", "404.html"):
        assert (tmp_path / "output" / page).is_file(), page
    assert find_broken_links(tmp_path / "output") == []


@pytest.mark.parametrize("page", [
    "index.html",
    "cities/index.html",
    "cities/lyon/index.html",
    "cities/barcelona/index.html",
    "networks/index.html",
    "networks/eurocities/index.html",
    "case-studies/index.html",
    "case-studies/lyon-barcelona-exchange/index.html",
    "themes/index.html",
    "themes/climate/index.html",
    "about/index.html",
    "partnerships/index.html",
    "sources/index.html",
    "sources/lyon-partners/index.html",
    "sources/eurocities-site/index.html",
    "404.html",
])
def test_every_page_type_is_written_at_a_pretty_url(small_site, page):
    assert (small_site / page).is_file()


def test_pages_show_their_entries(small_site):
    lyon = (small_site / "cities/lyon/index.html").read_text(encoding="utf-8")
    assert re.search(r"<h1[^>]*>Lyon</h1>", lyon)
    assert "<title>Lyon · Small Atlas</title>" in lyon
    assert "2000 or 2004 (sources differ)" in lyon  # the disputed date, as readers see it
    barcelona = (small_site / "cities/barcelona/index.html").read_text(encoding="utf-8")
    assert 'href="/cities/lyon/"' in barcelona, "a partnership declared on Lyon shows on Barcelona's page"


def test_no_page_links_with_a_relative_url(small_site):
    relative = [(page, url) for page, url in internal_urls(small_site)
                if not url.startswith(("/", "#"))]
    assert relative == []


def test_every_internal_link_of_the_small_atlas_resolves(small_site):
    assert find_broken_links(small_site) == []


def test_the_link_checker_finds_what_is_broken(tmp_path):
    site = tmp_path / "output"
    (site / "cities/lyon").mkdir(parents=True)
    (site / "cities/lyon/index.html").write_text('<h2 id="partners">P</h2>', encoding="utf-8")
    (site / "index.html").write_text(
        '<a href="/cities/lyon/">ok</a> <a href="/cities/lyon/#partners">ok</a> <a href="#top">missing id</a>'
        ' <a href="/cities/turin/">missing page</a> <a href="/cities/lyon/#history">missing id</a>'
        ' <a href="cities/lyon/">relative</a> <img src="/logo.png" alt=""> <a href="https://example.org/x">ok</a>'
        ' <a href="javascript:alert(1)">scheme</a>', encoding="utf-8")
    assert find_broken_links(site) == [
        "index.html: <a href='#top'>: no id 'top' in index.html",
        "index.html: <a href='/cities/turin/'>: no file cities/turin/index.html",
        "index.html: <a href='/cities/lyon/#history'>: no id 'history' in cities/lyon/index.html",
        "index.html: <a href='cities/lyon/'>: relative URL",
        "index.html: <img src='/logo.png'>: no file logo.png",
        "index.html: <a href='javascript:alert(1)'>: unexpected URL scheme",
    ]
    assert find_broken_links(site, base_path="/atlas/")[0] == (
        "index.html: <a href='/cities/lyon/'>: outside the base path /atlas/")


def test_the_404_page_uses_absolute_links(small_site):
    urls = [url for page, url in internal_urls(small_site) if page == "404.html"]
    assert urls, "the 404 page links back into the site"
    assert all(url.startswith("/") or url.startswith("#") for url in urls), urls


def test_urls():
    urls = Urls.from_base_url(BASE_URL)
    assert urls.base_path == "/atlas/"
    assert urls.entry("cities", "lyon") == "/atlas/cities/lyon/"
    assert urls.entry("pages", "about") == "/atlas/about/"
    assert urls.absolute("/atlas/cities/lyon/") == "https://example.org/atlas/cities/lyon/"
    assert Urls.from_base_url(None).page("") == "/"
    assert Urls.from_base_url("https://example.org/atlas").base_path == "/atlas/"


@pytest.mark.parametrize("kind, slug, dest", [
    ("cities", "lyon", "cities/lyon/index.html"),
    ("networks", "c40", "networks/c40/index.html"),
    ("case-studies", "x", "case-studies/x/index.html"),
    ("themes", "climate", "themes/climate/index.html"),
    ("pages", "about", "about/index.html"),
])
def test_entry_routes_are_pretty(kind, slug, dest):
    assert route_to_dest(entry_route(kind, slug)) == dest


def test_route_to_dest():
    assert route_to_dest("") == "index.html"
    assert route_to_dest("404.html") == "404.html"


# --- under a base path -------------------------------------------------------------

def test_with_a_base_url_every_internal_link_starts_with_its_path(small_site_under_base):
    outside = [(page, url) for page, url in internal_urls(small_site_under_base)
               if not url.startswith("/atlas/") and not url.startswith("#")]
    assert outside == []


def test_with_a_base_url_every_internal_link_resolves(small_site_under_base):
    assert find_broken_links(small_site_under_base, base_path="/atlas/") == []


def test_with_a_base_url_the_404_page_links_under_the_base_path(small_site_under_base):
    urls = [url for _tag, _attr, url in parse_html(small_site_under_base / "404.html").urls]
    internal = [url for url in urls if not url.startswith(("http://", "https://", "mailto:", "#"))]
    assert internal and all(url.startswith("/atlas/") for url in internal), internal


def test_with_a_base_url_pages_have_canonical_links(small_site_under_base):
    html = (small_site_under_base / "cities/lyon/index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://example.org/atlas/cities/lyon/">' in html


# --- a broken file never publishes ---------------------------------------------------

def test_a_broken_build_raises_every_error_and_leaves_the_output_byte_identical(tmp_path, make_site):
    make_site(tmp_path, SMALL_ATLAS)
    build_site()
    before = snapshot(tmp_path / "output")
    times = mtimes(tmp_path / "output")
    write_site(tmp_path, {
        "cities/barcelona.md": city("Barcelona", "ES", "[41.3874, 2.1686]", body="See [[nowhere]].\n"),
        "cities/turin.md": city("Turin", "Italy", "[45.0703, 7.6869]"),
        "pages/about.md": entry("title: About\n", "As [@nobody] said.\n"),
    })
    with pytest.raises(ContentError) as info:
        build_site()
    assert [str(p).split("\n")[0] for p in info.value.problems] == [
        "content/cities/barcelona.md:6: error: link [[nowhere]] does not match any entry",
        "content/cities/turin.md:3: error: country: 'Italy' is not an ISO 3166-1 alpha-2 code; did you mean IT (Italy)?",
        "content/pages/about.md:4: error: source 'nobody' is not in sources.yaml",
    ]
    assert snapshot(tmp_path / "output") == before
    assert mtimes(tmp_path / "output") == times
    # nothing half-written beside output/: only the spare the first build left (writer.py)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".atlas-")] == [".atlas-spare-output"]


def test_a_broken_first_build_creates_no_output(tmp_path, make_site):
    make_site(tmp_path, {"cities/lyon.md": "no front matter\n"})
    with pytest.raises(ContentError):
        build_site()
    assert not (tmp_path / "output").exists()


# --- incremental writing -----------------------------------------------------------

def test_a_second_build_with_no_changes_writes_nothing(tmp_path, make_site):
    make_site(tmp_path, SMALL_ATLAS)
    first = build_site()
    before = mtimes(tmp_path / "output")
    second = build_site()
    assert (second.written, second.removed) == (0, 0)
    assert second.unchanged == first.files == second.files
    assert mtimes(tmp_path / "output") == before


def test_a_changed_entry_rewrites_its_page_and_keeps_the_others(tmp_path, make_site):
    make_site(tmp_path, SMALL_ATLAS)
    build_site()
    before = mtimes(tmp_path / "output")
    write_site(tmp_path, {"pages/about.md": SMALL_ATLAS["pages/about.md"] + "\nOne more sentence.\n"})
    report = build_site()
    after = mtimes(tmp_path / "output")
    assert report.written >= 1
    # only search-index chunks (named by their content) may be replaced; no page disappears
    assert all(path.startswith("pagefind/") for path in set(before) - set(after))
    assert "One more sentence." in (tmp_path / "output/about/index.html").read_text(encoding="utf-8")
    assert after["cities/barcelona/index.html"] == before["cities/barcelona/index.html"]
    assert after["404.html"] == before["404.html"]


def test_removing_an_entry_removes_its_stale_page(tmp_path, make_site):
    make_site(tmp_path, SMALL_ATLAS)
    build_site()
    assert (tmp_path / "output/themes/climate/index.html").exists()
    write_site(tmp_path, {
        "themes/climate.md": None,
        "cities/lyon.md": SMALL_ATLAS["cities/lyon.md"].replace("themes: [climate]\n", ""),
        "networks/eurocities.md": SMALL_ATLAS["networks/eurocities.md"].replace("themes: [climate]\n", ""),
        "case-studies/lyon-barcelona-exchange.md":
            SMALL_ATLAS["case-studies/lyon-barcelona-exchange.md"].replace("themes: [climate]\n", ""),
        "pages/about.md": entry("title: About\norder: 1\n", "An atlas.\n"),
    })
    report = build_site()
    assert report.removed >= 1
    assert not (tmp_path / "output/themes/climate").exists()
    assert find_broken_links(tmp_path / "output") == []


def test_files_that_are_not_the_sites_own_are_removed_too(tmp_path, make_site):
    make_site(tmp_path, {"cities/lyon.md": city("Lyon", "FR")})
    build_site()
    (tmp_path / "output/stray.html").write_text("old", encoding="utf-8")
    report = build_site()
    assert report.removed == 1
    assert not (tmp_path / "output/stray.html").exists()


# --- drafts -------------------------------------------------------------------------

def test_drafts_are_built_only_when_asked(tmp_path, make_site):
    make_site(tmp_path, {"cities/lyon.md": city("Lyon", "FR"),
                         "pages/notes.md": entry("title: Notes\ndraft: true\n", "Work in progress.\n")})
    build_site()
    assert not (tmp_path / "output/notes").exists()
    build_site(drafts=True)
    assert (tmp_path / "output/notes/index.html").is_file()


# --- the starter atlas in content/ ---------------------------------------------------

def test_the_starter_atlas_builds(starter_build):
    output = starter_build.require()
    assert (output / "index.html").is_file()
    assert (output / "404.html").is_file()


def test_every_internal_link_of_the_starter_atlas_resolves(starter_build):
    output = starter_build.require()
    assert find_broken_links(output) == []


def test_the_starter_atlas_has_a_page_for_every_entry_and_source(starter_build):
    output = starter_build.require()
    errors = ErrorList()
    atlas = validate_entries(load_sources(STARTER_CONTENT, errors), errors)
    missing = [entry.src for entry in atlas.entries.values()
               if not (output / route_to_dest(entry_route(entry.kind, entry.slug))).is_file()]
    missing += [f"sources/{source_id}/" for source_id in atlas.bibliography
                if not (output / "sources" / source_id / "index.html").is_file()]
    assert atlas.entries and missing == []


def test_the_starter_atlas_builds_under_a_base_path(tmp_path, monkeypatch, starter_build):
    starter_build.require()
    monkeypatch.chdir(PROJECT_ROOT)
    build_site(Path("content"), tmp_path / "output", base_url=BASE_URL)
    output = tmp_path / "output"
    assert find_broken_links(output, base_path="/atlas/") == []
    outside = [(page, url) for page, url in internal_urls(output)
               if not url.startswith("/atlas/") and not url.startswith("#")]
    assert outside == []


def test_an_atlas_with_no_entries_still_gets_a_search_index_of_its_pages(tmp_path, make_site):
    """Pagefind starts on the entry pages as soon as they exist; with none, it indexes the site's other pages."""
    make_site(tmp_path, {"atlas.yaml": "title: Empty atlas\nbase_url: https://example.org/\n"})
    build_site()
    bundle = tmp_path / "output/pagefind"
    assert (bundle / "pagefind-entry.json").is_file()
    assert json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))["languages"]["en"]["page_count"] > 0
