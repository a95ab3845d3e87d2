"""Resolve the atlas into one graph: places, partnerships, memberships, links, citations.

Runs after schema.py, before markup.py and pages.py. Reads no files (but for
the gazetteer data its package ships).

A partnership declared on either city shows on both; a membership declared on
the city or on the network shows on both; two declarations of one partnership
that disagree are an error naming both files. Every slug, link and citation
must resolve; a close match is offered when it does not.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass, field

from atlas import kinds
from atlas.graph import gazetteer
from atlas.errors import ErrorList
from atlas.content.limits import check_body_limits
from atlas.content.links import find_refs, scan_key
from atlas.model import Atlas, Entry

MAX_RELATED = 6
BIG_GROUP = 300  # groups larger than this are too broad to suggest related entries


@dataclass(frozen=True)
class Place:
    lat: float
    lon: float
    origin: str  # "content" or "gazetteer"


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


@dataclass(frozen=True)
class BodyLink:
    target: tuple[str, str] | None  # (kind, slug), None when it does not resolve
    written: str  # the target as the editor wrote it
    label: str | None


@dataclass
class Graph:
    places: dict[str, Place] = field(default_factory=dict)
    partnerships: list[Partnership] = field(default_factory=list)
    partners_of: dict[str, list[Partnership]] = field(default_factory=dict)
    members_of: dict[str, list[str]] = field(default_factory=dict)  # network -> cities
    networks_of: dict[str, list[str]] = field(default_factory=dict)  # city -> networks
    hosted_by: dict[str, list[str]] = field(default_factory=dict)  # city -> networks headquartered there
    case_studies_of: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    tagged: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # theme -> entries
    body_links: dict[tuple[str, str], dict[str, BodyLink]] = field(default_factory=dict)
    references: dict[tuple[str, str], list[tuple[str, str]]] = field(default_factory=dict)  # to -> from
    citations: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # entry -> source ids
    cited_by: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    related: dict[tuple[str, str], list[tuple[str, str]]] = field(default_factory=dict)


def resolve_links(atlas: Atlas, errors: ErrorList, body_scans: dict | None = None) -> Graph:
    """Build the relation graph; report every unresolved reference into `errors`.

    `body_scans` (kept by the build cache) remembers what each body's text
    holds, by a hash of the text, so unchanged bodies are not scanned again;
    it is left holding exactly the bodies of this atlas.
    """
    graph = Graph()
    refs: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
    resolver = _Resolver(atlas, errors)
    _resolve_places(atlas, graph, errors)
    _resolve_partnerships(atlas, graph, resolver, refs, errors)
    _resolve_memberships(atlas, graph, resolver, refs)
    _resolve_case_studies_and_themes(atlas, graph, resolver, refs)
    known = dict(body_scans) if body_scans is not None else {}
    used: dict[str, tuple] = {}
    _resolve_bodies(atlas, graph, resolver, refs, errors, known, used)
    if body_scans is not None:
        body_scans.clear()
        body_scans.update(used)
    _resolve_citations(atlas, graph, resolver)
    graph.references = {key: sorted(sources) for key, sources in refs.items()}
    graph.related = _related(atlas, graph)
    _warn_uncited_sources(atlas, graph, errors)
    return graph


class _Resolver:
    """Looks up slugs with a close-match suggestion when they are missing."""

    def __init__(self, atlas: Atlas, errors: ErrorList) -> None:
        self.atlas = atlas
        self.errors = errors
        self.slugs: dict[str, list[str]] = defaultdict(list)
        for kind, slug in atlas.entries:
            self.slugs[kind].append(slug)

    def entry(self, kind: str, slug: str, src: str, line: int, what: str) -> Entry | None:
        found = self.atlas.get(kind, slug)
        if found is None and not self.explain_missing(kind, slug, src, line, what):
            self.errors.error(src, line, f"{what} '{slug}' does not exist", self.suggest(kind, slug))
        return found

    def explain_missing(self, kind: str, slug: str, src: str, line: int, what: str) -> bool:
        """True when the entry exists but is left out: broken (its own errors say why) or a draft."""
        if (kind, slug) in self.atlas.invalid:
            return True
        if (kind, slug) in self.atlas.drafts:
            self.errors.warning(src, line, f"{what} '{slug}' is a draft and is left out of this build",
                                "build with --drafts to include it")
            return True
        return False

    def suggest(self, kind: str, slug: str) -> str | None:
        close = difflib.get_close_matches(slug, self.slugs.get(kind, []), n=1, cutoff=0.6)
        if close:
            return f"did you mean {close[0]}?"
        folder = f"{kind}/{slug}.md"
        return f"create content/{folder}, or check the spelling"

    def source(self, source_id: str, src: str, line: int) -> bool:
        if source_id in self.atlas.bibliography:
            return True
        close = difflib.get_close_matches(source_id, list(self.atlas.bibliography), n=1, cutoff=0.6)
        hint = f"did you mean {close[0]}?" if close else "add it to content/sources.yaml"
        self.errors.error(src, line, f"source '{source_id}' is not in sources.yaml", hint)
        return False


def _resolve_places(atlas: Atlas, graph: Graph, errors: ErrorList) -> None:
    for city in atlas.of_kind(_cities()):
        meta = city.meta
        if meta.coordinates is not None:  # audit.py compares them with the gazetteer (atlas check)
            lat, lon = meta.coordinates
            graph.places[city.slug] = Place(lat, lon, "content")
            continue
        lookup = gazetteer.lookup_city(meta.name, meta.country)
        if lookup.place is not None:
            graph.places[city.slug] = Place(lookup.place.lat, lookup.place.lon, "gazetteer")
        elif lookup.candidates:
            options = "; ".join(f"{p.name} ({p.region or p.country}) at [{p.lat:.4f}, {p.lon:.4f}]"
                                for p in lookup.candidates[:5])
            errors.error(city.src, city.line_of("name"),
                         f"'{meta.name}' matches {len(lookup.candidates)} places in {meta.country} in the gazetteer;"
                         " add coordinates: [latitude, longitude]", f"candidates: {options}")
        else:
            errors.error(city.src, city.line_of("name"),
                         f"no coordinates given and the gazetteer has no city named '{meta.name}' in {meta.country}",
                         "add coordinates: [latitude, longitude]")


def _cities() -> str:
    """The folder of the kind partnerships tie together, and places belong to."""
    return kinds.of_name("city").folder


_COMPARED = ("kind", "since", "status", "confidence", "note")


def _resolve_partnerships(atlas: Atlas, graph: Graph, resolver: _Resolver,
                          refs: dict, errors: ErrorList) -> None:
    cities = _cities()
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
    graph.partnerships = sorted((item[0] for item in declared.values()), key=lambda p: (p.a, p.b))
    partners_of: dict[str, list[Partnership]] = defaultdict(list)
    for partnership in graph.partnerships:
        partners_of[partnership.a].append(partnership)
        partners_of[partnership.b].append(partnership)
    graph.partners_of = {slug: sorted(items, key=lambda p: (p.first_year or 9999, p.other(slug)))
                         for slug, items in partners_of.items()}


def _show(value: object) -> str:
    if isinstance(value, tuple):
        return " or ".join(value) if value else "none"
    return str(value)


def _linked(atlas: Atlas, resolver: _Resolver, refs: dict, role: str):
    """(entry, link, target) for every resolved slug of the links with this role, kind by kind."""
    for kind in kinds.registered():
        for entry in atlas.of_kind(kind.folder):
            for link in (link for link in kind.links if link.role == role):
                target = kinds.of_name(link.to).folder
                value = getattr(entry.meta, link.field)
                slugs = [value] if isinstance(value, str) else list(value or ())
                for index, slug in enumerate(slugs):
                    line = entry.line_of(link.field, index) if not isinstance(value, str) else entry.line_of(link.field)
                    if resolver.entry(target, slug, entry.src, line, link.what):
                        refs[(target, slug)].add(entry.key)
                        yield entry, target, slug


def _resolve_memberships(atlas: Atlas, graph: Graph, resolver: _Resolver, refs: dict) -> None:
    """Cities in networks, declared on either side; and the cities networks are based in."""
    networks = kinds.of_name("network").folder
    pairs: set[tuple[str, str]] = set()
    for entry, target, slug in _linked(atlas, resolver, refs, "member"):
        pairs.add((slug, entry.slug) if target == networks else (entry.slug, slug))
    for entry, _, slug in _linked(atlas, resolver, refs, "headquarters"):
        graph.hosted_by.setdefault(slug, []).append(entry.slug)
    members_of: dict[str, list[str]] = defaultdict(list)
    networks_of: dict[str, list[str]] = defaultdict(list)
    for network, city in sorted(pairs):
        members_of[network].append(city)
        networks_of[city].append(network)
    graph.members_of = dict(members_of)
    graph.networks_of = dict(networks_of)


def _resolve_case_studies_and_themes(atlas: Atlas, graph: Graph, resolver: _Resolver, refs: dict) -> None:
    """What each case study is about, and what each theme tags."""
    case_studies_of: dict[tuple[str, str], list[str]] = defaultdict(list)
    tagged: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for entry, target, slug in _linked(atlas, resolver, refs, "about"):
        case_studies_of[(target, slug)].append(entry.slug)
    for entry, _, slug in _linked(atlas, resolver, refs, "tag"):
        tagged[slug].append(entry.key)
    for _ in _linked(atlas, resolver, refs, "mention"):  # shown on the named entry's page as referring to it
        pass
    graph.case_studies_of = dict(case_studies_of)
    graph.tagged = dict(tagged)


def scan_body(body: str, first_line: int, known: dict | None = None, used: dict | None = None) -> tuple:
    """(bounds exceeded, links, citations, malformed citations) of a body; links and the rest are None
    when a bound is exceeded. `known` holds earlier scans by a hash of the body; `used` collects this one."""
    key = scan_key(body, first_line)
    found = (known or {}).get(key)
    if found is None:
        too_expensive = check_body_limits(body, first_line)
        found = (too_expensive, *((None, None, None) if too_expensive else find_refs(body, first_line)))
    if used is not None:
        used[key] = found
    return found


def _resolve_bodies(atlas: Atlas, graph: Graph, resolver: _Resolver, refs: dict, errors: ErrorList,
                    known: dict, used: dict) -> None:
    for entry in sorted(atlas.entries.values(), key=lambda e: e.src):
        too_expensive, links, cites, bad = scan_body(entry.body, entry.body_line, known, used)
        for line, message in too_expensive:
            errors.error(entry.src, line, message, "split the text up, or simplify it")
        if too_expensive:
            graph.body_links[entry.key] = {}
            graph.citations[entry.key] = []
            continue
        resolved: dict[str, BodyLink] = {}
        for link in links:
            target = _resolve_link(link.target, entry, link.line, resolver, errors)
            resolved[link.target] = BodyLink(target, link.target, link.label)
            if target is not None and target != entry.key:
                refs[target].add(entry.key)
        graph.body_links[entry.key] = resolved
        for line, text in bad:
            errors.error(entry.src, line, f"'[{text}]' is not a citation: write [@source-id]")
        ids: list[str] = []
        for cite in cites:
            if resolver.source(cite.source_id, entry.src, cite.line) and cite.source_id not in ids:
                ids.append(cite.source_id)
        graph.citations[entry.key] = ids


def _resolve_link(target: str, entry: Entry, line: int, resolver: _Resolver,
                  errors: ErrorList) -> tuple[str, str] | None:
    if "/" in target:
        kind, _, slug = target.partition("/")
        if kind not in kinds.folders():
            errors.error(entry.src, line, f"link [[{target}]]: '{kind}' is not a kind of entry",
                         f"use one of {', '.join(kinds.folders())}")
            return None
        found = resolver.entry(kind, slug, entry.src, line, f"link [[{target}]]: entry")
        return found.key if found else None
    found = [kind for kind in kinds.folders() if resolver.atlas.get(kind, target)]
    if len(found) == 1:
        return (found[0], target)
    if len(found) > 1:
        options = " or ".join(f"[[{kind}/{target}]]" for kind in found)
        errors.error(entry.src, line, f"link [[{target}]] is ambiguous", f"write {options}")
        return None
    if any(resolver.explain_missing(kind, target, entry.src, line, f"link [[{target}]]: entry")
           for kind in kinds.folders() if (kind, target) in resolver.atlas.invalid | resolver.atlas.drafts):
        return None
    everything = [slug for slugs in resolver.slugs.values() for slug in slugs]
    close = difflib.get_close_matches(target, everything, n=1, cutoff=0.6)
    errors.error(entry.src, line, f"link [[{target}]] does not match any entry",
                 f"did you mean {close[0]}?" if close else "check the spelling, or create the entry")
    return None


def _resolve_citations(atlas: Atlas, graph: Graph, resolver: _Resolver) -> None:
    """Body citations first (in order), then the front matter's sources and partnership sources."""
    cited_by: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for entry in atlas.entries.values():
        ids = graph.citations.setdefault(entry.key, [])
        for index, source_id in enumerate(entry.meta.sources):
            if resolver.source(source_id, entry.src, entry.line_of("sources", index)) and source_id not in ids:
                ids.append(source_id)
        if entry.kind == _cities():
            for partnership in graph.partners_of.get(entry.slug, []):
                for source_id in partnership.sources:
                    if source_id in atlas.bibliography and source_id not in ids:
                        ids.append(source_id)
        for source_id in ids:
            cited_by[source_id].add(entry.key)
    graph.cited_by = {source_id: sorted(keys) for source_id, keys in cited_by.items()}


