"""Registers: `atlas import twinnings` on Wikidata results and the Twin Cities dataset, and `atlas reconcile`.

The fixtures in tests/fixtures/registers/ hold the same Wikidata result as the
query service writes it in CSV, TSV and JSON (with variables in other orders
and one unused), and a Twin Cities table. The atlas below has two Springfields
with Q-ids, a Hamburg without one, a Paris whose coordinates are Lyon's and a
Lyon with a mistyped Q-id, so every kind of difference is met.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import sys
from pathlib import Path

import pytest

from atlas.editing.importer import plan_import
from atlas.editing.importer.cities import compare_tie
from atlas.editing.importer.table import Side, Twinning
from atlas.editing.importer.registers import VARIABLES, read_rows, wikidata_date
from atlas.content.fields import WIKIDATA_ITEM
from conftest import check_problems, city, json_ld_of, snapshot

FIXTURES = Path(__file__).parent / "fixtures" / "registers"
SITE = {
    "sources.yaml": "- id: twinnings\n  title: Sister cities of the world\n",
    "cities/berlin.md": city("Berlin", "DE", "[52.52, 13.405]", "wikidata: Q64\npartners:\n"
                             "  - {city: paris, since: 1987}\n  - {city: lyon, since: [1990, 1992]}\n"
                             "  - {city: rome, since: 1960}\n", "Berlin.\n"),
    "cities/paris.md": city("Paris", "FR", "[45.76, 4.84]", "wikidata: Q90\n"),
    "cities/lyon.md": city("Lyon", "FR", "[45.76, 4.84]", "wikidata: Q4560\n"),
    "cities/rome.md": city("Rome", "IT", "[41.89, 12.48]"),
    "cities/hamburg.md": city("Hamburg", "DE", "[53.55, 10.0]", "partners:\n  - city: marseille\n    since: 1957\n"),
    "cities/marseille.md": city("Marseille", "FR", "[43.3, 5.37]"),
    "cities/springfield-il.md": city("Springfield", "US", "[39.80, -89.64]", "wikidata: Q28515\n"),
    "cities/springfield-ma.md": city("Springfield", "US", "[42.10, -72.59]", "wikidata: Q49158\n"),
}
WIKIDATA = ("germany.csv", "germany.tsv", "germany.json")


def site_with(tmp_path, make_site, *fixtures: str) -> Path:
    make_site(tmp_path, SITE)
    for name in fixtures:
        shutil.copy(FIXTURES / name, tmp_path / name)
    return tmp_path / "content"


def read(tmp_path, relative: str) -> str:
    return (tmp_path / "content" / relative).read_text(encoding="utf-8")


# --- reading the formats ---------------------------------------------------------

@pytest.mark.parametrize("value, precision, written", [
    ("1960-01-01T00:00:00Z", "9", "1960"),  # Wikidata's year: not 1 January
    ("1960-10-01T00:00:00Z", "10", "1960-10"),
    ("1960-10-03T00:00:00Z", "11", "1960-10-03"),
    ("+1960-10-03T00:00:00Z", "11", "1960-10-03"),
    ("1960-01-01T00:00:00Z", "", "1960"),  # no precision: 1 January at midnight is how a year is stored
    ("1960-03-01T00:00:00Z", "", "1960-03-01"),
    ("1960-01-01T00:00:00Z", "11", "1960-01-01"),  # the precision says it is that day
    ("", "9", ""),
    ("http://www.wikidata.org/.well-known/genid/abc", "", ""),  # "unknown value"
])
def test_wikidata_times_become_the_atlas_dates_their_precision_allows(value, precision, written):
    assert wikidata_date(value, precision) == written


@pytest.mark.parametrize("value, precision, message", [
    ("1960-01-01T00:00:00Z", "8", "start 1960-01-01T00:00:00Z is known only to the decade or less (precision 8);"
                                  " the atlas needs at least a year"),
    ("around 1960", "", "start 'around 1960' is not a date such as 1960-10-03T00:00:00Z"),
    ("1960-01-01T00:00:00Z", "year", "startPrecision 'year' is not a number (9 year, 10 month, 11 day)"),
])
def test_times_the_atlas_cannot_write_are_refused_with_why(value, precision, message):
    with pytest.raises(ValueError, match="^" + message.replace("(", r"\(").replace(")", r"\)") + "$"):
        wikidata_date(value, precision)


@pytest.mark.parametrize("ours, theirs, differences", [
    ({"since": 1991}, "1991", []),
    ({"since": "1991-08-28"}, "1991", []),  # the register knows only the year of the signing
    ({"since": "1991-08"}, "1991-08-28", []),  # or the atlas knows only the month
    ({"since": ["1990", "1992-05"]}, "1992", []),  # sources differ; one of them agrees
    ({"since": "1991-08-28"}, "1991-09", [("since", "1991-08-28", "1991-09")]),
    ({"since": 1991}, "1992-01-01", [("since", "1991", "1992-01-01")]),
    ({"since": "1919-10"}, "1919-1", [("since", "1919-10", "1919-1")]),  # a prefix that is no date part
    ({}, "1991", [("since", "none", "1991")]),
])
def test_register_dates_agree_with_the_atlas_when_the_finer_lies_within_the_coarser(ours, theirs, differences):
    side = Side(name="Berlin", country="DE", coordinates=None)
    tie = Twinning(row=2, a=side, b=side, kind=None, since=theirs, sources=(), note=None)
    assert compare_tie(ours, tie) == differences


def test_the_three_wikidata_formats_read_as_the_same_rows():
    """CSV, TSV (RDF terms, `?` headers) and JSON bindings, in three variable orders, give the same cells."""
    read = {name: read_rows(FIXTURES / name, name) for name in WIKIDATA}
    assert [r.format for r in read.values()] == ["wikidata-csv", "wikidata-tsv", "wikidata-json"]
    csv_rows, tsv_rows, json_rows = (r.records for r in read.values())
    assert csv_rows == tsv_rows == json_rows
    berlin_paris = csv_rows[0]
    assert berlin_paris.number == 2
    assert berlin_paris.cells == {
        "wikidata_a": "Q64", "city_a": "Berlin", "country_a": "Germany", "lon_a": "13.383333333",
        "lat_a": "52.516666666", "wikidata_b": "Q90", "city_b": "Paris", "country_b": "France",
        "lon_b": "2.351388888", "lat_b": "48.856944444", "year": "1987", "until": ""}
    assert [str(n) for n in read["germany.tsv"].notes] == ["germany.tsv row 1: warning: variable 'sitelinks' is not used"]
    assert [str(n) for n in read["germany.json"].notes] == ["germany.json row 1: warning: variable 'article' is not used"]


def test_the_documented_queries_select_exactly_the_variables_the_reader_takes():
    """docs/commands.md and the README give the SPARQL an editor runs; its SELECT must name what read_rows reads."""
    root = Path(__file__).resolve().parent.parent
    docs = (root / "docs" / "commands.md").read_text(encoding="utf-8")
    readme = (root / "README.md").read_text(encoding="utf-8")
    queries = re.findall(r"```sparql\n(.*?)```", docs, re.DOTALL)
    assert len(queries) == 2  # a country, a city
    readme_queries = re.findall(r"```sparql\n(.*?)```", readme, re.DOTALL)
    assert len(readme_queries) == 1 and readme_queries[0] in queries[0]  # the country's, without its PREFIX lines
    for query in queries:
        selected = re.search(r"SELECT (.*?)\nWHERE", query, re.DOTALL).group(1).split()
        assert {v.lstrip("?").lower() for v in selected} == {
            v for v in VARIABLES if not v.endswith("countrycode")}
        assert query.count("{") == query.count("}")


def test_the_twin_cities_dataset_is_read_as_a_table():
    rows = read_rows(FIXTURES / "twin-cities.csv", "twin-cities.csv")
    assert rows.format == "table"
    assert rows.records[2].cells == {"city_a": "Hamburg", "country_a": "Germany", "lat_a": "53.55", "lon_a": "10.0",
                                     "city_b": "Marseille", "country_b": "France", "lat_b": "43.296",
                                     "lon_b": "5.37"}


def test_country_codes_stand_for_country_labels(tmp_path, make_site, run_cli):
    site_with(tmp_path, make_site)
    (tmp_path / "codes.csv").write_text(
        "item,itemLabel,itemCountryCode,twin,twinLabel,twinCountryCode,start\n"
        "http://www.wikidata.org/entity/Q1726,Munich,DE,Q2044,Florence,IT,1960-01-01T00:00:00Z\n")
    result = run_cli("import", "twinnings", "codes.csv")
    assert (result.exit_code, result.stderr) == (0, "")
    assert "  - city: florence\n    since: 1960\n" in read(tmp_path, "cities/munich.md")
    assert "\nwikidata: Q2044\n" in read(tmp_path, "cities/florence.md")


def test_a_spreadsheet_formula_in_a_register_label_is_defused_in_the_csv_report(tmp_path, make_site, run_cli):
    site_with(tmp_path, make_site)
    (tmp_path / "r.csv").write_text("item,itemLabel,itemCountryLabel,twin,twinLabel,twinCountryLabel\n"
                                    "Q64,Berlin,Germany,Q1,\"=HYPERLINK(\"\"http://x\"\")\",France\n")
    result = run_cli("reconcile", "twinnings", "r.csv", "--format", "csv")
    rows = list(csv.DictReader(result.stdout.splitlines()))
    assert [(r["difference"], r["city_b"]) for r in rows] == [
        ("only-in-register", "'=HYPERLINK(\"http://x\") (FR, Q1)"), ("only-in-atlas", "paris"),
        ("only-in-atlas", "lyon"), ("only-in-atlas", "rome")]


@pytest.mark.parametrize("text, message", [
    ('{"head": {"vars": ["item"]}, "results": ', "q.json: line 1: not readable as JSON: Expecting value"),
    ('{"boolean": true}', "q.json: not a SPARQL JSON result: it needs head.vars and results.bindings"
                          " (download the query service's result as JSON)"),
])
def test_a_json_file_that_is_no_query_result_is_refused(tmp_path, make_site, run_cli, text, message):
    site_with(tmp_path, make_site)
    (tmp_path / "q.json").write_text(text)
    result = run_cli("import", "twinnings", "q.json")
    assert (result.exit_code, result.stderr) == (1, f"error: {message}\n")


def test_a_result_without_the_needed_variables_is_refused(tmp_path, make_site, run_cli):
    site_with(tmp_path, make_site)
    (tmp_path / "q.json").write_text(json.dumps({"head": {"vars": ["item", "twin", "itemLabel"]},
                                                 "results": {"bindings": []}}))
    result = run_cli("import", "twinnings", "q.json")
    assert result.exit_code == 1
    assert result.stderr == ("error: q.json: the result has no variable twinLabel, itemCountryLabel, twinCountryLabel"
                             " (it needs item, itemLabel, twin, twinLabel, itemCountryLabel, twinCountryLabel;"
                             " see the query in docs/commands.md)\n")


# --- importing ---------------------------------------------------------------------

EXPECTED_REPORT = [
    "{f} row 1: warning: variable '{unused}' is not used",
    "{f} row 2: skipped: already declared in content/cities/berlin.md",
    "{f} row 4: merged: added to content/cities/hamburg.md:6 (hamburg – marseille): until 2000-06-15, status ended;"
    " since 1957 in content/cities/hamburg.md:6, 1958 in the register (the file's is kept)",
    "{f} row 4: merged: wikidata Q1055 added to content/cities/hamburg.md:4 (Hamburg, DE)",
    "{f} row 4: merged: wikidata Q23482 added to content/cities/marseille.md:4 (Marseille, FR)",
    "{f} row 7: skipped: twinLabel is empty (Q99999999 has no label in the query's language)",
    "{f} row 8: skipped: twinCountryLabel is empty",
    "{f} row 9: skipped: Lyon (Q456) is within 50 km of content/cities/lyon.md:5 (wikidata: Q4560): correct the id in"
    " the file or in the register",
]


@pytest.mark.parametrize("fixture, unused", [("germany.csv", None), ("germany.tsv", "sitelinks"),
                                             ("germany.json", "article")])
def test_a_wikidata_result_imports_by_q_id_with_its_dates_and_ends(tmp_path, make_site, run_cli, fixture, unused):
    site_with(tmp_path, make_site, fixture)
    result = run_cli("import", "twinnings", fixture)
    assert result.exit_code == 1  # rows with problems
    expected = [line.format(f=fixture, unused=unused) for line in EXPECTED_REPORT]
    assert result.stderr.splitlines() == (expected if unused else expected[1:])
    assert result.stdout.splitlines() == [
        "updated content/cities/berlin.md",
        "  + partner madrid (1988)",
        "  + partner moscow (1991, until 2022-03)",
        "updated content/cities/hamburg.md",
        "  ~ wikidata Q1055 added",
        "  ~ partner marseille: until 2000-06-15, status ended added",
        "created content/cities/madrid.md",
        "updated content/cities/marseille.md",
        "  ~ wikidata Q23482 added",
        "created content/cities/moscow.md",
        "updated content/cities/springfield-ma.md",
        "  + partner paris (1975-05)",
        "created content/cities/springfield.md",
        "  + partner berlin (1960-10-03)",
        "imported 4 partnerships (and dates added to 1 already there): 3 cities created, 4 updated,"
        " 4 rows skipped; Wikidata ids added to 2 cities",
    ]
    # Berlin by Q64, its lines kept byte for byte; year precision gives a year, an end gives until and ended.
    assert read(tmp_path, "cities/berlin.md") == SITE["cities/berlin.md"].replace(
        "  - {city: rome, since: 1960}\n", "  - {city: rome, since: 1960}\n  - {city: madrid, since: 1988}\n"
        "  - {city: moscow, since: 1991, until: \"2022-03\", status: ended}\n")
    assert read(tmp_path, "cities/moscow.md") == (
        "---\nname: Moscow\ncountry: RU\nwikidata: Q649\ncoordinates: [55.75583, 37.61778]\n"
        "summary: City in Russia.\n---\nTwinned with [[berlin]] from 1991 until 2022-03.\n")
    # Springfield, Massachusetts by its Q-id although two files are called Springfield; Missouri's is a new one.
    assert read(tmp_path, "cities/springfield-ma.md").endswith("partners:\n  - {city: paris, since: \"1975-05\"}\n---\n")
    assert read(tmp_path, "cities/springfield.md").startswith(
        "---\nname: Springfield\ncountry: US\nwikidata: Q28513\ncoordinates: [37.196, -93.298]\n")
    # An editor's dates are never overwritten: Hamburg's tie keeps its 1957 and gains the register's end;
    # Hamburg and Marseille, matched by name, keep the register's Q-ids on a line of their own.
    assert read(tmp_path, "cities/hamburg.md") == SITE["cities/hamburg.md"].replace(
        "    since: 1957\n", "    since: 1957\n    until: \"2000-06-15\"\n    status: ended\n").replace(
        "country: DE\n", "country: DE\nwikidata: Q1055\n")
    assert read(tmp_path, "cities/marseille.md") == SITE["cities/marseille.md"].replace(
        "country: FR\n", "country: FR\nwikidata: Q23482\n")
    for unchanged in ("lyon.md", "paris.md", "springfield-il.md"):
        assert read(tmp_path, f"cities/{unchanged}") == SITE[f"cities/{unchanged}"]


def test_the_twin_cities_dataset_imports_and_tells_two_springfields_apart_by_coordinates(
        tmp_path, make_site, run_cli):
    site_with(tmp_path, make_site, "twin-cities.csv")
    result = run_cli("import", "twinnings", "twin-cities.csv")
    assert result.stderr.splitlines() == [
        "twin-cities.csv row 2: skipped: there are 2 cities called Springfield in US (content/cities/springfield-il.md,"
        " content/cities/springfield-ma.md): give lat and lon in the row",
        "twin-cities.csv row 4: skipped: already declared in content/cities/hamburg.md",
        "twin-cities.csv row 6: skipped: city_a is empty",
    ]
    assert result.stdout.splitlines()[-1] == "imported 2 partnerships: 2 cities created, 1 updated, 3 rows skipped"
    assert read(tmp_path, "cities/springfield-ma.md").endswith("partners:\n  - {city: rome}\n---\n")
    assert "springfield" not in read(tmp_path, "cities/springfield-il.md").split("---")[1].replace(
        "Springfield", "")  # no tie guessed onto Illinois's Springfield


def test_an_ended_tie_from_a_table_passes_check(tmp_path, make_site, run_cli):
    """Without Q-ids the written files are plain atlas files: until and status ended are the schema's."""
    make_site(tmp_path, {"cities/rome.md": city("Rome", "IT", "[41.89, 12.48]")})
    (tmp_path / "t.csv").write_text("city_a,country_a,city_b,country_b,year,until\n"
                                    "Rome,IT,Paris,FR,1956,\nRome,IT,Moscow,RU,1966,2022-03\n"
                                    "Rome,IT,Kyiv,UA,1990,1989\n")
    result = run_cli("import", "twinnings", "t.csv")
    assert result.stderr == "t.csv row 4: skipped: the tie ends (1989) before it begins (1990)\n"
    assert "  - {city: moscow, since: 1966, until: \"2022-03\", status: ended}\n" in read(tmp_path, "cities/rome.md")
    assert check_problems() == []


