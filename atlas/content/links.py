"""Find `[[links]]` and `[@citations]` in entry bodies, with their line numbers.

Runs after schema.py; graph/citations.py resolves what this finds. Reads no files.
Code spans and fenced code blocks are skipped, so an editor can show the
syntax itself in a page.

    [[barcelona]]              a link to the entry with that slug
    [[cities/barcelona]]       the same, naming the kind when a slug is in two
    [[barcelona|the city]]     with its own label
    [@thayer-2016]             a citation; [@a; @b] cites two sources
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

WIKI_LINK = re.compile(r"\[\[([^\[\]\n|]{1,200})(?:\|([^\[\]\n]{1,300}))?\]\]")
CITATION = re.compile(r"\[(@[^\[\]\n]{1,400})\]")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?:.+?)\1", re.S)


@dataclass(frozen=True)
class LinkRef:
    line: int
    target: str  # as written: "barcelona", "cities/barcelona"
    label: str | None


@dataclass(frozen=True)
class CiteRef:
    line: int
    source_id: str


def mask_code(body: str) -> str:
    """Blank out code blocks and spans, keeping every line where it was."""
    out: list[str] = []
    fence: str | None = None
    for line in body.split("\n"):
        match = _FENCE.match(line)
        if fence is not None:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
            out.append("")
            continue
        if match:
            fence = match.group(1)
            out.append("")
            continue
        out.append(line)
    text = "\n".join(out)
    return _CODE_SPAN.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def scan_key(body: str, first_line: int) -> str:
    """What a scan of a body depends on, hashed: the build cache keeps scans by it."""
    return hashlib.sha256(f"{first_line}\0{body}".encode("utf-8")).hexdigest()


def find_refs(body: str, first_line: int) -> tuple[list[LinkRef], list[CiteRef], list[tuple[int, str]]]:
    """Links, citations and malformed citations (line, text) in a body."""
    text = mask_code(body)
    links: list[LinkRef] = []
    cites: list[CiteRef] = []
    bad: list[tuple[int, str]] = []
    line_starts = _line_starts(text)
    for match in WIKI_LINK.finditer(text):
        line = first_line + _line_at(line_starts, match.start())
        label = match.group(2).strip() if match.group(2) else None
        links.append(LinkRef(line, match.group(1).strip(), label or None))
    for match in CITATION.finditer(text):
        line = first_line + _line_at(line_starts, match.start())
        for part in match.group(1).split(";"):
            part = part.strip()
            if not re.fullmatch(r"@[a-z0-9]+(?:-[a-z0-9]+)*", part):
                bad.append((line, part))
                continue
            cites.append(CiteRef(line, part[1:]))
    return links, cites, bad


def _line_starts(text: str) -> list[int]:
    starts = [0]
    starts.extend(match.end() for match in _NEWLINE.finditer(text))
    return starts


_NEWLINE = re.compile("\n")


def _line_at(starts: list[int], offset: int) -> int:
    import bisect

    return bisect.bisect_right(starts, offset) - 1
