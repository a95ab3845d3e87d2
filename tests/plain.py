"""An atlas made in memory, for tests of the stages after schema.py that need no files,
and its pages rendered through the real templates.

    atlas_of({"case-studies/expo.md": "title: Expo\\ncities: [lyon]\\n"}, description="Ties.")
    pages = pages_of(atlas); render_timeline(pages); html_of(pages)["timeline/index.html"]
"""

from __future__ import annotations

import html
import re

from atlas.content.schema import SiteConfig, SourceMeta, validate_entry
from atlas.content.sources import RawEntry
from atlas.content.yamlfile import load_yaml
from atlas.errors import ErrorList
from atlas.graph.relations import resolve_links
from atlas.incremental.cache import BuildCache
from atlas.model import Atlas
from atlas.render.assets import Assets
from atlas.render.markup import MarkdownRenderer
from atlas.render.site import Pages, SiteView
from atlas.render.templates import make_environment
from atlas.render.urls import Urls


def atlas_of(files: dict[str, str], title: str = "Atlas", description: str | None = None,
             sources: dict[str, str] | None = None) -> Atlas:
    """The atlas of these front matters (path under content/ -> YAML text, which starts on line 2),
    and of these sources (id -> title)."""
    errors = ErrorList()
    entries = {}
    for path, front in files.items():
        folder, name = path.split("/")
        raw = RawEntry(folder, name.removesuffix(".md"), f"content/{path}", load_yaml(front, 2), "",
                       front.count("\n") + 3)
        entry = validate_entry(raw, errors)
        assert entry is not None, [str(p) for p in errors.problems]
        entries[entry.key] = entry
    bibliography = {source_id: SourceMeta(id=source_id, title=name) for source_id, name in (sources or {}).items()}
    lines = {source_id: 1 + 2 * index for index, source_id in enumerate(bibliography)}
    return Atlas(SiteConfig(title=title, description=description), entries, bibliography, lines,
                 "content/sources.yaml")


def pages_of(atlas: Atlas) -> Pages:
    """A page emitter for this atlas (its graph resolved, with no errors), rendering through the real templates."""
    errors = ErrorList()
    graph = resolve_links(atlas, errors)
    assert errors.errors == [], [str(p) for p in errors.errors]
    assets = Assets("/assets/atlas.css", "/assets/site.js", "/assets/map.js", (), ())
    site = SiteView(atlas, graph, Urls.from_base_url(None), assets)
    return Pages(site, make_environment(), MarkdownRenderer(), BuildCache(namespace=""))


def html_of(pages: Pages) -> dict[str, str]:
    """What the emitter holds: output path -> its HTML."""
    return {output.dest: output.data.decode("utf-8") for output in pages.outputs}


def text(fragment: str) -> str:
    """The text a reader sees in an HTML fragment: no tags, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split()).replace(" ,", ",").replace(" .", ".")


def table_rows(page: str) -> list[list[str]]:
    """The text of each cell of each row in the page's table bodies."""
    bodies = re.findall(r"<tbody>(.*?)</tbody>", page, re.S)
    return [[text(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for body in bodies for row in re.findall(r"<tr(?:\s[^>]*)?>(.*?)</tr>", body, re.S)]


def section(page: str, heading_id: str) -> str:
    """The HTML of the <section> labelled by the heading with this id."""
    found = re.search(rf'<section aria-labelledby="{heading_id}"[^>]*>(.*?)</section>', page, re.S)
    assert found, f"no section {heading_id!r}"
    return found.group(1)


def lede(page: str) -> str:
    """The text of the page's lede, the paragraph under its title."""
    return text(re.search(r'<p class="lede">(.*?)</p>', page, re.S).group(1))
