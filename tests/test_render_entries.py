"""entries.py and the kinds' page contexts: what a reader finds on each entry page, from plain data.

- A city page has a row for each partner city, once, oldest first (undated last), with the tie's
  kind and year; a tie declared on one city shows on both; years that sources dispute show as
  "1931 or 1934 (sources differ)", a missing one as "not recorded"; a suspended or ended tie, and
  an unconfirmed one, say so in the notes.
- A city page names its country, its networks and the networks it hosts.
- A city page with no text of its own says so plainly, and counts what the atlas records of it.
- A tie cites each of its sources once, its status source too.
- A network page lists its members, declared on either side, by country, and names its headquarters.
- A case study names its date and cities; a theme lists what it tags under each kind.
- Every entry page lists the entries that refer to it, by kind in the registry's order, and gives
  search its filters.
"""

from __future__ import annotations

import re

import pytest

from atlas.kinds.city import city_context
from atlas.kinds.network import network_context
from atlas.render.entries import referenced_by, render_entry_page, search_filters
from plain import atlas_of, html_of, pages_of, section, table_rows, text

LYON = "name: Lyon\ncountry: FR\ncoordinates: [45.76, 4.84]\n"
TURIN = "name: Turin\ncountry: IT\ncoordinates: [45.07, 7.69]\n"
MILAN = "name: Milan\ncountry: IT\ncoordinates: [45.46, 9.19]\n"
PORTO = "name: Porto\ncountry: PT\ncoordinates: [41.15, -8.61]\n"

TIES = {
    "cities/lyon.md": LYON + "partners:\n"
                             "  - city: turin\n    kind: friendship\n    since: [\"1931\", \"1934\"]\n"
                             "  - city: milan\n    since: 1970\n    status: suspended\n"
                             "  - city: porto\n    kind: memorandum\n    confidence: low\n",
    "cities/turin.md": TURIN + "partners:\n  - city: lyon\n    kind: friendship\n"
                               "  - city: milan\n    kind: cooperation\n    since: 2001\n    until: 2010\n    status: ended\n"
                               "    note: Lapsed with the 2010 council.\n",
    "cities/milan.md": MILAN,
    "cities/porto.md": PORTO,
}


def rendered(files: dict[str, str], sources: dict[str, str] | None = None) -> dict[str, str]:
    """Every entry page of the atlas of these files (and sources: id -> title): output path -> HTML."""
    atlas = atlas_of(files, sources=sources)
    pages = pages_of(atlas)
    for entry in atlas.entries.values():
        render_entry_page(pages, entry)
    return html_of(pages)


