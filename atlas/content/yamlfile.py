"""Strict YAML: plain data plus the line of every key and list item.

Used by sources.py for front matter, atlas.yaml and sources.yaml. Reads no files.
Editors write YAML by hand, so the YAML 1.1 surprises are switched off: plain
scalars follow the YAML 1.2 core schema (`NO` is the text "NO", `2016-02-15` is
text), and the rest are refused with a line number: duplicate keys, anchors and
aliases, tags such as `!!python/object`, numbers with leading zeros, nesting
deeper than MAX_DEPTH.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import yaml

try:  # libyaml is about 8x faster; fall back to the pure-Python parser.
    _BaseLoader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _BaseLoader = yaml.SafeLoader

MAX_DEPTH = 20
MAX_NODES = 200_000

Path = tuple  # ("partners", 2, "city")


PLAIN_TAG = "tag:atlas,2024:plain"  # an untagged, unquoted scalar: resolved by _Builder


class _PlainLoader(_BaseLoader):
    """A loader that resolves nothing itself: untagged plain scalars get PLAIN_TAG."""

    yaml_implicit_resolvers: dict = {}

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode and implicit[0]:
            return PLAIN_TAG
        return super().resolve(kind, value, implicit)


_TAG = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "seq", "map")}

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9]+$")
_OCT = re.compile(r"^0o[0-7]+$")
_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$")
_NAN = re.compile(r"^\.(?:nan|NaN|NAN)$")


@dataclass(frozen=True)
class YamlProblem:
    line: int
    message: str
    hint: str | None = None


class YamlError(Exception):
    def __init__(self, problems: list[YamlProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(p.message for p in problems))


@dataclass(frozen=True)
class YamlDoc:
    data: object
    lines: dict  # Path -> 1-based line in the file

    def line_of(self, path: Path, default: int = 1) -> int:
        """The line of `path`, or of its nearest parent that has one."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), default)


def load_yaml(text: str, first_line: int = 1) -> YamlDoc:
    """Parse one YAML document; `first_line` is where `text` starts in its file.

    >>> load_yaml("country: NO\\nsince: 1963\\n").data
    {'country': 'NO', 'since': 1963}
    """
    offset = first_line - 1
    if "&" in text:
        _refuse_anchors(text, offset)
    if _could_nest_deeply(text):
        _refuse_deep_nesting(text, offset, first_line)
    try:
        node = yaml.compose(text, Loader=_PlainLoader)
    except yaml.MarkedYAMLError as exc:
        raise YamlError([_syntax_problem(exc, offset, first_line, text)]) from None
    except yaml.YAMLError as exc:
        raise YamlError([YamlProblem(first_line, f"invalid YAML: {exc}")]) from None
    except RecursionError:
        raise YamlError([_too_deep(first_line)]) from None
    builder = _Builder(offset)
    data = builder.build(node, (), 0) if node is not None else None
    if builder.problems:
        raise YamlError(builder.problems)
    return YamlDoc(data, builder.lines)


_OPENED = ("while parsing a flow", "while scanning a simple key")  # reported where the construct opens


def _syntax_problem(exc: yaml.MarkedYAMLError, offset: int, first_line: int, text: str) -> YamlProblem:
    """A syntax error, at the line where the broken construct starts when YAML says so (an unclosed
    quote or bracket is reported where it opens, not at the end of the file), with a hint for the
    common slips (syntax_hint)."""
    context = exc.context or ""
    opened = (("end of stream" in (exc.problem or "") or context.startswith(_OPENED))
              and exc.context_mark is not None)
    mark = exc.context_mark if opened else (exc.problem_mark or exc.context_mark)
    line = (mark.line + 1 + offset) if mark else first_line
    if "maximum nesting depth" in (exc.problem or ""):
        # libyaml 0.2.6 (PyYAML 6.0.4) refuses nesting past 1,000 levels while scanning ahead,
        # before the atlas's own count reaches MAX_DEPTH: the editor gets the same words either way.
        return _too_deep(line)
    parts = [part for part in (exc.context, exc.problem) if part]
    return YamlProblem(line, f"invalid YAML: {'; '.join(parts) or 'cannot be read'}", syntax_hint(exc, text))


