"""Ties between entries: partnerships of cities, memberships of networks, what case studies and themes name,
and what lies within what (a city's offices).

Called by relations.py, after places.py and before citations.py. Reads no files.
A partnership declared on either city shows on both; two declarations of one
partnership that disagree are an error naming both files. A membership declared
on the city or on the network shows on both.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from atlas import kinds
from atlas.errors import ErrorList
from atlas.graph.resolver import Refs, Resolver, city_folder, linked
from atlas.model import Atlas, Entry


@dataclass(frozen=True)
class Partnership:
    a: str  # city slugs, a < b
    b: str
    kind: str
    since: tuple[str, ...]  # one date, or the dates sources give when they differ
    note: str | None
    sources: tuple[str, ...]
    confidence: str | None
    status: str
    declared_in: tuple[str, ...]  # src of every file that declares it

    def other(self, slug: str) -> str:
        return self.b if slug == self.a else self.a

    @property
    def first_year(self) -> int | None:
        return int(self.since[0][:4]) if self.since else None


_COMPARED = ("kind", "since", "status", "confidence", "note")


def resolve_partnerships(atlas: Atlas, resolver: Resolver, refs: Refs, errors: ErrorList) -> list[Partnership]:
    """Every partnership once, by its pair of cities, merged from the cities that declare it."""
    cities = city_folder()
    declared: dict[tuple[str, str], tuple[Partnership, dict, Entry, int]] = {}
    for city in atlas.of_kind(cities):
        for index, partner in enumerate(city.meta.partners):
            line = city.line_of("partners", index)
            if partner.city == city.slug:
                errors.error(city.src, line, "a city cannot be its own partner")
                continue
            other = resolver.entry(cities, partner.city, city.src, line, "partner city")
            if other is None:
                continue
            for source_id in partner.sources:
                resolver.source(source_id, city.src, city.line_of("partners", index, "sources"))
            pair = tuple(sorted((city.slug, partner.city)))
            given = {name: getattr(partner, name) for name in partner.model_fields_set}
            this = Partnership(pair[0], pair[1], partner.kind, partner.since or (), partner.note,
                               tuple(partner.sources), partner.confidence, partner.status, (city.src,))
            refs[(cities, partner.city)].add(city.key)
            if pair not in declared:
                declared[pair] = (this, given, city, line)
                continue
            first, first_given, first_city, first_line = declared[pair]
            if first_city.slug == city.slug:
                errors.error(city.src, line, f"partner '{partner.city}' is listed twice (first on line {first_line})")
                continue
            clashes = [name for name in _COMPARED
                       if name in given and name in first_given and given[name] != first_given[name]]
            if clashes:
                details = ", ".join(f"{name}: {_show(first_given[name])} vs {_show(given[name])}" for name in clashes)
                errors.error(city.src, line,
                             f"the partnership with '{partner.city}' disagrees with {first_city.src}:{first_line}"
                             f" ({details})", "declare it on one city only, or make both declarations agree")
                continue
            merged = {**{n: getattr(this, n) for n in _COMPARED}, **{n: getattr(first, n) for n in _COMPARED}}
            for name in _COMPARED:
                if name in given and name not in first_given:
                    merged[name] = getattr(this, name)
            declared[pair] = (Partnership(pair[0], pair[1], merged["kind"], merged["since"], merged["note"],
                                          tuple(sorted(set(first.sources) | set(this.sources))),
                                          merged["confidence"], merged["status"],
                                          first.declared_in + this.declared_in),
                              {**given, **first_given}, first_city, first_line)
    return sorted((item[0] for item in declared.values()), key=lambda p: (p.a, p.b))


def partners_by_city(partnerships: list[Partnership]) -> dict[str, list[Partnership]]:
    """City slug -> its partnerships, oldest first (undated last), then by the other city."""
    partners_of: dict[str, list[Partnership]] = defaultdict(list)
    for partnership in partnerships:
        partners_of[partnership.a].append(partnership)
        partners_of[partnership.b].append(partnership)
    return {slug: sorted(items, key=lambda p: (p.first_year or 9999, p.other(slug)))
            for slug, items in partners_of.items()}


def _show(value: object) -> str:
    if isinstance(value, tuple):
        return " or ".join(value) if value else "none"
    return str(value)


def resolve_memberships(atlas: Atlas, resolver: Resolver, refs: Refs
                        ) -> tuple[dict[str, list[str]], dict[str, list[str]], dict[str, list[str]]]:
    """(network -> member cities, city -> its networks, city -> the networks based there).

    Cities in networks are declared on either side.
    """
    networks = kinds.of_name("network").folder
    pairs: set[tuple[str, str]] = set()
    for entry, target, slug in linked(atlas, resolver, refs, "member"):
        pairs.add((slug, entry.slug) if target == networks else (entry.slug, slug))
    hosted_by: dict[str, list[str]] = {}
    for entry, _, slug in linked(atlas, resolver, refs, "headquarters"):
        hosted_by.setdefault(slug, []).append(entry.slug)
    members_of: dict[str, list[str]] = defaultdict(list)
    networks_of: dict[str, list[str]] = defaultdict(list)
    for network, city in sorted(pairs):
        members_of[network].append(city)
        networks_of[city].append(network)
    return dict(members_of), dict(networks_of), hosted_by


def resolve_case_studies_and_themes(atlas: Atlas, resolver: Resolver, refs: Refs
                                    ) -> tuple[dict[tuple[str, str], list[str]], dict[str, list[tuple[str, str]]]]:
    """(entry -> the case studies about it, theme -> the entries it tags); mentions are only recorded in `refs`."""
    case_studies_of: dict[tuple[str, str], list[str]] = defaultdict(list)
    tagged: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for entry, target, slug in linked(atlas, resolver, refs, "about"):
        case_studies_of[(target, slug)].append(entry.slug)
    for entry, _, slug in linked(atlas, resolver, refs, "tag"):
        tagged[slug].append(entry.key)
    for _ in linked(atlas, resolver, refs, "mention"):  # shown on the named entry's page as referring to it
        pass
    return dict(case_studies_of), dict(tagged)


def resolve_within(atlas: Atlas, resolver: Resolver, refs: Refs) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """Entry -> the entries within it: a city's offices, an organisation's units (declared on the one within)."""
    within: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for entry, target, slug in linked(atlas, resolver, refs, "within"):
        within[(target, slug)].append(entry.key)
    return {key: sorted(keys) for key, keys in within.items()}
