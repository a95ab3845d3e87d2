"""The full-text search index, built at build time by Pagefind.

Runs after pages.py, on the rendered pages in memory; returns the index files
as outputs under pagefind/ (the writer stays the only module that publishes).
Pagefind (its PyPI package ships the binary) indexes the part of each entry
page marked `data-pagefind-body`, with filters from `data-pagefind-filter`
(kind, region, country, network, theme); index pages, search and 404 are left
out. Search then runs entirely in the reader's browser.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
import math
import os
import shutil
import subprocess
import tempfile
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path

import cbor2

from atlas.incremental.cache import BuildCache, fingerprint
from atlas.errors import AtlasError
from atlas.model import Output
from atlas.render.parallel import available_cores, background_priority, process_alive

BUNDLE = "pagefind"
PAGEFIND_TIMEOUT = 600  # seconds
TEMPORARY_PREFIX = "atlas-pagefind-"  # + the build's pid + a random part
SHARED_MEMORY = "/dev/shm"  # a memory file system on Linux
SHARD_PAGES = 1000  # entry pages per search bundle: each is indexed, and re-indexed after an edit, on its own
# What a merged bundle needs; the primary bundle's script and WebAssembly serve them all.
SHARD_FILES = ("pagefind-entry.json", "index/", "fragment/", "filter/")


def bundle_paths(indexed_pages: int) -> list[str]:
    """The search bundles, primary first: "pagefind/", then "pagefind/shard-2/" ... for large atlases.

    The search page merges them (Pagefind's mergeIndex): readers search one
    index, while a build re-indexes only the shard whose pages changed.
    """
    count = max(1, math.ceil(indexed_pages / SHARD_PAGES))
    return [f"{BUNDLE}/"] + [f"{BUNDLE}/shard-{number}/" for number in range(2, count + 1)]


def index_pages(pages: list[Output], language: str, cache: BuildCache | None = None,
                entry_pages: set[str] | None = None) -> list[Output]:
    """Index the entry pages; the bundles' files, ready to publish under pagefind/ (see start_indexing)."""
    with start_indexing(pages, language, cache, entry_pages) as indexing:
        return indexing.result()


def start_indexing(pages: list[Output], language: str, cache: BuildCache | None = None,
                   entry_pages: set[str] | None = None) -> Indexing:
    """Start indexing the entry pages; `result()` gives the bundles' files, ready to publish under pagefind/.

    With a cache, a shard's last bundle is reused while none of its pages changed, or while the
    pages that changed changed only where Pagefind does not read (a city's population, in a part
    marked data-pagefind-ignore: `search_view`); the shards that must be indexed run side by side,
    one Pagefind per core. The pages of the shards that start at once are written for Pagefind here,
    in the calling thread: written from a thread beside a build that renders pages, each file
    waited for the interpreter's lock, and Pagefind started 0.75 s late on the starter atlas.
    """
    html_pages = [page for page in pages if page.dest.endswith(".html") and page.dest != "404.html"]
    if entry_pages is None:  # which pages mark their text for Pagefind (data-pagefind-body)
        entry_pages = {page.dest for page in html_pages if b"data-pagefind-body" in page.data}
    indexed = [page for page in html_pages if page.dest in entry_pages] or html_pages
    bundles = bundle_paths(len(indexed))
    shards: list[list[Output]] = [[] for _ in bundles]
    for page in indexed:
        shards[_shard_of(page.dest, len(bundles))].append(page)
    digests = [fingerprint(language, bundle, sorted((p.dest, p.digest()) for p in shard))
               for bundle, shard in zip(bundles, shards)]
    indexing = Indexing(bundles, shards, digests, cache)
    for number, digest in enumerate(digests):
        reused = cache.reuse_all(digest) if cache is not None else None
        if reused is None and cache is not None:
            reused = _reuse_unread_changes(cache, bundles[number], shards[number], digest)
        if reused is not None:
            indexing.results[number] = reused
            cache.search_shards[bundles[number]] = [digest, _dests(shards[number])]
    missing = [number for number in range(len(bundles)) if number not in indexing.results]
    if missing:
        _pagefind()  # found here, not by each run on its thread (importing pagefind.service waits for the lock too)
        side_by_side = max(1, min(len(missing), available_cores()))
        indexing.pool = ThreadPoolExecutor(max_workers=side_by_side)
        try:
            for position, number in enumerate(missing):
                # the shards that start at once; a later one is written by its run, when it starts, so that
                # a large atlas does not hold all its pages in temporary files at the same time
                folder = _pages_folder(shards[number]) if position < side_by_side else None
                if folder is not None:
                    indexing.folders[number] = folder
                indexing.runs[number] = indexing.pool.submit(_run_pagefind, shards[number], language,
                                                             bundles[number], number == 0, folder)
        except BaseException:
            indexing.close()
            raise
    return indexing


class Indexing:
    """The search bundles being made: Pagefind runs on threads of its own while the build goes on."""

    def __init__(self, bundles: list[str], shards: list[list[Output]], digests: list[str],
                 cache: BuildCache | None) -> None:
        self.bundles, self.shards, self.digests, self.cache = bundles, shards, digests, cache
        self.results: dict[int, list[Output]] = {}
        self.runs: dict[int, Future] = {}
        self.folders: dict[int, str] = {}  # written ahead; each run deletes its own, close() those never run
        self.pool: ThreadPoolExecutor | None = None

    def result(self) -> list[Output]:
        for number, run in self.runs.items():
            self.results[number] = run.result()
            if self.cache is not None:
                self.cache.record_all(self.digests[number], self.results[number])
                self.cache.search_shards[self.bundles[number]] = [self.digests[number], _dests(self.shards[number])]
        self.runs = {}
        return [output for number in range(len(self.bundles)) for output in self.results[number]]

    def close(self) -> None:
        """Wait for the Pagefind runs still going (a build that failed meanwhile); their files are deleted."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
            for number, run in self.runs.items():
                if run.cancelled() and number in self.folders:
                    shutil.rmtree(self.folders[number], ignore_errors=True)

    def __enter__(self) -> Indexing:
        return self

    def __exit__(self, *error) -> None:
        self.close()


def _dests(shard: list[Output]) -> str:
    return fingerprint(sorted(page.dest for page in shard))


def _reuse_unread_changes(cache: BuildCache, bundle: str, shard: list[Output], digest: str) -> list[Output] | None:
    """The shard's last bundle, when the same pages are in it and each page this build made again reads the
    same to Pagefind as the one the last build published (compared only for those pages: the others are
    the published ones). A published page that is not the last build's (`atlas serve` writes pages ahead
    of its full build) cannot be compared: the shard is indexed again."""
    last = cache.search_shards.get(bundle)
    if last is None or last[1] != _dests(shard):
        return None
    for page in shard:
        if not page.in_memory:
            continue
        published = cache.published(page.dest)
        try:
            before = Path(published).read_bytes() if published else None
        except OSError:
            before = None
        if before is None or hashlib.sha256(before).hexdigest() != cache.last_built.get(page.dest):
            return None
        if before != page.data and search_view(before) != search_view(page.data):
            return None
    reused = cache.reuse_all(last[0])
    if reused is not None:
        cache.record_all(digest, reused)
    return reused


class _SearchView(HTMLParser):
    """Collects what Pagefind reads of a page: the <html> and <title> tags, every element with a
    data-pagefind-* attribute, and everything inside data-pagefind-body but outside data-pagefind-ignore."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, in the body, ignored)
        self.title = False

    def _state(self) -> tuple[bool, bool]:
        return (self.stack[-1][1], self.stack[-1][2]) if self.stack else (False, False)

    def handle_starttag(self, tag, attrs):
        body, ignored = self._state()
        names = {name for name, _ in attrs}
        body = body or "data-pagefind-body" in names
        ignored = ignored or "data-pagefind-ignore" in names
        if (body and not ignored) or tag in ("html", "title") or any(n.startswith("data-pagefind") for n in names):
            self.parts.append(f"<{tag} {sorted(attrs)!r}>")
        self.title = tag == "title"
        if tag not in self.VOID:
            self.stack.append((tag, body, ignored))

    def handle_endtag(self, tag):
        while self.stack:  # an end tag closes what the HTML left open inside it
            if self.stack.pop()[0] == tag:
                break
        self.title = False

    def handle_data(self, data):
        body, ignored = self._state()
        if (body and not ignored) or self.title:
            self.parts.append(data)