def syntax_hint(exc: yaml.MarkedYAMLError, text: str) -> str | None:
    """What an editor most likely did, from PyYAML's error and the line it points at: for
    `office: Office: International Affairs`, 'put the value in quotes: office: "Office: International Affairs"'.
    """
    problem, context = exc.problem or "", exc.context or ""
    mark = exc.problem_mark
    lines = text.split("\n")
    line = lines[mark.line] if mark and mark.line < len(lines) else ""
    char = line[mark.column] if mark and mark.column < len(line) else ""
    if "tab" in problem or char == "\t":
        return "indent with spaces, not tabs"
    if problem.startswith("mapping values are not allowed"):
        colon = line.find(": ")
        if 0 <= colon < mark.column:  # a second colon on the line: in the value
            key, value = line[:colon].strip(), line[colon + 2:].strip()
            return f"put the value in quotes: {key}: {_quoted(value)}" if len(line) <= 100 else \
                f"put the value of {key.lstrip('- ')} in quotes"
        return "check the indentation: the keys of one set start in the same column"
    if "quoted scalar" in context:
        if "end of stream" in problem:
            return "close the quote: the value needs a quote at its end like the one at its start"
        return "write \\\\ for a backslash in double quotes, or use single quotes"
    if context.startswith("while parsing a flow"):
        for part in line.strip(" -[]{}").split(","):
            if part.count(": ") > 1:  # `{city: lyon, note: Signed: 1990}`
                key, value = part.strip().split(": ", 1)
                return f"put the value in quotes: {key}: {_quoted(value)}"
    if context.startswith("while parsing a flow sequence"):
        return "close the list with ] and separate its items with commas"
    if context.startswith("while parsing a flow mapping"):
        return "close the set with } and separate its `key: value` pairs with commas"
    if context.startswith("while scanning a simple key"):
        return "write `key: value`, with a colon and a space; a long value goes in quotes"
    if char in ("@", "`", "%", "*", "&", "!", "|", ">") or "alias" in problem:
        return f"a value cannot start with {char or '*'}: put the value in quotes"
    if "expected key" in problem or "'-' indicator" in problem:
        if line[: mark.column].rstrip().endswith(('"', "'")):
            return "text follows the closing quote: put the whole value in quotes"
        return "check the indentation: the keys of one set start in the same column"
    return None


def _quoted(value: str) -> str:
    return '"' + value.strip().replace("\\", "\\\\").replace('"', '\\"') + '"'


def _too_deep(line: int) -> YamlProblem:
    return YamlProblem(line, f"YAML is nested more than {MAX_DEPTH} levels deep")


def _could_nest_deeply(text: str) -> bool:
    """A cheap test: only text with many brackets or dashes, or deep indentation, is scanned."""
    return (text.count("[") + text.count("{") + text.count("- ") > MAX_DEPTH
            or any(len(line) - len(line.lstrip()) > 2 * MAX_DEPTH for line in text.splitlines()))


