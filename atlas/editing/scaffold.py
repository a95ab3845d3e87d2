"""Start a new entry from a filled-in template: `atlas new city "São Paulo" --country BR`.

An editors' tool beside the build pipeline, not a stage of it: it writes one new
file into content/ and never overwrites one. The file validates as written:
required fields are filled, coordinates come from the gazetteer when it knows
the city, and every optional field is there but commented out, with a note on
what it takes. Also home to the helpers importer.py shares: country names to
ISO codes, entry slugs and YAML values written safely.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import date as Date
from pathlib import Path

import pycountry

from atlas.graph import gazetteer
from atlas.errors import AtlasError
from atlas.render.present import country_name
from atlas.content.schema import MODELS
from atlas.content.sources import MAX_SLUG_LENGTH, SLUG, make_slug
from atlas.content.yamlfile import YamlError, load_yaml

FOLDERS = {"city": "cities", "network": "networks", "case-study": "case-studies", "theme": "themes"}


class ScaffoldError(AtlasError):
    """A new entry cannot be written; the message says why."""


@dataclass(frozen=True)
class NewEntry:
    """A file to create: where, what, and what the editor should know about it."""

    path: Path  # content/cities/sao-paulo.md
    src: str  # the same path as messages show it
    text: str
    warnings: tuple[str, ...] = ()


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
# a country that split maps to its successors, and the city decides (importer.py).
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
    """A year as a number, a fuller date in quotes, as the README writes them."""
    return str(value) if isinstance(value, int) else json.dumps(value)


def format_coordinates(lat: float, lon: float) -> str:
    return f"[{round(lat, 5)}, {round(lon, 5)}]"


# --- the templates ---------------------------------------------------------------

_CITE = "Cite a source for every fact with `[@source-id]`, the source's id in sources.yaml; link entries with `[[slug]]`."

_OPTIONAL = {
    "cities": [
        "# population: 12400000               # inhabitants, a whole number",
        "# office: International Relations Office  # the city's office for international affairs",
        "# networks: [c40, metropolis]        # slugs of the networks it belongs to",
        "# partners:                          # partner cities; declare each partnership on one of the two",
        "#   - city: lisbon                   # the partner's slug",
        "#     kind: sister-city              # sister-city, friendship, cooperation or memorandum",
        "#     since: 1960                    # a year, \"1960-05\" or \"1960-05-12\"; [1960, 1962] if sources differ",
        "#     note: Signed by both mayors.   # one line shown with the partnership",
        "#     sources: [source-id]           # ids from sources.yaml",
        "#     confidence: low                # high, medium or low; low shows as \"Unconfirmed\"",
        "#     status: active                 # active, suspended or ended",
        "# themes: [climate]                  # slugs of the themes it works on",
        "# sources: [source-id]               # ids from sources.yaml that this entry cites",
        "# summary: One sentence for lists and previews.",
        "# draft: true                        # leave it out of the build until it is ready",
    ],
    "networks": [
        "# short_name: C40                    # a short name for maps and lists",
        "# founded: 2005                      # a year or date; [1986, 1989] if sources differ",
        "# headquarters: london               # the slug of the city where it is based",
        "# members: [london, paris]           # slugs of member cities",
        "# themes: [climate]                  # slugs of the themes it works on",
        "# website: https://example.org/      # its web address, https:// or http://",
        "# sources: [source-id]               # ids from sources.yaml that this entry cites",
        "# summary: One sentence for lists and previews.",
        "# draft: true                        # leave it out of the build until it is ready",
    ],
    "case-studies": [
        "# networks: [c40]                    # slugs of the networks involved",
        "# themes: [climate]                  # slugs of the themes it belongs to",
        "# kind: workshop                     # what it is: workshop, agreement, report, summit ...",
        "# sources: [source-id]               # ids from sources.yaml that this entry cites",
        "# summary: One sentence for lists and previews.",
        "# draft: true                        # leave it out of the build until it is ready",
    ],
    "themes": [
        "# description: One line under the theme's name.",
        "# sources: [source-id]               # ids from sources.yaml that this entry cites",
        "# summary: One sentence for lists and previews.",
        "# draft: true                        # leave it out of the build until it is ready",
    ],
}

_BODY = {
    "cities": ("## International relations", "What the city does abroad: its office, partnerships and networks."),
    "networks": ("## Members and work", "Who founded the network, who belongs to it and what it does."),
    "case-studies": ("## What happened", "Who took part, what was agreed or learnt, and what came of it."),
    "themes": ("## Cities at work", "How cities in the atlas work on this theme, with examples."),
}


def plan_entry(kind: str, name: str, content_dir: Path, *, country: str | None = None,
               cities: tuple[str, ...] = (), date: str | None = None, slug: str | None = None,
               label: str | None = None) -> NewEntry:
    """The file `atlas new` would write; raises ScaffoldError when it cannot be written.

    `kind` is city, network, case-study or theme; `name` the city's or network's
    name, or the case study's title. Reads content/ only to see what exists.
    """
    if kind not in FOLDERS:
        raise ScaffoldError(f"unknown kind '{kind}': use one of {', '.join(FOLDERS)}")
    folder = FOLDERS[kind]
    if kind != "case-study" and date:
        raise ScaffoldError("--date is for case studies")
    if kind != "city" and country:
        raise ScaffoldError("--country is for cities")
    if kind != "case-study" and cities:
        raise ScaffoldError("--city is for case studies")
    name = clean_text(name)
    if not name:
        raise ScaffoldError("the name must not be empty")
    content_dir = Path(content_dir)
    if not content_dir.is_dir():
        raise ScaffoldError(f"content folder not found: {content_dir}")
    slug = slug if slug is not None else entry_slug(name)
    if not slug:
        raise ScaffoldError(f"cannot make a file name from '{name}': give one with --slug, such as --slug tokyo")
    if not SLUG.match(slug) or len(slug) > MAX_SLUG_LENGTH:
        raise ScaffoldError(f"--slug: '{slug}' is not a slug: use lowercase letters a-z, digits and single hyphens")
    label = (label or content_dir.as_posix()).rstrip("/") or "."
    path = content_dir / folder / f"{slug}.md"
    src = f"{label}/{folder}/{slug}.md"
    if path.exists() or path.is_symlink():
        raise ScaffoldError(f"{src} already exists; it was left as it was")

    warnings: list[str] = []
    if kind == "city":
        if not country:
            raise ScaffoldError("a city needs --country, its ISO 3166-1 alpha-2 code, such as --country BR")
        code = check_country_code(country)
        front, coordinate_warning = _city_front(name, code, src)
        if coordinate_warning:
            warnings.append(coordinate_warning)
    elif kind == "case-study":
        if not cities:
            raise ScaffoldError("a case study needs at least one city: --city SLUG (repeat it for more)")
        front, city_warnings = _case_study_front(name, cities, date, content_dir, src)
        warnings.extend(city_warnings)
    else:
        front = [f"name: {yaml_text(name)}"]

    heading, prompt = _BODY[folder]
    text = "\n".join(["---", *front, *_OPTIONAL[folder], "---", f"<!-- {_CITE} -->", "",
                      heading, "", f"<!-- {prompt} -->", ""])
    _check_front_matter(folder, text)
    return NewEntry(path, src, text, tuple(warnings))


def _city_front(name: str, code: str, src: str) -> tuple[list[str], str | None]:
    front = [f"name: {yaml_text(name)}", f"country: {code}"]
    found = gazetteer.lookup_city(name, code)
    if found.place is not None:
        front.append(f"coordinates: {format_coordinates(found.place.lat, found.place.lon)}  # GeoNames")
        return front, None
    if found.candidates:
        front.append(f"# coordinates: [lat, lon]  # {len(found.candidates)} places of this name in the gazetteer:"
                     " fill in")
        options = "; ".join(f"{p.name} ({p.region or p.country}) [{p.lat:.4f}, {p.lon:.4f}]"
                            for p in found.candidates[:5])
        return front, (f"{src}: the gazetteer has {len(found.candidates)} places called '{name}' in {code}"
                       f" ({options}); fill in coordinates: [lat, lon], or `atlas check` will ask for them")
    front.append("# coordinates: [lat, lon]  # not found in the gazetteer: fill in")
    return front, (f"{src}: the gazetteer has no city called '{name}' in {code}; fill in coordinates: [lat, lon],"
                   " or `atlas check` will ask for them")


def _case_study_front(title: str, cities: tuple[str, ...], date: str | None, content_dir: Path,
                      src: str) -> tuple[list[str], list[str]]:
    warnings = []
    for city in cities:
        if not SLUG.match(city):
            raise ScaffoldError(f"--city: '{city}' is not a slug; give the city's file name without .md, such as"
                                f" {entry_slug(city) or 'lyon'}")
        if not (content_dir / "cities" / f"{city}.md").exists():
            warnings.append(f"{src}: there is no city '{city}' yet; create it with `atlas new city`,"
                            " or `atlas check` will report it")
    if len(set(cities)) != len(cities):
        raise ScaffoldError("--city: a city is given twice")
    front = [f"title: {yaml_text(title)}"]
    if date:
        front.append(f"date: {json.dumps(check_date(date))}")
    else:
        front.append('# date: "2016-02"                   # when it happened: a year, "2016-02" or "2016-02-15"')
    front.append(f"cities: [{', '.join(cities)}]")
    return front, warnings


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


def _check_front_matter(folder: str, text: str) -> None:
    """The template must validate as written; a failure here is a bug in this module."""
    front = text.split("---\n")[1]
    MODELS[folder].model_validate(load_yaml(front, 2).data)


def write_entry(entry: NewEntry) -> None:
    """Create the file; refuse if it appeared in the meantime."""
    entry.path.parent.mkdir(exist_ok=True)
    try:
        with open(entry.path, "x", encoding="utf-8", newline="\n") as handle:
            handle.write(entry.text)
    except FileExistsError:
        raise ScaffoldError(f"{entry.src} already exists; it was left as it was") from None
