"""Dated relations: the years a tie or membership is in force, the checks its dates pass,
and memberships of cities in networks with their dates and roles.

Used by ties.py (partnerships and memberships). Reads no files. Dates are the
front matter's text ("1985", "2022-03", "2022-03-16"); a list means sources
differ. A relation is in force from the earliest year a source gives for its
start to the latest year a source gives for its end (the benefit of the doubt),
both years included: a tie ended in 2022 is in force in 2022 and not in 2023.
A relation whose start no source records is in force in no particular year.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from atlas import kinds
from atlas.errors import ErrorList
from atlas.graph.resolver import Resolver
from atlas.model import Atlas, Entry


class Span:
    """What a dated relation (with `since` and `until`, tuples of dates) knows about its years."""

    since: tuple[str, ...]
    until: tuple[str, ...]

    @property
    def first_year(self) -> int | None:
        return min(int(d[:4]) for d in self.since) if self.since else None

    @property
    def last_year(self) -> int | None:
        return max(int(d[:4]) for d in self.until) if self.until else None

    def in_force(self, year: int) -> bool:
        """In force at some time in `year`: begun by then, and not ended before it."""
        first, last = self.first_year, self.last_year
        return first is not None and first <= year and (last is None or year <= last)


@dataclass(frozen=True)
class Membership(Span):
    """A city in a network, with a role and the dates it held it."""

    network: str
    city: str
    role: str  # "member", "founding-member", "chair", ... (fields.MEMBERSHIP_ROLES)
    since: tuple[str, ...]
    until: tuple[str, ...]  # empty while it lasts
    sources: tuple[str, ...]
    declared_in: tuple[str, ...]  # src of every file that declares it

    @property
    def current(self) -> bool:
        return not self.until


def _before(a: str, b: str) -> bool:
    """Date `a` is before date `b`, at the precision both have: "2019" is not before "2019-05"."""
    size = min(len(a), len(b))
    return a[:size] < b[:size]


def check_dates(since: tuple[str, ...], until: tuple[str, ...], today: date, errors: ErrorList, src: str,
                where: str, line_of) -> None:
    """Report an end before the start and any date after `today`.

    `where` names the item in messages ("partners item 2"); `line_of(field)` is its line.
    """
    for field, dates in (("since", since), ("until", until)):
        for value in dates:
            if _before(today.isoformat(), value):
                errors.error(src, line_of(field), f"{where}, {field}: {value} is in the future"
                             f" (today is {today.isoformat()})",
                             "the atlas records what has happened: check the date against the source")
    if since and until and _before(max(until), min(since)):
        errors.error(src, line_of("until"), f"{where}, until: {_show(until)} is before since: {_show(since)}",
                     "a tie cannot end before it begins: check both dates against the sources")


def _show(dates: tuple[str, ...]) -> str:
    return " or ".join(dates)



def resolve_dated_memberships(atlas: Atlas, pairs: set[tuple[str, str]], resolver: Resolver, errors: ErrorList,
                              today: date) -> list[Membership]:
    """Every (network, city, role) once, merged from the cities' `networks` and the networks' `members`.

    `pairs` are the (network, city) pairs that resolved. A plain slug says only
    "a member": it makes a record only when no declaration of the pair says more.
    Two declarations of one role that disagree on a date are an error naming both files.
    """
    networks = kinds.of_name("network").folder
    declared: dict[tuple[str, str, str], tuple[Membership, frozenset[str], str, int]] = {}
    said_more: set[tuple[str, str]] = set()
    for kind in kinds.registered():
        for link in (link for link in kind.links if link.role == "member" and link.item):
            for entry in atlas.of_kind(kind.folder):
                for index, item in enumerate(getattr(entry.meta, link.field)):
                    slug = getattr(item, link.item)
                    pair = (slug, entry.slug) if kinds.of_name(link.to).folder == networks else (entry.slug, slug)
                    if pair not in pairs:
                        continue
                    given = frozenset(item.model_fields_set - {link.item})
                    if given:
                        said_more.add(pair)
                    _declare(declared, entry, link.field, index, item, pair, given, resolver, errors, today)
    found = [m for m, given, _, _ in declared.values() if given or (m.network, m.city) not in said_more]
    return sorted(found, key=lambda m: (m.network, m.city, m.first_year or 9999, m.role))


def _declare(declared: dict, entry: Entry, field: str, index: int, item, pair: tuple[str, str],
             given: frozenset[str], resolver: Resolver, errors: ErrorList, today: date) -> None:
    where = f"{field} item {index + 1}"

    def line_of(name: str) -> int:
        return entry.line_of(field, index, name)

    for source_id in item.sources:
        resolver.source(source_id, entry.src, line_of("sources"))
    check_dates(item.since or (), item.until or (), today, errors, entry.src, where, line_of)
    this = Membership(pair[0], pair[1], item.role, item.since or (), item.until or (), tuple(item.sources),
                      (entry.src,))
    key = (pair[0], pair[1], item.role)
    line = entry.line_of(field, index)
    if key not in declared:
        declared[key] = (this, given, entry.src, line)
        return
    first, first_given, first_src, first_line = declared[key]
    if first_src == entry.src:
        errors.error(entry.src, line, f"{where}: '{pair[1] if field != 'networks' else pair[0]}' as {item.role}"
                     f" is listed twice (first on line {first_line})", "give each role once")
        return
    clashes = [name for name in ("since", "until") if name in given and name in first_given
               and getattr(this, name) != getattr(first, name)]
    if clashes:
        details = ", ".join(f"{name}: {_show(getattr(first, name))} vs {_show(getattr(this, name))}"
                            for name in clashes)
        errors.error(entry.src, line, f"the membership of '{pair[1]}' in '{pair[0]}' ({item.role}) disagrees with"
                     f" {first_src}:{first_line} ({details})",
                     "declare it on the city or the network only, or make both declarations agree")
        return
    since = first.since if "since" in first_given else this.since
    until = first.until if "until" in first_given else this.until
    declared[key] = (Membership(pair[0], pair[1], item.role, since, until,
                                tuple(sorted(set(first.sources) | set(this.sources))),
                                first.declared_in + this.declared_in),
                     first_given | given, first_src, first_line)
