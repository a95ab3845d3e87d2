"""What editors' tools write: ISO country codes from what people write, slugs, YAML values, dates.

Shared by `atlas new` (scaffold.py), the kinds' new-entry templates (atlas/kinds/) and
`atlas import twinnings` (importer/). Pure: reads and writes no files.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import date as Date
from pathlib import Path

import pycountry

from atlas.content.fields import make_slug
from atlas.content.yamlfile import YamlError, load_yaml
from atlas.errors import AtlasError
from atlas.graph import gazetteer
from atlas.render.present import country_name


class ScaffoldError(AtlasError):
    """A new entry cannot be written; the message says why."""


@dataclass(frozen=True)
class NewOptions:
    """What `atlas new` was given besides the name, for a kind's new-entry template."""

    country: str | None
    cities: tuple[str, ...]
    date: str | None
    content_dir: Path
    src: str  # the new file, as messages show it


# --- countries ----------------------------------------------------------------

# Names people write that pycountry does not know, or knows as something else.
COMMON_COUNTRY_NAMES = {
    "uk": "GB", "u k": "GB", "great britain": "GB", "britain": "GB", "england": "GB", "scotland": "GB",
    "wales": "GB", "northern ireland": "GB", "united kingdom of great britain and northern ireland": "GB",
    "usa": "US", "u s a": "US", "u s": "US", "united states": "US", "united states of america": "US",
    "america": "US",
    "south korea": "KR", "korea": "KR", "republic of korea": "KR", "korea south": "KR",
    "north korea": "KP", "korea north": "KP",
    "russia": "RU", "iran": "IR", "vietnam": "VN", "taiwan": "TW", "ivory coast": "CI", "cote d ivoire": "CI",
    "czech republic": "CZ", "czechia": "CZ", "slovak republic": "SK",
    "holland": "NL", "the netherlands": "NL", "turkey": "TR", "turkiye": "TR",
    "laos": "LA", "syria": "SY", "bolivia": "BO", "venezuela": "VE", "tanzania": "TZ", "moldova": "MD",
    "macedonia": "MK", "palestine": "PS", "vatican": "VA", "vatican city": "VA", "holy see": "VA",
    "kosovo": "XK", "burma": "MM", "swaziland": "SZ", "cape verde": "CV", "east timor": "TL",
    "dr congo": "CD", "drc": "CD", "democratic republic of the congo": "CD", "congo kinshasa": "CD",
    "zaire": "CD", "congo brazzaville": "CG", "republic of the congo": "CG",
    "east germany": "DE", "west germany": "DE", "gdr": "DE", "frg": "DE",
    "brunei": "BN", "micronesia": "FM", "the bahamas": "BS", "the gambia": "GM", "uae": "AE",
    "china": "CN", "prc": "CN", "mainland china": "CN", "hong kong": "HK", "macau": "MO", "macao": "MO",
    "the philippines": "PH", "south vietnam": "VN", "north vietnam": "VN",
}

