"""Every error at once, in the same words everywhere.

- One run reports every problem in the content, whatever stage finds it: a file that
  cannot be read (load), a value its kind does not allow (schema), and a slug, link or
  source that names nothing (resolve), each once, with its file and line. A file with
  schema errors is still checked for what the rest of it names.
- One slip stays one error: an entry whose file has errors still exists for the entries
  that name it, so they get no errors of their own about it.
- `atlas check` calls no source "never cited", and no entry an orphan, when a file that
  may cite or link to it could not be read.
- `atlas serve` reports a failed build in the words of `atlas build`: every problem with
  its hint, then the count.
"""

from __future__ import annotations

from pathlib import Path

from atlas.errors import Problem, describe_failure
from atlas.serve.server import Server
from atlas.site import Config
from conftest import check_problems, entry

EVERY_STAGE = {
    "sources.yaml": "- id: thayer-2016\n  title: City diplomacy\n- id: atlanta-report\n  title: Atlanta report\n",
    "cities/lyon.md": entry("name: Lyon\ncountry: FR\ncoordinates: [45.76, 4.84]\npartners: [barcelona, atlanta]\n",
                            "Lyon works with [[barcelona]] [@thayer-2016].\n"),
    "cities/barcelona.md": entry("name: Barcelona\ncountry: ES\ncoordinates: [41.39, 2.17]\nnetworks: [eurocities]\n",
                                 "See [[atlanta]] and [[turin]].\n"),
    # load: a colon in an unquoted value
    "cities/atlanta.md": entry("name: Atlanta\ncountry: US\ncoordinates: [33.75, -84.39]\n"
                               "office: Office: International Affairs\nsources: [atlanta-report]\n", "A city.\n"),
    # schema: a bad country and a bad partnership kind; resolve: the rest of the same file
    "cities/turin.md": entry("name: Turin\ncountry: Italy\ncoordinates: [45.07, 7.69]\nnetworks: [eurocitties]\n"
                             "partners:\n  - {city: barcelona, kind: twin}\n  - {city: lyonn}\n",
                             "Turin and [[barcelone]] [@thayer-2061].\n"),
    "networks/eurocities.md": entry("name: Eurocities\n", "A network of [[lyon]].\n"),
}

EVERY_ERROR = [
    'content/cities/atlanta.md:5: error: invalid YAML: mapping values are not allowed in this context\n'
    '  hint: put the value in quotes: office: "Office: International Affairs"',
    "content/cities/turin.md:3: error: country: 'Italy' is not an ISO 3166-1 alpha-2 code;"
    " did you mean IT (Italy)?",
    "content/cities/turin.md:5: error: network 'eurocitties' does not exist\n  hint: did you mean eurocities?",
    "content/cities/turin.md:7: error: partners item 1, kind: 'twin' is not allowed;"
    " use one of 'sister-city', 'friendship', 'cooperation' or 'memorandum'",
    "content/cities/turin.md:8: error: partner city 'lyonn' does not exist\n  hint: did you mean lyon?",
    "content/cities/turin.md:10: error: link [[barcelone]] does not match any entry\n  hint: did you mean barcelona?",
    "content/cities/turin.md:10: error: source 'thayer-2061' is not in sources.yaml\n  hint: did you mean thayer-2016?",
]


def errors_of(problems: list[str]) -> list[str]:
    return [problem for problem in problems if ": error: " in problem]


# --- one run reports every problem --------------------------------------------------

def test_one_check_reports_the_errors_of_every_stage_each_once(tmp_path, make_site):
    make_site(tmp_path, EVERY_STAGE)
    assert errors_of(check_problems()) == EVERY_ERROR


def test_one_build_reports_them_too_and_counts_them(tmp_path, make_site, run_cli):
    make_site(tmp_path, EVERY_STAGE)
    result = run_cli("build", "--no-cache", "--output", "out")
    assert result.exit_code == 1
    assert result.stderr == "\n".join(EVERY_ERROR + ["build failed: 7 errors; out was left as it was"]) + "\n"
    assert not (tmp_path / "out").exists()


