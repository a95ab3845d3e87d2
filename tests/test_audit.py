"""audit.py: the advice `atlas check` gives beyond errors, from plain data.

- Facts need a source: a kind's fact fields (a city's population, office, partners,
  networks; a network's founding, headquarters, members, website; a case study's
  date) given with no `sources` and no citation in the text get one warning, on the
  line of the first of them, naming them all.
- Each partnership needs a source of its own, or the city's `sources`.
- An entry no other entry refers to is an orphan; pages are not (the footer links them).
- Given coordinates more than 100 km from the gazetteer's city of that name are suspect.
- Citations are counted by the kind of source they cite (primary, secondary, mirror), one per
  page and source, so `atlas check` can say how much of the atlas rests on mirrors.
"""

from __future__ import annotations

import pytest

from atlas.errors import ErrorList
from atlas.content.schema import SourceMeta
from atlas.graph.audit import CitationCount, audit_atlas, count_citations
from atlas.graph.relations import Graph
from plain import atlas_of

LYON = ("content/cities/lyon.md", "lyon")


def advice(files: dict[str, str], references: dict | None = None, citations: dict | None = None) -> list[str]:
    """Every warning for these entries; each is referred to (no orphans) unless `references` says otherwise."""
    atlas = atlas_of(files)
    everyone = {key: [("pages", "about")] for key in atlas.entries}
    graph = Graph(references=everyone if references is None else references, citations=citations or {})
    errors = ErrorList()
    audit_atlas(atlas, graph, errors)
    assert errors.errors == []
    return [str(p) for p in errors.warnings]


@pytest.mark.parametrize("path, front, warning", [
    ("cities/lyon.md", "name: Lyon\ncountry: FR\npopulation: 522000\noffice: DRI\n",
     "content/cities/lyon.md:4: warning: population, office given without a source\n"
     "  hint: add `sources: [source-id]`"),
    ("networks/c40.md", "name: C40\nwebsite: https://c40.org/\nfounded: 2005\n",
     "content/networks/c40.md:4: warning: founded, website given without a source\n"
     "  hint: add `sources: [source-id]`"),
    ("case-studies/expo.md", "title: Expo\ndate: 2016\ncities: [lyon]\n",
     "content/case-studies/expo.md:3: warning: date given without a source\n  hint: add `sources: [source-id]`"),
])
def test_facts_without_a_source(path, front, warning):
    assert advice({path: front}) == [warning]


@pytest.mark.parametrize("front", [
    "name: Lyon\ncountry: FR\npopulation: 522000\nsources: [insee]\n",
    "name: Lyon\ncountry: FR\nsummary: Not a fact.\n",
])
def test_sourced_facts_and_entries_without_facts_need_nothing(front):
    assert advice({"cities/lyon.md": front}) == []


def test_a_citation_in_the_text_sources_the_facts():
    files = {"cities/lyon.md": "name: Lyon\ncountry: FR\npopulation: 522000\n"}
    assert advice(files, citations={("cities", "lyon"): ["insee"]}) == []


def test_each_partnership_needs_a_source():
    files = {"cities/lyon.md": "name: Lyon\ncountry: FR\npartners:\n  - city: turin\n    sources: [pact]\n"
                               "  - milan\n",
             "cities/turin.md": "name: Turin\ncountry: IT\n", "cities/milan.md": "name: Milan\ncountry: IT\n"}
    assert advice(files, citations={("cities", "lyon"): ["pact"]}) == [
        "content/cities/lyon.md:7: warning: the partnership with 'milan' has no source\n"
        "  hint: add `sources: [source-id]` to it"]


def test_the_citys_sources_cover_its_partnerships():
    files = {"cities/lyon.md": "name: Lyon\ncountry: FR\npartners: [turin]\nsources: [pact]\n",
             "cities/turin.md": "name: Turin\ncountry: IT\n"}
    assert advice(files) == []


def test_an_entry_nothing_refers_to_is_an_orphan_but_a_page_is_not():
    files = {"themes/climate.md": "name: Climate\n", "pages/about.md": "title: About\n",
             "cities/lyon.md": "name: Lyon\ncountry: FR\n"}
    assert advice(files, references={("cities", "lyon"): [("themes", "climate")]}) == [
        "content/themes/climate.md:1: warning: no other entry links to this one (an orphan page)\n"
        "  hint: link to it with [[climate]] where it belongs"]


def test_a_city_in_a_partnership_is_not_an_orphan_since_both_partner_tables_list_it():
    atlas = atlas_of({"cities/lyon.md": "name: Lyon\ncountry: FR\npartners: [turin]\nsources: [x]\n",
                      "cities/turin.md": "name: Turin\ncountry: IT\n"})
    partnership = object()  # what the audit asks is only whether a city has ties
    graph = Graph(references={("cities", "turin"): [("cities", "lyon")]},
                  partners_of={"lyon": [partnership], "turin": [partnership]})
    errors = ErrorList()
    audit_atlas(atlas, graph, errors)
    assert [p for p in errors.warnings if "orphan" in p.message] == []


@pytest.mark.parametrize("coordinates, warnings", [
    ("[45.76, 4.84]", 0),  # where the gazetteer has Lyon
    ("[4.84, 45.76]", 1),  # swapped
])
def test_coordinates_far_from_the_gazetteers_place(coordinates, warnings):
    found = advice({"cities/lyon.md": f"name: Lyon\ncountry: FR\ncoordinates: {coordinates}\n"})
    assert len(found) == warnings
    if warnings:
        assert found[0].startswith("content/cities/lyon.md:4: warning: coordinates are ")
        assert found[0].endswith("  hint: check that latitude and longitude are right and not swapped")


def test_citations_are_counted_by_the_kind_of_source_they_cite():
    atlas = atlas_of({"cities/lyon.md": "name: Lyon\ncountry: FR\n", "cities/turin.md": "name: Turin\ncountry: IT\n"})
    atlas.bibliography.update({
        "city-hall": SourceMeta(id="city-hall", title="City hall", kind="primary"),
        "liquisearch": SourceMeta(id="liquisearch", title="A copy", kind="mirror"),
        "notes": SourceMeta(id="notes", title="Notes"),
    })
    graph = Graph(cited_by={"city-hall": [LYON, ("cities", "turin")], "liquisearch": [LYON], "notes": [LYON]})
    counted = count_citations(atlas, graph)
    assert counted.by_kind == {"mirror": 1, "primary": 2, "unclassified": 1}
    assert counted.mirror_share == 0.25
    assert counted.summary() == "4 citations (2 primary, 1 mirror, 1 unclassified); 25.0% to mirrors"


def test_an_atlas_citing_nothing_has_no_share_of_mirrors():
    assert CitationCount({}).mirror_share == 0.0
    assert CitationCount({}).summary() == "0 citations (none); 0.0% to mirrors"


def test_a_source_kind_must_be_one_of_three():
    with pytest.raises(ValueError, match="primary"):
        SourceMeta(id="x", title="X", kind="tertiary")
