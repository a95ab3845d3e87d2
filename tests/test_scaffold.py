"""scaffold.py: `atlas new` writes a file that validates, never overwrites, and explains itself."""

from __future__ import annotations

import re

import pytest

from atlas.editing.scaffold import ScaffoldError, entry_slug, plan_entry, resolve_country, yaml_text
from atlas import kinds
from atlas.content.yamlfile import load_yaml
from conftest import check_problems, city

CITY_FILE = """\
---
name: São Paulo
country: BR
coordinates: [-23.5475, -46.63611]  # GeoNames
"""


@pytest.mark.parametrize("name, slug", [
    ("São Paulo", "sao-paulo"),
    ("St. Gallen", "st-gallen"),
    ("Frankfurt am Main", "frankfurt-am-main"),
    ("Washington, D.C.", "washington-d-c"),
    ("Saint-Étienne", "saint-etienne"),
    ("  Zürich  ", "zurich"),
    ("'s-Hertogenbosch", "s-hertogenbosch"),
    ("Côte d'Ivoire", "cote-divoire"),
    ("Łódź", "lodz"),
    ("Tromsø", "tromso"),
    ("Gießen", "giessen"),
    ("C40 Cities -- Climate!", "c40-cities-climate"),
    ("東京", ""),
])
def test_slug_rules(name, slug):
    assert entry_slug(name) == slug


@pytest.mark.parametrize("name, slug", [("São Paulo", "sao-paulo"), ("St. Gallen", "st-gallen")])
def test_the_file_is_named_by_the_slug(tmp_path, make_site, name, slug):
    make_site(tmp_path, {})
    assert plan_entry("city", name, tmp_path / "content", country="CH").path.name == f"{slug}.md"


def test_new_city_passes_check_and_prints_the_path(tmp_path, make_site, run_cli):
    make_site(tmp_path, {})
    result = run_cli("new", "city", "São Paulo", "--country", "BR")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "wrote content/cities/sao-paulo.md\n", "")
    text = (tmp_path / "content/cities/sao-paulo.md").read_text(encoding="utf-8")
    assert text.startswith(CITY_FILE)
    assert run_cli("check", "--content", "content").exit_code == 0
    assert check_problems() == []


@pytest.mark.parametrize("kind, folder", [("city", "cities"), ("network", "networks"),
                                          ("case-study", "case-studies"), ("theme", "themes")])
def test_every_optional_field_is_there_commented_out(tmp_path, make_site, kind, folder):
    make_site(tmp_path, {"cities/lyon.md": city("Lyon", "FR")})
    options = {"country": "FR"} if kind == "city" else {"cities": ("lyon",)} if kind == "case-study" else {}
    text = plan_entry(kind, "Lille", tmp_path / "content", **options).text
    front = text.split("---\n")[1]
    written = set(load_yaml(front).data)
    commented = set(re.findall(r"^# ?(\w+):", front, re.M))
    assert set(kinds.of_folder(folder).model.model_fields) <= written | commented
    assert "\n## " in text and "[@source-id]" in text


def test_every_kind_passes_check(tmp_path, make_site, run_cli):
    make_site(tmp_path, {})
    for args in (["city", "Lyon", "--country", "fr"], ["city", "Barcelona", "--country", "ES"],
                 ["network", "Eurocities"], ["theme", "Smart cities"],
                 ["case-study", "Lyon–Barcelona exchange: a workshop", "--city", "lyon", "--city", "barcelona",
                  "--date", "2019-06"]):
        result = run_cli("new", *args)
        assert result.exit_code == 0, result.stderr
    assert sorted(p.relative_to(tmp_path / "content").as_posix()
                  for p in (tmp_path / "content").rglob("*.md")) == [
        "case-studies/lyon-barcelona-exchange-a-workshop.md", "cities/barcelona.md", "cities/lyon.md",
        "networks/eurocities.md", "themes/smart-cities.md"]
    study = (tmp_path / "content/case-studies/lyon-barcelona-exchange-a-workshop.md").read_text(encoding="utf-8")
    assert 'title: "Lyon–Barcelona exchange: a workshop"\ndate: "2019-06"\ncities: [lyon, barcelona]\n' in study
    assert "country: FR\n" in (tmp_path / "content/cities/lyon.md").read_text(encoding="utf-8")
    assert run_cli("check").exit_code == 0
    assert check_problems() == []
    assert run_cli("build").exit_code == 0


def test_a_case_study_without_a_date_leaves_it_commented(tmp_path, make_site):
    make_site(tmp_path, {"cities/lyon.md": city("Lyon", "FR")})
    text = plan_entry("case-study", "Study", tmp_path / "content", cities=("lyon",)).text
    assert '\n# date: "2016-02"' in text
    assert check_problems() == []


def test_a_city_the_gazetteer_does_not_know_gets_a_commented_line_and_a_warning(tmp_path, make_site, run_cli):
    make_site(tmp_path, {})
    result = run_cli("new", "city", "Nowhereville", "--country", "US")
    assert result.exit_code == 0
    assert result.stdout == "wrote content/cities/nowhereville.md\n"
    assert result.stderr == ("warning: content/cities/nowhereville.md: the gazetteer has no city called"
                             " 'Nowhereville' in US; fill in coordinates: [lat, lon], or `atlas check` will ask"
                             " for them\n")
    text = (tmp_path / "content/cities/nowhereville.md").read_text(encoding="utf-8")
    assert "\n# coordinates: [lat, lon]  # not found in the gazetteer: fill in\n" in text
    assert check_problems() == [
        "content/cities/nowhereville.md:2: error: no coordinates given and the gazetteer has no city named"
        " 'Nowhereville' in US\n  hint: add coordinates: [latitude, longitude]"]