def rome_paris_milan(tmp_path, make_site, rome: str) -> None:
    """A site of Rome (as given) and the two partners its tests name."""
    make_site(tmp_path, {"cities/rome.md": rome, "cities/paris.md": city("Paris", "FR", "[48.85, 2.35]"),
                         "cities/milan.md": city("Milan", "IT", "[45.46, 9.19]")})


def test_dates_an_editor_left_out_are_added_to_their_line_and_nothing_else_changes(tmp_path, make_site, run_cli):
    """A one-line item gains the date before its `}`; a bare name cannot take one safely, so it is reported."""
    rome = city("Rome", "IT", "[41.89, 12.48]", "partners:\n  - {city: paris}  # since the 1950s\n  - milan\n",
                "Rome.\n")
    rome_paris_milan(tmp_path, make_site, rome)
    (tmp_path / "t.csv").write_text("city_a,country_a,city_b,country_b,year\n"
                                    "Rome,IT,Paris,FR,1956\nParis,FR,Rome,IT,1957\nRome,IT,Milan,IT,1960\n")
    result = run_cli("import", "twinnings", "t.csv")
    assert result.stderr.splitlines() == [
        "t.csv row 2: merged: added to content/cities/rome.md:6 (rome – paris): since 1956",
        "t.csv row 3: skipped: the same partnership as row 2",
        "t.csv row 4: skipped: already declared in content/cities/rome.md; since 1960 not added (its partners item is"
        " a bare name or laid out in a way the importer cannot edit safely): add by hand",
    ]
    assert result.stdout.splitlines() == [
        "updated content/cities/rome.md", "  ~ partner paris: since 1956 added",
        "imported 0 partnerships (and dates added to 1 already there): 0 cities created, 1 updated, 2 rows skipped"]
    assert read(tmp_path, "cities/rome.md") == rome.replace("{city: paris}", "{city: paris, since: 1956}")
    assert check_problems() == []


