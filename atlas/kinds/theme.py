"""The theme: a field of city diplomacy (climate, culture, migration) that entries are tagged with.

content/themes/<slug>.md, shown at /themes/<slug>/ with what is tagged with it and
a map of the cities working on it; themes/ lists them.
"""

from __future__ import annotations

from typing import Any

from atlas.content.fields import Common, FieldNote, Text
from atlas.kinds.kind import Kind, list_index, tag_filters
from atlas.maps.spec import MapSpec
from atlas.model import Entry
from atlas.render import present

NOTES = (
    FieldNote("name", "the theme's name"),
    FieldNote("description", "one sentence shown under the title", "One line under the theme's name."),
)


class ThemeMeta(Common):
    name: Text
    description: Text | None = None


def theme_context(theme: Entry, page: Any) -> dict:
    from atlas import kinds  # the registry holds this module: ask it at render time

    site = page.site
    tagged = site.entries(site.graph.tagged.get(theme.slug, []))
    by_kind = [(kind.label[1], [e for e in tagged if e.kind == kind.folder]) for kind in kinds.registered()]
    city_slugs: set[str] = set()
    for entry in tagged:
        if entry.kind == "cities":
            city_slugs.add(entry.slug)
        elif entry.kind == "networks":
            city_slugs.update(site.graph.members_of.get(entry.slug, []))
        elif entry.kind == "case-studies":
            city_slugs.update(entry.meta.cities)
    points = tuple(p for p in (page.place_point(s, "city") for s in sorted(city_slugs)) if p)
    label = f"Map of {present.count(len(points), 'city', 'cities')} working on {theme.title}"
    return {"tagged": [(label_, items) for label_, items in by_kind if items],
            "map": page.map_block(MapSpec(label, points, cluster=len(points) > 200))}


def theme_filters(theme: Entry, atlas: Any, graph: Any) -> list[tuple[str, str]]:
    return tag_filters(atlas, themes=[theme.slug])


def theme_data(theme: Entry, graph: Any) -> dict:
    return {"name": theme.title, "description": theme.meta.description}


KIND = Kind(
    name="theme", folder="themes", label=("Theme", "Themes"), model=ThemeMeta, title_field="name",
    template="theme.html", fields=NOTES, context=theme_context, index=list_index, search_filters=theme_filters,
    data=theme_data,
    new_body=("## Cities at work", "How cities in the atlas work on this theme, with examples."),
)
