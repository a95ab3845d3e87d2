"""importer/: `atlas import twinnings` — resolving rows, merging into files byte for byte, reporting."""

from __future__ import annotations

from datetime import date

import pytest

from atlas.editing.importer import ImportFileError, insert_partners, parse_kind, parse_since, plan_import
from conftest import check_problems, city, snapshot

SOURCES = """\
- id: twinnings
  title: Sister cities of the world
- id: other-list
  title: Another list
"""
BASE = {
    "sources.yaml": SOURCES,
    "cities/barcelona.md": city("Barcelona", "ES", "[41.3874, 2.1686]",
                                body="Barcelona [@twinnings] [@other-list].\n"),
}
HEADER = "city_a,country_a,city_b,country_b,kind,year,source\n"


def write_csv(tmp_path, text: str, name: str = "twinnings.csv") -> str:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return name


def read(tmp_path, relative: str) -> str:
    return (tmp_path / "content" / relative).read_text(encoding="utf-8")


# --- countries ------------------------------------------------------------------

@pytest.mark.parametrize("city_name, written, code", [
    ("Lyon", "France", "FR"),
    ("Lyon", "FR", "FR"),
    ("Lyon", "fr", "FR"),
    ("Lyon", "FRA", "FR"),
    ("Prague", "Czech Republic", "CZ"),
    ("Prague", "CZE", "CZ"),
    ("Coventry", "UK", "GB"),
    ("Coventry", "England", "GB"),
    ("Moscow", "Russia", "RU"),
    ("Rotterdam", "Holland", "NL"),
    ("Seoul", "South Korea", "KR"),
    ("Istanbul", "Turkey", "TR"),
    ("Abidjan", "Ivory Coast", "CI"),
    ("Hanoi", "Vietnam", "VN"),
    ("Chicago", "United States of America", "US"),
    ("Brno", "Czechoslovakia", "CZ"),  # dissolved: the gazetteer has Brno only in CZ
])
def test_countries_as_codes_names_and_old_names(tmp_path, make_site, run_cli, city_name, written, code):
    make_site(tmp_path, BASE)
    write_csv(tmp_path, HEADER + f'{city_name},"{written}",Barcelona,ES,,,\n')
    result = run_cli("import", "twinnings", "twinnings.csv")
    assert result.exit_code == 0, result.stderr
    slug = city_name.lower()
    assert f"\ncountry: {code}\n" in read(tmp_path, f"cities/{slug}.md")
    assert check_problems() == []


def test_a_dissolved_country_with_no_single_successor_is_reported(tmp_path, make_site, run_cli):
    make_site(tmp_path, BASE)
    write_csv(tmp_path, HEADER + "Atlantis City,Yugoslavia,Barcelona,ES,,,\nBrno,Czechoslovakia,Barcelona,ES,,,\n")
    result = run_cli("import", "twinnings", "twinnings.csv")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "twinnings.csv row 2: skipped: country_a: Yugoslavia no longer exists: give the present-day country"
        " (SI, HR, BA, RS, ME, MK, XK)",
        "twinnings.csv row 3: warning: country_a 'Czechoslovakia' taken as CZ, where the gazetteer has Brno",
    ]
    assert result.stdout.splitlines()[-1] == "imported 1 partnership: 1 city created, 0 updated, 1 row skipped"


# --- creating and reusing cities -------------------------------------------------

def test_new_cities_get_files_that_pass_check(tmp_path, make_site, run_cli):
    make_site(tmp_path, BASE)
    write_csv(tmp_path, HEADER + "Lyon,France,Turin,Italy,cooperation,2004,twinnings\n"
                                 "São Paulo,Brazil,Barcelona,Spain,sister city,1990-05,twinnings; other-list\n")
    result = run_cli("import", "twinnings", "twinnings.csv")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [
        "created content/cities/lyon.md",
        "  + partner turin (cooperation, 2004)",
        "created content/cities/sao-paulo.md",
        "  + partner barcelona (sister-city, 1990-05)",
        "created content/cities/turin.md",
        "imported 2 partnerships: 3 cities created, 0 updated, 0 rows skipped",
    ]
    assert read(tmp_path, "cities/lyon.md") == (
        "---\nname: Lyon\ncountry: FR\ncoordinates: [45.74906, 4.84789]  # GeoNames\n"
        "partners:\n  - city: turin\n    kind: cooperation\n    since: 2004\n    sources: [twinnings]\n"
        "sources: [twinnings]\nsummary: City in France.\n---\n"
        "Cooperation agreement with [[turin]] since 2004 [@twinnings].\n")
    assert read(tmp_path, "cities/turin.md") == (
        "---\nname: Turin\ncountry: IT\ncoordinates: [45.07049, 7.68682]  # GeoNames\n"
        "sources: [twinnings]\nsummary: City in Italy.\n---\n"
        "Cooperation agreement with [[lyon]] since 2004 [@twinnings].\n")
    assert '    since: "1990-05"\n    sources: [twinnings, other-list]\n' in read(tmp_path, "cities/sao-paulo.md")
    assert check_problems() == []
    assert run_cli("check").exit_code == 0


