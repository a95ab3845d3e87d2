"""Validate front matter, atlas.yaml and sources.yaml against the content contract.

Runs after sources.py, before gazetteer.py and relations.py. Reads no files.
Each kind of entry has a strict pydantic model: unknown keys, wrong types,
booleans where numbers belong, NaN, impossible dates and out-of-range
coordinates are errors that carry the line of the offending key.
"""

from __future__ import annotations

import copy
import difflib
import functools
import re
from typing import Annotated, Any, Literal, Optional, get_args

from pydantic import AfterValidator, Field, ValidationError, create_model, model_validator

from atlas import kinds
from atlas.content import fields
from atlas.content.fields import (FieldNote, FuzzyDate, Slug, Strict, Text, TextList, Url, check_language, check_repo,
                                  check_tile_url, check_url)
from atlas.content.identity import check_identities
from atlas.errors import ErrorList
from atlas.model import Atlas, Entry
from atlas.content.sources import RawEntry, Sources
from atlas.content.yamlfile import YamlDoc

PARTNERSHIP_KINDS = fields.PARTNERSHIP_KINDS  # the importer's and the CLI's name for them
RESERVED_ROUTES = frozenset({"sources", "partnerships", "assets", "data", "search", "timeline", "feed", "sitemap",
                             "404", "pagefind"})


def reserved_page_slugs() -> frozenset[str]:
    """Names a page at the site's root cannot take: the site's own sections and every kind's folder."""
    return RESERVED_ROUTES | {kind.folder for kind in kinds.registered()}


class SiteConfig(Strict):
    title: Text
    description: Text | None = None
    base_url: Url | None = None
    language: Annotated[str, AfterValidator(check_language)] = "en"
    basemap: Literal["tiles", "countries"] = "tiles"
    tile_url: Annotated[str, AfterValidator(check_tile_url)] | None = None
    tile_attribution: Text | None = None
    cms_backend: Literal["github", "gitlab", "git-gateway"] = "github"
    cms_repo: Annotated[str, AfterValidator(check_repo)] | None = None
    cms_branch: Text = "main"
    cms_auth_url: Url | None = None

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
    kind: Literal["primary", "secondary", "mirror"] | None = None


# --- validation ------------------------------------------------------------

def validate_entries(sources: Sources, errors: ErrorList, *, drafts: bool = False,
                     base_url: str | None = None) -> Atlas:
    """Check every file against its model; return the atlas of valid entries.

    A file with errors (here or in sources.py) is in `Atlas.invalid`, and what
    can be read of it is kept as an entry all the same (salvage_entry), so the
    next stage checks the rest of it in the same run: the build stops before
    anything is rendered, as the errors are reported.
    """
    config = _validate_config(sources, errors, base_url)
    bibliography, bibliography_lines, broken_sources = _validate_bibliography(sources, errors)
    entries: dict[tuple[str, str], Entry] = {}
    invalid: set[tuple[str, str]] = set()
    left_out: set[tuple[str, str]] = set()
    for raw in sources.entries:
        if kinds.of_folder(raw.kind).at_root and raw.slug in reserved_page_slugs():
            errors.error(raw.src, 0, f"a page cannot be called '{raw.slug}': the site uses /{raw.slug}/ itself",
                         "rename the file")
            continue
        entry = validate_entry(raw, errors)
        if entry is None:
            invalid.add((raw.kind, raw.slug))
            entry = salvage_entry(raw)
            if entry is None:
                continue
        if entry.meta.draft and not drafts:
            left_out.add((raw.kind, raw.slug))
            continue
        entries[(raw.kind, raw.slug)] = entry
    for broken in sources.broken:
        invalid.add((broken.kind, broken.slug))
        if broken.body is None:
            continue
        # its front matter could not be read: its text is checked for links and citations
        entry = salvage_entry(RawEntry(broken.kind, broken.slug, broken.src, YamlDoc({}, {}), broken.body,
                                       broken.body_line))
        if entry is not None:
            entries[entry.key] = entry
    check_identities(entries.values(), errors)
    return Atlas(config, entries, bibliography, bibliography_lines, sources.bibliography_src,
                 frozenset(invalid), frozenset(left_out), dict(sources.unparsed), broken_sources)


