"""Is a built site inert? Every check the hostile corpus and the property tests share.

`find_hazards(output)` lists every place where content could run script or
change what the page does, as "path: what" lines; an empty list means inert:

- the only <script> elements are the site's own: a local file under
  /assets/ (or /pagefind/), the map's `application/json` block with id
  `atlas-map-data`, and `application/ld+json`;
- no event-handler attributes (on...=), srcdoc, formaction, or inline styles
  that load or run anything;
- no javascript:, data:, vbscript: URLs in any URL attribute, however they are
  written (any case, entities, tabs, newlines, control characters);
- no <iframe>, <frame>, <object>, <embed>, <applet>, <base>, <style>, no
  <form> but the site's own search box (GET to its /search/ page) and year slider (sent nowhere),
  <link> outside <head>, and no <meta http-equiv> but the site's own
  Content-Security-Policy in <head>;
- JSON blocks hold valid JSON with no raw `</`, `<!--` or U+2028/U+2029;
- the first elements with ids `map_atlas` and `atlas-map-data` are the site's
  own map and map data (content cannot clobber what the map script looks up);
- JSON files parse; no .js file contains the payload marker `pwned`;
- every file in the output folder is a regular file inside it.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background",
                  "srcset", "cite", "ping", "lowsrc", "dynsrc", "longdesc", "usemap", "codebase", "manifest",
                  "icon", "profile", "archive", "classid", "to", "from", "values"}
FORBIDDEN_TAGS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "form", "style",
                  "portal", "fencedframe"}
HEAD_ONLY_TAGS = {"link", "meta"}
BAD_SCHEME = re.compile(r"^(?:javascript|data|vbscript|livescript|mocha):", re.I)
STRIPPED_IN_URLS = re.compile(r"[\x00-\x20\x7f-\x9f\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]")
SITE_SCRIPT_DIRS = ("assets/", "pagefind/")
CLOBBER_IDS = {"map_atlas": ("div", None), "atlas-map-data": ("script", "application/json")}
RAW_FORBIDDEN = re.compile(r"<\s*/?\s*(iframe|frame|frameset|object|embed|applet|base|form|style|portal)\b", re.I)
JSON_BLOCK = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.I | re.S)
MARKER = "pwned"


def url_is_dangerous(value: str) -> bool:
    """True for a URL a browser would run or treat as a document of its own.

    Browsers drop leading/trailing C0 controls and spaces and every tab and
    newline inside a URL before they read its scheme.
    """
    return bool(BAD_SCHEME.match(STRIPPED_IN_URLS.sub("", value)))


class _Scanner(HTMLParser):
    def __init__(self, where: str, base_path: str) -> None:
        super().__init__(convert_charrefs=True)
        self.where = where
        self.base_path = base_path
        self.hazards: list[str] = []
        self.in_head = False
        self.seen_body = False
        self.scripts = 0
        self.allowed_forms = 0
        self.first_id: dict[str, tuple[str, dict]] = {}
        self.style_text: list[str] = []
        self._in_style = False

    def hazard(self, text: str) -> None:
        self.hazards.append(f"{self.where}: {text}")

    def handle_starttag(self, tag, attrs):
        self._check(tag, attrs)
        if tag == "head":
            self.in_head = True
        elif tag == "body":
            self.in_head, self.seen_body = False, True
        elif tag == "style":
            self._in_style = True

    def handle_startendtag(self, tag, attrs):
        self._check(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False
        elif tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.style_text.append(data)

    def _check(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: (value or "") for name, value in attrs}
        shown = self.get_starttag_text() or f"<{tag}>"
        shown = shown if len(shown) < 160 else shown[:157] + "..."
        for name, value in values.items():
            if name == "id" and value in CLOBBER_IDS and value not in self.first_id:
                self.first_id[value] = (tag, values)
            if name.startswith("on"):
                self.hazard(f"event handler attribute {name}= in {shown}")
            if name in ("srcdoc", "formaction"):
                self.hazard(f"{name}= attribute in {shown}")
            if name == "style" and re.search(r"@import|expression\s*\(|url\s*\(|javascript:|behavior", value, re.I):
                self.hazard(f"active inline style in {shown}")
            if name in URL_ATTRIBUTES and any(url_is_dangerous(part.strip().split(" ")[0])
                                              for part in (value.split(",") if name == "srcset" else [value])):
                self.hazard(f"{name}= URL with a script or data scheme in {shown}")
        if tag == "script":
            self.scripts += 1
            if not self._site_script(values):
                self.hazard(f"script element that is not the site's own: {shown}")
        elif tag == "form" and (self._site_search_form(values) or self._year_control(values)):
            self.allowed_forms += 1
        elif tag in FORBIDDEN_TAGS:
            self.hazard(f"<{tag}> element: {shown}")
        elif tag in HEAD_ONLY_TAGS and not self.in_head:
            self.hazard(f"<{tag}> outside <head>: {shown}")
        elif tag == "meta" and "http-equiv" in values and values["http-equiv"].lower() != "content-security-policy":
            self.hazard(f"<meta http-equiv> other than the site's policy: {shown}")
        elif tag == "link" and url_is_dangerous(values.get("href", "")):
            self.hazard(f"link to a script URL: {shown}")

    def _site_search_form(self, values: dict[str, str]) -> bool:
        """The site's own search box: a GET form to its own search page."""
        return ("site-search" in values.get("class", "").split() and values.get("action") == self.base_path + "search/"
                and values.get("method", "get").lower() == "get")

    @staticmethod
    def _year_control(values: dict[str, str]) -> bool:
        """The site's year slider (macros.html year_control): a form that is never sent anywhere."""
        return ("year-control" in values.get("class", "").split() and "data-year-control" in values
                and not {"action", "method", "target"} & values.keys())

    def _site_script(self, values: dict[str, str]) -> bool:
        kind = values.get("type", "").lower()
        if "src" in values:
            src = values["src"]
            local = src.startswith(self.base_path) and not src.startswith("//")
            return (local and src[len(self.base_path):].startswith(SITE_SCRIPT_DIRS)
                    and set(values) <= {"src", "defer", "type", "async"} and kind in ("", "module"))
        if kind == "application/json":
            return values.get("id") == "atlas-map-data" and set(values) == {"type", "id"}
        return kind == "application/ld+json" and set(values) == {"type"}


