"""Advice for editors that `atlas check` (and `atlas build --strict`) gives beyond errors.

Runs after relations.py on the resolved graph; reads no files. A plain build
does not print these: an atlas in progress has orphans and unsourced drafts.

- facts without a source: front-matter facts with no `sources` and no citation;
  partnerships with no source;
- orphan pages: entries that no other entry links to or names (an office listed on its city's page,
  or a city in the partner table of another, is not one);
- coordinates more than 100 km from the gazetteer's place of the same name;
- as notes, which never fail a build (not even `--strict`): cities without a Wikidata id.

`count_citations` tells how much of the atlas rests on mirrors (copies of
someone else's text), by the `kind` that sources.yaml gives each source.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from atlas import kinds
from atlas.graph import gazetteer
from atlas.errors import ErrorList
from atlas.model import Atlas
from atlas.graph.relations import Graph


def audit_atlas(atlas: Atlas, graph: Graph, errors: ErrorList) -> None:
    """Files with errors get no advice: what can be read of them is checked for errors only."""
    _warn_far_coordinates(atlas, errors)
    _warn_unsourced_facts(atlas, graph, errors)
    _warn_orphans(atlas, graph, errors)
    _note_missing_wikidata(atlas, errors)


def _warn_far_coordinates(atlas: Atlas, errors: ErrorList) -> None:
    """Given coordinates far from the gazetteer's place of that name catch typos and swapped numbers."""
    for city in atlas.of_kind(kinds.of_name("city").folder):
        if city.meta.coordinates is None or city.key in atlas.invalid:
            continue
        lat, lon = city.meta.coordinates
        found = gazetteer.lookup_city(city.meta.name, city.meta.country).place
        if found is None:
            continue
        km = gazetteer.distance_km(lat, lon, found.lat, found.lon)
        if km > gazetteer.FAR_KM:
            errors.warning(city.src, city.line_of("coordinates"),
                           f"coordinates are {km:,.0f} km from {found.name} ({found.country}) in the gazetteer"
                           f" ({found.lat:.4f}, {found.lon:.4f})",
                           "check that latitude and longitude are right and not swapped")


def _warn_unsourced_facts(atlas: Atlas, graph: Graph, errors: ErrorList) -> None:
    """Every fact cites its source: front-matter facts need `sources` or a citation in the text."""
    for entry in atlas.entries.values():
        if entry.key in atlas.invalid:
            continue
        given = [name for name in kinds.of_folder(entry.kind).facts if getattr(entry.meta, name, None)]
        if given and not entry.meta.sources and not graph.citations.get(entry.key):
            errors.warning(entry.src, entry.line_of(given[0]),
                           f"{', '.join(given)} given without a source", "add `sources: [source-id]`")
        for index, partner in enumerate(getattr(entry.meta, "partners", ())):
            if not partner.sources and not entry.meta.sources:
                errors.warning(entry.src, entry.line_of("partners", index),
                               f"the partnership with '{partner.city}' has no source",
                               "add `sources: [source-id]` to it")


def _warn_orphans(atlas: Atlas, graph: Graph, errors: ErrorList) -> None:
    """Entries no other entry links to are reachable only through the index pages."""
    shown_within = {key for keys in graph.within.values() for key in keys}  # listed on the page they belong to
    # a partnership declared on one city is listed on both cities' pages
    shown_within |= {(kinds.of_name("city").folder, slug) for slug, ties in graph.partners_of.items() if ties}
    for entry in atlas.entries.values():
        # pages at the site's root are linked from every page's footer
        if (not kinds.of_folder(entry.kind).at_root and not graph.references.get(entry.key)
                and entry.key not in shown_within and entry.key not in atlas.invalid
                and not atlas.named_in_unparsed(entry.slug)):
            errors.warning(entry.src, 1, "no other entry links to this one (an orphan page)",
                           f"link to it with [[{entry.slug}]] where it belongs")


def _note_missing_wikidata(atlas: Atlas, errors: ErrorList) -> None:
    """A city's Wikidata id is what registers of twinnings match it by; many cities still lack one."""
    for city in atlas.of_kind(kinds.of_name("city").folder):
        if city.meta.wikidata is None and city.key not in atlas.invalid:
            errors.note(city.src, city.line_of("name"), "no Wikidata id: registers match cities by it",
                        "find the city on https://www.wikidata.org/ and add `wikidata: Q…`, its item's number")


@dataclass(frozen=True)
class CitationCount:
    """Citations (one per page and source it cites) by the kind of the source cited."""

    by_kind: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_kind.values())

    @property
    def mirror_share(self) -> float:
        return self.by_kind.get("mirror", 0) / self.total if self.total else 0.0

    def summary(self) -> str:
        parts = [f"{self.by_kind[kind]} {kind}" for kind in ("primary", "secondary", "mirror", "unclassified")
                 if self.by_kind.get(kind)]
        return (f"{self.total} citations ({', '.join(parts) or 'none'}); "
                f"{self.mirror_share:.1%} to mirrors")


def count_citations(atlas: Atlas, graph: Graph) -> CitationCount:
    """How many citations go to primary, secondary and mirror sources (sources without a `kind`: unclassified)."""
    counts: Counter[str] = Counter()
    for source_id, citing in graph.cited_by.items():
        source = atlas.bibliography.get(source_id)
        counts[(source.kind if source is not None else None) or "unclassified"] += len(citing)
    return CitationCount(dict(sorted(counts.items())))