def test_an_ambiguous_city_lists_the_candidates(tmp_path, make_site, run_cli):
    make_site(tmp_path, {})
    result = run_cli("new", "city", "Portland", "--country", "US")
    assert result.exit_code == 0
    assert "3 places called 'Portland' in US (Portland (OR) [45.5234, -122.6762];" in result.stderr
    text = (tmp_path / "content/cities/portland.md").read_text(encoding="utf-8")
    assert "\n# coordinates: [lat, lon]  # 3 places of this name in the gazetteer: fill in\n" in text
    problems = check_problems()
    assert len(problems) == 1 and "'Portland' matches 3 places in US" in problems[0]


def test_refuses_to_overwrite(tmp_path, make_site, run_cli):
    make_site(tmp_path, {"cities/sao-paulo.md": city("São Paulo", "BR", body="Mine.\n")})
    before = (tmp_path / "content/cities/sao-paulo.md").read_bytes()
    result = run_cli("new", "city", "São Paulo", "--country", "BR")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == "error: content/cities/sao-paulo.md already exists; it was left as it was\n"
    assert (tmp_path / "content/cities/sao-paulo.md").read_bytes() == before


@pytest.mark.parametrize("country, message", [
    ("Brazil", "error: --country: 'Brazil' is not an ISO 3166-1 alpha-2 code; did you mean BR (Brazil)?"),
    ("BRA", "error: --country: 'BRA' is not an ISO 3166-1 alpha-2 code; did you mean BR (Brazil)?"),
    ("UK", "error: --country: 'UK' is not an ISO 3166-1 alpha-2 code; did you mean GB (United Kingdom)?"),
    ("XX", "error: --country: unknown country 'XX': give its ISO code, such as ES"),
])
def test_bad_country(tmp_path, make_site, run_cli, country, message):
    make_site(tmp_path, {})
    result = run_cli("new", "city", "São Paulo", "--country", country)
    assert (result.exit_code, result.stderr) == (1, message + "\n")
    assert not (tmp_path / "content/cities").exists()


@pytest.mark.parametrize("args, message", [
    (["city", "Lyon"], "a city needs --country"),
    (["case-study", "A study"], "a case study needs at least one city"),
    (["case-study", "A study", "--city", "Lyon"], "--city: 'Lyon' is not a slug"),
    (["case-study", "A study", "--city", "lyon", "--date", "2016-02-30"], "--date: '2016-02-30' is not a date"),
    (["network", "C40", "--country", "GB"], "--country is for cities"),
    (["city", "東京", "--country", "JP"], "give one with --slug"),
    (["city", "Tokyo", "--country", "JP", "--slug", "Tokyo!"], "--slug: 'Tokyo!' is not a slug"),
])
def test_bad_options_write_nothing(tmp_path, make_site, run_cli, args, message):
    make_site(tmp_path, {})
    result = run_cli("new", *args)
    assert result.exit_code == 1
    assert message in result.stderr
    assert [p for p in (tmp_path / "content").rglob("*.md")] == []


def test_a_missing_content_folder_is_an_error(tmp_path, run_cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run_cli("new", "theme", "Climate", "--content", "nowhere")
    assert (result.exit_code, result.stderr) == (1, "error: content folder not found: nowhere\n")


def test_a_case_study_city_that_does_not_exist_yet_is_a_warning(tmp_path, make_site):
    make_site(tmp_path, {})
    new = plan_entry("case-study", "Study", tmp_path / "content", cities=("lyon",), label="content")
    assert new.warnings == ("content/case-studies/study.md: there is no city 'lyon' yet; create it with"
                            " `atlas new city`, or `atlas check` will report it",)


def test_slug_option_and_names_that_need_quotes(tmp_path, make_site):
    make_site(tmp_path, {})
    new = plan_entry("city", "東京", tmp_path / "content", country="JP", slug="tokyo")
    assert new.path.name == "tokyo.md" and "\nname: 東京\n" in new.text
    assert yaml_text("true") == '"true"' and yaml_text("Dijon: old town") == '"Dijon: old town"'
    assert yaml_text("NO") == "NO" and yaml_text("a, b", flow=True) == '"a, b"'


@pytest.mark.parametrize("text, code", [("br", "BR"), ("CZE", "CZ"), ("Czech Republic", "CZ"), ("UK", "GB"),
                                        ("Russia", "RU"), ("Holland", "NL"), ("South Korea", "KR"),
                                        ("Ivory Coast", "CI"), ("Turkey", "TR"), ("Kosovo", "XK"),
                                        ("Burma", "MM"), ("Czechoslovakia", None), ("Atlantis", None)])
def test_resolve_country(text, code):
    assert resolve_country(text).code == code


def test_scaffold_errors_are_atlas_errors(tmp_path, make_site):
    make_site(tmp_path, {})
    with pytest.raises(ScaffoldError, match="unknown kind"):
        plan_entry("page", "About", tmp_path / "content")


def test_content_option_chooses_the_folder(tmp_path, make_site, run_cli):
    make_site(tmp_path, {})
    (tmp_path / "content").rename(tmp_path / "atlas-content")
    result = run_cli("new", "theme", "Climate", "--content", "atlas-content")
    assert (result.exit_code, result.stdout) == (0, "wrote atlas-content/themes/climate.md\n")
    assert run_cli("check", "--content", "atlas-content").exit_code == 0
