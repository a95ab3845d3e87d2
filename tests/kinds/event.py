"""A kind the atlas does not have: the event. Its module and its template are all it brings.

Used by tests/test_kinds.py, which registers it for one test at a time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from atlas.content.fields import Common, DisputedDate, FieldNote, SlugList, Text
from atlas.kinds import Kind, Link, list_index
from atlas.kinds.kind import entries_of, tag_filters
from atlas.maps.spec import MapSpec


class EventMeta(Common):
    name: Text
    date: DisputedDate | None = None
    cities: SlugList = []


NOTES = (
    FieldNote("name", "the event's name"),
    FieldNote("date", "when it took place: a date, or a list of dates when sources differ", '"2019-06"'),
    FieldNote("cities", "slugs of the cities where it took place", "[lyon]"),
)


def event_context(event: Any, page: Any) -> dict:
    cities = entries_of(page.site.atlas, "cities", event.meta.cities)
    points = tuple(p for p in (page.place_point(c.slug, "city") for c in cities) if p)
    return {"cities": cities, "map": page.map_block(MapSpec(f"Map of where {event.title} took place", points))}


def event_filters(event: Any, atlas: Any, graph: Any) -> list[tuple[str, str]]:
    return tag_filters(atlas, entries_of(atlas, "cities", event.meta.cities))


def event_json_ld(event: Any, base: dict, atlas: Any, graph: Any) -> dict:
    places = [{"@type": "City", "name": c.title} for c in entries_of(atlas, "cities", event.meta.cities)]
    data = {**base, "@type": "Event", "location": places}
    if event.meta.date and len(event.meta.date) == 1:
        data["startDate"] = event.meta.date[0]
    return data


def event_data(event: Any, graph: Any) -> dict:
    return {"name": event.title, "date": list(event.meta.date or ()), "cities": list(event.meta.cities)}


def event_row(event: Any, graph: Any, url: str) -> list:
    return [event.slug, event.title, " or ".join(event.meta.date or ()), " ".join(event.meta.cities), url]


KIND = Kind(
    name="event", folder="events", label=("Event", "Events"), model=EventMeta, title_field="name",
    template="event.html", template_dir=Path(__file__).parent, fields=NOTES, context=event_context,
    index=list_index, search_filters=event_filters, json_ld=event_json_ld, data=event_data,
    table=(("slug", "name", "date", "cities", "url"), event_row),
    links=(Link("cities", "city", "city", "mention"),), facts=("date",),
    new_body=("## What happened", "Who came, what was said and what came of it."),
)
