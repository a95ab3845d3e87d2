"""timeline.py: partnerships and dated case studies by decade and year, from plain data.

- The timeline has a section per decade and, in it, each year oldest first; in a year the
  case studies come first, then the partnerships by their pair of cities.
- Each city is named with its region, where the atlas gives one, and its country code, so that
  namesakes are told apart ("Toledo, Ohio (US) – Toledo (ES)"); a name that already places the city
  ("Washington, D.C.") is not followed by its region again.
- An item whose sources give several years is listed under the first and marked
  "1931 or 1934; sources differ", never in brackets inside brackets; a partnership without a year is listed apart, under
  "Year not recorded".
- Above paging.TIMELINE_LIMIT items, timeline/ lists the decades with what each holds,
  and each decade, and "Year not recorded", has a page of its own with the decades as
  navigation, the current one marked.
"""

from __future__ import annotations

import re

import pytest

from atlas.render import paging
from atlas.render.timeline import dated_kinds, render_timeline
from plain import atlas_of, html_of, lede, pages_of, section, text

FILES = {
    "cities/lyon.md": "name: Lyon\ncountry: FR\ncoordinates: [45.76, 4.84]\n"
                      "partners:\n  - city: turin\n    kind: friendship\n    since: [\"1931\", \"1934\"]\n"
                      "  - city: kyoto\n    since: 1959\n  - osaka\n",
    "cities/turin.md": "name: Turin\ncountry: IT\ncoordinates: [45.07, 7.69]\n"
                       "partners:\n  - city: kyoto\n    since: \"1959-05\"\n    kind: cooperation\n",
    "cities/kyoto.md": "name: Kyoto\ncountry: JP\ncoordinates: [35.01, 135.77]\n",
    "cities/osaka.md": "name: Osaka\ncountry: JP\ncoordinates: [34.69, 135.50]\n",
    "case-studies/expo.md": "title: Expo\ndate: 1959\ncities: [lyon]\n",
    "case-studies/summit.md": 'title: Summit\ndate: ["2004", "2005"]\ncities: [kyoto]\n',
    "case-studies/notes.md": "title: Notes\ncities: [lyon]\n",
}


def timeline(files: dict[str, str] = FILES) -> dict[str, str]:
    pages = pages_of(atlas_of(files))
    render_timeline(pages)
    return html_of(pages)


def years(fragment: str) -> list[tuple[str, list[str]]]:
    """Each year of a timeline, with the text of each of its items."""
    found = re.findall(r'class="timeline-year">(\d+)</h\d>\s*<ul class="plain-list">(.*?)</ul>', fragment, re.S)
    return [(year, [text(item) for item in re.findall(r"<li>(.*?)</li>", items, re.S)]) for year, items in found]


def test_the_timeline_goes_decade_by_decade_and_year_by_year_oldest_first():
    page = timeline()["timeline/index.html"]
    assert re.findall(r'<h2 id="d(\d+)">', page) == ["1930", "1950", "2000"]
    assert years(section(page, "d1950")) == [
        ("1959", ["Case study Expo", "Sister city Kyoto ( JP ) – Lyon ( FR )", "Cooperation Kyoto ( JP ) – Turin ( IT )"])]
    assert [year for year, _ in years(page)] == ["1931", "1959", "2004"]


def test_where_sources_disagree_the_item_is_listed_under_the_first_year_and_marked():
    page = timeline()["timeline/index.html"]
    assert years(section(page, "d1930")) == [("1931", ["Friendship Lyon ( FR ) – Turin ( IT ) · 1931 or 1934; sources differ"])]
    assert years(section(page, "d2000")) == [("2004", ["Case study Summit · 2004 or 2005; sources differ"])]


def test_partnerships_without_a_year_are_listed_apart_and_undated_case_studies_left_out():
    page = timeline()["timeline/index.html"]
    assert text(section(page, "undated")) == "Year not recorded Lyon ( FR ) – Osaka ( JP )"
    assert "Notes" not in page
    assert lede(page).startswith("5 items with a known year (partnerships begun, suspended or ended; cities joining and"
                                " leaving networks; initiatives, events, surveys and case studies), oldest first.")


