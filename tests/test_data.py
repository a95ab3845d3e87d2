"""data.py: the open-data files are valid (RFC 7946 GeoJSON, CSV, JSON) and JSON-LD is inert."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from atlas.content.cells import spreadsheet_safe
from atlas.pipeline import Config, build

HOSTILE = "</script><script>alert(1)</script>\u2028end"

FILES = {
    "atlas.yaml": "title: Data atlas\nbase_url: https://example.org/atlas/\n",
    "cities/los-angeles.md": """---
name: Los Angeles
country: US
coordinates: [34.0522, -118.2437]
partners:
  - city: auckland
    since: [1971, 1972]
  - city: barcelona
    kind: cooperation
    note: "=HYPERLINK(\\"http://evil\\")"
networks: [pacific]
---
""",
    "cities/auckland.md": "---\nname: Auckland\ncountry: NZ\ncoordinates: [-36.8485, 174.7633]\n---\n",
    "cities/barcelona.md": f"---\nname: '{HOSTILE}'\ncountry: ES\ncoordinates: [41.3851, 2.1734]\n---\n",
    "networks/pacific.md": "---\nname: Pacific Cities\nfounded: [1986, 1989]\nmembers: [auckland]\n---\n",
    "case-studies/workshop.md": "---\ntitle: A workshop\ndate: 2016-02\nkind: workshop\ncities: [barcelona]\n---\n",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("data")
    for name, text in FILES.items():
        path = root / "content" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    build(Config(content_dir=root / "content", output_dir=root / "output"))
    return root / "output"


def positions(geometry: dict) -> list[list[float]]:
    if geometry["type"] == "Point":
        return [geometry["coordinates"]]
    if geometry["type"] == "LineString":
        return geometry["coordinates"]
    if geometry["type"] == "MultiLineString":
        return [p for line in geometry["coordinates"] for p in line]
    raise AssertionError(f"unexpected geometry {geometry['type']}")


def assert_rfc7946(collection: dict) -> None:
    assert collection["type"] == "FeatureCollection"
    for feature in collection["features"]:
        assert feature["type"] == "Feature"
        assert isinstance(feature["properties"], dict)
        geometry = feature["geometry"]
        if geometry["type"] in ("LineString",):
            assert len(geometry["coordinates"]) >= 2
        if geometry["type"] == "MultiLineString":
            assert all(len(line) >= 2 for line in geometry["coordinates"])
        for lon, lat in positions(geometry):  # RFC 7946: longitude first
            assert -180 <= lon <= 180
            assert -90 <= lat <= 90


def test_cities_geojson_is_rfc7946_with_longitude_first(site):
    collection = json.loads((site / "data/cities.geojson").read_text(encoding="utf-8"))
    assert_rfc7946(collection)
    by_id = {f["id"]: f for f in collection["features"]}
    assert by_id["los-angeles"]["geometry"]["coordinates"] == [-118.2437, 34.0522]
    assert by_id["los-angeles"]["properties"]["url"] == "https://example.org/atlas/cities/los-angeles/"


def test_partnership_across_the_antimeridian_is_a_multilinestring(site):
    collection = json.loads((site / "data/partnerships.geojson").read_text(encoding="utf-8"))
    assert_rfc7946(collection)
    line = next(f for f in collection["features"] if f["id"] == "auckland--los-angeles")
    assert line["geometry"]["type"] == "MultiLineString"
    first, second = line["geometry"]["coordinates"]
    assert first[-1][0] in (180, -180) and second[0][0] == -first[-1][0]
    assert line["properties"]["since"] == ["1971", "1972"]
    other = next(f for f in collection["features"] if f["id"] == "barcelona--los-angeles")
    assert other["geometry"]["type"] == "LineString"


def test_atlas_json_holds_every_entity_and_relation(site):
    document = json.loads((site / "data/atlas.json").read_text(encoding="utf-8"))
    assert {c["slug"] for c in document["cities"]} == {"los-angeles", "auckland", "barcelona"}
    assert {(p["city_a"], p["city_b"]) for p in document["partnerships"]} == {
        ("auckland", "los-angeles"), ("barcelona", "los-angeles")}
    assert {(m["network"], m["city"]) for m in document["memberships"]} == {
        ("pacific", "auckland"), ("pacific", "los-angeles")}
    assert document["networks"][0]["founded"] == ["1986", "1989"]


@pytest.mark.parametrize("value, shown", [
    ("=HYPERLINK(\"http://evil\")", "'=HYPERLINK(\"http://evil\")"), ("+33 1 23", "'+33 1 23"), ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"), ("\r=1", "'\r=1"),
    ("Lyon", "Lyon"), ("", ""), ("a=b", "a=b"), (-5, -5), (None, None),  # only text that starts like a formula
])
def test_a_cell_a_spreadsheet_would_run_is_written_as_text(value, shown):
    """One rule for every CSV the atlas writes: the open data's tables and the reconciliation report."""
    assert spreadsheet_safe(value) == shown


