"""The organisation: a city's international-affairs office, an NGO, a university, a company or a funder.

content/organisations/<slug>.md, shown at /organisations/<slug>/; organisations/
lists them. An organisation names the city it belongs to (`city`) or the
organisation it is part of (`parent`): the city's page lists its offices, the
parent's page its units. Its heads are people, with their dates.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, model_validator

from atlas.content.fields import (THEMES_NOTE, Common, DisputedDate, FieldNote, FuzzyDate, Slug, SlugList, Strict,
                                  Text, Url)
from atlas.editing.values import NewOptions, ScaffoldError, yaml_text
from atlas.kinds.cast import as_list, check_term, citation_numbers, term_text
from atlas.kinds.kind import Column, Kind, Link, Table, entries_of, organization_json_ld, tag_filters
from atlas.maps.spec import MapSpec
from atlas.model import Entry

ORGANISATION_KINDS = ("office", "agency", "ngo", "think-tank", "university", "company", "funder", "other")
KIND_LABELS = {"office": "International-affairs office", "agency": "Public agency", "ngo": "Non-governmental"
               " organisation", "think-tank": "Think tank", "university": "University", "company": "Company",
               "funder": "Funder", "other": "Organisation"}


class HeadMeta(Strict):
    person: Slug
    title: Text | None = None
    since: FuzzyDate | None = None
    until: FuzzyDate | None = None
    sources: SlugList = []

    @model_validator(mode="after")
    def _term(self) -> "HeadMeta":
        check_term(self.since, self.until)
        return self


def _heads(value: Any) -> Any:
    """`head: jane-doe`, `head: {person: jane-doe, since: 2017}` or a list of either: a list of heads."""
    items = as_list(value) if not isinstance(value, str) else [value]
    return [{"person": item} if isinstance(item, str) else item for item in items] if isinstance(items, list) else items


class OrganisationMeta(Common):
    name: Text
    short_name: Text | None = None
    kind: Literal[ORGANISATION_KINDS] | None = None  # type: ignore[valid-type]
    city: Slug | None = None
    parent: Slug | None = None
    founded: DisputedDate | None = None
    head: Annotated[list[HeadMeta], BeforeValidator(_heads)] = []
    website: Url | None = None
    themes: SlugList = []


HEAD_NOTES = (
    FieldNote("person", "the slug of the person", "nina-hachigian"),
    FieldNote("title", "their title (`Deputy Mayor for International Affairs`)", "Director"),
    FieldNote("since", "when they took office: `YYYY`, `\"YYYY-MM\"` or `\"YYYY-MM-DD\"`", "2017"),
    FieldNote("until", "when they left; not before `since`", "2021"),
    FieldNote("sources", "source ids for this item", "[source-id]"),
)
NOTES = (
    FieldNote("name", "the organisation's name"),
    FieldNote("short_name", "a short name or acronym (`MOIA`)", "MOIA"),
    FieldNote("kind", f"one of {', '.join(f'`{k}`' for k in ORGANISATION_KINDS)}", "office"),
    FieldNote("city", "the slug of the city it belongs to or is based in; the city's page lists it", "lyon"),
    FieldNote("parent", "the slug of the organisation it is part of", "lyon-city-hall"),
    FieldNote("founded", "a date, or a list of dates when sources differ", "2017"),
    FieldNote("head", "who leads it: a person's slug, or a list of people over time with the fields below", "",
              items=HEAD_NOTES, items_title="**Heads** (items of an organisation's `head`)"),
    FieldNote("website", "its web address (`https://...`)", "https://example.org/"),
    THEMES_NOTE,
)


def organisation_context(organisation: Entry, page: Any) -> dict:
    site = page.site
    graph = site.graph
    meta = organisation.meta
    numbers = citation_numbers(organisation, graph)
    people = kind_folder("person")
    heads = []
    for head in meta.head:
        person = site.entry(people, head.person)
        if person is not None:
            heads.append({"person": person, "title": head.title or "", "term": term_text(head.since, head.until),
                          "current": head.until is None,
                          "cites": [(numbers[s], s) for s in head.sources if s in numbers]})
    city = site.entry(kind_folder("city"), meta.city) if meta.city else None
    point = page.place_point(city.slug, "focus") if city else None
    return {
        "kind_label": KIND_LABELS.get(meta.kind or "other"),
        "city": city,
        "parent": site.entry(organisation.kind, meta.parent) if meta.parent else None,
        "units": site.entries(graph.within.get(organisation.key, [])),
        "heads": heads,
        "themes": site.entries((kind_folder("theme"), s) for s in meta.themes),
        "map": page.map_block(MapSpec(f"Map of {city.title}, where {organisation.title} is based", (point,))
                              if point else None),
    }


def kind_folder(name: str) -> str:
    from atlas import kinds  # the registry holds this module: ask it at render time

    return kinds.of_name(name).folder


def organisation_filters(organisation: Entry, atlas: Any, graph: Any) -> list[tuple[str, str]]:
    meta = organisation.meta
    return tag_filters(atlas, entries_of(atlas, "cities", [meta.city] if meta.city else []), [], meta.themes)


def organisation_json_ld(organisation: Entry, base: dict, atlas: Any, graph: Any) -> dict:
    meta = organisation.meta
    data = organization_json_ld(base, meta)
    city = atlas.get("cities", meta.city) if meta.city else None
    if city:
        data["location"] = {"@type": "City", "name": city.title}
    parent = atlas.get(organisation.kind, meta.parent) if meta.parent else None
    if parent:
        data["parentOrganization"] = {"@type": "Organization", "name": parent.title}
    heads = [(head, atlas.get("people", head.person)) for head in meta.head if head.until is None]
    if heads:
        data["employee"] = [{"@type": "Person", "name": person.title, **({"jobTitle": head.title} if head.title else {})}
                            for head, person in heads if person]
    return data


def organisation_data(organisation: Entry, graph: Any) -> dict:
    meta = organisation.meta
    return {"name": organisation.title, "short_name": meta.short_name, "kind": meta.kind, "city": meta.city,
            "parent": meta.parent, "founded": list(meta.founded or ()), "website": meta.website,
            "head": [{"person": h.person, "title": h.title, "since": h.since, "until": h.until,
                      "sources": list(h.sources)} for h in meta.head],
            "themes": list(meta.themes)}


TABLE_COLUMNS = (
    Column("slug", "string", "the organisation's slug, its permanent id in the atlas"),
    Column("name", "string", "its name"),
    Column("kind", "string", "office, agency, ngo, think-tank, university, company, funder or other"),
    Column("city", "string", "the slug of the city it belongs to"),
    Column("parent", "string", "the slug of the organisation it is part of"),
    Column("founded", "string", "when it was founded; dates joined by ' or ' where sources differ"),
    Column("head", "string", "the slug of the person who leads it now, as far as the atlas knows"),
    Column("website", "string", "its web address"),
    Column("url", "string", "its page in the atlas"),
)


def organisation_rows(organisation: Entry, graph: Any, url: str) -> list[list]:
    meta = organisation.meta
    current = [head.person for head in meta.head if head.until is None]
    return [[organisation.slug, organisation.title, meta.kind or "", meta.city or "", meta.parent or "",
             " or ".join(meta.founded or ()), " ".join(current), meta.website or "", url]]


def new_organisation(name: str, options: NewOptions) -> tuple[list[str], list[str]]:
    """The name, and the city when `--city` gives one."""
    front = [f"name: {yaml_text(name)}"]
    if len(options.cities) > 1:
        raise ScaffoldError("--city: an organisation belongs to one city")
    warnings = []
    if options.cities:
        city = options.cities[0]
        front.append(f"city: {city}")
        if not (options.content_dir / "cities" / f"{city}.md").exists():
            warnings.append(f"{options.src}: there is no city '{city}' yet; create it with `atlas new city`,"
                            " or `atlas check` will report it")
    return front, warnings


KIND = Kind(
    name="organisation", folder="organisations", label=("Organisation", "Organisations"), model=OrganisationMeta,
    title_field="name", template="organisation.html", fields=NOTES, context=organisation_context,
    search_filters=organisation_filters, json_ld=organisation_json_ld, data=organisation_data,
    tables=(Table("organisations", "One row per organisation: offices, NGOs, universities, funders.",
                  TABLE_COLUMNS, organisation_rows),),
    links=(Link("city", "city", "city", "within"), Link("parent", "organisation", "parent organisation", "within"),
           Link("head", "person", "head", "mention", item="person"), Link("themes", "theme", "theme", "tag")),
    cited=(("head", "sources"),),
    facts=("founded", "head", "city", "parent", "website"),
    new_front=new_organisation, new_options=frozenset({"cities"}),
    new_body=("## What it does", "Its remit, who set it up and when, and what it has done abroad."),
)
