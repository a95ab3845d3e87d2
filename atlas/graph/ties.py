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
from datetime import date

from atlas import kinds
from atlas.errors import ErrorList
from atlas.graph.dated import Membership, Span, check_dates, resolve_dated_memberships
from atlas.graph.resolver import Refs, Resolver, city_folder, linked
from atlas.model import Atlas, Entry


@dataclass(frozen=True)
class Partnership(Span):
    a: str  # city slugs, a < b
    b: str
    kind: str
    since: tuple[str, ...]  # one date, or the dates sources give when they differ
    note: str | None
    sources: tuple[str, ...]
    confidence: str | None
    status: str  # "active", "suspended" or "ended"
    declared_in: tuple[str, ...]  # src of every file that declares it
    until: tuple[str, ...] = ()  # when it was suspended or ended (dates, as `since`)
    reason: str | None = None  # why
    status_source: str | None = None  # the source id that reports the change

    def other(self, slug: str) -> str:
        return self.b if slug == self.a else self.a

    @property
    def current(self) -> bool:
        return self.status == "active"


_COMPARED = ("kind", "since", "status", "confidence", "note", "until", "reason", "status_source")


def resolve_partnerships(atlas: Atlas, resolver: Resolver, refs: Refs, errors: ErrorList,
                         today: date) -> list[Partnership]:
    """Every partnership once, by its pair of cities, merged from the cities that declare it.

    An `until` without a status means the tie ended.
    """
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
            if partner.status_source:
                resolver.source(partner.status_source, city.src, city.line_of("partners", index, "status_source"))
            given = {name: getattr(partner, name) for name in partner.model_fields_set}
            if partner.until and "status" not in given:
                given["status"] = "ended"
            _check_partner(city, index, partner, given.get("status", "active"), today, errors,
                           salvaged=city.key in atlas.invalid)
            pair = tuple(sorted((city.slug, partner.city)))
            this = Partnership(pair[0], pair[1], partner.kind, partner.since or (), partner.note,
                               tuple(partner.sources), partner.confidence, given.get("status", "active"), (city.src,),
                               partner.until or (), partner.reason, partner.status_source)
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
                                          first.declared_in + this.declared_in, merged["until"],
                                          merged["reason"], merged["status_source"]),
                              {**given, **first_given}, first_city, first_line)
    return sorted((item[0] for item in declared.values()), key=lambda p: (p.a, p.b))


def _check_partner(city: Entry, index: int, partner, status: str, today: date, errors: ErrorList,
                   salvaged: bool = False) -> None:
    """An ended tie needs its end; an active one has none; no date is after today or an end before a start.

    In a file with errors (`salvaged`, schema.salvage_entry) an end with an error of its own is not missing.
    """
    where = f"partners item {index + 1}"

    def line_of(field: str) -> int:
        return city.line_of("partners", index, field)

    left_out = salvaged and ("partners", index, "until") in city.lines.lines
    if status == "ended" and not partner.until and not left_out:
        errors.error(city.src, line_of("status"), f"{where}, status: ended needs an until date",
                     "add until: YYYY (or \"YYYY-MM\" or \"YYYY-MM-DD\"), when the tie ended")
    if status == "active" and partner.until:
        errors.error(city.src, line_of("status"), f"{where}, status: active, but until: {' or '.join(partner.until)}"
                     " is given", "an until date means the tie was suspended or ended: say which in status")
    check_dates(partner.since or (), partner.until or (), today, errors, city.src, where, line_of)


def partners_by_city(partnerships: list[Partnership]) -> dict[str, list[Partnership]]:
    """City slug -> its partnerships: current ones first, each oldest first (undated last), then by the other city."""
    partners_of: dict[str, list[Partnership]] = defaultdict(list)
    for partnership in partnerships:
        partners_of[partnership.a].append(partnership)
        partners_of[partnership.b].append(partnership)
    return {slug: sorted(items, key=lambda p: (not p.current, p.first_year or 9999, p.other(slug)))
            for slug, items in partners_of.items()}


def _show(value: object) -> str:
    if isinstance(value, tuple):
        return " or ".join(value) if value else "none"
    return str(value)


def resolve_memberships(atlas: Atlas, resolver: Resolver, refs: Refs, errors: ErrorList, today: date
                        ) -> tuple[dict[str, list[str]], dict[str, list[str]], dict[str, list[str]], list[Membership]]:
    """(network -> member cities, city -> its networks, city -> the networks based there, dated memberships).

    Cities in networks are declared on either side; the first two hold every
    city that ever was a member, the dated memberships say when and as what.
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
    return dict(members_of), dict(networks_of), hosted_by, resolve_dated_memberships(atlas, pairs, resolver, errors,
                                                                                     today)


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