def test_csv_files_have_headers_and_defuse_formulas(site):
    rows = list(csv.DictReader(io.StringIO((site / "data/partnerships.csv").read_text(encoding="utf-8"))))
    assert len(rows) == 2
    note = next(r["note"] for r in rows if r["city_b"] == "los-angeles" and r["city_a"] == "barcelona")
    assert note.startswith("'=")  # a spreadsheet shows it as text, never runs it
    cities = list(csv.DictReader(io.StringIO((site / "data/cities.csv").read_text(encoding="utf-8"))))
    assert {r["slug"] for r in cities} == {"los-angeles", "auckland", "barcelona"}
    members = (site / "data/memberships.csv").read_text(encoding="utf-8").splitlines()
    assert members[0] == "network,city,role,since,until,sources" and len(members) == 3


def test_open_data_page_links_every_file_and_every_footer_links_it(site):
    page = (site / "data/index.html").read_text(encoding="utf-8")
    for name in ("atlas.json", "cities.geojson", "partnerships.geojson", "cities.csv", "partnerships.csv",
                 "memberships.csv"):
        assert f'href="/atlas/data/{name}"' in page
    for html in site.rglob("*.html"):
        if html.parent.name != "admin":  # the browser editor is not one of the atlas's pages
            assert 'href="/atlas/data/"' in html.read_text(encoding="utf-8"), html


def test_open_data_page_states_the_licence_and_gives_each_file_its_format_size_and_columns(site):
    page = (site / "data/index.html").read_text(encoding="utf-8")
    assert 'href="https://creativecommons.org/licenses/by/4.0/" rel="license"' in page
    assert "Every record carries its sources" in page
    size = (site / "data/partnerships.csv").stat().st_size
    shown = f"{size} bytes" if size < 1000 else f"{size / 1000:.1f} kB"
    assert re.search(rf'partnerships\.csv</a>\s*<span class="file-facts">CSV · {re.escape(shown)}</span>', page)
    columns = re.search(r'partnerships\.csv</a>.*?<dl>(.*?)</dl>', page, re.S).group(1)
    header = (site / "data/partnerships.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert re.findall(r"<dt><code>([a-z_]+)</code>", columns) == header


@pytest.mark.parametrize("size, text", [(0, "0 bytes"), (1, "1 byte"), (999, "999 bytes"), (1000, "1.0 kB"),
                                        (14_249, "14.2 kB"), (1_600_000, "1.6 MB")])
def test_file_sizes_read_in_decimal_units(size, text):
    from atlas.render.present import format_size
    assert format_size(size) == text


def json_ld_of(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD"
    return json.loads(match.group(1))


def test_json_ld_describes_each_kind(site):
    city = json_ld_of((site / "cities/los-angeles/index.html").read_text(encoding="utf-8"))
    assert city["@type"] == "City"
    assert city["geo"] == {"@type": "GeoCoordinates", "latitude": 34.0522, "longitude": -118.2437}
    network = json_ld_of((site / "networks/pacific/index.html").read_text(encoding="utf-8"))
    assert network["@type"] == "Organization" and "foundingDate" not in network  # disputed: not stated as fact
    event = json_ld_of((site / "case-studies/workshop/index.html").read_text(encoding="utf-8"))
    assert event["@type"] == "Event" and event["startDate"] == "2016-02"


def test_hostile_names_stay_inert_in_json_ld_and_map_data(site):
    html = (site / "cities/barcelona/index.html").read_text(encoding="utf-8")
    scripts = re.findall(r"<script\b[^>]*>(.*?)</script>", html, re.S)
    for body in scripts:
        assert "<script" not in body.lower() and "</script" not in body.lower()
        assert "\u2028" not in body
    assert json_ld_of(html)["name"] == HOSTILE
    assert "alert(1)" in html  # the text is there, as data
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html  # and escaped in the page text


def test_a_citys_json_ld_gives_its_state_or_region_beside_its_country(starter_site):
    toledo = json_ld_of((starter_site / "cities/toledo-ohio/index.html").read_text(encoding="utf-8"))
    assert toledo["address"] == {"@type": "PostalAddress", "addressCountry": "US", "addressRegion": "Ohio"}
    spain = json_ld_of((starter_site / "cities/toledo/index.html").read_text(encoding="utf-8"))
    assert spain["address"]["addressRegion"] == "Castile-La Mancha"


def test_atlas_json_made_section_by_section_is_the_whole_document_encoded_at_once(tmp_path):
    """A build with a cache encodes atlas.json's sections one by one (and keeps those whose inputs did not
    change); the bytes are those of the whole document, hostile names included."""
    from atlas.pipeline import render
    from atlas.render.data import atlas_document, atlas_json, json_text

    for name, text in FILES.items():
        path = tmp_path / "content" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    _, _, state = render(Config(content_dir=tmp_path / "content", output_dir=tmp_path / "output"))
    asked: list[str] = []

    def encode(key, reads, make):
        asked.append(key)
        return json_text(make())

    whole = (json_text(atlas_document(state.atlas, state.graph, state.urls)) + "\n").encode("utf-8")
    assert atlas_json(state.atlas, state.graph, state.urls, encode) == whole
    assert json.loads(whole)["cities"][0]["slug"] == "auckland"
    assert {"cities", "networks", "partnerships", "memberships", "sources"} <= set(asked)
