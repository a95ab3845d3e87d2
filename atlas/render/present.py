"""Turn stored values into reader-facing text: dates, disputed values, countries, regions.

Pure helpers used by pages.py and templates (as Jinja filters). Reads no files.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import pycountry

from atlas.graph.gazetteer import continents

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
REGIONS = {
    "AF": "Africa", "AS": "Asia", "EU": "Europe", "NA": "North America", "SA": "South America",
    "OC": "Oceania", "AN": "Antarctica",
}
KIND_OF_PARTNERSHIP = {
    "sister-city": "Sister city",
    "friendship": "Friendship",
    "cooperation": "Cooperation",
    "memorandum": "Memorandum",
}


def format_date(value: str) -> str:
    """"1967-06-23" -> "23 June 1967"; "2016-02" -> "February 2016"; "1963" -> "1963"."""
    parts = value.split("-")
    year = str(int(parts[0]))  # "0836" -> "836"
    if len(parts) == 3:
        return f"{int(parts[2])} {MONTHS[int(parts[1]) - 1]} {year}"
    if len(parts) == 2:
        return f"{MONTHS[int(parts[1]) - 1]} {year}"
    return year


def format_disputed(values: tuple[str, ...] | None) -> str:
    """One date as itself; several as "1986 or 1989 (sources differ)"."""
    if not values:
        return ""
    shown = [format_date(v) for v in values]
    if len(shown) == 1:
        return shown[0]
    return f"{', '.join(shown[:-1])} or {shown[-1]} (sources differ)"


def format_disputed_note(values: tuple[str, ...] | None) -> str:
    """format_disputed for use inside brackets, where it must not nest: "1931 or 1934; sources differ"."""
    text = format_disputed(values)
    return text.replace(" (sources differ)", "; sources differ")


SHORT_COUNTRY_NAMES = {
    "KR": "South Korea", "KP": "North Korea", "TW": "Taiwan", "RU": "Russia", "IR": "Iran",
    "SY": "Syria", "VN": "Vietnam", "BO": "Bolivia", "VE": "Venezuela", "TZ": "Tanzania",
    "MD": "Moldova", "LA": "Laos", "PS": "Palestine", "XK": "Kosovo", "GB": "United Kingdom",
    "US": "United States", "CD": "Democratic Republic of the Congo", "CG": "Republic of the Congo",
    "FM": "Micronesia", "VA": "Vatican City", "BN": "Brunei", "VG": "British Virgin Islands",
    "VI": "US Virgin Islands", "FK": "Falkland Islands", "CC": "Cocos Islands",
}


@lru_cache(maxsize=512)
def country_name(code: str) -> str:
    """ "KR" -> "South Korea", "RU" -> "Russia": a short common name."""
    if code in SHORT_COUNTRY_NAMES:
        return SHORT_COUNTRY_NAMES[code]
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name


def region_of(code: str) -> str:
    return REGIONS.get(continents().get(code, ""), "Other")


def shown_region(name: str, region: str | None) -> str:
    """The region to print after a city's name: "" when it has none, or when its name already places it
    ("Columbus, Ohio", "Washington, D.C.")."""
    return region if region and "," not in name else ""


def place_name(name: str, region: str | None) -> str:
    """ "Toledo", "Ohio" -> "Toledo, Ohio": a city's name as readers tell namesakes apart."""
    shown = shown_region(name, region)
    return f"{name}, {shown}" if shown else name


def partnership_kind(kind: str) -> str:
    return KIND_OF_PARTNERSHIP.get(kind, kind)


def count(n: int, singular: str, plural: str | None = None) -> str:
    """count(1, "city", "cities") -> "1 city"; thousands get a comma."""
    word = singular if n == 1 else (plural or singular + "s")
    return f"{n:,} {word}"


ROLE_NAMES = {
    "member": "Member",
    "founding-member": "Founding member",
    "steering-committee": "Steering committee",
    "chair": "Chair",
    "co-chair": "Co-chair",
    "secretariat-host": "Host of the secretariat",
}


def role_name(role: str) -> str:
    """ "founding-member" -> "Founding member"."""
    return ROLE_NAMES.get(role, role)


def tie_status(relation: Any) -> str:
    """How a tie stands, for a label: "" while current; "Suspended 16 March 2022", "Ended 2018", "Suspended"."""
    status = getattr(relation, "status", "active" if not relation.until else "ended")
    if status == "active":
        return ""
    when = format_disputed(relation.until)
    return f"{status.capitalize()} {when}" if when else status.capitalize()


def period(since: tuple[str, ...], until: tuple[str, ...]) -> str:
    """ "since 2005", "2005 to 2019", "until 2019", or "" when neither is known."""
    start, end = format_disputed(since), format_disputed(until)
    if start and end:
        return f"{start} to {end}"
    if start:
        return f"since {start}"
    return f"until {end}" if end else ""


def reported(count_reported: int, as_of: str, in_atlas: int) -> str:
    """ "97 members reported in 2024; 12 in the atlas" ("on 3 May 2024" for a full date)."""
    word = "on" if len(as_of) == 10 else "in"
    return (f"{count(count_reported, 'member')} reported {word} {format_date(as_of)};"
            f" {in_atlas:,} in the atlas")


def format_size(size: int) -> str:
    """A file's size for readers, in decimal units: "812 bytes", "14.2 kB", "1.6 MB"."""
    if size < 1000:
        return count(size, "byte", "bytes")
    if size < 1_000_000:
        return f"{size / 1000:.1f} kB"
    return f"{size / 1_000_000:.1f} MB"
