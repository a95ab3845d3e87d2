"""The event: a summit, congress, forum, workshop, delegation or trade mission, on a date, in a host city.

content/events/<slug>.md, shown at /events/<slug>/ with a map of its host city and
the cities taking part; events/ lists them by year. Events are on the timeline
and in the Atom feed.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any, Literal

from pydantic import ValidationInfo, field_validator

from atlas.content.fields import (THEMES_NOTE, Common, DisputedDate, FieldNote, FuzzyDate, Slug, SlugList, Text,
                                  Url)
from atlas.editing.values import NewOptions, ScaffoldError, check_date, yaml_text
from atlas.kinds.cast import Party, check_after, citation_numbers, json_ld_party, party_links, party_rows
from atlas.kinds.kind import Column, Kind, Link, Table, entries_of, tag_filters
from atlas.maps.spec import MapSpec
from atlas.model import Entry

EVENT_KINDS = ("summit", "congress", "forum", "conference", "workshop", "delegation", "trade-mission", "meeting",
               "other")
UNDATED = "Undated"


class EventMeta(Common):
    name: Text
    kind: Literal[EVENT_KINDS] | None = None  # type: ignore[valid-type]
    date: DisputedDate | None = None
    end: FuzzyDate | None = None
    host: Slug | None = None
    network: Slug | None = None
    participants: list[Party] = []
    themes: SlugList = []
    website: Url | None = None

    @field_validator("end")
    @classmethod
    def _after_the_start(cls, end: str | None, info: ValidationInfo) -> str | None:
        return check_after(info.data.get("date"), end, "the first day",
                           "`date` is the first day of the event, `end` its last")


NOTES = (
    FieldNote("name", "the event's name"),
    FieldNote("kind", f"one of {', '.join(f'`{k}`' for k in EVENT_KINDS)}", "summit"),
    FieldNote("date", "when it took place, or its first day: a date, or a list of dates when sources differ",
              '"2019-10-09"'),
    FieldNote("end", "its last day, for an event of several days; not before `date`", '"2019-10-12"'),
    FieldNote("host", "the slug of the host city", "copenhagen"),
    FieldNote("network", "the slug of the network that convened it", "c40"),
    FieldNote("participants", "cities, organisations, networks and people taking part, as for initiatives"
              " (above)", "[{city: paris, role: speaker}]"),
    THEMES_NOTE,
    FieldNote("website", "its web address (`https://...`)", "https://example.org/"),
)


def when_text(meta: Any) -> str:
    """"9–12 October 2019", or the date as it is (and sources' other dates)."""
    from atlas.render import present

    if not meta.date:
        return ""
    start = present.format_disputed(meta.date)
    if meta.end and len(meta.date) == 1:
        return f"{start} to {present.format_date(meta.end)}"
    return start


def event_context(event: Entry, page: Any) -> dict:
    site = page.site
    meta = event.meta
    numbers = citation_numbers(event, site.graph)
    participants = party_rows(site, meta.participants, numbers)
    host = site.entry("cities", meta.host) if meta.host else None
    points = [page.place_point(host.slug, "focus", "Host city")] if host else []
    points += [page.place_point(row["entry"].slug, "city") for row in participants
               if row["entry"].kind == "cities" and row["entry"] is not host]
    points = tuple(p for p in points if p)
    return {
        "when": when_text(meta),
        "host": host,
        "network": site.entry("networks", meta.network) if meta.network else None,
        "participants": participants,
        "themes": site.entries(("themes", s) for s in meta.themes),
        "map": page.map_block(MapSpec(f"Map of where {event.title} took place"
                                      + (" and the cities taking part" if len(points) > 1 else ""), points)),
    }


def event_index(kind: Kind, pages: Any) -> None:
    """events/: the events by year, newest first; those without a date last."""
    by_year: dict[str, list[Entry]] = defaultdict(list)
    for event in pages.site.atlas.of_kind(kind.folder):
        by_year[str(int(event.meta.date[0][:4])) if event.meta.date else UNDATED].append(event)
    years = sorted(by_year.items(), key=lambda item: (item[0] != UNDATED, item[0]), reverse=True)
    pages.emit(f"{kind.folder}/", "index_events.html", title=kind.label[1], kind=kind.folder,
               years=[(year, sorted(events, key=lambda e: ((e.meta.date or ("",))[0], e.slug), reverse=True))
                      for year, events in years])


def event_filters(event: Entry, atlas: Any, graph: Any) -> list[tuple[str, str]]:
    meta = event.meta
    cities = entries_of(atlas, "cities", [s for s in [meta.host, *(p.city for p in meta.participants)] if s])
    networks = [s for s in [meta.network, *(p.network for p in meta.participants)] if s]
    return tag_filters(atlas, cities, networks, meta.themes)


def event_json_ld(event: Entry, base: dict, atlas: Any, graph: Any) -> dict:
    meta = event.meta
    data = {**base, "@type": "Event"}
    if meta.date and len(meta.date) == 1:
        data["startDate"] = meta.date[0]
        data["endDate"] = meta.end or meta.date[0]
    host = atlas.get("cities", meta.host) if meta.host else None
    if host:
        data["location"] = {"@type": "City", "name": host.title,
                            "address": {"@type": "PostalAddress", "addressCountry": host.meta.country}}
    network = atlas.get("networks", meta.network) if meta.network else None
    if network:
        data["organizer"] = {"@type": "Organization", "name": network.title}
    attendees = [found for found in (json_ld_party(atlas, p) for p in meta.participants if not p.city) if found]
    if attendees:
        data["attendee"] = attendees
    if meta.website:
        data["sameAs"] = meta.website
    return data


def event_data(event: Entry, graph: Any) -> dict:
    meta = event.meta
    return {"name": event.title, "kind": meta.kind, "date": list(meta.date or ()), "end": meta.end,
            "host": meta.host, "network": meta.network, "themes": list(meta.themes), "website": meta.website,
            "participants": [{"kind": p.named[0], "slug": p.named[1], "role": p.role, "sources": list(p.sources)}
                             for p in meta.participants]}


TABLE_COLUMNS = (
    Column("slug", "string", "the event's slug, its permanent id in the atlas"),
    Column("name", "string", "its name"),
    Column("kind", "string", "summit, congress, forum, conference, workshop, delegation, trade-mission, meeting"
                             " or other"),
    Column("date", "string", "when it took place or began: YYYY, YYYY-MM or YYYY-MM-DD; dates joined by ' or '"
                             " where sources differ"),
    Column("end", "string", "its last day, for an event of several days"),
    Column("host", "string", "the slug of the host city"),
    Column("network", "string", "the slug of the network that convened it"),
    Column("participants", "string", "slugs of the cities, organisations, networks and people taking part"),
    Column("url", "string", "its page in the atlas"),
)


def event_rows(event: Entry, graph: Any, url: str) -> list[list]:
    meta = event.meta
    return [[event.slug, event.title, meta.kind or "", " or ".join(meta.date or ()), meta.end or "",
             meta.host or "", meta.network or "", " ".join(p.named[1] for p in meta.participants), url]]


def new_event(name: str, options: NewOptions) -> tuple[list[str], list[str]]:
    """The name, the date when `--date` gives one, and the host city when `--city` does."""
    front = [f"name: {yaml_text(name)}"]
    if options.date:
        front.append(f"date: {json.dumps(check_date(options.date))}")
    if len(options.cities) > 1:
        raise ScaffoldError("--city: an event has one host city; name the others as participants")
    warnings = []
    if options.cities:
        front.append(f"host: {options.cities[0]}")
        if not (options.content_dir / "cities" / f"{options.cities[0]}.md").exists():
            warnings.append(f"{options.src}: there is no city '{options.cities[0]}' yet; create it with"
                            " `atlas new city`, or `atlas check` will report it")
    return front, warnings


KIND = Kind(
    name="event", folder="events", label=("Event", "Events"), model=EventMeta, title_field="name",
    template="event.html", fields=NOTES, context=event_context, index=event_index, search_filters=event_filters,
    json_ld=event_json_ld, data=event_data,
    tables=(Table("events", "One row per event: summits, congresses, forums, workshops, delegations.",
                  TABLE_COLUMNS, event_rows),),
    links=(Link("host", "city", "host city", "within"), Link("network", "network", "convening network", "mention"),
           *party_links("participants", "participant"), Link("themes", "theme", "theme", "tag")),
    cited=(("participants", "sources"),),
    facts=("date", "host", "participants"), dated_by="date", feed=True,
    new_front=new_event, new_options=frozenset({"date", "cities"}),
    new_body=("## What happened", "Who came, what was agreed, and what came of it."),
)
