"""kinds/: a kind is declared once, and a new one needs only its module and its template.

The award kind (tests/kinds/award.py and award.html), a kind the atlas does not have, is
registered for one test at a time; the site built with it has the award's pages, its index, its search filter,
its JSON-LD, its rows in the open data and `atlas new award`.
"""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from atlas import kinds
from atlas.content.reference import field_reference
from conftest import build_site, check_problems, city, entry
from kinds.award import KIND as AWARD

FILES = {
    "cities/lyon.md": city("Lyon", "FR", "[45.76, 4.84]", body="See [[lyon-summit]].\n"),
    "cities/turin.md": city("Turin", "IT", "[45.07, 7.69]", body="Twinned with [[lyon]].\n"),
    "awards/lyon-summit.md": entry("name: Lyon Summit\ndate: 2019-06\ncities: [lyon, turin]\n",
                                   "Mayors met in [[lyon]].\n"),
}


@pytest.fixture
def awards():
    with kinds.registering(AWARD):
        yield AWARD


def test_the_registry_has_the_ten_kinds_in_order():
    assert [kind.name for kind in kinds.registered()] == ["city", "network", "organisation", "initiative", "event",
                                                          "person", "survey", "case-study", "theme", "page"]
    assert kinds.folders() == ("cities", "networks", "organisations", "initiatives", "events", "people", "surveys",
                               "case-studies", "themes", "pages")
    assert kinds.of_name("case-study") is kinds.of_folder("case-studies")


@pytest.mark.parametrize("kind", kinds.registered(), ids=lambda kind: kind.name)
def test_each_kind_documents_every_field_of_its_model(kind):
    from atlas.content.fields import COMMON_NOTES
    noted = {note.name for note in (*kind.fields, *COMMON_NOTES)}
    assert set(kind.model.model_fields) == noted
    assert kind.model.model_fields[kind.title_field].is_required()


def test_a_kind_cannot_be_registered_twice(awards):
    with pytest.raises(ValueError, match="registered already"):
        with kinds.registering(AWARD):
            pass


def test_registering_ends_with_the_block(awards):
    assert kinds.of_name("award") is AWARD
    with kinds.registering(kinds.Kind("walk", "walks", ("Walk", "Walks"), AWARD.model, "name", "x.html", ())):
        assert "walks" in kinds.folders()
        assert kinds.of_folder("walks").name == "walk"
    assert "walks" not in kinds.folders()
    with pytest.raises(KeyError):  # the registry's answers do not outlive the block either
        kinds.of_folder("walks")


def test_a_new_kind_is_a_module_and_a_template(tmp_path, make_site, awards):
    content = make_site(tmp_path, FILES)
    report = build_site(content, tmp_path / "output", base_url="https://example.org/")
    assert report is not None
    out = tmp_path / "output"

    page = (out / "awards/lyon-summit/index.html").read_text(encoding="utf-8")
    assert "<h1>Lyon Summit</h1>" in page and "June 2019" in page
    assert '<span data-pagefind-filter="kind[data-value]" data-value="Award">' in page
    assert 'data-value="Italy"' in page and 'data-value="France"' in page
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert ld["@type"] == "Event" and ld["startDate"] == "2019-06"
    assert [place["name"] for place in ld["location"]] == ["Lyon", "Turin"]

    index = (out / "awards/index.html").read_text(encoding="utf-8")
    assert "<h1>Awards</h1>" in index and "/awards/lyon-summit/" in index
    assert 'href="/awards/"' in (out / "index.html").read_text(encoding="utf-8")  # in the navigation bar

    lyon = (out / "cities/lyon/index.html").read_text(encoding="utf-8")
    assert "Lyon Summit" in lyon  # referenced by the award

    document = json.loads((out / "data/atlas.json").read_text(encoding="utf-8"))
    assert document["awards"] == [{"slug": "lyon-summit", "url": "https://example.org/awards/lyon-summit/",
                                    "summary": None, "wikidata": None, "sources": [], "name": "Lyon Summit", "date": ["2019-06"],
                                    "cities": ["lyon", "turin"]}]
    rows = list(csv.reader(io.StringIO((out / "data/awards.csv").read_text(encoding="utf-8"))))
    assert rows == [["slug", "name", "date", "cities", "url", "wikidata"],  # the columns every entry has come last
                    ["lyon-summit", "Lyon Summit", "2019-06", "lyon turin", "https://example.org/awards/lyon-summit/", ""]]
    assert "https://example.org/awards/lyon-summit/" in (out / "sitemap.xml").read_text(encoding="utf-8")


def test_a_new_kind_is_checked_like_the_others(tmp_path, make_site, awards):
    make_site(tmp_path, {**FILES, "awards/bad.md": entry("name: Bad\ncities: [lyom]\nvenue: Hall\n")})
    assert check_problems() == [  # both slips in one run: the schema's and the link's
        "content/awards/bad.md:3: error: city 'lyom' does not exist\n  hint: did you mean lyon?",
        "content/awards/bad.md:4: error: unknown field 'venue'\n  hint: known fields: summary, draft, sources, wikidata,"
        " name, date, cities",
    ]


def test_atlas_new_makes_the_new_kind(tmp_path, make_site, run_cli, awards):
    make_site(tmp_path, FILES)
    result = run_cli("new", "award", "Turin Forum")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "wrote content/awards/turin-forum.md\n", "")
    text = (tmp_path / "content/awards/turin-forum.md").read_text(encoding="utf-8")
    assert text.startswith("---\nname: Turin Forum\n# date: \"2019-06\"")
    assert "# cities: [lyon]" in text and "## Why it was given" in text
    assert run_cli("check").exit_code == 0


def test_the_new_kind_has_its_field_reference(awards):
    assert "**Awards** (`awards/<slug>.md`)" in field_reference()
    assert "| `cities` | no | slugs of the cities it was given to |" in field_reference()