def facts(page: str) -> dict[str, str]:
    """The facts box beside the map: term -> what it says."""
    box = re.search(r'<dl class="facts"[^>]*>(.*?)</dl>', page, re.S).group(1)
    return {text(term): text(value) for term, value in re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", box, re.S)}


def test_a_city_page_lists_each_partner_once_with_kind_and_year_oldest_first():
    assert table_rows(rendered(TIES)["cities/lyon/index.html"]) == [
        ["Turin", "Italy", "Friendship", "1931 or 1934 (sources differ)", ""],
        ["Porto", "Portugal", "Memorandum", "not recorded", "Unconfirmed."],
        ["Milan", "Italy", "Sister city", "1970", "Suspended."],  # under "Suspended and ended partnerships"
    ]


def test_a_tie_declared_on_one_city_shows_on_the_other():
    pages = rendered(TIES)
    assert table_rows(pages["cities/milan/index.html"]) == [
        ["Lyon", "France", "Sister city", "1970", "Suspended."],
        ["Turin", "Italy", "Cooperation", "2001", "Ended 2010. Lapsed with the 2010 council."],
    ]
    assert table_rows(pages["cities/porto/index.html"]) == [
        ["Lyon", "France", "Memorandum", "not recorded", "Unconfirmed."]]


def test_the_partner_count_and_the_map_label_count_each_tie_once():
    page = rendered(TIES)["cities/turin/index.html"]
    assert facts(page)["Partner cities"] == "1 (and 1 suspended or ended)"
    assert 'aria-label="Map of Turin and its 2 partner cities"' in page


def test_a_city_without_partners_has_no_partner_table_and_a_map_of_itself():
    page = rendered({"cities/lyon.md": LYON})["cities/lyon/index.html"]
    assert table_rows(page) == []
    assert 'id="partners"' not in page
    assert facts(page) == {"Country": "France", "Coordinates": "45.7600, 4.8400", "Partner cities": "0"}
    assert 'aria-label="Map of Lyon"' in page


def little_known(page: str) -> str | None:
    found = re.search(r'<p class="little-known">(.*?)</p>', page, re.S)
    return text(found.group(1)) if found else None


def test_a_city_with_no_text_says_so_and_counts_what_the_atlas_records():
    pages = rendered({**TIES, "networks/eurocities.md": "name: Eurocities\nmembers: [lyon]\n"})
    assert little_known(pages["cities/lyon/index.html"]) == (
        "The atlas has no written profile of Lyon yet. It records 3 partnerships and 1 network membership,"
        " listed below with sources.")
    assert little_known(rendered({"cities/lyon.md": LYON})["cities/lyon/index.html"]) == (
        "The atlas has no written profile of Lyon yet. It records only where the city is.")


def test_a_tie_cites_its_status_source_once_when_it_is_also_among_its_sources():
    page = rendered({"cities/lyon.md": LYON + "partners:\n  - {city: turin, since: 1990, until: 2022, status: ended,"
                                              " status_source: council, sources: [council, press]}\n",
                     "cities/turin.md": TURIN}, sources={"council": "Minutes", "press": "News"})["cities/lyon/index.html"]
    cited = re.findall(r'href="#ref-([a-z-]+)"', section(page, "former-partners"))
    assert sorted(cited) == ["council", "press"]


def test_a_city_page_names_its_country_networks_and_the_networks_it_hosts():
    files = {"cities/lyon.md": LYON + "population: 522250\noffice: Direction des relations internationales\n"
                                      "networks: [eurocities]\n",
             "cities/milan.md": MILAN,
             "networks/eurocities.md": "name: Eurocities\nheadquarters: lyon\nmembers: [milan]\n",
             "networks/c40.md": "name: C40 Cities\nmembers: [lyon]\n"}
    assert facts(rendered(files)["cities/lyon/index.html"]) == {
        "Country": "France", "Coordinates": "45.7600, 4.8400", "Population": "522,250",
        "International office": "Direction des relations internationales", "Partner cities": "0",
        "Networks": "C40 Cities, Eurocities", "Hosts": "Eurocities"}


NETWORK = {
    "cities/lyon.md": LYON + "networks: [eurocities]\n",
    "cities/turin.md": TURIN,
    "cities/milan.md": MILAN,
    "cities/porto.md": PORTO,
    "networks/eurocities.md": "name: Eurocities\nfounded: [\"1986\", \"1989\"]\nheadquarters: porto\n"
                              "members: [turin, milan]\n",
}


def test_a_network_page_groups_its_members_by_country_declared_on_either_side():
    members = section(rendered(NETWORK)["networks/eurocities/index.html"], "members")
    groups = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", members, re.S)
    assert [(text(country), text(cities)) for country, cities in groups] == [
        ("France", "Lyon"), ("Italy", "Milan, Turin")]


def test_a_network_page_names_its_headquarters_founding_and_member_count():
    page = rendered(NETWORK)["networks/eurocities/index.html"]
    assert facts(page) == {"Founded": "1986 or 1989 (sources differ)", "Headquarters": "Porto",
                           "Members in the atlas": "3"}
    assert '<dd><a href="/cities/porto/">Porto</a></dd>' in page
    assert 'aria-label="Map of 3 member cities of Eurocities and its headquarters"' in page


def test_the_headquarters_comes_first_on_the_network_map():
    pages = pages_of(atlas_of(NETWORK))
    context = network_context(pages.site.atlas.get("networks", "eurocities"), pages)
    assert '"Porto","/cities/porto/","hq","Headquarters"' in context["map"]["json"]
    assert [m.slug for m in context["members"]] == ["lyon", "milan", "turin"]
    assert context["headquarters"].title == "Porto"


def test_the_city_context_gives_each_partner_the_tie_seen_from_this_city():
    pages = pages_of(atlas_of(TIES))
    context = city_context(pages.site.atlas.get("cities", "milan"), pages)
    assert context["partners"] == []
    assert [(row["city"].slug, row["partnership"].kind, row["partnership"].status)
            for row in context["former_partners"]] == [("lyon", "sister-city", "suspended"),
                                                       ("turin", "cooperation", "ended")]
    assert (context["country"], context["region"]) == ("Italy", "Europe")


TOLEDOS = {
    "cities/toledo-ohio.md": "name: Toledo\ncountry: US\nregion: Ohio\ncoordinates: [41.65, -83.54]\n"
                             "partners: [toledo]\n",
    "cities/toledo.md": "name: Toledo\ncountry: ES\nregion: Castile-La Mancha\ncoordinates: [39.86, -4.03]\n",
    "cities/washington-dc.md": "name: Washington, D.C.\ncountry: US\nregion: District of Columbia\n"
                               "coordinates: [38.9, -77.04]\npartners: [toledo]\n",
}


def test_a_city_s_region_is_among_its_facts_and_beside_its_name_in_partner_tables():
    pages = rendered(TOLEDOS)
    spain = pages["cities/toledo/index.html"]
    assert facts(spain)["State or region"] == "Castile-La Mancha"
    assert [row[0] for row in table_rows(section(spain, "partners"))] == ["Toledo, Ohio", "Washington, D.C."]
    assert 'data-pagefind-meta="title[data-title]" data-title="Toledo, Ohio"' in pages["cities/toledo-ohio/index.html"]
    assert "data-pagefind-meta" not in pages["cities/washington-dc/index.html"]  # its name already places it
    assert "State or region" not in facts(rendered({"cities/lyon.md": LYON})["cities/lyon/index.html"])


def test_a_case_study_names_its_date_and_cities_and_shows_on_their_pages():
    files = {"cities/lyon.md": LYON, "cities/turin.md": TURIN,
             "case-studies/expo.md": 'title: Expo bid\ndate: "2016-02"\ncities: [lyon, turin]\n'
                                     "summary: A shared bid.\n"}
    pages = rendered(files)
    assert facts(pages["case-studies/expo/index.html"]) == {"Date": "February 2016", "Cities": "Lyon, Turin"}
    assert text(section(pages["cities/turin/index.html"], "case-studies-heading")) == (
        "Case studies Expo bid — A shared bid.")


def test_a_theme_lists_what_it_tags_under_each_kind_in_the_registrys_order():
    files = {"cities/lyon.md": LYON + "themes: [climate]\n", "cities/turin.md": TURIN + "themes: [climate]\n",
             "networks/c40.md": "name: C40 Cities\nthemes: [climate]\n",
             "themes/climate.md": "name: Climate\ndescription: Cities against warming.\n"}
    tagged = section(rendered(files)["themes/climate/index.html"], "tagged")
    assert text(tagged) == "In the atlas Cities Lyon Turin Networks C40 Cities"


def test_an_entry_lists_what_refers_to_it_by_kind():
    files = {**NETWORK, "case-studies/summit.md": "title: Summit\ncities: [porto]\nnetworks: [eurocities]\n"}
    atlas = atlas_of(files)
    graph = pages_of(atlas).site.graph
    porto = atlas.get("cities", "porto")
    assert [(label, [e.title for e in entries]) for label, entries in referenced_by(porto, atlas, graph)[0]] == [
        ("Networks", ["Eurocities"]), ("Case studies", ["Summit"])]
    page = rendered({**files, "initiatives/talks.md": "name: Talks\nparticipants:\n  - city: porto\n"})
    page = page["cities/porto/index.html"]
    # Eurocities (hosted) and Summit (a case study of Porto) are listed above, and only there
    assert text(section(page, "refby-heading")) == (
        "Referenced by Initiatives Talks 2 more entries refer to this page and are listed above.")
    assert page.count('href="/networks/eurocities/"') == 1 and page.count('href="/case-studies/summit/"') == 1


RELATED = {
    "cities/lyon.md": LYON + "networks: [eurocities, mobility]\nthemes: [climate]\npartners: [porto]\n",
    "cities/turin.md": TURIN + "networks: [eurocities, mobility]\nthemes: [climate]\n",
    "cities/milan.md": MILAN + "networks: [eurocities]\n",
    "cities/porto.md": PORTO,
    "networks/eurocities.md": "name: Eurocities\n",
    "networks/mobility.md": "name: Mobility Cities\n",
    "themes/climate.md": "name: Climate\ndescription: Cities against warming.\n",
}


def test_related_entries_are_those_of_the_kind_that_share_most_with_why():
    pages = rendered(RELATED)
    related = section(pages["cities/lyon/index.html"], "related-heading")
    assert text(related) == ("Related Turin City · shares 2 networks and 1 theme "
                             "Milan City · shares 1 network")
    # Porto is Lyon's partner, shown in the partner table: it is not "related" as well
    assert "Porto" not in related
    assert text(section(pages["networks/eurocities/index.html"], "related-heading")) == (
        "Related Mobility Cities Network · shares 2 cities")


def test_a_page_with_nothing_meaningfully_related_has_no_related_section():
    pages = rendered(RELATED)
    assert 'id="related-heading"' not in pages["cities/porto/index.html"]  # its only tie is to Lyon
    assert 'id="related-heading"' not in pages["themes/climate/index.html"]  # the only theme


@pytest.mark.parametrize("path, filters", [
    ("cities/lyon.md", [("kind", "City"), ("region", "Europe"), ("country", "France"), ("network", "Eurocities")]),
    ("networks/eurocities.md", [("kind", "Network"), ("network", "Eurocities")]),
    ("cities/porto.md", [("kind", "City"), ("region", "Europe"), ("country", "Portugal")]),
])
def test_each_page_gives_search_its_filters(path, filters):
    atlas = atlas_of(NETWORK)
    folder, name = path.split("/")
    entry = atlas.get(folder, name.removesuffix(".md"))
    assert search_filters(entry, atlas, pages_of(atlas).site.graph) == filters


def test_filter_values_cannot_form_tags_or_entities():
    files = {"cities/lyon.md": LYON + "networks: [c40]\n", "networks/c40.md": "name: C40 <b>&amp;</b>\n"}
    atlas = atlas_of(files)
    assert search_filters(atlas.get("networks", "c40"), atlas, pages_of(atlas).site.graph)[1] == (
        "network", "C40 \u2039b\u203a\uff06amp;\u2039/b\u203a")
