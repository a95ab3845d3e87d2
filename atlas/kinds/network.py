"""The network: an association of cities, its members and its headquarters.

content/networks/<slug>.md, shown at /networks/<slug>/ with a map of its members;
networks/ lists them. Membership may be declared on the city or on the network.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from atlas.content.fields import THEMES_NOTE, Common, DisputedDate, FieldNote, Slug, SlugList, Text, Url
from atlas.kinds.kind import Kind, Link, list_index, organization_json_ld, tag_filters
from atlas.maps.spec import MapSpec
from atlas.model import Entry
from atlas.render import present


class NetworkMeta(Common):
    name: Text
    short_name: Text | None = None
    founded: DisputedDate | None = None
    headquarters: Slug | None = None
    members: SlugList = []
    themes: SlugList = []
    website: Url | None = None


NOTES = (
    FieldNote("name", "the network's full name"),
    FieldNote("short_name", "a short name such as `C40`", "C40"),
    FieldNote("founded", "a date, or a list of dates when sources differ", "2005"),
    FieldNote("headquarters", "the slug of the city where its secretariat is", "london"),
    FieldNote("members", "slugs of member cities", "[london, paris]"),
    THEMES_NOTE,
    FieldNote("website", "its web address (`https://...`)", "https://example.org/"),
)


def network_context(network: Entry, page: Any) -> dict:
    site = page.site
    graph = site.graph
    members = site.entries(("cities", s) for s in graph.members_of.get(network.slug, []))
    hq = network.meta.headquarters
    points = []
    if hq and hq in graph.places:
        points.append(page.place_point(hq, "hq", "Headquarters"))
    points += [page.place_point(m.slug, "member") for m in members if m.slug != hq]
    label = f"Map of {present.count(len(members), 'member city', 'member cities')} of {network.title}"
    if hq:
        label += " and its headquarters"
    by_country: dict[str, list[Entry]] = defaultdict(list)
    for member in members:
        by_country[present.country_name(member.meta.country)].append(member)
    return {
        "members": members,
        "members_by_country": sorted((c, sorted(m, key=lambda e: e.title)) for c, m in by_country.items()),
        "headquarters": site.entry("cities", hq) if hq else None,
        "case_studies": page.case_studies(network.key),
        "themes": site.entries(("themes", s) for s in network.meta.themes),
        "map": page.map_block(MapSpec(label, tuple(p for p in points if p))),
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
    links=(Link("members", "city", "member city", "member"),
           Link("headquarters", "city", "headquarters city", "headquarters"), Link("themes", "theme", "theme", "tag")),
    facts=("founded", "headquarters", "members", "website"),
    new_body=("## Members and work", "Who founded the network, who belongs to it and what it does."),
)
