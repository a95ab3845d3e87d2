"""The shipped atlas holds the cast the fact sheets describe.

Reads the fact sheets in `../shared/facts` (beside the repository) and the entries in
`content/`; checks the content itself, not the engine. Entries are matched to facts by
name; sources are matched by their address in `content/sources.yaml`.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
FACTS = ROOT.parent / "shared" / "facts"

pytestmark = pytest.mark.skipif(not FACTS.is_dir(), reason="the fact sheets are not beside the clone")


def facts(name: str) -> dict:
    return yaml.safe_load((FACTS / name).read_text(encoding="utf-8"))


@cache
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


@cache
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


# ---------------------------------------------------------------- cities

@cache
def city_slug(name: str) -> str | None:
    """The slug of the atlas city a fact names, or None when the atlas has none."""
    names = {fold(c["name"]): slug for slug, c in entries("cities").items()}
    wanted = fold(re.sub(r"\(.*?\)", "", name))
    for candidate in (wanted, wanted.removesuffix(" city")):
        if candidate in names:
            return names[candidate]
    return None


def pair(facts_list, atlas: dict[str, dict], score) -> dict[int, str]:
    """Match each fact to a distinct atlas entry, best score first; a score of 0 never matches."""
    scored = sorted(((score(f, e), i, slug) for i, f in enumerate(facts_list)
                     for slug, e in atlas.items()), key=lambda t: -t[0])
    matched, used = {}, set()
    for value, i, slug in scored:
        if value > 0 and i not in matched and slug not in used:
            matched[i] = slug
            used.add(slug)
    return matched


def overlap(fact_name: str, atlas_name: str) -> float:
    """The share of the atlas name's words that the fact's name also has."""
    mine = words(atlas_name)
    return len(mine & words(fact_name)) / len(mine) if mine else 0.0


# ---------------------------------------------------------------- offices

PEOPLE_SHEET = facts("offices-events-people.yaml")
OFFICES = PEOPLE_SHEET["offices"]


def office_score(fact: dict, org: dict) -> float:
    if org.get("kind") not in ("office", "agency", "ngo") or org.get("city") != city_slug(fact["city"]):
        return 0
    names = f"{org['name']} {org.get('short_name', '')}"
    return overlap(fact["office_name"], names)


def test_every_office_in_the_facts_is_an_organisation_of_the_atlas_in_its_city():
    matched = pair(OFFICES, entries("organisations"), office_score)
    missing = [f"{f['city']}: {f['office_name']}" for i, f in enumerate(OFFICES) if i not in matched]
    assert not missing, missing


def test_each_office_is_within_a_city_of_the_atlas():
    cities = entries("cities")
    for slug, org in entries("organisations").items():
        if org.get("kind") == "office":
            assert org.get("city") in cities, f"{slug} names no city of the atlas"


@pytest.mark.parametrize("fact", [f for f in OFFICES if f["founded"]], ids=lambda f: f["city"])
def test_an_office_the_facts_date_carries_its_founding_year(fact):
    matched = pair(OFFICES, entries("organisations"), office_score)
    org = entries("organisations")[matched[OFFICES.index(fact)]]
    assert year(org.get("founded")) == fact["founded"]


@pytest.mark.parametrize("fact", [f for f in OFFICES if f["heads"]], ids=lambda f: f["city"])
def test_an_office_names_each_head_the_facts_name(fact):
    matched = pair(OFFICES, entries("organisations"), office_score)
    org = entries("organisations")[matched[OFFICES.index(fact)]]
    people = entries("people")
    heads = {fold(people[h["person"]]["name"]) for h in org.get("head", [])}
    for head in fact["heads"]:
        assert any(words(head["name"]) <= words(h) or words(h) <= words(head["name"]) for h in heads), head["name"]


# ---------------------------------------------------------------- people

PEOPLE = PEOPLE_SHEET["people"]
NETWORKS = {"C40": "c40", "UCLG": "uclg", "Metropolis": "metropolis",
            "Global Parliament of Mayors": "global-parliament-of-mayors"}


def person(fact: dict) -> dict:
    found = [p for p in entries("people").values() if words(p["name"]) <= words(fact["name"])
             or words(fact["name"]) <= words(p["name"])]
    assert found, f"no entry for {fact['name']}"
    return found[0]


@pytest.mark.parametrize("fact", PEOPLE, ids=lambda f: f["name"])
def test_every_person_in_the_facts_has_an_entry(fact):
    person(fact)


@pytest.mark.parametrize("fact", [f for f in PEOPLE if f["network"] in NETWORKS], ids=lambda f: f["name"])
def test_a_network_chair_or_president_holds_a_role_in_that_network_with_its_term(fact):
    roles = [r for r in person(fact).get("roles", []) if r.get("network") == NETWORKS[fact["network"]]]
    assert roles, f"{fact['name']} has no role in {fact['network']}"
    if fact["from"]:
        assert any(year(r.get("since")) == year(fact["from"]) for r in roles)
    if fact["to"] and "end year not seen" not in (fact["notes"] or ""):
        assert any(year(r.get("until")) == year(fact["to"]) for r in roles)


# ---------------------------------------------------------------- events

EVENTS = PEOPLE_SHEET["events"]


def event_score(fact: dict, event: dict) -> float:
    if year(event.get("date")) != fact["year"]:
        return 0
    told = f"{fact['name']} {fact['series']} {fact['host_city'] or ''} {fact['year']}"
    told = told.replace("LA ", "Los Angeles ").replace("U20", "U20 Urban 20")
    share = overlap(told, event["name"])
    return share if share >= 0.5 else 0


def test_every_event_in_the_facts_has_an_entry_of_its_year():
    matched = pair(EVENTS, entries("events"), event_score)
    missing = [f"{f['year']} {f['name']}" for i, f in enumerate(EVENTS) if i not in matched]
    assert not missing, missing


def test_an_event_is_linked_to_each_host_city_the_atlas_has():
    atlas = entries("events")
    for i, slug in pair(EVENTS, atlas, event_score).items():
        fact, event = EVENTS[i], atlas[slug]
        places = re.split(r"[,;/]| and ", re.sub(r"\(.*?\)", "", fact["host_city"] or ""))
        linked = {event.get("host")} | {p.get("city") for p in event.get("participants", [])}
        for host in filter(None, (city_slug(p.strip()) for p in places)):
            assert host in linked, f"{slug} does not name its host {host}"


def test_a_network_congress_or_summit_names_its_network():
    atlas = entries("events")
    series = {"C40 World Mayors Summit": "c40", "UCLG World Congress": "uclg",
              "Metropolis World Congress": "metropolis"}
    for i, slug in pair(EVENTS, atlas, event_score).items():
        if EVENTS[i]["series"] in series:
            assert atlas[slug].get("network") == series[EVENTS[i]["series"]], slug


# ---------------------------------------------------------------- initiatives

INITIATIVES = facts("initiatives-surveys.yaml")["initiatives"]


def initiative_score(fact: dict, entry: dict) -> float:
    """The share of the entry's name in the fact's name, ties broken by the share the other way."""
    names = f"{entry['name']} {entry.get('short_name', '')}"
    told = f"{fact['name']} {fact['id'].replace('_', ' ')}"
    share = overlap(told, names)
    return share + overlap(names, told) / 2 if share >= 0.5 else 0


def initiatives_and_networks() -> dict[str, dict]:
    """An initiative may be in the atlas as an initiative or, when it has members, as a network."""
    both = {f"initiatives/{slug}": e for slug, e in entries("initiatives").items()}
    both.update({f"networks/{slug}": e for slug, e in entries("networks").items()})
    return both


def test_every_initiative_in_the_facts_has_an_entry():
    matched = pair(INITIATIVES, initiatives_and_networks(), initiative_score)
    missing = [f["name"] for i, f in enumerate(INITIATIVES) if i not in matched]
    assert not missing, missing


def test_an_initiative_carries_the_year_the_facts_give_for_its_launch():
    atlas = initiatives_and_networks()
    matched = pair(INITIATIVES, atlas, initiative_score)
    for i, key in matched.items():
        launched = year(INITIATIVES[i].get("launched"))
        entry = atlas[key]
        given = entry.get("launched", entry.get("founded"))
        given = given if isinstance(given, list) else [given]
        assert launched in {year(g) for g in given}, f"{key}: launched {given}, the facts say {launched}"


def test_an_initiative_names_who_convenes_it_or_takes_part():
    for slug, entry in entries("initiatives").items():
        assert entry.get("convenor") or entry.get("participants"), slug


@pytest.mark.parametrize("fact", [f for f in PEOPLE if f["city"] and city_slug(f["city"])], ids=lambda f: f["name"])
def test_a_person_links_the_city_the_facts_tie_them_to_when_the_atlas_has_it(fact):
    city = city_slug(fact["city"])  # people tied to a region (Île-de-France) have no city to link
    slug = next(s for s, e in entries("people").items() if e is person(fact))
    text = (CONTENT / "people" / f"{slug}.md").read_text(encoding="utf-8")
    assert f"city: {city}" in text or f"[[{city}" in text


def named_places(fact) -> set[str]:
    """Every `name` the facts give anywhere inside an initiative, apart from its own."""
    found = set()
    if isinstance(fact, dict):
        found |= {fact["name"]} if isinstance(fact.get("name"), str) else set()
        for value in fact.values():
            found |= named_places(value)
    elif isinstance(fact, list):
        for value in fact:
            found |= named_places(value)
    return found


def test_each_city_of_the_atlas_that_the_facts_name_in_an_initiative_takes_part_in_it():
    atlas = initiatives_and_networks()
    missing = []
    for i, key in pair(INITIATIVES, atlas, initiative_score).items():
        if not key.startswith("initiatives/"):
            continue  # networks list their members on their own pages
        entry = atlas[key]
        linked = {p.get("city") for field in ("participants", "convenor") for p in entry.get(field) or []}
        fact = {k: v for k, v in INITIATIVES[i].items() if k != "name"}
        for name in named_places(fact):
            city = city_slug(name)
            if city and city not in linked:
                missing.append(f"{key}: {city}")
    assert not missing, missing
