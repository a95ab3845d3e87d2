#!/usr/bin/env python3
"""Generate a synthetic atlas of any size, for the scale benchmarks.

Usage: python benchmarks/generate.py --cities N --out DIR [--seed 1] [--format atlas|hugo|pelican]

With `--format atlas` (the default) DIR becomes a content folder that follows the
content contract in README.md: atlas.yaml, sources.yaml, cities/, networks/,
case-studies/ and themes/. `atlas check --content DIR` reports no errors.

- N cities with names built from syllables (unique slugs), ISO 3166-1 alpha-2
  countries, coordinates inside a rough box of land in that country (so the
  build never asks the gazetteer), 0-6 partners each (mixed kinds and dates),
  and a `wikidata:` id each. The ids are made up: unique Q-numbers drawn from
  their own seeded sequence between Q900000000 and Q989999999, far above any
  item Wikidata has, so they never clash with the real ids of content/ (nor
  with each other) and drawing them changes no other byte of the corpus;
- about N/100 networks of 20-200 members, about N/20 case studies, 8 themes and
  about N/10 sources; every source is cited and every entry is linked from
  another one (no orphans);
- bodies of 3-6 paragraphs of varied prose with a `## ` heading or two,
  [[links]] and [@citations], now and then a table or a list.

`--format hugo` and `--format pelican` write the SAME corpus as plain Markdown
pages for those generators: the same bodies, with [[links]] and [@citations]
turned into ordinary Markdown links, plus a minimal config (and for Hugo a
minimal layout), so DIR builds as it stands:

    hugo --source DIR                      (DIR/hugo.toml, DIR/layouts/, DIR/content/<section>/<slug>.md)
    pelican DIR/content -s DIR/pelicanconf.py   (DIR/content/<slug>.md, DIR/content/pages/sources.md)

The generator is deterministic: it uses one seeded random.Random, never the
clock, and writes every file in a fixed order with fixed formatting, so the
same arguments give byte-identical files. Only the standard library is used.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

# --- word lists ---------------------------------------------------------------

# Country code, rough land box (lat_min, lat_max, lon_min, lon_max), name style, country name.
COUNTRIES: list[tuple[str, tuple[float, float, float, float], str, str]] = [
    ("FR", (43.6, 49.5, -0.8, 6.5), "fr", "France"),
    ("ES", (37.2, 42.8, -6.8, -0.8), "es", "Spain"),
    ("PT", (37.5, 41.8, -8.6, -7.2), "pt", "Portugal"),
    ("IT", (38.0, 45.6, 8.5, 16.0), "it", "Italy"),
    ("DE", (48.0, 54.0, 7.0, 14.0), "de", "Germany"),
    ("AT", (46.6, 48.5, 10.5, 16.5), "de", "Austria"),
    ("CH", (46.2, 47.6, 6.6, 9.6), "de", "Switzerland"),
    ("NL", (51.5, 53.2, 4.6, 6.8), "nl", "the Netherlands"),
    ("BE", (50.2, 51.2, 3.2, 5.8), "nl", "Belgium"),
    ("GB", (51.0, 55.5, -3.2, 0.2), "en", "the United Kingdom"),
    ("IE", (52.0, 54.5, -9.5, -6.5), "en", "Ireland"),
    ("PL", (50.0, 54.0, 15.5, 23.0), "sl", "Poland"),
    ("CZ", (49.0, 50.8, 12.8, 18.5), "sl", "Czechia"),
    ("UA", (46.6, 51.5, 24.0, 38.0), "sl", "Ukraine"),
    ("SE", (56.0, 63.0, 12.5, 18.0), "no", "Sweden"),
    ("NO", (59.0, 63.0, 6.0, 11.0), "no", "Norway"),
    ("FI", (60.5, 64.0, 22.0, 29.0), "no", "Finland"),
    ("DK", (55.0, 57.4, 8.4, 12.4), "no", "Denmark"),
    ("GR", (37.0, 41.0, 21.0, 24.0), "gr", "Greece"),
    ("TR", (37.0, 41.0, 27.5, 43.0), "tr", "Türkiye"),
    ("US", (33.0, 45.0, -120.0, -76.0), "en", "the United States"),
    ("CA", (43.5, 53.0, -122.0, -66.0), "en", "Canada"),
    ("MX", (17.0, 25.0, -105.0, -97.5), "es", "Mexico"),
    ("BR", (-23.0, -5.0, -55.0, -38.0), "pt", "Brazil"),
    ("AR", (-38.0, -27.0, -68.0, -58.0), "es", "Argentina"),
    ("CL", (-40.0, -27.0, -72.5, -70.0), "es", "Chile"),
    ("CO", (2.0, 10.0, -76.0, -73.0), "es", "Colombia"),
    ("PE", (-16.0, -6.0, -79.0, -71.0), "es", "Peru"),
    ("JP", (33.5, 39.0, 132.0, 140.5), "jp", "Japan"),
    ("KR", (35.0, 37.8, 126.8, 129.0), "kr", "South Korea"),
    ("CN", (23.0, 40.0, 105.0, 118.0), "cn", "China"),
    ("IN", (12.0, 28.0, 74.0, 86.0), "in", "India"),
    ("ID", (-7.8, -6.2, 106.0, 113.0), "id", "Indonesia"),
    ("NG", (6.5, 12.0, 4.0, 12.0), "af", "Nigeria"),
    ("GH", (5.8, 10.0, -2.5, 0.3), "af", "Ghana"),
    ("KE", (-3.0, 1.0, 35.0, 39.0), "af", "Kenya"),
    ("ZA", (-33.0, -25.0, 20.0, 31.0), "af", "South Africa"),
    ("MA", (30.0, 35.0, -8.0, -2.0), "ar", "Morocco"),
    ("EG", (25.0, 31.0, 30.5, 32.0), "ar", "Egypt"),
    ("AU", (-37.0, -28.0, 141.0, 152.0), "en", "Australia"),
]

SYLLABLES: dict[str, tuple[list[str], list[str]]] = {
    "en": (["ash", "brad", "bright", "bur", "car", "ches", "dun", "ed", "fair", "glen", "ham", "har", "kings",
            "lang", "mar", "mid", "new", "nor", "ox", "ports", "ry", "shef", "sol", "stan", "wes", "wick", "win",
            "ald", "bel", "cor", "hal", "lin", "mel", "pem", "roth", "sut", "thorn", "ux", "wal"],
           ["ford", "ton", "field", "bury", "wick", "mouth", "ley", "borough", "port", "ham", "stead", "chester",
            "by", "well", "ridge", "dale", "ville", "worth"]),
    "de": (["al", "bad", "bren", "dorn", "eich", "els", "frei", "gar", "hal", "hei", "kron", "lan", "lin",
            "mar", "neu", "ober", "ros", "schön", "stein", "wal", "wei", "alt", "bie", "düs", "gött", "ham",
            "kas", "lüt", "mün", "reut", "sie", "trau", "ulm", "wür", "zell"],
           ["burg", "dorf", "stadt", "heim", "hausen", "feld", "bach", "berg", "au", "ingen", "furt", "brück",
            "hofen", "kirchen", "wald"]),
    "nl": (["al", "ber", "dor", "ede", "gou", "haar", "hel", "lei", "maas", "nij", "oost", "roer", "til",
            "vlaar", "wes", "zaan", "zwol", "breda", "del", "ens", "kor", "mech", "oud", "ter"],
           ["dam", "drecht", "hoven", "veen", "wijk", "sluis", "burg", "lo", "meer", "hout", "gem", "sel"]),
    "fr": (["a", "bel", "bor", "cam", "char", "châ", "di", "gre", "lan", "lor", "mar", "mont", "nan", "or",
            "per", "poi", "quim", "ren", "roa", "sau", "tou", "val", "ver", "vi", "é", "beau", "cler", "mou"],
           ["ville", "court", "mont", "bourg", "champ", "lieu", "ac", "ay", "y", "ières", "teau", "lon", "roi",
            "nay", "fort", "sac"]),
    "es": (["al", "bar", "ca", "cor", "es", "gra", "hue", "ja", "le", "ma", "mur", "pa", "sa", "ta", "te",
            "va", "za", "a", "be", "cá", "do", "lu", "mé", "ne", "ri", "so", "to", "vi", "ya"],
           ["drid", "lona", "rida", "nada", "lencia", "goza", "ceres", "ria", "dalupe", "nares", "tepec",
            "guín", "rrey", "lillo", "mora", "cruz", "piedra", "llano"]),
    "pt": (["a", "bra", "ca", "co", "fa", "for", "gu", "lis", "ma", "na", "por", "re", "sal", "san", "se",
            "ta", "vi", "bo", "cu", "ja", "ju", "lon", "pe", "ri", "so"],
           ["boa", "gal", "lhos", "mbra", "nópolis", "rém", "tal", "vador", "ém", "lândia", "tiba", "rema",
            "rinha", "ação", "tuba"]),
    "it": (["a", "ber", "ca", "co", "fi", "ge", "la", "li", "mi", "na", "pa", "pe", "ra", "sa", "to", "ve",
            "bo", "cre", "fer", "lu", "man", "mo", "pi", "ro", "sie", "tre", "ud"],
           ["gamo", "renze", "nova", "vorno", "lano", "poli", "lermo", "rugia", "venna", "lerno", "rino",
            "rona", "logna", "mona", "rara", "cca", "tova", "dena", "stoia", "viso", "ine"]),
    "sl": (["bia", "by", "cze", "gdy", "gli", "kra", "lu", "ło", "opo", "po", "ra", "szcze", "to", "wro",
            "za", "brno", "dě", "hra", "jih", "kla", "li", "ol", "pra", "ví", "cher", "khar", "lvi", "pol",
            "ter", "vin", "zhy"],
           ["łystok", "dgoszcz", "stochowa", "nia", "wice", "ków", "blin", "dź", "le", "znań", "dom", "cin",
            "ruń", "cław", "brze", "čín", "dec", "lava", "mouc", "nice", "kiv", "niv", "tava", "nopil", "nytsia",
            "tomyr"]),
    "no": (["å", "ber", "bo", "dra", "es", "gäv", "göte", "hel", "jön", "kal", "lu", "mal", "nor", "ou",
            "ro", "sand", "sko", "tam", "tro", "um", "ves", "ål", "ar", "fre", "hor", "kol", "lah", "tur"],
           ["gen", "borg", "holm", "by", "rhus", "køping", "sund", "vik", "stad", "ås", "lund", "de", "mö",
            "sala", "pere", "ti", "ku", "sens"]),
    "gr": (["a", "ka", "la", "pa", "the", "vo", "io", "ko", "ly", "ser", "tri", "xan", "ch", "ar", "dra"],
           ["thens", "lamata", "rissa", "tras", "ssaloniki", "los", "annina", "zani", "mia", "res", "kala",
            "thi", "nia", "gos", "ma"]),
    "tr": (["a", "an", "bur", "de", "es", "ga", "ka", "ko", "ma", "me", "sa", "tra", "ba", "çor", "dü",
            "ed", "gi", "ıs", "kü", "ni", "or", "si", "to", "u"],
           ["dana", "kara", "sa", "nizli", "kişehir", "ziantep", "yseri", "nya", "latya", "rsin", "msun",
            "bzon", "lıkesir", "rum", "zce", "irne", "resun", "parta", "tahya", "ğde", "du", "vas", "kat",
            "şak"]),
    "jp": (["a", "chi", "fu", "ha", "hi", "i", "ka", "ki", "ko", "ku", "ma", "mi", "na", "o", "sa", "se",
            "ta", "to", "u", "ya", "yo", "wa", "shi", "tsu"],
           ["mori", "ba", "kuoka", "kodate", "roshima", "wasaki", "gawa", "chi", "yama", "tsu", "gasaki",
            "saka", "ppo", "ndai", "kyo", "ma", "kohama", "saki", "zawa", "hama", "no", "oka"]),
    "kr": (["an", "bu", "chang", "cheon", "dae", "gim", "gu", "gwang", "gyeong", "ha", "in", "jeon", "ju",
            "mok", "po", "su", "ul", "won", "yeo", "yong"],
           ["san", "gu", "ju", "jeon", "won", "cheon", "hae", "po", "seong", "nam", "ryeong", "dong", "pyeong"]),
    "cn": (["an", "bao", "chang", "da", "fu", "gan", "guang", "hang", "he", "huai", "ji", "kun", "lan",
            "luo", "nan", "qing", "shao", "tai", "wu", "xi", "xin", "yan", "yi", "zhang", "zhen"],
           ["zhou", "yang", "sha", "ning", "chang", "feng", "an", "tai", "shan", "jiang", "men", "hai",
            "zhuang", "de", "ping", "xing", "dong", "yuan"]),
    "in": (["a", "ba", "bho", "cha", "de", "gu", "hy", "in", "ja", "ka", "ko", "lu", "ma", "na", "pa",
            "pu", "ra", "sa", "su", "ta", "u", "va", "vi"],
           ["bad", "pur", "nagar", "garh", "nath", "dore", "lore", "pat", "pal", "rat", "kot", "ganj", "ner",
            "wada", "kund", "valli", "puram", "giri"]),
    "id": (["a", "ban", "bo", "ci", "de", "ja", "ke", "ma", "pa", "pe", "se", "su", "ta", "te", "yog"],
           ["dung", "gor", "rebon", "pok", "karta", "diri", "lang", "kalongan", "marang", "rabaya", "sikmalaya",
            "gal", "rakarta", "jonegoro", "tang"]),
    "af": (["a", "ab", "be", "e", "ho", "i", "ka", "ke", "ki", "ko", "ku", "la", "ma", "mo", "na", "nya",
            "o", "po", "ta", "te", "u", "wa", "zi"],
           ["kuta", "eokuta", "nin", "nugu", "badan", "lorin", "no", "duna", "masi", "kurdi", "mbasa", "kuru",
            "suma", "male", "koradi", "ma", "tenga", "kazi", "lokwane", "fontein", "nesburg", "stad", "we"]),
    "ar": (["a", "ag", "as", "bé", "da", "fè", "ke", "ma", "me", "ou", "ra", "sa", "ta", "te", "al",
            "gi", "lu", "mi", "por", "su", "tan", "za"],
           ["dir", "ni", "khla", "s", "nitra", "rrakech", "knès", "jda", "bat", "fi", "za", "tta", "xor",
            "wan", "hag", "ya", "ssa", "kik", "nsoura", "nya", "gazig", "ta"]),
}
TWO_WORD = {"fr": ["Saint-", "Sainte-"], "es": ["San ", "Santa ", "Puerto ", "Villa "],
            "pt": ["São ", "Santa ", "Porto ", "Nova "], "en": ["New ", "Port ", "North ", "East "],
            "it": ["San ", "Porto "], "de": ["Neu-", "Bad "], "nl": ["Den ", "Sint-"]}

FIRST_NAMES = ["Anna", "Kris", "Michele", "Darcy", "Chris", "Maria", "João", "Aiko", "Kwame", "Lena", "Omar",
               "Sofia", "Tomás", "Ingrid", "Rahul", "Mei", "Olu", "Pieter", "Élodie", "Hana", "Yusuf", "Nadia",
               "Carlos", "Agnieszka", "Sven", "Amara", "Luca", "Fatima", "Hiroshi", "Ji-woo", "Diego", "Zanele"]
LAST_NAMES = ["Kosovac", "Hartley", "Acuto", "Gunning", "Thayer", "Marchetti", "Oliveira", "Tanaka", "Mensah",
              "Lindqvist", "Haddad", "Rossi", "Álvarez", "Berg", "Sharma", "Chen", "Adeyemi", "de Vries",
              "Moreau", "Novak", "Yilmaz", "Okafor", "Fernández", "Kowalska", "Nilsson", "Diallo", "Bianchi",
              "Rahman", "Sato", "Park", "Castillo", "Dlamini", "Fischer", "Kuznets", "Papadopoulos", "Silva"]
PUBLISHERS = ["Municipal Review", "Urban Affairs Quarterly", "Global Cities Institute", "City Council Press Office",
              "Regional Planning Journal", "Twinning Association Newsletter", "Journal of Paradiplomacy",
              "Centre for Local Government Studies", "Council of Mayors", "International Affairs Office",
              "Metropolitan Observatory", "Urban Policy Forum", "Local Democracy Review", "Cities Yearbook"]
SOURCE_KINDS = ["Report.", "Press release.", "Blog post.", "Conference paper.", "Annual report.",
                "Interview.", "Council minutes.", "Book chapter."]

THEMES = [
    ("climate", "Climate", "How cities cooperate across borders to cut emissions and adapt to a warming climate."),
    ("migration", "Migration", "Cities' joint work on receiving, housing and including newcomers."),
    ("smart-cities", "Smart cities", "Data, sensors and digital services shared between city governments."),
    ("mobility", "Mobility", "Public transport, cycling and street design learnt from partner cities."),
    ("culture-and-heritage", "Culture and heritage",
     "Exchanges of artists, festivals and the care of historic centres."),
    ("economic-development", "Economic development", "Trade missions, ports, investment and jobs."),
    ("public-health", "Public health", "Clinics, epidemics, clean air and healthy food across borders."),
    ("citizen-diplomacy", "Citizen diplomacy", "Schools, clubs and families who keep twinnings alive."),
]
TOPICS = {
    "climate": ["flood resilience", "heat waves", "building retrofits", "emission inventories", "urban trees",
                "coastal defences", "district heating"],
    "migration": ["refugee reception", "language courses", "social housing", "migrant entrepreneurs",
                  "school enrolment", "local citizenship"],
    "smart-cities": ["open data", "street lighting", "traffic sensors", "digital permits", "city dashboards",
                     "public wi-fi"],
    "mobility": ["public transport", "cycle lanes", "bus rapid transit", "car-free streets", "night buses",
                 "ticketing"],
    "culture-and-heritage": ["cultural heritage", "music festivals", "museum loans", "artist residencies",
                             "historic centres", "film weeks"],
    "economic-development": ["port logistics", "tourism", "vocational training", "trade missions",
                             "start-up hubs", "market halls"],
    "public-health": ["air quality", "clinic networks", "food markets", "epidemic preparedness",
                      "water supply", "waste collection"],
    "citizen-diplomacy": ["school exchanges", "youth sport", "choir visits", "pen-pal schemes",
                          "volunteer brigades", "friendship societies"],
}
SUBJECTS = ["the city council", "the mayor's office", "a delegation of officials", "local universities",
            "the chamber of commerce", "civil-society groups", "the international relations department",
            "district councils", "the port authority", "youth organisations", "the planning department",
            "a committee of residents", "the transport company", "the municipal archive", "local businesses"]
VERBS = ["launched", "signed", "hosted", "funded", "reviewed", "expanded", "renewed", "coordinated",
         "piloted", "published", "evaluated", "proposed", "scaled back", "revived", "documented"]
OBJECTS = ["a joint programme on {topic}", "an exchange of planners working on {topic}",
           "a memorandum on {topic}", "a study visit about {topic}", "a shared report on {topic}",
           "a {adj} training scheme for staff", "a small grant fund for {topic}", "a pilot project on {topic}",
           "a series of workshops on {topic}", "a {adj} agreement on {topic}", "a survey of residents on {topic}"]
COMPLEMENTS = ["with support from national agencies", "after two years of talks", "despite limited funding",
               "as part of a wider regional strategy", "together with partner cities abroad",
               "under a new mayor", "with the help of a university network", "before the next election",
               "on a budget that was never published", "with mixed results", "to the surprise of observers",
               "following a request from residents", "in the face of national opposition"]
ADJECTIVES = ["modest", "ambitious", "long-running", "short-lived", "well-documented", "informal", "formal",
              "bilateral", "multilateral", "practical", "symbolic", "cautious", "unusual", "much-cited"]
DESCRIPTORS = ["port city", "industrial town", "university city", "regional capital", "market town",
               "coastal city", "river city", "mountain town", "former mining town", "fast-growing city",
               "border town", "cathedral city"]
OFFICES = ["Office of International Relations", "Department of External Affairs", "International Cooperation Unit",
           "Twinning Committee", "Office for Global Partnerships", "Bureau of Foreign Relations"]
HEADINGS = ["International affairs office", "Partnerships", "Networks", "History", "Priorities",
            "Themes", "Funding", "Results and criticism", "Recent work"]
LIST_ITEMS = ["a yearly exchange of {topic} experts", "joint applications for funding on {topic}",
              "a shared web portal about {topic}", "staff secondments of three to six months",
              "a youth parliament with partner cities", "translation of planning documents",
              "a mayors' meeting every two years", "a common monitoring framework for {topic}"]
NETWORK_PATTERNS = ["{adj} Cities for {topic_title}", "{region} Mayors' {group}", "{region} {group} on {topic_title}",
                    "Alliance of {adj} Cities", "{region} Network of {adj} Towns", "Cities {group} for {topic_title}"]
NETWORK_ADJ = ["Resilient", "Open", "Healthy", "Connected", "Welcoming", "Green", "Creative", "Learning", "Safe",
               "Walkable", "Inclusive", "Coastal", "Historic", "Fair", "Bright", "Young"]
REGIONS = ["Atlantic", "Baltic", "Mediterranean", "Pacific", "Andean", "Alpine", "Danube", "Nordic", "Sahel",
           "Caribbean", "Global", "European", "Asian", "African", "Arctic", "Rhine", "Black Sea", "Indian Ocean"]
GROUPS = ["Forum", "Alliance", "Network", "Coalition", "Compact", "Platform", "Union", "Partnership"]
CASE_KINDS = ["workshop", "initiative", "report", "conference", "agreement", "programme"]
CASE_PATTERNS = ["{a}–{b} exchange on {topic}", "{a} workshop on {topic}", "The {a} declaration on {topic}",
                 "{a} and {b}: a {adj} {kind} on {topic}", "{net} summit in {a}", "{topic_cap} programme of {a}"]
PARTNER_KINDS = [("sister-city", 55), ("friendship", 20), ("cooperation", 15), ("memorandum", 10)]
RESERVED = {"null", "true", "false", "yes", "no", "on", "off", "y", "n", "nan", "inf", "sources", "search",
            "cities", "networks", "case-studies", "themes", "pages", "partnerships", "timeline", "feed",
            "sitemap", "assets", "data", "404", "index"}
START_YEAR = 1950


# --- the corpus ---------------------------------------------------------------

@dataclass
class Source:
    id: str
    title: str
    authors: list[str]
    publisher: str
    year: int
    url: str
    note: str


@dataclass
class Entry:
    kind: str                       # "cities", "networks", "case-studies", "themes"
    slug: str
    title: str
    meta: list[tuple[str, str]]     # front-matter lines after the title: (key, YAML value or block)
    date: str = "2020-01-01"        # for Hugo and Pelican front matter
    body: str = ""
    sources: list[str] = field(default_factory=list)


@dataclass
class Corpus:
    entries: list[Entry]
    sources: list[Source]


def slugify(text: str) -> str:
    """Lowercase ASCII slug: `São Paulo` -> `sao-paulo`."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:70].strip("-")


