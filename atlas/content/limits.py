"""Bounds on expensive input, checked before any Markdown is rendered.

Runs in graph/citations.py beside the link scan. Reads no files. Markdown parsers
spend time that grows with the square of some inputs (thousands of `[` in one
paragraph) or recurse once per nesting level, so bodies that exceed these
limits are refused with the line where the limit was crossed. The limits are
far above anything an atlas entry needs; docs/security.md lists them.
"""

from __future__ import annotations

import re

from atlas.content.links import mask_code

MAX_BRACKETS_PER_PARAGRAPH = 300  # "[" characters in one paragraph (links, citations, footnotes)
MAX_BRACKETS_PER_BODY = 20_000
MAX_INDENT = 100  # columns of leading space outside code blocks (about 25 nested list levels)
MAX_QUOTE_DEPTH = 25  # nested ">" block quotes
MAX_FOOTNOTES = 1_000
MAX_LINE_LENGTH = 100_000
MAX_HTML_TAGS = 2_000  # raw HTML tags in one text (sanitising deeply nested HTML is slow)

_QUOTES = re.compile(r"^(?:\s{0,3}>)+")
_FOOTNOTE = re.compile(r"^\s{0,3}\[\^[^\]]+\]:", re.M)
_HTML_TAG = re.compile(r"<[A-Za-z!/]")


def check_body_limits(body: str, first_line: int) -> list[tuple[int, str]]:
    """Problems (line, message) with a body that would be too expensive to render."""
    text = mask_code(body)
    problems: list[tuple[int, str]] = []
    paragraph_brackets = 0
    paragraph_start = first_line
    total = 0
    reported_paragraph = False
    for offset, line in enumerate(text.split("\n")):
        number = first_line + offset
        if not line.strip():
            paragraph_brackets, paragraph_start, reported_paragraph = 0, number + 1, False
            continue
        if len(line) > MAX_LINE_LENGTH:
            problems.append((number, f"line is longer than {MAX_LINE_LENGTH:,} characters"))
            return problems
        indent = len(line) - len(line.lstrip(" \t"))
        if indent > MAX_INDENT:
            problems.append((number, f"line is indented by more than {MAX_INDENT} spaces (lists nested too deeply)"))
            return problems
        quotes = _QUOTES.match(line)
        if quotes and quotes.group(0).count(">") > MAX_QUOTE_DEPTH:
            problems.append((number, f"block quotes are nested more than {MAX_QUOTE_DEPTH} deep"))
            return problems
        brackets = line.count("[")
        paragraph_brackets += brackets
        total += brackets
        if paragraph_brackets > MAX_BRACKETS_PER_PARAGRAPH and not reported_paragraph:
            problems.append((paragraph_start, f"a paragraph has more than {MAX_BRACKETS_PER_PARAGRAPH} '[' characters",))
            reported_paragraph = True
        if total > MAX_BRACKETS_PER_BODY:
            problems.append((number, f"the text has more than {MAX_BRACKETS_PER_BODY:,} '[' characters"))
            return problems
    tags = len(_HTML_TAG.findall(text))
    if tags > MAX_HTML_TAGS:
        problems.append((first_line, f"the text has {tags:,} HTML tags; the limit is {MAX_HTML_TAGS:,}"))
    footnotes = len(_FOOTNOTE.findall(text))
    if footnotes > MAX_FOOTNOTES:
        problems.append((first_line, f"the text has {footnotes:,} footnotes; the limit is {MAX_FOOTNOTES:,}"))
    return problems