def test_an_existing_city_is_found_by_name_and_country(tmp_path, make_site, run_cli):
    make_site(tmp_path, {**BASE, "cities/sao-paulo.md": city("São Paulo", "BR")})
    write_csv(tmp_path, HEADER + "SAO PAULO,Brazil,barcelona,Spain,,,\n")
    result = run_cli("import", "twinnings", "twinnings.csv")
    assert result.stdout.splitlines() == ["updated content/cities/sao-paulo.md", "  + partner barcelona",
                                          "imported 1 partnership: 0 cities created, 1 updated, 0 rows skipped"]
    assert read(tmp_path, "cities/sao-paulo.md").endswith("partners:\n  - {city: barcelona}\n---\n")


def test_the_same_place_under_another_name_is_reused(tmp_path, make_site, run_cli):
    make_site(tmp_path, {**BASE, "cities/cologne.md": city("Cologne", "DE")})
    write_csv(tmp_path, HEADER + "Köln,Germany,Barcelona,ES,,1984,\n")
    result = run_cli("import", "twinnings", "twinnings.csv")
    assert result.exit_code == 0
    assert result.stderr == ("twinnings.csv row 2: warning: Köln (DE) taken as content/cities/cologne.md"
                             " (Cologne)\n")
    assert "  - {city: barcelona, since: 1984}\n" in read(tmp_path, "cities/cologne.md")
    assert not (tmp_path / "content/cities/koln.md").exists()


def test_two_cities_of_one_name_in_one_country_are_kept_apart_by_coordinates(tmp_path, make_site, run_cli):
    make_site(tmp_path, BASE)
    write_csv(tmp_path, "city_a,country_a,lat_a,lon_a,city_b,country_b\n"
                        "Portland,US,45.5234,-122.6762,Sapporo,JP\n"
                        "Portland,US,43.6574,-70.2589,Cork,IE\n"
                        "Portland,US,45.52,-122.68,Guadalajara,MX\n"
                        "Portland,US,,,Barcelona,ES\n")
    result = run_cli("import", "twinnings", "twinnings.csv")
    assert result.stderr.splitlines() == [
        "twinnings.csv row 3: warning: content/cities/portland-us.md: portland.md is another city,"
        " so this Portland is portland-us.md",
        "twinnings.csv row 5: skipped: there are 2 cities called Portland in US (content/cities/portland.md,"
        " content/cities/portland-us.md): give lat and lon in the row"]
    oregon, maine = read(tmp_path, "cities/portland.md"), read(tmp_path, "cities/portland-us.md")
    assert "coordinates: [45.5234, -122.6762]\n" in oregon and "city: sapporo" in oregon
    assert "city: guadalajara" in oregon
    assert "coordinates: [43.6574, -70.2589]\n" in maine and "city: cork" in maine
    assert check_problems() == []


def test_a_city_of_the_same_name_in_content_far_away_gets_its_own_file(tmp_path, make_site, run_cli):
    make_site(tmp_path, {**BASE, "cities/portland.md": city("Portland", "US", "[45.5234, -122.6762]")})
    write_csv(tmp_path, "city_a,country_a,lat_a,lon_a,city_b,country_b\n"
                        "Portland,US,43.6574,-70.2589,Barcelona,ES\n"
                        "Portland,US,45.5,-122.7,Sapporo,JP\n")
    assert run_cli("import", "twinnings", "twinnings.csv").exit_code == 0
    assert "  - {city: sapporo}\n" in read(tmp_path, "cities/portland.md")
    assert "  - city: barcelona\n" in read(tmp_path, "cities/portland-us.md")
    assert check_problems() == []


