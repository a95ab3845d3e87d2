"""Resolve the atlas into one graph: places, partnerships, memberships, links, citations.

Runs after schema.py, before markup.py and pages.py. Reads no files (but for
the gazetteer data its package ships). Each part of the graph is resolved by
a module of its own, called here in order: places.py (where cities are),
ties.py (partnerships, memberships, what case studies and themes name),
citations.py (body links and citations, the sources entries cite) and
related.py (related entries); resolver.py looks up what they name.

Every slug, link and citation must resolve; a close match is offered when it does not.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from atlas.errors import ErrorList
from atlas.graph.citations import BodyLink, resolve_bodies, resolve_citations, scan_body, warn_uncited_sources
from atlas.graph.places import Place, resolve_places
from atlas.graph.related import Related, related_entries
from atlas.graph.resolver import Refs, Resolver
from atlas.graph.dated import Membership
from atlas.graph.ties import (Partnership, partners_by_city, resolve_case_studies_and_themes, resolve_memberships,
                              resolve_partnerships, resolve_within)
from atlas.model import Atlas

__all__ = ["BodyLink", "Graph", "Membership", "Partnership", "Place", "resolve_links", "scan_body"]


@dataclass
class Graph:
    places: dict[str, Place] = field(default_factory=dict)
    partnerships: list[Partnership] = field(default_factory=list)
    partners_of: dict[str, list[Partnership]] = field(default_factory=dict)
    members_of: dict[str, list[str]] = field(default_factory=dict)  # network -> cities
    networks_of: dict[str, list[str]] = field(default_factory=dict)  # city -> networks
    hosted_by: dict[str, list[str]] = field(default_factory=dict)  # city -> networks headquartered there
    memberships: list[Membership] = field(default_factory=list)  # dated, with roles; by network, city
    memberships_of_city: dict[str, list[Membership]] = field(default_factory=dict)
    memberships_of_network: dict[str, list[Membership]] = field(default_factory=dict)
    case_studies_of: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    tagged: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # theme -> entries
    within: dict[tuple[str, str], list[tuple[str, str]]] = field(default_factory=dict)  # city -> its offices ...
    body_links: dict[tuple[str, str], dict[str, BodyLink]] = field(default_factory=dict)
    references: dict[tuple[str, str], list[tuple[str, str]]] = field(default_factory=dict)  # to -> from
    citations: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # entry -> source ids
    cited_by: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    related: dict[tuple[str, str], list[Related]] = field(default_factory=dict)


def resolve_links(atlas: Atlas, errors: ErrorList, body_scans: dict | None = None, today: date | None = None
                  ) -> Graph:
    """Build the relation graph; report every unresolved reference into `errors`.

    `today` (default: the system's date) is what a date in the future is after.

    `body_scans` (kept by the build cache) remembers what each body's text
    holds, by a hash of the text, so unchanged bodies are not scanned again;
    it is left holding exactly the bodies of this atlas.
    """
    graph = Graph()
    refs: Refs = defaultdict(set)
    resolver = Resolver(atlas, errors)
    graph.places = resolve_places(atlas, errors)
    today = today or date.today()
    graph.partnerships = resolve_partnerships(atlas, resolver, refs, errors, today)
    graph.partners_of = partners_by_city(graph.partnerships)
    graph.members_of, graph.networks_of, graph.hosted_by, graph.memberships = resolve_memberships(
        atlas, resolver, refs, errors, today)
    for membership in graph.memberships:
        graph.memberships_of_city.setdefault(membership.city, []).append(membership)
        graph.memberships_of_network.setdefault(membership.network, []).append(membership)
    graph.case_studies_of, graph.tagged = resolve_case_studies_and_themes(atlas, resolver, refs)
    graph.within = resolve_within(atlas, resolver, refs)
    known = dict(body_scans) if body_scans is not None else {}
    used: dict[str, tuple] = {}
    graph.body_links, graph.citations = resolve_bodies(atlas, resolver, refs, errors, known, used)
    if body_scans is not None:
        body_scans.clear()
        body_scans.update(used)
    graph.cited_by = resolve_citations(atlas, graph.citations, graph.partners_of, resolver, graph.memberships)
    graph.references = {key: sorted(sources) for key, sources in refs.items()}
    graph.related = related_entries(atlas, graph.partnerships, graph.members_of, graph.case_studies_of,
                                    graph.tagged, graph.references)
    warn_uncited_sources(atlas, graph.cited_by, errors)
    return graph