def test_a_register_date_that_would_end_a_tie_before_it_begins_is_not_added(tmp_path, make_site, run_cli):
    """The file's since 2023 stays; the register's end in 2021 would make the item fail `atlas check`."""
    rome = city("Rome", "IT", "[41.89, 12.48]", "partners:\n  - {city: paris, since: 2023}\n  - {city: milan,"
                " until: 1990, status: ended}\n")
    rome_paris_milan(tmp_path, make_site, rome)
    assert import_register(tmp_path, run_cli, "city_a,country_a,city_b,country_b,year,until\n"
                                              "Rome,IT,Paris,FR,1956,2021\nRome,IT,Milan,IT,1995,\n") == [
        "r.csv row 2: skipped: already declared in content/cities/rome.md; since 2023 in content/cities/rome.md:6,"
        " 1956 in the register (the file's is kept); until none in content/cities/rome.md:6, 2021 in the register"
        " (the file's is kept); status active in content/cities/rome.md:6, ended in the register (the file's is"
        " kept); until 2021 in the register is before since 2023 in content/cities/rome.md:6, so it is not added",
        "r.csv row 3: skipped: already declared in content/cities/rome.md; since none in content/cities/rome.md:7,"
        " 1995 in the register (the file's is kept); status ended in content/cities/rome.md:7, active in the"
        " register (the file's is kept); since 1995 in the register is after until 1990 in content/cities/rome.md:7,"
        " so it is not added",
    ]
    assert read(tmp_path, "cities/rome.md") == rome
    assert check_problems() == []