def test_a_city_without_coordinates_is_written_with_a_warning(tmp_path, make_site, run_cli):
    make_site(tmp_path, BASE)
    write_csv(tmp_path, HEADER + "Nowhereville,US,Barcelona,ES,,,\n")
    result = run_cli("import", "twinnings", "twinnings.csv")
    assert result.exit_code == 0
    assert result.stderr == (
        "twinnings.csv row 2: warning: content/cities/nowhereville.md has no coordinates: the gazetteer has no"
        " Nowhereville in US; add lat and lon to the row, or fill in the file, or `atlas check` will ask for them\n")
    assert "\n# coordinates: [lat, lon]  # not found in the gazetteer: fill in\n" in read(
        tmp_path, "cities/nowhereville.md")
    assert check_problems() == [
        "content/cities/nowhereville.md:2: error: no coordinates given and the gazetteer has no city named"
        " 'Nowhereville' in US\n  hint: add coordinates: [latitude, longitude]"]


# --- duplicates ---------------------------------------------------------------------

def test_duplicates_in_the_csv_and_in_content_are_skipped(tmp_path, make_site, run_cli):
    make_site(tmp_path, {**BASE, "cities/lyon.md": city("Lyon", "FR", extra="partners: [barcelona]\n"),
                         "cities/turin.md": city("Turin", "IT")})
    write_csv(tmp_path, HEADER + "Turin,IT,Lyon,FR,,,\n"
                                 "Turin,IT,Lyon,FR,,1990,\n"
                                 "Lyon,FR,Turin,IT,,,\n"
                                 "Barcelona,ES,Lyon,FR,,,\n")
    result = run_cli("import", "twinnings", "twinnings.csv")
    assert result.exit_code == 0  # duplicates are not problems
    assert result.stderr.splitlines() == [
        "twinnings.csv row 3: skipped: the same partnership as row 2",
        "twinnings.csv row 4: skipped: the same partnership as row 2",
        "twinnings.csv row 5: skipped: already declared in content/cities/lyon.md",
    ]
    assert result.stdout.splitlines()[-1] == "imported 1 partnership: 0 cities created, 1 updated, 3 rows skipped"
    assert read(tmp_path, "cities/turin.md").count("city: lyon") == 1
    assert check_problems() == []


def test_a_second_import_of_the_same_file_changes_nothing(tmp_path, make_site, run_cli):
    make_site(tmp_path, BASE)
    write_csv(tmp_path, HEADER + "Lyon,FR,Turin,IT,,,twinnings\n")
    assert run_cli("import", "twinnings", "twinnings.csv").exit_code == 0
    before = snapshot(tmp_path / "content")
    result = run_cli("import", "twinnings", "twinnings.csv")
    assert result.stdout == "imported 0 partnerships: 0 cities created, 0 updated, 1 row skipped\n"
    assert result.stderr == "twinnings.csv row 2: skipped: already declared in content/cities/lyon.md\n"
    assert snapshot(tmp_path / "content") == before


# --- merging into an editor's file ----------------------------------------------------

LYON_BLOCK = """\
---
name: Lyon   # the city
country: FR
partners:
  - city: barcelona
    kind: cooperation   # see the agreement
    sources: [twinnings]

  # - city: milan  (unconfirmed)
themes: []
summary: "Lyon: a city."
---
Lyon and [[barcelona]] [@twinnings].

partners:
  - this is body text, not front matter
"""


def test_merge_into_a_block_list_changes_no_other_byte(tmp_path, make_site, run_cli):
    make_site(tmp_path, {**BASE, "cities/lyon.md": LYON_BLOCK})
    write_csv(tmp_path, HEADER + 'Lyon,FR,Turin,IT,friendship,2001,twinnings\n')
    assert run_cli("import", "twinnings", "twinnings.csv").exit_code == 0
    added = "  - {city: turin, kind: friendship, since: 2001, sources: [twinnings]}\n"
    assert read(tmp_path, "cities/lyon.md") == LYON_BLOCK.replace(
        "    sources: [twinnings]\n\n", "    sources: [twinnings]\n" + added + "\n", 1)
    assert check_problems() == []