class _Names:
    """Hands out slugs that are unique across every kind of entry."""

    def __init__(self) -> None:
        self.taken: set[str] = set(RESERVED)

    def claim(self, slug: str, *alternatives: str) -> str | None:
        for candidate in (slug, *alternatives):
            if candidate and candidate not in self.taken:
                self.taken.add(candidate)
                return candidate
        return None


def _city_name(rng: random.Random, style: str) -> str:
    starts, ends = SYLLABLES[style]
    parts = [rng.choice(starts)]
    if rng.random() < 0.45:
        parts.append(rng.choice(starts))
    parts.append(rng.choice(ends))
    name = "".join(parts)
    name = name[0].upper() + name[1:]
    prefixes = TWO_WORD.get(style)
    if prefixes and rng.random() < 0.12:
        name = rng.choice(prefixes) + name
    return name


def _weighted(rng: random.Random, table: list[tuple[str, int]]) -> str:
    return rng.choices([k for k, _ in table], weights=[w for _, w in table])[0]


def _date_text(rng: random.Random, low: int, high: int) -> tuple[str, str]:
    """A fuzzy date as YAML (1967, "1967-06") and as a full date for Hugo/Pelican."""
    year = rng.randint(low, high)
    roll = rng.random()
    if roll < 0.6:
        return str(year), f"{year}-01-01"
    month = rng.randint(1, 12)
    if roll < 0.9:
        return f'"{year}-{month:02d}"', f"{year}-{month:02d}-01"
    day = rng.randint(1, 28)
    return f'"{year}-{month:02d}-{day:02d}"', f"{year}-{month:02d}-{day:02d}"


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def flow(items: list[str]) -> str:
    return "[" + ", ".join(items) + "]"