def test_namesakes_are_told_apart_by_region_and_country():
    files = {"cities/toledo-ohio.md": "name: Toledo\ncountry: US\nregion: Ohio\ncoordinates: [41.65, -83.54]\n"
                                      "partners:\n  - city: toledo\n    since: [1931, 1934]\n",
             "cities/toledo.md": "name: Toledo\ncountry: ES\nregion: Castile-La Mancha\ncoordinates: [39.86, -4.03]\n",
             "cities/washington-dc.md": "name: Washington, D.C.\ncountry: US\nregion: District of Columbia\n"
                                        "coordinates: [38.9, -77.04]\npartners:\n  - city: toledo\n    since: 1990\n"}
    page = timeline(files)["timeline/index.html"]
    assert [item for _, items in years(page) for item in items] == [
        "Sister city Toledo, Castile-La Mancha ( ES ) – Toledo, Ohio ( US ) · 1931 or 1934; sources differ",
        "Sister city Toledo, Castile-La Mancha ( ES ) – Washington, D.C. ( US )"]
    assert ('<a href="/cities/toledo-ohio/">Toledo</a>, Ohio <span class="country-code">'
            '(<abbr title="United States">US</abbr>)</span>') in page


def test_the_decades_are_listed_for_navigation():
    nav = re.search(r'<nav class="decade-nav" aria-label="Decades">(.*?)</nav>', timeline()["timeline/index.html"], re.S)
    assert re.findall(r'<a href="#(d\d+)">(\d+s)</a>', nav.group(1)) == [
        ("d1930", "1930s"), ("d1950", "1950s"), ("d2000", "2000s")]
    assert '<a href="#undated">No year</a>' in nav.group(1)


def test_initiatives_events_surveys_and_case_studies_are_the_kinds_on_the_timeline():
    assert [kind.name for kind in dated_kinds()] == ["initiative", "event", "survey", "case-study"]


@pytest.fixture
def split(monkeypatch) -> dict[str, str]:
    """The timeline of FILES (6 items) with the limit lowered to 5."""
    monkeypatch.setattr(paging, "TIMELINE_LIMIT", 5)
    return timeline()


def test_at_the_limit_the_timeline_stays_one_page_with_a_page_per_kind_of_item(monkeypatch):
    monkeypatch.setattr(paging, "TIMELINE_LIMIT", 6)
    assert sorted(timeline()) == ["timeline/case-studies/index.html", "timeline/index.html",
                                  "timeline/partnerships/index.html"]


def test_a_big_timeline_has_a_page_per_decade_and_one_for_no_year(split):
    assert sorted(split) == ["timeline/1930s/index.html", "timeline/1950s/index.html", "timeline/2000s/index.html",
                             "timeline/index.html", "timeline/undated/index.html"]


def test_the_first_page_of_a_big_timeline_lists_the_decades_with_what_each_holds(split):
    page = split["timeline/index.html"]
    parts = re.findall(r'<li><a href="/timeline/([^"]+)">([^<]+)</a> <span class="muted">\(([^)]+)\)</span></li>', page)
    assert parts == [("1930s/", "1930s", "1 partnership"), ("1950s/", "1950s", "2 partnerships, 1 case study"),
                     ("2000s/", "2000s", "0 partnerships, 1 case study"),
                     ("undated/", "Year not recorded", "1 partnership")]
    assert lede(page) == (
        "5 partnerships, memberships, initiatives, events, surveys and case studies with a known year, by decade. Each decade's page lists them year by year,"
        " oldest first. 1 partnership without a recorded year is listed apart.")


def test_a_decades_page_lists_its_years_and_marks_itself_in_the_navigation(split):
    page = split["timeline/1950s/index.html"]
    assert "<h1>1950s</h1>" in page
    assert years(page) == [("1959", ["Case study Expo", "Sister city Kyoto ( JP ) – Lyon ( FR )", "Cooperation Kyoto ( JP ) – Turin ( IT )"])]
    assert lede(page).startswith("3 items, oldest first.")
    assert re.findall(r'<a href="/timeline/([^"]+)" aria-current="page">', page) == ["1950s/"]
    assert "Osaka" not in page and "Summit" not in page


def test_the_page_of_items_without_a_year(split):
    page = split["timeline/undated/index.html"]
    assert "<h1>Year not recorded</h1>" in page
    assert lede(page) == "1 partnership whose year no source records."
    assert years(page) == []
    assert ('<li><a href="/cities/lyon/">Lyon</a> <span class="country-code">(<abbr title="France">FR</abbr>)</span>'
            ' – <a href="/cities/osaka/">Osaka</a> <span class="country-code">(<abbr title="Japan">JP</abbr>)</span></li>'
            ) in page


def test_a_timeline_with_every_year_known_has_no_page_for_the_unknown(monkeypatch):
    monkeypatch.setattr(paging, "TIMELINE_LIMIT", 1)
    files = {path: front for path, front in FILES.items() if path != "cities/osaka.md"}
    files["cities/lyon.md"] = files["cities/lyon.md"].replace("  - osaka\n", "")
    pages = timeline(files)
    assert "timeline/undated/index.html" not in pages
    assert "without a recorded year" not in pages["timeline/index.html"]