def test_only_rows_imports_just_those_rows(tmp_path, make_site):
    content = site_with(tmp_path, make_site, "germany.csv")
    plan = plan_import(tmp_path / "germany.csv", content, csv_label="germany.csv", label="content", only_rows={10})
    assert [c.src for c in plan.changes] == ["content/cities/berlin.md", "content/cities/moscow.md"]
    assert (plan.partnerships, plan.skipped) == (1, ())


ROME_PARIS = "item,itemLabel,itemCountryLabel,twin,twinLabel,twinCountryLabel\nQ220,Rome,Italy,Q90,Paris,France\n"


def import_register(tmp_path, run_cli, text: str) -> list[str]:
    """Import `text` as r.csv: what the import reports, line by line."""
    (tmp_path / "r.csv").write_text(text)
    return run_cli("import", "twinnings", "r.csv").stderr.splitlines()


def test_a_city_matched_by_name_keeps_the_first_q_id_and_a_later_different_one_is_reported(
        tmp_path, make_site, run_cli):
    """The register's id goes on a line of its own below `country:`; a second id for that city is not written."""
    rome = city("Rome", "IT", "[41.89, 12.48]", "", "Rome.\n")
    make_site(tmp_path, {"cities/rome.md": rome})
    assert import_register(tmp_path, run_cli,
                           "item,itemLabel,itemCountryLabel,itemCoord,twin,twinLabel,twinCountryLabel,twinCoord\n"
                           "Q220,Rome,Italy,Point(12.48 41.89),Q90,Paris,France,Point(2.35 48.85)\n"
                           "Q999,Rome,Italy,Point(12.5 41.9),Q64,Berlin,Germany,Point(13.38 52.52)\n") == [
        "r.csv row 2: merged: wikidata Q220 added to content/cities/rome.md:4 (Rome, IT)",
        "r.csv row 3: skipped: Rome (Q999) is within 50 km of content/cities/rome.md:4 (wikidata: Q220, added by"
        " row 2): correct the id in the file or in the register",
    ]
    assert read(tmp_path, "cities/rome.md") == rome.replace("country: IT\n", "country: IT\nwikidata: Q220\n").replace(
        "---\nRome.", "partners:\n  - {city: paris}\n---\nRome.")