def _warn_uncited_sources(atlas: Atlas, graph: Graph, errors: ErrorList) -> None:
    for source_id, line in atlas.bibliography_lines.items():
        if source_id not in graph.cited_by:
            errors.warning(atlas.bibliography_src, line, f"source '{source_id}' is never cited")


def _related(atlas: Atlas, graph: Graph) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """Entries that share partners, networks, themes or case studies, best first.

    Direct ties count most; shared groups count by how small the group is, so
    two cities in the same small network are closer than two C40 members.
    """
    scores: dict[tuple[str, str], dict[tuple[str, str], float]] = defaultdict(lambda: defaultdict(float))

    def tie(a: tuple[str, str], b: tuple[str, str], weight: float) -> None:
        if a != b:
            scores[a][b] += weight
            scores[b][a] += weight

    city, network, study_kind, theme_kind = (kinds.of_name(name).folder
                                             for name in ("city", "network", "case-study", "theme"))
    for partnership in graph.partnerships:
        tie((city, partnership.a), (city, partnership.b), 3.0)
    groups: list[list[tuple[str, str]]] = []
    for slug, members in graph.members_of.items():
        for member in members:
            tie((network, slug), (city, member), 2.0)
        groups.append([(city, c) for c in members])
    for key, studies in graph.case_studies_of.items():
        for study in studies:
            tie((study_kind, study), key, 2.0)
    for theme, keys in graph.tagged.items():
        for key in keys:
            tie((theme_kind, theme), key, 1.0)
        groups.append(list(keys))
    for slug, partnerships in graph.partners_of.items():
        groups.append([(city, p.other(slug)) for p in partnerships])
    for group in groups:
        if len(group) < 2 or len(group) > BIG_GROUP:
            continue
        weight = 1.0 / len(group) ** 0.5
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                tie(a, b, weight)
    related = {}
    for key, others in scores.items():
        ranked = sorted(others.items(), key=lambda item: (-item[1], item[0]))
        related[key] = [other for other, _ in ranked[:MAX_RELATED] if other in atlas.entries]
    return related
