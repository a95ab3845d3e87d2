"""The last good build, kept in the cache folder, so that a build after edits that leave the graph as it was
starts from it.

Most edits change an entry's text or a fact the graph does not read (a
population), and leave every relation as it was (edits.graph_neutral_edits
tells). After such an edit, loading, validating and resolving the whole
atlas would only give the graph of the last build again. A build then starts
from this snapshot instead (resume.py): the resolved atlas and graph of the
last good build, the stamps of the content files it read, and the files it
published. Any other change (a file added, removed or renamed, atlas.yaml,
sources.yaml, templates, code, front-end packages, build settings) makes a
full build.

Three files: the resolved atlas, written by full builds only (about a second
at 10,000 cities); its entries' line maps (YamlDoc), written with it but read
only when a build asks an entry of the snapshot for a line (LinesLater: a
resumed build reports problems of the files it reads again, with their own
lines, so it rarely does); and a small one with the stamps, the published
files and the entries edited since, written by every build.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from atlas.incremental.cache import as_recorded, entry_token, remember_entry_tokens
from atlas.incremental.store import cache_path, read_pickle, unpickle, write_pickle
from atlas.content.yamlfile import YamlDoc
from atlas.errors import AtlasError, Problem
from atlas.model import Atlas, Entry, Output
from atlas.render.assets import Assets
from atlas.graph.relations import Graph
from atlas.content.sources import KINDS

RESOLVED_SUFFIX = ".snapshot"  # the resolved atlas, graph and asset URLs of the last full build
LINES_SUFFIX = ".lines"  # its entries' line maps: the resolved file's id on a line, then the pickle
SITE_SUFFIX = ".site"  # stamps, published files, entries edited since the last full build


@dataclass
class Snapshot:
    settings: tuple  # what the build was asked for, and the files besides content/ that it read
    listing: dict  # content_listing() as it stood before the build read content/
    atlas: Atlas  # with the entries edited since the last full build
    graph: Graph
    assets: Assets
    warnings: list[Problem]
    published: dict[str, tuple[str, int, int]]  # dest -> (sha256, size, mtime_ns) as published
    resolved_id: str = ""  # which resolved file the small one goes with
    edited: dict = field(default_factory=dict)  # (kind, slug) -> Entry: edits since the last full build
    asset_dests: tuple[str, ...] = ()  # the files of collect_assets, published as they are by a resumed build
    graph_token: str = ""  # the graph's token (dependencies.py), which a resumed build's graph keeps

    def edited_files(self, listing: dict | None) -> list[tuple[str, str]] | None:
        """(kind, file name) of every entry file whose stamp changed; None if anything else changed."""
        if listing is None or listing.keys() != self.listing.keys():
            return None
        changed = [name for name, stamp in listing.items() if stamp != self.listing[name]]
        files = [tuple(name.split("/")) for name in changed]
        if any(len(parts) != 2 or parts[0] not in KINDS or not parts[1].endswith(".md") for parts in files):
            return None
        return files

    def published_outputs(self, output_dir: Path, dests: tuple[str, ...]) -> list[Output] | None:
        """These published files as outputs that point at them; None if any is missing or was changed."""
        root = os.fspath(output_dir)
        outputs = []
        for dest in dests:
            if dest not in self.published:
                return None
            sha, size, mtime = self.published[dest]
            path = os.path.join(root, dest)
            if not as_recorded(path, size, mtime):
                return None
            outputs.append(Output(dest, published=path, sha256=sha))
        return outputs

    def with_edits(self, edited: list[Entry]) -> Snapshot:
        return replace(self, atlas=self.atlas.with_entries(edited),
                       edited={**self.edited, **{entry.key: entry for entry in edited}})


class KeptLines:
    """The line maps of the resolved atlas's entries, read whole when the first is asked for.

    The file is opened, and checked to go with the resolved atlas, when the snapshot
    is loaded; held open, it stays readable even if a later full build replaces it."""

    def __init__(self, path: Path, namespace: str, resolved_id: str) -> None:
        self.file = open(path, "rb")
        self.namespace = namespace
        self.docs: list[YamlDoc] | None = None
        if self.file.readline().rstrip(b"\n") != resolved_id.encode("ascii"):
            self.file.close()
            raise FileNotFoundError(f"{path} does not go with the resolved atlas")

    def doc(self, index: int) -> YamlDoc:
        if self.docs is None:
            with self.file:
                docs = unpickle(self.file.read(), self.namespace)
            if not isinstance(docs, list):
                raise AtlasError(f"{self.file.name}: unreadable; delete the cache folder and build again")
            self.docs = docs
        return self.docs[index]


class LinesLater(YamlDoc):
    """An entry's line map as the snapshot keeps it: read from KeptLines when first asked for."""

    def __init__(self, kept: KeptLines, index: int) -> None:  # the fields come later, from the file
        object.__setattr__(self, "kept", (kept, index))

    def __getattr__(self, name: str) -> object:  # only for the fields, while they are not read yet
        if name not in ("data", "lines") or "kept" not in self.__dict__:
            raise AttributeError(name)
        kept, index = self.kept
        doc = kept.doc(index)
        object.__setattr__(self, "data", doc.data)
        object.__setattr__(self, "lines", doc.lines)
        return getattr(doc, name)

    def __reduce__(self):  # pickled again (atlas serve's worker processes, say) as the plain map
        return (YamlDoc, (self.data, self.lines))


