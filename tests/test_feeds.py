"""feeds.py: robots.txt, sitemap.xml and the Atom feed of case studies, from plain data.

- robots.txt is always written; it names the sitemap when the site has an address.
- sitemap.xml and feed.xml need absolute addresses: no base URL, no sitemap, no feed.
- The sitemap lists every HTML page but 404.html and the search page, sorted, as
  addresses ending in "/" for folders.
- The feed holds the dated case studies, newest first (by date, then slug), at most
  FEED_LIMIT; a year or month becomes the first day of it at midnight UTC; the
  feed's <updated> is the newest date, or 1970 when nothing is dated.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

import pytest

from atlas.render.feeds import FEED_LIMIT, feed_entries, render_feeds
from atlas.render.urls import Urls
from plain import atlas_of

SITE = Urls.from_base_url("https://example.org/atlas/")
ATOM = "{http://www.w3.org/2005/Atom}"
STUDIES = {
    "cities/lyon.md": "name: Lyon\ncountry: FR\n",
    "case-studies/expo.md": "title: Expo\ndate: 2016\ncities: [lyon]\nsummary: Lyon & Turin <met>.\n",
    "case-studies/accord.md": 'title: Accord\ndate: "2019-06"\ncities: [lyon]\n',
    "case-studies/forum.md": 'title: Forum\ndate: ["2016", "2017"]\ncities: [lyon]\n',
    "case-studies/notes.md": "title: Notes\ncities: [lyon]\n",
}


def outputs(atlas, urls: Urls, dests=("index.html",)) -> dict[str, str]:
    return {o.dest: o.data.decode("utf-8") for o in render_feeds(atlas, list(dests), urls)}


def feed(atlas) -> etree.Element:
    return etree.fromstring(outputs(atlas, SITE)["feed.xml"])


def test_without_an_address_there_is_robots_txt_alone():
    assert outputs(atlas_of(STUDIES), Urls.from_base_url(None)) == {"robots.txt": "User-agent: *\nAllow: /\n"}


def test_robots_txt_names_the_sitemap():
    assert outputs(atlas_of(STUDIES), SITE)["robots.txt"] == (
        "User-agent: *\nAllow: /\nSitemap: https://example.org/atlas/sitemap.xml\n")


def test_the_sitemap_lists_the_pages_but_404_and_search():
    dests = ["cities/lyon/index.html", "404.html", "search/index.html", "index.html", "data/index.html"]
    sitemap = etree.fromstring(outputs(atlas_of(STUDIES), SITE, dests)["sitemap.xml"])
    assert [loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")] == [
        "https://example.org/atlas/cities/lyon/", "https://example.org/atlas/data/", "https://example.org/atlas/"]


def test_the_feed_holds_dated_case_studies_newest_first():
    entries = feed(atlas_of(STUDIES)).findall(f"{ATOM}entry")
    assert [(e.findtext(f"{ATOM}title"), e.findtext(f"{ATOM}updated")) for e in entries] == [
        ("Accord", "2019-06-01T00:00:00Z"), ("Forum", "2016-01-01T00:00:00Z"), ("Expo", "2016-01-01T00:00:00Z")]
    assert entries[0].findtext(f"{ATOM}id") == "https://example.org/atlas/case-studies/accord/"
    assert entries[0].find(f"{ATOM}link").get("href") == "https://example.org/atlas/case-studies/accord/"


def test_the_feed_is_titled_by_the_atlas_and_updated_with_its_newest_entry():
    root = feed(atlas_of(STUDIES, title="Twin <Towns>", description="Ties & more."))
    assert root.findtext(f"{ATOM}title") == "Twin <Towns>: events and case studies"
    assert root.findtext(f"{ATOM}subtitle") == "Ties & more."
    assert root.findtext(f"{ATOM}updated") == "2019-06-01T00:00:00Z"
    assert root.findtext(f"{ATOM}id") == "https://example.org/atlas/feed.xml"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"


def test_a_summary_is_escaped_and_an_entry_without_one_has_none():
    entries = {e.findtext(f"{ATOM}title"): e for e in feed(atlas_of(STUDIES)).findall(f"{ATOM}entry")}
    assert entries["Expo"].findtext(f"{ATOM}summary") == "Lyon & Turin <met>."
    assert entries["Accord"].find(f"{ATOM}summary") is None
    assert "Lyon &amp; Turin &lt;met&gt;." in outputs(atlas_of(STUDIES), SITE)["feed.xml"]


def test_a_feed_with_nothing_dated_is_empty_and_dated_1970():
    root = feed(atlas_of({"cities/lyon.md": "name: Lyon\ncountry: FR\n"}))
    assert root.findall(f"{ATOM}entry") == []
    assert root.findtext(f"{ATOM}updated") == "1970-01-01T00:00:00Z"


@pytest.mark.parametrize("count, kept", [(FEED_LIMIT - 1, FEED_LIMIT - 1), (FEED_LIMIT + 5, FEED_LIMIT)])
def test_the_feed_keeps_the_newest(count, kept):
    files = {f"case-studies/s{n:03d}.md": f"title: S{n}\ndate: {1900 + n}\ncities: [lyon]\n" for n in range(count)}
    items = feed_entries(atlas_of(files))
    assert len(items) == kept
    assert items[0] == (f"{1900 + count - 1}", items[0][1]) and items[0][1].slug == f"s{count - 1:03d}"
