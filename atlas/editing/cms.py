"""The browser editor at /admin/: Decap CMS's configuration (admin/config.yml), generated from the kinds
registry, and its page.

pipeline.py calls render_admin beside the assets, after validation; its outputs
are published with the assets (a resumed build keeps them as they are), and
left out of the search index, the sitemap and the link check. Pure: walks
each kind's pydantic model, so a field added to a model gets a form widget
with no other change, and its help is the field's note (the same the field
reference and `atlas new` show). What the form cannot check (a source cited
twice, a partner that does not exist) the build still refuses, naming file
and line. The page's policy is render/policy.py's editor_policy.

    >>> collection(kinds.of_name("theme"))["folder"]
    'content/themes'
"""

from __future__ import annotations

import types
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import yaml
from jinja2 import Environment
from pydantic import BaseModel

from atlas import kinds
from atlas.content.fields import (COMMON_NOTES, Coordinates, Country, DisputedDate, FieldNote, FuzzyDate, Slug,
                                  SlugList, Text, TextList, Url, WIKIDATA_ID, Wikidata)
from atlas.kinds.kind import Kind
from atlas.model import Atlas, Output
from atlas.render.assets import Assets
from atlas.render.policy import editor_policy
from atlas.render.urls import ADMIN, Urls

DATE_PATTERN = [r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$",
                "a year (1960), a year and month (1960-05) or a full date (1960-05-09)"]
COUNTRY_PATTERN = ["^[A-Z]{2}$", "two capital letters: the ISO 3166-1 alpha-2 code, such as ES, US or GB"]
SLUG_PATTERN = ["^[a-z0-9]+(-[a-z0-9]+)*$", "lowercase letters, digits and hyphens"]
URL_PATTERN = ["^https?://[^\\s<>\"'`]+$", "a web address starting with https:// or http://"]
WIKIDATA_PATTERN = [WIKIDATA_ID.pattern, "Q and the item's number on wikidata.org, such as Q90"]
SOURCE_FIELDS = ("sources", "source", "status_source")  # fields that hold ids of sources.yaml
LONG_TEXT = ("summary", "description", "note", "reason", "statement")  # several lines rather than one
LOCAL_BACKEND = "http://localhost:8081/api/v1"  # decap-server's address unless `atlas serve --cms` says
# libyaml's emitter writes the same text as PyYAML's own (safe_dump) at a fifth of its time or less
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def render_admin(atlas: Atlas, urls: Urls, assets: Assets, env: Environment, content_folder: str = "content",
                 local_backend: str | None = None) -> list[Output]:
    """admin/index.html, the editor, and admin/config.yml, its forms (one per kind)."""
    config = cms_config(atlas.config, atlas.bibliography, content_folder, site_url=urls.site_url or urls.page(""),
                        local_backend=local_backend)
    text = ("# The browser editor's forms, generated from the atlas's kinds by `atlas build`: edit the models"
            " and their notes,\n# not this file. See docs/editors-guide.md, \"Editing in the browser\".\n"
            + yaml.dump(config, Dumper=_DUMPER, sort_keys=False, allow_unicode=True, width=120))
    page = env.get_template("admin.html").render(
        title=atlas.config.title, policy=editor_policy(atlas.config, local_backend), language=atlas.config.language,
        home=urls.page(""), icon=urls.page("favicon.svg"), stylesheet=assets.cms_css,
        script=assets.cms_js)  # Decap reads config.yml beside the page
    return [Output(ADMIN + "index.html", page.encode("utf-8")), Output(ADMIN + "config.yml", text.encode("utf-8"))]


