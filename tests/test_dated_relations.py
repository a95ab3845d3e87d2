"""graph/dated.py and ties.py: dated partnerships and memberships, and the errors their dates can make.

- A partnership may say when it was suspended or ended (`until`), why (`reason`) and which source
  reports it (`status_source`); an `until` without a status means the tie ended.
- A membership may be declared on the city (`networks`) or on the network (`members`) as a plain
  slug or as a mapping with dates, a role and sources; declarations of one role on both sides
  merge, and a plain slug says nothing more when a mapping names the same pair.
- Errors, each at its line with a hint: an end before the start, `ended` without `until`, an
  `until` on an active tie, a date after today (today is fixed by Config.today), a role the schema
  does not know, two declarations of one membership that disagree, one role listed twice.
- A relation is in force from the first year a source gives for its start to the last year a
  source gives for its end: a tie ended in 2022 is in force in 2015 and 2022, not in 2023.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from atlas.pipeline import Config, check
from conftest import city, entry

TODAY = date(2026, 12, 4)
LYON = "[45.764, 4.8357]"
TURIN = "[45.0703, 7.6869]"


def lyon(extra: str = "") -> str:
    return city("Lyon", "FR", LYON, extra)


def turin(extra: str = "") -> str:
    return city("Turin", "IT", TURIN, extra)


def checked(today: date = TODAY):
    errors, graph, _ = check(Config(content_dir=Path("content"), today=today))
    return [str(p) for p in sorted(errors.problems)], graph


SOURCES = "- id: council-vote\n  title: Council vote\n- id: history\n  title: History\n"


# --- partnerships ---------------------------------------------------------------------

def test_a_suspended_tie_carries_its_end_reason_and_the_source_of_the_change(tmp_path, make_site):
    make_site(tmp_path, {
        "cities/lyon.md": lyon('partners:\n  - city: turin\n    since: 1985\n    until: "2022-03-16"\n'
                               "    status: suspended\n    reason: Suspended after the invasion.\n"
                               "    status_source: council-vote\n"),
        "cities/turin.md": turin(),
        "sources.yaml": SOURCES.split("- id: history")[0],
    })
    problems, graph = checked()
    assert problems == []
    [tie] = graph.partnerships
    assert (tie.since, tie.until, tie.status, tie.reason, tie.status_source) == (
        ("1985",), ("2022-03-16",), "suspended", "Suspended after the invasion.", "council-vote")
    assert not tie.current and (tie.first_year, tie.last_year) == (1985, 2022)
    assert graph.citations[("cities", "lyon")] == ["council-vote"]  # the source of the change is cited


def test_an_until_without_a_status_means_the_tie_ended(tmp_path, make_site):
    make_site(tmp_path, {"cities/lyon.md": lyon("partners:\n  - city: turin\n    until: 2019\n"),
                         "cities/turin.md": turin()})
    problems, graph = checked()
    assert problems == [] and graph.partnerships[0].status == "ended"


def test_until_may_be_disputed_like_since(tmp_path, make_site):
    make_site(tmp_path, {"cities/lyon.md": lyon('partners:\n  - city: turin\n    since: 1991\n'
                                                '    until: ["2014-09-02", "2014-09-15"]\n    status: suspended\n'),
                         "cities/turin.md": turin()})
    problems, graph = checked()
    assert problems == [] and graph.partnerships[0].until == ("2014-09-02", "2014-09-15")


@pytest.mark.parametrize("year, in_force", [(1984, False), (1985, True), (2015, True), (2022, True), (2023, False)])
def test_a_tie_is_in_force_from_its_first_start_year_to_its_last_end_year(tmp_path, make_site, year, in_force):
    make_site(tmp_path, {"cities/lyon.md": lyon("partners:\n  - city: turin\n    since: [1985, 1987]\n"
                                                "    until: 2022\n    status: ended\n"),
                         "cities/turin.md": turin()})
    _, graph = checked()
    assert graph.partnerships[0].in_force(year) is in_force


def test_a_tie_whose_start_is_not_recorded_is_in_force_in_no_particular_year(tmp_path, make_site):
    make_site(tmp_path, {"cities/lyon.md": lyon("partners: [turin]\n"), "cities/turin.md": turin()})
    _, graph = checked()
    assert not graph.partnerships[0].in_force(2000)


def test_current_ties_come_first_on_each_city(tmp_path, make_site):
    make_site(tmp_path, {
        "cities/lyon.md": lyon("partners:\n  - city: turin\n    since: 1950\n    until: 1990\n"
                               "  - city: porto\n    since: 1990\n"),
        "cities/turin.md": turin(),
        "cities/porto.md": city("Porto", "PT", "[41.15, -8.61]"),
    })
    _, graph = checked()
    assert [p.other("lyon") for p in graph.partners_of["lyon"]] == ["porto", "turin"]


@pytest.mark.parametrize("item, problem", [
    ("    since: 1998\n    until: 1990\n",
     "content/cities/lyon.md:8: error: partners item 1, until: 1990 is before since: 1998\n"
     "  hint: a tie cannot end before it begins: check both dates against the sources"),
    ('    since: "1998-05"\n    until: "1998-04-30"\n',
     "content/cities/lyon.md:8: error: partners item 1, until: 1998-04-30 is before since: 1998-05\n"
     "  hint: a tie cannot end before it begins: check both dates against the sources"),
    ("    status: ended\n",
     "content/cities/lyon.md:7: error: partners item 1, status: ended needs an until date\n"
     '  hint: add until: YYYY (or "YYYY-MM" or "YYYY-MM-DD"), when the tie ended'),
    ("    status: active\n    until: 2019\n",
     "content/cities/lyon.md:7: error: partners item 1, status: active, but until: 2019 is given\n"
     "  hint: an until date means the tie was suspended or ended: say which in status"),
    ("    since: 2027\n",
     "content/cities/lyon.md:7: error: partners item 1, since: 2027 is in the future (today is 2026-12-04)\n"
     "  hint: the atlas records what has happened: check the date against the source"),
    ('    until: "2026-12-05"\n',
     "content/cities/lyon.md:7: error: partners item 1, until: 2026-12-05 is in the future (today is 2026-12-04)\n"
     "  hint: the atlas records what has happened: check the date against the source"),
], ids=["until-before-since", "until-before-since-by-a-day", "ended-without-until", "active-with-until",
        "since-in-the-future", "until-in-the-future"])
def test_dates_of_a_tie_that_cannot_be_are_errors_at_their_line(tmp_path, make_site, item, problem):
    make_site(tmp_path, {"cities/lyon.md": lyon("partners:\n  - city: turin\n" + item), "cities/turin.md": turin()})
    assert checked()[0] == [problem]


def test_a_date_of_this_month_or_year_is_not_in_the_future(tmp_path, make_site):
    make_site(tmp_path, {"cities/lyon.md": lyon('partners:\n  - city: turin\n    since: 2026\n'
                                                '    until: "2026-12"\n'),
                         "cities/turin.md": turin()})
    assert checked()[0] == []
    assert checked(today=date(2025, 6, 1))[0][0].startswith(
        "content/cities/lyon.md:7: error: partners item 1, since: 2026 is in the future (today is 2025-06-01)")


def test_two_declarations_of_a_tie_that_disagree_on_its_end_name_both_files(tmp_path, make_site):
    make_site(tmp_path, {"cities/lyon.md": lyon("partners:\n  - city: turin\n    until: 2019\n"),
                         "cities/turin.md": turin("partners:\n  - city: lyon\n    until: 2020\n")})
    assert checked()[0] == [
        "content/cities/turin.md:6: error: the partnership with 'lyon' disagrees with content/cities/lyon.md:6"
        " (until: 2019 vs 2020)\n  hint: declare it on one city only, or make both declarations agree"]


def test_an_end_declared_on_one_city_holds_for_both(tmp_path, make_site):
    make_site(tmp_path, {"cities/lyon.md": lyon("partners:\n  - city: turin\n    since: 1960\n"),
                         "cities/turin.md": turin("partners:\n  - city: lyon\n    until: 2019\n"
                                                  "    reason: Lapsed.\n")})
    problems, graph = checked()
    assert problems == []
    [tie] = graph.partnerships
    assert (tie.since, tie.until, tie.status, tie.reason) == (("1960",), ("2019",), "ended", "Lapsed.")


# --- memberships -----------------------------------------------------------------------

NETWORK = "name: Eurocities\n"


@pytest.mark.parametrize("city_extra, network_extra", [
    ("networks:\n  - {network: eurocities, since: 1986, role: founding-member, sources: [history]}\n", ""),
    ("", "members:\n  - {city: lyon, since: 1986, role: founding-member, sources: [history]}\n"),
    ("networks:\n  - {network: eurocities, since: 1986, role: founding-member}\n",
     "members:\n  - {city: lyon, role: founding-member, sources: [history]}\n"),
    ("networks: [eurocities]\n",
     "members:\n  - {city: lyon, since: 1986, role: founding-member, sources: [history]}\n"),
], ids=["on-the-city", "on-the-network", "merged-from-both", "a-plain-slug-says-no-more"])
def test_a_dated_membership_declared_on_either_side_is_one_record(tmp_path, make_site, city_extra, network_extra):
    make_site(tmp_path, {"cities/lyon.md": lyon(city_extra), "networks/eurocities.md": entry(NETWORK + network_extra),
                         "sources.yaml": SOURCES.split("- id: history\n")[1].join(["- id: history\n", ""])})
    problems, graph = checked()
    assert problems == []
    [membership] = graph.memberships
    assert (membership.network, membership.city, membership.role, membership.since, membership.until,
            membership.sources) == ("eurocities", "lyon", "founding-member", ("1986",), (), ("history",))
    assert graph.members_of == {"eurocities": ["lyon"]} and graph.networks_of == {"lyon": ["eurocities"]}
    assert graph.memberships_of_city == {"lyon": [membership]}
    assert graph.memberships_of_network == {"eurocities": [membership]}
    assert "history" in graph.citations[("cities", "lyon")] and "history" in graph.citations[("networks",
                                                                                               "eurocities")]


def test_a_city_may_hold_several_roles_in_a_network_each_with_its_term(tmp_path, make_site):
    make_site(tmp_path, {"cities/lyon.md": lyon(), "networks/eurocities.md": entry(
        NETWORK + "members:\n  - {city: lyon, role: founding-member, since: 1986}\n"
                  "  - {city: lyon, role: chair, since: 2010, until: 2012}\n")})
    problems, graph = checked()
    assert problems == []
    assert [(m.role, m.first_year, m.last_year, m.current) for m in graph.memberships] == [
        ("founding-member", 1986, None, True), ("chair", 2010, 2012, False)]
    assert graph.members_of == {"eurocities": ["lyon"]}


@pytest.mark.parametrize("city_item, network_item, problem", [
    ("{network: eurocities, since: 1986}", "{city: lyon, since: 1989}",
     "content/networks/eurocities.md:4: error: the membership of 'lyon' in 'eurocities' (member) disagrees with"
     " content/cities/lyon.md:6 (since: 1986 vs 1989)\n"
     "  hint: declare it on the city or the network only, or make both declarations agree"),
    ("{network: eurocities, role: chair, until: 2012}", "{city: lyon, role: chair, until: [2012, 2013]}",
     "content/networks/eurocities.md:4: error: the membership of 'lyon' in 'eurocities' (chair) disagrees with"
     " content/cities/lyon.md:6 (until: 2012 vs 2012 or 2013)\n"
     "  hint: declare it on the city or the network only, or make both declarations agree"),
], ids=["since", "until"])
def test_two_declarations_of_a_membership_that_disagree_name_both_files(tmp_path, make_site, city_item,
                                                                        network_item, problem):
    make_site(tmp_path, {"cities/lyon.md": lyon(f"networks:\n  - {city_item}\n"),
                         "networks/eurocities.md": entry(NETWORK + f"members:\n  - {network_item}\n")})
    assert checked()[0] == [problem]


@pytest.mark.parametrize("item, problem", [
    ("{city: lyon, since: 2012, until: 2010}",
     "content/networks/eurocities.md:5: error: members item 1, until: 2010 is before since: 2012\n"
     "  hint: a tie cannot end before it begins: check both dates against the sources"),
    ("{city: lyon, since: 2030}",
     "content/networks/eurocities.md:5: error: members item 1, since: 2030 is in the future (today is 2026-12-04)\n"
     "  hint: the atlas records what has happened: check the date against the source"),
    ("{city: lyon, role: president}",  # the network with an error still cites its source: not "never cited"
     "content/networks/eurocities.md:5: error: members item 1, role: 'president' is not allowed; use one of"
     " 'member', 'founding-member', 'steering-committee', 'chair', 'co-chair' or 'secretariat-host'"),
    ("{city: lyon, sources: [histroy]}",
     "content/networks/eurocities.md:5: error: source 'histroy' is not in sources.yaml\n"
     "  hint: did you mean history?"),
], ids=["until-before-since", "since-in-the-future", "unknown-role", "unknown-source"])
def test_dates_roles_and_sources_of_a_membership_are_checked(tmp_path, make_site, item, problem):
    make_site(tmp_path, {"cities/lyon.md": lyon(), "sources.yaml": "- id: history\n  title: History\n",
                         "networks/eurocities.md": entry(NETWORK + f"sources: [history]\nmembers:\n  - {item}\n")})
    assert checked()[0] == ([problem] if isinstance(problem, str) else list(problem))


def test_one_role_listed_twice_on_one_file_is_an_error(tmp_path, make_site):
    make_site(tmp_path, {"cities/lyon.md": lyon(), "networks/eurocities.md": entry(
        NETWORK + "members:\n  - {city: lyon, role: chair, since: 2010}\n  - {city: lyon, role: chair}\n")})
    assert checked()[0] == [
        "content/networks/eurocities.md:5: error: members item 2: 'lyon' as chair is listed twice (first on line 4)\n"
        "  hint: give each role once, or each term with its own `since`"]


def test_one_role_may_be_held_for_several_terms_that_do_not_overlap(tmp_path, make_site):
    make_site(tmp_path, {"cities/lyon.md": lyon(), "networks/eurocities.md": entry(
        NETWORK + "members:\n  - {city: lyon, role: co-chair, since: 2019, until: 2020}\n"
                  "  - {city: lyon, role: co-chair, since: 2022}\n")})
    problems, graph = checked()
    assert problems == []
    assert [(m.role, m.first_year, m.last_year) for m in graph.memberships] == [
        ("co-chair", 2019, 2020), ("co-chair", 2022, None)]
    assert not graph.memberships[0].in_force(2021) and graph.memberships[1].in_force(2023)


def test_terms_of_one_role_that_overlap_are_an_error(tmp_path, make_site):
    make_site(tmp_path, {"cities/lyon.md": lyon(), "networks/eurocities.md": entry(
        NETWORK + "members:\n  - {city: lyon, role: chair, since: 2010, until: 2014}\n"
                  "  - {city: lyon, role: chair, since: 2012}\n")})
    assert checked()[0] == [
        "content/networks/eurocities.md:5: error: members item 2: 'lyon' as chair overlaps the term on line 4\n"
        "  hint: give each term its `since` and `until`; terms of one role do not overlap"]


def test_a_declaration_in_another_file_joins_the_term_it_names_by_since(tmp_path, make_site):
    make_site(tmp_path, {
        "cities/lyon.md": lyon("networks:\n  - {network: eurocities, role: chair, since: 2022, sources: [history]}\n"),
        "sources.yaml": "- id: history\n  title: History\n",
        "networks/eurocities.md": entry(NETWORK + "members:\n  - {city: lyon, role: chair, since: 2010, until: 2012}\n"
                                                  "  - {city: lyon, role: chair, since: 2022}\n")})
    problems, graph = checked()
    assert problems == []
    assert [(m.first_year, m.sources, len(m.declared_in)) for m in graph.memberships] == [
        (2010, (), 1), (2022, ("history",), 2)]


def test_a_declaration_in_another_file_that_names_no_term_of_several_is_an_error(tmp_path, make_site):
    make_site(tmp_path, {
        "cities/lyon.md": lyon("networks:\n  - {network: eurocities, role: chair, since: 2016}\n"),
        "networks/eurocities.md": entry(NETWORK + "members:\n  - {city: lyon, role: chair, since: 2010, until: 2012}\n"
                                                  "  - {city: lyon, role: chair, since: 2022}\n")})
    assert checked()[0] == [
        "content/cities/lyon.md:6: error: networks item 1: 'eurocities' as chair matches none of the 2 terms"
        " declared in content/networks/eurocities.md\n  hint: give the `since` of the term it declares"]


def test_a_network_reports_its_own_member_count_with_a_source(tmp_path, make_site):
    make_site(tmp_path, {"cities/lyon.md": lyon(), "sources.yaml": "- id: history\n  title: History\n",
                         "networks/eurocities.md": entry(NETWORK + "members_reported: {count: 200, as_of: 2024,"
                                                         " source: histroy}\n")})
    assert checked()[0] == [
        "content/networks/eurocities.md:3: error: source 'histroy' is not in sources.yaml\n"
        "  hint: did you mean history?",
        "content/sources.yaml:1: warning: source 'history' is never cited"]
