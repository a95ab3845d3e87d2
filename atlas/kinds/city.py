"""The city: a place with an office abroad, its partner cities and the networks it belongs to.

content/cities/<slug>.md, shown at /cities/<slug>/ with a map of its partnerships;
cities/ lists them by region and country (or, for a big atlas, a page per country).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field

from atlas.content.fields import (DATE_NOTE, PARTNERSHIP_KINDS, PARTNERSHIP_STATUSES, THEMES_NOTE, Common,
                                  Confidence, Coordinates, Country, DisputedDate, FieldNote, Region, Role, Slug,
                                  SlugList, Strict, Text, membership_notes)
from atlas.editing.values import NewOptions, ScaffoldError, check_country_code, format_coordinates, yaml_text
from atlas.graph import gazetteer
from atlas.kinds.kind import Column, Kind, Link, Table, entries_of, network_memberships, tag_filters
from atlas.maps.spec import MapPoint, MapSpec
from atlas.model import Entry
from atlas.render import paging, present


class PartnerMeta(Strict):
    city: Slug
    kind: Literal[PARTNERSHIP_KINDS] = "sister-city"  # type: ignore[valid-type]
    since: DisputedDate | None = None
    note: Text | None = None
    sources: SlugList = []
    confidence: Confidence | None = None
    status: Literal[PARTNERSHIP_STATUSES] = "active"  # type: ignore[valid-type]
    until: DisputedDate | None = None
    reason: Text | None = None
    status_source: Slug | None = None


class NetworkMembershipMeta(Strict):
    """One network the city belongs to, with dates and role (an item of `networks`)."""

    network: Slug
    since: DisputedDate | None = None
    until: DisputedDate | None = None
    role: Role = "member"
    sources: SlugList = []


def _partner(value: Any) -> Any:
    return {"city": value} if isinstance(value, str) else value


def _network(value: Any) -> Any:
    return {"network": value} if isinstance(value, str) else value


class CityMeta(Common):
    name: Text
    country: Country
    region: Region | None = None
    coordinates: Coordinates | None = None
    population: Annotated[int, Field(ge=0, le=100_000_000)] | None = None
    office: Text | None = None
    networks: list[Annotated[NetworkMembershipMeta, BeforeValidator(_network)]] = []
    partners: list[Annotated[PartnerMeta, BeforeValidator(_partner)]] = []
    themes: SlugList = []


PARTNER_NOTES = (
    FieldNote("city", "the partner city's slug", "lisbon"),
    FieldNote("kind", "`sister-city` (default), `friendship`, `cooperation` or `memorandum`", "sister-city"),
    FieldNote("since", DATE_NOTE, "1960"),
    FieldNote("note", "a short note", "Signed by both mayors."),
    FieldNote("sources", "source ids for this partnership", "[source-id]"),
    FieldNote("confidence", "`high`, `medium` or `low`; `low` is shown as \"Unconfirmed\"", "low"),
    FieldNote("status", "`active` (default), `suspended` or `ended`; `ended` needs `until`; an `until` without"
              " a status means `ended`", "suspended"),
    FieldNote("until", f"when the tie was suspended or ended: {DATE_NOTE}", "\"2022-03-16\""),
    FieldNote("reason", "why it was suspended or ended", "Suspended after the invasion of Ukraine."),
    FieldNote("status_source", "the source id that reports the suspension or end", "source-id"),
)

NOTES = (
    FieldNote("name", "the city's name as readers know it (`São Paulo`)"),
    FieldNote("country", "ISO 3166-1 alpha-2 code (`ES`, `US`, `GB`)"),
    FieldNote("region", "the state, province or region of the country, as readers know it; give it for US cities"
              " and wherever a city shares its name with another (Toledo, `Ohio`; Toledo, `Castile-La Mancha`)."
              " Shown after the name (\"Toledo, Ohio (US)\"), except where the name already has a comma"
              " (`Washington, D.C.`)", "Ohio"),
    FieldNote("coordinates", "`[latitude, longitude]` in decimal degrees; looked up in the gazetteer when absent",
              "[lat, lon]"),
    FieldNote("population", "a whole number", "12400000"),
    FieldNote("office", "the city's international-affairs office", "International Relations Office"),
    FieldNote("networks", "networks the city belongs to: slugs, or mappings with the fields below", "",
              items=membership_notes("network", "network", "c40"),
              items_title="**Networks of a city** (items of a city's `networks`; a network may list the same under"
              " `members`)"),
    FieldNote("partners", "partner cities: slugs, or mappings with the fields below", "",
              items=PARTNER_NOTES, items_title="**Partners** (items of a city's `partners`)"),
    THEMES_NOTE,
)


# --- its pages -------------------------------------------------------------------

def city_context(city: Entry, page: Any) -> dict:
    site = page.site
    graph = site.graph
    partnerships = graph.partners_of.get(city.slug, [])
    numbers = {source_id: index + 1 for index, source_id in enumerate(graph.citations.get(city.key, []))}
    partners = []
    points: list[MapPoint] = []
    index: dict[str, int] = {}

    def add_point(slug: str, role: str, detail: str = "", years=None) -> None:
        point = page.place_point(slug, role, detail, years)
        if point is not None and slug not in index:
            index[slug] = len(points)
            points.append(point)

    add_point(city.slug, "focus")
    for partnership in partnerships:
        other = site.atlas.get("cities", partnership.other(city.slug))
        partners.append({
            "city": other,
            "partnership": partnership,
            "cites": [(numbers[s], s) for s in dict.fromkeys((*partnership.sources, partnership.status_source))
                      if s in numbers],  # a status source also among the sources is cited once
        })
        add_point(other.slug, "partner", present.partnership_kind(partnership.kind) + page.dates_of(partnership),
                  (partnership.first_year, partnership.last_year))
    lines = [page.partnership_line(p, index, first=city.slug) for p in partnerships]
    place = graph.places.get(city.slug)
    label = (f"Map of {city.title} and its {present.count(len(partnerships), 'partner city', 'partner cities')}"
             if partnerships else f"Map of {city.title}")
    spec = MapSpec(label, tuple(points), tuple(line for line in lines if line),
                   center_lon=place.lon if place else None)
    networks = network_memberships(site, graph.memberships_of_city.get(city.slug, []), "network")
    return {
        "place": place,
        "country": present.country_name(city.meta.country),
        "region": present.region_of(city.meta.country),
        "search_title": present.place_name(city.title, city.meta.region),
        "partners": [row for row in partners if row["partnership"].current],
        "former_partners": [row for row in partners if not row["partnership"].current],
        "networks": [row for row in networks if row["current"]],
        "former_networks": [row for row in networks if not row["current"]],
        "hosted": site.entries(("networks", s) for s in graph.hosted_by.get(city.slug, [])),
        "within": _by_kind(site.entries(graph.within.get(city.key, []))),
        "case_studies": page.case_studies(city.key),
        "themes": site.entries(("themes", s) for s in city.meta.themes),
        "map": page.map_block(spec),
        "years": page.year_range(partnerships),
    }


def _by_kind(entries: list[Entry]) -> list[tuple[str, list[Entry]]]:
    """What lies within the city (its offices, the events it hosted), grouped by kind in the registry's order."""
    from atlas import kinds  # the registry holds this module: ask it at render time

    return [(kind.label[1], [e for e in entries if e.kind == kind.folder]) for kind in kinds.registered()
            if any(e.kind == kind.folder for e in entries)]


