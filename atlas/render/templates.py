"""The one Jinja environment: strict, autoescaping, with the atlas's filters.

Used by pages.py. Templates come from templates/, and from a kind's own
template_dir when it brings its template along. Templates fail loudly: an undefined name is an error, not an
empty string.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import (ChoiceLoader, Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined,
                    select_autoescape)

from atlas import PROJECT_ROOT
from atlas import kinds
from atlas.content.fields import wikidata_url
from atlas.render import present

TEMPLATES_DIR = PROJECT_ROOT / "templates"
STATIC_DIR = PROJECT_ROOT / "static"


def make_environment(templates_dir: Path = TEMPLATES_DIR, cache_dir: Path | None = None) -> Environment:
    """With a cache folder, the templates' compiled code is kept in it (Jinja checks each against its
    source): a build after one edit renders a page or two, and compiling them was a tenth of its time."""
    bytecode = None
    if cache_dir is not None:
        folder = Path(cache_dir) / "templates"
        folder.mkdir(parents=True, exist_ok=True)
        bytecode = FileSystemBytecodeCache(str(folder))
    env = Environment(
        bytecode_cache=bytecode,
        loader=ChoiceLoader([FileSystemLoader(str(templates_dir)),
                             *(FileSystemLoader(str(kind.template_dir)) for kind in kinds.registered()
                               if kind.template_dir is not None)]),
        undefined=StrictUndefined,
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update({
        "date": present.format_date,
        "disputed": present.format_disputed,
        "disputed_note": present.format_disputed_note,
        "country": present.country_name,
        "region": present.region_of,
        "shown_region": present.shown_region,
        "partnership_kind": present.partnership_kind,
        "count": present.count,
        "role": present.role_name,
        "tie_status": present.tie_status,
        "period": present.period,
        "wikidata_url": wikidata_url,
    })
    env.globals["kind_label"] = kinds.label
    return env


def compile_templates(env: Environment) -> None:
    """Compile every template now, before render workers fork: they inherit them compiled, where each
    would otherwise compile base.html, macros.html and the others it uses for itself."""
    for name in env.list_templates(filter_func=lambda name: name.endswith(".html")):
        env.get_template(name)