def load_snapshot(cache_dir: Path | None, output_dir: Path, namespace: str) -> Snapshot | None:
    if cache_dir is None:
        return None
    site = read_pickle(cache_path(cache_dir, output_dir, SITE_SUFFIX), namespace)
    if not isinstance(site, dict):
        return None
    try:
        kept = KeptLines(cache_path(cache_dir, output_dir, LINES_SUFFIX), namespace, site["resolved_id"])
    except OSError:
        return None
    resolved = read_pickle(cache_path(cache_dir, output_dir, RESOLVED_SUFFIX), namespace,
                           persistent_load=lambda index: LinesLater(kept, index))
    if not isinstance(resolved, dict) or resolved.get("id") != site["resolved_id"]:
        return None
    entries = resolved["atlas"].entries
    remember_entry_tokens({entry: token for key, token in resolved.get("entry_tokens", {}).items()
                           if (entry := entries.get(key)) is not None})
    atlas = resolved["atlas"].with_entries(site["edited"].values())
    return Snapshot(site["settings"], site["listing"], atlas, resolved["graph"], resolved["assets"],
                    site["warnings"], site["published"], site["resolved_id"], site["edited"], site["asset_dests"],
                    site["graph_token"])


def save_snapshot(snapshot: Snapshot, cache_dir: Path | None, output_dir: Path, namespace: str,
                  full: bool) -> None:
    """Keep the build's snapshot; `full` writes the resolved atlas too (a resumed build keeps the last one's)."""
    if cache_dir is None:
        return
    Path(cache_dir).mkdir(parents=True, exist_ok=True)
    if full:
        snapshot.resolved_id = os.urandom(8).hex()
        snapshot.edited = {}
        docs: list[YamlDoc] = []

        def kept_apart(value: object) -> int | None:
            if type(value) is YamlDoc:  # exactly: a LinesLater is written whole
                docs.append(value)
                return len(docs) - 1
            return None

        write_pickle(cache_path(cache_dir, output_dir, RESOLVED_SUFFIX), namespace,
                     {"id": snapshot.resolved_id, "atlas": snapshot.atlas, "graph": snapshot.graph,
                      "assets": snapshot.assets,  # and the entries' tokens, which a resumed build compares
                      "entry_tokens": {entry.key: entry_token(entry) for entry in snapshot.atlas.entries.values()}},
                     persistent_id=kept_apart)
        write_pickle(cache_path(cache_dir, output_dir, LINES_SUFFIX), namespace, docs,
                     header=snapshot.resolved_id.encode("ascii") + b"\n")
    write_pickle(cache_path(cache_dir, output_dir, SITE_SUFFIX), namespace,
                 {"resolved_id": snapshot.resolved_id, "settings": snapshot.settings, "listing": snapshot.listing,
                  "warnings": snapshot.warnings, "published": snapshot.published, "edited": snapshot.edited,
                  "asset_dests": snapshot.asset_dests, "graph_token": snapshot.graph_token})


def forget_snapshot(cache_dir: Path | None, output_dir: Path) -> None:
    """After a build that cannot be resumed from (content/ holds a link), the next one starts in full."""
    if cache_dir is not None:
        cache_path(cache_dir, output_dir, SITE_SUFFIX).unlink(missing_ok=True)


def file_stamps(paths: list[Path]) -> tuple:
    """(path, size, mtime_ns) of each file (None for one that is missing): templates, front-end packages."""
    found = []
    for path in paths:
        try:
            info = os.stat(path)
        except OSError:
            found.append((os.fspath(path), None))
            continue
        found.append((os.fspath(path), info.st_size, info.st_mtime_ns))
    return tuple(found)