def city_index(kind: Kind, pages: Any) -> None:
    """cities/: the cities by region and country, or, for a big atlas, a page per country."""
    atlas, graph = pages.site.atlas, pages.site.graph
    cities = atlas.of_kind(kind.folder)
    if len(cities) > paging.CITY_INDEX_LIMIT:
        _city_index_by_country(kind, pages)
        return
    regions: dict[str, dict[str, list[Entry]]] = defaultdict(lambda: defaultdict(list))
    for city in cities:
        country = city.meta.country
        regions[present.region_of(country)][present.country_name(country)].append(city)
    grouped = [(region, sorted((country, sorted(cities, key=lambda e: e.title.casefold()))
                               for country, cities in countries.items()))
               for region, countries in sorted(regions.items())]
    city_networks = {c.slug: [_network_label(atlas, n) for n in graph.networks_of.get(c.slug, [])] for c in cities}
    city_themes = {c.slug: [t.title for t in entries_of(atlas, "themes", c.meta.themes)] for c in cities}
    pages.emit(f"{kind.folder}/", "index_cities.html", regions=grouped, total=len(cities),
               city_networks=city_networks, city_themes=city_themes)


def _city_index_by_country(kind: Kind, pages: Any) -> None:
    """A big atlas: cities/ lists regions and countries with counts; each country has a page of its cities.

    These templates read only their context (no `site.graph`), so each page's
    fingerprint covers everything it shows.
    """
    atlas, graph = pages.site.atlas, pages.site.graph
    by_country: dict[str, list[Entry]] = defaultdict(list)
    for city in atlas.of_kind(kind.folder):
        by_country[city.meta.country].append(city)
    regions: dict[str, list[dict]] = defaultdict(list)
    for code, cities in by_country.items():
        regions[present.region_of(code)].append({"code": code, "name": present.country_name(code),
                                                 "route": paging.country_route(code), "count": len(cities)})
    grouped = [(region, sum(c["count"] for c in countries), sorted(countries, key=lambda c: c["name"]))
               for region, countries in sorted(regions.items())]
    pages.emit(f"{kind.folder}/", "index_countries.html", regions=grouped,
               total=sum(len(cities) for cities in by_country.values()))
    for region, _, countries in grouped:
        for country in countries:
            rows = []
            for city in sorted(by_country[country["code"]], key=lambda e: e.title.casefold()):
                networks = [_network_label(atlas, n) for n in graph.networks_of.get(city.slug, [])]
                themes = [t.title for t in entries_of(atlas, "themes", city.meta.themes)]
                rows.append({"city": city, "partners": len(graph.partners_of.get(city.slug, [])),
                             "networks": "|".join(networks), "themes": "|".join(themes)})
            pages.emit(country["route"], "country.html", region=region, country=country["name"], cities=rows)


