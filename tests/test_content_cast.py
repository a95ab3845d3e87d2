"""The shipped atlas holds the cast the fact sheets describe.

Reads the fact sheets in `../shared/facts` (beside the repository) and the entries in
`content/`; checks the content itself, not the engine. Entries are matched to facts by
name; sources are matched by their address in `content/sources.yaml`.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
FACTS = ROOT.parent / "shared" / "facts"

pytestmark = pytest.mark.skipif(not FACTS.is_dir(), reason="the fact sheets are not beside the clone")


def facts(name: str) -> dict:
    return yaml.safe_load((FACTS / name).read_text(encoding="utf-8"))


def entries(kind: str) -> dict[str, dict]:
    """Front matter of every entry of one kind, by slug."""
    found = {}
    for path in sorted((CONTENT / kind).glob("*.md")):
        front = path.read_text(encoding="utf-8").split("---\n")[1]
        found[path.stem] = yaml.safe_load(front)
    return found


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


STOP = set("the of and for in on to at with a an by de la des du di i y".split())


def words(text: str) -> set[str]:
    return {w for w in fold(text).split() if w not in STOP}


def address(url: str) -> str:
    return re.sub(r"^(https?://)?(www\d?\.)?", "", url.strip().lower()).rstrip("/")


def source_ids() -> dict[str, str]:
    """The id of each source in `sources.yaml`, by its address."""
    listed = yaml.safe_load((CONTENT / "sources.yaml").read_text(encoding="utf-8"))
    return {address(s["url"]): s["id"] for s in listed if s.get("url")}


def year(value) -> int | None:
    if isinstance(value, list):
        value = value[0]
    match = re.match(r"\d{4}", str(value)) if value is not None else None
    return int(match.group()) if match else None


# ---------------------------------------------------------------- surveys

SURVEYS = facts("initiatives-surveys.yaml")["surveys"]


def atlas_survey(fact: dict) -> dict:
    sample = fact["sample"]["value"]
    matches = [s for s in entries("surveys").values()
               if s.get("sample") == sample and words(fact["name"]) <= words(s["title"])]
    assert len(matches) == 1, f"no single survey of {sample} cities titled {fact['name']!r}"
    return matches[0]


@pytest.mark.parametrize("fact", SURVEYS, ids=lambda f: f["id"])
def test_each_survey_in_the_facts_has_an_entry_with_its_sample(fact):
    atlas_survey(fact)


@pytest.mark.parametrize("fact", SURVEYS, ids=lambda f: f["id"])
def test_every_finding_row_of_a_survey_is_a_row_of_its_entry_with_its_value_and_source(fact):
    ids = source_ids()
    rows = Counter((str(r.get("value")), r.get("source")) for r in atlas_survey(fact)["findings"])
    wanted = Counter((str(r.get("value")), ids.get(address(r["source"]), r["source"]))
                     for r in fact["findings"])
    missing = wanted - rows
    assert not missing, f"finding rows of the facts missing from the atlas: {dict(missing)}"


def test_the_47_city_survey_quotes_especially_when_cities_act_together():
    fact = next(f for f in SURVEYS if f["sample"]["value"] == 47)
    statements = [r["statement"] for r in atlas_survey(fact)["findings"]]
    assert any('"especially"' in s for s in statements)