def cms_config(site: Any, bibliography: dict, content_folder: str = "content", site_url: str = "/",
               local_backend: str | None = None) -> dict:
    """Decap CMS's whole configuration: backend from atlas.yaml, one folder collection per kind.

    `bibliography` maps source ids to their SourceMeta (the choices of every `sources` field);
    `local_backend` is the decap-server address `atlas serve --cms` started, else Decap's default.
    """
    backend = {"name": site.cms_backend, "branch": site.cms_branch}
    if site.cms_repo:
        backend["repo"] = site.cms_repo
    if site.cms_auth_url:
        backend["base_url"] = site.cms_auth_url
    sources = [{"label": f"{meta.title} ({source_id})", "value": source_id}
               for source_id, meta in sorted(bibliography.items())]
    return {
        "backend": backend,
        "local_backend": {"url": local_backend or LOCAL_BACKEND},
        "site_url": site_url,
        "display_url": site_url,  # the header's link back to the atlas
        "logo": {"src": site_url + "favicon.svg", "show_in_header": True},
        "media_folder": "static/uploads",
        "public_folder": "/assets/uploads",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [collection(kind, content_folder, sources) for kind in kinds.registered()],
    }


def collection(kind: Kind, content_folder: str = "content", sources: list | None = None) -> dict:
    """One kind's folder collection: its entries' front matter as form fields, then the Markdown body."""
    notes = {note.name: note for note in (*kind.fields, *COMMON_NOTES)}
    own = [name for name in kind.model.model_fields if name not in {n.name for n in COMMON_NOTES}]
    common = [name for name in kind.model.model_fields if name not in own]
    fields = [field_widget(kind, kind.model, name, notes.get(name), sources or [])
              for name in (*own, *common)]
    heading, prompt = kind.new_body or ("", "The entry's text, in Markdown.")
    fields.append({"label": "Text", "name": "body", "widget": "markdown", "required": False,
                   "modes": ["rich_text", "raw"],
                   "hint": (f"Start with the heading `{heading}`. " if heading else "") + prompt})
    return {
        "name": kind.folder,
        "label": kind.label[1],
        "label_singular": kind.label[0],
        "folder": f"{content_folder}/{kind.folder}",
        "extension": "md",
        "format": "yaml-frontmatter",
        "create": True,
        "slug": "{{slug}}",
        "identifier_field": kind.title_field,
        "summary": "{{" + kind.title_field + "}}",
        "sortable_fields": [kind.title_field],
        "fields": fields,
    }


def field_widget(kind: Kind, model: type[BaseModel], name: str, note: FieldNote | None, sources: list,
                 item: str | None = None) -> dict:
    """The widget of one field of `model` (of the kind's front matter, or of an item of its list `item`)."""
    info = model.model_fields[name]
    annotation = Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
    annotation, optional = _without_none(annotation)
    widget = {"label": name.replace("_", " ").capitalize(), "name": name,
              "required": info.is_required() and not optional, "hint": note.meaning if note else ""}
    notes = {n.name: n for n in note.items} if note else {}
    if isinstance(info.default, str) and info.default:
        widget["default"] = info.default
    elif info.default is False or info.default == []:  # a list starts empty, not with one blank item
        widget["default"] = info.default
    target = _target(kind, name if item is None else item, None if item is None else name)
    return {**widget, **_shape(kind, annotation, name, target, notes, sources)}