def search_view(html: bytes) -> str:
    """A digest of what Pagefind reads of a page: two pages with the same view index the same."""
    view = _SearchView()
    view.feed(html.decode("utf-8", errors="replace"))
    view.close()
    return hashlib.sha256("\x00".join(view.parts).encode("utf-8")).hexdigest()


def _shard_of(dest: str, count: int) -> int:
    """A page's shard, by a hash of its path: stable while the number of shards stays the same."""
    return int(hashlib.sha256(dest.encode("utf-8")).hexdigest()[:8], 16) % count if count > 1 else 0


def _pages_folder(html_pages: list[Output]) -> str:
    """A temporary folder holding the pages as files: Pagefind reads a folder far faster than pages sent one by one."""
    scratch = _scratch(sum(len(page.data) for page in html_pages))
    _remove_abandoned(scratch or tempfile.gettempdir())
    folder = tempfile.mkdtemp(prefix=f"{TEMPORARY_PREFIX}{os.getpid()}-", dir=scratch)
    try:
        site = Path(folder) / "site"
        site.mkdir()
        for page in html_pages:
            target = site / page.dest
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(page.data)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return folder


def _remove_abandoned(scratch: str) -> None:
    """Remove the temporary folders of builds that were killed (SIGKILL leaves no time to delete them;
    in /dev/shm they would hold memory until the machine restarts). Each name carries its build's pid."""
    try:
        names = os.listdir(scratch)
    except OSError:
        return
    for name in names:
        pid = name[len(TEMPORARY_PREFIX):].partition("-")[0]
        if name.startswith(TEMPORARY_PREFIX) and pid.isdigit() and not process_alive(int(pid)):
            shutil.rmtree(os.path.join(scratch, name), ignore_errors=True)


