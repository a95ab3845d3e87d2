"""editing/cms.py and render/admin.py: the browser editor's forms come from the kinds registry.

Every field of every kind's model has a form widget, of the kind its type asks
for; a field added to a model appears with no other change; the published
admin/ page has a policy of its own and stays out of the search, the sitemap
and the link check. (The forms in use: tests/browser/test_cms_in_browser.py.)
"""

from __future__ import annotations

import dataclasses
import html
import re

import pytest
import yaml
from pydantic import create_model

from atlas import kinds
from atlas.content.fields import COMMON_NOTES, FuzzyDate, Slug, SlugList, Text
from atlas.content.schema import SiteConfig, SourceMeta
from atlas.editing.cms import DATE_PATTERN, cms_config, collection
from atlas.render.policy import editor_policy
from conftest import build_site, city

COMMON = [note.name for note in COMMON_NOTES]  # the fields every entry has, after a kind's own

SITE = SiteConfig(title="Atlas", cms_repo="example/atlas")
BIBLIOGRAPHY = {"unesco-2020": SourceMeta(id="unesco-2020", title="A report")}


def fields_of(form: dict, name: str) -> dict:
    return next(field for field in form["fields"] if field["name"] == name)


def widgets(fields: list[dict], prefix: str = ""):
    """(path, widget) of every field, nested ones included: ("partners.city", {...})."""
    for field in fields:
        yield prefix + field["name"], field
        yield from widgets(field.get("fields", []), prefix + field["name"] + ".")


@pytest.mark.parametrize("kind", kinds.registered(), ids=lambda kind: kind.name)
def test_every_field_of_every_kind_has_a_widget_and_the_body_is_markdown(kind):
    form = collection(kind, sources=[{"label": "A report", "value": "unesco-2020"}])
    assert form["folder"] == f"content/{kind.folder}" and form["identifier_field"] == kind.title_field
    assert [field["name"] for field in form["fields"][:-1]] == sorted(
        kind.model.model_fields, key=[*(n for n in kind.model.model_fields if n not in COMMON),
                                      *COMMON].index)
    for path, widget in widgets(form["fields"]):
        assert widget["widget"] in {"string", "text", "number", "boolean", "select", "relation", "list", "object",
                                    "markdown"}, path
        assert widget["label"] and isinstance(widget["required"], bool), path
    assert form["fields"][-1] == {**form["fields"][-1], "name": "body", "widget": "markdown"}


@pytest.mark.parametrize("kind", kinds.registered(), ids=lambda kind: kind.name)
def test_required_fields_are_required_and_help_is_the_field_reference_note(kind):
    form = collection(kind)
    notes = {note.name: note.meaning for note in kind.fields}
    for name, info in kind.model.model_fields.items():
        widget = fields_of(form, name)
        assert widget["required"] == info.is_required(), name
        if name in notes:
            assert widget["hint"] == notes[name]


CITY = collection(kinds.of_name("city"), sources=[{"label": "A report (unesco-2020)", "value": "unesco-2020"}])


@pytest.mark.parametrize("path, expected", [
    ("country", {"widget": "string", "pattern": ["^[A-Z]{2}$", re.compile("ISO 3166-1")]}),
    ("population", {"widget": "number", "value_type": "int", "min": 0, "max": 100_000_000}),
    ("coordinates", {"widget": "list", "min": 2, "max": 2}),
    ("partners", {"widget": "list", "default": []}),
    ("partners.city", {"widget": "relation", "collection": "cities", "value_field": "{{slug}}",
                       "search_fields": ["name"], "multiple": False, "required": True}),
    ("partners.kind", {"widget": "select", "options": ["sister-city", "friendship", "cooperation", "memorandum"],
                       "default": "sister-city"}),
    ("partners.since", {"widget": "string", "pattern": DATE_PATTERN, "required": False}),
    ("partners.status", {"widget": "select", "options": ["active", "suspended", "ended"]}),
    ("partners.sources", {"widget": "select", "multiple": True,
                          "options": [{"label": "A report (unesco-2020)", "value": "unesco-2020"}]}),
    ("partners.status_source", {"widget": "select", "multiple": False}),
    ("networks.network", {"widget": "relation", "collection": "networks", "search_fields": ["name"]}),
    ("networks.role", {"widget": "select", "default": "member"}),
    ("themes", {"widget": "relation", "collection": "themes", "multiple": True}),
    ("summary", {"widget": "text"}),
    ("draft", {"widget": "boolean", "default": False}),
])
def test_the_city_form_has_the_widget_each_field_asks_for(path, expected):
    widget = dict(widgets(CITY["fields"]))[path]
    for key, value in expected.items():
        if isinstance(value, list) and value and isinstance(value[-1], re.Pattern):
            assert widget[key][:-1] == value[:-1] and value[-1].search(widget[key][-1]), (path, key)
        else:
            assert widget[key] == value, (path, key)


@pytest.mark.parametrize("kind, path, folder", [
    ("network", "members.city", "cities"), ("network", "headquarters", "cities"),
    ("organisation", "parent", "organisations"), ("organisation", "head.person", "people"),
    ("initiative", "participants.person", "people"), ("event", "host", "cities"),
    ("person", "roles.organisation", "organisations"), ("survey", "publishers", "organisations"),
    ("case-study", "people", "people"), ("case-study", "cities", "cities"),
])
def test_relation_pickers_search_the_kind_a_field_names(kind, path, folder):
    widget = dict(widgets(collection(kinds.of_name(kind))["fields"]))[path]
    assert (widget["widget"], widget["collection"]) == ("relation", folder)


def test_a_case_study_needs_a_city_in_the_form_as_in_the_build():
    cities = fields_of(collection(kinds.of_name("case-study")), "cities")
    assert (cities["required"], cities["min"], cities["multiple"]) == (True, 1, True)