def _shape(kind: Kind, annotation: Any, name: str, target: str | None, notes: dict, sources: list) -> dict:
    """What widget a type gets: Decap's widget name and its options."""
    base, metadata = _unannotated(annotation)
    if annotation in (FuzzyDate, DisputedDate):
        return {"widget": "string", "pattern": DATE_PATTERN}
    if annotation == Coordinates:
        return {"widget": "list", "field": {"label": "Degrees", "name": "degrees", "widget": "number",
                                             "value_type": "float", "min": -180, "max": 180},
                "min": 2, "max": 2, "summary": "{{fields.degrees}}",
                "label_singular": "latitude, then longitude"}
    if annotation == Country:
        return {"widget": "string", "pattern": COUNTRY_PATTERN}
    if annotation == Url:
        return {"widget": "string", "pattern": URL_PATTERN}
    if annotation == Wikidata:
        return {"widget": "string", "pattern": WIKIDATA_PATTERN}
    if annotation == Slug:
        return _relation(target, sources, multiple=False)
    if annotation == SlugList or (get_origin(base) is list and _unannotated(get_args(base)[0])[0] is str
                                  and get_args(base)[0] == Slug):
        return {**_relation(target, sources, multiple=True), **_limits(metadata, "min_length", "max_length")}
    if annotation == TextList:
        return {"widget": "list"}
    if get_origin(base) is Literal:
        return {"widget": "select", "options": list(get_args(base))}
    if base is bool:
        return {"widget": "boolean"}
    if base in (int, float):
        return {"widget": "number", "value_type": "int" if base is int else "float", **_limits(metadata, "ge", "le")}
    if isinstance(base, type) and issubclass(base, BaseModel):
        return {"widget": "object", "collapsed": False,
                "fields": [field_widget(kind, base, field, notes.get(field), sources, item=name)
                           for field in base.model_fields]}
    if get_origin(base) is list:
        items = _item_model(get_args(base)[0])
        if items is not None:
            return {"widget": "list", "collapsed": False, "label_singular": name.replace("_", " ").rstrip("s"),
                    "fields": [field_widget(kind, items, field, notes.get(field), sources, item=name)
                               for field in items.model_fields]}
        return {"widget": "list"}
    if annotation == Text and name in LONG_TEXT:
        return {"widget": "text"}
    return {"widget": "string"}


def _relation(target: str | None, sources: list, multiple: bool) -> dict:
    """A picker of the atlas's own entries (or of its sources) by name; a plain slug where none is known."""
    if target == "sources":
        if not sources:
            return {"widget": "list"} if multiple else {"widget": "string", "pattern": SLUG_PATTERN}
        return {"widget": "select", "options": sources, "multiple": multiple}
    if target is None:
        return {"widget": "list"} if multiple else {"widget": "string", "pattern": SLUG_PATTERN}
    title = kinds.of_folder(target).title_field
    return {"widget": "relation", "collection": target, "value_field": "{{slug}}", "search_fields": [title],
            "display_fields": [title], "options_length": 50, "multiple": multiple}


def _target(kind: Kind, field: str, item: str | None) -> str | None:
    """The folder of the kind a slug field names ("cities"), "sources" for source ids, or None.

    The kind's links say it (`Link("networks", "network", item="network")`); a field named like a kind
    (a partner's `city`) names that kind.
    """
    if (item or field) in SOURCE_FIELDS:
        return "sources"
    for link in kind.links:
        if link.field == field and link.item == item:
            return kinds.of_name(link.to).folder
    name = item or field
    found = [k.folder for k in kinds.registered() if name in (k.name, k.folder)]
    return found[0] if found else None


def _without_none(annotation: Any) -> tuple[Any, bool]:
    """X from X | None, and whether None was allowed."""
    if get_origin(annotation) in (Union, types.UnionType):
        args = [arg for arg in get_args(annotation) if arg is not type(None)]
        if len(args) < len(get_args(annotation)):
            return (args[0] if len(args) == 1 else Union[tuple(args)]), True
    return annotation, False


def _unannotated(annotation: Any) -> tuple[Any, list]:
    """(int, [Ge(0), ...]) from Annotated[int, Field(ge=0)]."""
    metadata: list = []
    while get_origin(annotation) is Annotated:
        annotation, *extra = get_args(annotation)
        metadata = extra + metadata
    flat = []
    for meta in metadata:
        flat += getattr(meta, "metadata", None) or [meta]  # a FieldInfo holds its constraints
    return annotation, flat


def _limits(metadata: list, low: str, high: str) -> dict:
    names = {low: "min", high: "max"}
    return {names[key]: getattr(meta, key) for meta in metadata for key in names if getattr(meta, key, None) is not None}


def _item_model(annotation: Any) -> type[BaseModel] | None:
    base, _ = _unannotated(annotation)
    return base if isinstance(base, type) and issubclass(base, BaseModel) else None