def test_a_file_with_schema_errors_is_checked_for_what_else_it_names(tmp_path, make_site):
    make_site(tmp_path, {
        "cities/lyon.md": entry("name: Lyon\ncountry: FR\ncoordinates: [45.76, 4.84]\npopulation: many\n"
                                "themes: [climat]\n", "[[turin]]\n"),
        "themes/climate.md": entry("name: Climate\n"),
    })
    assert errors_of(check_problems()) == [
        "content/cities/lyon.md:5: error: population must be a whole number, not 'many'",
        "content/cities/lyon.md:6: error: theme 'climat' does not exist\n  hint: did you mean climate?",
        "content/cities/lyon.md:8: error: link [[turin]] does not match any entry\n"
        "  hint: check the spelling, or create the entry",
    ]


def test_a_file_whose_front_matter_cannot_be_read_is_still_checked_for_its_links(tmp_path, make_site):
    make_site(tmp_path, {"cities/lyon.md": entry("name: Lyon\ncountry: FR\nnote: a: b\n", "[[turin]] [@nowhere]\n")})
    assert errors_of(check_problems()) == [
        "content/cities/lyon.md:4: error: invalid YAML: mapping values are not allowed in this context\n"
        '  hint: put the value in quotes: note: "a: b"',
        "content/cities/lyon.md:6: error: link [[turin]] does not match any entry\n"
        "  hint: check the spelling, or create the entry",
        "content/cities/lyon.md:6: error: source 'nowhere' is not in sources.yaml\n"
        "  hint: add it to content/sources.yaml",
    ]


# --- one slip stays one error --------------------------------------------------------

BROKEN_ATLANTA = {
    "cities/atlanta.md": entry("name: Atlanta\ncountry: US\noffice: Office: International Affairs\n"),
    "cities/lyon.md": entry("name: Lyon\ncountry: FR\npartners: [atlanta]\n", "Lyon and [[atlanta]].\n"),
    "case-studies/expo.md": entry("title: Expo\ncities: [atlanta, lyon]\n", "In [[cities/atlanta]].\n"),
}


def test_an_entry_whose_file_cannot_be_read_still_exists_for_the_entries_naming_it(tmp_path, make_site):
    make_site(tmp_path, BROKEN_ATLANTA)
    assert errors_of(check_problems()) == [
        "content/cities/atlanta.md:4: error: invalid YAML: mapping values are not allowed in this context\n"
        '  hint: put the value in quotes: office: "Office: International Affairs"',
    ]


def test_an_entry_with_schema_errors_still_exists_for_the_entries_naming_it(tmp_path, make_site):
    make_site(tmp_path, {**BROKEN_ATLANTA, "cities/atlanta.md": entry("name: Atlanta\ncountry: USA\n")})
    assert errors_of(check_problems()) == [
        "content/cities/atlanta.md:3: error: country: 'USA' is not an ISO 3166-1 alpha-2 code;"
        " did you mean US (United States)?",
    ]


def test_a_file_refused_before_its_yaml_is_read_still_exists_too(tmp_path, make_site):
    make_site(tmp_path, {**BROKEN_ATLANTA, "cities/atlanta.md": b"---\nname: Atl\xe9nta\n---\n"})
    assert errors_of(check_problems()) == [
        "content/cities/atlanta.md:2: error: file is not UTF-8 text (byte 0xe9)\n  hint: save the file as UTF-8",
    ]


def test_a_source_with_errors_still_exists_for_the_entries_citing_it(tmp_path, make_site):
    make_site(tmp_path, {
        "sources.yaml": "- id: thayer-2016\n  title: City diplomacy\n  year: soon\n",
        "cities/lyon.md": entry("name: Lyon\ncountry: FR\ncoordinates: [45.76, 4.84]\nsources: [thayer-2016]\n",
                                "[@thayer-2016]\n"),
    })
    assert errors_of(check_problems()) == ["content/sources.yaml:3: error: year must be a whole number, not 'soon'"]


def test_a_sources_yaml_that_cannot_be_read_is_one_error(tmp_path, make_site):
    make_site(tmp_path, {
        "sources.yaml": "- id: thayer-2016\n  title: City diplomacy: a survey\n",
        "cities/lyon.md": entry("name: Lyon\ncountry: FR\ncoordinates: [45.76, 4.84]\nsources: [thayer-2016]\n",
                                "[@thayer-2016]\n"),
    })
    assert check_problems() == [
        "content/sources.yaml:2: error: invalid YAML: mapping values are not allowed in this context\n"
        '  hint: put the value in quotes: title: "City diplomacy: a survey"',
    ]


