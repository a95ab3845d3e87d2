"""indexes.py and the kinds' index pages: the pages that list the atlas, from plain data.

- cities/ groups the cities by region, then country, each in alphabetical order, with the
  number of partner cities in brackets. Above paging.CITY_INDEX_LIMIT it lists regions and
  countries with counts, and each country has a page of its cities (cities/country/fr/).
- partnerships/ lists every partnership once, oldest first, those without a year last, with
  kind, year and status. Above paging.PARTNERSHIP_INDEX_LIMIT it lists the decades with
  counts, and each decade, and "Year not recorded", has a page.
- case-studies/ lists the case studies by year, newest first, those without a date last.
- networks/ lists the networks by name with their members in the atlas.
- sources/ lists the bibliography by title with how many pages cite each; a source's page
  lists them, a partnership's source counting for both its cities.
- The home page counts cities, partnerships, networks, case studies and countries.
"""

from __future__ import annotations

import re

from atlas import kinds
from atlas.render import paging
from atlas.render.indexes import render_home, render_partnership_index, render_source_pages
from plain import atlas_of, html_of, lede, pages_of, section, table_rows, text

FILES = {
    "cities/lyon.md": "name: Lyon\ncountry: FR\ncoordinates: [45.76, 4.84]\nnetworks: [eurocities]\n"
                      "partners:\n  - city: turin\n    since: 1962\n  - city: kyoto\n    since: 1959\n"
                      "  - city: osaka\n    kind: friendship\n    until: 1999\n    status: ended\n",
    "cities/nantes.md": "name: Nantes\ncountry: FR\ncoordinates: [47.22, -1.55]\n",
    "cities/turin.md": "name: Turin\ncountry: IT\ncoordinates: [45.07, 7.69]\nthemes: [culture]\n"
                       "partners:\n  - city: kyoto\n    since: [\"1965\", \"1968\"]\n",
    "cities/kyoto.md": "name: Kyoto\ncountry: JP\ncoordinates: [35.01, 135.77]\n",
    "cities/osaka.md": "name: Osaka\ncountry: JP\ncoordinates: [34.69, 135.50]\n",
    "cities/quito.md": "name: Quito\ncountry: EC\ncoordinates: [-0.18, -78.47]\n",
    "networks/eurocities.md": "name: Eurocities\nfounded: 1986\nmembers: [turin]\n",
    "networks/c40.md": "name: C40 Cities\nshort_name: C40\nmembers: [kyoto]\n",
    "themes/culture.md": "name: Culture\n",
}


def index_pages(files: dict[str, str], *folders: str, **options) -> dict[str, str]:
    """The index pages of these kinds (by folder), of the atlas of these files: output path -> HTML."""
    pages = pages_of(atlas_of(files, **options))
    for folder in folders:
        kind = kinds.of_folder(folder)
        kind.index(kind, pages)
    return html_of(pages)


def partnership_pages(files: dict[str, str]) -> dict[str, str]:
    pages = pages_of(atlas_of(files))
    render_partnership_index(pages)
    return html_of(pages)


def main(page: str) -> str:
    """The page without its header, navigation and footer."""
    return page[page.index('<main id="main"'):page.index("</main>")]


def links(fragment: str) -> list[str]:
    """The text of each link, with what follows it up to the next item."""
    return [text(item) for item in re.findall(r"<li[^>]*>(.*?)</li>", fragment, re.S)]


def test_the_cities_index_groups_by_region_then_country_with_partner_counts():
    page = index_pages(FILES, "cities")["cities/index.html"]
    regions = re.findall(r'<h2 id="([^"]+)">(.*?)</h2>', page)
    assert [name for _, name in regions] == ["Asia", "Europe", "South America"]
    assert [(text(country), links(cities)) for country, cities in
            re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", section(page, "europe"), re.S)] == [
        ("France", ["Lyon (3)", "Nantes"]), ("Italy", ["Turin (2)"])]
    assert links(section(page, "asia")) == ["Kyoto (2)", "Osaka (1)"]
    assert lede(page) == "6 cities by region and country. Numbers in brackets are partner cities in the atlas."


def test_the_cities_index_tells_the_filters_each_citys_networks_and_themes():
    page = index_pages(FILES, "cities")["cities/index.html"]
    assert ('<li data-item data-region="Europe" data-network="Eurocities" data-theme="Culture">'
            '<a href="/cities/turin/">Turin</a>') in page
    assert '<li data-item data-region="Asia" data-network="C40" data-theme=""><a href="/cities/kyoto/">' in page


def test_a_big_atlas_lists_countries_with_counts_and_gives_each_country_a_page(monkeypatch):
    monkeypatch.setattr(paging, "CITY_INDEX_LIMIT", 5)
    pages = index_pages(FILES, "cities")
    assert sorted(pages) == ["cities/country/ec/index.html", "cities/country/fr/index.html",
                             "cities/country/it/index.html", "cities/country/jp/index.html", "cities/index.html"]
    index = pages["cities/index.html"]
    assert [text(h) for h in re.findall(r"<h2 [^>]*>(.*?)</h2>", index)] == [
        "Asia (2 cities)", "Europe (3 cities)", "South America (1 city)"]
    assert links(section(index, "europe")) == ["France (2)", "Italy (1)"]
    assert '<a href="/cities/country/fr/">France</a>' in index
    france = pages["cities/country/fr/index.html"]
    assert links(main(france)) == ["Lyon (3)", "Nantes"]
    assert "<h1>France</h1>" in france and lede(france).startswith("2 cities in the atlas.")
    assert '<a href="/cities/#europe">Europe</a>' in france


