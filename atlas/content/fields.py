"""The field types every kind's model is made of, and the notes that document fields.

A leaf of the package: imports no other atlas module, so the kinds (atlas/kinds/),
schema.py and sources.py can all build on it. Slugs are defined here too: what a
file name, a link target and a slug field may be.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal

import pycountry
from pydantic import AfterValidator, BaseModel, ConfigDict

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_SLUG_LENGTH = 80
URL_SCHEMES = ("http://", "https://")
PARTNERSHIP_KINDS = ("sister-city", "friendship", "cooperation", "memorandum")
PARTNERSHIP_STATUSES = ("active", "suspended", "ended")
# the roles a city may hold in a network, as front matter spells them (docs/editors-guide.md: "Add a network")
MEMBERSHIP_ROLES = ("member", "founding-member", "steering-committee", "chair", "co-chair", "secretariat-host")
TERM_ROLES = ("steering-committee", "chair", "co-chair")  # held for a term: its end does not end the membership


def make_slug(name: str) -> str:
    """A slug from a display name: "São Paulo" -> "sao-paulo"."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:MAX_SLUG_LENGTH].strip("-")


@dataclass(frozen=True)
class FieldNote:
    """What a field means, in the words of docs/field-reference.md and of `atlas new`.

    `example` is the value `atlas new` writes in the field's commented-out line (None:
    the field is not offered there); `required` replaces the reference's yes/no when the
    rule is subtler ("with `tile_url`"); `items` documents the fields of each item of
    a list of mappings (a city's partners), under the heading `items_title`.
    """

    name: str
    meaning: str
    example: str | None = None
    required: str | None = None
    items: tuple["FieldNote", ...] = ()
    items_title: str = ""


class HintedError(ValueError):
    """A value's error that tells the editor how to fix it: reported as the message, then `hint: ...`."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.hint = hint


def check_slug(value: str) -> str:
    if not SLUG.match(value) or len(value) > MAX_SLUG_LENGTH:
        raise ValueError(f"'{value}' is not a slug: use lowercase letters, digits and hyphens")
    return value


def _text(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError("must not be empty")
    return value


def as_written(value: Any) -> str:
    """A value as the editor typed it: true, not True; nothing, not None."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing"
    return f"'{value}'"


def _unique(values: list) -> list:
    seen = set()
    for value in values:
        if value in seen:
            raise ValueError(f"'{value}' is listed twice")
        seen.add(value)
    return values


def _country(value: str) -> str:
    code = value.strip().upper()
    if len(code) == 2 and pycountry.countries.get(alpha_2=code):
        return code
    if code == "UK":
        raise ValueError("'UK' is not an ISO 3166-1 code; the United Kingdom is GB")
    if code == "XK":  # Kosovo: user-assigned code, widely used
        return code
    try:
        match = pycountry.countries.lookup(value.strip())
        raise ValueError(f"'{value}' is not an ISO 3166-1 alpha-2 code; did you mean {match.alpha_2} ({match.name})?")
    except LookupError:
        raise ValueError(f"'{value}' is not an ISO 3166-1 alpha-2 country code, such as ES or US") from None


MAX_REGION_LENGTH = 60


def _region(value: str) -> str:
    """A state, province or region of a country, as plain text: "Ohio", "Castilla-La Mancha"."""
    value = _text(value)
    if "\n" in value:
        raise ValueError("must be on one line")
    if len(value) > MAX_REGION_LENGTH:
        raise ValueError(f"give at most {MAX_REGION_LENGTH} characters (the state, province or region's name)")
    return value


def _coordinates(value: Any) -> tuple[float, float]:
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        raise ValueError("coordinates must be [latitude, longitude], two numbers")
    lat, lon = value
    for number, name in ((lat, "latitude"), (lon, "longitude")):
        if isinstance(number, bool) or not isinstance(number, (int, float)):
            raise ValueError(f"{name} must be a number in decimal degrees, not {as_written(number)}")
        if not math.isfinite(number):
            raise ValueError(f"{name} must be a finite number")
    if not -90 <= lat <= 90:
        raise ValueError(f"latitude {lat} is outside -90..90"
                         + (" (are latitude and longitude swapped?)" if -90 <= lon <= 90 else ""))
    if not -180 <= lon <= 180:
        raise ValueError(f"longitude {lon} is outside -180..180")
    return (float(lat), float(lon))


