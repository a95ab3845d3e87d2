"""The person: a mayor, a network's chair, the head of an international office.

content/people/<slug>.md, shown at /people/<slug>/; people/ lists them. A person's
`roles` say what they were, where and when; an organisation that names them as
its head shows them on its page, and their page lists it.
"""

from __future__ import annotations

from typing import Any

from pydantic import model_validator

from atlas.content.fields import Common, FieldNote, FuzzyDate, HintedError, Slug, SlugList, Strict, Text, Url
from atlas.kinds.cast import check_term, citation_numbers, term_text
from atlas.kinds.kind import Column, Kind, Link, Table, tag_filters
from atlas.model import Entry

ROLE_PLACES = ("organisation", "city", "network")  # what a role is held in


class RoleMeta(Strict):
    role: Text
    organisation: Slug | None = None
    city: Slug | None = None
    network: Slug | None = None
    since: FuzzyDate | None = None
    until: FuzzyDate | None = None
    sources: SlugList = []

    @model_validator(mode="after")
    def _where(self) -> "RoleMeta":
        named = [key for key in ROLE_PLACES if getattr(self, key)]
        if len(named) > 1:
            raise HintedError(f"a role is held in one place, not in {' and '.join(named)}",
                              "write two roles, one for each")
        check_term(self.since, self.until)
        return self

    @property
    def held_in(self) -> tuple[str, str] | None:
        """(the kind's name, slug) of where the role is held: ("network", "c40")."""
        return next(((key, getattr(self, key)) for key in ROLE_PLACES if getattr(self, key)), None)


class PersonMeta(Common):
    name: Text
    roles: list[RoleMeta] = []
    website: Url | None = None


ROLE_NOTES = (
    FieldNote("role", "the role (`Mayor`, `Chair`, `Director`)", "Chair"),
    FieldNote("organisation", "the slug of the organisation it is held in (or `city`, or `network`)", "c40"),
    FieldNote("city", "the slug of the city it is held in (a mayor's)"),
    FieldNote("network", "the slug of the network it is held in (a chair's)"),
    FieldNote("since", "`YYYY`, `\"YYYY-MM\"` or `\"YYYY-MM-DD\"`", "2016"),
    FieldNote("until", "when it ended; not before `since`", "2019"),
    FieldNote("sources", "source ids for this role", "[source-id]"),
)
NOTES = (
    FieldNote("name", "the person's name as they are known"),
    FieldNote("roles", "what they were, where and when: mappings with the fields below", "",
              items=ROLE_NOTES, items_title="**Roles** (items of a person's `roles`)"),
    FieldNote("website", "an official page about them (`https://...`)", "https://example.org/"),
)


def _folder(name: str) -> str:
    from atlas import kinds  # the registry holds this module: ask it at render time

    return kinds.of_name(name).folder


def person_context(person: Entry, page: Any) -> dict:
    site = page.site
    numbers = citation_numbers(person, site.graph)
    roles = []
    for role in sorted(person.meta.roles, key=lambda r: (r.since or "9999", r.role)):
        where = site.entry(_folder(role.held_in[0]), role.held_in[1]) if role.held_in else None
        roles.append({"role": role.role, "where": where, "term": term_text(role.since, role.until),
                      "cites": [(numbers[s], s) for s in role.sources if s in numbers]})
    organisations = _folder("organisation")
    headed = []
    for key in site.graph.references.get(person.key, []):
        if key[0] != organisations:
            continue
        organisation = site.entry(*key)
        for head in organisation.meta.head if organisation else ():
            if head.person == person.slug:
                headed.append({"organisation": organisation, "title": head.title or "Head",
                               "term": term_text(head.since, head.until)})
    return {"roles": roles, "headed": headed}


def person_filters(person: Entry, atlas: Any, graph: Any) -> list[tuple[str, str]]:
    cities = [atlas.get("cities", role.city) for role in person.meta.roles if role.city]
    networks = [role.network for role in person.meta.roles if role.network]
    return tag_filters(atlas, [c for c in cities if c], networks)


def person_json_ld(person: Entry, base: dict, atlas: Any, graph: Any) -> dict:
    """A Person; each role a schema.org Role (roleName, startDate, endDate) around where it was held."""
    data = {**base, "@type": "Person"}
    if person.meta.website:
        data["sameAs"] = person.meta.website
    member_of = []
    for role in person.meta.roles:
        if role.held_in is None:
            continue
        kind, slug = role.held_in
        where = atlas.get(_folder(kind), slug)
        if where is None:
            continue
        item = {"@type": "Role", "roleName": role.role,
                "memberOf": {"@type": "City" if kind == "city" else "Organization", "name": where.title}}
        if role.since:
            item["startDate"] = role.since
        if role.until:
            item["endDate"] = role.until
        member_of.append(item)
    if member_of:
        data["memberOf"] = member_of
    return data


def person_data(person: Entry, graph: Any) -> dict:
    return {"name": person.title, "website": person.meta.website,
            "roles": [{"role": r.role, "organisation": r.organisation, "city": r.city, "network": r.network,
                       "since": r.since, "until": r.until, "sources": list(r.sources)} for r in person.meta.roles]}


PERSON_COLUMNS = (
    Column("slug", "string", "the person's slug, their permanent id in the atlas"),
    Column("name", "string", "the person's name"),
    Column("roles", "integer", "how many roles the atlas records for them (see roles.csv)"),
    Column("website", "string", "an official page about them"),
    Column("url", "string", "the person's page in the atlas"),
)
ROLE_COLUMNS = (
    Column("person", "string", "the person's slug"),
    Column("name", "string", "the person's name"),
    Column("role", "string", "the role: Mayor, Chair, Director ..."),
    Column("held_in_kind", "string", "organisation, city or network"),
    Column("held_in", "string", "the slug of where the role is held"),
    Column("since", "string", "when it began: YYYY, YYYY-MM or YYYY-MM-DD"),
    Column("until", "string", "when it ended; empty when it has not, or is not known to have"),
    Column("sources", "string", "source ids, separated by spaces"),
    Column("url", "string", "the person's page in the atlas"),
)


def person_rows(person: Entry, graph: Any, url: str) -> list[list]:
    return [[person.slug, person.title, len(person.meta.roles), person.meta.website or "", url]]


def role_rows(person: Entry, graph: Any, url: str) -> list[list]:
    rows = []
    for role in person.meta.roles:
        kind, slug = role.held_in or ("", "")
        rows.append([person.slug, person.title, role.role, kind, slug, role.since or "", role.until or "",
                     " ".join(role.sources), url])
    return rows


KIND = Kind(
    name="person", folder="people", label=("Person", "People"), model=PersonMeta, title_field="name",
    template="person.html", fields=NOTES, context=person_context, search_filters=person_filters,
    json_ld=person_json_ld, data=person_data,
    tables=(Table("people", "One row per person: mayors, network chairs, office heads.", PERSON_COLUMNS, person_rows),
            Table("roles", "One row per role of a person: who, what, where and when.", ROLE_COLUMNS, role_rows)),
    links=(Link("roles", "organisation", "organisation", "mention", item="organisation"),
           Link("roles", "city", "city", "mention", item="city"),
           Link("roles", "network", "network", "mention", item="network")),
    cited=(("roles", "sources"),),
    facts=("roles",),
    new_body=("## Work abroad", "What they did in city diplomacy, and when."),
)
