"""The timeline: partnerships and dated entries (initiatives, events, surveys, case studies) by decade and year.

Used by pages.py; a big atlas gets a page per decade (paging.py). Reads no files.
"""

from __future__ import annotations

from collections import defaultdict

from atlas import kinds
from atlas.graph.relations import Partnership
from atlas.render import paging, present
from atlas.render.site import Pages


def render_timeline(pages: Pages) -> None:
    """Partnerships and the entries of kinds on the timeline, by decade and year, oldest first."""
    site = pages.site
    cities = kinds.of_name("city").folder
    by_year: dict[int, list[dict]] = defaultdict(list)
    undated = []
    for p in site.graph.partnerships:
        if not p.since:
            undated.append(p)
            continue
        by_year[p.first_year].append({
            "kind": "partnership", "partnership": p, "sort": (1, p.a, p.b),
            "a": site.atlas.get(cities, p.a), "b": site.atlas.get(cities, p.b),
            "disputed": present.format_disputed(p.since) if len(p.since) > 1 else ""})
    for kind in dated_kinds():
        for entry in site.atlas.of_kind(kind.folder):
            when = getattr(entry.meta, kind.dated_by)
            if when:
                by_year[int(when[0][:4])].append({
                    "kind": "study", "entry": entry, "sort": (0, entry.slug, ""),
                    "disputed": present.format_disputed(when) if len(when) > 1 else ""})
    decades: dict[int, list] = defaultdict(list)
    for year in sorted(by_year):
        decades[paging.decade_of(year)].append((year, sorted(by_year[year], key=lambda item: item["sort"])))
    dated = sum(len(items) for items in by_year.values())
    undated = sorted(undated, key=lambda p: (p.a, p.b))
    if dated + len(undated) > paging.TIMELINE_LIMIT:
        _timeline_by_decade(pages, sorted(decades.items()), dated, undated)
        return
    pages.emit("timeline/", "timeline.html", decades=sorted(decades.items()), dated=dated, undated=undated,
               part=None, parts=None, what=what_is_dated())


def what_is_dated() -> tuple[str, str]:
    """("partnership or event or case study", "partnerships, events and case studies"): what the timeline holds."""
    names = ["partnership", *(kind.label[0].lower() for kind in dated_kinds())]
    plurals = ["partnerships", *(kind.label[1].lower() for kind in dated_kinds())]
    return " or ".join(names), ", ".join(plurals[:-1]) + " and " + plurals[-1]


def dated_kinds() -> list[kinds.Kind]:
    """The kinds whose entries are on the timeline: those with a date field (case studies)."""
    return [kind for kind in kinds.registered() if kind.dated_by]


def _timeline_by_decade(pages: Pages, decades: list[tuple[int, list]], dated: int,
                        undated: list[Partnership]) -> None:
    """A big atlas: timeline/ lists the decades with counts; each decade has a page, as has "year not recorded"."""
    singular, plural = what_is_dated()
    parts = []
    for decade, years in decades:
        items = [item for _, year_items in years for item in year_items]
        studies = sum(1 for item in items if item["kind"] == "study")
        detail = present.count(len(items) - studies, "partnership")
        for kind in dated_kinds():
            found = sum(1 for item in items if item["kind"] == "study" and item["entry"].kind == kind.folder)
            if found:
                detail += ", " + present.count(found, kind.label[0].lower(), kind.label[1].lower())
        parts.append({"label": paging.decade_label(decade), "route": paging.decade_route("timeline", decade),
                      "count": len(items), "detail": detail, "undated": False})
    if undated:
        parts.append({"label": paging.decade_label(None), "route": paging.decade_route("timeline", None),
                      "count": len(undated), "detail": present.count(len(undated), "partnership"),
                      "undated": True})
    decade_index(pages, "timeline/", "Timeline", parts, len(undated),
                 f"{present.count(dated, singular, plural)} "
                 "with a known year, by decade. Each decade's page lists them year by year, oldest first.",
                 f"{plural.capitalize()} of city diplomacy, decade by decade.")
    for (decade, years), part in zip(decades, parts):
        pages.emit(part["route"], "timeline.html", decades=[(decade, years)], dated=part["count"], undated=[],
                   part=part, parts=parts, what=(singular, plural))
    if undated:
        pages.emit(parts[-1]["route"], "timeline.html", decades=[], dated=0, undated=undated,
                   part=parts[-1], parts=parts, what=(singular, plural))


def decade_index(pages: Pages, route: str, title: str, parts: list[dict], undated: int, lede: str,
                 description: str) -> None:
    """The first page of a section split by decade: each part with its count."""
    if undated:
        lede += (f" {present.count(undated, 'partnership')} without a recorded year"
                 f" {'is' if undated == 1 else 'are'} listed apart.")
    pages.emit(route, "index_decades.html", title=title, lede=lede, parts=parts, description=description)