def _network_label(atlas: Any, slug: str) -> str:
    network = atlas.get("networks", slug)
    return (network.meta.short_name or network.title) if network else slug


def city_filters(city: Entry, atlas: Any, graph: Any) -> list[tuple[str, str]]:
    return tag_filters(atlas, [city], graph.networks_of.get(city.slug, []), city.meta.themes)


def city_json_ld(city: Entry, base: dict, atlas: Any, graph: Any) -> dict:
    place = graph.places.get(city.slug)
    data = {**base, "@type": "City", "address": {"@type": "PostalAddress", "addressCountry": city.meta.country}}
    if city.meta.region:
        data["address"]["addressRegion"] = city.meta.region
    if place:
        data["geo"] = {"@type": "GeoCoordinates", "latitude": place.lat, "longitude": place.lon}
    roles = [membership_role(m, atlas) for m in graph.memberships_of_city.get(city.slug, [])]
    if roles:
        data["memberOf"] = [role for role in roles if role]
    return data


def membership_role(membership: Any, atlas: Any) -> dict | None:
    """schema.org's Role between the city and the network: its name and dates (the first a source gives for
    the start, the last for the end)."""
    network = atlas.get("networks", membership.network)
    if network is None:
        return None
    role = {"@type": "Role", "roleName": present.role_name(membership.role),
            "memberOf": {"@type": "Organization", "name": network.title}}
    if membership.since:
        role["startDate"] = min(membership.since)
    if membership.until:
        role["endDate"] = max(membership.until)
    return role