_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def _fuzzy_date(value: Any) -> str:
    """A year, year-month or full date, normalised to text: 1963, "2016-02"."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ValueError(f"{as_written(value)} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")
    if isinstance(value, int):
        if not 1 <= value <= 9999:
            raise ValueError(f"'{value}' is not a year")
        return f"{value:04d}"  # early years sort correctly; shown without the zeros
    text = value.strip()
    match = _DATE.match(text)
    if not match:
        raise ValueError(f"'{value}' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(g) if g else None for g in match.groups())
    try:  # month 00 and day 00 are not dates: only a missing part stands for "some time in"
        date(year, 1 if month is None else month, 1 if day is None else day)
    except ValueError:
        raise ValueError(f"'{value}' is not a real date") from None
    return text


def _disputed_date(value: Any) -> tuple[str, ...]:
    """One date, or a list of the dates sources give when they differ."""
    if isinstance(value, list):
        if len(value) < 2:
            raise ValueError("a list of dates means sources differ: give at least two, or one plain date")
        return tuple(_unique([_fuzzy_date(v) for v in value]))
    return (_fuzzy_date(value),)


def check_url(value: str) -> str:
    value = value.strip()
    if not value.lower().startswith(URL_SCHEMES) or re.search(r"[\s<>\"'`]", value):
        raise ValueError(f"'{value}' is not a web address starting with https:// or http://")
    return value


def check_tile_url(value: str) -> str:
    value = check_url(value)
    if not all(part in value for part in ("{z}", "{x}", "{y}")):
        raise ValueError("a tile address needs {z}, {x} and {y}, e.g. https://tile.example.org/{z}/{x}/{y}.png")
    return value


def check_language(value: str) -> str:
    if not re.match(r"^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8})*$", value):
        raise ValueError(f"'{value}' is not a language tag such as en or pt-BR")
    return value


WIKIDATA_ID = re.compile(r"^Q[1-9][0-9]*$")
WIKIDATA_ITEM = "https://www.wikidata.org/wiki/"  # + a Q-id: the item's page, and its id as linked data


def check_wikidata(value: str) -> str:
    """A Wikidata item's id, `Q` and digits: "Q90". A pasted address or a lower-case q gets a hint."""
    if WIKIDATA_ID.match(value):
        return value
    found = re.search(r"(?:^|[/=:])[Qq]([1-9][0-9]*)\s*$", value.strip())
    hint = (f"write wikidata: Q{found.group(1)}" if found
            else "find the item on https://www.wikidata.org/ and copy the Q-number after its title, such as Q90")
    raise HintedError(f"{as_written(value)} is not a Wikidata id: write Q and its number, such as Q90", hint)


def wikidata_url(item: str) -> str:
    """The item's page, its id as linked data (schema.org `sameAs`): Q90 -> https://www.wikidata.org/wiki/Q90."""
    return WIKIDATA_ITEM + item


def check_repo(value: str) -> str:
    if not re.match(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", value):
        raise ValueError(f"'{value}' is not a repository such as owner/name")
    return value


Text = Annotated[str, AfterValidator(_text)]
Slug = Annotated[str, AfterValidator(check_slug)]
SlugList = Annotated[list[Slug], AfterValidator(_unique)]
TextList = Annotated[list[Text], AfterValidator(_unique)]
Country = Annotated[str, AfterValidator(_country)]
Region = Annotated[str, AfterValidator(_region)]
Coordinates = Annotated[Any, AfterValidator(_coordinates)]
FuzzyDate = Annotated[Any, AfterValidator(_fuzzy_date)]
DisputedDate = Annotated[Any, AfterValidator(_disputed_date)]
Url = Annotated[str, AfterValidator(check_url)]
Wikidata = Annotated[str, AfterValidator(check_wikidata)]
Confidence = Literal["high", "medium", "low"]
Role = Literal[MEMBERSHIP_ROLES]  # type: ignore[valid-type]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Common(Strict):
    summary: Text | None = None
    draft: bool = False
    sources: SlugList = []
    wikidata: Wikidata | None = None


COMMON_NOTES = (
    FieldNote("summary", "one plain sentence for lists and the page description",
              "One sentence for lists and previews."),
    FieldNote("draft", "`true` leaves the entry out unless the build is run with `--drafts`", "true"),
    FieldNote("sources", "source ids (from `sources.yaml`) backing the entry's front-matter facts", "[source-id]"),
    FieldNote("wikidata", "the entry's item on Wikidata (wikidata.org): `Q` and its number, such as `Q90` for Paris;"
              " no two entries may give the same one", "Q…"),
)
THEMES_NOTE = FieldNote("themes", "theme slugs", "[climate]")  # the themes an entry is tagged with
DATE_NOTE = "`YYYY`, `\"YYYY-MM\"` or `\"YYYY-MM-DD\"`; a list of dates when sources differ"
ROLE_NOTE = ("`member` (default), `founding-member`, `steering-committee`, `chair` (a network's president too),"
             " `co-chair` (or co-president) or `secretariat-host` (the city hosts the network's secretariat);"
             " the end of a `steering-committee`, `chair` or `co-chair` term does not end the membership")


def membership_notes(other: str, what: str, example: str) -> tuple[FieldNote, ...]:
    """The fields of one dated membership, declared on a city (`other`: network) or a network (city)."""
    return (
        FieldNote(other, f"the {what}'s slug", example),
        FieldNote("since", f"when the membership or role began: {DATE_NOTE}", "2005"),
        FieldNote("until", f"when it ended (left out while it lasts): {DATE_NOTE}", "2019"),
        FieldNote("role", ROLE_NOTE, "founding-member"),
        FieldNote("sources", "source ids for this membership and its dates", "[source-id]"),
    )
