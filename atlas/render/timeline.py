"""The timeline: starts and ends of partnerships and memberships, and dated entries (initiatives, events,
surveys, case studies), by decade and year, oldest first.

Used by pages.py; a big atlas gets a page per decade (paging.py). Reads no files.
"""

from __future__ import annotations

from collections import defaultdict

from atlas import kinds
from atlas.graph.relations import Partnership
from atlas.render import paging, present
from atlas.render.site import Pages


FILTERS = (("partnerships", "Partnerships"), ("memberships", "Memberships"))  # and each dated kind's folder


def render_timeline(pages: Pages) -> None:
    """Starts and ends of partnerships and memberships, and the entries of kinds on the timeline,
    by decade and year, oldest first.

    Each item has a `filter` (partnerships, memberships, or a kind's folder); a
    timeline of one page also has a page per filter (timeline/partnerships/ ...),
    plain links that filter it without JavaScript. A big atlas's timeline, a page
    per decade, has none.
    """
    site = pages.site
    cities = kinds.of_name("city").folder
    networks = kinds.of_name("network").folder
    by_year: dict[int, list[dict]] = defaultdict(list)
    undated = []
    for p in site.graph.partnerships:
        pair = {"a": site.atlas.get(cities, p.a), "b": site.atlas.get(cities, p.b)}
        if p.until:
            by_year[min(int(d[:4]) for d in p.until)].append({
                "kind": "partnership-end", "filter": "partnerships", "partnership": p, "sort": (2, p.a, p.b),
                "disputed": present.format_disputed_note(p.until) if len(p.until) > 1 else "", **pair})
        if not p.since:
            undated.append(p)
            continue
        by_year[p.first_year].append({
            "kind": "partnership", "filter": "partnerships", "partnership": p, "sort": (1, p.a, p.b), **pair,
            "disputed": present.format_disputed_note(p.since) if len(p.since) > 1 else ""})
    for m in site.graph.memberships:
        names = {"city": site.atlas.get(cities, m.city), "network": site.atlas.get(networks, m.network)}
        for end, dates in ((False, m.since), (True, m.until)):
            if dates:
                by_year[min(int(d[:4]) for d in dates)].append({
                    "kind": "membership", "filter": "memberships", "membership": m, "end": end,
                    "sort": (3, m.network, m.city), **names,
                    "disputed": present.format_disputed_note(dates) if len(dates) > 1 else ""})
    for kind in dated_kinds():
        for entry in site.atlas.of_kind(kind.folder):
            when = getattr(entry.meta, kind.dated_by)
            if when:
                by_year[int(when[0][:4])].append({
                    "kind": "study", "filter": kind.folder, "entry": entry, "sort": (0, entry.slug, ""),
                    "disputed": present.format_disputed_note(when) if len(when) > 1 else ""})
    dated = sum(len(items) for items in by_year.values())
    undated = sorted(undated, key=lambda p: (p.a, p.b))
    if dated + len(undated) > paging.TIMELINE_LIMIT:
        _timeline_by_decade(pages, _decades(by_year), dated, undated)
        return
    filters = [(name, label) for name, label in (*FILTERS, *((k.folder, k.label[1]) for k in dated_kinds()))
               if any(item["filter"] == name for items in by_year.values() for item in items)]
    what = what_is_dated()
    pages.emit("timeline/", "timeline.html", decades=_decades(by_year), dated=dated, undated=undated,
               part=None, parts=None, filters=filters if len(filters) > 1 else [], chosen=None, what=what,
               entries=entries_on_timeline())
    if len(filters) < 2:
        return
    for name, label in filters:
        chosen = {year: [item for item in items if item["filter"] == name] for year, items in by_year.items()}
        chosen = {year: items for year, items in chosen.items() if items}
        pages.emit(f"timeline/{name}/", "timeline.html", decades=_decades(chosen),
                   dated=sum(len(items) for items in chosen.values()),
                   undated=undated if name == "partnerships" else [], part=None, parts=None, filters=filters,
                   chosen=(name, label), what=what, entries=entries_on_timeline())


def _decades(by_year: dict[int, list[dict]]) -> list[tuple[int, list]]:
    decades: dict[int, list] = defaultdict(list)
    for year in sorted(by_year):
        decades[paging.decade_of(year)].append((year, sorted(by_year[year], key=lambda item: item["sort"])))
    return sorted(decades.items())


def _and(words: list[str]) -> str:
    """"a, b and c"."""
    return ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else "".join(words)


def entries_on_timeline() -> str:
    """"initiatives, events, surveys and case studies": the kinds of entry on the timeline."""
    return _and([kind.label[1].lower() for kind in dated_kinds()])


def what_is_dated() -> tuple[str, str]:
    """("partnership or membership or event or case study", "partnerships, memberships, events and case studies"):
    what the timeline holds."""
    names = ["partnership", "membership", *(kind.label[0].lower() for kind in dated_kinds())]
    plurals = ["partnerships", "memberships", *(kind.label[1].lower() for kind in dated_kinds())]
    return " or ".join(names), _and(plurals)


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
        memberships = sum(1 for item in items if item["kind"] == "membership")
        detail = present.count(len(items) - studies - memberships, "partnership")
        if memberships:
            detail += ", " + present.count(memberships, "membership")
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
                   part=part, parts=parts, filters=[], chosen=None, what=(singular, plural))
    if undated:
        pages.emit(parts[-1]["route"], "timeline.html", decades=[], dated=0, undated=undated,
                   part=parts[-1], parts=parts, filters=[], chosen=None, what=(singular, plural))


def decade_index(pages: Pages, route: str, title: str, parts: list[dict], undated: int, lede: str,
                 description: str) -> None:
    """The first page of a section split by decade: each part with its count."""
    if undated:
        lede += (f" {present.count(undated, 'partnership')} without a recorded year"
                 f" {'is' if undated == 1 else 'are'} listed apart.")
    pages.emit(route, "index_decades.html", title=title, lede=lede, parts=parts, description=description)
