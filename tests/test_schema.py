"""schema.py: the content contract — every field of every kind, and the errors editors see.

Each row of FIELDS is one field with a value it accepts and one it refuses,
and the exact message for the refused one. The field under test is written on
the first line of its front matter (line 2 of the file), so its errors point there.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from atlas.errors import ErrorList
from atlas import kinds
from atlas.content.reference import PAGE, REGENERATE, field_reference, reference_page
from atlas.content.schema import SiteConfig, SourceMeta, validate_entries
from atlas.kinds.city import NetworkMembershipMeta, PartnerMeta
from atlas.kinds.cast import PARTY_KINDS, Figure, Party
from atlas.kinds.network import MemberMeta
from atlas.kinds.organisation import HeadMeta
from atlas.kinds.person import RoleMeta
from atlas.content.sources import load_sources
from conftest import PROJECT_ROOT, city, entry, schema_problems

ENTRY_KINDS = ("cities", "networks", "organisations", "initiatives", "events", "people", "surveys", "case-studies",
               "themes", "pages")


def documented_fields() -> dict[str, list[str]]:
    """Every field of every model: the kinds', a city's partners', atlas.yaml's and sources.yaml's."""
    result = {kind.folder: list(kind.model.model_fields) for kind in kinds.registered()}
    result["partners"] = list(PartnerMeta.model_fields)
    result["memberships"] = list(NetworkMembershipMeta.model_fields)
    result["members"] = list(MemberMeta.model_fields)
    result["heads"] = list(HeadMeta.model_fields)
    result["roles"] = list(RoleMeta.model_fields)
    result["parties"] = list(Party.model_fields)
    result["figures"] = list(Figure.model_fields)
    result["atlas.yaml"] = list(SiteConfig.model_fields)
    result["sources.yaml"] = list(SourceMeta.model_fields)
    return result

REQUIRED = {
    "cities": {"name": "Lyon", "country": "FR"},
    "networks": {"name": "Eurocities"},
    "organisations": {"name": "Lyon International Office"},
    "initiatives": {"name": "Lyon Pledge"},
    "events": {"name": "Lyon Forum"},
    "people": {"name": "Marie Curie"},
    "surveys": {"title": "A Survey"},
    "case-studies": {"title": "Exchange", "cities": "[lyon]"},
    "themes": {"name": "Climate"},
    "pages": {"title": "About"},
    "atlas.yaml": {"title": "Atlas"},
    "sources.yaml": {"id": "un-habitat", "title": "Report"},
}
NOT_A_SLUG = "is not a slug: use lowercase letters, digits and hyphens"
QUOTE_HINT = "\n  hint: put the value in quotes"

