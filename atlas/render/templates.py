"""The one Jinja environment: strict, autoescaping, with the atlas's filters.

Used by pages.py. Templates fail loudly: an undefined name is an error, not an
empty string.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from atlas import PROJECT_ROOT
from atlas.model import KIND_LABELS
from atlas.render import present

TEMPLATES_DIR = PROJECT_ROOT / "templates"
STATIC_DIR = PROJECT_ROOT / "static"


def make_environment(templates_dir: Path = TEMPLATES_DIR) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(templates_dir)),
        undefined=StrictUndefined,
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update({
        "date": present.format_date,
        "disputed": present.format_disputed,
        "country": present.country_name,
        "region": present.region_of,
        "partnership_kind": present.partnership_kind,
        "count": present.count,
    })
    env.globals["kind_label"] = lambda kind: KIND_LABELS[kind][0]
    return env