def test_a_file_with_an_id_the_importer_cannot_read_is_left_as_it_is_and_reported(tmp_path, make_site, run_cli):
    """A mistyped `wikidata: q220` is the editor's to fix: the importer adds no second key and changes no byte."""
    rome = city("Rome", "IT", "[41.89, 12.48]", "wikidata: q220\npartners:\n  - {city: paris}\n")
    make_site(tmp_path, {"cities/rome.md": rome, "cities/paris.md": city("Paris", "FR", "[48.85, 2.35]")})
    assert import_register(tmp_path, run_cli, ROME_PARIS) == [
        "r.csv row 2: skipped: already declared in content/cities/rome.md",
        "r.csv row 2: warning: wikidata Q220 not added to content/cities/rome.md (it gives wikidata: q220): add it"
        " by hand if it is this city",
        "r.csv row 2: merged: wikidata Q90 added to content/cities/paris.md:4 (Paris, FR)",
    ]
    assert read(tmp_path, "cities/rome.md") == rome
    assert "\nwikidata: Q90\n" in read(tmp_path, "cities/paris.md")


def test_an_id_goes_to_the_end_of_the_front_matter_when_country_is_not_one_line(tmp_path, make_site, run_cli):
    rome = "---\nname: Rome\ncountry: >-\n  IT\ncoordinates: [41.89, 12.48]\n---\n"
    make_site(tmp_path, {"cities/rome.md": rome})
    assert import_register(tmp_path, run_cli, ROME_PARIS) == [
        "r.csv row 2: merged: wikidata Q220 added to content/cities/rome.md:6 (Rome, IT)"]
    assert read(tmp_path, "cities/rome.md") == rome.replace(
        "12.48]\n", "12.48]\nwikidata: Q220\npartners:\n  - {city: paris}\n")