@pytest.mark.parametrize("front, expected", [
    # no partners key: one is added at the end of the front matter
    ("name: Lyon\ncountry: FR\n", "name: Lyon\ncountry: FR\npartners:\n  - {city: turin}\n"),
    # a one-line flow list becomes a block list, its items as written
    ("name: Lyon\npartners: [barcelona, {city: milan, since: 1990}]  # two\ncountry: FR\n",
     "name: Lyon\npartners:  # two\n  - barcelona\n  - {city: milan, since: 1990}\n  - {city: turin}\ncountry: FR\n"),
    ("name: Lyon\npartners: []\ncountry: FR\n", "name: Lyon\npartners:\n  - {city: turin}\ncountry: FR\n"),
    # a list at the key's own indentation keeps it
    ("name: Lyon\npartners:\n- barcelona\ncountry: FR\n",
     "name: Lyon\npartners:\n- barcelona\n- {city: turin}\ncountry: FR\n"),
    ("name: Lyon\npartners:\ncountry: FR\n", "name: Lyon\npartners:\n  - {city: turin}\ncountry: FR\n"),
])
def test_insert_partners_layouts(front, expected):
    body = "Body [[lyon]].\n---\nmore\n"
    assert insert_partners(f"---\n{front}---\n{body}", ["{city: turin}"]) == f"---\n{expected}---\n{body}"


def test_insert_partners_keeps_crlf_and_bom():
    text = "\ufeff---\r\nname: Lyon\r\npartners:\r\n    - barcelona\r\n---\r\nBody.\r\n"
    assert insert_partners(text, ["{city: turin}"]) == (
        "\ufeff---\r\nname: Lyon\r\npartners:\r\n    - barcelona\r\n    - {city: turin}\r\n---\r\nBody.\r\n")


@pytest.mark.parametrize("front, reason", [
    ("partners: [barcelona,\n  milan]\n", "spans several lines"),
    ("partners: barcelona\n", "not a list"),
    ("partners:\n  city: barcelona\n", "not a list"),
])
def test_insert_partners_refuses_what_it_cannot_edit_safely(front, reason):
    with pytest.raises(ValueError, match=reason):
        insert_partners(f"---\nname: Lyon\n{front}---\n", ["{city: turin}"])


def test_a_file_that_cannot_be_edited_gets_the_partnership_declared_on_the_other_city(tmp_path, make_site,
                                                                                     run_cli):
    lyon = city("Lyon", "FR", extra="partners: [barcelona,\n  milan]\n")
    make_site(tmp_path, {**BASE, "cities/lyon.md": lyon, "cities/milan.md": city("Milan", "IT")})
    write_csv(tmp_path, HEADER + "Lyon,FR,Turin,IT,,,\nLyon,FR,Milan,IT,,,\nLyon,FR,Coventry,GB,,,\n")
    result = run_cli("import", "twinnings", "twinnings.csv")
    assert read(tmp_path, "cities/lyon.md") == lyon
    assert "partners:\n  - city: lyon\n" in read(tmp_path, "cities/turin.md")
    assert "twinnings.csv row 2: warning: declared on content/cities/turin.md: content/cities/lyon.md cannot be" \
           " edited automatically (its partners list spans several lines)" in result.stderr
    assert "twinnings.csv row 3: skipped: already declared in content/cities/lyon.md" in result.stderr


# --- bad rows ---------------------------------------------------------------------------

