"""What the last build made, so the next one redoes only what changed.

Loaded and saved by pipeline.py (the cache folder, `.atlas-cache/` by default,
belongs to this module and snapshot.py; store.py reads and writes its files);
pages.py and search.py ask it before doing work.

- bodies: rendered Markdown, keyed by a hash of the body and of what its links
  and citations resolve to, so Markdown runs only for bodies that changed.
- pages: each output's fingerprint, a hash of what its page is rendered from
  (the site settings, the template's name, the page's context: its entry, the
  entries and parts of the graph it shows), and what its template read through
  `site` while it rendered, each with its token (dependencies.py). A page whose
  fingerprint and every recorded token are unchanged is not rendered again: its
  bytes are the ones published last time.
- units: each call that emits pages (an entry's page, a kind's index pages,
  the timeline: render/site.py's Pages.unit), with its fingerprint (settings
  and the inputs it was given), everything it read while it ran, in its
  context and its templates, each with its token, and the pages it made. A
  unit whose fingerprint and reads are unchanged is not run at all: its pages
  are the ones published last time, and their contexts are not even computed.
- readers: which units read something of each entry (records.py), so that a
  build that knows the edited entries (resume.py) compares only their readers'
  records; and the tokens of the graph's relations that units read.
- file sets: each Pagefind bundle (shard), reused while no page that it indexes
  changed, and each data file, reused while the entries and graph it lists are.
- sources: each content file as parsed last time, reused while its size, times
  and inode are unchanged (a second file, read only when a build parses content).
- trees: what output/ and its spare held after the last publish
  (publish/known.py), which the writer trusts while their folders are unchanged.

The cache is a pickle, read with the garbage collector paused: it holds tens
of thousands of small objects at 10,000 cities, and JSON or a collecting
garbage collector triple the time it takes to load.

A full build and an incremental one give the same bytes: the cache only ever
skips work whose result would be identical. Any change to the atlas's code,
templates or stylesheet starts from an empty cache.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import weakref
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Callable

from pydantic import BaseModel

from atlas import PROJECT_ROOT
from atlas.errors import AtlasError
from atlas.incremental.records import encoded_reads, unit_reads, update_readers
from atlas.incremental.store import cache_file, prune, read_pickle, write_pickle
from atlas.model import Entry, Output




def code_digest() -> str:
    """A hash of everything that shapes output besides content: code, templates, static files, libraries."""
    from importlib.metadata import PackageNotFoundError, version

    digest = hashlib.sha256()
    for folder in ("atlas", "templates", "static"):
        _add_folder(digest, PROJECT_ROOT / folder, PROJECT_ROOT)
    for package in ("folium", "jinja2", "markdown", "nh3", "pagefind"):  # versions, without importing them
        try:
            digest.update(f"{package}={version(package)}".encode())
        except PackageNotFoundError:
            digest.update(f"{package}=?".encode())
    return digest.hexdigest()


def _add_folder(digest, folder: Path, relative_to: Path) -> None:
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix not in (".pyc",):
            digest.update(path.relative_to(relative_to).as_posix().encode())
            digest.update(path.read_bytes())


def _namespace(templates_dir: Path | None) -> str:
    """code_digest(), and the templates a build uses when they are not the project's own."""
    namespace = code_digest()
    if templates_dir is None or Path(templates_dir).resolve() == PROJECT_ROOT / "templates":
        return namespace
    digest = hashlib.sha256(namespace.encode())
    _add_folder(digest, Path(templates_dir), Path(templates_dir))
    return digest.hexdigest()


_ENTRY_TOKENS: "weakref.WeakKeyDictionary[Entry, tuple]" = weakref.WeakKeyDictionary()
_PLAIN = frozenset({str, int, float, bool, type(None), bytes})
_FIELDS: dict[type, tuple[str, ...]] = {}
ENTRY_VIEWS: dict[type, Callable[[object], object]] = {}  # views of an entry (dependencies.py) -> their stable form


def entry_token(entry: Entry) -> tuple:
    """What pages show of an entry other than its own: kind, slug, and a digest of title and front matter.

    Other entries count by this token, not their text, so editing one body does
    not touch every page that links to it. Computed once per entry.
    """
    token = _ENTRY_TOKENS.get(entry)
    if token is None:
        digest = hashlib.sha256(f"{entry.title}\0{entry.meta.model_dump_json()}".encode("utf-8")).hexdigest()[:24]
        token = _ENTRY_TOKENS[entry] = ("entry", entry.kind, entry.slug, digest)
    return token


