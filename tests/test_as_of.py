"""Dated relations as readers and data users see them, in a real build of a small atlas.

- A suspended or ended tie, declared on one city, shows as such on both cities' pages, under
  its own heading after the current ties, labelled with its date and reason, and in the
  partnership index, the timeline, the map data and the data files.
- as-of/<year>/ lists the ties and memberships in force that year (a tie ended in 2022 is on
  the 2015 page and not on the 2023 one); as-of/ lists the years that have a page: those in
  which a tie or membership starts or ends, and the year after each end.
- A network page sets the count of members the network reports beside the count in the atlas,
  and lists former members with their roles and dates.
- The data files carry since, until, status, reason and role, with a memberships table; a
  city's JSON-LD names each network it belongs to as a schema.org Role with its dates.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from pathlib import Path

import pytest

from atlas.render.asof import as_of_years
from conftest import build_site, city, entry, write_site
from plain import section, table_rows, text

FILES = {
    "atlas.yaml": "title: Atlas\n",
    "sources.yaml": "- id: council-vote\n  title: Council vote\n- id: history\n  title: History\n",
    "cities/lyon.md": city("Lyon", "FR", "[45.76, 4.84]", (
        "partners:\n"
        "  - {city: turin, since: 1985, until: \"2022-03-16\", status: suspended,"
        " reason: Suspended after the invasion., status_source: council-vote}\n"
        "  - {city: porto, kind: friendship, since: 2010}\n"
        "networks:\n  - {network: eurocities, role: founding-member, since: 1986, sources: [history]}\n")),
    "cities/turin.md": city("Turin", "IT", "[45.07, 7.69]"),
    "cities/porto.md": city("Porto", "PT", "[41.15, -8.61]"),
    "networks/eurocities.md": entry(
        "name: Eurocities\nsources: [history]\nmembers_reported: {count: 200, as_of: 2024, source: history}\n"
        "members:\n  - {city: turin, since: 1990, until: 2015}\n  - porto\n"),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("dated")
    write_site(root, FILES)
    report = build_site(root / "content", root / "output", today=date(2026, 12, 4))
    assert report.warnings == [], report.warnings
    return root / "output"


def read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


# --- the tie on both cities, the index and the timeline ----------------------------------

@pytest.mark.parametrize("page, other", [("cities/lyon/index.html", "Turin"), ("cities/turin/index.html", "Lyon")])
def test_a_suspended_tie_shows_suspended_on_both_cities_under_its_own_heading(site, page, other):
    html = read(site, page)
    former = section(html, "former-partners")
    assert text(former).startswith("Suspended and ended partnerships")
    assert [row[0] for row in table_rows(former)] == [other]
    since, notes = table_rows(former)[0][3:]
    assert since == "1985" and re.fullmatch(r"Suspended 16 March 2022\. Suspended after the invasion\. \[ \d \]", notes)
    assert re.search(r'<tr data-dated data-since="1985" data-until="2022" class="tie-former">', former)
    assert other not in text(section(html, "partners")) if 'id="partners"' in html else True


def test_current_ties_are_listed_first_and_the_count_says_how_many_stopped(site):
    html = read(site, "cities/lyon/index.html")
    assert html.index('id="partners"') < html.index('id="former-partners"')
    assert [row[0] for row in table_rows(section(html, "partners"))] == ["Porto"]
    assert "1 <span class=\"muted\">(and 1 suspended or ended)</span>" in html


def test_the_map_draws_a_former_tie_with_its_years_and_status(site):
    data = re.search(r'id="atlas-map-data">(.*?)</script>', read(site, "cities/turin/index.html"), re.S).group(1)
    lines = [line for group in json.loads(data)["lineGroups"] for line in group["lines"]]
    assert lines == [[0, 1, "Lyon – Turin (sister city, 1985; suspended 16 March 2022)", 1985, 2022, "suspended"]]


def test_the_partnership_index_lists_former_ties_apart(site):
    html = read(site, "partnerships/index.html")
    assert [row[0] for row in table_rows(section(html, "former-heading"))] == ["Lyon – Turin"]
    assert "Lyon – Turin" not in html[:html.index('id="former-heading"')]


def test_the_timeline_shows_starts_and_ends_and_filters_by_kind_without_javascript(site):
    html = read(site, "timeline/index.html")
    assert re.search(r'<h3 class="timeline-year">2022</h3>\s*<ul class="plain-list">\s*'
                     r'<li class="timeline-end"><span class="tag tag-suspended">Suspended</span>', html)
    assert ('Lyon</a> <span class="country-code">(<abbr title="France">FR</abbr>)</span> –'
            ' <a href="/networks/eurocities/">Eurocities</a> <span class="muted">(founding member)') in html
    nav = re.search(r'<nav class="toc timeline-filters" aria-label="Show on the timeline">(.*?)</nav>', html, re.S)
    assert [text(link) for link in re.findall(r"<li>(.*?)</li>", nav.group(1), re.S)] == [
        "Everything", "Partnerships only", "Memberships only"]
    memberships = read(site, "timeline/memberships/index.html")
    assert "Eurocities" in memberships and "tag-suspended" not in memberships
    assert 'href="/timeline/memberships/" aria-current="page"' in memberships


# --- as of a year ----------------------------------------------------------------------

def test_the_years_worth_a_page_are_starts_ends_and_the_years_after_ends(site):
    assert [p.name for p in sorted((site / "as-of").iterdir()) if p.is_dir()] == [
        "1985", "1986", "1990", "2010", "2015", "2016", "2022"]  # 2023 is after every year the data names


def test_a_tie_ended_in_2022_is_shown_as_of_2015_and_not_after(site):
    in_2015 = read(site, "as-of/2015/index.html")
    assert [row[0] for row in table_rows(in_2015)] == ["Lyon – Turin", "Lyon – Porto"]
    assert "Turin" in text(section(in_2015, "memberships"))  # a member from 1990 to 2015
    in_2016 = read(site, "as-of/2016/index.html")
    assert "Turin" not in text(section(in_2016, "memberships"))
    assert [row[0] for row in table_rows(read(site, "as-of/2022/index.html"))] == ["Lyon – Turin", "Lyon – Porto"]


def test_as_of_2023_has_no_page_and_the_rule_says_why():
    class Tie:
        def __init__(self, first, last):
            self.first_year, self.last_year = first, last

    assert as_of_years([Tie(1985, 2022), Tie(2010, None)]) == [1985, 2010, 2022]
    assert as_of_years([Tie(1985, 2022), Tie(2024, None)]) == [1985, 2022, 2023, 2024]
    assert as_of_years([Tie(None, 2022)]) == []


def test_the_as_of_index_lists_each_year_with_its_counts(site):
    html = read(site, "as-of/index.html")
    assert table_rows(html)[:2] == [["1985", "1", "0"], ["1986", "1", "1"]]
    assert ["2022", "2", "1"] in table_rows(html)
    assert 'href="/as-of/2015/"' in html


def test_an_as_of_page_links_its_neighbours_and_draws_only_the_ties_in_force(site):
    html = read(site, "as-of/1986/index.html")
    assert 'href="/as-of/1985/" rel="prev"' in html and 'href="/as-of/1990/" rel="next"' in html
    data = json.loads(re.search(r'id="atlas-map-data">(.*?)</script>', html, re.S).group(1))
    assert [p[2] for p in data["points"]] == ["Lyon", "Turin"]


# --- the year control's hooks ------------------------------------------------------------

@pytest.mark.parametrize("page", ["index.html", "cities/lyon/index.html", "networks/eurocities/index.html"])
def test_home_city_and_network_pages_carry_the_year_control_and_its_script(site, page):
    html = read(site, page)
    form = re.search(r'<form class="year-control" data-year-control hidden>(.*?)</form>', html, re.S).group(1)
    assert re.search(r'<label for="year-control-input">Show (partnerships|memberships) in force in</label>', form)
    assert re.search(r'<input type="range" id="year-control-input" min="\d{4}" max="\d{4}"', form)
    assert '<output for="year-control-input"' in form
    assert re.search(r'<script src="/assets/site\.[0-9a-f]+\.js" defer></script>', html)
    assert 'href="/as-of/"' in html


# --- networks ----------------------------------------------------------------------------

def test_a_network_page_sets_the_reported_count_beside_the_atlas_count_and_lists_former_members(site):
    html = read(site, "networks/eurocities/index.html")
    assert "200 members reported in 2024; 2 in the atlas" in text(html)
    assert text(section(html, "former-members")) == "Former members in the atlas Turin — Member 1990 to 2015"
    assert "Lyon (Founding member since 1986)" in text(section(html, "members"))


# --- data --------------------------------------------------------------------------------

def rows(site: Path, name: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(read(site, f"data/{name}"))))


def test_the_data_files_carry_dates_statuses_reasons_and_roles(site):
    [suspended] = [r for r in rows(site, "partnerships.csv") if r["city_b"] == "turin"]
    assert {k: suspended[k] for k in ("since", "until", "status", "reason", "status_source")} == {
        "since": "1985", "until": "2022-03-16", "status": "suspended", "reason": "Suspended after the invasion.",
        "status_source": "council-vote"}
    assert rows(site, "memberships.csv") == [
        {"network": "eurocities", "city": "lyon", "role": "founding-member", "since": "1986", "until": "",
         "sources": "history"},
        {"network": "eurocities", "city": "porto", "role": "member", "since": "", "until": "", "sources": ""},
        {"network": "eurocities", "city": "turin", "role": "member", "since": "1990", "until": "2015",
         "sources": ""}]
    document = json.loads(read(site, "data/atlas.json"))
    assert document["memberships"][0] == {"network": "eurocities", "city": "lyon", "role": "founding-member",
                                          "since": ["1986"], "until": [], "sources": ["history"]}
    assert [p["until"] for p in document["partnerships"]] == [[], ["2022-03-16"]]


def test_json_ld_gives_memberships_as_roles_with_their_dates(site):
    def json_ld(page: str) -> dict:
        return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', read(site, page),
                                    re.S).group(1))

    assert json_ld("cities/lyon/index.html")["memberOf"] == [
        {"@type": "Role", "roleName": "Founding member", "startDate": "1986",
         "memberOf": {"@type": "Organization", "name": "Eurocities"}}]
    assert json_ld("cities/turin/index.html")["memberOf"] == [
        {"@type": "Role", "roleName": "Member", "startDate": "1990", "endDate": "2015",
         "memberOf": {"@type": "Organization", "name": "Eurocities"}}]