def test_bad_rows_are_reported_with_their_row_numbers_and_good_rows_are_imported(tmp_path, make_site, run_cli):
    make_site(tmp_path, BASE)
    write_csv(tmp_path, "city_a,country_a,city_b,country_b,kind,year,source,lat_a,lon_a\n"
                        "Lyon,FR,Turin,IT,,,,,\n"
                        ",FR,Turin,IT,,,,,\n"
                        "Lyon,Atlantis,Turin,IT,,,,,\n"
                        "Lyon,FR,lyon,France,,,,,\n"
                        "Milan,IT,Turin,IT,,19x5,,,\n"
                        "Milan,IT,Turin,IT,alliance,,,,\n"
                        "Milan,IT,Turin,IT,,,twinings,,\n"
                        "Milan,IT,Turin,IT,,,,45.4,\n"
                        "Milan,IT,Turin,IT,,2999,,,\n"
                        "\n"
                        "Milan,IT,Turin,IT,,,,,,extra\n"
                        "Milan,IT,Turin,IT,memorandum,2015-06-01,twinnings,,\n")
    result = run_cli("import", "twinnings", "twinnings.csv")
    assert result.exit_code == 1
    this_year = date.today().year
    assert result.stderr.splitlines() == [
        "twinnings.csv row 3: skipped: city_a is empty",
        "twinnings.csv row 4: skipped: country_a: unknown country 'Atlantis': give its ISO code, such as ES",
        "twinnings.csv row 5: skipped: the same city on both sides (Lyon, FR)",
        "twinnings.csv row 6: skipped: year '19x5' is not a year: write 1959, 1959-05 or 1959-05-12",
        "twinnings.csv row 7: skipped: kind 'alliance' is not one of sister-city, friendship, cooperation,"
        " memorandum",
        "twinnings.csv row 8: skipped: source 'twinings' is not in sources.yaml (did you mean twinnings?)",
        "twinnings.csv row 9: skipped: lat_a and lon_a go together: give both or neither",
        f"twinnings.csv row 10: skipped: year '2999' is not a year up to {this_year}",
        "twinnings.csv row 12: skipped: the row has 10 cells but the header has 9 columns",
    ]
    assert result.stdout.splitlines()[-1] == "imported 2 partnerships: 3 cities created, 0 updated, 9 rows skipped"
    assert "  - city: turin\n    kind: memorandum\n    since: \"2015-06-01\"\n" in read(tmp_path, "cities/milan.md")
    assert check_problems() == []


def test_strict_writes_nothing_when_a_row_has_a_problem(tmp_path, make_site, run_cli):
    make_site(tmp_path, BASE)
    before = snapshot(tmp_path / "content")
    write_csv(tmp_path, HEADER + "Lyon,FR,Turin,IT,,,\nLyon,Atlantis,Milan,IT,,,\n")
    result = run_cli("import", "twinnings", "twinnings.csv", "--strict")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "nothing was written: 1 row with problems (--strict)"
    assert snapshot(tmp_path / "content") == before


@pytest.mark.parametrize("csv_text, message", [
    ("city,country\nLyon,FR\n", "error: twinnings.csv: the header has no column city_b, country_b"
                                " (it needs city_a, country_a, city_b, country_b; found: city, country)"),
    ("", "error: twinnings.csv: the file is empty; it needs a header such as city_a,country_a,city_b,country_b"),
    ("city_a,city 1,country_a,city_b,country_b\n", "error: twinnings.csv: columns 'city_a' and 'city 1' both"
                                                   " give city_a; keep one"),
])
def test_a_csv_that_cannot_be_read_is_an_error(tmp_path, make_site, run_cli, csv_text, message):
    make_site(tmp_path, BASE)
    write_csv(tmp_path, csv_text)
    result = run_cli("import", "twinnings", "twinnings.csv")
    assert (result.exit_code, result.stderr) == (1, message + "\n")


def test_a_csv_that_is_not_utf8_is_an_error(tmp_path, make_site, run_cli):
    make_site(tmp_path, BASE)
    (tmp_path / "twinnings.csv").write_bytes((HEADER + "Zürich,CH,Barcelona,ES,,,\n").encode("latin-1"))
    result = run_cli("import", "twinnings", "twinnings.csv")
    assert (result.exit_code, result.stderr) == (
        1, 'error: twinnings.csv: line 2 is not UTF-8 text; save the file as "CSV UTF-8"\n')


def test_content_that_does_not_load_is_refused(tmp_path, make_site):
    make_site(tmp_path, {**BASE, "cities/lyon.md": "---\nname: [Lyon\n---\n"})
    write_csv(tmp_path, HEADER + "Lyon,FR,Turin,IT,,,\n")
    with pytest.raises(ImportFileError, match="content/cities/lyon.md:2: error: invalid YAML"):
        plan_import(tmp_path / "twinnings.csv", tmp_path / "content", label="content")


# --- columns, kinds and years --------------------------------------------------------

