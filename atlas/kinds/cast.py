"""What the kinds of city diplomacy's cast share: dated terms, the parties an entry names, headline figures.

Imported by organisation.py, initiative.py, event.py, person.py and survey.py.
A party is one item of a list such as `participants: [{city: lyon, role: host,
since: 2016}]`: it names exactly one city, organisation, network or person.
Terms (`since`, `until`) are checked here: `until` may not come before `since`.
"""

from __future__ import annotations

import math
from typing import Annotated, Any

from pydantic import AfterValidator, model_validator

from atlas.content.fields import FieldNote, FuzzyDate, HintedError, Slug, SlugList, Strict, Text, as_written
from atlas.kinds.kind import Link
from atlas.render import present

PARTY_KINDS = ("city", "organisation", "network", "person")  # the keys a party may name an entry with


def check_term(since: str | None, until: str | None) -> None:
    """`until` must not be before `since`; dates of different precision are compared as far as both go."""
    if since and until:
        common = min(len(since), len(until))
        if until[:common] < since[:common]:
            raise HintedError(f"until {present.format_date(until)} is before since {present.format_date(since)}",
                              "check the two dates: `since` is when it began, `until` when it ended")


def check_after(first: tuple[str, ...] | None, last: str | None, first_name: str, hint: str) -> str | None:
    """A field's date that must not come before the first of another's: an event's `end` after its `date`."""
    if first and last:
        common = min(len(first[0]), len(last))
        if last[:common] < first[0][:common]:
            raise HintedError(f"{present.format_date(last)} is before {first_name}, {present.format_date(first[0])}",
                              hint)
    return last


def term_text(since: str | None, until: str | None) -> str:
    """"2016–2019", "since 2021", "until 2019", or "" when neither is known."""
    if since and until:
        return f"{present.format_date(since)}–{present.format_date(until)}"
    if since:
        return f"since {present.format_date(since)}"
    if until:
        return f"until {present.format_date(until)}"
    return ""


class Party(Strict):
    """One city, organisation, network or person an entry names, with its role and dates."""

    city: Slug | None = None
    organisation: Slug | None = None
    network: Slug | None = None
    person: Slug | None = None
    role: Text | None = None
    since: FuzzyDate | None = None
    until: FuzzyDate | None = None
    sources: SlugList = []

    @model_validator(mode="after")
    def _one_entry(self) -> "Party":
        named = [key for key in PARTY_KINDS if getattr(self, key)]
        if len(named) != 1:
            given = f"it names {' and '.join(named)}" if named else "it names none"
            raise HintedError(f"name exactly one city, organisation, network or person ({given})",
                              "write one item per entry, such as `- {city: lyon, role: host}`")
        check_term(self.since, self.until)
        return self

    @property
    def named(self) -> tuple[str, str]:
        """(the kind's name, slug) of the entry it names: ("city", "lyon")."""
        key = next(key for key in PARTY_KINDS if getattr(self, key))
        return key, getattr(self, key)


def as_list(value: Any) -> Any:
    """One mapping where a list of them is allowed: `convenor: {network: c40}` -> a list of one."""
    return [value] if isinstance(value, dict) else value


def party_links(field: str, what: str, keys: tuple[str, ...] = PARTY_KINDS) -> tuple[Link, ...]:
    """The links of a list of parties: "Referenced by" on each city, organisation, network and person named."""
    return tuple(Link(field, key, f"{what} {key}", "mention", item=key) for key in keys)


def party_notes(what: str, keys: tuple[str, ...] = PARTY_KINDS, dated: bool = True) -> tuple[FieldNote, ...]:
    """The field notes of a party's keys, for the field reference and `atlas new`."""
    notes = [FieldNote(key, f"the slug of the {key} ({'one of ' + ', '.join(f'`{k}`' for k in keys)})",
                       example) for key, example in (("city", "lyon"), ("organisation", "lyon-international-office"),
                                                     ("network", "c40"), ("person", "anne-hidalgo"))
             if key in keys]
    notes.append(FieldNote("role", f"what the {what} did or was (`host`, `founding member`, `speaker` ...)",
                           "founding member"))
    if dated:
        notes += [FieldNote("since", "`YYYY`, `\"YYYY-MM\"` or `\"YYYY-MM-DD\"`", "2018"),
                  FieldNote("until", "when it ended; not before `since`", "2020")]
    notes.append(FieldNote("sources", "source ids for this item", "[source-id]"))
    return tuple(notes)


def _figure_value(value: Any) -> Any:
    """A number, or words where the source gives none ("majority"): anything else is one error."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        shown = "a list" if isinstance(value, list) else "a set of key: value lines" if isinstance(value, dict) \
            else f"{str(value).lower()} (a yes/no value)" if isinstance(value, bool) else as_written(value)
        raise HintedError(f"must be a number or words, not {shown}", "write `86`, or words such as `majority`")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("must be a finite number")
    if isinstance(value, str) and not value.strip():
        raise ValueError("must not be empty")
    return value.strip() if isinstance(value, str) else value


class Figure(Strict):
    """A headline figure or a survey's finding: what was counted or found, the value, and its source."""

    statement: Text
    value: Annotated[Any, AfterValidator(_figure_value)] = None
    unit: Text | None = None
    year: FuzzyDate | None = None
    source: Slug | None = None


FIGURE_NOTES = (
    FieldNote("statement", "what was counted or found, in a sentence", "Cities with an international office"),
    FieldNote("value", "the number (`86`), or words when the source gives no number (`majority`)", "86"),
    FieldNote("unit", "what the value counts: `percent`, `cities`, `USD` ...", "percent"),
    FieldNote("year", "the date the figure is true at: `YYYY`, `\"YYYY-MM\"` or `\"YYYY-MM-DD\"`", "2020"),
    FieldNote("source", "the id of the source that gives it", "source-id"),
)


def figure_value(figure: Figure) -> str:
    """"86 percent", "USD 1,000,000", "majority": a figure's value and unit as readers see them."""
    value = figure.value
    if value is None:
        return "not given"
    shown = f"{value:,}" if isinstance(value, (int, float)) else str(value)
    if figure.unit == "percent" and isinstance(value, (int, float)):
        return f"{shown}%"
    if figure.unit in ("USD", "EUR"):
        return f"{figure.unit} {shown}"
    return f"{shown} {figure.unit}" if figure.unit and figure.unit != "qualitative" else shown


def party_rows(site: Any, parties: list[Party], numbers: dict[str, int]) -> list[dict]:
    """What a page shows of each party: the entry it names, its role, its term and its source marks."""
    from atlas import kinds  # the registry holds the kinds: ask it at render time

    rows = []
    for party in parties:
        kind, slug = party.named
        entry = site.entry(kinds.of_name(kind).folder, slug)
        if entry is None:
            continue
        rows.append({"entry": entry, "kind": kinds.of_name(kind).label[0], "role": party.role or "",
                     "term": term_text(party.since, party.until),
                     "cites": [(numbers[s], s) for s in party.sources if s in numbers]})
    return rows


def citation_numbers(entry: Any, graph: Any) -> dict[str, int]:
    """Source id -> its number in the entry's list of sources."""
    return {source_id: index + 1 for index, source_id in enumerate(graph.citations.get(entry.key, []))}


def json_ld_party(site_atlas: Any, party: Party) -> dict | None:
    """schema.org for the entry a party names: a City, an Organization or a Person."""
    from atlas import kinds

    kind, slug = party.named
    entry = site_atlas.get(kinds.of_name(kind).folder, slug)
    if entry is None:
        return None
    return {"@type": {"city": "City", "person": "Person"}.get(kind, "Organization"), "name": entry.title}