def remember_entry_tokens(tokens: dict[Entry, tuple]) -> None:
    """Tokens entry_token gave these entries in an earlier process (the snapshot keeps them with its atlas)."""
    _ENTRY_TOKENS.update(tokens)


def stable(value: object) -> object:
    """A plain, ordered form of a value for fingerprints (entries by their token)."""
    cls = type(value)
    if cls in _PLAIN:
        return value
    if cls is tuple or cls is list:
        if all(type(v) in _PLAIN for v in value):  # most are (an entry's token, a list of slugs)
            return value if cls is tuple else tuple(value)
        return tuple([stable(v) for v in value])
    if cls is dict:
        return tuple([(stable(k), stable(v)) for k, v in value.items()])
    if cls is Entry:
        return entry_token(value)
    if cls in ENTRY_VIEWS:
        return ENTRY_VIEWS[cls](value)
    names = _FIELDS.get(cls)
    if names is not None:
        return (cls.__name__, *[stable(getattr(value, name)) for name in names])
    if isinstance(value, BaseModel):
        return (cls.__name__, value.model_dump_json())
    if is_dataclass(value) and not isinstance(value, type):
        _FIELDS[cls] = tuple(f.name for f in fields(value) if f.repr)
        return stable(value)
    if isinstance(value, (set, frozenset)):
        return tuple(sorted((stable(v) for v in value), key=repr))
    if isinstance(value, (list, tuple)):
        return tuple([stable(v) for v in value])
    if isinstance(value, dict):
        return tuple([(stable(k), stable(v)) for k, v in value.items()])
    return value  # str, int and float subclasses, such as Markup, as they are


def fingerprint(*parts: object) -> str:
    return hashlib.sha256(repr(stable(parts)).encode("utf-8")).hexdigest()


