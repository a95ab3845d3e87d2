"""The shipped atlas as `atlas check` sees it: clean, sourced, and resting on few mirrors.

- No errors, and no advice: every fact has a source, every source cited is in sources.yaml and
  every source in it is cited, no page is an orphan. Its only notes are cities still without a
  Wikidata id: ids are added only where a source shows them, never guessed.
- At most 2% of citations go to mirrors (copies of someone else's text); the rest go to primary
  and secondary sources, and every source says which it is.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from atlas.pipeline import Config, check

CONTENT = Path(__file__).resolve().parent.parent / "content"


@cache
def checked():
    return check(Config(content_dir=CONTENT), advice=True)


def test_the_shipped_atlas_has_no_errors_and_no_advice():
    errors, _, _ = checked()
    assert [str(problem) for problem in errors.errors + errors.warnings] == []


def test_its_only_notes_are_cities_without_a_wikidata_id():
    errors, _, _ = checked()
    cities = sorted(path.relative_to(CONTENT).as_posix() for path in (CONTENT / "cities").glob("*.md"))
    noted = sorted(Path(note.src).relative_to(CONTENT).as_posix() for note in errors.notes)
    assert {note.message for note in errors.notes} == {"no Wikidata id: registers match cities by it"}
    assert set(noted) < set(cities) and len(noted) == len(set(noted))
    assert "cities/paris.md" not in noted  # Q90, and a few others, are given


def test_at_most_two_percent_of_citations_go_to_mirrors():
    _, _, citations = checked()
    assert citations.total > 1500
    assert citations.mirror_share <= 0.02, citations.summary()
    assert "unclassified" not in citations.by_kind