def _refuse_deep_nesting(text: str, offset: int, first_line: int) -> None:
    """libyaml's composer recurses once per level and can exhaust the C stack: count levels first."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_PlainLoader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    raise YamlError([_too_deep(event.start_mark.line + 1 + offset)])
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        raise YamlError([_syntax_problem(exc, offset, first_line, text)]) from None


def _refuse_anchors(text: str, offset: int) -> None:
    """Anchors are refused even without an alias: they are the start of alias bombs."""
    try:
        for event in yaml.parse(text, Loader=_PlainLoader):
            if getattr(event, "anchor", None):
                line = event.start_mark.line + 1 + offset
                raise YamlError([YamlProblem(line, "anchors and aliases (&name, *name) are not supported",
                                             "write the value out in full")])
    except yaml.YAMLError:
        return  # compose reports the syntax error with its line


class _Builder:
    """Turns a composed node tree into plain data, checking as it goes."""

    def __init__(self, offset: int) -> None:
        self.offset = offset
        self.lines: dict = {}
        self.problems: list[YamlProblem] = []
        self.seen: set[int] = set()
        self.count = 0

    def line(self, node: yaml.Node) -> int:
        return node.start_mark.line + 1 + self.offset

    def fail(self, node: yaml.Node, message: str, hint: str | None = None) -> None:
        self.problems.append(YamlProblem(self.line(node), message, hint))

    def build(self, node: yaml.Node, path: Path, depth: int) -> object:
        self.count += 1
        if self.count > MAX_NODES:
            if self.count == MAX_NODES + 1:
                self.fail(node, f"YAML has more than {MAX_NODES} values")
            return None
        if id(node) in self.seen:
            self.fail(node, "anchors and aliases (&name, *name) are not supported",
                      "write the value out in full")
            return None
        self.seen.add(id(node))
        if depth > MAX_DEPTH:
            self.problems.append(_too_deep(self.line(node)))
            return None
        if node.tag not in _ALLOWED_TAGS and node.tag != PLAIN_TAG:
            self.fail(node, f"YAML tag {node.tag.replace(_TAG, '!!')} is not allowed",
                      "remove the tag; write plain values")
            return None
        if isinstance(node, yaml.MappingNode):
            return self.build_mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, child in enumerate(node.value):
                self.lines[path + (index,)] = self.line(child)
                items.append(self.build(child, path + (index,), depth + 1))
            return items
        return self.build_scalar(node)

    def build_mapping(self, node: yaml.MappingNode, path: Path, depth: int) -> dict:
        result: dict = {}
        first_seen: dict = {}
        for key_node, value_node in node.value:
            if key_node.tag == _TAG + "merge" or (
                isinstance(key_node, yaml.ScalarNode) and key_node.value == "<<" and key_node.tag == PLAIN_TAG
            ):
                self.fail(key_node, "merge keys (<<) are not supported")
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.fail(key_node, "a key must be plain text")
                continue
            key = key_node.value
            if key in first_seen:
                self.fail(key_node, f"duplicate key '{key}' (first given on line {first_seen[key]})",
                          "give each key once")
                continue
            first_seen[key] = self.line(key_node)
            self.lines[path + (key,)] = self.line(key_node)
            result[key] = self.build(value_node, path + (key,), depth + 1)
        return result

    def build_scalar(self, node: yaml.ScalarNode) -> object:
        value = node.value
        if node.tag != PLAIN_TAG:  # quoted, block, or explicitly tagged
            return self.build_tagged_scalar(node)
        tag = "str"
        if tag in ("str", "null") and _NULL.match(value):
            return None
        if tag in ("str", "bool") and value in _BOOL:
            return _BOOL[value]
        if tag in ("str", "int"):
            if _INT.match(value):
                digits = value.lstrip("+-")
                if len(digits) > 1 and digits.startswith("0"):
                    self.fail(node, f"the number {value} has a leading zero",
                              f"write {int(value)}, or put it in quotes if it is text")
                    return None
                if len(digits) > 30:
                    self.fail(node, f"the number {value[:20]}… is too long")
                    return None
                return int(value)
            if _OCT.match(value):
                return int(value[2:], 8)
            if _HEX.match(value):
                return int(value[2:], 16)
        if tag in ("str", "float"):
            if _FLOAT.match(value):
                return float(value)
            if _INF.match(value):
                return -math.inf if value.startswith("-") else math.inf
            if _NAN.match(value):
                return math.nan
        return value

    def build_tagged_scalar(self, node: yaml.ScalarNode) -> object:
        value, tag = node.value, node.tag[len(_TAG):]
        if tag == "str":
            return value
        plain = yaml.ScalarNode(PLAIN_TAG, value, node.start_mark, node.end_mark)
        result = self.build_scalar(plain)
        expected = {"int": int, "float": (int, float), "bool": bool, "null": type(None)}[tag]
        if isinstance(result, bool) and tag in ("int", "float") or not isinstance(result, expected):
            self.fail(node, f"'{value}' is not a valid !!{tag}")
            return None
        return float(result) if tag == "float" else result