# Countries that no longer exist. A renamed or merged country maps to one code;
# a country that split maps to its successors, and the city decides (importer/).
FORMER_COUNTRIES = {
    "BUR": ("Burma", ("MM",)), "DHY": ("Dahomey", ("BJ",)), "HVO": ("Upper Volta", ("BF",)),
    "ZAR": ("Zaire", ("CD",)), "TMP": ("East Timor", ("TL",)), "DDR": ("East Germany", ("DE",)),
    "NHB": ("New Hebrides", ("VU",)), "RHO": ("Southern Rhodesia", ("ZW",)), "BYS": ("Byelorussian SSR", ("BY",)),
    "SKM": ("Sikkim", ("IN",)), "VDR": ("North Vietnam", ("VN",)), "YMD": ("South Yemen", ("YE",)),
    "FXX": ("Metropolitan France", ("FR",)), "PCZ": ("Panama Canal Zone", ("PA",)),
    "AFI": ("French Afars and Issas", ("DJ",)),
    "CSK": ("Czechoslovakia", ("CZ", "SK")),
    "SCG": ("Serbia and Montenegro", ("RS", "ME")),
    "SUN": ("the Soviet Union", ("RU", "UA", "BY", "MD", "LT", "LV", "EE", "GE", "AM", "AZ", "KZ", "UZ",
                                 "TM", "KG", "TJ")),
    "YUG": ("Yugoslavia", ("SI", "HR", "BA", "RS", "ME", "MK", "XK")),
    "ANT": ("the Netherlands Antilles", ("CW", "SX", "BQ", "AW")),
    "GEL": ("the Gilbert and Ellice Islands", ("KI", "TV")),
}
FORMER_NAMES = {
    "soviet union": "SUN", "ussr": "SUN", "u s s r": "SUN", "czechoslovakia": "CSK", "yugoslavia": "YUG",
    "serbia and montenegro": "SCG", "netherlands antilles": "ANT", "german democratic republic": "DDR",
    "byelorussian ssr": "BYS", "upper volta": "HVO", "dahomey": "DHY", "new hebrides": "NHB",
    "rhodesia": "RHO", "southern rhodesia": "RHO", "south yemen": "YMD",
}


@dataclass(frozen=True)
class CountryLookup:
    """A country as written, resolved: `code`, or why not (`reason`), or the present-day candidates."""

    written: str
    code: str | None
    name: str | None = None  # "Brazil", for messages and summaries
    note: str | None = None  # set when the text was a guess: "'Holland' taken as NL (Netherlands)"
    reason: str | None = None  # set when code is None
    successors: tuple[str, ...] = ()  # the present-day countries of a country that split

    @property
    def exact(self) -> bool:
        """True when the text was the alpha-2 code itself (in any case)."""
        return self.code is not None and self.written.upper() == self.code


# The countries whose names take "the" in a sentence.
_WITH_THE = {"AE", "BS", "CF", "KM", "DO", "GB", "GM", "MV", "MH", "NL", "PH", "SB", "SC", "TC", "US", "UM",
             "CD", "CG", "VG", "VI", "FK", "CC", "KY", "FO", "CK", "MP", "VA"}


def country_in_text(code: str) -> str:
    """The name as it reads in a sentence: "the United States", "Brazil"."""
    return f"the {country_name(code)}" if code in _WITH_THE else country_name(code)


def resolve_country(text: str) -> CountryLookup:
    """An ISO 3166-1 alpha-2 code from a code, a name, an old name or a common name.

    >>> [resolve_country(t).code for t in ("br", "BRA", "Brazil", "Holland", "UK", "Czech Republic")]
    ['BR', 'BR', 'BR', 'NL', 'GB', 'CZ']
    >>> resolve_country("Czechoslovakia").successors
    ('CZ', 'SK')
    """
    written = " ".join(text.split())
    if not written:
        return CountryLookup(written, None, reason="no country given")
    upper = written.upper()
    if len(upper) == 2 and (pycountry.countries.get(alpha_2=upper) or upper == "XK"):
        return CountryLookup(written, upper, country_name(upper))
    key = gazetteer.normalise_name(written)
    if key in COMMON_COUNTRY_NAMES:
        code = COMMON_COUNTRY_NAMES[key]
        return CountryLookup(written, code, country_name(code))
    former = FORMER_NAMES.get(key) or (upper if upper in FORMER_COUNTRIES else None)
    if former:
        name, successors = FORMER_COUNTRIES[former]
        if len(successors) == 1:
            code = successors[0]
            return CountryLookup(written, code, country_name(code),
                                 note=f"'{written}' taken as {code}: {name} is now {country_name(code)}")
        return CountryLookup(written, None, reason=f"{name} no longer exists: give the present-day country"
                             f" ({', '.join(successors)})", successors=successors)
    try:
        code = pycountry.countries.lookup(written).alpha_2
        return CountryLookup(written, code, country_name(code))
    except LookupError:
        pass
    try:  # not for short texts: "XX" would find Malta
        found = pycountry.countries.search_fuzzy(written) if len(written) > 3 else []
    except LookupError:
        found = []
    codes = sorted({c.alpha_2 for c in found})
    if len(codes) == 1:
        code = codes[0]
        return CountryLookup(written, code, country_name(code),
                             note=f"'{written}' taken as {code} ({country_name(code)})")
    if codes:
        return CountryLookup(written, None, reason=f"'{written}' could be any of {', '.join(codes[:6])}"
                             + ("…" if len(codes) > 6 else "") + ": give the ISO code")
    return CountryLookup(written, None, reason=f"unknown country '{written}': give its ISO code, such as ES")


