"""Wikidata ids: every entry may give one (`wikidata: Q90`), no two entries the same one, and the site,
its open data and `atlas check` carry them.

A Wikidata id is what registers of twinnings (Wikidata's own "twinned administrative body", P190)
match cities by, so the atlas checks its form and that it names one entry only, publishes it as
linked data (`sameAs`) and in the open data, and notes the cities still without one: advice that
never fails a build, not even `--strict`.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest

from atlas import kinds
from atlas.content.fields import COMMON_NOTES
from atlas.editing.cms import collection
from atlas.editing.scaffold import plan_entry
from atlas.errors import ContentError
from atlas.pipeline import Config, build, check
from conftest import PROJECT_ROOT, build_site, check_problems, city, entry, json_ld_of, schema_problems, snapshot

QUOTE = "wikidata: {!r} is not a Wikidata id: write Q and its number, such as Q90"
FIND_HINT = "find the item on https://www.wikidata.org/ and copy the Q-number after its title, such as Q90"
DUPLICATE_HINT = "keep the id on the entry it describes, and look up the other's own on wikidata.org"
NOTE = "no Wikidata id: registers match cities by it"

# Paris cites its tie with Rome, so that nothing but Rome's missing id is left to advise on. Paris's and
# Rome's ids are theirs (Wikidata's pages show them); the network is made up, and so is its id.
SITE = {
    "sources.yaml": "- id: paris-rome\n  title: Paris and Rome\n- id: capitals-about\n  title: About Capitals\n",
    "cities/paris.md": city("Paris", "FR", "[48.8566, 2.3522]", extra="""\
        wikidata: Q90
        partners: [{city: rome, since: 1956, sources: [paris-rome]}]
        """, body="Paris and Rome [@paris-rome] are both in [[capitals]].\n"),
    "cities/rome.md": city("Rome", "IT", "[41.8933, 12.4829]"),
    "networks/capitals.md": entry("""\
        name: Capitals Test Network
        website: https://capitals.example.org/
        wikidata: Q123456
        sources: [capitals-about]
        """, "A network of capitals [@capitals-about].\n"),
}


# --- the field: its form ---------------------------------------------------------

@pytest.mark.parametrize("value", ["Q90", "Q1770", '"Q220"'])
def test_an_id_is_q_and_its_number(tmp_path, make_site, value):
    make_site(tmp_path, {"cities/paris.md": city("Paris", "FR", extra=f"wikidata: {value}\n")})
    assert schema_problems() == []


@pytest.mark.parametrize("value, hint", [
    ("q90", "write wikidata: Q90"),  # a lower-case q
    ("https://www.wikidata.org/wiki/Q90", "write wikidata: Q90"),  # the item's address, pasted
    ("http://www.wikidata.org/entity/Q90", "write wikidata: Q90"),  # the query service's entity URL
    ("wd:Q90", "write wikidata: Q90"),  # SPARQL's prefixed name
    ("Paris", FIND_HINT),
    ("Q090", FIND_HINT),  # no item number starts with 0
    ("Q", FIND_HINT),
    ("P190", FIND_HINT),  # a property, not an item
])
def test_an_id_in_another_form_is_an_error_on_its_line_with_a_hint(tmp_path, make_site, value, hint):
    make_site(tmp_path, {"cities/paris.md": city("Paris", "FR", extra=f"wikidata: {value}\n")})
    assert schema_problems() == [f"content/cities/paris.md:4: error: {QUOTE.format(value)}\n  hint: {hint}"]


@pytest.mark.parametrize("kind", kinds.registered(), ids=lambda kind: kind.name)
def test_every_kind_may_give_one(kind):
    assert "wikidata" in kind.model.model_fields and not kind.model.model_fields["wikidata"].is_required()


# --- the field: one item, one entry ------------------------------------------------

def test_two_entries_giving_one_id_are_one_error_naming_both_files_and_lines(tmp_path, make_site):
    make_site(tmp_path, {
        "cities/paris.md": city("Paris", "FR", "[48.8566, 2.3522]", extra="wikidata: Q90\n"),
        "cities/lutece.md": city("Lutèce", "FR", "[48.85, 2.35]", extra="population: 1\nwikidata: Q90\n"),
    })
    assert check_problems() == [
        "content/cities/lutece.md:6: error: wikidata: Q90 is also given by content/cities/paris.md:5 (Paris);"
        f" a Wikidata item stands for one entry\n  hint: {DUPLICATE_HINT}"]


def test_three_entries_of_different_kinds_with_one_id_are_still_one_error(tmp_path, make_site):
    make_site(tmp_path, {
        "cities/paris.md": city("Paris", "FR", "[48.8566, 2.3522]", extra="wikidata: Q90\n"),
        "networks/eurocities.md": entry("name: Eurocities\nwikidata: Q90\n"),
        "people/anne.md": entry("name: Anne\nsummary: A mayor.\nwikidata: Q90\n"),
    })
    problems = [problem for problem in check_problems() if ": error: " in problem]
    assert problems == [
        "content/cities/paris.md:5: error: wikidata: Q90 is also given by content/networks/eurocities.md:3"
        " (Eurocities) and content/people/anne.md:4 (Anne); a Wikidata item stands for one entry"
        f"\n  hint: {DUPLICATE_HINT}"]


def test_different_ids_and_entries_without_one_are_no_error(tmp_path, make_site):
    make_site(tmp_path, {
        "cities/paris.md": city("Paris", "FR", "[48.8566, 2.3522]", extra="wikidata: Q90\n"),
        "cities/rome.md": city("Rome", "IT", "[41.8933, 12.4829]", extra="wikidata: Q220\n"),
        "cities/lyon.md": city("Lyon", "FR", "[45.764, 4.8357]"),
        "cities/turin.md": city("Turin", "IT", "[45.0703, 7.6869]"),
    })
    assert [problem for problem in check_problems() if ": error: " in problem] == []


def test_a_bad_id_is_not_also_called_a_duplicate(tmp_path, make_site):
    make_site(tmp_path, {
        "cities/paris.md": city("Paris", "FR", "[48.8566, 2.3522]", extra="wikidata: Q90\n"),
        "cities/lutece.md": city("Lutèce", "FR", "[48.85, 2.35]", extra="wikidata: q90\n"),
    })
    assert check_problems() == [
        f"content/cities/lutece.md:5: error: {QUOTE.format('q90')}\n  hint: write wikidata: Q90"]


def test_a_build_after_an_edit_that_repeats_an_id_reports_it_and_a_fix_gives_a_full_builds_bytes(tmp_path,
                                                                                                make_site):
    make_site(tmp_path, SITE)
    content = Path("content")
    config = Config(content_dir=content, output_dir=Path("output"), cache_dir=Path("cache"))
    build(config)
    rome = content / "cities/rome.md"
    rome.write_text(rome.read_text(encoding="utf-8").replace("country: IT\n", "country: IT\nwikidata: Q90\n"),
                    encoding="utf-8")
    with pytest.raises(ContentError) as failed:
        build(config)  # the edit touches no link, yet only the whole atlas can tell a duplicate
    assert [str(problem).split(";")[0] for problem in failed.value.problems] == [
        "content/cities/paris.md:5: error: wikidata: Q90 is also given by content/cities/rome.md:4 (Rome)"]
    rome.write_text(rome.read_text(encoding="utf-8").replace("Q90", "Q220"), encoding="utf-8")
    build(config)
    build(Config(content_dir=content, output_dir=tmp_path / "full"))
    assert snapshot(tmp_path / "output") == snapshot(tmp_path / "full")
    assert "https://www.wikidata.org/wiki/Q220" in (tmp_path / "output/cities/rome/index.html").read_text()


# --- what the site and its data carry -------------------------------------------

@pytest.fixture
def site(tmp_path, make_site) -> Path:
    make_site(tmp_path, SITE)
    build_site(base_url="https://atlas.example.net/")
    return tmp_path / "output"


def test_json_ld_gives_the_item_as_same_as(site):
    assert json_ld_of(site / "cities/paris/index.html")["sameAs"] == "https://www.wikidata.org/wiki/Q90"
    assert "sameAs" not in json_ld_of(site / "cities/rome/index.html")
    # an organisation is the same as its website already: the item comes beside it
    assert json_ld_of(site / "networks/capitals/index.html")["sameAs"] == [
        "https://capitals.example.org/", "https://www.wikidata.org/wiki/Q123456"]


def test_readers_see_the_item_among_the_facts_as_a_link_the_search_index_leaves_out(site):
    paris = (site / "cities/paris/index.html").read_text(encoding="utf-8")
    assert ('<div data-pagefind-ignore><dt>Wikidata</dt><dd><a href="https://www.wikidata.org/wiki/Q90">Q90</a>'
            '</dd></div>') in paris
    assert "<dt>Wikidata</dt>" not in (site / "cities/rome/index.html").read_text(encoding="utf-8")
    capitals = (site / "networks/capitals/index.html").read_text(encoding="utf-8")
    assert '<a href="https://www.wikidata.org/wiki/Q123456">Q123456</a>' in capitals


def test_the_tables_of_entries_end_with_a_wikidata_column(site):
    rows = list(csv.DictReader(io.StringIO((site / "data/cities.csv").read_text(encoding="utf-8"))))
    assert list(rows[0])[-1] == "wikidata"
    assert {row["slug"]: row["wikidata"] for row in rows} == {"paris": "Q90", "rome": ""}
    package = json.loads((site / "data/datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:
        names = [field["name"] for field in resource["schema"]["fields"]]
        lists_entries = any(kind.tables and kind.tables[0].name == resource["name"] for kind in kinds.registered())
        assert ("wikidata" in names) == lists_entries, resource["name"]


def test_atlas_json_and_the_cities_geojson_give_every_entrys_id(site):
    document = json.loads((site / "data/atlas.json").read_text(encoding="utf-8"))
    assert {city["slug"]: city["wikidata"] for city in document["cities"]} == {"paris": "Q90", "rome": None}
    assert [network["wikidata"] for network in document["networks"]] == ["Q123456"]
    points = json.loads((site / "data/cities.geojson").read_text(encoding="utf-8"))["features"]
    assert {point["id"]: point["properties"]["wikidata"] for point in points} == {"paris": "Q90", "rome": None}


# --- atlas check: a note, never a failure -------------------------------------------

def test_check_notes_each_city_without_an_id_and_nothing_else(tmp_path, make_site):
    make_site(tmp_path, SITE)
    errors, _, _ = check(Config(content_dir=Path("content")), advice=True)
    assert [(note.src, note.line, note.message) for note in errors.notes] == [("content/cities/rome.md", 2, NOTE)]
    assert errors.errors == [] and errors.warnings == []


def test_a_strict_build_with_notes_succeeds(tmp_path, make_site, run_cli):
    make_site(tmp_path, SITE)
    result = run_cli("build", "--strict", "--base-url", "https://atlas.example.net/")
    assert result.exit_code == 0, result.stderr
    assert "note" not in result.stderr and (tmp_path / "output/cities/rome/index.html").is_file()


def test_check_shows_a_few_notes_of_a_kind_then_counts_the_rest(tmp_path, make_site, run_cli):
    names = ["Lyon", "Nantes", "Lille", "Nice", "Brest", "Dijon", "Reims"]
    make_site(tmp_path, {f"cities/{name.lower()}.md": city(name, "FR", f"[45.0, {index}.0]")
                         for index, name in enumerate(names)})
    lines = run_cli("check").stdout.splitlines()
    notes = [line for line in lines if ": note: " in line]
    assert notes == [f"content/cities/{name}.md:2: note: {NOTE}" for name in sorted(n.lower() for n in names)[:5]]
    assert "... and 2 more notes like it (atlas check --format json lists them all)" in lines
    assert lines[-1].startswith("0 errors, ") and lines[-1].endswith(", 7 notes")  # warnings: orphans, far places
    report = json.loads(run_cli("check", "--format", "json").stdout)
    assert report["notes"] == 7 and sum(p["severity"] == "note" for p in report["problems"]) == 7


# --- where editors meet the field: atlas new, the browser editor, the docs ------------

@pytest.mark.parametrize("kind", ["city", "network", "person"])
def test_atlas_new_offers_it_commented_out_with_its_note(tmp_path, make_site, kind):
    content = make_site(tmp_path, {})
    new = plan_entry(kind, "Paris", content, country="FR" if kind == "city" else None)
    line = next(line for line in new.text.splitlines() if line.startswith("# wikidata:"))
    note = next(note for note in COMMON_NOTES if note.name == "wikidata")
    assert line.split("#")[1].strip() == "wikidata: Q…" and line.endswith(f"# {note.meaning}")


def test_the_placeholder_of_atlas_new_uncommented_is_an_error_not_an_id(tmp_path, make_site):
    content = make_site(tmp_path, {})
    lines = plan_entry("city", "Paris", content, country="FR").text.splitlines()
    at = next(index for index, line in enumerate(lines) if line.startswith("# wikidata:"))
    lines[at] = "wikidata: Q…"
    make_site(tmp_path, {"cities/paris.md": "\n".join(lines) + "\n"})
    assert schema_problems() == [f"content/cities/paris.md:{at + 1}: error: {QUOTE.format('Q…')}\n  hint: {FIND_HINT}"]


@pytest.mark.parametrize("kind", kinds.registered(), ids=lambda kind: kind.name)
def test_the_browser_editor_has_a_field_that_takes_only_an_id(kind):
    widget = next(field for field in collection(kind)["fields"] if field["name"] == "wikidata")
    pattern = re.compile(widget["pattern"][0])
    assert widget["widget"] == "string" and not widget["required"]
    assert pattern.match("Q90") and not pattern.match("q90") and not pattern.match("Q090")


def test_the_docs_say_what_it_is_how_to_find_one_and_where_it_is_published():
    reference = (PROJECT_ROOT / "docs/field-reference.md").read_text(encoding="utf-8")
    assert re.search(r"^\| `wikidata` \| .*Q90", reference, re.M)
    guide = (PROJECT_ROOT / "docs/editors-guide.md").read_text(encoding="utf-8")
    assert "https://www.wikidata.org/" in guide and "wikidata: Q" in guide
    reading = (PROJECT_ROOT / "docs/reading.md").read_text(encoding="utf-8")
    assert "`wikidata`" in reading and "sameAs" in reading