# --- its data --------------------------------------------------------------------

def city_data(city: Entry, graph: Any) -> dict:
    place = graph.places.get(city.slug)
    return {"name": city.title, "country": city.meta.country, "region": city.meta.region,
            "coordinates": [place.lat, place.lon] if place else None,
            "coordinates_from": place.origin if place else None,
            "population": city.meta.population, "office": city.meta.office, "themes": list(city.meta.themes)}


TABLE_COLUMNS = (
    Column("slug", "string", "the city's slug, its permanent id in the atlas"),
    Column("name", "string", "the city's name"),
    Column("country", "string", "ISO 3166-1 alpha-2 country code"),
    Column("region", "string", "the state, province or region of the country, where the atlas gives it"),
    Column("continent", "string", "the continent, as the cities index groups them (`Europe`, `North America`)"),
    Column("latitude", "number", "latitude in decimal degrees (WGS 84)"),
    Column("longitude", "number", "longitude in decimal degrees (WGS 84)"),
    Column("coordinates_from", "string", "`content` (given by the entry) or `gazetteer` (GeoNames)"),
    Column("partners", "integer", "how many partner cities the atlas records"),
    Column("networks", "string", "slugs of the networks it belongs to, separated by spaces"),
    Column("url", "string", "the city's page"),
)


def city_rows(city: Entry, graph: Any, url: str) -> list[list]:
    """The city's row of data/cities.csv (TABLE_COLUMNS)."""
    place = graph.places.get(city.slug)
    return [[city.slug, city.title, city.meta.country, city.meta.region or "", present.region_of(city.meta.country),
             place.lat if place else "", place.lon if place else "", place.origin if place else "",
             len(graph.partners_of.get(city.slug, [])), " ".join(graph.networks_of.get(city.slug, [])), url]]


# --- `atlas new city` ------------------------------------------------------------

def new_city(name: str, options: NewOptions) -> tuple[list[str], list[str]]:
    """Name and country, and the coordinates when the gazetteer knows the city."""
    if not options.country:
        raise ScaffoldError("a city needs --country, its ISO 3166-1 alpha-2 code, such as --country BR")
    code = check_country_code(options.country)
    front = [f"name: {yaml_text(name)}", f"country: {code}"]
    found = gazetteer.lookup_city(name, code)
    if found.place is not None:
        front.append(f"coordinates: {format_coordinates(found.place.lat, found.place.lon)}  # GeoNames")
        return front, []
    if found.candidates:
        front.append(f"# coordinates: [lat, lon]  # {len(found.candidates)} places of this name in the gazetteer:"
                     " fill in")
        choices = "; ".join(f"{p.name} ({p.region or p.country}) [{p.lat:.4f}, {p.lon:.4f}]"
                            for p in found.candidates[:5])
        return front, [f"{options.src}: the gazetteer has {len(found.candidates)} places called '{name}' in {code}"
                       f" ({choices}); fill in coordinates: [lat, lon], or `atlas check` will ask for them"]
    front.append("# coordinates: [lat, lon]  # not found in the gazetteer: fill in")
    return front, [f"{options.src}: the gazetteer has no city called '{name}' in {code}; fill in coordinates:"
                   " [lat, lon], or `atlas check` will ask for them"]


KIND = Kind(
    name="city", folder="cities", label=("City", "Cities"), model=CityMeta, title_field="name",
    template="city.html", fields=NOTES, context=city_context, index=city_index, search_filters=city_filters,
    json_ld=city_json_ld, data=city_data, tables=(Table("cities", "One row per city.", TABLE_COLUMNS, city_rows),),
    links=(Link("networks", "network", "network", "member", item="network"), Link("themes", "theme", "theme", "tag")),
    graph_fields=("name", "country", "coordinates", "partners"),
    facts=("population", "office", "partners", "networks"),
    new_front=new_city, new_options=frozenset({"country"}),
    new_body=("## International relations", "What the city does abroad: its office, partnerships and networks."),
)