# (kind, field, accepted value, refused value, message for the refused value)
FIELDS = [
    *[(kind, "summary", "A short sentence.", '""', "summary: must not be empty") for kind in ENTRY_KINDS],
    *[(kind, "draft", "true", "yes", "draft must be true or false, not 'yes'") for kind in ENTRY_KINDS],
    *[(kind, "sources", "[lyon-report, un-habitat]", "[Lyon Report]", f"sources item 1: 'Lyon Report' {NOT_A_SLUG}")
      for kind in ENTRY_KINDS],
    *[(kind, "wikidata", "Q456", "q456", "wikidata: 'q456' is not a Wikidata id: write Q and its number, such as Q90"
       "\n  hint: write wikidata: Q456") for kind in ENTRY_KINDS],
    ("cities", "name", "São Paulo", "1963", "name must be text, not the number 1963" + QUOTE_HINT),
    ("cities", "country", "BR", "Spain",
     "country: 'Spain' is not an ISO 3166-1 alpha-2 code; did you mean ES (Spain)?"),
    ("cities", "region", "São Paulo", '""', "region: must not be empty"),
    ("cities", "coordinates", "[-23.55, -46.63]", "[95, 4.8]", "coordinates: latitude 95 is outside -90..90 (are latitude and longitude swapped?)"),
    ("cities", "population", "12325232", "true", "population must be a whole number, not true (a yes/no value)"),
    ("cities", "office", "Secretaria Municipal de Relações Internacionais", "[a, b]",
     "office must be text, not a list" + QUOTE_HINT),
    ("cities", "networks", "[c40, metropolis]", "c40", "networks must be a list, such as [a, b]"),
    ("cities", "partners", "[turin, {city: porto, kind: friendship}]", "turin",
     "partners must be a list, such as [a, b]"),
    ("cities", "themes", "[climate, culture]", "[climate, climate]", "themes: 'climate' is listed twice"),
    ("partners", "city", "turin", "Turin", f"partners item 1, city: 'Turin' {NOT_A_SLUG}"),
    ("partners", "kind", "memorandum", "twin-town",
     "partners item 1, kind: 'twin-town' is not allowed;"
     " use one of 'sister-city', 'friendship', 'cooperation' or 'memorandum'"),
    ("partners", "since", '"1998-05-01"', "1998-13", "partners item 1, since: '1998-13' is not a real date"),
    ("partners", "note", "Signed in Turin.", "12", "partners item 1, note must be text, not the number 12" + QUOTE_HINT),
    ("partners", "sources", "[turin-report]", "turin-report", "partners item 1, sources must be a list, such as [a, b]"),
    ("partners", "confidence", "low", "certain",
     "partners item 1, confidence: 'certain' is not allowed; use one of 'high', 'medium' or 'low'"),
    ("partners", "status", "suspended", "paused",
     "partners item 1, status: 'paused' is not allowed; use one of 'active', 'suspended' or 'ended'"),
    ("partners", "until", '"2022-03-16"', "2022-03-32", "partners item 1, until: '2022-03-32' is not a real date"),
    ("partners", "reason", "Suspended after the invasion.", "[a]",
     "partners item 1, reason must be text, not a list" + QUOTE_HINT),
    ("partners", "status_source", "council-minutes", "Council Minutes",
     f"partners item 1, status_source: 'Council Minutes' {NOT_A_SLUG}"),
    ("memberships", "network", "eurocities", "Eurocities", f"networks item 1, network: 'Eurocities' {NOT_A_SLUG}"),
    ("memberships", "since", "[1986, 1989]", "[1986]",
     "networks item 1, since: a list of dates means sources differ: give at least two, or one plain date"),
    ("memberships", "until", '"2019-05"', "2019-13", "networks item 1, until: '2019-13' is not a real date"),
    ("memberships", "role", "founding-member", "president",
     "networks item 1, role: 'president' is not allowed; use one of 'member', 'founding-member',"
     " 'steering-committee', 'chair', 'co-chair' or 'secretariat-host'"),
    ("memberships", "sources", "[eurocities-history]", "eurocities-history",
     "networks item 1, sources must be a list, such as [a, b]"),
    ("members", "city", "lyon", "Lyon", f"members item 1, city: 'Lyon' {NOT_A_SLUG}"),
    ("members", "since", "1986", "1986-02-30", "members item 1, since: '1986-02-30' is not a real date"),
    ("members", "until", "[2019, 2020]", "yes", "members item 1, until: 'yes' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD"),
    ("members", "role", "co-chair", "vice-chair",
     "members item 1, role: 'vice-chair' is not allowed; use one of 'member', 'founding-member',"
     " 'steering-committee', 'chair', 'co-chair' or 'secretariat-host'"),
    ("members", "sources", "[eurocities-history]", "[Eurocities History]",
     f"members item 1, sources item 1: 'Eurocities History' {NOT_A_SLUG}"),
    ("heads", "person", "marie-curie", "Marie Curie", f"head item 1, person: 'Marie Curie' {NOT_A_SLUG}"),
    ("heads", "title", "Director", "[a]", "head item 1, title must be text, not a list" + QUOTE_HINT),
    ("heads", "since", "2010", "2010-00", "head item 1, since: '2010-00' is not a real date"),
    ("heads", "until", '"2015-06"', "soon", "head item 1, until: 'soon' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD"),
    ("heads", "sources", "[lyon-report]", "lyon-report", "head item 1, sources must be a list, such as [a, b]"),
    ("roles", "role", "Mayor", "[a]", "roles item 1, role must be text, not a list" + QUOTE_HINT),
    ("roles", "organisation", "lyon-international-office", "Lyon Office",
     f"roles item 1, organisation: 'Lyon Office' {NOT_A_SLUG}"),
    ("roles", "city", "lyon", "Lyon", f"roles item 1, city: 'Lyon' {NOT_A_SLUG}"),
    ("roles", "network", "c40", "C40", f"roles item 1, network: 'C40' {NOT_A_SLUG}"),
    ("roles", "since", '"2014-04-05"', "2014-04-31", "roles item 1, since: '2014-04-31' is not a real date"),
    ("roles", "until", "2020", "later", "roles item 1, until: 'later' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD"),
    ("roles", "sources", "[paris-bio]", "[Paris Bio]", f"roles item 1, sources item 1: 'Paris Bio' {NOT_A_SLUG}"),
    ("parties", "city", "lyon", "Lyon", f"participants item 1, city: 'Lyon' {NOT_A_SLUG}"),
    ("parties", "organisation", "lyon-international-office", "Lyon Office",
     f"participants item 1, organisation: 'Lyon Office' {NOT_A_SLUG}"),
    ("parties", "network", "c40", "C40", f"participants item 1, network: 'C40' {NOT_A_SLUG}"),
    ("parties", "person", "marie-curie", "Marie Curie", f"participants item 1, person: 'Marie Curie' {NOT_A_SLUG}"),
    ("parties", "role", "host", "12", "participants item 1, role must be text, not the number 12" + QUOTE_HINT),
    ("parties", "since", "2018", "2018-02-30", "participants item 1, since: '2018-02-30' is not a real date"),
    ("parties", "until", "2020", "[2020]",
     "participants item 1, until: '[2020]' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD"),
    ("parties", "sources", "[forum-report]", "forum-report", "participants item 1, sources must be a list, such as [a, b]"),
    ("figures", "statement", "Cities with an office", "[a]", "findings item 1, statement must be text, not a list"
     + QUOTE_HINT),
    ("figures", "value", "majority", "[1, 2]", "findings item 1, value: must be a number or words, not a list"
     "\n  hint: write `86`, or words such as `majority`"),
    ("figures", "unit", "percent", "{a: 1}", "findings item 1, unit must be text, not a set of key: value lines"
     + QUOTE_HINT),
    ("figures", "year", "2020", "2020-13", "findings item 1, year: '2020-13' is not a real date"),
    ("figures", "source", "survey-2020", "Survey 2020", f"findings item 1, source: 'Survey 2020' {NOT_A_SLUG}"),
    ("networks", "members_reported", "{count: 97, as_of: 2024, source: c40-home}", "{count: 97}",
     "missing required field 'members_reported as_of'"),
    ("networks", "name", "Eurocities", '""', "name: must not be empty"),
    ("networks", "short_name", "EC", "[EC]", "short_name must be text, not a list" + QUOTE_HINT),
    ("networks", "founded", "[1986, 1989]", "[1986]",
     "founded: a list of dates means sources differ: give at least two, or one plain date"),
    ("networks", "headquarters", "brussels", "Brussels", f"headquarters: 'Brussels' {NOT_A_SLUG}"),
    ("networks", "members", "[lyon, {city: turin, role: chair, since: 2019}]", "lyon",
     "members must be a list, such as [a, b]"),
    ("networks", "themes", "[climate]", "climate", "themes must be a list, such as [a, b]"),
    ("networks", "website", "https://eurocities.eu/", "eurocities.eu",
     "website: 'eurocities.eu' is not a web address starting with https:// or http://"),
    ("organisations", "name", "Lyon International Office", "[a]", "name must be text, not a list" + QUOTE_HINT),
    ("organisations", "short_name", "LIO", "12", "short_name must be text, not the number 12" + QUOTE_HINT),
    ("organisations", "kind", "office", "embassy",
     "kind: 'embassy' is not allowed; use one of 'office', 'agency', 'ngo', 'think-tank', 'university', 'company',"
     " 'funder' or 'other'"),
    ("organisations", "city", "lyon", "Lyon", f"city: 'Lyon' {NOT_A_SLUG}"),
    ("organisations", "parent", "lyon-city-hall", "[a, b]", "parent must be text, not a list" + QUOTE_HINT),
    ("organisations", "founded", "[1989, 1991]", "1989-13", "founded: '1989-13' is not a real date"),
    ("organisations", "head", "[{person: marie-curie, since: 2010, until: 2015}, jean-moulin]", "{title: Director}",
     "missing required field 'head person'"),
    ("organisations", "website", "https://example.org/", "example.org",
     "website: 'example.org' is not a web address starting with https:// or http://"),
    ("organisations", "themes", "[climate]", "climate", "themes must be a list, such as [a, b]"),
    ("initiatives", "name", "Lyon Pledge", "true", "name must be text, not true (a yes/no value)" + QUOTE_HINT),
    ("initiatives", "short_name", "LP", "[LP]", "short_name must be text, not a list" + QUOTE_HINT),
    ("initiatives", "kind", "pledge", "treaty",
     "kind: 'treaty' is not allowed; use one of 'pledge', 'declaration', 'programme', 'coalition', 'campaign',"
     " 'fund' or 'other'"),
    ("initiatives", "launched", '"2018-12"', "December 2018",
     "launched: 'December 2018' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD"),
    ("initiatives", "ended", "2021", "2021-02-30", "ended: '2021-02-30' is not a real date"),
    ("initiatives", "convenor", "{network: eurocities, role: secretariat}", "eurocities",
     "convenor must be a list, such as [a, b]"),
    ("initiatives", "participants", "[{city: lyon, since: 2018}, {person: marie-curie, role: founder}]",
     "[{city: lyon, since: 2018, until: 2016}]",
     "participants item 1: until 2016 is before since 2018\n"
     "  hint: check the two dates: `since` is when it began, `until` when it ended"),
    ("initiatives", "themes", "[migration]", "[Migration]", f"themes item 1: 'Migration' {NOT_A_SLUG}"),
    ("initiatives", "figures", "[{statement: Signatories, value: 104, unit: governments, year: 2023}]",
     "[{statement: Signatories, value: true}]", "figures item 1, value: must be a number or words, not true (a yes/no value)\n"
     "  hint: write `86`, or words such as `majority`"),
    ("initiatives", "website", "https://example.org/", "www.example.org",
     "website: 'www.example.org' is not a web address starting with https:// or http://"),
    ("events", "name", "Lyon Forum", "[a]", "name must be text, not a list" + QUOTE_HINT),
    ("events", "kind", "trade-mission", "party",
     "kind: 'party' is not allowed; use one of 'summit', 'congress', 'forum', 'conference', 'workshop',"
     " 'delegation', 'trade-mission', 'meeting' or 'other'"),
    ("events", "date", '["2019-06-03", "2019-06-04"]', "2019-06-31", "date: '2019-06-31' is not a real date"),
    ("events", "end", '"2019-06-05"', "tomorrow", "end: 'tomorrow' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD"),
    ("events", "host", "lyon", "Lyon", f"host: 'Lyon' {NOT_A_SLUG}"),
    ("events", "network", "eurocities", "[eurocities]", "network must be text, not a list" + QUOTE_HINT),
    ("events", "participants", "[{organisation: lyon-international, role: organiser}]", "[{town: lyon}]",
     "unknown field 'participants item 1, town'\n  hint: known fields: city, organisation, network, person, role, since, until, sources"),
    ("events", "themes", "[climate]", "[climate, climate]", "themes: 'climate' is listed twice"),
    ("events", "website", "https://example.org/", "ftp://example.org/",
     "website: 'ftp://example.org/' is not a web address starting with https:// or http://"),
    ("people", "name", "Marie Curie", "1867", "name must be text, not the number 1867" + QUOTE_HINT),
    ("people", "roles", "[{role: Mayor, city: lyon, since: 2001}]", "[{city: lyon}]",
     "missing required field 'roles item 1, role'"),
    ("people", "website", "https://example.org/", "example", "website: 'example' is not a web address starting with"
     " https:// or http://"),
    ("surveys", "title", "A Survey", "[a]", "title must be text, not a list" + QUOTE_HINT),
    ("surveys", "kind", "report", "book", "kind: 'book' is not allowed; use one of 'survey' or 'report'"),
    ("surveys", "published", '"2018-02-07"', "2018-02-30", "published: '2018-02-30' is not a real date"),
    ("surveys", "publishers", "[chicago-council]", "chicago-council", "publishers must be a list, such as [a, b]"),
    ("surveys", "authors", '["Michele Acuto"]', "Michele Acuto", "authors must be a list, such as [a, b]"),
    ("surveys", "sample", "47", "forty", "sample must be a whole number, not 'forty'"),
    ("surveys", "cities", "[tokyo]", "[Tokyo]", f"cities item 1: 'Tokyo' {NOT_A_SLUG}"),
    ("surveys", "findings", "[{statement: Cities with an office, value: 86, unit: percent, year: 2020}]",
     "[{statement: S, year: 2020-13}]", "findings item 1, year: '2020-13' is not a real date"),
    ("surveys", "themes", "[climate]", "climate", "themes must be a list, such as [a, b]"),
    ("surveys", "url", "https://example.org/report", "report.pdf",
     "url: 'report.pdf' is not a web address starting with https:// or http://"),
    ("case-studies", "organisations", "[lyon-international]", "[Lyon]", f"organisations item 1: 'Lyon' {NOT_A_SLUG}"),
    ("case-studies", "initiatives", "[lyon-pledge]", "lyon-pledge", "initiatives must be a list, such as [a, b]"),
    ("case-studies", "events", "[lyon-forum]", "[lyon-forum, lyon-forum]", "events: 'lyon-forum' is listed twice"),
    ("case-studies", "people", "[marie-curie]", "[Marie Curie]", f"people item 1: 'Marie Curie' {NOT_A_SLUG}"),
    ("case-studies", "title", "A workshop", "true",
     "title must be text, not true (a yes/no value)" + QUOTE_HINT),
    ("case-studies", "date", "2016-02", "2016-02-30", "date: '2016-02-30' is not a real date"),
    ("case-studies", "cities", "[lyon]", "[]", "cities: give at least 1 item"),
    ("case-studies", "networks", "[eurocities]", "[Euro Cities]", f"networks item 1: 'Euro Cities' {NOT_A_SLUG}"),
    ("case-studies", "themes", "[climate]", "{climate: 1}", "themes must be a list, such as [a, b]"),
    ("case-studies", "kind", "workshop", "[workshop]", "kind must be text, not a list" + QUOTE_HINT),
    ("themes", "name", "Climate", "[Climate]", "name must be text, not a list" + QUOTE_HINT),
    ("themes", "description", "Cities acting on climate.", "1.5",
     "description must be text, not the number 1.5" + QUOTE_HINT),
    ("pages", "title", "About", "[About]", "title must be text, not a list" + QUOTE_HINT),
    ("pages", "order", "3", "first", "order must be a whole number, not 'first'"),
    ("atlas.yaml", "title", "City Diplomacy Atlas", '"  "', "title: must not be empty"),
    ("atlas.yaml", "description", "An atlas.", "false",
     "description must be text, not false (a yes/no value)" + QUOTE_HINT),
    ("atlas.yaml", "base_url", "https://example.org/atlas/", "example.org/atlas",
     "base_url: 'example.org/atlas' is not a web address starting with https:// or http://"),
    ("atlas.yaml", "language", "pt-BR", "Portuguese", "language: 'Portuguese' is not a language tag such as en or pt-BR"),
    ("atlas.yaml", "basemap", "countries", "satellite", "basemap: 'satellite' is not allowed; use one of 'tiles' or 'countries'"),
    ("atlas.yaml", "tile_url", "https://tiles.example.org/{z}/{x}/{y}.png", "https://tiles.example.org/tile.png",
     "tile_url: a tile address needs {z}, {x} and {y}, e.g. https://tile.example.org/{z}/{x}/{y}.png"),
    ("atlas.yaml", "tile_attribution", "© Example", "[a]", "tile_attribution must be text, not a list" + QUOTE_HINT),
    ("atlas.yaml", "cms_backend", "gitlab", "bitbucket",
     "cms_backend: 'bitbucket' is not allowed; use one of 'github', 'gitlab' or 'git-gateway'"),
    ("atlas.yaml", "cms_repo", "example/atlas", "https://github.com/example/atlas",
     "cms_repo: 'https://github.com/example/atlas' is not a repository such as owner/name"),
    ("atlas.yaml", "cms_branch", "live", "[a]", "cms_branch must be text, not a list" + QUOTE_HINT),
    ("atlas.yaml", "cms_auth_url", "https://auth.example.org", "auth.example.org",
     "cms_auth_url: 'auth.example.org' is not a web address starting with https:// or http://"),
    ("sources.yaml", "id", "un-habitat-2016", "UN_Habitat", f"id: 'UN_Habitat' {NOT_A_SLUG}"),
    ("sources.yaml", "title", "World Cities Report", "2016", "title must be text, not the number 2016" + QUOTE_HINT),
    ("sources.yaml", "authors", "[UN-Habitat, Jane Doe]", "UN-Habitat", "authors must be a list, such as [a, b]"),
    ("sources.yaml", "publisher", "UN-Habitat", "[a]", "publisher must be text, not a list" + QUOTE_HINT),
    ("sources.yaml", "year", "2016", '"2016"', "year must be a whole number, not '2016'"),
    ("sources.yaml", "date", '"2016-10-17"', "2016-02-30", "date: '2016-02-30' is not a real date"),
    ("sources.yaml", "url", "https://unhabitat.org/", "javascript:alert(1)",
     "url: 'javascript:alert(1)' is not a web address starting with https:// or http://"),
    ("sources.yaml", "note", "Report.", "{a: 1}", "note must be text, not a set of key: value lines" + QUOTE_HINT),
    ("sources.yaml", "kind", "mirror", "tertiary", "kind: 'tertiary' is not allowed; use one of 'primary', 'secondary' or 'mirror'"),
]