def test_a_city_with_wrong_coordinates_is_not_also_asked_for_coordinates(tmp_path, make_site):
    make_site(tmp_path, {"cities/nowhere.md": entry("name: Nowhere Town\ncountry: FR\ncoordinates: [95, 4]\n")})
    assert [problem.split(": error")[0] for problem in errors_of(check_problems())] == ["content/cities/nowhere.md:4"]



def test_an_ended_partnership_whose_end_has_an_error_is_not_also_missing_its_end(tmp_path, make_site):
    make_site(tmp_path, {
        "cities/lyon.md": entry("name: Lyon\ncountry: FR\ncoordinates: [45.76, 4.84]\n"
                                "partners:\n  - {city: turin, status: ended, until: 20222}\n"),
        "cities/turin.md": entry("name: Turin\ncountry: IT\ncoordinates: [45.07, 7.69]\n"),
    })
    assert errors_of(check_problems()) == [
        "content/cities/lyon.md:6: error: partners item 1, until: '20222' is not a year",
    ]


# --- atlas check's advice ---------------------------------------------------------------

def test_a_source_is_not_never_cited_when_the_file_citing_it_cannot_be_read(tmp_path, make_site):
    make_site(tmp_path, EVERY_STAGE)
    assert "content/sources.yaml:3: warning: source 'atlanta-report' is never cited" not in check_problems()


def test_a_source_nothing_cites_is_still_never_cited(tmp_path, make_site):
    make_site(tmp_path, {**EVERY_STAGE, "sources.yaml": EVERY_STAGE["sources.yaml"] + "- id: unused\n  title: U\n"})
    assert "content/sources.yaml:5: warning: source 'unused' is never cited" in check_problems()


def test_an_entry_is_not_an_orphan_when_the_file_naming_it_cannot_be_read(tmp_path, make_site, run_cli):
    make_site(tmp_path, {
        "cities/atlanta.md": entry("name: Atlanta\ncountry: US\noffice: a: b\npartners: [lyon]\n"),
        "cities/lyon.md": entry("name: Lyon\ncountry: FR\ncoordinates: [45.76, 4.84]\n"),
    })
    assert run_cli("check").stdout == (
        "content/cities/atlanta.md:4: error: invalid YAML: mapping values are not allowed in this context\n"
        '  hint: put the value in quotes: office: "a: b"\n'
        "content/cities/lyon.md:2: note: no Wikidata id: registers match cities by it\n"
        "  hint: find the city on https://www.wikidata.org/ and add `wikidata: Q…`, its item's number\n"
        "0 citations (none); 0.0% to mirrors\n1 error, 0 warnings, 1 note\n")


# --- the same words everywhere -----------------------------------------------------------

def test_a_failed_build_is_counted_and_says_what_became_of_the_site():
    problems = [Problem("content/a.md", 2, "bad", hint="fix it"), Problem("content/a.md", 1, "worse")]
    assert describe_failure(problems, "output was left as it was") == [
        "content/a.md:1: error: worse",
        "content/a.md:2: error: bad\n  hint: fix it",
        "build failed: 2 errors; output was left as it was",
    ]
    warnings = [Problem("content/a.md", 1, "orphan", "warning")]
    assert describe_failure(warnings, "kept")[-1] == "build failed: 1 warning (--strict); kept"


def test_serve_reports_a_failed_build_in_the_words_of_build(tmp_path, make_site, run_cli):
    make_site(tmp_path, EVERY_STAGE)
    built = run_cli("build", "--no-cache", "--output", "out").stderr
    logged: list[str] = []
    server = Server(Config(content_dir=Path("content"), output_dir=tmp_path / "served"), port=0, log=logged.append)
    try:
        server.rebuild()
    finally:
        server.httpd.server_close()
    served = "\n".join(logged) + "\n"
    assert served == built.replace("out was left as it was", "still serving the last good site")
    assert server.state.errors == EVERY_ERROR + ["build failed: 7 errors; still serving the last good site"]
