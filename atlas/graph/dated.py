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
    """Every (network, city, role, term) once, merged from the cities' `networks` and the networks' `members`.

    `pairs` are the (network, city) pairs that resolved. A plain slug says only
    "a member": it makes a record only when no declaration of the pair says more.
    One file may give a role several terms that do not overlap (a chair re-elected
    after a gap); a declaration in another file joins the term it names by `since`.
    Two declarations of one term that disagree on a date are an error naming both files.
    """
    networks = kinds.of_name("network").folder
    declared: dict[tuple[str, str, str], list[_Term]] = {}
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
                    term = _declared_term(entry, link.field, index, item, pair, given, resolver, errors, today)
                    declared.setdefault((pair[0], pair[1], item.role), []).append(term)
    found = []
    for terms in declared.values():
        found += [term.membership for term in _merged_terms(terms, errors)
                  if term.given or (term.membership.network, term.membership.city) not in said_more]
    return sorted(found, key=lambda m: (m.network, m.city, m.first_year or 9999, m.role))


@dataclass
class _Term:
    """One term of a role as declared: the record, the fields given, and where (and as what) it is declared."""

    membership: Membership
    given: frozenset[str]
    src: str
    line: int
    named: str  # "members item 2: 'lyon' as chair", as errors name it


def _declared_term(entry: Entry, field: str, index: int, item, pair: tuple[str, str], given: frozenset[str],
                   resolver: Resolver, errors: ErrorList, today: date) -> _Term:
    where = f"{field} item {index + 1}"

    def line_of(name: str) -> int:
        return entry.line_of(field, index, name)

    for source_id in item.sources:
        resolver.source(source_id, entry.src, line_of("sources"))
    check_dates(item.since or (), item.until or (), today, errors, entry.src, where, line_of)
    membership = Membership(pair[0], pair[1], item.role, item.since or (), item.until or (), tuple(item.sources),
                            (entry.src,))
    named = f"{where}: '{pair[1] if field != 'networks' else pair[0]}' as {item.role}"
    return _Term(membership, given, entry.src, entry.line_of(field, index), named)


def _merged_terms(declarations: list[_Term], errors: ErrorList) -> list[_Term]:
    """The terms of one city's role in one network: the file that gives most terms sets them, and
    each declaration in another file joins the one it names (the only one, or the one with its `since`)."""
    by_file: dict[str, list[_Term]] = {}
    for term in declarations:
        by_file.setdefault(term.src, []).append(term)
    terms_of = {src: _terms_of_one_file(terms, errors) for src, terms in by_file.items()}
    base = max(terms_of, key=lambda src: len(terms_of[src]))  # the first file, when files give as many
    terms = terms_of[base]
    for src, others in terms_of.items():
        if src != base:
            for other in others:
                _join(terms, other, errors)
    return terms


def _terms_of_one_file(declarations: list[_Term], errors: ErrorList) -> list[_Term]:
    terms: list[_Term] = []
    for this in declarations:
        twice = next((term for term in terms if not this.membership.since or not term.membership.since
                      or term.membership.since == this.membership.since), None)
        if twice is not None:
            errors.error(this.src, this.line, f"{this.named} is listed twice (first on line {twice.line})",
                         "give each role once, or each term with its own `since`")
            continue
        overlapping = next((term for term in terms if _overlap(term.membership, this.membership)), None)
        if overlapping is not None:
            errors.error(this.src, this.line, f"{this.named} overlaps the term on line {overlapping.line}",
                         "give each term its `since` and `until`; terms of one role do not overlap")
            continue
        terms.append(this)
    return terms


def _overlap(a: Membership, b: Membership) -> bool:
    """Two terms share some time: neither ends before the other begins (an open end lasts)."""
    return not ((a.until and _before(max(a.until), min(b.since))) or (b.until and _before(max(b.until), min(a.since))))


def _join(terms: list[_Term], this: _Term, errors: ErrorList) -> None:
    """Merge a declaration from another file into the term it declares; report dates that disagree."""
    matching = [term for term in terms if "since" not in this.given or "since" not in term.given
                or term.membership.since == this.membership.since]
    if len(terms) > 1 and len(matching) != 1:
        errors.error(this.src, this.line, f"{this.named} matches {'none' if not matching else 'more than one'} of"
                     f" the {len(terms)} terms declared in {terms[0].src}", "give the `since` of the term it declares")
        return
    first = terms[0] if len(terms) == 1 else matching[0]
    mine, theirs = this.membership, first.membership
    clashes = [name for name in ("since", "until") if name in this.given and name in first.given
               and getattr(mine, name) != getattr(theirs, name)]
    if clashes:
        earlier, later = sorted((first, this), key=lambda term: (term.src, term.line))
        details = ", ".join(f"{name}: {_show(getattr(earlier.membership, name))} vs"
                            f" {_show(getattr(later.membership, name))}" for name in clashes)
        errors.error(later.src, later.line, f"the membership of '{mine.city}' in '{mine.network}' ({mine.role})"
                     f" disagrees with {earlier.src}:{earlier.line} ({details})",
                     "declare it on the city or the network only, or make both declarations agree")
        return
    since = theirs.since if "since" in first.given else mine.since
    until = theirs.until if "until" in first.given else mine.until
    first.membership = Membership(theirs.network, theirs.city, theirs.role, since, until,
                                  tuple(sorted(set(theirs.sources) | set(mine.sources))),
                                  theirs.declared_in + mine.declared_in)
    first.given = first.given | this.given