# item kind -> (folder, list field, the key an item starts with, its value, the entry's required fields)
ITEMS = {
    "partners": ("cities", "partners", "city", "turin", "name: Lyon\ncountry: FR\n"),
    "memberships": ("cities", "networks", "network", "eurocities", "name: Lyon\ncountry: FR\n"),
    "members": ("networks", "members", "city", "lyon", "name: Eurocities\n"),
    "heads": ("organisations", "head", "person", "marie-curie", "name: Lyon International Office\n"),
    "roles": ("people", "roles", "role", "Mayor", "name: Marie Curie\n"),
    "parties": ("events", "participants", "city", "lyon", "name: Lyon Forum\n"),
    "figures": ("surveys", "findings", "statement", "Cities with an office", "title: A Survey\n"),
}


def files_for(kind: str, field: str, value: str) -> tuple[dict[str, str], str]:
    """Content with `field: value` and the required fields; and where the field is."""
    if kind in ENTRY_KINDS:
        lines = [f"{field}: {value}"] + [f"{k}: {v}" for k, v in REQUIRED[kind].items() if k != field]
        return {f"{kind}/x.md": "---\n" + "\n".join(lines) + "\n---\n"}, f"content/{kind}/x.md:2"
    if kind in ITEMS:  # an item of a list: a city's partners, a network's members, an event's participants ...
        folder, field_name, key, other, required = ITEMS[kind]
        alone = field == key or (kind == "parties" and field in PARTY_KINDS)  # a party names one entry
        items = [f"  - {field}: {value}"] if alone else [f"  - {key}: {other}", f"    {field}: {value}"]
        front = f"{field_name}:\n" + "\n".join(items) + "\n" + required
        return {f"{folder}/x.md": f"---\n{front}---\n"}, f"content/{folder}/x.md:{2 + len(items)}"
    if kind == "atlas.yaml":
        lines = [f"{field}: {value}"] + [f"{k}: {v}" for k, v in REQUIRED[kind].items() if k != field]
        if field == "tile_url":
            lines.append("tile_attribution: © Example")
        return {"atlas.yaml": "\n".join(lines) + "\n"}, "content/atlas.yaml:1"
    lines = [f"- {field}: {value}"] + [f"  {k}: {v}" for k, v in REQUIRED[kind].items() if k != field]
    return {"sources.yaml": "\n".join(lines) + "\n"}, "content/sources.yaml:1"


