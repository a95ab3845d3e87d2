"""The network: an association of cities, its members and its headquarters.

content/networks/<slug>.md, shown at /networks/<slug>/ with a map of its members;
networks/ lists them. Membership may be declared on the city or on the network.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from atlas.content.fields import (THEMES_NOTE, Common, DisputedDate, FieldNote, FuzzyDate, Role, Slug, SlugList,
                                  Strict, Text, Url, membership_notes)
from atlas.kinds.kind import Kind, Link, list_index, network_memberships, organization_json_ld, tag_filters
from atlas.maps.spec import MapSpec
from atlas.model import Entry
from atlas.render import present


class MemberMeta(Strict):
    """One member city, with dates and role (an item of a network's `members`)."""

    city: Slug
    since: DisputedDate | None = None
    until: DisputedDate | None = None
    role: Role = "member"
    sources: SlugList = []


class MembersReported(Strict):
    """How many members the network itself reports, and when: "97 members reported in 2024"."""

    count: Annotated[int, Field(ge=0)]
    as_of: FuzzyDate
    source: Slug | None = None


def _member(value: Any) -> Any:
    return {"city": value} if isinstance(value, str) else value


class NetworkMeta(Common):
    name: Text
    short_name: Text | None = None
    founded: DisputedDate | None = None
    headquarters: Slug | None = None
    members: list[Annotated[MemberMeta, BeforeValidator(_member)]] = []
    members_reported: MembersReported | None = None
    themes: SlugList = []
    website: Url | None = None


NOTES = (
    FieldNote("name", "the network's full name"),
    FieldNote("short_name", "a short name such as `C40`", "C40"),
    FieldNote("founded", "a date, or a list of dates when sources differ", "2005"),
    FieldNote("headquarters", "the slug of the city where its secretariat is", "london"),
    FieldNote("members", "member cities: slugs, or mappings with the fields below", "",
              items=membership_notes("city", "member city", "london"),
              items_title="**Members of a network** (items of a network's `members`; a city may list the same under"
              " `networks`)"),
    FieldNote("members_reported", "the network's own count of members: `{count: 97, as_of: 2024, source:"
              " source-id}`; the page sets it beside the count in the atlas", "{count: 97, as_of: 2024}"),
    THEMES_NOTE,
    FieldNote("website", "its web address (`https://...`)", "https://example.org/"),
)


def network_context(network: Entry, page: Any) -> dict:
    site = page.site
    graph = site.graph
    memberships = graph.memberships_of_network.get(network.slug, [])
    rows = network_memberships(site, memberships, "city")
    current = [row for row in rows if row["current"]]
    hq = network.meta.headquarters
    points = []
    if hq and hq in graph.places:
        points.append(page.place_point(hq, "hq", "Headquarters"))
    points += [page.place_point(row["entry"].slug, "member", row["roles"], (row["since"], row["until"]))
               for row in rows if row["entry"].slug != hq]
    label = f"Map of {present.count(len(rows), 'member city', 'member cities')} of {network.title}"
    if hq:
        label += " and its headquarters"
    by_country: dict[str, list[dict]] = defaultdict(list)
    for row in current:
        by_country[present.country_name(row["entry"].meta.country)].append(row)
    reported = network.meta.members_reported
    return {
        "members": [row["entry"] for row in current],
        "members_by_country": sorted((c, sorted(m, key=lambda r: r["entry"].title)) for c, m in by_country.items()),
        "former_members": [row for row in rows if not row["current"]],
        "reported": present.reported(reported.count, reported.as_of, len(current)) if reported else None,
        "reported_source": reported.source if reported else None,
        "headquarters": site.entry("cities", hq) if hq else None,
        "case_studies": page.case_studies(network.key),
        "themes": site.entries(("themes", s) for s in network.meta.themes),
        # a headquarters alone is no map of the network: no member on the map, no map (the page says so)
        "map": page.map_block(MapSpec(label, tuple(p for p in points if p)))
        if any(p and p.role == "member" for p in points) else None,
        "years": page.year_range(memberships),
    }


def network_filters(network: Entry, atlas: Any, graph: Any) -> list[tuple[str, str]]:
    return tag_filters(atlas, [], [network.slug], network.meta.themes)


def network_json_ld(network: Entry, base: dict, atlas: Any, graph: Any) -> dict:
    meta = network.meta
    data = organization_json_ld(base, meta)
    hq = atlas.get("cities", meta.headquarters) if meta.headquarters else None
    if hq:
        data["location"] = {"@type": "City", "name": hq.title}
    members = [atlas.get("cities", slug) for slug in graph.members_of.get(network.slug, [])]
    if members:
        data["member"] = [{"@type": "City", "name": m.title} for m in members if m]
    return data


def network_data(network: Entry, graph: Any) -> dict:
    meta = network.meta
    return {"name": network.title, "short_name": meta.short_name, "founded": list(meta.founded or ()),
            "headquarters": meta.headquarters, "website": meta.website, "themes": list(meta.themes)}


KIND = Kind(
    name="network", folder="networks", label=("Network", "Networks"), model=NetworkMeta, title_field="name",
    template="network.html", fields=NOTES, context=network_context, index=list_index,
    search_filters=network_filters, json_ld=network_json_ld, data=network_data,
    links=(Link("members", "city", "member city", "member", item="city"),
           Link("headquarters", "city", "headquarters city", "headquarters"), Link("themes", "theme", "theme", "tag")),
    graph_fields=("members_reported",),
    facts=("founded", "headquarters", "members", "website"),
    new_body=("## Members and work", "Who founded the network, who belongs to it and what it does."),
)
