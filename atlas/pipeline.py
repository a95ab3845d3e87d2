"""The build, top to bottom: load -> validate -> resolve -> render -> write.

Each stage takes plain objects and returns plain objects; only the first
reads content/ and only the last writes output/. Every content problem is
collected before anything is written, so a broken file never publishes.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from .assets import collect_assets
from .audit import audit_atlas
from .cache import BuildCache, load_cache, save_cache
from .errors import AtlasError, ContentError, ErrorList, Problem
from .feeds import render_feeds
from .linkcheck import check_links
from .data import render_data
from .model import Output
from .pages import render_pages
from .policy import render_headers
from .relations import Graph, resolve_links
from .schema import validate_entries
from .search import index_pages
from .sources import load_sources
from .templates import TEMPLATES_DIR, make_environment
from .urls import Urls
from .writer import WriteReport, write_site


@dataclass(frozen=True)
class Config:
    content_dir: Path = Path("content")
    output_dir: Path = Path("output")
    base_url: str | None = None
    drafts: bool = False
    templates_dir: Path = TEMPLATES_DIR
    cache_dir: Path | None = None  # None: no cache, every page is rendered (the CLI uses .atlas-cache)
    background_cleanup: bool = False  # atlas serve: delete the replaced site after answering
    strict: bool = False  # fail on warnings (with check's advice) and on broken links in the built site


@dataclass
class BuildReport:
    pages: int = 0
    files: int = 0
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    rendered: int = 0  # pages rendered, as opposed to reused from the cache
    seconds: float = 0.0
    warnings: list[Problem] = field(default_factory=list)

    def summary(self) -> str:
        return (f"built {self.pages:,} pages ({self.rendered:,} rendered; {self.files:,} files: {self.written:,} written, "
                f"{self.unchanged:,} unchanged, {self.removed:,} removed) in {self.seconds:.1f} s, "
                f"{len(self.warnings)} warning{'s' if len(self.warnings) != 1 else ''}")


def check(config: Config, advice: bool = False) -> tuple[ErrorList, Graph | None]:
    """Validate and resolve the content without rendering or writing anything.

    With `advice`, also warn about orphan pages and facts without a source.
    """
    errors = ErrorList()
    sources = load_sources(config.content_dir, errors, label=_label(config.content_dir))
    atlas = validate_entries(sources, errors, drafts=config.drafts, base_url=config.base_url)
    graph = resolve_links(atlas, errors)
    if advice:
        audit_atlas(atlas, graph, errors)
    return errors, graph


def render(config: Config, cache: BuildCache | None = None, progress=None) -> tuple[list[Output], ErrorList]:
    """Every output file of the site, in memory; raises ContentError on content errors."""
    errors = ErrorList()
    sources = load_sources(config.content_dir, errors, label=_label(config.content_dir))
    atlas = validate_entries(sources, errors, drafts=config.drafts, base_url=config.base_url)
    graph = resolve_links(atlas, errors)
    if config.strict:
        audit_atlas(atlas, graph, errors)
        if errors.warnings:
            raise ContentError(errors.problems)
    errors.raise_if_any()  # stop before rendering or writing anything
    urls = Urls.from_base_url(atlas.config.base_url)
    assets, asset_outputs = collect_assets(urls, atlas.config)
    env = make_environment(config.templates_dir)
    pages = render_pages(atlas, graph, env, urls, assets, cache, progress)
    data = render_data(atlas, graph, urls)
    search_index = index_pages(pages, atlas.config.language, cache)
    feeds = render_feeds(atlas, [page.dest for page in pages], urls)
    return asset_outputs + pages + search_index + data + feeds + [render_headers(atlas.config)], errors


def build(config: Config, progress=None) -> BuildReport:
    started = time.perf_counter()
    cache = load_cache(config.cache_dir, config.output_dir)
    outputs, errors = render(config, cache, progress)
    if config.strict:
        broken = check_links(outputs, Urls.from_base_url(_base_url(config, outputs)).base_path)
        if broken:
            raise BrokenLinksError(broken)
    written: WriteReport = write_site(outputs, config.output_dir, config.background_cleanup)
    save_cache(cache, config.cache_dir, config.output_dir, {o.dest for o in outputs})
    return BuildReport(
        rendered=cache.rendered,
        pages=sum(1 for o in outputs if o.dest.endswith(".html")),
        files=len(outputs),
        written=written.written,
        unchanged=written.unchanged,
        removed=written.removed,
        seconds=time.perf_counter() - started,
        warnings=errors.warnings,
    )


class BrokenLinksError(AtlasError):
    """--strict found links in the built site that lead nowhere; nothing was written."""

    def __init__(self, broken: list) -> None:
        self.broken = broken
        super().__init__("\n".join(str(link) for link in broken))


def _base_url(config: Config, outputs: list[Output]) -> str | None:
    """The base URL the site was rendered for (from --base-url or atlas.yaml, as render saw it)."""
    if config.base_url:
        return config.base_url
    home = next((o for o in outputs if o.dest == "index.html"), None)
    if home is None:
        return None
    match = re.search(rb'<link rel="canonical" href="([^"]+)"', home.data)
    return match.group(1).decode() if match else None


def _label(path: Path) -> str:
    """How error messages name the content folder: as the user gave it."""
    text = Path(path).as_posix()
    return text[2:] if text.startswith("./") else text