@pytest.mark.parametrize("text, accepted", [("1960", True), ("1960-05", True), ("1960-05-09", True),
                                            ("1960-13", False), ("60", False), ("1960-5-9", False),
                                            ("May 1960", False)])
def test_date_fields_accept_the_atlas_date_forms(text, accepted):
    assert bool(re.match(DATE_PATTERN[0], text)) is accepted


def test_a_field_added_to_a_kinds_model_appears_in_the_form_with_no_other_change():
    city_kind = kinds.of_name("city")
    model = create_model("TwinnedCityMeta", __base__=city_kind.model, mayor=(Text | None, None),
                         elected=(FuzzyDate | None, None), sister=(Slug | None, None), rivals=(SlugList, []))
    form = collection(dataclasses.replace(city_kind, model=model))
    added = {name: fields_of(form, name) for name in ("mayor", "elected", "sister", "rivals")}
    assert added["mayor"] == {"label": "Mayor", "name": "mayor", "required": False, "hint": "", "widget": "string"}
    assert added["elected"]["pattern"] == DATE_PATTERN
    assert added["sister"]["widget"] == "string"  # a slug of no known kind: a plain slug
    assert added["rivals"] == {**added["rivals"], "widget": "list", "default": []}


def test_a_registered_kind_gets_its_own_form():
    from kinds.award import KIND as AWARD

    with kinds.registering(AWARD):
        config = cms_config(SITE, BIBLIOGRAPHY)
    form = next(c for c in config["collections"] if c["name"] == "awards")
    assert form["folder"] == "content/awards"
    assert fields_of(form, "cities")["collection"] == "cities"


def test_the_backend_comes_from_atlas_yaml_and_the_local_backend_from_atlas_serve():
    site = SiteConfig(title="Atlas", cms_backend="gitlab", cms_repo="team/atlas", cms_branch="live",
                      cms_auth_url="https://auth.example.org")
    config = cms_config(site, {}, site_url="https://example.org/", local_backend="http://127.0.0.1:9000/api/v1")
    assert config["backend"] == {"name": "gitlab", "branch": "live", "repo": "team/atlas",
                                 "base_url": "https://auth.example.org"}
    assert config["local_backend"] == {"url": "http://127.0.0.1:9000/api/v1"}
    assert config["display_url"] == "https://example.org/"
    assert cms_config(SITE, {})["local_backend"] == {"url": "http://localhost:8081/api/v1"}


def test_the_editors_policy_allows_what_decap_needs_and_nothing_else():
    policy = dict(part.split(" ", 1) for part in editor_policy(SITE, "http://127.0.0.1:9000/api/v1").split("; "))
    assert policy["script-src"] == "'self' 'unsafe-eval'"
    assert policy["connect-src"] == "'self' http://127.0.0.1:9000 https://api.github.com"
    assert policy["style-src"] == "'self' 'unsafe-inline'"
    assert policy["default-src"] == "'none'" and policy["object-src"] == "'none'"


def test_a_repository_in_atlas_yaml_must_be_owner_and_name():
    with pytest.raises(ValueError, match="not a repository such as owner/name"):
        SiteConfig(title="Atlas", cms_repo="https://github.com/example/atlas")


def test_the_built_site_publishes_the_editor_outside_search_sitemap_and_the_other_pages_policy(make_site, tmp_path):
    make_site(tmp_path, {"atlas.yaml": "title: Atlas\nbase_url: https://example.org/\ncms_repo: example/atlas\n",
                         "cities/lyon.md": city("Lyon", "FR", "[45.76, 4.84]")})
    build_site()
    output = tmp_path / "output"
    config = yaml.safe_load((output / "admin/config.yml").read_text(encoding="utf-8"))
    assert config["backend"]["repo"] == "example/atlas"
    assert [c["name"] for c in config["collections"]] == list(kinds.folders())
    page = html.unescape((output / "admin/index.html").read_text(encoding="utf-8"))
    script = re.search(r'<script src="([^"]+)"', page).group(1)
    assert (output / script.lstrip("/")).stat().st_size > 1_000_000  # Decap CMS, from npm
    assert "'unsafe-eval'" in page and "Back to the atlas" in page
    assert "admin" not in (output / "sitemap.xml").read_text(encoding="utf-8")
    assert "unsafe-eval" not in (output / "cities/lyon/index.html").read_text(encoding="utf-8")
    assert not any("admin" in path.name for path in (output / "pagefind").rglob("*"))


def test_the_published_editor_edits_the_repositorys_content_folder_wherever_the_build_read_it(make_site, tmp_path):
    make_site(tmp_path, {"atlas.yaml": "title: Atlas\n", "cities/lyon.md": city("Lyon", "FR", "[45.76, 4.84]")})
    (tmp_path / "content").rename(tmp_path / "checkout")
    build_site(content=tmp_path / "checkout")
    config = yaml.safe_load((tmp_path / "output/admin/config.yml").read_text(encoding="utf-8"))
    assert config["collections"][0]["folder"] == "content/cities"


def test_the_editors_config_file_is_the_text_pyyamls_own_emitter_writes(make_site, tmp_path):
    """config.yml is written with libyaml's emitter for speed; its text must not change for that."""
    make_site(tmp_path, {"atlas.yaml": "title: Atlas — Städte\ncms_repo: example/atlas\n",
                         "cities/lyon.md": city("Lyon", "FR", "[45.76, 4.84]")})
    build_site()
    text = (tmp_path / "output/admin/config.yml").read_text(encoding="utf-8")
    config = yaml.safe_load(text)
    assert text.endswith(yaml.safe_dump(config, sort_keys=False, allow_unicode=True, width=120))
