"""Load the editors' files from content/: the only module that reads content.

First stage of the pipeline. Produces RawEntry objects (front matter as plain
data with line numbers, body text) and the parsed atlas.yaml and sources.yaml.
Nothing here knows what fields mean; schema.py validates them next.

Refused here, with file and line: files that are not UTF-8, are too large, have
no front matter, have a name that is not a valid slug, collide with another file
once case and Unicode are folded, or are symlinks that lead outside content/.

An entry file that is refused is still listed (Sources.broken): it exists, so
the entries that name it are not told to create it, and the later stages check
what can be read of it (its body, when the front matter was at least closed).
"""

from __future__ import annotations

import os
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from atlas import kinds
from atlas.content.fields import MAX_SLUG_LENGTH, SLUG, make_slug
from atlas.errors import ErrorList
from atlas.content.yamlfile import YamlDoc, YamlError, load_yaml

KINDS = kinds.folders()  # as the atlas starts; the loaders below ask the registry each time
MAX_FILE_BYTES = 1024 * 1024  # one entry; a larger file is refused
MAX_DATA_BYTES = 8 * 1024 * 1024  # atlas.yaml, sources.yaml


@dataclass(frozen=True)
class RawEntry:
    """One content file split into front matter and body, not yet validated."""

    kind: str  # a kind's folder: "cities"
    slug: str
    src: str  # "content/cities/lyon.md", as errors show it
    meta: YamlDoc
    body: str
    body_line: int  # the line of src where the body starts


@dataclass(frozen=True)
class BrokenEntry:
    """An entry file that exists but could not be loaded; its problems are already reported."""

    kind: str
    slug: str
    src: str
    body: str | None = None  # the body, when only the front matter could not be read
    body_line: int = 0


@dataclass(frozen=True)
class Sources:
    config: YamlDoc | None
    config_src: str
    bibliography: YamlDoc | None
    bibliography_src: str
    entries: tuple[RawEntry, ...]
    broken: tuple[BrokenEntry, ...] = ()
    unparsed: dict[str, str] = field(default_factory=dict)  # src -> text of a file that could not be read as YAML


def load_sources(content_dir: Path, errors: ErrorList, label: str | None = None,
                 memo: dict | None = None) -> Sources:
    """Read every content file under `content_dir`; report problems into `errors`.

    `memo` (src -> (stamp, RawEntry), kept by the build cache) spares reading
    and parsing the files whose size, times and inode are those of last time;
    it is left holding exactly the files read now.
    """
    remembered = dict(memo) if memo is not None else {}
    if memo is not None:
        memo.clear()
    content_dir = Path(content_dir)
    label = (label or str(content_dir)).rstrip("/") or "."
    root = content_dir.resolve()
    if not content_dir.is_dir():
        errors.error(label, 0, "content folder not found")
        return Sources(None, f"{label}/atlas.yaml", None, f"{label}/sources.yaml", ())

    unparsed: dict[str, str] = {}
    config_src = f"{label}/atlas.yaml"
    config = _load_data_file(content_dir / "atlas.yaml", config_src, root, errors, unparsed, required=True)
    bibliography_src = f"{label}/sources.yaml"
    bibliography = _load_data_file(content_dir / "sources.yaml", bibliography_src, root, errors, unparsed)

    entries: list[RawEntry] = []
    broken: list[BrokenEntry] = []
    for kind in kinds.folders():
        folder = content_dir / kind
        if not folder.exists():
            continue
        if not _inside(folder, root):
            errors.error(f"{label}/{kind}", 0, "folder is a link to a place outside the content folder")
            continue
        folded: dict[str, str] = {}
        for path in sorted(folder.iterdir(), key=lambda p: p.name):
            src = f"{label}/{kind}/{path.name}"
            if path.name.startswith(".") or path.name.endswith("~"):
                continue
            if path.is_dir():
                errors.warning(src, 0, "sub-folders are not read; move the files up one level")
                continue
            if path.suffix != ".md":
                errors.warning(src, 0, "ignored: entries are Markdown files ending in .md")
                continue
            slug = path.name[: -len(".md")]
            if not _check_slug(slug, src, errors):
                continue
            key = unicodedata.normalize("NFKC", slug).casefold()
            if key in folded:
                errors.error(src, 0, f"the name clashes with {folded[key]}", "give each file a different name")
                continue
            folded[key] = src
            stamp = _stamp(path)
            known = remembered.get(src)
            if known is not None and stamp is not None and known[0] == stamp and not path.is_symlink():
                entry = known[1]
            else:
                entry = _read_entry(path, kind, slug, src, root, errors, unparsed)
            if isinstance(entry, BrokenEntry):
                broken.append(entry)
                continue
            entries.append(entry)
            if memo is not None and stamp is not None:
                memo[src] = (stamp, entry)
    for path in sorted(content_dir.iterdir(), key=lambda p: p.name):
        if path.name in kinds.folders() or path.name in ("atlas.yaml", "sources.yaml") or path.name.startswith("."):
            continue
        errors.warning(f"{label}/{path.name}", 0, f"ignored: not one of {', '.join(kinds.folders())}, atlas.yaml, sources.yaml")
    return Sources(config, config_src, bibliography, bibliography_src, tuple(entries), tuple(broken), unparsed)


