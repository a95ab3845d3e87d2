"""The open data's Frictionless Data Package: data/datapackage.json, describing every published CSV file.

Used by data.py, which passes the tables it publishes (each kind's tables, from
the registry, and the partnerships and memberships): the columns a CSV file is
written with are the ones described here, so the two cannot part. Reads no files.
See https://specs.frictionlessdata.io/data-package/ and .../table-schema/.
"""

from __future__ import annotations

from dataclasses import dataclass

from atlas.content.fields import make_slug
from atlas.model import Atlas
from atlas.render.urls import Urls

LICENCE = {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0 International",
           "path": "https://creativecommons.org/licenses/by/4.0/"}


@dataclass(frozen=True)
class PublishedTable:
    """A CSV file of the open data: data/<name>.csv."""

    name: str  # "cities"
    description: str
    columns: tuple  # of kinds.Column: name, type, description


def data_package(atlas: Atlas, urls: Urls, tables: list[PublishedTable]) -> dict:
    """The package: the atlas's title, the licence of the data (CC BY 4.0), its sources and a resource per table."""
    config = atlas.config
    package: dict = {
        "profile": "tabular-data-package",
        "name": make_slug(config.title) or "atlas",
        "title": config.title,
        "description": (f"{config.description} " if config.description else "")
        + "Every table of the atlas's open data; each fact cites its source (see atlas.json and the sources below).",
        "licenses": [LICENCE],
    }
    if urls.site_url:
        package["homepage"] = urls.site_url
    package["sources"] = [{"title": source.title, **({"path": source.url} if source.url else {})}
                          for _, source in sorted(atlas.bibliography.items())]
    package["resources"] = [{
        "name": table.name,
        "path": f"{table.name}.csv",
        "profile": "tabular-data-resource",
        "title": table.name.replace("-", " ").capitalize(),
        "description": table.description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "licenses": [LICENCE],
        "schema": {"fields": [{"name": column.name, "type": column.type, "description": column.description}
                              for column in table.columns],
                   "missingValues": [""]},
    } for table in tables]
    return package