def field_id(row) -> str:
    return f"{row[0]}.{row[1]}"


@pytest.mark.parametrize("kind, field, accepted, refused, message", FIELDS, ids=[field_id(r) for r in FIELDS])
def test_field_accepts_a_valid_value(tmp_path, make_site, kind, field, accepted, refused, message):
    files, _ = files_for(kind, field, accepted)
    make_site(tmp_path, files)
    assert schema_problems() == []


@pytest.mark.parametrize("kind, field, accepted, refused, message", FIELDS, ids=[field_id(r) for r in FIELDS])
def test_field_refuses_an_invalid_value(tmp_path, make_site, kind, field, accepted, refused, message):
    files, where = files_for(kind, field, refused)
    make_site(tmp_path, files)
    assert schema_problems() == [f"{where}: error: {message}"]


def test_every_field_of_every_kind_is_in_the_table():
    tested = {(kind, field) for kind, field, *_ in FIELDS}
    for kind, fields in documented_fields().items():
        missing = [field for field in fields if (kind, field) not in tested]
        assert missing == [], f"fields of {kind} with no row in FIELDS"


# --- a representative set of errors, with the exact text -----------------------

@pytest.mark.parametrize("front, problem", [
    ("country: FR\ncoordinates: [45.76, 4.84]\n",
     "content/cities/lyon.md:1: error: missing required field 'name'"),
    ("name: Lyon\ncountry: FR\ncoordinate: [45.76, 4.84]\n",
     "content/cities/lyon.md:4: error: unknown field 'coordinate'\n  hint: did you mean coordinates?"),
    ("nme: Lyon\nname: Lyon\ncountry: FR\n",
     "content/cities/lyon.md:2: error: unknown field 'nme'\n  hint: did you mean name?"),
    ("name: Lyon\ncountry: FR\nflavour: sweet\n",
     "content/cities/lyon.md:4: error: unknown field 'flavour'\n  hint: known fields: summary, draft, sources, wikidata,"
     " name, country, region, coordinates, population, office, networks, partners, themes"),
    ("name: Lyon\ncountry: Spain\n",
     "content/cities/lyon.md:3: error: country: 'Spain' is not an ISO 3166-1 alpha-2 code; did you mean ES (Spain)?"),
    ("name: Lyon\ncountry: UK\n",
     "content/cities/lyon.md:3: error: country: 'UK' is not an ISO 3166-1 code; the United Kingdom is GB"),
    ("name: Lyon\ncountry: Narnia\n",
     "content/cities/lyon.md:3: error: country: 'Narnia' is not an ISO 3166-1 alpha-2 country code, such as ES or US"),
    ("name: Lyon\ncountry: FR\ncoordinates: [45.76, 184.84]\n",
     "content/cities/lyon.md:4: error: coordinates: longitude 184.84 is outside -180..180"),
    ("name: Lyon\ncountry: FR\ncoordinates: [-95, 4.84]\n",
     "content/cities/lyon.md:4: error: coordinates: latitude -95 is outside -90..90"
     " (are latitude and longitude swapped?)"),
    ("name: Lyon\ncountry: FR\ncoordinates: [-95, 100]\n",
     "content/cities/lyon.md:4: error: coordinates: latitude -95 is outside -90..90"),
    ("name: Lyon\ncountry: FR\ncoordinates: [.nan, 4.84]\n",
     "content/cities/lyon.md:4: error: coordinates: latitude must be a finite number"),
    ("name: Lyon\ncountry: FR\ncoordinates: [45.76, .inf]\n",
     "content/cities/lyon.md:4: error: coordinates: longitude must be a finite number"),
    ("name: Lyon\ncountry: FR\ncoordinates: [45.76]\n",
     "content/cities/lyon.md:4: error: coordinates: coordinates must be [latitude, longitude], two numbers"),
    ("name: Lyon\ncountry: FR\ncoordinates: '45.76, 4.84'\n",
     "content/cities/lyon.md:4: error: coordinates: coordinates must be [latitude, longitude], two numbers"),
    ("name: Lyon\ncountry: FR\nregion: 69\n",
     "content/cities/lyon.md:4: error: region must be text, not the number 69\n  hint: put the value in quotes"),
    ("name: Lyon\ncountry: FR\nregion: " + "Auvergne-Rhône-Alpes " * 3 + "\n",
     "content/cities/lyon.md:4: error: region: give at most 60 characters (the state, province or region's name)"),
    ("name: Lyon\ncountry: FR\npopulation: true\n",
     "content/cities/lyon.md:4: error: population must be a whole number, not true (a yes/no value)"),
    ("name: Lyon\ncountry: FR\npopulation: 1.5\n",
     "content/cities/lyon.md:4: error: population must be a whole number, not the number 1.5"),
    ("name: Lyon\ncountry: FR\npopulation: -5\n",
     "content/cities/lyon.md:4: error: population: the number -5 is below the smallest allowed, 0"),
    ("name: Lyon\ncountry: FR\ndraft: yes\n",
     "content/cities/lyon.md:4: error: draft must be true or false, not 'yes'"),
    ("name: Lyon\ncountry: FR\npartners:\n  - city: turin\n    kind: twin\n",
     "content/cities/lyon.md:6: error: partners item 1, kind: 'twin' is not allowed;"
     " use one of 'sister-city', 'friendship', 'cooperation' or 'memorandum'"),
    ("name: Lyon\ncountry: FR\npartners:\n  - turin\n  - city: porto\n    knd: friendship\n",
     "content/cities/lyon.md:7: error: unknown field 'partners item 2, knd'\n  hint: did you mean kind?"),
    ("name: Lyon\ncountry: FR\npartners:\n  - kind: friendship\n",
     "content/cities/lyon.md:5: error: missing required field 'partners item 1, city'"),
    ("name: Lyon\ncountry: FR\npartners:\n  - turin\n  - 12\n",
     "content/cities/lyon.md:6: error: partners item 2 must be a set of `key: value` lines"),
    ("name: Lyon\ncountry: FR\npartners:\n  - city: turin\n    since: [2000, 2000]\n",
     "content/cities/lyon.md:6: error: partners item 1, since: '2000' is listed twice"),
], ids=["missing-name", "unknown-field", "unknown-first-field", "unknown-no-match", "country-spain", "country-uk",
        "country-unknown", "region-number", "region-too-long", "longitude-range", "latitude-range-swapped", "latitude-range", "nan", "infinity", "one-number", "coordinates-text",
        "bool-population", "float-population", "negative-population", "draft-yes", "partner-kind",
        "partner-unknown-field", "partner-without-city", "partner-not-a-mapping", "since-twice"])
