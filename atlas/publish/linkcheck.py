"""Check that every internal link of the built site leads somewhere.

Runs after render, before write, in --strict mode: `check_links(outputs,
base_path)` takes the outputs of `pipeline.render` and the site's base path
("/" or "/atlas/") and returns every broken link, so a site with one never
replaces the published one. Reads and writes no files. Pure.

For every HTML output it follows the URLs of `a`/`area`/`link` `href`,
`script`/`iframe`/`audio`/`video`/`track`/`embed` `src`, `img`/`source` `src`
and `srcset`, `video` `poster`, `object` `data` and `form` `action`:

- External URLs are skipped: `http:`, `https:`, `mailto:`, `tel:`, `data:`
  and protocol-relative `//host/...`. Any other scheme (`javascript:`, `file:`
  ...) is reported: the site never makes one.
- Relative URLs are resolved against the page's own URL, as a browser does
  (`../x/` from `/atlas/cities/lyon/` is `/atlas/cities/x/`). `<base href>` is
  ignored, as the pages' `base-uri 'none'` policy makes browsers ignore it.
- The path must start with the base path, and, percent-decoded, name an
  output: `/atlas/` is `index.html`, `/atlas/cities/lyon/` is
  `cities/lyon/index.html`, `/atlas/feed.xml` is `feed.xml`. The query is
  ignored, as static hosts ignore it.
- A `#fragment` on an HTML target (the same page or another) must be the `id`
  of an element there, or the `name` of an `<a>`. `#` and `#top` always work
  (they scroll to the top). Fragments of other files are not checked.

Example::

    >>> page = Output("index.html", b'<a href="/cities/lyon/#map">Lyon</a>')
    >>> check_links([page], "/")
    [BrokenLink(page='index.html', line=1, url='/cities/lyon/#map', reason='no such page or file')]

Each page is tokenised once, collecting ids and links in the same pass, so a
site of 10,000 pages is checked in a few seconds. The tokeniser is a small
regular-expression scanner of start tags that skips comments and the text of
`script`, `style`, `textarea` and `title` as HTML does; `html.parser`, which
is several times slower, is what the tests compare it with, page by page, on
the starter atlas.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape
from urllib.parse import quote, unquote, urljoin, urlsplit

from atlas.errors import AtlasError
from atlas.model import Output
from atlas.render.urls import ADMIN, route_to_dest

# tag -> the attributes of it that hold a URL (srcset holds a list of them)
URL_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "a": ("href",),
    "area": ("href",),
    "link": ("href",),
    "script": ("src",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "iframe": ("src",),
    "form": ("action",),
    "audio": ("src",),
    "video": ("src", "poster"),
    "track": ("src",),
    "embed": ("src",),
    "object": ("data",),
}
EXTERNAL_SCHEMES = frozenset({"http", "https", "mailto", "tel", "data"})

OUTSIDE_BASE = "outside the site's base path"
MISSING = "no such page or file"


@dataclass(frozen=True, order=True)
class BrokenLink:
    """A link in a built page that leads nowhere: `page:line: url: reason`."""

    page: str  # dest of the HTML output: "cities/lyon/index.html"
    line: int  # 1-based line of the tag in that HTML
    url: str  # as written in the attribute (entities decoded)
    reason: str  # "no such page or file", "no element with id 'map'", ...

    def __str__(self) -> str:
        return f"{self.page}:{self.line}: broken link '{self.url}': {self.reason}"

    def as_dict(self) -> dict:
        return {"page": self.page, "line": self.line, "url": self.url, "reason": self.reason}


@dataclass(frozen=True)
class PageLinks:
    """What one HTML page offers (ids) and asks for (URLs, with the offset of their tag)."""

    ids: frozenset[str]
    links: tuple[tuple[int, str], ...]  # (character offset of the tag, url)


class BrokenLinksError(AtlasError):
    """--strict found links in the built site that lead nowhere; nothing was written."""

    def __init__(self, broken: list[BrokenLink]) -> None:
        self.broken = broken
        super().__init__("\n".join(str(link) for link in broken))


def check_links(outputs: list[Output], base_path: str) -> list[BrokenLink]:
    """Every internal link in the HTML outputs that does not resolve, sorted by page and line.

    `base_path` is the path part of the site's base URL: "/" or "/atlas/".
    A page linked without its trailing slash (`/atlas/cities/lyon`) is
    reported, with the address it should have, because that file does not exist.
    """
    base = unquote(base_path if base_path.endswith("/") else base_path + "/")
    files = {output.dest: output for output in outputs}
    memo: dict = {}
    pages = {output.dest: scan_page(output.data.decode("utf-8", errors="replace"), memo)
             for output in outputs if output.dest.endswith(".html") and not output.dest.startswith(ADMIN)}
    resolved: dict[tuple[str, str], tuple[str, str | None, str]] = {}  # memo of _resolve
    found: list[tuple[str, int, str, str]] = []  # (page, offset, url, reason)
    for dest, page in pages.items():
        page_url = base + quote(dest[:-len("index.html")] if _is_index(dest) else dest)
        for offset, url in page.links:
            key = ("", url) if url[0] == "/" else (page_url, url)
            if key not in resolved:
                resolved[key] = _resolve(url, page_url, base, files)
            target, fragment, reason = resolved[key]
            if reason:
                found.append((dest, offset, url, reason))
            elif fragment is not None and target.endswith(".html"):
                if not _has_anchor(pages[target].ids, fragment):
                    where = "" if target == dest else f" in {target}"
                    found.append((dest, offset, url, f"no element with id '{unquote(fragment)}'{where}"))
    texts: dict[str, str] = {}  # pages with a broken link, decoded again to count lines
    for dest, _offset, _url, _reason in found:
        if dest not in texts:
            texts[dest] = files[dest].data.decode("utf-8", errors="replace")
    return sorted(BrokenLink(dest, texts[dest].count("\n", 0, offset) + 1, url, reason)
                  for dest, offset, url, reason in found)


def scan_page(html: str, memo: dict | None = None) -> PageLinks:
    """The ids and the link URLs of one HTML page, in one pass.

    `memo` remembers what each start tag holds: pass the same dict for every
    page of a site, whose header and footer repeat on every page.

    >>> scan_page('<h2 id="map">Map</h2>\\n<a href="#map">map</a><img srcset="a.png 1x, b.png 2x">')
    PageLinks(ids=frozenset({'map'}), links=((22, '#map'), (44, 'a.png'), (44, 'b.png')))
    """
    memo = {} if memo is None else memo
    if len(memo) > _MEMO_SIZE:
        memo.clear()
    ids: set[str] = set()
    links: list[tuple[int, str]] = []
    for match in _TOKEN.finditer(html):
        raw, tag, attrs = match.groups()
        if not attrs:  # a comment, doctype, or a tag without attributes
            continue
        key = (raw or tag, attrs)
        found = memo.get(key)
        if found is None:
            found = memo[key] = _read_tag((raw or tag).lower(), attrs)
        if found is _NOTHING:
            continue
        tag_ids, tag_urls = found
        if tag_ids:
            ids.update(tag_ids)
        for url in tag_urls:
            links.append((match.start(), url))
    return PageLinks(frozenset(ids), tuple(links))


_NOTHING: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
_MEMO_SIZE = 200_000


def _read_tag(tag: str, attrs: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(ids, urls) of one start tag."""
    wanted = URL_ATTRIBUTES.get(tag)
    if wanted is None and "id" not in attrs.lower():
        return _NOTHING
    values = _parse_attributes(attrs)
    ids = [values["id"]] if values.get("id") else []
    if wanted is None:
        return (tuple(ids), ()) if ids else _NOTHING
    if tag == "a" and values.get("name"):
        ids.append(values["name"])
    urls: list[str] = []
    for name in wanted:
        value = values.get(name)
        if value is None:
            continue
        if name == "srcset":
            urls.extend(_srcset_urls(value))
        else:
            value = value.strip(_SPACE)
            if value:
                urls.append(value)
    return (tuple(ids), tuple(urls)) if ids or urls else _NOTHING