def test_header_aliases_semicolons_and_decimal_commas(tmp_path, make_site, run_cli):
    make_site(tmp_path, BASE)
    write_csv(tmp_path, "Town 1;Country 1;Latitude 1;Longitude 1;Partner;Partner country;Type;Since;Notes;Mayor\n"
                        "Lyon;France;45,76;4,84;Turin;Italy;Twin town;1958;Signed; in Lyon;Someone\n"
                        .replace("Signed; in Lyon", '"Signed; in Lyon"'))
    result = run_cli("import", "twinnings", "twinnings.csv", "--kind", "friendship")
    assert result.stderr == "twinnings.csv row 1: warning: column 'Mayor' is not used\n"
    assert read(tmp_path, "cities/lyon.md").startswith(
        "---\nname: Lyon\ncountry: FR\ncoordinates: [45.76, 4.84]\npartners:\n  - city: turin\n"
        "    kind: sister-city\n    since: 1958\n    note: Signed; in Lyon\n")


def test_kind_option_is_the_default_for_rows_without_a_kind(tmp_path, make_site, run_cli):
    make_site(tmp_path, BASE)
    write_csv(tmp_path, "city_a,country_a,city_b,country_b\nLyon,FR,Turin,IT\n")
    assert run_cli("import", "twinnings", "twinnings.csv", "--kind", "cooperation").exit_code == 0
    assert "    kind: cooperation\n" in read(tmp_path, "cities/lyon.md")


@pytest.mark.parametrize("text, kind", [
    ("sister-city", "sister-city"), ("Sister City", "sister-city"), ("twin", "sister-city"),
    ("Twin town", "sister-city"), ("partner", "sister-city"), ("friendship", "friendship"),
    ("Friendship city", "friendship"), ("co-operation", "cooperation"), ("Cooperation agreement", "cooperation"),
    ("MoU", "memorandum"), ("memorandum of understanding", "memorandum"),
])
def test_parse_kind(text, kind):
    assert parse_kind(text) == kind


@pytest.mark.parametrize("text, since", [("1959", 1959), ("1959.0", 1959), ("836", 836), ("1967-06", "1967-06"),
                                         ("1967-06-23", "1967-06-23")])
def test_parse_since(text, since):
    assert parse_since(text, today=date(2024, 1, 1)) == since


@pytest.mark.parametrize("text", ["0", "2025", "1967-13", "1967-02-30", "sixties", "19 59"])
def test_parse_since_refuses(text):
    with pytest.raises(ValueError):
        parse_since(text, today=date(2024, 1, 1))


# --- dry run ------------------------------------------------------------------------------

def test_dry_run_writes_nothing_and_says_what_it_would_do(tmp_path, make_site, run_cli):
    make_site(tmp_path, {**BASE, "cities/lyon.md": city("Lyon", "FR")})
    write_csv(tmp_path, HEADER + "Lyon,FR,Turin,IT,sister city,1958,twinnings\nLyon,FR,Atlantis,XX,,,\n")
    before = snapshot(tmp_path / "content")
    result = run_cli("import", "twinnings", "twinnings.csv", "--dry-run")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "would update content/cities/lyon.md",
        "  + partner turin (sister-city, 1958)",
        "would create content/cities/turin.md",
        "dry run: would have imported 1 partnership: 1 city created, 1 updated, 1 row skipped; nothing was written",
    ]
    assert result.stderr == ("twinnings.csv row 3: skipped: country_b: unknown country 'XX': give its ISO code,"
                             " such as ES\n")
    assert snapshot(tmp_path / "content") == before


def test_the_plan_is_what_gets_written(tmp_path, make_site):
    make_site(tmp_path, BASE)
    write_csv(tmp_path, HEADER + "Lyon,FR,Turin,IT,,,\n")
    plan = plan_import(tmp_path / "twinnings.csv", tmp_path / "content", label="content")
    assert [(c.src, c.created) for c in plan.changes] == [("content/cities/lyon.md", True),
                                                         ("content/cities/turin.md", True)]
    assert not (tmp_path / "content/cities/lyon.md").exists()


def test_content_option_chooses_the_folder(tmp_path, make_site, run_cli):
    make_site(tmp_path, BASE)
    (tmp_path / "content").rename(tmp_path / "atlas-content")
    write_csv(tmp_path, HEADER + "Lyon,FR,Barcelona,ES,,,twinnings\n")
    result = run_cli("import", "twinnings", "twinnings.csv", "--content", "atlas-content")
    assert result.stdout.splitlines()[0] == "created atlas-content/cities/lyon.md"
    assert run_cli("check", "--content", "atlas-content").exit_code == 0