FAKE_WIKIDATA = range(900_000_000, 990_000_000)  # made-up Q-numbers: Wikidata's own are far below


def generate(cities: int, seed: int = 1) -> Corpus:
    """Build the whole corpus in memory; nothing random happens after this returns."""
    if cities < 2:
        raise ValueError("--cities must be at least 2")
    rng = random.Random(f"city-diplomacy-atlas-benchmark:{seed}:{cities}")
    names = _Names()
    n_networks = max(1, round(cities / 100))
    n_cases = max(1, round(cities / 20))
    n_sources = max(8, round(cities / 10))

    # Sources first: ids are their own namespace.
    sources: list[Source] = []
    source_ids: set[str] = set()
    for index in range(n_sources):
        last = rng.choice(LAST_NAMES)
        authors = [f"{rng.choice(FIRST_NAMES)} {last}"]
        if rng.random() < 0.4:
            second = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            if second != authors[0]:  # a name listed twice is an error
                authors.append(second)
        year = rng.randint(1985, 2024)
        base = f"{slugify(last)}-{year}"
        sid = base
        for letter in "bcdefghijklmnopqrstuvwxyz":
            if sid not in source_ids:
                break
            sid = f"{base}{letter}"
        else:
            sid = f"{base}-{index}"
        source_ids.add(sid)
        topic = rng.choice(TOPICS[rng.choice(THEMES)[0]])
        title = rng.choice([f"Cities abroad: {topic} and the {rng.choice(ADJECTIVES)} diplomacy of towns",
                            f"Twinning and {topic}: a review of {rng.randint(12, 140)} partnerships",
                            f"{rng.choice(REGIONS)} cities and {topic}",
                            f"Municipal foreign relations in practice: {topic}",
                            f"What partner cities learn from each other about {topic}"])
        publisher = rng.choice(PUBLISHERS)
        sources.append(Source(sid, title, authors, publisher, year,
                              f"https://example.org/{slugify(publisher)}/{sid}", rng.choice(SOURCE_KINDS)))

    # Cities: names, places, populations.
    city_rows: list[dict] = []
    for _ in range(cities):
        code, (lat0, lat1, lon0, lon1), style, country_name = rng.choice(COUNTRIES)
        for _attempt in range(6):
            name = _city_name(rng, style)
            slug = names.claim(slugify(name))
            if slug:
                break
        else:
            slug = names.claim(f"{slugify(name)}-{code.lower()}")
            counter = 2
            while slug is None:
                slug = names.claim(f"{slugify(name)}-{code.lower()}-{counter}")
                counter += 1
        city_rows.append({
            "slug": slug, "name": name, "country": code, "country_name": country_name,
            "lat": rng.uniform(lat0, lat1), "lon": rng.uniform(lon0, lon1),
            "population": int(min(30_000_000, 15_000 * (10 ** (rng.random() ** 1.6 * 3)))),
            "office": rng.choice(OFFICES) if rng.random() < 0.4 else None,
            "descriptor": rng.choice(DESCRIPTORS),
            "themes": sorted(rng.sample([t[0] for t in THEMES], rng.choice([0, 1, 1, 2, 2, 3]))),
            "partners": [], "partner_of": [], "networks_declared": [], "networks_all": [], "cases": [],
            "sources": [],
        })
    ids = random.Random(f"city-diplomacy-atlas-wikidata:{seed}:{cities}").sample(FAKE_WIKIDATA, cities)
    for row, number in zip(city_rows, ids):  # a generator of its own: the main one draws as it did
        row["wikidata"] = f"Q{number}"
    slugs = [row["slug"] for row in city_rows]

    # Sources: every source is cited by one city at least (coverage), then at random.
    order = list(range(cities))
    rng.shuffle(order)
    for index, source in enumerate(sources):
        city_rows[order[index % cities]]["sources"].append(source.id)
    for row in city_rows:
        while len(row["sources"]) < rng.choice([1, 1, 2, 2, 3]):
            sid = rng.choice(sources).id
            if sid not in row["sources"]:
                row["sources"].append(sid)

    # Partnerships: each declared once, on one of the two cities; 0-6 partners per city.
    target = [rng.randint(0, 6) for _ in range(cities)]
    degree = [0] * cities
    paired: set[tuple[int, int]] = set()
    for i in range(cities):
        tries = 0
        while degree[i] < target[i] and tries < 12:
            tries += 1
            j = rng.randrange(cities)
            if j == i or degree[j] >= target[j] or (min(i, j), max(i, j)) in paired:
                continue
            paired.add((min(i, j), max(i, j)))
            degree[i] += 1
            degree[j] += 1
            kind = _weighted(rng, PARTNER_KINDS)
            roll = rng.random()
            if roll < 0.7:
                since = str(rng.randint(START_YEAR, 2023))
            elif roll < 0.85:
                since = f'"{rng.randint(START_YEAR, 2023)}-{rng.randint(1, 12):02d}"'
            elif roll < 0.9:
                first = rng.randint(START_YEAR, 2020)
                since = flow([str(first), str(first + rng.randint(1, 3))])
            else:
                since = None
            partner = {"city": j, "kind": kind, "since": since,
                       "source": rng.choice(city_rows[i]["sources"]),
                       "plain": rng.random() < 0.15,
                       "status": rng.choice(["suspended", "ended"]) if rng.random() < 0.05 else None,
                       "confidence": "low" if rng.random() < 0.05 else None,
                       "note": rng.choice(["Renewed after a long pause.", "Mostly school exchanges.",
                                           "Signed during a trade mission.", "Dormant for some years."])
                       if rng.random() < 0.15 else None}
            if partner["plain"]:  # `- slug`: a partnership with no details
                partner.update(kind="sister-city", since=None, status=None, confidence=None, note=None)
            city_rows[i]["partners"].append(partner)
            city_rows[j]["partner_of"].append(i)

    # Networks: 20-200 members; half the memberships are declared on the city.
    network_entries: list[dict] = []
    for _ in range(n_networks):
        theme = rng.choice(THEMES)
        for _attempt in range(20):
            name = rng.choice(NETWORK_PATTERNS).format(
                adj=rng.choice(NETWORK_ADJ), topic_title=theme[1], region=rng.choice(REGIONS),
                group=rng.choice(GROUPS))
            slug = names.claim(slugify(name))
            if slug:
                break
        else:
            slug = names.claim(f"{slugify(name)}-{len(network_entries) + 1}")
        size = min(cities, rng.randint(20, 200))
        members = sorted(rng.sample(range(cities), size))
        declared_on_network = []
        for m in members:
            city_rows[m]["networks_all"].append(slug)
            if rng.random() < 0.5:
                declared_on_network.append(m)
            else:
                city_rows[m]["networks_declared"].append(slug)
        short = "".join(word[0] for word in re.findall(r"[A-Za-z]+", name) if word[0].isupper())
        network_entries.append({"slug": slug, "name": name, "short": short, "members": members,
                                "declared": declared_on_network, "hq": rng.choice(members),
                                "themes": sorted({theme[0], rng.choice(THEMES)[0]}),
                                "founded": _date_text(rng, 1960, 2022),
                                "sources": rng.sample([s.id for s in sources], 2)})
        city_rows[network_entries[-1]["hq"]].setdefault("hq_of", []).append(slug)

    # Case studies: 2-6 cities, 0-2 networks, 1-2 themes.
    case_entries: list[dict] = []
    for _ in range(n_cases):
        members = rng.sample(range(cities), min(cities, rng.randint(2, 6)))
        nets = rng.sample(network_entries, min(len(network_entries), rng.choice([0, 0, 1, 2])))
        theme_slugs = sorted(rng.sample([t[0] for t in THEMES], rng.choice([1, 1, 2])))
        kind = rng.choice(CASE_KINDS)
        topic = rng.choice(TOPICS[theme_slugs[0]])
        a, b = city_rows[members[0]]["name"], city_rows[members[1]]["name"]
        pattern = rng.choice(CASE_PATTERNS)
        if "{net}" in pattern and not nets:
            pattern = CASE_PATTERNS[0]
        title = pattern.format(a=a, b=b, topic=topic, topic_cap=topic[0].upper() + topic[1:],
                               adj=rng.choice(ADJECTIVES), kind=kind,
                               net=nets[0]["short"] if nets else "")
        slug = names.claim(slugify(title))
        counter = 2
        while slug is None:
            slug = names.claim(f"{slugify(title)}-{counter}")
            counter += 1
        date = _date_text(rng, 1985, 2024)
        case_entries.append({"slug": slug, "title": title, "cities": members, "networks": nets,
                             "themes": theme_slugs, "kind": kind, "topic": topic, "date": date,
                             "sources": rng.sample([s.id for s in sources], rng.choice([1, 2]))})
        city_rows[members[0]]["cases"].append(slug)

    # Every city linked from another: a ring through a shuffled order.
    ring = list(range(cities))
    rng.shuffle(ring)
    next_in_ring = {ring[k]: ring[(k + 1) % cities] for k in range(cities)}

    titles = {("cities", r["slug"]): r["name"] for r in city_rows}
    titles.update({("networks", n["slug"]): n["name"] for n in network_entries})
    titles.update({("case-studies", c["slug"]): c["title"] for c in case_entries})
    titles.update({("themes", t[0]): t[1] for t in THEMES})

    entries: list[Entry] = []
    writer = _Prose(rng)
    for i, row in enumerate(city_rows):
        entries.append(_city_entry(writer, row, city_rows, next_in_ring[i], i))
    for net in network_entries:
        entries.append(_network_entry(writer, net, city_rows))
    for case in case_entries:
        entries.append(_case_entry(writer, case, city_rows))
    for index, theme in enumerate(THEMES):
        entries.append(_theme_entry(writer, index, theme, network_entries, case_entries, city_rows))
    return Corpus(entries, sources)