def validate_entry(raw: RawEntry, errors: ErrorList) -> Entry | None:
    """One file against the model of its kind; None (with errors reported) when it does not fit."""
    kind = kinds.of_folder(raw.kind)
    meta = _validate(kind.model, raw.meta.data, raw.meta, raw.src, errors)
    if meta is None:
        return None
    return Entry(raw.kind, raw.slug, raw.src, getattr(meta, kind.title_field), raw.body, raw.body_line,
                 meta, raw.meta)


def salvage_entry(raw: RawEntry, rounds: int = 4) -> Entry | None:
    """What fits of a file that does not: its front matter without the values that have errors.

    Only for checking what the rest names (partners, networks, links, sources) in
    the same run; never rendered. A required field with an error is None, and a
    list item whose required field has one is left out. None when nothing fits.
    """
    kind = kinds.of_folder(raw.kind)
    model = _lenient(kind.model)
    data = copy.deepcopy(raw.meta.data) if isinstance(raw.meta.data, dict) else {}
    for _ in range(rounds):
        try:
            meta = model.model_validate(data)
        except ValidationError as exc:
            if not _prune(data, exc.errors(include_url=False)):
                return None
            continue
        title = getattr(meta, kind.title_field) or raw.slug
        return Entry(raw.kind, raw.slug, raw.src, title, raw.body, raw.body_line, meta, raw.meta)
    return None


@functools.cache
def _lenient(model: type[Strict]) -> type[Strict]:
    """The model with its required fields optional (None when missing)."""
    optional = {name: (Optional[Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation],
                       None)
                for name, info in model.model_fields.items() if info.is_required()}
    return create_model(f"Salvaged{model.__name__}", __base__=model, **optional) if optional else model


def _prune(data: dict, problems: list[dict]) -> bool:
    """Remove from `data` what each problem is about (a missing field: the item that lacks it)."""
    paths = set()
    for problem in problems:
        path = _data_path(data, problem["loc"])
        if problem["type"] == "missing":
            path = path[:-1]
        if not path:
            return False
        paths.add(path)
    for path in sorted(paths, key=lambda p: [(isinstance(part, str), part) for part in p], reverse=True):
        parent = data
        try:
            for part in path[:-1]:
                parent = parent[part]
            del parent[path[-1]]
        except (KeyError, IndexError, TypeError):  # not a key or item of the data: nothing to leave out
            return False
    return True


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
            config = config.model_copy(update={"base_url": check_url(base_url)})
        except ValueError as exc:
            errors.error("--base-url", 0, str(exc))
    return config


PLACEHOLDER_BASE_URL = "https://example.org/"  # the shipped atlas.yaml's address, to be replaced


def warn_placeholder_base_url(config: SiteConfig, sources: Sources, errors: ErrorList) -> None:
    """A site published with the shipped address points its canonical links and feeds at example.org."""
    if config.base_url == PLACEHOLDER_BASE_URL:
        line = sources.config.line_of(("base_url",)) if sources.config is not None else 0
        errors.warning(sources.config_src, line,
                       f"base_url is still the placeholder {PLACEHOLDER_BASE_URL}: canonical links, feeds and"
                       " the sitemap will point there",
                       "set base_url in atlas.yaml to the site's address, or build with --base-url")


