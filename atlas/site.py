"""What a build starts from and leaves behind, shared by pipeline.py and serve/.

Config is a build's settings and BuildReport what it did; SiteState is the resolved atlas of a good build,
which atlas serve's quick rebuilds (serve/live.py) start from; PublishGate lets
atlas serve cancel a build that newer edits overtook (BuildCancelled) and keep
writers to output/ in turn. Plain data: runs no stage. May import content,
graph and render (for the types it holds), errors, model.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable

from jinja2 import Environment

from atlas.errors import AtlasError, Problem
from atlas.graph.relations import Graph
from atlas.model import Atlas
from atlas.render.assets import Assets
from atlas.render.templates import TEMPLATES_DIR
from atlas.render.urls import Urls


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
    today: date | None = None  # dates after it are errors; None: the system's date (tests fix it)
    cms_backend: str | None = None  # the decap-server address `atlas serve --cms` runs, for admin/config.yml


@dataclass
class SiteState:
    """The resolved atlas of a good build: what atlas serve's quick rebuilds start from."""

    config: Config
    atlas: Atlas
    graph: Graph
    urls: Urls  # the addresses the site was rendered for: --strict checks links against them
    assets: Assets
    env: Environment
    asset_dests: tuple[str, ...] = ()  # the files collect_assets made: a resumed build publishes them as they are
    tokens: Any = None  # incremental.dependencies.Tokens of its atlas and graph, once its pages are rendered
    units: dict = field(default_factory=dict)  # what each unit of pages read (the cache's records), once published
    edited: set = field(default_factory=set)  # (kind, slug) of entries atlas serve changed since, in place
    readers: dict | None = None  # (kind, slug) -> units that read it, made when atlas serve first needs it


@dataclass
class BuildReport:
    pages: int = 0
    files: int = 0
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    rendered: int = 0  # pages rendered, as opposed to reused from the cache
    resumed: bool = False  # started from the last build's snapshot: only entries' text had changed
    seconds: float = 0.0
    warnings: list[Problem] = field(default_factory=list)
    state: SiteState | None = field(default=None, repr=False)
    stages: dict[str, float] = field(default_factory=dict)  # seconds per stage
    peak_memory: dict[str, int] = field(default_factory=dict)  # KiB, peak so far at the end of each stage

    def summary(self) -> str:
        return (f"built {self.pages:,} pages ({self.rendered:,} rendered; {self.files:,} files: {self.written:,} written, "
                f"{self.unchanged:,} unchanged, {self.removed:,} removed) in {self.seconds:.1f} s, "
                f"{len(self.warnings)} warning{'s' if len(self.warnings) != 1 else ''}")


class BuildCancelled(AtlasError):
    """A newer edit arrived: this build's result would be out of date, so it published nothing."""


@dataclass
class PublishGate:
    """Lets atlas serve cancel a build that newer edits overtook, and keep writers to output/ in turn."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    published: Callable[[SiteState, int], None] | None = None  # called under the lock after publishing
    cancelled: threading.Event = field(default_factory=threading.Event)

    def checkpoint(self) -> None:
        if self.cancelled.is_set():
            raise BuildCancelled("cancelled: the content changed while it was building")
