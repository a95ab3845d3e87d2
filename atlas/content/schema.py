"""Validate front matter, atlas.yaml and sources.yaml against the content contract.

Runs after sources.py, before gazetteer.py and relations.py. Reads no files.
Each kind of entry has a strict pydantic model: unknown keys, wrong types,
booleans where numbers belong, NaN, impossible dates and out-of-range
coordinates are errors that carry the line of the offending key.
"""

from __future__ import annotations

import difflib
import math
import re
from datetime import date
from typing import Annotated, Any, Literal, Union

import pycountry
from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field,
                      ValidationError, model_validator)

from atlas.errors import ErrorList
from atlas.model import Atlas, Entry
from atlas.content.sources import MAX_SLUG_LENGTH, SLUG, RawEntry, Sources
from atlas.content.yamlfile import YamlDoc

RESERVED_PAGE_SLUGS = frozenset({
    "cities", "networks", "case-studies", "themes", "pages", "sources", "partnerships", "assets", "data",
    "search", "timeline", "feed", "sitemap", "404", "pagefind",
})
PARTNERSHIP_KINDS = ("sister-city", "friendship", "cooperation", "memorandum")
URL_SCHEMES = ("http://", "https://")


# --- field types -----------------------------------------------------------

def _slug(value: str) -> str:
    if not SLUG.match(value) or len(value) > MAX_SLUG_LENGTH:
        raise ValueError(f"'{value}' is not a slug: use lowercase letters, digits and hyphens")
    return value


