"""The shipped atlas against its fact sheet on city networks, and its bibliography.

Reads the atlas's own content/ and the fact sheet ../shared/facts/networks-members.yaml, which CI
keeps beside the clone. Writes nothing.

- Every network the fact sheet describes has a page, found by its name or short name.
- A network whose member list the fact sheet gives has every city of that list among its
  members, so at least as many members as the list.
- A network without a member list, in the fact sheet or in the atlas, sets a dated count beside
  its own (`members_reported`) or says in its text why it names no members.
- The source of every member list is cited on the network's page.
- Every source in sources.yaml says what kind it is, as its last field.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

import pytest
import yaml

from atlas.pipeline import Config, check

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
FACTS = ROOT.parent / "shared" / "facts" / "networks-members.yaml"

pytestmark = pytest.mark.skipif(not FACTS.exists(), reason=f"the fact sheet is not beside the clone: {FACTS}")

# Names the fact sheet spells differently from the atlas: fact sheet -> the atlas city's name.
# Where the fact sheet names a metropolitan area, region or borough, the atlas shows it under its
# city, and the network's page says so.
SAME_CITY = {
    "New York City": "New York",
    "Delhi NCT": "Delhi",
    "Durban (eThekwini)": "Durban",
    "Washington, DC": "Washington, D.C.",
    "Dhaka (North & South)": "Dhaka",
    "Dhaka North": "Dhaka",
    "Tel Aviv-Yafo": "Tel Aviv",
    "Barcelona Metropolitan Area (AMB)": "Barcelona",
    "Barcelona (City Council)": "Barcelona",
    "Berlin-Neukölln": "Neukölln",
    "Columbia (SC)": "Columbia, South Carolina",
    "Nouakchott Region": "Nouakchott",
    "Torino Metropoli": "Turin",
    "Métropole du Grand Paris": "Paris",
    "Santiago Metropolitan Region": "Santiago",
    "Greater Manchester": "Manchester",
    "Portland": "Portland, Oregon",
    "Juárez": "Ciudad Juárez",
}

# Entries of a member list that are not member cities, and why.
NOT_MEMBER_CITIES = {
    ("metropolis", "Gauteng"): "a province",
    ("uclg", "South African Local Government Association (SALGA)"): "a national association",
    ("uclg", "Swedish Association of Local Authorities and Regions (SALAR)"): "a national association",
    ("strong_cities", "Victoria"): "an Australian state",
    ("mmc", "Mannheim"): "listed as attending a board meeting, on no board list of any other source",
    ("mmc", "Athens"): "a former mayor, not the city",
}

# Words a network's text uses to say why the atlas names none of its members.
SAYS_WHY_NO_MEMBERS = re.compile(r"no (full )?(member|membership) list|names no member|no list of (its|them)"
                                 r"|publishes counts|does not publish a member list", re.IGNORECASE)

KINDS_OF_SOURCE = {"primary", "secondary", "mirror"}


def folded(name: str) -> str:
    """'Montréal' and 'montreal' compare equal: no accents, no case, single spaces."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(plain.casefold().split())


def front_matter(path: Path) -> tuple[dict, str]:
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    return yaml.safe_load(front) or {}, body


@cache
def facts() -> list[dict]:
    return yaml.safe_load(FACTS.read_text(encoding="utf-8"))["networks"]


@cache
def networks() -> dict[str, tuple[dict, str]]:
    return {path.stem: front_matter(path) for path in sorted((CONTENT / "networks").glob("*.md"))}


@cache
def cities_by_name() -> dict[str, str]:
    return {folded(front_matter(path)[0]["name"]): path.stem for path in (CONTENT / "cities").glob("*.md")}


@cache
def members_of() -> dict[str, set[str]]:
    """Network slug -> the slugs of its member cities, as the build resolves them."""
    errors, graph, _ = check(Config(content_dir=CONTENT))
    assert not errors.errors, "\n".join(map(str, errors.errors))
    return {network: set(cities) for network, cities in graph.members_of.items()}


@cache
def source_ids_by_url() -> dict[str, str]:
    return {source["url"]: source["id"] for source in sources() if source.get("url")}