# --- resolving one URL -------------------------------------------------------

_SPACE = " \t\n\r\f"
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.\-]*):")


def _is_index(dest: str) -> bool:
    return dest == "index.html" or dest.endswith("/index.html")


def _resolve(url: str, page_url: str, base: str, files: dict[str, Output]) -> tuple[str, str | None, str]:
    """(target dest, fragment or None, reason it is broken or "")."""
    scheme = _SCHEME.match(url)
    if scheme or url.startswith("//"):
        name = scheme.group(1).lower() if scheme else ""
        if scheme and name not in EXTERNAL_SCHEMES:
            return "", None, f"unexpected URL scheme '{name}:'"
        return "", None, ""  # external: not ours to check
    if url.startswith("#"):
        return _page_dest(page_url, base), url[1:] or None, ""
    absolute = url if url.startswith("/") and "/." not in url else urljoin(page_url, url)
    parts = urlsplit(absolute)
    path = unquote(parts.path)
    fragment = parts.fragment or None
    if not path.startswith(base):
        return "", None, OUTSIDE_BASE
    dest = route_to_dest(path[len(base):])
    if dest not in files:
        if not dest.endswith("index.html") and f"{dest}/index.html" in files:
            return dest, None, f"{MISSING}; did you mean '{parts.path}/'?"
        return dest, None, MISSING
    return dest, fragment, ""


