"""When an index page grows too long for one page, and where its parts go.

Used by pages.py (city_index, partnership_index, timeline). Pure; reads no files.
Below its limit an index stays one page. Above it, cities/ lists regions and
countries with counts, each country linking to a page of its own
(cities/country/fr/), and partnerships/ and timeline/ list decades with counts,
each decade linking to a page of its own (timeline/1990s/), plus one page for
items whose year is not recorded (timeline/undated/). The limits are module
constants, read when pages are rendered, so tests can lower them.
"""

from __future__ import annotations

CITY_INDEX_LIMIT = 1_000  # more cities than this: one page per country
PARTNERSHIP_INDEX_LIMIT = 1_000  # more partnerships than this: one page per decade
TIMELINE_LIMIT = 1_000  # more timeline items (partnerships and case studies) than this: one page per decade

UNDATED = "undated"  # the part of partnerships/ and timeline/ for items without a year
UNDATED_LABEL = "Year not recorded"


def country_route(code: str) -> str:
    """"FR" -> "cities/country/fr/"."""
    return f"cities/country/{code.lower()}/"


def decade_of(year: int) -> int:
    """1987 -> 1980."""
    return year // 10 * 10


def decade_route(section: str, decade: int | None) -> str:
    """("timeline", 1990) -> "timeline/1990s/"; ("timeline", None) -> "timeline/undated/"."""
    return f"{section}/{decade}s/" if decade is not None else f"{section}/{UNDATED}/"


def decade_label(decade: int | None) -> str:
    """1990 -> "1990s"; None -> "Year not recorded"."""
    return f"{decade}s" if decade is not None else UNDATED_LABEL