def test_city_errors_have_the_exact_text(tmp_path, make_site, front, problem):
    make_site(tmp_path, {"cities/lyon.md": entry(front)})
    assert schema_problems() == [problem]


def test_swapped_coordinates_out_of_range_suggest_the_swap(tmp_path, make_site):
    # Los Angeles written as [longitude, latitude]
    make_site(tmp_path, {"cities/los-angeles.md": entry("name: Los Angeles\ncountry: US\n"
                                                       "coordinates: [-118.2437, 34.0522]\n")})
    [problem] = schema_problems()
    assert problem.startswith("content/cities/los-angeles.md:4: error: coordinates: latitude -118.2437 is outside")
    assert "swapped" in problem


@pytest.mark.parametrize("front, where", [
    ("name: Lyon\ncountry: FR\ncoordinates: [true, 4.84]\n", "content/cities/lyon.md:4: error: coordinates: latitude"),
    ("name: Lyon\ncountry: FR\npartners:\n  - city: turin\n    since: true\n",
     "content/cities/lyon.md:6: error: partners item 1, since:"),
], ids=["coordinates", "since"])
def test_a_yes_no_value_where_a_number_belongs_is_shown_as_the_editor_wrote_it(tmp_path, make_site, front, where):
    make_site(tmp_path, {"cities/lyon.md": entry(front)})
    [problem] = schema_problems()
    assert problem.startswith(where)
    assert "True" not in problem  # the editor wrote `true`; Python's spelling means nothing to them