@cache
def sources() -> list[dict]:
    return yaml.safe_load((CONTENT / "sources.yaml").read_text(encoding="utf-8"))


def page_of(network: dict) -> str | None:
    """The atlas page of a network of the fact sheet, matched by its name or short name.

    "Metropolis (World Association of the Major Metropolises)" is matched by either name,
    "100 Resilient Cities / Resilient Cities Network" by either part.
    """
    name = network["name"]
    outside = re.sub(r"\s*\([^)]*\)", "", name)
    names = {name, outside, *re.findall(r"\(([^)]*)\)", name), *name.split(" / "), outside.split(",")[0]}
    wanted = {folded(n) for n in names}
    for slug, (meta, _) in networks().items():
        if wanted & {folded(meta["name"]), folded(meta.get("short_name") or "")}:
            return slug
    return None


def member_cities(network: dict) -> list[str]:
    """The names on the network's member list in the fact sheet that are member cities."""
    return [m["city"] for m in network.get("members") or [] if (network["id"], m["city"]) not in NOT_MEMBER_CITIES]


def atlas_city(name: str) -> str | None:
    return cities_by_name().get(folded(SAME_CITY.get(name, name)))


FACT_NETWORKS = [pytest.param(n, id=n["id"]) for n in facts()] if FACTS.exists() else []
LISTED = [pytest.param(n, id=n["id"]) for n in facts() if n.get("members")] if FACTS.exists() else []
UNLISTED = [pytest.param(n, id=n["id"]) for n in facts() if not n.get("members")] if FACTS.exists() else []


@pytest.mark.parametrize("network", FACT_NETWORKS)
def test_every_network_in_the_fact_sheet_has_a_page(network):
    assert page_of(network), f"no page in content/networks/ is named '{network['name']}'"


@pytest.mark.parametrize("network", LISTED)
def test_every_city_on_a_member_list_is_a_member_in_the_atlas(network):
    slug = page_of(network)
    missing = [name for name in member_cities(network) if atlas_city(name) not in members_of().get(slug, set())]
    assert missing == [], f"{slug}: not members in the atlas: {', '.join(missing)}"


@pytest.mark.parametrize("network", LISTED)
def test_a_network_has_at_least_as_many_members_as_its_list_in_the_fact_sheet(network):
    slug = page_of(network)
    listed = {atlas_city(name) or name for name in member_cities(network)}
    assert len(members_of().get(slug, set())) >= len(listed)


@pytest.mark.parametrize("network", LISTED)
def test_the_source_of_a_member_list_is_cited_on_the_network_page(network):
    slug = page_of(network)
    source = source_ids_by_url().get(network["members_source"])
    assert source, f"{network['members_source']} is not in sources.yaml"
    text = (CONTENT / "networks" / f"{slug}.md").read_text(encoding="utf-8")
    assert re.search(rf"\b{re.escape(source)}\b", text), f"{slug} does not cite {source}"


@pytest.mark.parametrize("network", UNLISTED)
def test_a_network_the_fact_sheet_lists_no_members_of_gives_a_dated_count_or_says_why(network):
    meta, body = networks()[page_of(network)]
    assert meta.get("members_reported") or SAYS_WHY_NO_MEMBERS.search(body)


def test_every_network_without_members_in_the_atlas_gives_a_dated_count_or_says_why():
    silent = [slug for slug, (meta, body) in networks().items()
              if not members_of().get(slug) and not meta.get("members_reported")
              and not SAYS_WHY_NO_MEMBERS.search(body)]
    assert silent == []


def test_a_reported_count_has_its_date_and_source():
    undated = [slug for slug, (meta, _) in networks().items()
               if meta.get("members_reported") and not {"as_of", "source"} <= set(meta["members_reported"])]
    assert undated == []


def test_every_source_says_what_kind_it_is():
    unclassified = [source["id"] for source in sources() if source.get("kind") not in KINDS_OF_SOURCE]
    assert unclassified == []


def test_the_kind_of_a_source_is_its_last_field():
    """So that entries added at the end of the file by different hands merge line by line."""
    elsewhere = [source["id"] for source in sources() if list(source)[-1] != "kind"]
    assert elsewhere == []