def _text(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError("must not be empty")
    return value


def _as_written(value: Any) -> str:
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


def _coordinates(value: Any) -> tuple[float, float]:
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        raise ValueError("coordinates must be [latitude, longitude], two numbers")
    lat, lon = value
    for number, name in ((lat, "latitude"), (lon, "longitude")):
        if isinstance(number, bool) or not isinstance(number, (int, float)):
            raise ValueError(f"{name} must be a number in decimal degrees, not {_as_written(number)}")
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
        raise ValueError(f"{_as_written(value)} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")
    if isinstance(value, int):
        if not 1 <= value <= 9999:
            raise ValueError(f"'{value}' is not a year")
        return f"{value:04d}"  # early years sort correctly; shown without the zeros
    text = value.strip()
    match = _DATE.match(text)
    if not match:
        raise ValueError(f"'{value}' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        date(year or 1, month or 1, day or 1)
    except ValueError:
        raise ValueError(f"'{value}' is not a real date") from None
    if year < 1:
        raise ValueError(f"'{value}' is not a real date")
    return text


def _disputed_date(value: Any) -> tuple[str, ...]:
    """One date, or a list of the dates sources give when they differ."""
    if isinstance(value, list):
        if len(value) < 2:
            raise ValueError("a list of dates means sources differ: give at least two, or one plain date")
        return tuple(_unique([_fuzzy_date(v) for v in value]))
    return (_fuzzy_date(value),)


def _url(value: str) -> str:
    value = value.strip()
    if not value.lower().startswith(URL_SCHEMES) or re.search(r"[\s<>\"'`]", value):
        raise ValueError(f"'{value}' is not a web address starting with https:// or http://")
    return value


def _tile_url(value: str) -> str:
    value = _url(value)
    if not all(part in value for part in ("{z}", "{x}", "{y}")):
        raise ValueError("a tile address needs {z}, {x} and {y}, e.g. https://tile.example.org/{z}/{x}/{y}.png")
    return value


def _language(value: str) -> str:
    if not re.match(r"^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8})*$", value):
        raise ValueError(f"'{value}' is not a language tag such as en or pt-BR")
    return value


Text = Annotated[str, AfterValidator(_text)]
Slug = Annotated[str, AfterValidator(_slug)]
SlugList = Annotated[list[Slug], AfterValidator(_unique)]
TextList = Annotated[list[Text], AfterValidator(_unique)]
Country = Annotated[str, AfterValidator(_country)]
Coordinates = Annotated[Any, AfterValidator(_coordinates)]
FuzzyDate = Annotated[Any, AfterValidator(_fuzzy_date)]
DisputedDate = Annotated[Any, AfterValidator(_disputed_date)]
Url = Annotated[str, AfterValidator(_url)]
Confidence = Literal["high", "medium", "low"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Common(Strict):
    summary: Text | None = None
    draft: bool = False
    sources: SlugList = []


class PartnerMeta(Strict):
    city: Slug
    kind: Literal[PARTNERSHIP_KINDS] = "sister-city"  # type: ignore[valid-type]
    since: DisputedDate | None = None
    note: Text | None = None
    sources: SlugList = []
    confidence: Confidence | None = None
    status: Literal["active", "suspended", "ended"] = "active"


def _partner(value: Any) -> Any:
    return {"city": value} if isinstance(value, str) else value


class CityMeta(Common):
    name: Text
    country: Country
    coordinates: Coordinates | None = None
    population: Annotated[int, Field(ge=0, le=100_000_000)] | None = None
    office: Text | None = None
    networks: SlugList = []
    partners: list[Annotated[PartnerMeta, BeforeValidator(_partner)]] = []
    themes: SlugList = []


class NetworkMeta(Common):
    name: Text
    short_name: Text | None = None
    founded: DisputedDate | None = None
    headquarters: Slug | None = None
    members: SlugList = []
    themes: SlugList = []
    website: Url | None = None


class CaseStudyMeta(Common):
    title: Text
    date: DisputedDate | None = None
    cities: Annotated[SlugList, Field(min_length=1)]
    networks: SlugList = []
    themes: SlugList = []
    kind: Text | None = None


class ThemeMeta(Common):
    name: Text
    description: Text | None = None


class PageMeta(Common):
    title: Text
    order: int = 100


class SiteConfig(Strict):
    title: Text
    description: Text | None = None
    base_url: Url | None = None
    language: Annotated[str, AfterValidator(_language)] = "en"
    basemap: Literal["tiles", "countries"] = "tiles"
    tile_url: Annotated[str, AfterValidator(_tile_url)] | None = None
    tile_attribution: Text | None = None

    @model_validator(mode="after")
    def _credit_tiles(self) -> "SiteConfig":
        if self.tile_url and not self.tile_attribution:
            raise ValueError("tile_attribution is required with tile_url: map tiles must be credited")
        return self


class SourceMeta(Strict):
    id: Slug
    title: Text
    authors: TextList = []
    publisher: Text | None = None
    year: Annotated[int, Field(ge=1, le=2200)] | None = None
    date: FuzzyDate | None = None
    url: Url | None = None
    note: Text | None = None


MODELS: dict[str, type[Strict]] = {
    "cities": CityMeta,
    "networks": NetworkMeta,
    "case-studies": CaseStudyMeta,
    "themes": ThemeMeta,
    "pages": PageMeta,
}
TITLE_FIELD = {"cities": "name", "networks": "name", "case-studies": "title", "themes": "name", "pages": "title"}


# --- validation ------------------------------------------------------------

def validate_entries(sources: Sources, errors: ErrorList, *, drafts: bool = False,
                     base_url: str | None = None) -> Atlas:
    """Check every file against its model; return the atlas of valid entries."""
    config = _validate_config(sources, errors, base_url)
    bibliography, bibliography_lines = _validate_bibliography(sources, errors)
    entries: dict[tuple[str, str], Entry] = {}
    invalid: set[tuple[str, str]] = set()
    left_out: set[tuple[str, str]] = set()
    for raw in sources.entries:
        if raw.kind == "pages" and raw.slug in RESERVED_PAGE_SLUGS:
            errors.error(raw.src, 0, f"a page cannot be called '{raw.slug}': the site uses /{raw.slug}/ itself",
                         "rename the file")
            continue
        entry = validate_entry(raw, errors)
        if entry is None:
            invalid.add((raw.kind, raw.slug))
            continue
        if entry.meta.draft and not drafts:
            left_out.add((raw.kind, raw.slug))
            continue
        entries[(raw.kind, raw.slug)] = entry
    return Atlas(config, entries, bibliography, bibliography_lines, sources.bibliography_src,
                 frozenset(invalid), frozenset(left_out))


def validate_entry(raw: RawEntry, errors: ErrorList) -> Entry | None:
    """One file against the model of its kind; None (with errors reported) when it does not fit."""
    meta = _validate(MODELS[raw.kind], raw.meta.data, raw.meta, raw.src, errors)
    if meta is None:
        return None
    return Entry(raw.kind, raw.slug, raw.src, getattr(meta, TITLE_FIELD[raw.kind]), raw.body, raw.body_line,
                 meta, raw.meta)


def _validate_config(sources: Sources, errors: ErrorList, base_url: str | None) -> SiteConfig:
    data = sources.config.data if sources.config else None
    if sources.config is not None and not isinstance(data, dict):
        errors.error(sources.config_src, 1, "atlas.yaml must be a set of `key: value` lines")
        data = None
    if data is not None and base_url:
        data = {**data, "base_url": base_url}
    config = None
    if data is not None:
        config = _validate(SiteConfig, data, sources.config, sources.config_src, errors)
    if config is None:  # keep going so every other file is checked too
        config = SiteConfig(title="Atlas")
    if base_url and config.base_url != base_url:
        try:
            config = config.model_copy(update={"base_url": _url(base_url)})
        except ValueError as exc:
            errors.error("--base-url", 0, str(exc))
    return config


def _validate_bibliography(sources: Sources, errors: ErrorList) -> tuple[dict, dict]:
    doc = sources.bibliography
    src = sources.bibliography_src
    result: dict[str, SourceMeta] = {}
    lines: dict[str, int] = {}
    if doc is None or doc.data is None:
        return result, lines
    if not isinstance(doc.data, list):
        errors.error(src, 1, "sources.yaml must be a list of sources, each starting with `- id: ...`")
        return result, lines
    for index, item in enumerate(doc.data):
        line = doc.line_of((index,))
        if not isinstance(item, dict):
            errors.error(src, line, "each source must be a set of `key: value` lines starting with `- id:`")
            continue
        meta = _validate(SourceMeta, item, doc, src, errors, prefix=(index,))
        if meta is None:
            continue
        if meta.id in result:
            errors.error(src, line, f"duplicate source id '{meta.id}' (first on line {lines[meta.id]})")
            continue
        result[meta.id] = meta
        lines[meta.id] = line
    return result, lines


def _validate(model: type[Strict], data: Any, doc: YamlDoc, src: str, errors: ErrorList,
              prefix: tuple = ()) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for problem in exc.errors(include_url=False):
            loc = _data_path(data, problem["loc"])
            message, hint = _describe(problem, loc, model)
            if not loc and message.startswith("front matter: ") and not src.endswith(".md"):
                message = message[len("front matter: "):]
            errors.error(src, doc.line_of(prefix + loc), message, hint)
        return None


def _data_path(data: Any, loc: tuple) -> tuple:
    """pydantic's error location without the names it adds for union branches ("int",
    "function-after[...]"): only the parts that are keys or indexes of the editor's data.
    A last part that names an unknown key is kept even when it looks like a branch name."""
    path: list = []
    current = data
    for position, part in enumerate(loc):
        if isinstance(current, dict) and part in current:
            path.append(part)
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            path.append(part)
            current = current[part]
        elif position == len(loc) - 1 and isinstance(current, dict):
            path.append(part)  # a missing field or an unknown key
    return tuple(path)


def _describe(problem: dict, loc: tuple, model: type[Strict]) -> tuple[str, str | None]:
    field_name = _field_name(loc)
    kind = problem["type"]
    value = problem.get("input")
    if kind == "missing":
        return f"missing required field '{field_name}'", None
    if kind == "extra_forbidden":
        known = _known_fields(model, loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), known, n=1)
        hint = f"did you mean {close[0]}?" if close else f"known fields: {', '.join(known)}"
        return f"unknown field '{field_name}'", hint
    if kind in ("value_error", "assertion_error"):
        message = str(problem["ctx"].get("error", problem["msg"])) if "ctx" in problem else problem["msg"]
        return f"{field_name}: {message}", None
    if kind == "literal_error":
        return f"{field_name}: '{value}' is not allowed; use one of {problem['ctx']['expected']}", None
    if kind == "bool_type":
        return f"{field_name} must be true or false, not '{value}'", None
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"{field_name} must be a whole number, not {_describe_value(value)}", None
    if kind in ("string_type",):
        if value is None:
            return f"{field_name} must not be empty", None
        return f"{field_name} must be text, not {_describe_value(value)}", "put the value in quotes"
    if kind in ("list_type", "tuple_type"):
        return f"{field_name} must be a list, such as [a, b]", None
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"{field_name} must be a set of `key: value` lines", None
    # The atlas's own words for the rest, from pydantic's error type and context only: its
    # messages change between releases, and an editor's error must not.
    ctx = problem.get("ctx", {})
    if kind == "greater_than_equal":
        return f"{field_name}: {_describe_value(value)} is below the smallest allowed, {ctx['ge']}", None
    if kind == "less_than_equal":
        return f"{field_name}: {_describe_value(value)} is above the largest allowed, {ctx['le']}", None
    if kind == "too_short":
        return f"{field_name}: give at least {present_count(ctx['min_length'], 'item')}", None
    if kind == "too_long":
        return f"{field_name}: give at most {present_count(ctx['max_length'], 'item')}", None
    if kind in ("float_type", "float_parsing", "finite_number"):
        return f"{field_name} must be a number, not {_describe_value(value)}", None
    return f"{field_name}: {_describe_value(value)} is not valid here", None


def present_count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def _field_name(loc: tuple) -> str:
    """("partners", 1, "kind") -> "partners item 2, kind": editors count from 1."""
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int):
            parts.append(f"item {part + 1},")
        else:
            parts.append(str(part))
    return " ".join(parts).rstrip(",") or "front matter"


def _describe_value(value: Any) -> str:
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a set of key: value lines"
    return f"'{value}'"


def _known_fields(model: type[Strict], loc: tuple) -> list[str]:
    if loc and loc[0] == "partners":
        return list(PartnerMeta.model_fields)
    return list(model.model_fields)


def documented_fields() -> dict[str, list[str]]:
    """Every field of every model, for the test that the README documents them all."""
    result = {kind: list(model.model_fields) for kind, model in MODELS.items()}
    result["partners"] = list(PartnerMeta.model_fields)
    result["atlas.yaml"] = list(SiteConfig.model_fields)
    result["sources.yaml"] = list(SourceMeta.model_fields)
    return result