@pytest.mark.parametrize("front", ["name:\ncountry: FR\n", "name: null\ncountry: FR\n"], ids=["blank", "null"])
def test_an_empty_name_is_reported_without_python_words(tmp_path, make_site, front):
    make_site(tmp_path, {"cities/lyon.md": entry(front)})
    [problem] = schema_problems()
    assert problem.startswith("content/cities/lyon.md:2: error: name")
    assert "None" not in problem


@pytest.mark.parametrize("country", ["FR", "fr", "NO", "GB", "XK", "US"])
def test_country_codes(tmp_path, make_site, country):
    make_site(tmp_path, {"cities/lyon.md": city("Lyon", country)})
    assert schema_problems() == []


@pytest.mark.parametrize("since", ["1963", '"1963-06"', '"1963-06-23"', "2016-02-15", "[2000, 2004]",
                                   '["1986", "1989-05"]'])
def test_partnership_dates_may_be_fuzzy_or_disputed(tmp_path, make_site, since):
    make_site(tmp_path, {"cities/lyon.md": city("Lyon", "FR", extra=f"partners:\n  - city: turin\n    since: {since}\n")})
    assert schema_problems() == []


def test_disputed_since_is_kept_as_every_date_the_sources_give(tmp_path, make_site):
    make_site(tmp_path, {"cities/lyon.md": city("Lyon", "FR", extra="partners:\n  - city: turin\n    since: [2000, 2004]\n")})
    errors = ErrorList()
    atlas = validate_entries(load_sources(Path("content"), errors, label="content"), errors)
    assert atlas.get("cities", "lyon").meta.partners[0].since == ("2000", "2004")


