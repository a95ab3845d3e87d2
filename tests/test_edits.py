"""Which edits leave the graph as it was: any change but to what the graph reads of an entry (graph_inputs).

Builds after such edits start from the last build's snapshot, and atlas serve
re-renders only the pages that read what changed; so the fields graph_inputs
names must be every field the graph reads, which the first test checks by
watching the graph resolve the starter atlas.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import pytest

from atlas import kinds
from atlas.content.schema import validate_entries
from atlas.content.sources import load_sources
from atlas.errors import ErrorList
from atlas.graph.relations import resolve_links
from atlas.incremental.edits import fields_the_graph_reads, graph_neutral_edits

from conftest import STARTER_CONTENT, edit


class _Watched:
    """An entry's front matter that notes each field read."""

    def __init__(self, meta, kind: str, read: dict) -> None:
        self._meta, self._kind, self._read = meta, kind, read

    def __getattr__(self, name: str):
        self._read[self._kind].add(name)
        return getattr(self._meta, name)


def starter():
    errors = ErrorList()
    atlas = validate_entries(load_sources(STARTER_CONTENT, errors), errors)
    assert not errors.errors
    return atlas


def test_the_graph_reads_no_field_of_an_entry_but_those_graph_inputs_compares():
    atlas = starter()
    read: dict[str, set[str]] = defaultdict(set)
    watched = replace(atlas, entries={key: replace(entry, meta=_Watched(entry.meta, entry.kind, read))
                                      for key, entry in atlas.entries.items()})
    resolve_links(watched, ErrorList())
    assert read.keys() == {kind.folder for kind in kinds.registered()}
    for folder, names in read.items():
        kind = kinds.of_folder(folder)
        compared = fields_the_graph_reads(kind)
        assert names <= compared, f"{folder}: the graph reads {sorted(names - compared)}"


@pytest.fixture
def atlas_and_content(atlas_copy):
    return starter(), atlas_copy


@pytest.mark.parametrize("old, new", [
    ("office: Department", "office: The Department"),
    ("summary: Spanish city", "summary: A Spanish city"),
    ("office: ", "population: 1620343\noffice: "),
    ("country: ES", "country: ES\nregion: Catalonia"),
    ("Barcelona", "Barcelona"),  # the file saved again as it was
])
def test_facts_the_graph_does_not_read_are_neutral(atlas_and_content, old, new):
    atlas, content = atlas_and_content
    path = content / "cities" / "barcelona.md"
    edit(path, old, new)
    edited = graph_neutral_edits(atlas, content, [path], ErrorList())
    assert [entry.slug for entry in edited] == ["barcelona"]


@pytest.mark.parametrize("old, new", [
    ("name: Barcelona", "name: Barcelona City"),
    ("coordinates: [41.3851, 2.1734]", "coordinates: [41.39, 2.17]"),
    ("partners:\n", "partners:\n  - galway\n"),
    ("themes: [citizen-diplomacy, ", "themes: ["),
    ("sources: [barcelona-world-action, ", "sources: ["),
])
def test_front_matter_the_graph_reads_is_not(atlas_and_content, old, new):
    atlas, content = atlas_and_content
    path = content / "cities" / "barcelona.md"
    edit(path, old, new)
    assert graph_neutral_edits(atlas, content, [path], ErrorList()) is None


@pytest.mark.parametrize("added, neutral", [
    ("A plain sentence.", True),
    ("A link to [[paris]].", False),
    ("A citation [@conducting-city-diplomacy-47].", False),
    ("A link to an entry that does not exist: [[nowhere-at-all]].", False),
])
def test_text_is_neutral_unless_it_links_or_cites(atlas_and_content, added, neutral):
    atlas, content = atlas_and_content
    path = content / "cities" / "barcelona.md"
    path.write_text(path.read_text(encoding="utf-8") + f"\n{added}\n", encoding="utf-8")
    assert (graph_neutral_edits(atlas, content, [path], ErrorList()) is not None) is neutral


def test_a_new_file_or_one_outside_the_kinds_is_not(atlas_and_content):
    atlas, content = atlas_and_content
    new = content / "cities" / "nowhere.md"
    new.write_text("---\nname: Nowhere\ncountry: FR\ncoordinates: [45, 4]\n---\nText.\n", encoding="utf-8")
    assert graph_neutral_edits(atlas, content, [new], ErrorList()) is None
    assert graph_neutral_edits(atlas, content, [content / "sources.yaml"], ErrorList()) is None


def test_an_edit_with_errors_reports_them_and_is_left_out(atlas_and_content):
    atlas, content = atlas_and_content
    path = content / "cities" / "barcelona.md"
    edit(path, "office: Department", "population: many\noffice: Department")
    errors = ErrorList()
    assert graph_neutral_edits(atlas, content, [path], errors) == []
    assert [p.line for p in errors.errors] == [5]