def content_listing(content_dir: Path) -> dict[str, tuple | None] | None:
    """Every name load_sources looks at, with each file's stamp: how a build tells which files changed.

    None when content/ holds a symbolic link (a stamp would miss changes to what it leads to).
    """
    listing: dict[str, tuple | None] = {}
    try:
        with os.scandir(content_dir) as top:
            for item in top:
                if item.name.startswith("."):
                    continue
                if item.is_symlink():
                    return None
                if not item.is_dir():
                    listing[item.name] = _entry_stamp(item)
                    continue
                listing[f"{item.name}/"] = None
                if item.name not in kinds.folders():
                    continue
                with os.scandir(item.path) as folder:
                    for file in folder:
                        if file.name.startswith(".") or file.name.endswith("~"):
                            continue
                        if file.is_symlink():
                            return None
                        listing[f"{item.name}/{file.name}"] = None if file.is_dir() else _entry_stamp(file)
    except OSError:
        return None
    return listing


def _entry_stamp(item: os.DirEntry) -> tuple[int, int, int, int]:
    return _stamp_of(item.stat(follow_symlinks=False))


def load_entry(content_dir: Path, kind: str, name: str, errors: ErrorList, label: str | None = None
               ) -> RawEntry | None:
    """One entry file, read and split exactly as load_sources reads it (for rebuilds after text-only edits)."""
    content_dir = Path(content_dir)
    label = (label or str(content_dir)).rstrip("/") or "."
    src = f"{label}/{kind}/{name}"
    slug = name[: -len(".md")]
    if kind not in kinds.folders() or not name.endswith(".md") or not _check_slug(slug, src, errors):
        return None
    entry = _read_entry(content_dir / kind / name, kind, slug, src, content_dir.resolve(), errors, {})
    return entry if isinstance(entry, RawEntry) else None


def _read_entry(path: Path, kind: str, slug: str, src: str, root: Path, errors: ErrorList,
                unparsed: dict[str, str]) -> RawEntry | BrokenEntry:
    text = _read_text(path, src, root, MAX_FILE_BYTES, errors)
    if text is None:
        return BrokenEntry(kind, slug, src)
    return _split_entry(kind, slug, src, text, errors, unparsed)


def _stamp(path: Path) -> tuple[int, int, int, int] | None:
    """What changes whenever a file's content may have: size, modification and change times, inode."""
    try:
        return _stamp_of(path.stat())
    except OSError:
        return None


def _stamp_of(info: os.stat_result) -> tuple[int, int, int, int]:
    """One definition for the parse memo and the build's content listing, so the two always agree."""
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


