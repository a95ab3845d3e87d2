"""The initiative: a pledge, declaration, programme, coalition, campaign or fund that cities join.

content/initiatives/<slug>.md, shown at /initiatives/<slug>/ with a map of the
cities taking part; initiatives/ lists them. Who convenes it, who takes part (with
roles and dates) and its headline figures, each with the date it is true at and
its source. Launched initiatives are on the timeline.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, ValidationInfo, field_validator

from atlas.content.fields import (THEMES_NOTE, Common, DisputedDate, FieldNote, FuzzyDate, HintedError, SlugList,
                                  Text, Url)
from atlas.editing.values import NewOptions, check_date, yaml_text
from atlas.kinds.cast import (FIGURE_NOTES, Figure, Party, as_list, check_after, citation_numbers, figure_value,
                              json_ld_party, party_links, party_notes, party_rows)
from atlas.kinds.kind import Column, Kind, Link, Table, entries_of, tag_filters
from atlas.maps.spec import MapSpec
from atlas.model import Entry

INITIATIVE_KINDS = ("pledge", "declaration", "programme", "coalition", "campaign", "fund", "other")
CONVENORS = ("organisation", "network", "city")  # what may convene an initiative


class InitiativeMeta(Common):
    name: Text
    short_name: Text | None = None
    kind: Literal[INITIATIVE_KINDS] | None = None  # type: ignore[valid-type]
    launched: DisputedDate | None = None
    ended: FuzzyDate | None = None
    convenor: Annotated[list[Party], BeforeValidator(as_list)] = []
    participants: list[Party] = []
    themes: SlugList = []
    figures: list[Figure] = []
    website: Url | None = None

    @field_validator("ended")
    @classmethod
    def _after_the_launch(cls, ended: str | None, info: ValidationInfo) -> str | None:
        return check_after(info.data.get("launched"), ended, "the launch",
                           "`launched` is when it began, `ended` when it ended")

    @field_validator("convenor")
    @classmethod
    def _no_person(cls, convenor: list[Party]) -> list[Party]:
        if any(party.person for party in convenor):
            raise HintedError("a convenor is an organisation, a network or a city, not a person",
                              "name the person among the `participants`, with their role")
        return convenor


NOTES = (
    FieldNote("name", "the initiative's name"),
    FieldNote("short_name", "a short name or acronym (`GCoM`)", "GCoM"),
    FieldNote("kind", f"one of {', '.join(f'`{k}`' for k in INITIATIVE_KINDS)}", "declaration"),
    FieldNote("launched", "when it was launched: a date, or a list of dates when sources differ", '"2018-12"'),
    FieldNote("ended", "when it ended or merged into another; not before `launched`", "2016"),
    FieldNote("convenor", "who convenes it: an item (or a list of them) naming one `organisation`, `network` or"
              " `city`, with a `role`", "{network: c40}"),
    FieldNote("participants", "cities, organisations, networks and people taking part, with the fields below",
              "", items=party_notes("participant"), items_title="**Participants** (items of an initiative's"
              " `participants` and an event's `participants`)"),
    THEMES_NOTE,
    FieldNote("figures", "headline figures, each with the fields below", "",
              items=FIGURE_NOTES, items_title="**Figures and findings** (items of an initiative's `figures` and a"
              " survey's `findings`)"),
    FieldNote("website", "its web address (`https://...`)", "https://example.org/"),
)


def initiative_context(initiative: Entry, page: Any) -> dict:
    site = page.site
    meta = initiative.meta
    numbers = citation_numbers(initiative, site.graph)
    participants = party_rows(site, meta.participants, numbers)
    cities = [row["entry"] for row in participants if row["entry"].kind == "cities"]
    points = tuple(p for p in (page.place_point(c.slug, "city") for c in cities) if p)
    return {
        "convenors": party_rows(site, meta.convenor, numbers),
        "participants": participants,
        "figures": figure_rows(meta.figures, numbers),
        "themes": site.entries(("themes", s) for s in meta.themes),
        "map": page.map_block(MapSpec(f"Map of the cities in {initiative.title} that the atlas holds", points)),
    }


def figure_rows(figures: list[Figure], numbers: dict[str, int]) -> list[dict]:
    return [{"statement": f.statement, "value": figure_value(f), "year": f.year or "",
             "cites": [(numbers[f.source], f.source)] if f.source in numbers else []} for f in figures]


def initiative_filters(initiative: Entry, atlas: Any, graph: Any) -> list[tuple[str, str]]:
    meta = initiative.meta
    parties = [*meta.convenor, *meta.participants]
    cities = entries_of(atlas, "cities", [p.city for p in parties if p.city])
    return tag_filters(atlas, cities, [p.network for p in parties if p.network], meta.themes)


def initiative_json_ld(initiative: Entry, base: dict, atlas: Any, graph: Any) -> dict:
    meta = initiative.meta
    data = {**base, "@type": "Project"}
    if meta.short_name:
        data["alternateName"] = meta.short_name
    if meta.launched and len(meta.launched) == 1:
        data["foundingDate"] = meta.launched[0]
    if meta.ended:
        data["dissolutionDate"] = meta.ended
    if meta.website:
        data["sameAs"] = meta.website
    convenors = [found for found in (json_ld_party(atlas, p) for p in meta.convenor) if found]
    if convenors:
        data["parentOrganization"] = convenors if len(convenors) > 1 else convenors[0]
    members = [found for found in (json_ld_party(atlas, p) for p in meta.participants) if found]
    if members:
        data["member"] = members
    return data


def party_data(parties: list[Party]) -> list[dict]:
    return [{"kind": p.named[0], "slug": p.named[1], "role": p.role, "since": p.since, "until": p.until,
             "sources": list(p.sources)} for p in parties]


def initiative_data(initiative: Entry, graph: Any) -> dict:
    meta = initiative.meta
    return {"name": initiative.title, "short_name": meta.short_name, "kind": meta.kind,
            "launched": list(meta.launched or ()), "ended": meta.ended, "convenor": party_data(meta.convenor),
            "participants": party_data(meta.participants), "themes": list(meta.themes),
            "figures": [f.model_dump() for f in meta.figures], "website": meta.website}


TABLE_COLUMNS = (
    Column("slug", "string", "the initiative's slug, its permanent id in the atlas"),
    Column("name", "string", "its name"),
    Column("kind", "string", "pledge, declaration, programme, coalition, campaign, fund or other"),
    Column("launched", "string", "when it was launched; dates joined by ' or ' where sources differ"),
    Column("ended", "string", "when it ended, if it has"),
    Column("convenors", "string", "slugs of who convenes it, separated by spaces"),
    Column("participants", "integer", "how many cities, organisations, networks and people in the atlas take part"),
    Column("themes", "string", "theme slugs, separated by spaces"),
    Column("url", "string", "its page in the atlas"),
)
PARTICIPANT_COLUMNS = (
    Column("initiative", "string", "the initiative's slug"),
    Column("participant_kind", "string", "city, organisation, network or person"),
    Column("participant", "string", "the participant's slug"),
    Column("role", "string", "its role, where given"),
    Column("since", "string", "when it joined: YYYY, YYYY-MM or YYYY-MM-DD"),
    Column("until", "string", "when it left, if it has"),
    Column("sources", "string", "source ids, separated by spaces"),
)


def initiative_rows(initiative: Entry, graph: Any, url: str) -> list[list]:
    meta = initiative.meta
    return [[initiative.slug, initiative.title, meta.kind or "", " or ".join(meta.launched or ()), meta.ended or "",
             " ".join(p.named[1] for p in meta.convenor), len(meta.participants), " ".join(meta.themes), url]]


def participant_rows(initiative: Entry, graph: Any, url: str) -> list[list]:
    return [[initiative.slug, *p.named, p.role or "", p.since or "", p.until or "", " ".join(p.sources)]
            for p in initiative.meta.participants]


def new_initiative(name: str, options: NewOptions) -> tuple[list[str], list[str]]:
    """The name, and the launch date when `--date` gives one."""
    front = [f"name: {yaml_text(name)}"]
    if options.date:
        front.append(f"launched: {json.dumps(check_date(options.date))}")
    return front, []


KIND = Kind(
    name="initiative", folder="initiatives", label=("Initiative", "Initiatives"), model=InitiativeMeta,
    title_field="name", template="initiative.html", fields=NOTES, context=initiative_context,
    search_filters=initiative_filters, json_ld=initiative_json_ld, data=initiative_data,
    tables=(Table("initiatives", "One row per initiative: pledges, declarations, programmes, coalitions, funds.",
                  TABLE_COLUMNS, initiative_rows),
            Table("initiative-participants", "One row per participant of an initiative, with role and dates.",
                  PARTICIPANT_COLUMNS, participant_rows)),
    links=(*party_links("convenor", "convening", CONVENORS), *party_links("participants", "participant"),
           Link("themes", "theme", "theme", "tag")),
    cited=(("convenor", "sources"), ("participants", "sources"), ("figures", "source")),
    facts=("launched", "ended", "convenor", "participants", "figures"), dated_by="launched",
    new_front=new_initiative, new_options=frozenset({"date"}),
    new_body=("## What it commits to", "What taking part means, who started it, and what it has achieved."),
)