def _validate_bibliography(sources: Sources, errors: ErrorList) -> tuple[dict, dict, frozenset[str]]:
    """(id -> source, id -> line, the ids of sources with errors: citing them is not another error)."""
    doc = sources.bibliography
    src = sources.bibliography_src
    result: dict[str, SourceMeta] = {}
    lines: dict[str, int] = {}
    broken: set[str] = set(_ids_in(sources.unparsed.get(src, "")))
    if doc is None or doc.data is None:
        return result, lines, frozenset(broken)
    if not isinstance(doc.data, list):
        errors.error(src, 1, "sources.yaml must be a list of sources, each starting with `- id: ...`")
        return result, lines, frozenset(_ids_in(str(doc.data)))
    for index, item in enumerate(doc.data):
        line = doc.line_of((index,))
        if not isinstance(item, dict):
            errors.error(src, line, "each source must be a set of `key: value` lines starting with `- id:`")
            continue
        meta = _validate(SourceMeta, item, doc, src, errors, prefix=(index,))
        if meta is None:
            if isinstance(item.get("id"), str):
                broken.add(item["id"])
            continue
        if meta.id in result:
            errors.error(src, line, f"duplicate source id '{meta.id}' (first on line {lines[meta.id]})")
            continue
        result[meta.id] = meta
        lines[meta.id] = line
    return result, lines, frozenset(broken - set(result))


def _ids_in(text: str) -> list[str]:
    """The ids of a sources.yaml that cannot be read as YAML, as far as its lines show them."""
    return re.findall(r"""^[\s-]*id:\s*["']?([^"'\s#,}]+)""", text, re.M)


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
        return f"{field_name}: {message}", getattr(problem.get("ctx", {}).get("error"), "hint", None)
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
    """The fields of the model at `loc`: a list item's own fields (a city's partners) inside the entry's."""
    for part in loc:
        if isinstance(part, str) and part in model.model_fields:
            inner = item_model(model.model_fields[part].annotation)
            if inner is None:
                break
            model = inner
    return list(model.model_fields)


def item_model(annotation: Any) -> type[Strict] | None:
    """PartnerMeta from list[Annotated[PartnerMeta, ...]]: the model of a list's items, if any."""
    if isinstance(annotation, type) and issubclass(annotation, Strict):
        return annotation
    for arg in get_args(annotation):
        found = item_model(arg)
        if found is not None:
            return found
    return None


SITE_NOTES = (
    FieldNote("title", "the site's name"),
    FieldNote("description", "one sentence shown on the home page and in the footer"),
    FieldNote("base_url", "the public address, e.g. `https://example.org/atlas/`; links work under its path"),
    FieldNote("language", "the language tag of the pages (default `en`)"),
    FieldNote("basemap", "`tiles` (default): map tiles from a tile server; `countries`: the site's own country"
              " outlines, so readers' browsers contact no other server"),
    FieldNote("tile_url", "a tile server address with `{z}`, `{x}` and `{y}`; the default is OpenStreetMap's"),
    FieldNote("tile_attribution", "the credit the tile provider requires, shown on every map",
              required="with `tile_url`"),
    FieldNote("cms_backend", "where the browser editor at /admin/ saves: `github` (default), `gitlab` or"
              " `git-gateway` (Netlify Identity)"),
    FieldNote("cms_repo", "the repository edits are committed to, `owner/name`", required="to edit the published site"),
    FieldNote("cms_branch", "the branch edits are committed to (default `main`)"),
    FieldNote("cms_auth_url", "the address of the OAuth service that signs editors in to GitHub or GitLab,"
              " when it is not Netlify's"),
)
SOURCE_NOTES = (
    FieldNote("id", "the id entries cite, lowercase with hyphens"),
    FieldNote("title", "the title of the document or page"),
    FieldNote("authors", "a list of names"),
    FieldNote("publisher", "the organisation or site that published it"),
    FieldNote("year", "the year of publication"),
    FieldNote("date", "a fuller date of publication, `\"YYYY-MM-DD\"`"),
    FieldNote("url", "where to read it"),
    FieldNote("note", "a short note, e.g. \"Press release.\""),
    FieldNote("kind", "`primary` (the city, the network, the official record says it), `secondary` (news,"
              " research, an encyclopaedia) or `mirror` (a copy of someone else's text: LiquiSearch, Scribd"
              " …); `atlas check` reports the share of citations to mirrors"),
)
