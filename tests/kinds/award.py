"""A kind the atlas does not have: the award. Its module and its template are all it brings.

Used by tests/test_kinds.py, which registers it for one test at a time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from atlas.content.fields import Common, DisputedDate, FieldNote, SlugList, Text
from atlas.kinds import Column, Kind, Link, Table, list_index
from atlas.kinds.kind import entries_of, tag_filters
from atlas.maps.spec import MapSpec


class AwardMeta(Common):
    name: Text
    date: DisputedDate | None = None
    cities: SlugList = []


NOTES = (
    FieldNote("name", "the award's name"),
    FieldNote("date", "when it was given: a date, or a list of dates when sources differ", '"2019-06"'),
    FieldNote("cities", "slugs of the cities it was given to", "[lyon]"),
)


def award_context(award: Any, page: Any) -> dict:
    cities = entries_of(page.site.atlas, "cities", award.meta.cities)
    points = tuple(p for p in (page.place_point(c.slug, "city") for c in cities) if p)
    return {"cities": cities, "map": page.map_block(MapSpec(f"Map of the cities {award.title} was given to", points))}


def award_filters(award: Any, atlas: Any, graph: Any) -> list[tuple[str, str]]:
    return tag_filters(atlas, entries_of(atlas, "cities", award.meta.cities))


def award_json_ld(award: Any, base: dict, atlas: Any, graph: Any) -> dict:
    places = [{"@type": "City", "name": c.title} for c in entries_of(atlas, "cities", award.meta.cities)]
    data = {**base, "@type": "Event", "location": places}
    if award.meta.date and len(award.meta.date) == 1:
        data["startDate"] = award.meta.date[0]
    return data


def award_data(award: Any, graph: Any) -> dict:
    return {"name": award.title, "date": list(award.meta.date or ()), "cities": list(award.meta.cities)}


def award_rows(award: Any, graph: Any, url: str) -> list[list]:
    return [[award.slug, award.title, " or ".join(award.meta.date or ()), " ".join(award.meta.cities), url]]


KIND = Kind(
    name="award", folder="awards", label=("Award", "Awards"), model=AwardMeta, title_field="name",
    template="award.html", template_dir=Path(__file__).parent, fields=NOTES, context=award_context,
    index=list_index, search_filters=award_filters, json_ld=award_json_ld, data=award_data,
    tables=(Table("awards", "One row per award.", (Column("slug", "string", "its slug"), Column("name", "string", "its name"),
                  Column("date", "string", "when it was given"), Column("cities", "string", "city slugs"),
                  Column("url", "string", "its page")), award_rows),),
    links=(Link("cities", "city", "city", "mention"),), facts=("date",),
    new_body=("## Why it was given", "Who gave it, to whom, and for what."),
)
