"""What the last build made, so the next one redoes only what changed.

Loaded and saved by pipeline.py (the cache folder, `.atlas-cache/` by default,
is this module's alone); pages.py and search.py ask it before doing work.

- bodies: rendered Markdown, keyed by a hash of the body and of what its links
  and citations resolve to, so Markdown runs only for bodies that changed.
- pages: each output's fingerprint, a hash of everything its page is rendered
  from (the code and templates, the site settings, the entry, and the parts of
  the graph the page shows). A page whose fingerprint is unchanged is not
  rendered again: its bytes are the ones published last time.
- search: the Pagefind bundle, reused while no page that it indexes changed.

A full build and an incremental one give the same bytes: the cache only ever
skips work whose result would be identical. Any change to the atlas's code,
templates or stylesheet starts from an empty cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import weakref
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Callable

from pydantic import BaseModel

from .model import Entry

def _cache_file(output_dir: Path) -> str:
    """One cache file per output folder, so `atlas build` and `atlas serve` do not undo each other."""
    return f"build-{hashlib.sha256(str(Path(output_dir).resolve()).encode()).hexdigest()[:12]}.json"
PROJECT = Path(__file__).resolve().parent.parent


def code_digest() -> str:
    """A hash of everything that shapes output besides content: code, templates, static files, libraries."""
    import folium
    import jinja2
    import markdown
    import nh3

    digest = hashlib.sha256()
    for folder in ("atlas", "templates", "static"):
        for path in sorted((PROJECT / folder).rglob("*")):
            if path.is_file() and path.suffix not in (".pyc",):
                digest.update(path.relative_to(PROJECT).as_posix().encode())
                digest.update(path.read_bytes())
    for module in (folium, jinja2, markdown, nh3):
        digest.update(f"{module.__name__}={getattr(module, '__version__', '')}".encode())
    return digest.hexdigest()


_ENTRY_TOKENS: "weakref.WeakKeyDictionary[Entry, tuple]" = weakref.WeakKeyDictionary()


def stable(value: object) -> object:
    """A plain, ordered form of a value for fingerprints.

    Other entries count by what pages show of them (kind, slug, title, front
    matter), not their text, so editing one body does not touch every page
    that links to it.
    """
    if isinstance(value, Entry):
        token = _ENTRY_TOKENS.get(value)
        if token is None:
            token = _ENTRY_TOKENS[value] = ("entry", value.kind, value.slug, value.title, stable(value.meta))
        return token
    if isinstance(value, BaseModel):
        return (type(value).__name__, value.model_dump_json())
    if is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, *(stable(getattr(value, f.name)) for f in fields(value) if f.repr))
    if isinstance(value, dict):
        return tuple((stable(k), stable(v)) for k, v in value.items())
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [stable(v) for v in value]
        return tuple(sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items)
    return value


def fingerprint(*parts: object) -> str:
    return hashlib.sha256(repr(stable(parts)).encode("utf-8")).hexdigest()


@dataclass
class BuildCache:
    namespace: str
    bodies: dict[str, str] = field(default_factory=dict)
    pages: dict[str, list[str]] = field(default_factory=dict)  # dest -> [fingerprint, sha256 of bytes]
    search: list = field(default_factory=list)  # [digest of indexed pages, [[dest, sha256], ...]]
    previous: Callable[[str], bytes | None] = field(default=lambda dest: None, repr=False)
    rendered: int = 0
    reused: int = 0
    used_bodies: set[str] = field(default_factory=set, repr=False)

    def body(self, key: str, render: Callable[[], str]) -> str:
        self.used_bodies.add(key)
        if key not in self.bodies:
            self.bodies[key] = render()
        return self.bodies[key]

    def page(self, dest: str, key: str, render: Callable[[], bytes]) -> bytes:
        """The page's bytes: last build's when its fingerprint is unchanged, else freshly rendered."""
        known = self.pages.get(dest)
        if known and known[0] == key:
            data = self.previous(dest)
            if data is not None and hashlib.sha256(data).hexdigest() == known[1]:
                self.reused += 1
                return data
        data = render()
        self.rendered += 1
        self.pages[dest] = [key, hashlib.sha256(data).hexdigest()]
        return data

    def reuse_all(self, digest: str) -> list[tuple[str, bytes]] | None:
        """Files recorded under `digest` (the search bundle), if all are still as published."""
        if not self.search or self.search[0] != digest:
            return None
        found = []
        for dest, sha in self.search[1]:
            data = self.previous(dest)
            if data is None or hashlib.sha256(data).hexdigest() != sha:
                return None
            found.append((dest, data))
        return found

    def record_all(self, digest: str, files: list[tuple[str, bytes]]) -> None:
        self.search = [digest, [[dest, hashlib.sha256(data).hexdigest()] for dest, data in files]]


def load_cache(cache_dir: Path | None, output_dir: Path) -> BuildCache:
    """The cache of the last build into `output_dir`, or an empty one."""
    namespace = code_digest()
    previous = _reader(Path(output_dir))
    if cache_dir is None:
        return BuildCache(namespace, previous=previous)
    path = Path(cache_dir) / _cache_file(output_dir)
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return BuildCache(namespace, previous=previous)
    if stored.get("namespace") != namespace or stored.get("output") != str(Path(output_dir).resolve()):
        return BuildCache(namespace, previous=previous)
    return BuildCache(namespace, stored.get("bodies", {}), stored.get("pages", {}), stored.get("search", []),
                      previous=previous)


def save_cache(cache: BuildCache, cache_dir: Path | None, output_dir: Path, dests: set[str]) -> None:
    """Keep what this build used; drop the rest, so the cache does not grow without end."""
    if cache_dir is None:
        return
    folder = Path(cache_dir)
    folder.mkdir(parents=True, exist_ok=True)
    data = {
        "namespace": cache.namespace,
        "output": str(Path(output_dir).resolve()),
        "bodies": {k: v for k, v in cache.bodies.items() if k in cache.used_bodies},
        "pages": {k: v for k, v in cache.pages.items() if k in dests},
        "search": cache.search,
    }
    name = _cache_file(output_dir)
    temporary = folder / f"{name}.{os.getpid()}.tmp"
    temporary.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    temporary.replace(folder / name)
    (folder / name).with_suffix(".path").write_text(str(Path(output_dir).resolve()), encoding="utf-8")
    _prune(folder, keep=name)


def _prune(folder: Path, keep: str) -> None:
    """Forget the caches of output folders that no longer exist (each cache names its folder in a .path file)."""
    for marker in folder.glob("build-*.path"):
        cache_file = marker.with_suffix(".json")
        if cache_file.name == keep:
            continue
        try:
            output = Path(marker.read_text(encoding="utf-8"))
        except OSError:
            continue
        if not output.exists():
            cache_file.unlink(missing_ok=True)
            marker.unlink(missing_ok=True)


def _reader(output_dir: Path) -> Callable[[str], bytes | None]:
    def read(dest: str) -> bytes | None:
        from .writer import safe_dest

        try:
            return safe_dest(output_dir, dest).read_bytes()
        except OSError:
            return None

    return read