def check_country_code(text: str) -> str:
    """The alpha-2 code, upper-cased; a name or alpha-3 code is refused with the code to use."""
    found = resolve_country(text)
    if found.exact:
        return found.code  # type: ignore[return-value]
    if found.code:
        raise ScaffoldError(f"--country: '{text}' is not an ISO 3166-1 alpha-2 code;"
                            f" did you mean {found.code} ({found.name})?")
    raise ScaffoldError(f"--country: {found.reason}")


# --- slugs and YAML values --------------------------------------------------------

# Letters NFKD does not decompose, which make_slug would drop: "Łódź" -> "lodz", not "odz".
_TRANSLITERATE = str.maketrans({"ß": "ss", "ẞ": "SS", "Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "Æ": "AE", "æ": "ae",
                                "Œ": "OE", "œ": "oe", "Đ": "D", "đ": "d", "Ð": "D", "ð": "d", "Þ": "Th", "þ": "th",
                                "ı": "i", "Ħ": "H", "ħ": "h", "’": "", "'": ""})


def entry_slug(name: str) -> str:
    """The file name an entry called `name` gets: make_slug, after a few letters it would drop.

    >>> entry_slug("São Paulo"), entry_slug("St. Gallen"), entry_slug("Łódź"), entry_slug("Lyon–Turin")
    ('sao-paulo', 'st-gallen', 'lodz', 'lyon-turin')
    """
    spaced = "".join(c if unicodedata.category(c)[0] in "LNM" else " " for c in name.translate(_TRANSLITERATE))
    return make_slug(spaced)  # "Lyon–Barcelona" -> "lyon-barcelona": make_slug drops the en dash


_PLAIN = re.compile(r"[^\W\d_](?:[\w .,;()’'/\-–]*[\w.)])?")


def clean_text(value: str) -> str:
    """One line of text: control characters and line breaks become spaces."""
    return " ".join("".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in value).split())


def yaml_text(value: str, flow: bool = False) -> str:
    """A YAML scalar that reads back as `value`: plain when that is safe, else double-quoted.

    `flow` is for values inside [...] or {...}, where a comma ends a value.

    >>> yaml_text("Lyon"), yaml_text("Washington, D.C."), yaml_text("NO"), yaml_text("true")
    ('Lyon', 'Washington, D.C.', 'NO', '"true"')
    """
    if _PLAIN.fullmatch(value) and not (flow and "," in value):
        try:
            if load_yaml(f"v: {value}\n").data == {"v": value}:
                return value
        except YamlError:
            pass
    return json.dumps(value, ensure_ascii=False)


def yaml_since(value: int | str) -> str:
    """A year as a number, a fuller date in quotes, as the editors' guide writes them."""
    return str(value) if isinstance(value, int) else json.dumps(value)


def format_coordinates(lat: float, lon: float) -> str:
    return f"[{round(lat, 5)}, {round(lon, 5)}]"


def check_date(text: str) -> str:
    """A year, year-month or full date that exists: "2016-02"."""
    match = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", text.strip())
    if match:
        year, month, day = (int(g) if g else None for g in match.groups())
        try:
            if year and Date(year, month or 1, day or 1):
                return text.strip()
        except ValueError:
            pass
    raise ScaffoldError(f"--date: '{text}' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")