@pytest.mark.parametrize("date, problem", [
    ("2016-02-30", "'2016-02-30' is not a real date"),
    ("2015-02-29", "'2015-02-29' is not a real date"),
    ('"2016-13"', "'2016-13' is not a real date"),
    ('"0000"', "'0000' is not a real date"),
    ('"2016-00"', "'2016-00' is not a real date"),
    ('"2016-02-00"', "'2016-02-00' is not a real date"),
    ("16-02-2016", "'16-02-2016' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD"),
    ("yesterday", "'yesterday' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD"),
])
def test_impossible_dates_are_refused(tmp_path, make_site, date, problem):
    make_site(tmp_path, {"case-studies/x.md": entry(f"title: X\ncities: [lyon]\ndate: {date}\n")})
    assert schema_problems() == [f"content/case-studies/x.md:4: error: date: {problem}"]


def test_a_leap_day_is_a_real_date(tmp_path, make_site):
    make_site(tmp_path, {"case-studies/x.md": entry("title: X\ncities: [lyon]\ndate: 2016-02-29\n")})
    assert schema_problems() == []


@pytest.mark.parametrize("front, problem", [
    ("title: A workshop\n", "content/case-studies/x.md:1: error: missing required field 'cities'"),
    ("title: A workshop\ncities: []\n",
     "content/case-studies/x.md:3: error: cities: give at least 1 item"),
])
def test_a_case_study_needs_at_least_one_city(tmp_path, make_site, front, problem):
    make_site(tmp_path, {"case-studies/x.md": entry(front)})
    assert schema_problems() == [problem]


@pytest.mark.parametrize("url", ["ftp://example.org/", "javascript:alert(1)", "data:text/html,hi", "example.org",
                                 "//example.org/", "https://exa mple.org/", 'https://example.org/"onmouseover="x'])
def test_urls_must_be_http_or_https(tmp_path, make_site, url):
    make_site(tmp_path, {"networks/n.md": entry(f"name: N\nwebsite: '{url}'\n")})
    [problem] = schema_problems()
    assert problem.startswith("content/networks/n.md:3: error: website: ")
    assert problem.endswith("is not a web address starting with https:// or http://")


@pytest.mark.parametrize("url", ["https://example.org/", "http://example.org/a?b=c#d", "HTTPS://EXAMPLE.ORG"])
def test_http_and_https_urls_are_accepted(tmp_path, make_site, url):
    make_site(tmp_path, {"networks/n.md": entry(f"name: N\nwebsite: '{url}'\n")})
    assert schema_problems() == []