def _page_dest(page_url: str, base: str) -> str:
    return route_to_dest(unquote(page_url)[len(base):])


def _has_anchor(ids: frozenset[str], fragment: str) -> bool:
    """Whether a browser finds `#fragment` in a page with these ids (HTML's "indicated part")."""
    return fragment in ids or unquote(fragment) in ids or unquote(fragment).lower() == "top"


# --- tokenising ---------------------------------------------------------------

# One match per comment, doctype, processing instruction, raw-text element or
# start tag with attributes; end tags, text and bare tags such as <p> are
# skipped. A raw-text element (script, style, textarea, title) is matched with
# its text, so a "<a href" inside a script is no link.
_TOKEN = re.compile(r"""
  <(?:
      !--.*?(?:-->|\Z)
    | [!?][^>]*+>?
    | (?: (?P<raw>[sS][cC][rR][iI][pP][tT]|[sS][tT][yY][lL][eE]|[tT][eE][xX][tT][aA][rR][eE][aA]|[tT][iI][tT][lL][eE])
          (?=[\s/>])
        | (?P<tag>[a-zA-Z][^\s/>]*+)(?=[\s/]) )
      (?P<attrs>[^>"']*+(?:(?:"[^"]*+"|'[^']*+')[^>"']*+)*+)>
      (?(raw).*?(?:(?=</(?i:(?P=raw))[\s/>])|\Z))
  )
""", re.S | re.X)

# Attributes are read up to each one the checker wants: id, name and the URL
# attributes; the others are stepped over whole, quoted values included.
_WANTED = "|".join(sorted({"id", "name"} | {name for names in URL_ATTRIBUTES.values() for name in names}))
_NEXT_WANTED = re.compile(rf"""
    (?:[\s/]*+(?!(?:{_WANTED})(?![^\s/>=]))[^\s/>][^\s/>=]*+(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s>]*+))?+)*+
    [\s/]*+(?P<name>{_WANTED})(?![^\s/>=])
    (?:\s*+=\s*+(?:"(?P<dq>[^"]*+)"|'(?P<sq>[^']*+)'|(?P<uq>[^\s>]*+)))?
""", re.I | re.X)


def _parse_attributes(text: str) -> dict[str, str]:
    """The wanted attributes of a start tag (names lowercased, entities decoded); the first of a name wins.

    >>> _parse_attributes(''' class="x" title='a href="no"' HREF="/a/?x=1&amp;y=2" id=top''')
    {'href': '/a/?x=1&y=2', 'id': 'top'}
    """
    values: dict[str, str] = {}
    pos = 0
    while (match := _NEXT_WANTED.match(text, pos)) is not None:
        pos = match.end()
        name, double, single, bare = match.groups()
        name = name.lower()
        if name not in values:
            value = double or single or bare or ""
            values[name] = unescape(value) if "&" in value else value
    return values


def _srcset_urls(srcset: str) -> list[str]:
    """The URLs of a srcset: "a.png 1x, b.png 2x" -> ["a.png", "b.png"] (HTML's parsing rules)."""
    urls: list[str] = []
    pos, end = 0, len(srcset)
    while pos < end:
        while pos < end and srcset[pos] in _SPACE + ",":
            pos += 1
        start = pos
        while pos < end and srcset[pos] not in _SPACE:
            pos += 1
        url = srcset[start:pos]
        if url.endswith(","):
            url = url.rstrip(",")
        else:  # skip the descriptors, up to a comma outside parentheses
            depth = 0
            while pos < end:
                char = srcset[pos]
                pos += 1
                if char == "(":
                    depth += 1
                elif char == ")":
                    depth -= 1
                elif char == "," and depth <= 0:
                    break
        if url:
            urls.append(url)
    return urls