def test_an_imported_wikidata_result_checks_clean_builds_and_publishes_its_ids(tmp_path, make_site, run_cli):
    """End to end: new cities and ids added to existing ones are valid atlas files, and the site links the items."""
    site_with(tmp_path, make_site, "germany.csv")
    run_cli("import", "twinnings", "germany.csv")
    checked = run_cli("check")
    assert checked.exit_code == 0 and re.search(r"^0 errors", checked.stdout + checked.stderr, re.M)
    built = run_cli("build", "--base-url", "https://atlas.example.net/")
    assert built.exit_code == 0, built.stderr
    for slug, qid in (("moscow", "Q649"), ("hamburg", "Q1055"), ("marseille", "Q23482")):  # new; two matched by name
        assert json_ld_of(tmp_path / f"output/cities/{slug}/index.html")["sameAs"] == WIKIDATA_ITEM + qid


# --- reconciling -------------------------------------------------------------------

RECONCILED = [
    "content/cities/berlin.md:6: germany.csv row 3: only in the register: berlin – Madrid (ES, Q2807)"
    " (register: since 1988)",
    "content/cities/berlin.md:6: germany.csv row 5: only in the register: Springfield (US, Q28513) – berlin"
    " (register: since 1960-10-03)",
    "content/cities/berlin.md:6: germany.csv row 10: only in the register: berlin – Moscow (RU, Q649)"
    " (register: since 1991, until 2022-03, ended)",
    "content/cities/berlin.md:8: only in the atlas: berlin – lyon (atlas: since 1990 or 1992)",
    "content/cities/berlin.md:9: only in the atlas: berlin – rome (atlas: since 1960)",
    "content/cities/hamburg.md:6: germany.csv row 4: dates differ: hamburg – marseille"
    " (atlas: since 1957; register: since 1958)",
    "content/cities/hamburg.md:6: germany.csv row 4: dates differ: hamburg – marseille"
    " (atlas: until none; register: until 2000-06-15)",
    "content/cities/hamburg.md:6: germany.csv row 4: status differs: hamburg – marseille"
    " (atlas: status active; register: status ended)",
    "content/cities/lyon.md:5: germany.csv row 9: Wikidata ids differ: lyon (atlas: Q4560; register: Lyon is Q456)",
    "content/cities/paris.md:5: germany.csv row 2: coordinates differ: paris"
    " (atlas: [45.7600, 4.8400]; register: [48.8569, 2.3514], 392 km away)",
    "content/cities/springfield-ma.md:2: germany.csv row 6: only in the register: springfield-ma – paris"
    " (register: since 1975-05)",
    "germany.csv row 7: skipped: twinLabel is empty (Q99999999 has no label in the query's language)",
    "germany.csv row 8: skipped: twinCountryLabel is empty",
    "11 differences (2 only in the atlas, 4 only in the register, 2 dates differ, 1 status differs,"
    " 1 Wikidata ids differ, 1 coordinates differ); 2 rows not compared",
]