def test_every_problem_in_every_file_is_reported_at_once(tmp_path, make_site):
    make_site(tmp_path, {
        "atlas.yaml": "title: Atlas\nlanguage: English\n",
        "cities/lyon.md": entry("name: Lyon\ncountry: Spain\npopulation: many\n"),
        "networks/n.md": entry("name: N\nwebsite: n.org\n"),
        "sources.yaml": "- id: A\n  title: A\n",
    })
    assert [p.split(": error")[0] for p in schema_problems()] == [
        "content/atlas.yaml:2", "content/cities/lyon.md:3", "content/cities/lyon.md:4",
        "content/networks/n.md:3", "content/sources.yaml:1",
    ]


# --- atlas.yaml and sources.yaml -------------------------------------------------

@pytest.mark.parametrize("text, problem", [
    ("description: no title\n", "content/atlas.yaml:1: error: missing required field 'title'"),
    ("title: T\nbase_uri: https://example.org/\n",
     "content/atlas.yaml:2: error: unknown field 'base_uri'\n  hint: did you mean base_url?"),
    ("", "content/atlas.yaml:1: error: atlas.yaml must be a set of `key: value` lines"),
    ("- title: T\n", "content/atlas.yaml:1: error: atlas.yaml must be a set of `key: value` lines"),
])
def test_atlas_yaml_errors(tmp_path, make_site, text, problem):
    make_site(tmp_path, {"atlas.yaml": text})
    assert schema_problems() == [problem]


def test_only_the_title_is_required_in_atlas_yaml(tmp_path, make_site):
    make_site(tmp_path, {"atlas.yaml": "title: Atlas\n"})
    assert schema_problems() == []


@pytest.mark.parametrize("text, problem", [
    ("id: a\ntitle: A\n", "content/sources.yaml:1: error: sources.yaml must be a list of sources,"
                          " each starting with `- id: ...`"),
    ("- id: a\n  title: A\n- just text\n",
     "content/sources.yaml:3: error: each source must be a set of `key: value` lines starting with `- id:`"),
    ("- id: a\n  title: A\n- id: a\n  title: B\n", "content/sources.yaml:3: error: duplicate source id 'a' (first on line 1)"),
    ("- title: A\n", "content/sources.yaml:1: error: missing required field 'id'"),
])
def test_sources_yaml_errors(tmp_path, make_site, text, problem):
    make_site(tmp_path, {"sources.yaml": text})
    assert schema_problems() == [problem]


def test_an_empty_sources_yaml_is_an_empty_bibliography(tmp_path, make_site):
    make_site(tmp_path, {"sources.yaml": "# nothing yet\n"})
    assert schema_problems() == []


# --- drafts ----------------------------------------------------------------------

def test_drafts_are_left_out_unless_asked_for(tmp_path, make_site):
    make_site(tmp_path, {
        "cities/lyon.md": city("Lyon", "FR"),
        "cities/turin.md": city("Turin", "IT", extra="draft: true\n"),
        "pages/about.md": entry("title: About\ndraft: false\n"),
    })
    errors = ErrorList()
    sources = load_sources(Path("content"), errors, label="content")
    published = validate_entries(sources, errors)
    with_drafts = validate_entries(sources, errors, drafts=True)
    assert sorted(published.entries) == [("cities", "lyon"), ("pages", "about")]
    assert sorted(with_drafts.entries) == [("cities", "lyon"), ("cities", "turin"), ("pages", "about")]
    assert errors.problems == []


def test_a_draft_is_still_validated(tmp_path, make_site):
    make_site(tmp_path, {"cities/turin.md": city("Turin", "Italy", extra="draft: true\n")})
    assert schema_problems() == [
        "content/cities/turin.md:3: error: country: 'Italy' is not an ISO 3166-1 alpha-2 code; did you mean IT (Italy)?",
    ]


# --- the field reference in docs/field-reference.md -----------------------------

README_TABLES = {
    "atlas.yaml": "`atlas.yaml`", "cities": "Cities", "partners": "Partners", "networks": "Networks",
    "memberships": "Networks of a city", "members": "Members of a network",
    "case-studies": "Case studies", "themes": "Themes", "pages": "Pages", "sources.yaml": "Sources",
}


def readme_field_tables() -> dict[str, set[str]]:
    section = (PROJECT_ROOT / PAGE).read_text(encoding="utf-8")
    tables: dict[str, set[str]] = {}
    heading = None
    for line in section.splitlines():
        bold = re.match(r"^\*\*(.+?)\*\*", line)
        if bold:
            heading = bold.group(1)
            tables[heading] = set()
        field = re.match(r"^\| `([a-z_]+)` \|", line)
        if field and heading is not None:
            tables[heading].add(field.group(1))
    return tables


@pytest.mark.parametrize("kind", list(README_TABLES))
def test_every_schema_field_is_documented_in_the_readme(kind):
    tables = readme_field_tables()
    documented = set(tables.get(README_TABLES[kind], set()))
    if kind in ENTRY_KINDS:
        documented |= tables.get("Every entry", set())
    missing = [field for field in documented_fields()[kind] if field not in documented]
    assert missing == [], f"{PAGE} for {kind} does not list these fields"


def test_the_field_reference_page_is_the_one_the_notes_make():
    assert (PROJECT_ROOT / PAGE).read_text(encoding="utf-8") == reference_page(), (
        f"{PAGE} differs from the notes on the fields; regenerate it: {REGENERATE}")


def test_every_field_has_a_note():
    text = field_reference()
    for kind, fields in documented_fields().items():
        for field in fields:
            assert f"| `{field}` |" in text, f"{kind}: no note on {field}"