# --- prose --------------------------------------------------------------------

class _Prose:
    """Sentences and paragraphs from the word lists, with links and citations."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def topic(self, themes: list[str] | None = None) -> str:
        theme = self.rng.choice(themes) if themes else self.rng.choice(THEMES)[0]
        return self.rng.choice(TOPICS[theme])

    def sentence(self, themes: list[str] | None = None) -> str:
        r = self.rng
        obj = r.choice(OBJECTS).format(topic=self.topic(themes), adj=r.choice(ADJECTIVES))
        roll = r.random()
        if roll < 0.35:
            text = f"In {r.randint(1960, 2024)}, {r.choice(SUBJECTS)} {r.choice(VERBS)} {obj} {r.choice(COMPLEMENTS)}."
        elif roll < 0.6:
            subject = r.choice(SUBJECTS)
            text = f"{subject[0].upper()}{subject[1:]} {r.choice(VERBS)} {obj} {r.choice(COMPLEMENTS)}."
        elif roll < 0.75:
            text = (f"By {r.randint(1990, 2024)} the work had involved {r.randint(3, 400)} officials and "
                    f"{r.randint(2, 60)} schools, according to {r.choice(['one count', 'the city', 'a later review'])}.")
        elif roll < 0.88:
            text = (f"Observers describe the effort as *{r.choice(ADJECTIVES)}*, and note that "
                    f"{r.choice(SUBJECTS)} {r.choice(['kept', 'lost', 'regained', 'shared'])} control of "
                    f"{self.topic(themes)}.")
        else:
            text = (f"Critics asked whether {self.topic(themes)} was a better use of the budget than "
                    f"{self.topic(themes)}, a question that {r.choice(['remains open', 'was never answered', 'came up again in the council'])}.")
        return text

    def paragraph(self, themes: list[str] | None, extra: list[str], cite: list[str], lead: str = "") -> str:
        """3-7 sentences: `lead` first, then generated ones with `extra` mixed in; citations attached."""
        sentences = [self.sentence(themes) for _ in range(self.rng.randint(2, 5))] + extra
        self.rng.shuffle(sentences)
        if lead:
            sentences.insert(0, lead)
        for sid in cite:
            k = self.rng.randrange(len(sentences))
            sentences[k] = sentences[k][:-1] + f" [@{sid}]."
        return " ".join(sentences)

    def table(self, rows: list[tuple[str, str, str]]) -> str:
        lines = ["| Partner | Kind | Since |", "| --- | --- | --- |"]
        lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
        return "\n".join(lines)

    def bullet_list(self, themes: list[str] | None) -> str:
        items = self.rng.sample(LIST_ITEMS, self.rng.randint(3, 5))
        return "\n".join(f"- {item.format(topic=self.topic(themes))}" for item in items)


def _link(slug: str, label: str | None = None) -> str:
    return f"[[{slug}|{label}]]" if label else f"[[{slug}]]"


def _assemble(writer: _Prose, blocks: list[str], themes: list[str] | None, headings: int) -> str:
    """Put one or two `## ` headings before paragraphs (never the first) and now and then a list."""
    rng = writer.rng
    gaps = rng.sample(range(1, len(blocks)), min(headings, len(blocks) - 1))
    titles = iter(sorted(rng.sample(HEADINGS, len(gaps)), key=HEADINGS.index))
    out: list[str] = []
    for k, block in enumerate(blocks):
        if k in gaps:
            out.append(f"## {next(titles)}")
        out.append(block)
    if rng.random() < 0.15:
        out.insert(rng.randint(2, len(out)), writer.bullet_list(themes))
    return "\n\n".join(out) + "\n"


def _spread(writer: _Prose, items: list[str], paragraphs: int) -> list[list[str]]:
    """Deal sentences (or citation ids) out over the paragraphs."""
    buckets: list[list[str]] = [[] for _ in range(paragraphs)]
    for item in items:
        buckets[writer.rng.randrange(paragraphs)].append(item)
    return buckets


def _city_entry(writer: _Prose, row: dict, rows: list[dict], ring_next: int, index: int) -> Entry:
    rng = writer.rng
    themes = row["themes"] or None
    mentions = [f"{row['name']} is a {row['descriptor']} in {row['country_name']} with about "
                f"{row['population']:,} inhabitants."]
    other = rows[ring_next]
    mentions.append(rng.choice([
        f"Officials often compare its approach with that of {_link(other['slug'])}.",
        f"A delegation from {_link(other['slug'])} visited in {rng.randint(1970, 2024)}.",
        f"Its staff took part in a peer review with {_link(other['slug'], other['name'])}.",
    ]))
    for partner in row["partners"]:
        p = rows[partner["city"]]
        since = (partner["since"] or "").strip('"[]').split(",")[0]
        when = f" since {since}" if since else ""
        mentions.append(f"It has a {partner['kind'].replace('-', ' ')} partnership with {_link(p['slug'])}{when}.")
    for j in row["partner_of"][:3]:
        mentions.append(f"{_link(rows[j]['slug'])} lists it among its partners.")
    for net in row["networks_all"][:3]:
        mentions.append(f"It is a member of {_link(net)}.")
    for net in row.get("hq_of", []):
        mentions.append(f"The secretariat of {_link(net)} is based here.")
    for case in row["cases"]:
        mentions.append(f"See {_link(case)}.")
    paragraphs = rng.randint(3, 6)
    extra = _spread(writer, mentions[1:], paragraphs)
    cites = _spread(writer, row["sources"], paragraphs)
    blocks = [writer.paragraph(themes, extra[k], cites[k], mentions[0] if k == 0 else "")
              for k in range(paragraphs)]
    if row["partners"] and rng.random() < 0.1:
        table_rows = [(_link(rows[p["city"]]["slug"]), p["kind"], (p["since"] or "unknown").strip('"'))
                      for p in row["partners"]]
        blocks.insert(rng.randint(1, len(blocks)), writer.table(table_rows))
    body = _assemble(writer, blocks, themes, rng.choice([1, 1, 2]))

    meta: list[tuple[str, str]] = [
        ("country", row["country"]),
        ("wikidata", row["wikidata"]),
        ("coordinates", f"[{row['lat']:.4f}, {row['lon']:.4f}]"),
        ("population", str(row["population"])),
    ]
    if row["office"]:
        meta.append(("office", q(row["office"])))
    if row["networks_declared"]:
        meta.append(("networks", flow(row["networks_declared"])))
    if row["partners"]:
        lines = []
        for p in row["partners"]:
            slug = rows[p["city"]]["slug"]
            if p["plain"]:
                lines.append(f"  - {slug}")
                continue
            lines.append(f"  - city: {slug}")
            if p["kind"] != "sister-city" or rng.random() < 0.5:
                lines.append(f"    kind: {p['kind']}")
            if p["since"]:
                lines.append(f"    since: {p['since']}")
            if p["note"]:
                lines.append(f"    note: {q(p['note'])}")
            if p["status"]:  # a suspended or ended tie: its end, a few years after its start (no draw)
                years = [int(y.strip(' "')[:4]) for y in (p["since"] or "").strip("[]").split(",") if y.strip()]
                lines.append(f"    until: {min(max(years, default=2017) + 5, 2024)}")
                lines.append(f"    status: {p['status']}")
            if p["confidence"]:
                lines.append(f"    confidence: {p['confidence']}")
            lines.append(f"    sources: [{p['source']}]")
        meta.append(("partners", "\n" + "\n".join(lines)))
    if row["themes"]:
        meta.append(("themes", flow(row["themes"])))
    meta.append(("sources", flow(row["sources"])))
    meta.append(("summary", q(f"A {row['descriptor']} in {row['country_name']}.")))
    year = 2000 + index % 24
    return Entry("cities", row["slug"], row["name"], meta, f"{year}-{1 + index % 12:02d}-{1 + index % 28:02d}",
                 body, row["sources"])


def _network_entry(writer: _Prose, net: dict, rows: list[dict]) -> Entry:
    rng = writer.rng
    hq = rows[net["hq"]]
    founded_yaml, founded_full = net["founded"]
    mentions = [f"The {net['name']} ({net['short']}) was founded in {founded_full[:4]} and has its secretariat in "
                f"{_link(hq['slug'])}.",
                f"It counts {len(net['members'])} member cities in this atlas."]
    shown = rng.sample(net["members"], min(len(net["members"]), rng.randint(4, 9)))
    mentions.append("Members include " + ", ".join(_link(rows[m]["slug"]) for m in shown) + ".")
    paragraphs = rng.randint(3, 5)
    extra = _spread(writer, mentions[1:], paragraphs)
    cites = _spread(writer, net["sources"], paragraphs)
    blocks = [writer.paragraph(net["themes"], extra[k], cites[k], mentions[0] if k == 0 else "")
              for k in range(paragraphs)]
    body = _assemble(writer, blocks, net["themes"], rng.choice([1, 2]))
    meta = [("short_name", q(net["short"])), ("founded", founded_yaml), ("headquarters", hq["slug"])]
    if net["declared"]:
        meta.append(("members", flow([rows[m]["slug"] for m in net["declared"]])))
    meta += [("themes", flow(net["themes"])), ("website", f"https://example.org/networks/{net['slug']}/"),
             ("sources", flow(net["sources"])),
             ("summary", q(f"A network of {len(net['members'])} cities working on {net['themes'][0].replace('-', ' ')}."))]
    return Entry("networks", net["slug"], net["name"], meta, founded_full, body, net["sources"])


def _case_entry(writer: _Prose, case: dict, rows: list[dict]) -> Entry:
    rng = writer.rng
    date_yaml, date_full = case["date"]
    cities = [rows[m] for m in case["cities"]]
    mentions = [f"In {date_full[:4]}, " + ", ".join(_link(c["slug"]) for c in cities[:-1]) +
                f" and {_link(cities[-1]['slug'])} worked together on {case['topic']}."]
    for net in case["networks"]:
        mentions.append(f"The work ran under the umbrella of {_link(net['slug'])}.")
    mentions.append(f"The {case['kind']} was led from {_link(cities[0]['slug'], cities[0]['name'])}.")
    paragraphs = rng.randint(3, 5)
    extra = _spread(writer, mentions[1:], paragraphs)
    cites = _spread(writer, case["sources"], paragraphs)
    blocks = [writer.paragraph(case["themes"], extra[k], cites[k], mentions[0] if k == 0 else "")
              for k in range(paragraphs)]
    body = _assemble(writer, blocks, case["themes"], rng.choice([1, 2]))
    meta = [("date", date_yaml), ("cities", flow([c["slug"] for c in cities]))]
    if case["networks"]:
        meta.append(("networks", flow([n["slug"] for n in case["networks"]])))
    meta += [("themes", flow(case["themes"])), ("kind", case["kind"]), ("sources", flow(case["sources"])),
             ("summary", q(f"A {case['kind']} on {case['topic']} involving {len(cities)} cities."))]
    return Entry("case-studies", case["slug"], case["title"], meta, date_full, body, case["sources"])


def _theme_entry(writer: _Prose, index: int, theme: tuple[str, str, str], networks: list[dict],
                 cases: list[dict], rows: list[dict]) -> Entry:
    rng = writer.rng
    slug, name, description = theme
    mentions = [f"{name} is one of the eight themes of this atlas."]
    mentions.append(f"See also {_link(THEMES[(index + 1) % len(THEMES)][0])}.")
    nets = [n for n in networks if slug in n["themes"]][:4]
    if nets:
        mentions.append("Networks in this field include " + ", ".join(_link(n["slug"]) for n in nets) + ".")
    studies = [c for c in cases if slug in c["themes"]][:4]
    for case in studies:
        mentions.append(f"An example is {_link(case['slug'])}.")
    blocks = []
    paragraphs = 3
    extra = _spread(writer, mentions[1:], paragraphs)
    for k in range(paragraphs):
        blocks.append(writer.paragraph([slug], extra[k], [], mentions[0] if k == 0 else ""))
    body = _assemble(writer, blocks, [slug], 1)
    meta = [("description", q(description)), ("summary", q(description))]
    return Entry("themes", slug, name, meta, "2020-01-01", body, [])


# --- writing ------------------------------------------------------------------

def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))


def write_atlas(corpus: Corpus, out: Path) -> None:
    """DIR is the content folder: atlas.yaml, sources.yaml and one folder per kind."""
    _write(out / "atlas.yaml", "\n".join([
        "title: City Diplomacy Atlas (synthetic benchmark corpus)",
        f"description: {q('A generated atlas of ' + str(sum(e.kind == 'cities' for e in corpus.entries)) + ' cities, for measuring build speed.')}",
        "base_url: https://example.org/",
        "language: en",
        "basemap: countries",
    ]) + "\n")
    lines = ["# Generated by benchmarks/generate.py: every source is cited at least once.", ""]
    for s in corpus.sources:
        lines += [f"- id: {s.id}", f"  title: {q(s.title)}", f"  authors: [{', '.join(q(a) for a in s.authors)}]",
                  f"  publisher: {q(s.publisher)}", f"  year: {s.year}", f"  url: {s.url}", f"  note: {q(s.note)}", ""]
    _write(out / "sources.yaml", "\n".join(lines))
    for entry in corpus.entries:
        title_key = "title" if entry.kind == "case-studies" else "name"
        front = [f"{title_key}: {q(entry.title)}"] + [f"{key}: {value}" if not value.startswith("\n")
                                                       else f"{key}:{value}" for key, value in entry.meta]
        _write(out / entry.kind / f"{entry.slug}.md", "---\n" + "\n".join(front) + "\n---\n" + entry.body)


_LINK = re.compile(r"\[\[([a-z0-9-]+)(?:\|([^\]]+))?\]\]")
_CITE = re.compile(r"\[@([a-z0-9-]+(?:;\s*@[a-z0-9-]+)*)\]")


def plain_body(body: str, titles: dict[str, str], url_of: dict[str, str], source_urls: dict[str, str]) -> str:
    """[[slug|label]] -> [label](url); [@a; @b] -> numbered links to the sources."""
    numbers: dict[str, int] = {}

    def cite(match: re.Match) -> str:
        out = []
        for sid in re.split(r";\s*@", match.group(1)):
            number = numbers.setdefault(sid, len(numbers) + 1)
            out.append(f"[\\[{number}\\]]({source_urls[sid]})")
        return "".join(out)

    text = _LINK.sub(lambda m: f"[{m.group(2) or titles[m.group(1)]}]({url_of[m.group(1)]})", body)
    return _CITE.sub(cite, text)


def _bibliography(corpus: Corpus) -> str:
    return "\n".join(f"- {', '.join(s.authors)} ({s.year}). [{s.title}]({s.url}). {s.publisher}. {s.note}"
                     for s in corpus.sources) + "\n"


HUGO_CONFIG = """baseURL = "https://example.org/"
title = "City Diplomacy Atlas (plain pages)"
disableKinds = ["taxonomy", "term", "rss"]
enableRobotsTXT = false

