"""Render entry bodies: Markdown to HTML, then sanitised.

Runs after relations.py (it needs resolved links and citation numbers), inside
pages.py. Reads no files. Every body goes through nh3 (Ammonia) after
rendering, so no script, event handler, javascript:/data: URL, iframe, form,
base, meta or style reaches a page, however the editor wrote it.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field

import markdown
import nh3
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor

from atlas.content.links import CITATION, WIKI_LINK

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "div", "dl", "dt",
    "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li",
    "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "sup", "table", "tbody",
    "td", "tfoot", "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {
    "*": {"id", "title", "lang"},
    "a": {"href", "class", "aria-label"},
    "abbr": {"title"},
    "img": {"src", "alt", "width", "height", "loading"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
    "div": {"class"},
    "sup": {"class", "id"},
    "li": {"id"},
    "span": {"class"},
}
URL_SCHEMES = {"http", "https", "mailto"}
_ALIGN_CLASSES = {tag: {"class": {"align-left", "align-right", "align-center"}} for tag in ("th", "td")}


@dataclass
class BodyContext:
    """What a body's links and citations resolve to on the page being rendered."""

    links: dict[str, tuple[str, str]] = field(default_factory=dict)  # written target -> (url, title)
    citations: dict[str, int] = field(default_factory=dict)  # source id -> number on the page


class _WikiLinkProcessor(InlineProcessor):
    def __init__(self, pattern: str, context: BodyContext) -> None:
        super().__init__(pattern)
        self.context = context

    def handleMatch(self, m, data):  # noqa: N802 - Markdown's API
        target = m.group(1).strip()
        label = (m.group(2) or "").strip()
        resolved = self.context.links.get(target)
        if resolved is None:  # unresolved links are errors; drafts fall back to text
            span = etree.Element("span")
            span.text = label or target
            return span, m.start(0), m.end(0)
        url, title = resolved
        element = etree.Element("a", {"href": url})
        element.text = label or title
        return element, m.start(0), m.end(0)


class _CitationProcessor(InlineProcessor):
    def __init__(self, pattern: str, context: BodyContext) -> None:
        super().__init__(pattern)
        self.context = context

    def handleMatch(self, m, data):  # noqa: N802 - Markdown's API
        parts = [p.strip()[1:] for p in m.group(1).split(";")]
        numbers = [(p, self.context.citations[p]) for p in parts if p in self.context.citations]
        if not numbers:
            return None, None, None
        sup = etree.Element("sup", {"class": "cite"})
        sup.text = "["
        for index, (source_id, number) in enumerate(numbers):
            link = etree.SubElement(sup, "a", {"href": f"#ref-{source_id}", "aria-label": f"Source {number}"})
            link.text = str(number)
            link.tail = ", " if index < len(numbers) - 1 else "]"
        return sup, m.start(0), m.end(0)


class AtlasExtension(Extension):
    def __init__(self, context: BodyContext) -> None:
        super().__init__()
        self.context = context

    def extendMarkdown(self, md):  # noqa: N802 - Markdown's API
        md.inlinePatterns.register(_WikiLinkProcessor(WIKI_LINK.pattern, self.context), "atlas-link", 176)
        md.inlinePatterns.register(_CitationProcessor(CITATION.pattern, self.context), "atlas-cite", 175)


class MarkdownRenderer:
    """One configured Markdown instance, reused for every body (reset between)."""

    def __init__(self) -> None:
        self.context = BodyContext()
        self._md: markdown.Markdown | None = None

    @property
    def md(self) -> markdown.Markdown:
        """Made when the first body is rendered: a build whose bodies are all cached needs none."""
        if self._md is None:
            self._md = self._make()
        return self._md

    def _make(self) -> markdown.Markdown:
        return markdown.Markdown(
            extensions=["tables", "footnotes", "toc", "sane_lists", "abbr", "def_list", AtlasExtension(self.context)],
            extension_configs={
                "toc": {"permalink": "#", "permalink_class": "anchor", "permalink_title": "Link to this section"},
                "footnotes": {"BACKLINK_TITLE": "Back to reference %d"},
                "tables": {"use_align_attribute": True},
            },
            output_format="html",
        )

    def render(self, body: str, context: BodyContext) -> str:
        self.context.links = context.links
        self.context.citations = context.citations
        self.md.reset()
        html = sanitise_html(_demote_headings(self.md.convert(body)))
        # heading permalinks are the atlas's own markup: keep their "#" out of search excerpts
        return html.replace('<a class="anchor" href=', '<a class="anchor" data-pagefind-ignore href=')


_HEADING = re.compile(r"<(/?)h([1-6])\b")


def _demote_headings(html: str) -> str:
    """The page title is the only h1: a body that uses # headings moves every heading down a level."""
    if "<h1" not in html:
        return html
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + 1, 6)}", html)
_ALIGN = re.compile(r'<(th|td) align="(left|right|center)"')


def sanitise_html(html: str) -> str:
    """Keep what editors legitimately need; drop everything that could run.

    Table alignment becomes a class, so pages need no inline styles (CSP).
    """
    html = _ALIGN.sub(r'<\1 class="align-\2"', html)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
        tag_attribute_values=_ALIGN_CLASSES,
    )


def plain_text(html: str) -> str:
    """Text of an HTML fragment, for descriptions and search excerpts."""
    text = nh3.clean(html, tags=set())
    return re.sub(r"\s+", " ", text).strip()