def html_hazards(html: str, where: str, base_path: str = "/") -> list[str]:
    """Hazards in one HTML page."""
    scanner = _Scanner(where, base_path)
    scanner.feed(html)
    scanner.close()
    hazards = scanner.hazards
    if scanner.style_text and re.search(r"@import|expression\s*\(|url\s*\(", "".join(scanner.style_text), re.I):
        hazards.append(f"{where}: style element with @import, url() or expression()")
    raw_scripts = len(re.findall(r"<script\b", html, re.I))
    if raw_scripts != scanner.scripts:
        hazards.append(f"{where}: {raw_scripts} '<script' in the text but {scanner.scripts} script elements")
    raw_forms = 0
    for match in RAW_FORBIDDEN.finditer(html):
        if match.group(1).lower() == "form":
            raw_forms += not match.group(0).replace(" ", "").startswith("</")
            continue
        hazards.append(f"{where}: raw {match.group(0)!r} in the page text")
    if raw_forms != scanner.allowed_forms:
        hazards.append(f"{where}: {raw_forms} '<form' in the text but {scanner.allowed_forms} site forms (search box, year slider)")
    metas = re.findall(r"<meta\b[^>]*http-equiv[^>]*>", html, re.I)
    if metas and (len(metas) > 1 or html.find(metas[0]) > html.lower().find("</head")):
        hazards.append(f"{where}: <meta http-equiv> outside the site's one policy in <head>: {metas}")
    for match in JSON_BLOCK.finditer(html):
        attributes, text = match.group(1), match.group(2)
        if "json" not in attributes.lower():
            continue
        for bad, name in (("</", "'</'"), ("<!--", "'<!--'"), ("\u2028", "U+2028"), ("\u2029", "U+2029")):
            if bad in text:
                hazards.append(f"{where}: JSON block contains raw {name}")
        try:
            json.loads(text)
        except ValueError as exc:
            hazards.append(f"{where}: JSON block does not parse ({exc}): {text[:120]!r}")
    for element_id, (tag, kind) in CLOBBER_IDS.items():
        first = scanner.first_id.get(element_id)
        if first and (first[0] != tag or (kind and first[1].get("type") != kind)):
            hazards.append(f"{where}: the first element with id {element_id!r} is a <{first[0]}>"
                           " from content, not the site's own")
    return hazards


def find_hazards(output: Path, base_path: str = "/") -> list[str]:
    """Every hazard in a built site; [] when the site is inert."""
    output = Path(output)
    root = output.resolve()
    hazards: list[str] = []
    for path in sorted(output.rglob("*")):
        where = path.relative_to(output).as_posix()
        if path.is_symlink():
            hazards.append(f"{where}: output contains a symbolic link to {path.resolve()}")
            continue
        if not path.resolve().is_relative_to(root):
            hazards.append(f"{where}: outside the output folder")
            continue
        if not path.is_file():
            continue
        if path.suffix == ".html":
            hazards.extend(html_hazards(path.read_text(encoding="utf-8"), where, base_path))
        elif path.suffix in (".json", ".geojson"):
            try:
                json.loads(path.read_bytes())
            except ValueError as exc:
                hazards.append(f"{where}: not valid JSON ({exc})")
        elif path.suffix in (".js", ".mjs", ".css"):
            hazards.extend(f"{where}: {problem}" for problem in script_file_hazards(
                path.read_text(encoding="utf-8", errors="replace"), path.suffix == ".css"))
    return hazards


def script_file_hazards(text: str, css: bool = False) -> list[str]:
    """Content may reach a script file only inside JSON string literals (folium's options).

    Every line that holds the payload marker must lex as JSON strings and
    punctuation, with the marker inside a string; anything else is a hazard.
    """
    problems = []
    for number, line in enumerate(text.splitlines(), 1):
        if MARKER not in line:
            continue
        if css:
            problems.append(f"line {number}: content ({MARKER!r}) reached a style sheet")
            continue
        outside = _outside_json_strings(line)
        if outside is None or MARKER in outside:
            problems.append(f"line {number}: content ({MARKER!r}) outside a JSON string: {line.strip()[:160]!r}")
    return problems


def _outside_json_strings(line: str) -> str | None:
    """The line with its JSON string literals removed; None if it has other kinds of literal."""
    decoder = json.JSONDecoder()
    kept, index = [], 0
    while index < len(line):
        char = line[index]
        if char == '"':
            try:
                _, end = decoder.raw_decode(line, index)
            except ValueError:
                return None
            index = end
            continue
        if char in "'`/":
            return None
        kept.append(char)
        index += 1
    return "".join(kept)