def _check_slug(slug: str, src: str, errors: ErrorList) -> bool:
    if SLUG.match(slug) and len(slug) <= MAX_SLUG_LENGTH:
        return True
    suggestion = make_slug(slug)
    hint = f"rename the file to {suggestion}.md" if suggestion else None
    errors.error(src, 0, "file name is not a valid slug: use lowercase letters a-z, digits and single hyphens"
                 f" (at most {MAX_SLUG_LENGTH} characters)", hint)
    return False


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root)
        return True
    except (ValueError, RuntimeError, OSError):  # outside, a symlink loop, or unreadable
        return False


def _read_text(path: Path, src: str, root: Path, limit: int, errors: ErrorList) -> str | None:
    if path.is_symlink() and not _inside(path, root):
        errors.error(src, 0, "file is a link to a place outside the content folder")
        return None
    try:
        info = path.stat()
    except OSError as exc:
        errors.error(src, 0, f"cannot read file: {exc.strerror}")
        return None
    if not stat.S_ISREG(info.st_mode):  # a pipe or device would block or never end
        errors.error(src, 0, "not a regular file")
        return None
    size = info.st_size
    if size > limit:
        errors.error(src, 0, f"file is too large ({size:,} bytes; the limit is {limit:,})")
        return None
    try:
        data = path.read_bytes()
    except OSError as exc:
        errors.error(src, 0, f"cannot read file: {exc.strerror}")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        errors.error(src, line, f"file is not UTF-8 text (byte 0x{data[exc.start]:02x})",
                     "save the file as UTF-8")
        return None
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        errors.error(src, line, "file contains a NUL character")
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _load_data_file(path: Path, src: str, root: Path, errors: ErrorList, unparsed: dict[str, str],
                    required: bool = False) -> YamlDoc | None:
    if not path.exists() and not path.is_symlink():
        if required:
            errors.error(src, 0, "file not found", "create it with at least `title: Your atlas name`")
        return None
    text = _read_text(path, src, root, MAX_DATA_BYTES, errors)
    if text is None:
        return None
    doc = _parse_yaml(text, 1, src, errors)
    if doc is None:
        unparsed[src] = text
    return doc


def _parse_yaml(text: str, first_line: int, src: str, errors: ErrorList) -> YamlDoc | None:
    try:
        return load_yaml(text, first_line)
    except YamlError as exc:
        for problem in exc.problems:
            errors.error(src, problem.line, problem.message, problem.hint)
        return None


def _split_entry(kind: str, slug: str, src: str, text: str, errors: ErrorList,
                 unparsed: dict[str, str]) -> RawEntry | BrokenEntry:
    """Split `---` front matter from the Markdown body."""
    if not text.strip():
        errors.error(src, 1, "file is empty", "start it with front matter between --- lines")
        return BrokenEntry(kind, slug, src)
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        errors.error(src, 1, "file does not start with front matter",
                     "the first line must be --- and the front matter must end with another ---")
        unparsed[src] = text
        return BrokenEntry(kind, slug, src)
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        errors.error(src, 1, "front matter is not closed", "add a line with --- after the front matter")
        unparsed[src] = text
        return BrokenEntry(kind, slug, src)
    body = "\n".join(lines[end + 1:])
    meta = _parse_yaml("\n".join(lines[1:end]) + "\n", 2, src, errors)
    if meta is None:
        unparsed[src] = "\n".join(lines[:end])
        return BrokenEntry(kind, slug, src, body, end + 2)
    if not isinstance(meta.data, dict):
        errors.error(src, 2, "front matter must be a set of `key: value` lines")
        return BrokenEntry(kind, slug, src, body, end + 2)
    return RawEntry(kind, slug, src, meta, body, end + 2)


def folder_label(path: Path) -> str:
    """How error messages name the content folder: as the user gave it."""
    text = Path(path).as_posix()
    return text[2:] if text.startswith("./") else text
