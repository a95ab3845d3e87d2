"""Where each page lives: output paths and URLs, under the site's base path.

Pure functions over slugs; used by pages.py and templates. Every internal link
is built here, so the whole site moves under a sub-path such as /atlas/.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from atlas import kinds


ADMIN = "admin/"  # the browser editor's folder (editing/cms.py): not one of the atlas's pages


@dataclass(frozen=True)
class Urls:
    base_path: str  # "/" or "/atlas/"
    site_url: str | None  # "https://example.org/atlas/" (for canonical links), or None

    @classmethod
    def from_base_url(cls, base_url: str | None) -> "Urls":
        if not base_url:
            return cls("/", None)
        path = urlsplit(base_url).path or "/"
        if not path.endswith("/"):
            path += "/"
        site = base_url if base_url.endswith("/") else base_url + "/"
        return cls(path, site)

    def page(self, route: str) -> str:
        """"cities/lyon/" -> "/atlas/cities/lyon/"; "" -> "/atlas/"."""
        return self.base_path + route

    def entry(self, kind: str, slug: str) -> str:
        return self.page(entry_route(kind, slug))

    def absolute(self, url: str) -> str | None:
        if not self.site_url:
            return None
        return self.site_url + url[len(self.base_path):]


def entry_route(kind: str, slug: str) -> str:
    """"cities/lyon/"; a kind at the root (pages) gives "about/"."""
    if kinds.of_folder(kind).at_root:
        return f"{slug}/"
    return f"{kind}/{slug}/"


def route_to_dest(route: str) -> str:
    """"cities/lyon/" -> "cities/lyon/index.html"; "404.html" stays."""
    if route == "" or route.endswith("/"):
        return route + "index.html"
    return route


def entry_dests(keys) -> set[str]:
    """The files of these entries' pages, from their (kind, slug): {("cities", "lyon")} -> {"cities/lyon/index.html"}."""
    return {route_to_dest(entry_route(kind, slug)) for kind, slug in keys}
