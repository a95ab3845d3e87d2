"""The cast of city diplomacy: organisations, initiatives, events, people and surveys.

One small atlas holds one of each, tied to two cities and a network; its pages,
JSON-LD, open data, `atlas check` and `atlas new` are checked against it, and each
mistake an editor can make in the new fields is one `file:line: error:` with a hint.
"""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from pathlib import Path

from atlas.pipeline import check
from atlas.site import Config
from conftest import build_site, check_problems, city, entry

SOURCES = """\
- id: office-page
  title: The office's page
  url: https://example.org/office
- id: survey-report
  title: The survey report
  url: https://example.org/survey
"""

FILES = {
    "sources.yaml": SOURCES,
    "cities/lyon.md": city("Lyon", "FR", "[45.76, 4.84]", body="A city.\n"),
    "cities/turin.md": city("Turin", "IT", "[45.07, 7.69]", body="Near [[lyon]].\n"),
    "networks/eurocities.md": entry("name: Eurocities\nmembers: [lyon, turin]\n", "A network.\n"),
    "organisations/lyon-international.md": entry("""\
        name: Lyon International Office
        short_name: LIO
        kind: office
        city: lyon
        founded: 1989
        head:
          - {person: marie-curie, title: Director, since: 2010, until: 2015, sources: [office-page]}
          - {person: jean-moulin, title: Director, since: "2015-09"}
        website: https://example.org/lyon
        sources: [office-page]
        """, "The office of [[lyon]].\n"),
    "organisations/lyon-twinning-unit.md": entry("name: Twinning Unit\nparent: lyon-international\n",
                                                 "Part of [[lyon-international]].\n"),
    "people/marie-curie.md": entry("""\
        name: Marie Curie
        roles:
          - {role: Chair, network: eurocities, since: 2012, until: 2014, sources: [office-page]}
          - {role: Mayor, city: turin, since: 2016}
        """, "Led [[lyon-international]].\n"),
    "people/jean-moulin.md": entry("name: Jean Moulin\n", "Runs [[lyon-international]].\n"),
    "events/lyon-forum-2019.md": entry("""\
        name: Lyon Forum 2019
        kind: forum
        date: "2019-06-03"
        end: "2019-06-05"
        host: lyon
        network: eurocities
        participants:
          - {city: turin, role: guest}
          - {person: marie-curie, role: speaker}
          - {organisation: lyon-international, role: organiser}
        """, "Mayors met.\n"),
    "initiatives/lyon-pledge.md": entry("""\
        name: Lyon Climate Pledge
        kind: pledge
        launched: "2018-12"
        convenor: {network: eurocities, role: secretariat}
        participants:
          - {city: lyon, role: founding member, since: 2018}
          - {city: turin, since: 2019, until: 2021, sources: [office-page]}
        themes: [climate]
        figures:
          - {statement: Cities that signed, value: 76, unit: cities, year: "2019-06", source: office-page}
        """, "A pledge.\n"),
    "themes/climate.md": entry("name: Climate\n", "Climate. See [[lyon-pledge]] and [[city-survey]].\n"),
    "surveys/city-survey.md": entry("""\
        title: A Survey of City Diplomacy
        published: "2020-05"
        publishers: [lyon-international]
        authors: [Ada Lovelace]
        sample: 47
        cities: [turin]
        findings:
          - {statement: Cities with an international office, value: 86, unit: percent, year: 2020, source: survey-report}
          - {statement: Cities that train their staff, value: few, unit: qualitative}
        """, "What it found.\n"),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The small atlas, built once: its output folder."""
    from conftest import write_site

    root = tmp_path_factory.mktemp("cast")
    content = write_site(root, FILES)
    assert build_site(content, root / "output", base_url="https://example.org/") is not None
    return root / "output"


def page(site, route: str) -> str:
    return (site / route / "index.html").read_text(encoding="utf-8")


def json_ld(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def table(site, name: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO((site / "data" / f"{name}.csv").read_text(encoding="utf-8"))))


# --- pages ---------------------------------------------------------------------

def test_a_city_page_lists_its_offices_and_the_events_it_hosted(site):
    lyon = page(site, "cities/lyon")
    section = lyon[lyon.index('id="in-city"'):]
    assert "<h3>Organisations</h3>" in section and "<h3>Events</h3>" in section
    assert '<a href="/organisations/lyon-international/">Lyon International Office</a>' in section
    assert '<a href="/events/lyon-forum-2019/">Lyon Forum 2019</a>' in section
    assert "Twinning Unit" not in section  # part of the office, not of the city
    assert 'id="in-city"' not in page(site, "cities/turin")  # nothing lies in Turin


def test_an_organisation_page_shows_its_city_heads_with_dates_and_parts(site):
    html = page(site, "organisations/lyon-international")
    text = text_of(html)
    assert "Organisations · International-affairs office" in text
    assert "Marie Curie , Director (2010–2015)" in text
    assert "Jean Moulin , Director (since September 2015)" in text
    assert '<a href="/cities/lyon/">Lyon</a>' in html
    assert '<a href="/organisations/lyon-twinning-unit/">Twinning Unit</a>' in html  # its part
    assert "Part of" in text_of(page(site, "organisations/lyon-twinning-unit"))


def test_a_person_page_shows_their_roles_and_the_organisations_they_led(site):
    text = text_of(page(site, "people/marie-curie"))
    assert "Chair, Eurocities (2012–2014)" in text
    assert "Mayor, Turin (since 2016)" in text
    assert "Director, Lyon International Office (2010–2015)" in text  # from the office's `head`
    assert "Director, Lyon International Office (since September 2015)" in text_of(page(site, "people/jean-moulin"))


def test_an_event_page_shows_its_dates_host_and_participants(site):
    html = page(site, "events/lyon-forum-2019")
    text = text_of(html)
    assert "3 June 2019 to 5 June 2019" in text
    assert "Host city Lyon" in text and "Convened by Eurocities" in text
    participants = text_of(html[html.index('id="participants"'):])
    assert "Turin City guest" in participants
    assert "Marie Curie Person speaker" in participants
    assert "Lyon International Office Organisation organiser" in participants
    # the people and organisations named are linked back from their pages
    assert "Lyon Forum 2019" in page(site, "people/marie-curie")


def test_an_initiative_page_shows_its_convenor_figures_and_participants_with_dates(site):
    html = page(site, "initiatives/lyon-pledge")
    text = text_of(html)
    assert "Launched December 2018" in text and "Convened by Eurocities (secretariat)" in text
    figures = text_of(html[html.index('id="figures"'):html.index('id="participants"')])
    assert "Cities that signed 76 cities June 2019" in figures
    participants = text_of(html[html.index('id="participants"'):])
    assert "Lyon City founding member since 2018" in participants
    assert "Turin City not recorded 2019–2021" in participants.replace(" [ 1 ]", "")


def test_a_survey_page_has_its_findings_as_a_table(site):
    html = page(site, "surveys/city-survey")
    findings = html[html.index('id="findings"'):]
    assert '<table class="data-table stack-on-phone">' in findings and "<caption" in findings
    assert '<th scope="col">Finding</th><th scope="col">Value</th>' in findings
    rows = re.findall(r"<tr>(.*?)</tr>", findings[findings.index("<tbody>"):], re.S)
    assert "Cities with an international office" in rows[0] and "86%" in rows[0] and "2020" in rows[0]
    assert "Cities that train their staff" in rows[1] and ">few<" in rows[1] and "not given" in rows[1]
    assert 'href="/data/findings.csv"' in findings
    assert "Cities surveyed 47" in text_of(html)


@pytest.mark.parametrize("route, label", [
    ("organisations", "Organisations"), ("initiatives", "Initiatives"), ("events", "Events"),
    ("people", "People"), ("surveys", "Surveys"),
])
def test_each_kind_has_its_index_in_the_navigation_and_a_search_filter(site, route, label):
    index = page(site, route)
    assert f"<h1>{label}</h1>" in index
    assert f'<a href="/{route}/"' in page(site, "")  # in the navigation bar
    singular = {"People": "Person"}.get(label, label[:-1])
    first = next((site / route).glob("*/index.html")).read_text(encoding="utf-8")
    assert f'data-pagefind-filter="kind[data-value]" data-value="{singular}"' in first


def test_the_events_index_goes_by_year_and_the_timeline_and_feed_have_events(site):
    assert '<h2 id="year-2019">2019</h2>' in page(site, "events")
    timeline = page(site, "timeline")
    assert '<span class="tag">Event</span> <a href="/events/lyon-forum-2019/">' in timeline
    assert '<span class="tag">Initiative</span> <a href="/initiatives/lyon-pledge/">' in timeline
    assert '<span class="tag">Survey</span> <a href="/surveys/city-survey/">' in timeline
    feed = (site / "feed.xml").read_text(encoding="utf-8")
    assert "<title>Lyon Forum 2019</title>" in feed and "<updated>2019-06-03T00:00:00Z</updated>" in feed


# --- JSON-LD -------------------------------------------------------------------

def test_json_ld_of_an_organisation(site):
    ld = json_ld(page(site, "organisations/lyon-international"))
    assert ld["@type"] == "Organization" and ld["alternateName"] == "LIO"
    assert ld["location"] == {"@type": "City", "name": "Lyon"}
    assert ld["sameAs"] == "https://example.org/lyon" and ld["foundingDate"] == "1989"
    assert ld["employee"] == [{"@type": "Person", "name": "Jean Moulin", "jobTitle": "Director"}]
    unit = json_ld(page(site, "organisations/lyon-twinning-unit"))
    assert unit["parentOrganization"] == {"@type": "Organization", "name": "Lyon International Office"}


def test_json_ld_of_a_person_has_roles_with_dates(site):
    ld = json_ld(page(site, "people/marie-curie"))
    assert ld["@type"] == "Person"
    assert ld["memberOf"] == [
        {"@type": "Role", "roleName": "Chair", "memberOf": {"@type": "Organization", "name": "Eurocities"},
         "startDate": "2012", "endDate": "2014"},
        {"@type": "Role", "roleName": "Mayor", "memberOf": {"@type": "City", "name": "Turin"}, "startDate": "2016"},
    ]


def test_json_ld_of_an_event_an_initiative_and_a_survey(site):
    event = json_ld(page(site, "events/lyon-forum-2019"))
    assert (event["@type"], event["startDate"], event["endDate"]) == ("Event", "2019-06-03", "2019-06-05")
    assert event["location"]["name"] == "Lyon" and event["organizer"]["name"] == "Eurocities"
    assert {"@type": "Person", "name": "Marie Curie"} in event["attendee"]
    initiative = json_ld(page(site, "initiatives/lyon-pledge"))
    assert initiative["@type"] == "Project" and initiative["foundingDate"] == "2018-12"
    assert initiative["member"] == [{"@type": "City", "name": "Lyon"}, {"@type": "City", "name": "Turin"}]
    survey = json_ld(page(site, "surveys/city-survey"))
    assert (survey["@type"], survey["datePublished"]) == ("Report", "2020-05")
    assert survey["publisher"] == [{"@type": "Organization", "name": "Lyon International Office"}]
    assert survey["author"] == [{"@type": "Person", "name": "Ada Lovelace"}]


# --- open data -----------------------------------------------------------------

def test_each_kind_has_its_rows_in_the_open_data(site):
    assert table(site, "organisations")[1:] == [
        ["lyon-international", "Lyon International Office", "office", "lyon", "", "1989", "jean-moulin",
         "https://example.org/lyon", "https://example.org/organisations/lyon-international/", ""],
        ["lyon-twinning-unit", "Twinning Unit", "", "", "lyon-international", "", "", "",
         "https://example.org/organisations/lyon-twinning-unit/", ""]]  # the last column: its Wikidata id
    assert table(site, "events")[1][:8] == ["lyon-forum-2019", "Lyon Forum 2019", "forum", "2019-06-03", "2019-06-05",
                                            "lyon", "eurocities", "turin marie-curie lyon-international"]
    assert table(site, "people")[1:] == [
        ["jean-moulin", "Jean Moulin", "0", "", "https://example.org/people/jean-moulin/", ""],
        ["marie-curie", "Marie Curie", "2", "", "https://example.org/people/marie-curie/", ""]]
    assert table(site, "roles")[1:] == [
        ["marie-curie", "Marie Curie", "Chair", "network", "eurocities", "2012", "2014", "office-page",
         "https://example.org/people/marie-curie/"],
        ["marie-curie", "Marie Curie", "Mayor", "city", "turin", "2016", "", "", "https://example.org/people/marie-curie/"]]
    assert table(site, "initiative-participants")[1:] == [
        ["lyon-pledge", "city", "lyon", "founding member", "2018", "", ""],
        ["lyon-pledge", "city", "turin", "", "2019", "2021", "office-page"]]
    document = json.loads((site / "data/atlas.json").read_text(encoding="utf-8"))
    assert {"organisations", "initiatives", "events", "people", "surveys"} <= set(document)
    assert document["initiatives"][0]["figures"] == [{"statement": "Cities that signed", "value": 76, "unit": "cities",
                                                      "year": "2019-06", "source": "office-page"}]


def test_survey_findings_are_published_as_a_csv(site):
    assert table(site, "findings") == [
        ["survey", "statement", "value", "unit", "year", "source", "url"],
        ["city-survey", "Cities with an international office", "86", "percent", "2020", "survey-report",
         "https://example.org/surveys/city-survey/"],
        ["city-survey", "Cities that train their staff", "few", "qualitative", "", "",
         "https://example.org/surveys/city-survey/"]]


def test_sources_named_in_list_items_are_cited_by_the_entry(site):
    office = page(site, "organisations/lyon-international")
    assert 'id="ref-office-page"' in office
    survey = page(site, "surveys/city-survey")
    assert 'id="ref-survey-report"' in survey and '<a href="#ref-survey-report" aria-label="Source 1">1</a>' in survey
    assert "A Survey of City Diplomacy" in page(site, "sources/survey-report")


# --- mistakes an editor can make -----------------------------------------------

HINT_DATES = "  hint: check the two dates: `since` is when it began, `until` when it ended"


@pytest.mark.parametrize("path, text, expected", [
    ("organisations/lyon-international.md", "name: X\nhead: {person: marie-curie, since: 2017, until: 2015}\n",
     "content/organisations/lyon-international.md:3: error: head item 1: until 2015 is before since 2017\n"
     + HINT_DATES),
    ("organisations/lyon-international.md", "name: X\nkind: embassy\n",
     "content/organisations/lyon-international.md:3: error: kind: 'embassy' is not allowed; use one of 'office',"
     " 'agency', 'ngo', 'think-tank', 'university', 'company', 'funder' or 'other'"),
    ("events/lyon-forum-2019.md", "name: X\ndate: \"2019-06-05\"\nend: \"2019-06-03\"\n",
     "content/events/lyon-forum-2019.md:4: error: end: 3 June 2019 is before the first day, 5 June 2019\n"
     "  hint: `date` is the first day of the event, `end` its last"),
    ("events/lyon-forum-2019.md", "name: X\nparticipants:\n  - {city: turin, person: marie-curie}\n",
     "content/events/lyon-forum-2019.md:4: error: participants item 1: name exactly one city, organisation,"
     " network or person (it names city and person)\n"
     "  hint: write one item per entry, such as `- {city: lyon, role: host}`"),
    ("events/lyon-forum-2019.md", "name: X\nparticipants:\n  - {role: guest}\n",
     "content/events/lyon-forum-2019.md:4: error: participants item 1: name exactly one city, organisation,"
     " network or person (it names none)\n"
     "  hint: write one item per entry, such as `- {city: lyon, role: host}`"),
    ("initiatives/lyon-pledge.md", "name: X\nconvenor: {person: marie-curie}\n",
     "content/initiatives/lyon-pledge.md:3: error: convenor: a convenor is an organisation, a network or a city,"
     " not a person\n  hint: name the person among the `participants`, with their role"),
    ("initiatives/lyon-pledge.md", "name: X\nlaunched: 2018\nended: 2016\n",
     "content/initiatives/lyon-pledge.md:4: error: ended: 2016 is before the launch, 2018\n"
     "  hint: `launched` is when it began, `ended` when it ended"),
    ("people/marie-curie.md", "name: X\nroles:\n  - {role: Chair, city: lyon, network: eurocities}\n",
     "content/people/marie-curie.md:4: error: roles item 1: a role is held in one place, not in city and network\n"
     "  hint: write two roles, one for each"),
    ("surveys/city-survey.md", "title: X\nsample: 0\n",
     "content/surveys/city-survey.md:3: error: sample: the number 0 is below the smallest allowed, 1"),
    ("surveys/city-survey.md", "title: X\nfindings:\n  - {value: 3}\n",
     "content/surveys/city-survey.md:4: error: missing required field 'findings item 1, statement'"),
])
def test_a_mistake_in_a_new_field_is_one_error_with_its_line(tmp_path, make_site, path, text, expected):
    make_site(tmp_path, {**FILES, path: entry(text, "Text.\n")})
    problems = [p for p in check_problems() if "error" in p]
    assert problems == [expected]


@pytest.mark.parametrize("path, text, expected", [
    ("organisations/lyon-international.md", "name: X\nhead: {person: marie-curei}\n",
     "content/organisations/lyon-international.md:3: error: head 'marie-curei' does not exist\n"
     "  hint: did you mean marie-curie?"),
    ("organisations/lyon-international.md", "name: X\ncity: lyonn\n",
     "content/organisations/lyon-international.md:3: error: city 'lyonn' does not exist\n  hint: did you mean lyon?"),
    ("events/lyon-forum-2019.md", "name: X\nhost: turinn\n",
     "content/events/lyon-forum-2019.md:3: error: host city 'turinn' does not exist\n  hint: did you mean turin?"),
    ("initiatives/lyon-pledge.md", "name: X\nparticipants:\n  - {network: eurocites}\n",
     "content/initiatives/lyon-pledge.md:4: error: participant network 'eurocites' does not exist\n"
     "  hint: did you mean eurocities?"),
    ("surveys/city-survey.md", "title: X\nfindings:\n  - {statement: S, source: survey-reprt}\n",
     "content/surveys/city-survey.md:4: error: source 'survey-reprt' is not in sources.yaml\n"
     "  hint: did you mean survey-report?"),
    ("people/marie-curie.md", "name: X\nroles:\n  - {role: Chair, network: eurocites}\n",
     "content/people/marie-curie.md:4: error: network 'eurocites' does not exist\n  hint: did you mean eurocities?"),
])
def test_a_name_that_does_not_resolve_is_an_error_with_a_close_match(tmp_path, make_site, path, text, expected):
    make_site(tmp_path, {**FILES, path: entry(text, "Text.\n")})
    assert [p for p in check_problems() if "error" in p] == [expected]


def test_atlas_check_wants_a_source_for_the_facts_of_the_new_kinds(tmp_path, make_site):
    make_site(tmp_path, {**FILES, "organisations/bare.md": entry("name: Bare\ncity: turin\nfounded: 2001\n"),
                         "events/bare-event.md": entry("name: Bare Event\ndate: 2001\nhost: turin\n")})
    errors, _, _ = check(Config(content_dir=Path("content")), advice=True)
    problems = [str(p) for p in sorted(errors.problems)]
    assert "content/organisations/bare.md:4: warning: founded, city given without a source\n" \
           "  hint: add `sources: [source-id]`" in problems
    assert "content/events/bare-event.md:3: warning: date, host given without a source\n" \
           "  hint: add `sources: [source-id]`" in problems
    # an office is listed on its city's page and an event on its host's: neither is an orphan
    assert not [p for p in problems if "orphan" in p and "bare" in p]


# --- atlas new -------------------------------------------------------------------

@pytest.mark.parametrize("args, path, starts", [
    (("organisation", "Turin Office", "--city", "turin"), "organisations/turin-office.md",
     "---\nname: Turin Office\ncity: turin\n"),
    (("initiative", "Turin Pledge", "--date", "2019-06"), "initiatives/turin-pledge.md",
     '---\nname: Turin Pledge\nlaunched: "2019-06"\n'),
    (("event", "Turin Summit", "--date", "2021", "--city", "turin"), "events/turin-summit.md",
     '---\nname: Turin Summit\ndate: "2021"\nhost: turin\n'),
    (("person", "Ada Lovelace"), "people/ada-lovelace.md", "---\nname: Ada Lovelace\n"),
    (("survey", "Cities Abroad", "--date", "2022-03-01"), "surveys/cities-abroad.md",
     '---\ntitle: Cities Abroad\npublished: "2022-03-01"\n'),
])
def test_atlas_new_makes_each_new_kind_and_check_accepts_it(tmp_path, make_site, run_cli, args, path, starts):
    make_site(tmp_path, FILES)
    result = run_cli("new", *args)
    assert (result.exit_code, result.stdout) == (0, f"wrote content/{path}\n")
    text = (tmp_path / "content" / path).read_text(encoding="utf-8")
    assert text.startswith(starts)
    assert "# sources:" in text  # every optional field is offered, commented out
    assert not [p for p in check_problems() if "error" in p]


def test_atlas_new_offers_the_fields_of_list_items(tmp_path, make_site, run_cli):
    make_site(tmp_path, FILES)
    run_cli("new", "organisation", "Milan Office")
    text = (tmp_path / "content/organisations/milan-office.md").read_text(encoding="utf-8")
    assert re.search(r"^#   - person: nina-hachigian +# the slug of the person$", text, re.M)
    assert re.search(r"^#     until: 2021 +# when they left; not before `since`$", text, re.M)


def test_an_event_has_one_host_city(tmp_path, make_site, run_cli):
    make_site(tmp_path, FILES)
    result = run_cli("new", "event", "Two Hosts", "--city", "lyon", "--city", "turin")
    assert result.exit_code == 1
    assert "an event has one host city" in result.stderr


def test_a_case_study_may_name_organisations_initiatives_events_and_people(tmp_path, make_site):
    content = make_site(tmp_path, {**FILES, "case-studies/forum-story.md": entry("""\
        title: The Forum Story
        cities: [lyon]
        organisations: [lyon-international]
        initiatives: [lyon-pledge]
        events: [lyon-forum-2019]
        people: [marie-curie]
        """, "What happened.\n")})
    assert build_site(content, tmp_path / "output") is not None
    study = text_of(page(tmp_path / "output", "case-studies/forum-story"))
    assert "Organisations Lyon International Office" in study and "Initiatives Lyon Climate Pledge" in study
    assert "Events Lyon Forum 2019" in study and "People Marie Curie" in study
    for route in ("organisations/lyon-international", "initiatives/lyon-pledge", "events/lyon-forum-2019",
                  "people/marie-curie"):
        assert '<a href="/case-studies/forum-story/">The Forum Story</a>' in page(tmp_path / "output", route)