def test_reconcile_lists_each_kind_of_difference_with_file_line_and_row(tmp_path, make_site, run_cli):
    site_with(tmp_path, make_site, "germany.csv")
    before = snapshot(tmp_path / "content")
    result = run_cli("reconcile", "twinnings", "germany.csv")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines() == RECONCILED
    assert snapshot(tmp_path / "content") == before  # reconciling writes nothing


def test_reconcile_as_json_and_csv_gives_the_same_differences(tmp_path, make_site, run_cli):
    site_with(tmp_path, make_site, "germany.json")
    as_json = json.loads(run_cli("reconcile", "twinnings", "germany.json", "--format", "json").stdout)
    result = run_cli("reconcile", "twinnings", "germany.json", "--format", "csv", "--output", "report.csv")
    assert result.stdout == "wrote report.csv: 11 differences\n"
    with open(tmp_path / "report.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["difference", "atlas_file", "atlas_line", "register_row", "city_a", "city_b", "atlas",
                             "register", "import"]
    assert [(r["difference"], r["atlas_file"], r["atlas_line"], r["register_row"]) for r in rows] == [
        (d["difference"], d["atlas_file"], str(d["atlas_line"] or ""), str(d["register_row"] or ""))
        for d in as_json["differences"]]
    assert as_json["counts"] == {"only-in-atlas": 2, "only-in-register": 4, "dates-differ": 2, "status-differs": 1,
                                 "wikidata-differs": 1, "coordinates-differ": 1}
    assert as_json["not_compared"] == [
        {"row": 7, "message": "twinLabel is empty (Q99999999 has no label in the query's language)"},
        {"row": 8, "message": "twinCountryLabel is empty"}]
    assert all(r["import"] == "" for r in rows)


