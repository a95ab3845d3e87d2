"""The web's conventions: sitemap.xml, robots.txt and an Atom feed of case studies.

Runs after pages.py, beside data.py; returns outputs. Reads no files. Dates
come from content only (a case study's date), never from the clock, so builds
repeat byte for byte.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from atlas.model import Atlas, Output
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


def _atom(atlas: Atlas, urls: Urls) -> Output:
    studies = [s for s in atlas.of_kind("case-studies") if s.meta.date]
    studies.sort(key=lambda s: (s.meta.date[0], s.slug), reverse=True)
    studies = studies[:FEED_LIMIT]
    feed_url = urls.site_url + "feed.xml"
    updated = _iso(studies[0].meta.date[0]) if studies else "1970-01-01T00:00:00Z"
    entries = []
    for study in studies:
        link = urls.absolute(urls.entry("case-studies", study.slug))
        summary = f"\n    <summary>{escape(study.meta.summary)}</summary>" if study.meta.summary else ""
        entries.append(f"""  <entry>
    <title>{escape(study.title)}</title>
    <link href={quoteattr(link)}/>
    <id>{escape(link)}</id>
    <updated>{_iso(study.meta.date[0])}</updated>{summary}
  </entry>""")
    subtitle = f"\n  <subtitle>{escape(atlas.config.description)}</subtitle>" if atlas.config.description else ""
    text = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={quoteattr(atlas.config.language)}>
  <title>{escape(atlas.config.title)}: case studies</title>{subtitle}
  <link href={quoteattr(feed_url)} rel="self"/>
  <link href={quoteattr(urls.site_url)}/>
  <id>{escape(feed_url)}</id>
  <updated>{updated}</updated>
  <author><name>{escape(atlas.config.title)}</name></author>
{chr(10).join(entries)}
</feed>
"""
    return Output("feed.xml", text.encode("utf-8"))
