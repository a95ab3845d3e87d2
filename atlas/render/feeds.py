"""The web's conventions: sitemap.xml, robots.txt and an Atom feed of case studies.

Runs after pages.py, beside data.py; returns outputs. Reads no files. The feed
holds the dated entries of the kinds that are in it (case studies). Dates come
from content only (the entry's date), never from the clock, so builds repeat
byte for byte.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from atlas import kinds
from atlas.model import Atlas, Entry, Output
from atlas.render.urls import Urls

FEED_LIMIT = 50


def render_feeds(atlas: Atlas, html_dests: list[str], urls: Urls) -> list[Output]:
    outputs = [_robots(urls)]
    if urls.site_url:  # both need absolute addresses
        outputs.append(_sitemap(html_dests, urls))
        outputs.append(_atom(atlas, urls))
    return outputs


def _robots(urls: Urls) -> Output:
    lines = ["User-agent: *", "Allow: /"]
    if urls.site_url:
        lines.append(f"Sitemap: {urls.site_url}sitemap.xml")
    return Output("robots.txt", ("\n".join(lines) + "\n").encode("utf-8"))


def _sitemap(html_dests: list[str], urls: Urls) -> Output:
    rows = []
    for dest in sorted(html_dests):
        if dest in ("404.html",) or dest.startswith("search/"):
            continue
        route = dest[: -len("index.html")] if dest.endswith("index.html") else dest
        rows.append(f"  <url><loc>{escape(urls.absolute(urls.page(route)))}</loc></url>")
    text = ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + "\n".join(rows) + "\n</urlset>\n")
    return Output("sitemap.xml", text.encode("utf-8"))


def _iso(value: str) -> str:
    """"2016-02" -> "2016-02-01T00:00:00Z": Atom wants full timestamps."""
    parts = (value.split("-") + ["01", "01"])[:3]
    return f"{int(parts[0]):04d}-{parts[1]}-{parts[2]}T00:00:00Z"


def feed_entries(atlas: Atlas) -> list[tuple[str, Entry]]:
    """(date, entry) of the dated entries of every kind in the feed, newest first, at most FEED_LIMIT."""
    dated = [(getattr(entry.meta, kind.dated_by)[0], entry) for kind in kinds.registered() if kind.feed
             for entry in atlas.of_kind(kind.folder) if getattr(entry.meta, kind.dated_by)]
    dated.sort(key=lambda item: (item[0], item[1].slug), reverse=True)
    return dated[:FEED_LIMIT]


def _atom(atlas: Atlas, urls: Urls) -> Output:
    items = feed_entries(atlas)
    feed_url = urls.site_url + "feed.xml"
    updated = _iso(items[0][0]) if items else "1970-01-01T00:00:00Z"
    entries = []
    for when, entry in items:
        link = urls.absolute(urls.entry(entry.kind, entry.slug))
        summary = f"\n    <summary>{escape(entry.meta.summary)}</summary>" if entry.meta.summary else ""
        entries.append(f"""  <entry>
    <title>{escape(entry.title)}</title>
    <link href={quoteattr(link)}/>
    <id>{escape(link)}</id>
    <updated>{_iso(when)}</updated>{summary}
  </entry>""")
    what = " and ".join(kind.label[1].lower() for kind in kinds.registered() if kind.feed)
    subtitle = f"\n  <subtitle>{escape(atlas.config.description)}</subtitle>" if atlas.config.description else ""
    text = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={quoteattr(atlas.config.language)}>
  <title>{escape(atlas.config.title)}: {escape(what)}</title>{subtitle}
  <link href={quoteattr(feed_url)} rel="self"/>
  <link href={quoteattr(urls.site_url)}/>
  <id>{escape(feed_url)}</id>
  <updated>{updated}</updated>
  <author><name>{escape(atlas.config.title)}</name></author>
{chr(10).join(entries)}
</feed>
"""
    return Output("feed.xml", text.encode("utf-8"))