[markup.goldmark.renderer]
unsafe = false
"""
HUGO_LAYOUTS = {
    "baseof.html": """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} | {{ site.Title }}</title>
</head>
<body>
<header><a href="/">{{ site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
""",
    "single.html": """{{ define "main" }}<article>
<h1>{{ .Title }}</h1>
{{ .Content }}
</article>{{ end }}
""",
    "list.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
{{ .Content }}
<ul>{{ range .Pages }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}
</ul>{{ end }}
""",
}
PELICAN_CONFIG = """# Generated by benchmarks/generate.py: Pelican's default theme, no feeds.
AUTHOR = "Atlas benchmark"
SITENAME = "City Diplomacy Atlas (plain pages)"
SITEURL = ""
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
CATEGORY_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
TRANSLATION_FEED_RSS = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TAG_FEED_ATOM = None
TAG_FEED_RSS = None
DEFAULT_PAGINATION = False
RELATIVE_URLS = False
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
"""


def _lookups(corpus: Corpus, url: callable) -> tuple[dict, dict, dict]:
    titles = {e.slug: e.title for e in corpus.entries}
    urls = {e.slug: url(e) for e in corpus.entries}
    return titles, urls, {s.id: s.url for s in corpus.sources}


def write_hugo(corpus: Corpus, out: Path) -> None:
    """DIR is a Hugo site: hugo.toml, layouts/, content/<section>/<slug>.md."""
    _write(out / "hugo.toml", HUGO_CONFIG)
    for name, text in HUGO_LAYOUTS.items():
        _write(out / "layouts" / name, text)
    titles, urls, source_urls = _lookups(corpus, lambda e: f"/{e.kind}/{e.slug}/")
    for entry in corpus.entries:
        front = f"---\ntitle: {q(entry.title)}\ndate: {entry.date}\n---\n"
        _write(out / "content" / entry.kind / f"{entry.slug}.md",
               front + plain_body(entry.body, titles, urls, source_urls))
    _write(out / "content" / "sources.md", f"---\ntitle: Sources\ndate: 2020-01-01\n---\n{_bibliography(corpus)}")


def write_pelican(corpus: Corpus, out: Path) -> None:
    """DIR is a Pelican project: pelicanconf.py, content/<slug>.md, content/pages/sources.md."""
    _write(out / "pelicanconf.py", PELICAN_CONFIG)
    titles, urls, source_urls = _lookups(corpus, lambda e: f"/{e.slug}.html")
    for entry in corpus.entries:
        front = f"Title: {entry.title}\nDate: {entry.date}\nSlug: {entry.slug}\n\n"
        _write(out / "content" / f"{entry.slug}.md", front + plain_body(entry.body, titles, urls, source_urls))
    _write(out / "content" / "pages" / "sources.md", f"Title: Sources\nSlug: sources\n\n{_bibliography(corpus)}")


MARKER = ".benchmark-corpus"  # dot files are ignored by the atlas, Hugo and Pelican
WRITERS = {"atlas": write_atlas, "hugo": write_hugo, "pelican": write_pelican}


def write_corpus(corpus: Corpus, out: Path, fmt: str = "atlas") -> None:
    """Write `corpus` to `out` in one format, replacing a folder this script wrote before.

    Refuses a non-empty folder without the marker file, so a mistyped --out
    (say, the real content/) is never deleted.
    """
    if out.exists() and any(out.iterdir()):
        if not (out / MARKER).is_file():
            raise FileExistsError(f"{out} is not empty and was not written by this script; it was left as it was")
        shutil.rmtree(out)
    WRITERS[fmt](corpus, out)
    _write(out / MARKER, "Written by benchmarks/generate.py; replaced whenever it runs again.\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cities", type=int, required=True, help="number of cities (at least 2)")
    parser.add_argument("--out", type=Path, required=True,
                        help="folder to write: new, empty, or one this script wrote before (it is replaced)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--format", choices=tuple(WRITERS), default="atlas",
                        help="atlas: a content folder; hugo/pelican: the same text as plain pages")
    args = parser.parse_args(argv)
    try:
        corpus = generate(args.cities, args.seed)
        write_corpus(corpus, args.out, args.format)
    except (ValueError, FileExistsError) as exc:
        parser.error(str(exc))
    counts: dict[str, int] = {}
    for entry in corpus.entries:
        counts[entry.kind] = counts.get(entry.kind, 0) + 1
    print(f"wrote {args.format} corpus to {args.out}: " + ", ".join(f"{n} {k}" for k, n in counts.items())
          + f", {len(corpus.sources)} sources", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