@dataclass
class BuildCache:
    namespace: str
    bodies: dict[str, str] = field(default_factory=dict)  # digest -> rendered text: Markdown bodies, fragments
    pages: dict[str, list] = field(default_factory=dict)  # dest -> [fingerprint, sha256, size, mtime_ns, reads]
    file_sets: dict = field(default_factory=dict)  # digest of their inputs -> [[dest, sha256, size, mtime_ns], ...]
    units: dict[str, list] = field(default_factory=dict)  # name -> [fingerprint, reads, [dest, ...]]
    readers: dict = field(default_factory=dict)  # (kind, slug) or "entries" -> the units that read it (records.py)
    relations: dict = field(default_factory=dict)  # ("relation", ...) -> its token in the graph (pipeline sets it)
    search_shards: dict = field(default_factory=dict)  # bundle -> [digest of its pages, fingerprint of their dests]
    trees: object = None  # what output/ and its spare held after the last publish (publish/known.py's KnownTrees)
    last_built: dict = field(default_factory=dict, repr=False)  # dest -> sha256 of the page the last build published
    published: Callable[[str], str | None] = field(default=lambda dest: None, repr=False)  # dest -> its path in output/
    rendered: int = 0
    reused: int = 0
    load_parsed: Callable[[], dict] = field(default=lambda: {}, repr=False)  # the sources file, read when first asked
    used_bodies: set[str] = field(default_factory=set, repr=False)
    fresh_bodies: set[str] = field(default_factory=set, repr=False)  # rendered by this build
    fresh_units: set[str] = field(default_factory=set, repr=False)  # run by this build
    used_units: set[str] = field(default_factory=set, repr=False)  # run or reused by this build
    used_sets: set[str] = field(default_factory=set, repr=False)
    replaced: dict[str, tuple] = field(default_factory=dict, repr=False)  # unit run again -> last build's reads
    _touched: tuple | None = field(default=None, repr=False)  # (edited, the units that read them)

    parsed: dict | None = field(default=None, repr=False)  # None until a build asks for sources or body_scans

    @property
    def sources(self) -> dict:
        """src -> (stamp, RawEntry): the files parsed last time (load_sources keeps it)."""
        return self._parsed()["sources"]

    @property
    def body_scans(self) -> dict:
        """A hash of a body -> its links and citations (resolve_links keeps it)."""
        return self._parsed()["body_scans"]

    def _parsed(self) -> dict:
        if self.parsed is None:
            loaded = self.load_parsed()
            self.parsed = {name: loaded.get(name, {}) for name in ("sources", "body_scans")}
        return self.parsed

    def carry_over(self, search_prefix: str) -> None:
        """A build that looks at only a few pages keeps the rest of the cache for the next full build:
        every body and file set, but the search shards it does not reuse."""
        self.used_bodies.update(self.bodies)
        self.used_sets.update(digest for digest, files in self.file_sets.items()
                              if not any(dest.startswith(search_prefix) for dest, *_ in files))

    def body(self, key: str, render: Callable[[], str]) -> str:
        self.used_bodies.add(key)
        if key not in self.bodies:
            self.bodies[key] = render()
            self.fresh_bodies.add(key)
        return self.bodies[key]

    def fragment(self, key: str, make: Callable[[], str]) -> str:
        """A piece of a file kept by the digest of its inputs, as bodies are (a section of atlas.json)."""
        return self.body(key, make)

    def page(self, dest: str, key: str, render: Callable[[], bytes], reads=None, counted: bool = True) -> Output:
        """The page: last build's file when its fingerprint is unchanged, and so is everything it read while
        it rendered (`reads`, a dependencies.Dependencies that render() records into); else freshly rendered.
        A file that goes with a page (its map's data) is not `counted` among the pages rendered."""
        known = self.pages.get(dest)
        if known and known[0] == key and (reads is None or reads.unchanged(known[4])):
            reused = self._still_published(dest, known[1:4])
            if reused is not None:
                if reads is not None:
                    reads.replay(known[4])
                self.reused += 1
                return reused
        data = render()
        self.rendered += counted
        output = Output(dest, data)
        self.pages[dest] = [key, output.digest(), len(data), None, reads.recorded() if reads is not None else ()]
        return output

    def reuse_unit(self, name: str, key: str, tokens) -> list[Output] | None:
        """The pages a unit made last time, if its fingerprint and everything it read are unchanged
        (`tokens`: dependencies.Tokens of this build) and its pages are still as published."""
        record = self.units.get(name)
        if record is None or record[0] != key or (name in self._read_edited(tokens.edited)
                                                  and not tokens.unchanged(unit_reads(record[1]))):
            return None
        found = []
        for dest in record[2]:
            page = self.pages.get(dest)
            output = self._still_published(dest, page[1:4]) if page is not None else None
            if output is None:
                return None
            found.append(output)
        self.reused += len(found)
        self.used_units.add(name)
        return found

    def _read_edited(self, edited: set | None) -> set[str] | dict[str, list]:
        """The units that may have read something `edited` changed: with the entries a resumed build
        knows were edited, only the readers of those entries and of every entry (the others' reads
        are all as they were: dependencies.Tokens.unchanged finds nothing to compare); else all."""
        if edited is None:
            return self.units
        if self._touched is None or self._touched[0] != edited:
            touched = set(self.readers.get("entries", ()))
            for key in edited:
                touched.update(self.readers.get(key, ()))
            self._touched = (set(edited), touched)
        return self._touched[1]

    def record_unit(self, name: str, key: str, reads: tuple, dests: list[str]) -> None:
        if name in self.units and name not in self.replaced:
            self.replaced[name] = self.units[name][1]
        self.units[name] = [key, reads, dests]
        self.fresh_units.add(name)
        self.used_units.add(name)

    def units_used(self) -> dict[str, list]:
        """The units this build ran or reused: what a later build or atlas serve compares with."""
        return {name: self.units[name] for name in self.used_units}

    def reuse_all(self, digest: str) -> list[Output] | None:
        """Files made together from inputs with this digest (a search shard, the data files), if all
        are still as published."""
        record = self.file_sets.get(digest)
        if record is None:
            return None
        found = [self._still_published(dest, stamp) for dest, *stamp in record]
        if any(output is None for output in found):
            return None
        self.used_sets.add(digest)
        return found

    def record_all(self, digest: str, files: list[Output]) -> None:
        self.file_sets[digest] = [[o.dest, o.digest(), len(o.data), None] for o in files]
        self.used_sets.add(digest)

    def _still_published(self, dest: str, stamp: list) -> Output | None:
        """The published file, if its size and modification time are those recorded after the last build."""
        sha, size, mtime = stamp if len(stamp) == 3 else (None, None, None)
        path = self.published(dest)
        if path is None or mtime is None or not as_recorded(path, size, mtime):
            return None
        return Output(dest, published=path, sha256=sha)


def as_recorded(path: str, size: int, mtime_ns: int) -> bool:
    """The published file still has the size and modification time recorded after the build that wrote it."""
    try:
        info = os.stat(path)
    except OSError:
        return False
    return (info.st_size, info.st_mtime_ns) == (size, mtime_ns)