def test_apply_imports_only_the_register_ties_an_editor_marked(tmp_path, make_site, run_cli):
    site_with(tmp_path, make_site, "germany.csv")
    run_cli("reconcile", "twinnings", "germany.csv", "--format", "csv", "--output", "report.csv")
    with open(tmp_path / "report.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    for row in rows[1:]:
        if row[3] == "10":
            row[8] = "x"
        elif row[3] == "6":
            row[8] = "Yes"
        elif row[0] == "dates-differ":
            row[8] = "yes"  # not a tie the register alone has: nothing to import
    with open(tmp_path / "report.csv", "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    before = snapshot(tmp_path / "content")
    dry = run_cli("reconcile", "twinnings", "germany.csv", "--apply", "report.csv", "--dry-run")
    assert dry.stdout.splitlines()[0] == "would update content/cities/berlin.md"
    assert snapshot(tmp_path / "content") == before
    result = run_cli("reconcile", "twinnings", "germany.csv", "--apply", "report.csv")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [
        "updated content/cities/berlin.md", "  + partner moscow (1991, until 2022-03)",
        "created content/cities/moscow.md",
        "updated content/cities/springfield-ma.md", "  + partner paris (1975-05)",
        "imported 2 partnerships: 1 city created, 2 updated, 0 rows skipped"]
    after = snapshot(tmp_path / "content")
    assert sorted(set(after) - set(before)) == ["cities/moscow.md"]
    assert read(tmp_path, "cities/hamburg.md") == SITE["cities/hamburg.md"]
    # Applied, those ties are no longer differences.
    again = run_cli("reconcile", "twinnings", "germany.csv").stdout
    assert "row 10:" not in again and "row 6:" not in again and "row 3: only in the register" in again


def test_apply_with_nothing_marked_imports_nothing(tmp_path, make_site, run_cli):
    site_with(tmp_path, make_site, "germany.csv")
    run_cli("reconcile", "twinnings", "germany.csv", "--format", "csv", "--output", "report.csv")
    before = snapshot(tmp_path / "content")
    result = run_cli("reconcile", "twinnings", "germany.csv", "--apply", "report.csv")
    assert (result.exit_code, result.stderr) == (1, "report.csv: no row is marked in the import column;"
                                                    " nothing to import\n")
    assert snapshot(tmp_path / "content") == before


# --- the benchmark's register ------------------------------------------------------

def test_the_benchmark_register_is_the_asked_size_and_every_row_reads(tmp_path):
    """benchmarks/registers.py: the rows the timings are made of are all usable, so the figures time real work."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    import registers as bench

    cities = bench.write_atlas(60, tmp_path / "content", seed=3)
    bench.write_register(cities, 150, tmp_path / "register.csv", seed=3)
    rows = read_rows(tmp_path / "register.csv", "register.csv")
    assert (rows.format, len(rows.records), rows.notes) == ("wikidata-csv", 150, ())
    assert all(record.problems == () for record in rows.records)
    ids = [city["qid"] for city in cities]
    assert len(set(ids)) == 60 and all(900_000_000 <= int(qid[1:]) < bench.NEW_CITY_IDS for qid in ids)
    sides = [cell for record in rows.records for cell in (record.cells.get("wikidata_a"), record.cells.get("wikidata_b"))]
    without = sides.count(None)
    assert 0.1 < without / len(sides) < 0.25  # most sides match by Q-id, the rest by name, country and distance
    assert {qid for qid in sides if qid and int(qid[1:]) < bench.NEW_CITY_IDS} <= set(ids)
    plan = plan_import(tmp_path / "register.csv", tmp_path / "content", csv_label="register.csv", label="content")
    assert plan.problems == [] and plan.ids_added == 0  # every atlas city already has its id
    assert plan.partnerships + plan.merged + len(plan.skipped) == 150


def test_the_generated_atlas_gives_every_city_a_made_up_id_that_clashes_with_no_real_one(tmp_path):
    """benchmarks/generate.py: unique ids, far from the starter content's, the same bytes for the same seed."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    import generate

    for out in (tmp_path / "one", tmp_path / "two"):
        generate.write_corpus(generate.generate(80, seed=5), out)
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "two")
    ids = [re.search(r"^wikidata: (Q\d+)$", path.read_text(encoding="utf-8"), re.M).group(1)
           for path in sorted((tmp_path / "one" / "cities").glob("*.md"))]
    starter = {match for path in (Path(__file__).resolve().parent.parent / "content").rglob("*.md")
               for match in re.findall(r"^wikidata: (Q\d+)", path.read_text(encoding="utf-8"), re.M)}
    assert len(ids) == len(set(ids)) == 80 and starter and not set(ids) & starter
    assert all(int(qid[1:]) in generate.FAKE_WIKIDATA for qid in ids)
    errors = [p for p in check_problems(tmp_path / "one") if ": error:" in p]
    assert errors == []
