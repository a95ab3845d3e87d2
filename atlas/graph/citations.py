"""Links and citations: the [[slug]] links and [@source] citations in bodies, and the sources front matter names.

Called by relations.py, after ties.py (a city cites its partnerships' sources too).
Reads no files; content/links.py finds the links and citations, this resolves them.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass

from atlas import kinds
from atlas.content.limits import check_body_limits
from atlas.content.links import find_refs, scan_key
from atlas.errors import ErrorList
from atlas.graph.resolver import Refs, Resolver, city_folder
from atlas.graph.ties import Partnership
from atlas.model import Atlas, Entry


@dataclass(frozen=True)
class BodyLink:
    target: tuple[str, str] | None  # (kind, slug), None when it does not resolve
    written: str  # the target as the editor wrote it
    label: str | None


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


def resolve_bodies(atlas: Atlas, resolver: Resolver, refs: Refs, errors: ErrorList, known: dict, used: dict
                   ) -> tuple[dict[tuple[str, str], dict[str, BodyLink]], dict[tuple[str, str], list[str]]]:
    """(entry -> its links by how they are written, entry -> the sources its body cites, in order of first use)."""
    body_links: dict[tuple[str, str], dict[str, BodyLink]] = {}
    citations: dict[tuple[str, str], list[str]] = {}
    for entry in sorted(atlas.entries.values(), key=lambda e: e.src):
        too_expensive, links, cites, bad = scan_body(entry.body, entry.body_line, known, used)
        for line, message in too_expensive:
            errors.error(entry.src, line, message, "split the text up, or simplify it")
        if too_expensive:
            body_links[entry.key] = {}
            citations[entry.key] = []
            continue
        resolved: dict[str, BodyLink] = {}
        for link in links:
            target = _resolve_link(link.target, entry, link.line, resolver, errors)
            resolved[link.target] = BodyLink(target, link.target, link.label)
            if target is not None and target != entry.key:
                refs[target].add(entry.key)
        body_links[entry.key] = resolved
        for line, text in bad:
            errors.error(entry.src, line, f"'[{text}]' is not a citation: write [@source-id]")
        ids: list[str] = []
        for cite in cites:
            if resolver.source(cite.source_id, entry.src, cite.line) and cite.source_id not in ids:
                ids.append(cite.source_id)
        citations[entry.key] = ids
    return body_links, citations


def _resolve_link(target: str, entry: Entry, line: int, resolver: Resolver,
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


def resolve_citations(atlas: Atlas, citations: dict[tuple[str, str], list[str]],
                      partners_of: dict[str, list[Partnership]], resolver: Resolver, memberships: list = ()
                      ) -> dict[str, list[tuple[str, str]]]:
    """Source id -> the entries citing it, sorted.

    Adds to `citations` (the body citations, in order) the front matter's sources;
    for a city, its partnerships' sources (and those of their suspension or end);
    for a city and a network, the sources of the city's membership in it.
    """
    cited_by: dict[str, set[tuple[str, str]]] = defaultdict(set)
    networks = kinds.of_name("network").folder
    of_entry: dict[tuple[str, str], list[str]] = defaultdict(list)
    for membership in memberships:
        of_entry[(city_folder(), membership.city)].extend(membership.sources)
        of_entry[(networks, membership.network)].extend(membership.sources)
    for entry in atlas.entries.values():
        ids = citations.setdefault(entry.key, [])
        for index, source_id in enumerate(entry.meta.sources):
            if resolver.source(source_id, entry.src, entry.line_of("sources", index)) and source_id not in ids:
                ids.append(source_id)
        for source_id, line in _cited_in_items(entry):
            if resolver.source(source_id, entry.src, line) and source_id not in ids:
                ids.append(source_id)
        found = list(of_entry.get(entry.key, ()))
        reported = entry.meta.members_reported if entry.kind == networks else None  # a network's count of members
        if reported is not None and reported.source and resolver.source(
                reported.source, entry.src, entry.line_of("members_reported", "source")):
            found.append(reported.source)
        if entry.kind == city_folder():
            for partnership in partners_of.get(entry.slug, []):
                found += [*partnership.sources, *([partnership.status_source] if partnership.status_source else [])]
        for source_id in found:
            if source_id in atlas.bibliography and source_id not in ids:
                ids.append(source_id)
        for source_id in ids:
            cited_by[source_id].add(entry.key)
    return {source_id: sorted(keys) for source_id, keys in cited_by.items()}


def _cited_in_items(entry: Entry) -> list[tuple[str, int]]:
    """(source id, line) of the sources the items of its lists name: a finding's `source`, a role's `sources`."""
    found = []
    for field, key in kinds.of_folder(entry.kind).cited:
        for index, item in enumerate(getattr(entry.meta, field) or ()):
            value = getattr(item, key, None)
            for position, source_id in enumerate([value] if isinstance(value, str) else list(value or ())):
                path = (field, index, key) if isinstance(value, str) else (field, index, key, position)
                found.append((source_id, entry.line_of(*path)))
    return found


def warn_uncited_sources(atlas: Atlas, cited_by: dict[str, list[tuple[str, str]]], errors: ErrorList) -> None:
    for source_id, line in atlas.bibliography_lines.items():
        if source_id not in cited_by and not atlas.named_in_unparsed(source_id):
            errors.warning(atlas.bibliography_src, line, f"source '{source_id}' is never cited")
