"""The case study: something cities did together, dated, with the cities and networks involved.

content/case-studies/<slug>.md, shown at /case-studies/<slug>/ with a map of its
cities; case-studies/ lists them by year. Dated case studies are on the timeline
and in the Atom feed.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Annotated, Any

from pydantic import Field

from atlas.content.fields import SLUG, THEMES_NOTE, Common, DisputedDate, FieldNote, SlugList, Text
from atlas.editing.values import NewOptions, ScaffoldError, check_date, entry_slug, yaml_text
from atlas.kinds.kind import Kind, Link, entries_of, tag_filters
from atlas.maps.spec import MapSpec
from atlas.model import Entry

UNDATED = "Undated"  # the heading of the case studies without a date on case-studies/
EVENT_KINDS = ("workshop", "conference", "event", "meeting", "summit")  # shown to search engines as Events


class CaseStudyMeta(Common):
    title: Text
    date: DisputedDate | None = None
    cities: Annotated[SlugList, Field(min_length=1)]
    networks: SlugList = []
    organisations: SlugList = []
    initiatives: SlugList = []
    events: SlugList = []
    people: SlugList = []
    themes: SlugList = []
    kind: Text | None = None


NOTES = (
    FieldNote("title", "the case study's title"),
    FieldNote("date", "when it happened: a date, or a list of dates when sources differ", '"2016-02"'),
    FieldNote("cities", "slugs of the cities involved (at least one)"),
    FieldNote("networks", "slugs of networks involved", "[c40]"),
    FieldNote("organisations", "slugs of organisations involved (offices, NGOs, universities, funders)",
              "[lyon-international-office]"),
    FieldNote("initiatives", "slugs of the initiatives it is about", "[marrakech-mayors-declaration]"),
    FieldNote("events", "slugs of the events it is about", "[c40-summit-copenhagen-2019]"),
    FieldNote("people", "slugs of the people involved", "[anne-hidalgo]"),
    THEMES_NOTE,
    FieldNote("kind", "workshop, initiative, report, conference, agreement, programme ...", "workshop"),
)


NAMED = (("organisations", "organisations", "Organisations"), ("initiatives", "initiatives", "Initiatives"),
         ("events", "events", "Events"), ("people", "people", "People"))  # (field, folder, label) shown as facts


def case_study_context(study: Entry, page: Any) -> dict:
    site = page.site
    cities = site.entries(("cities", s) for s in study.meta.cities)
    points = tuple(p for p in (page.place_point(c.slug, "city") for c in cities) if p)
    names = ", ".join(c.title for c in cities)
    return {
        "cities": cities,
        "networks": site.entries(("networks", s) for s in study.meta.networks),
        "named": [(label, site.entries((folder, s) for s in getattr(study.meta, field)))
                  for field, folder, label in NAMED if getattr(study.meta, field)],
        "themes": site.entries(("themes", s) for s in study.meta.themes),
        "map": page.map_block(MapSpec(f"Map of the cities in this case study: {names}", points)),
    }


def case_study_index(kind: Kind, pages: Any) -> None:
    """case-studies/: the case studies by year, newest first; those without a date come last, as "Undated"."""
    atlas = pages.site.atlas
    by_year: dict[str, list[Entry]] = defaultdict(list)
    for study in atlas.of_kind(kind.folder):
        year = study.meta.date[0][:4] if study.meta.date else UNDATED
        by_year[year].append(study)
    years = sorted(by_year.items(), key=lambda item: (item[0] != UNDATED, item[0]), reverse=True)
    study_themes = {s.slug: [t.title for t in entries_of(atlas, "themes", s.meta.themes)]
                    for s in atlas.of_kind(kind.folder)}
    pages.emit(f"{kind.folder}/", "index_case_studies.html", study_themes=study_themes,
               years=[(str(int(y)) if y.isdigit() else y,
                       sorted(s, key=lambda e: ((e.meta.date or ("",))[0], e.slug), reverse=True))
                      for y, s in years])


def case_study_filters(study: Entry, atlas: Any, graph: Any) -> list[tuple[str, str]]:
    return tag_filters(atlas, entries_of(atlas, "cities", study.meta.cities), study.meta.networks,
                       study.meta.themes)


def case_study_json_ld(study: Entry, base: dict, atlas: Any, graph: Any) -> dict:
    meta = study.meta
    cities = [atlas.get("cities", slug) for slug in meta.cities]
    places = [{"@type": "City", "name": c.title} for c in cities if c]
    when = meta.date[0] if meta.date and len(meta.date) == 1 else None
    if (meta.kind or "").lower() in EVENT_KINDS:
        data = {**base, "@type": "Event", "location": places[0] if len(places) == 1 else places}
        if when:
            data["startDate"] = when
        return data
    data = {**base, "@type": "Article", "headline": study.title[:110], "about": places}
    if when:
        data["datePublished"] = when
    return data


def case_study_data(study: Entry, graph: Any) -> dict:
    meta = study.meta
    return {"title": study.title, "date": list(meta.date or ()), "kind": meta.kind, "cities": list(meta.cities),
            "networks": list(meta.networks), "organisations": list(meta.organisations),
            "initiatives": list(meta.initiatives), "events": list(meta.events), "people": list(meta.people),
            "themes": list(meta.themes)}


def new_case_study(title: str, options: NewOptions) -> tuple[list[str], list[str]]:
    """Title, date (or a commented-out line for it) and the cities, which must be slugs."""
    cities = options.cities
    if not cities:
        raise ScaffoldError("a case study needs at least one city: --city SLUG (repeat it for more)")
    warnings = []
    for city in cities:
        if not SLUG.match(city):
            raise ScaffoldError(f"--city: '{city}' is not a slug; give the city's file name without .md, such as"
                                f" {entry_slug(city) or 'lyon'}")
        if not (options.content_dir / "cities" / f"{city}.md").exists():
            warnings.append(f"{options.src}: there is no city '{city}' yet; create it with `atlas new city`,"
                            " or `atlas check` will report it")
    if len(set(cities)) != len(cities):
        raise ScaffoldError("--city: a city is given twice")
    front = [f"title: {yaml_text(title)}"]
    if options.date:
        front.append(f"date: {json.dumps(check_date(options.date))}")
    front.append(f"cities: [{', '.join(cities)}]")
    return front, warnings


KIND = Kind(
    name="case-study", folder="case-studies", label=("Case study", "Case studies"), model=CaseStudyMeta,
    title_field="title", template="case_study.html", fields=NOTES, context=case_study_context,
    index=case_study_index, search_filters=case_study_filters, json_ld=case_study_json_ld, data=case_study_data,
    links=(Link("cities", "city", "city", "about"), Link("networks", "network", "network", "about"),
           Link("organisations", "organisation", "organisation", "about"),
           Link("initiatives", "initiative", "initiative", "about"), Link("events", "event", "event", "about"),
           Link("people", "person", "person", "about"), Link("themes", "theme", "theme", "tag")),
    facts=("date",), dated_by="date", feed=True,
    new_front=new_case_study, new_options=frozenset({"cities", "date"}),
    new_body=("## What happened", "Who took part, what was agreed or learnt, and what came of it."),
)