def load_cache(cache_dir: Path | None, output_dir: Path, templates_dir: Path | None = None) -> BuildCache:
    """The cache of the last build into `output_dir` with these templates, or an empty one."""
    namespace = _namespace(templates_dir)
    published = _publisher(Path(output_dir))
    if cache_dir is None:
        return BuildCache(namespace, published=published)
    path = Path(cache_dir) / cache_file(output_dir)
    stored = read_pickle(path, namespace)
    if (not isinstance(stored, dict) or stored.get("output") != str(Path(output_dir).resolve())
            or "readers" not in stored):
        return BuildCache(namespace, published=published)
    return BuildCache(namespace, stored["bodies"], stored["pages"], stored["file_sets"], stored["units"],
                      stored["readers"], stored["relations"], stored.get("search_shards", {}), stored.get("trees"),
                      {dest: record[1] for dest, record in stored["pages"].items()}, published=published,
                      load_parsed=lambda: _load_parsed(path.with_suffix(".sources"), namespace))


def published_stamps(outputs: list[Output], output_dir: Path) -> dict[str, tuple[str, int, int]]:
    """dest -> (sha256, size, mtime_ns) of every file just published: what the cache and the snapshot record.

    Each output then refers to its published file instead of holding its bytes (saving the cache
    of a cold build at 10,000 cities would otherwise hold every page in memory as well)."""
    root = os.path.join(os.fspath(output_dir), "")
    stamps = {}
    for output in outputs:
        path = root + output.dest
        info = os.stat(path)
        stamps[output.dest] = (output.digest(), info.st_size, info.st_mtime_ns)
        output.published_as(path)
    give_back_freed_memory()
    return stamps


def give_back_freed_memory() -> None:
    """Return the heap pages freed since (a cold build's rendered pages) to the system (glibc's
    malloc_trim), so that saving the cache does not raise the peak memory on top of them."""
    try:
        ctypes.CDLL(None).malloc_trim(0)  # the C library the interpreter runs on
    except (OSError, AttributeError):  # not glibc: freed memory is reused, just not returned
        pass


def save_cache(cache: BuildCache, cache_dir: Path | None, output_dir: Path,
               published: dict[str, tuple[str, int, int]]) -> None:
    """Keep what this build used; drop the rest, so the cache does not grow without end.

    `published` is published_stamps() of this build's files: a record keeps the
    modification time of the file it describes, or is dropped if that file is not it.
    """
    if cache_dir is None:
        return
    folder = Path(cache_dir)
    folder.mkdir(parents=True, exist_ok=True)

    def as_published(dest: str, sha: str, size: int) -> list | None:
        now = published.get(dest)
        return [sha, size, now[2]] if now is not None and now[1] == size else None

    units = {name: record for name, record in cache.units_used().items() if all(dest in published for dest in record[2])}
    readers = update_readers(cache.readers, cache.relations, cache.fresh_units, cache.replaced, cache.units, units)
    data = {
        "output": str(Path(output_dir).resolve()),
        "bodies": {k: v for k, v in cache.bodies.items() if k in cache.used_bodies},
        "pages": {dest: record[:1] + stamp + record[4:5] for dest, record in cache.pages.items()
                  if (stamp := as_published(dest, record[1], record[2])) is not None},
        "units": encoded_reads(units),
        "readers": readers,
        "relations": cache.relations,
        "trees": cache.trees,
        "search_shards": {bundle: record for bundle, record in cache.search_shards.items() if record[0] in cache.used_sets},
        "file_sets": {digest: [[dest] + stamp for dest, sha, size, *_ in files
                               if (stamp := as_published(dest, sha, size)) is not None]
                      for digest, files in cache.file_sets.items() if digest in cache.used_sets},
    }
    name = cache_file(output_dir)
    write_pickle(folder / name, cache.namespace, data)
    if cache.parsed is not None:  # a build that parsed no content leaves last time's parse as it is
        write_pickle((folder / name).with_suffix(".sources"), cache.namespace, cache.parsed)
    (folder / name).with_suffix(".path").write_text(str(Path(output_dir).resolve()), encoding="utf-8")
    prune(folder, keep=name)


def _load_parsed(path: Path, namespace: str) -> dict:
    """The parsed files and body scans of the last build."""
    parsed = read_pickle(path, namespace)
    if not isinstance(parsed, dict):
        return {}
    return {name: parsed[name] for name in ("sources", "body_scans") if isinstance(parsed.get(name), dict)}


def _publisher(output_dir: Path) -> Callable[[str], str | None]:
    """Where a page is published: a plain string path (tens of thousands are asked for)."""
    from atlas.publish.writer import checked_dest

    root = os.fspath(output_dir)

    def published(dest: str) -> str | None:
        try:
            return os.path.join(root, checked_dest(dest))
        except AtlasError:
            return None

    return published
