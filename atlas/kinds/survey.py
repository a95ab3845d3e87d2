"""The survey: a survey or report on city diplomacy, with its findings as rows of data.

content/surveys/<slug>.md, shown at /surveys/<slug>/ with its findings in a table;
surveys/ lists them. Every finding is also a row of data/findings.csv, with its
value, unit, year and source.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import Field

from atlas.content.fields import (THEMES_NOTE, Common, DisputedDate, FieldNote, SlugList, Text, TextList, Url)
from atlas.editing.values import NewOptions, check_date, yaml_text
from atlas.kinds.cast import FIGURE_NOTES, Figure, citation_numbers, figure_value
from atlas.kinds.kind import Column, Kind, Link, Table, entries_of, tag_filters
from atlas.maps.spec import MapSpec
from atlas.model import Entry


class SurveyMeta(Common):
    title: Text
    kind: Literal["survey", "report"] = "survey"
    published: DisputedDate | None = None
    publishers: SlugList = []
    authors: TextList = []
    sample: Annotated[int, Field(ge=1, le=1_000_000)] | None = None
    cities: SlugList = []
    findings: list[Figure] = []
    themes: SlugList = []
    url: Url | None = None


NOTES = (
    FieldNote("title", "the survey's or report's title"),
    FieldNote("kind", "`survey` (default) or `report`", "report"),
    FieldNote("published", "when it was published: a date, or a list of dates when sources differ", '"2018-02"'),
    FieldNote("publishers", "slugs of the organisations that published it", "[chicago-council-on-global-affairs]"),
    FieldNote("authors", "a list of names", '["Michele Acuto"]'),
    FieldNote("sample", "how many cities it surveyed (a whole number)", "27"),
    FieldNote("cities", "slugs of cities the sources name as taking part", "[tokyo]"),
    FieldNote("findings", "its findings as rows: `statement`, `value`, `unit`, `year`, `source` (as for an"
              " initiative's figures)", "[{statement: Cities with an office, value: 86, unit: percent}]"),
    THEMES_NOTE,
    FieldNote("url", "where to read it (`https://...`)", "https://example.org/report"),
)


def survey_context(survey: Entry, page: Any) -> dict:
    site = page.site
    numbers = citation_numbers(survey, site.graph)
    cities = site.entries(("cities", s) for s in survey.meta.cities)
    points = tuple(p for p in (page.place_point(c.slug, "city") for c in cities) if p)
    return {
        "publishers": site.entries(("organisations", s) for s in survey.meta.publishers),
        "cities": cities,
        "findings": [{"statement": f.statement, "value": figure_value(f), "unit": f.unit or "",
                      "year": f.year or "", "cites": [(numbers[f.source], f.source)] if f.source in numbers else []}
                     for f in survey.meta.findings],
        "themes": site.entries(("themes", s) for s in survey.meta.themes),
        "map": page.map_block(MapSpec(f"Map of the cities in {survey.title} that the sources name", points)),
    }


def survey_filters(survey: Entry, atlas: Any, graph: Any) -> list[tuple[str, str]]:
    return tag_filters(atlas, entries_of(atlas, "cities", survey.meta.cities), [], survey.meta.themes)


def survey_json_ld(survey: Entry, base: dict, atlas: Any, graph: Any) -> dict:
    meta = survey.meta
    data = {**base, "@type": "Report"}
    if meta.published and len(meta.published) == 1:
        data["datePublished"] = meta.published[0]
    if meta.authors:
        data["author"] = [{"@type": "Person", "name": name} for name in meta.authors]
    publishers = entries_of(atlas, "organisations", meta.publishers)
    if publishers:
        data["publisher"] = [{"@type": "Organization", "name": p.title} for p in publishers]
    if meta.url:
        data["sameAs"] = meta.url
    cities = entries_of(atlas, "cities", meta.cities)
    if cities:
        data["about"] = [{"@type": "City", "name": c.title} for c in cities]
    return data


def survey_data(survey: Entry, graph: Any) -> dict:
    meta = survey.meta
    return {"title": survey.title, "kind": meta.kind, "published": list(meta.published or ()),
            "publishers": list(meta.publishers), "authors": list(meta.authors), "sample": meta.sample,
            "cities": list(meta.cities), "findings": [f.model_dump() for f in meta.findings],
            "themes": list(meta.themes), "link": meta.url}


TABLE_COLUMNS = (
    Column("slug", "string", "the survey's slug, its permanent id in the atlas"),
    Column("title", "string", "its title"),
    Column("kind", "string", "survey or report"),
    Column("published", "string", "when it was published; dates joined by ' or ' where sources differ"),
    Column("publishers", "string", "slugs of the organisations that published it, separated by spaces"),
    Column("sample", "integer", "how many cities it surveyed"),
    Column("findings", "integer", "how many findings the atlas records"),
    Column("url", "string", "its page in the atlas"),
)
FINDING_COLUMNS = (
    Column("survey", "string", "the survey's slug"),
    Column("statement", "string", "what was found"),
    Column("value", "string", "the value: a number, or words where the source gives none (majority, few)"),
    Column("unit", "string", "what the value counts: percent, cities, obstacles, qualitative ..."),
    Column("year", "string", "the date the finding is true at: YYYY, YYYY-MM or YYYY-MM-DD"),
    Column("source", "string", "the id of the source that reports it (see atlas.json)"),
    Column("url", "string", "the survey's page in the atlas"),
)


def survey_rows(survey: Entry, graph: Any, url: str) -> list[list]:
    meta = survey.meta
    return [[survey.slug, survey.title, meta.kind, " or ".join(meta.published or ()), " ".join(meta.publishers),
             meta.sample if meta.sample is not None else "", len(meta.findings), url]]


def finding_rows(survey: Entry, graph: Any, url: str) -> list[list]:
    return [[survey.slug, f.statement, "" if f.value is None else f.value, f.unit or "", f.year or "",
             f.source or "", url] for f in survey.meta.findings]


def new_survey(title: str, options: NewOptions) -> tuple[list[str], list[str]]:
    """The title, and the date of publication when `--date` gives one."""
    front = [f"title: {yaml_text(title)}"]
    if options.date:
        front.append(f"published: {json.dumps(check_date(options.date))}")
    return front, []


KIND = Kind(
    name="survey", folder="surveys", label=("Survey", "Surveys"), model=SurveyMeta, title_field="title",
    template="survey.html", fields=NOTES, context=survey_context, search_filters=survey_filters,
    json_ld=survey_json_ld, data=survey_data,
    tables=(Table("surveys", "One row per survey or report.", TABLE_COLUMNS, survey_rows),
            Table("findings", "One row per finding of a survey: statement, value, unit, year and source.",
                  FINDING_COLUMNS, finding_rows)),
    links=(Link("publishers", "organisation", "publisher", "mention"), Link("cities", "city", "city", "mention"),
           Link("themes", "theme", "theme", "tag")),
    cited=(("findings", "source"),),
    facts=("published", "sample", "findings"), dated_by="published",
    new_front=new_survey, new_options=frozenset({"date"}),
    new_body=("## What it found", "Who ran it, whom it asked, and what it found; say plainly what is not known."),
)