def _scratch(size: int) -> str | None:
    """/dev/shm when it has room for the pages and the bundle many times over: files in memory are written,
    read and deleted without the disk, and publishing's sync then has none of them to flush. Else the
    system's temporary folder."""
    try:
        memory = os.statvfs(SHARED_MEMORY)
    except OSError:
        return None
    return SHARED_MEMORY if memory.f_bavail * memory.f_frsize > 8 * size and os.access(SHARED_MEMORY, os.W_OK) else None


def _run_pagefind(html_pages: list[Output], language: str, bundle_path: str = f"{BUNDLE}/",
                  primary: bool = True, folder: str | None = None) -> list[Output]:
    """Pagefind over the pages (already written into `folder`, when given); the bundle's files."""
    folder = folder or _pages_folder(html_pages)
    try:
        site, bundle = Path(folder) / "site", Path(folder) / "bundle"
        # result URLs are site-relative ("/cities/lyon/"); the search page adds the base path
        command = [str(_pagefind()), "--site", str(site), "--output-path", str(bundle),
                   "--force-language", language.split("-")[0].lower(), "--silent"]
        try:
            result = subprocess.run(background_priority(command), capture_output=True, text=True, check=False,
                                    timeout=PAGEFIND_TIMEOUT)
        except subprocess.TimeoutExpired:
            raise AtlasError(f"Pagefind did not finish indexing within {PAGEFIND_TIMEOUT} s") from None
        if result.returncode != 0:
            raise AtlasError(f"Pagefind could not index the site: {result.stderr.strip() or result.stdout.strip()}")
        _make_filters_repeatable(bundle)
        files = [path.relative_to(bundle).as_posix() for path in sorted(bundle.rglob("*")) if path.is_file()]
        if not primary:
            files = [name for name in files if name.startswith(SHARD_FILES) or name.endswith(".pf_meta")]
        return [Output(f"{bundle_path}{name}", (bundle / name).read_bytes()) for name in files]
    finally:  # deleting hundreds of small files is slow on some file systems: do not wait for it
        threading.Thread(target=shutil.rmtree, args=(folder,), kwargs={"ignore_errors": True}).start()


MAGIC = b"pagefind_dcd"


def _read(path: Path) -> object:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(MAGIC):
        raise AtlasError(f"unexpected Pagefind file format: {path.name}")
    return cbor2.loads(data[len(MAGIC):])


def _encode(value: object) -> bytes:
    return gzip.compress(MAGIC + cbor2.dumps(value), compresslevel=9, mtime=0)


def _make_filters_repeatable(bundle: Path) -> None:
    """Sort Pagefind's filter files, which it writes in hash-map order, so builds repeat byte for byte.

    Each filter file is [name, [[value, [page, ...]], ...]]; the values are
    sorted and the file renamed by its new content, and the language's meta
    file (which lists the filter files) and pagefind-entry.json follow.
    """
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language, info in entry["languages"].items():
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = _read(meta_path)
        filters = next((part for part in meta[2:] if isinstance(part, list) and part
                        and all(isinstance(item, list) and len(item) == 2 and isinstance(item[1], str)
                                and item[1].startswith(f"{language}_") for item in part)), None)
        if filters is None:
            continue
        renamed = []
        for name, file_hash in filters:
            old = bundle / "filter" / f"{file_hash}.pf_filter"
            filter_name, values = _read(old)
            data = _encode([filter_name, sorted(values, key=lambda item: item[0])])
            new_hash = f"{language}_{hashlib.sha256(data).hexdigest()[:7]}"
            old.unlink()
            (bundle / "filter" / f"{new_hash}.pf_filter").write_bytes(data)
            renamed.append([name, new_hash])
        filters[:] = sorted(renamed)
        data = _encode(meta)
        new_meta_hash = f"{language}_{hashlib.sha256(data).hexdigest()[:10]}"
        meta_path.unlink()
        (bundle / f"pagefind.{new_meta_hash}.pf_meta").write_bytes(data)
        info["hash"] = new_meta_hash
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


@functools.cache
def _pagefind() -> Path:
    from pagefind.service import get_executable

    executable = get_executable()
    if executable is None:
        raise AtlasError("Pagefind is not installed; install the atlas with `pip install -e .`"
                         " (its pagefind[bin] dependency ships the binary)")
    return executable