def test_at_the_limit_the_cities_index_stays_one_page(monkeypatch):
    monkeypatch.setattr(paging, "CITY_INDEX_LIMIT", 6)
    assert list(index_pages(FILES, "cities")) == ["cities/index.html"]


def test_the_partnerships_index_lists_each_tie_once_oldest_first_and_undated_last():
    page = partnership_pages(FILES)["partnerships/index.html"]
    assert table_rows(page) == [
        ["Kyoto – Lyon", "Sister city", "1959", ""],
        ["Lyon – Turin", "Sister city", "1962", ""],
        ["Kyoto – Turin", "Sister city", "1965 or 1968 (sources differ)", ""],
        ["Lyon – Osaka", "Friendship", "not recorded", "Ended 1999."],
    ]
    assert lede(page) == ("4 partnerships between cities in the atlas, oldest first; those suspended or ended are"
                          " listed apart.")
    assert table_rows(section(page, "former-heading")) == [["Lyon – Osaka", "Friendship", "not recorded", "Ended 1999."]]


def test_a_big_atlas_gives_each_decade_of_partnerships_a_page(monkeypatch):
    monkeypatch.setattr(paging, "PARTNERSHIP_INDEX_LIMIT", 3)
    pages = partnership_pages(FILES)
    assert sorted(pages) == ["partnerships/1950s/index.html", "partnerships/1960s/index.html",
                             "partnerships/index.html", "partnerships/undated/index.html"]
    assert links(main(pages["partnerships/index.html"])) == [
        "1950s (1 partnership)", "1960s (2 partnerships)", "Year not recorded (1 partnership)"]
    assert lede(pages["partnerships/index.html"]) == (
        "4 partnerships between cities in the atlas, by the decade in which they began. Each decade's page lists"
        " them oldest first. 1 partnership without a recorded year is listed apart.")
    sixties = pages["partnerships/1960s/index.html"]
    assert [row[0] for row in table_rows(sixties)] == ["Lyon – Turin", "Kyoto – Turin"]
    assert lede(sixties) == "2 partnerships that began in the 1960s, oldest first."
    assert '<a href="/partnerships/1960s/" aria-current="page">1960s</a>' in sixties
    assert table_rows(pages["partnerships/undated/index.html"]) == [
        ["Lyon – Osaka", "Friendship", "not recorded", "Ended 1999."]]


CASE_STUDIES = {
    "cities/lyon.md": "name: Lyon\ncountry: FR\ncoordinates: [45.76, 4.84]\n",
    "case-studies/expo.md": "title: Expo\ndate: 2016\ncities: [lyon]\n",
    "case-studies/accord.md": 'title: Accord\ndate: "2016-06"\ncities: [lyon]\nkind: agreement\n',
    "case-studies/forum.md": 'title: Forum\ndate: ["2019", "2020"]\ncities: [lyon]\n',
    "case-studies/notes.md": "title: Notes\ncities: [lyon]\n",
}


def test_the_case_studies_index_goes_by_year_newest_first_and_undated_last():
    page = index_pages(CASE_STUDIES, "case-studies")["case-studies/index.html"]
    assert re.findall(r'<h2 id="year-([^"]+)">', page) == ["2019", "2016", "Undated"]
    assert [text(card) for card in re.findall(r"<h3>(.*?)</h3>", page)] == ["Forum", "Accord", "Expo", "Notes"]
    assert 'data-kind="Agreement" data-year="2016"' in page


def test_the_networks_index_lists_them_by_name_with_their_members():
    page = index_pages(FILES, "networks")["networks/index.html"]
    cards = re.findall(r'<h2 class="card-title">(.*?)</h2>\s*<p class="muted small">(.*?)</p>', page, re.S)
    assert [(text(name), text(detail)) for name, detail in cards] == [
        ("C40 Cities", "1 member city in the atlas"), ("Eurocities", "Founded 1986 · 2 member cities in the atlas")]


SOURCES = {
    "cities/lyon.md": "name: Lyon\ncountry: FR\ncoordinates: [45.76, 4.84]\nsources: [insee]\n"
                      "partners:\n  - city: turin\n    sources: [pact]\n",
    "cities/turin.md": "name: Turin\ncountry: IT\ncoordinates: [45.07, 7.69]\n",
    "themes/culture.md": "name: Culture\nsources: [pact]\n",
}


def test_the_sources_are_listed_by_title_with_what_cites_them():
    pages = pages_of(atlas_of(SOURCES, sources={"pact": "The twinning pact", "insee": "Census of Lyon",
                                                "unused": "Nobody reads this"}))
    render_source_pages(pages)
    html = html_of(pages)
    assert links(main(html["sources/index.html"])) == [
        "Census of Lyon. Cited by 1 page", "Nobody reads this. Cited by 0 pages", "The twinning pact. Cited by 3 pages"]
    pact = section(html["sources/pact/index.html"], "citing-heading")
    assert links(pact) == ["Lyon City", "Turin City", "Culture Theme"]
    assert "No page cites this source yet." in html["sources/unused/index.html"]


def test_the_home_page_counts_the_atlas():
    pages = pages_of(atlas_of(FILES))
    render_home(pages)
    stats = re.search(r'<ul class="stats"[^>]*>(.*?)</ul>', html_of(pages)["index.html"], re.S).group(1)
    assert links(stats) == ["6 cities", "4 partnerships (1 suspended or ended)", "2 networks", "0 case studies", "4 countries"]
