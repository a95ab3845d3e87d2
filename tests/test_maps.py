"""maps/spec.py and maps/script.py: one repeatable map script, and page data that content cannot break out of."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from atlas.maps.spec import (DATA_ELEMENT_ID, FORMER_COLOUR, OSM_TILES, PARTNERSHIP_COLOURS, MapLine, MapPoint,
                             MapSpec, json_for_html, map_data, map_legend, render_map_script)
from conftest import build_site, city, entry

URL = re.compile(r"""https?://[^\s"'<>\\)]+""")
DATA_BLOCK = re.compile(r'<script type="application/json" id="atlas-map-data">(.*?)</script>', re.S)


@pytest.fixture(scope="module")
def script() -> str:
    return render_map_script()


# --- the map script ------------------------------------------------------------------

def test_the_map_script_is_byte_identical_across_calls(script):
    assert render_map_script() == script
    assert render_map_script().encode() == script.encode()


def test_the_map_script_has_no_random_ids(script):
    # branca's ids are 32 hex digits; they are replaced by fixed ones
    assert not re.search(r"[0-9a-f]{32}", script)
    assert "map_atlas" in script


def test_the_map_script_contacts_no_server_but_the_tile_server(script):
    urls = set(URL.findall(script))
    assert urls <= {OSM_TILES.url, "https://www.openstreetmap.org/copyright"}
    assert OSM_TILES.url in urls


def test_the_map_script_loads_nothing_itself(script):
    assert "<script" not in script.lower()
    assert "<link" not in script.lower()
    assert "cdn" not in script.lower()


def test_the_map_script_reads_its_data_from_the_page_as_text(script):
    assert DATA_ELEMENT_ID in script
    assert "JSON.parse(source.textContent)" in script
    assert "innerHTML" not in script


# --- json_for_html -----------------------------------------------------------------

@pytest.mark.parametrize("text, forbidden", [
    ("</script><script>alert(1)</script>", ["</script", "<script"]),
    ("</SCRIPT>", ["</SCRIPT"]),
    ("<!-- comment", ["<!--"]),
    ("a\u2028b\u2029c", ["\u2028", "\u2029"]),
    ("Tom & Jerry", ["&"]),
    ("]]>", [">"]),
])
def test_json_for_html_escapes_what_could_end_the_script_element(text, forbidden):
    encoded = json_for_html({"name": text})
    for bad in forbidden:
        assert bad not in encoded
    assert json.loads(encoded) == {"name": text}


def test_json_for_html_keeps_other_text_readable():
    assert json_for_html({"name": "São Paulo"}) == '{"name":"São Paulo"}'


# --- map data ---------------------------------------------------------------------

def test_map_data_groups_lines_by_kind_and_names_their_ends_by_point():
    spec = MapSpec("Map", (MapPoint(34.05, -118.24, "Los Angeles", "/cities/los-angeles/"),
                           MapPoint(-36.85, 174.76, "Auckland", "/cities/auckland/")),
                   (MapLine(0, 1, "sister-city", "Los Angeles – Auckland"),))
    data = map_data(spec)
    [group] = data["lineGroups"]
    assert group["kind"] == "sister-city"
    # the browser draws the great circle; first and last year in force (not recorded here), and the status
    assert group["lines"] == [[0, 1, "Los Angeles – Auckland", None, None, "active"]]
    assert data["centered"] is False  # so the browser splits lines at the antimeridian
    assert data["points"][0][:4] == [34.05, -118.24, "Los Angeles", "/cities/los-angeles/"]
    assert data["points"][1][1] == pytest.approx(174.76)


def test_a_city_map_is_recentred_on_the_city_instead_of_split():
    spec = MapSpec("Map", (MapPoint(34.05, -118.24, "Los Angeles", "/a/"), MapPoint(-36.85, 174.76, "Auckland", "/b/")),
                   (MapLine(0, 1, "friendship", "LA – Auckland"),),
                   center_lon=-118.24)
    data = map_data(spec)
    assert data["centered"] is True
    assert data["points"][1][1] == pytest.approx(174.76 - 360)  # west of Los Angeles, across the Pacific


def test_the_map_script_draws_great_circles_and_their_world_copies():
    script = render_map_script()
    assert "function greatCircle(" in script and "function worldCopies(" in script


# --- content in a built page -------------------------------------------------------

# --- the legend ------------------------------------------------------------------------

def test_the_legend_names_the_city_each_kind_of_tie_and_the_suspended_and_ended_ones_in_words():
    spec = MapSpec("Map", (MapPoint(34.05, -118.24, "Los Angeles", "/a/", "focus"),
                           MapPoint(-36.85, 174.76, "Auckland", "/b/", "partner"),
                           MapPoint(35.18, 129.08, "Busan", "/c/", "partner")),
                   (MapLine(0, 1, "sister-city", "LA – Auckland"), MapLine(0, 2, "friendship", "LA – Busan"),
                    MapLine(0, 2, "sister-city", "LA – Busan", 1971, 2001, "ended"),
                    MapLine(0, 1, "cooperation", "LA – Auckland", status="suspended")))
    legend = map_legend(spec)
    assert [(item["shape"], item["label"]) for item in legend] == [
        ("dot", "Los Angeles"), ("dot", "Partner city"),
        ("line", "Friendship agreements"), ("line", "Sister cities"),
        ("line", "Suspended or ended ties (any kind)"),
    ]
    assert legend[3]["colour"] == PARTNERSHIP_COLOURS["sister-city"] and not legend[3]["dashed"]
    assert legend[-1]["colour"] == FORMER_COLOUR and legend[-1]["dashed"]
    # cooperation appears only as a suspended tie: it is not listed as a kind drawn in colour
    assert "Cooperation agreements" not in [item["label"] for item in legend]


def test_a_clustered_map_explains_its_numbered_groups():
    spec = MapSpec("Map", (MapPoint(1, 2, "A", "/a/"),), cluster=True)
    assert [item["shape"] for item in map_legend(spec)] == ["dot", "cluster"]


def test_pages_show_the_legend_and_spell_out_network_abbreviations(tmp_path, make_site):
    make_site(tmp_path, {
        "cities/lyon.md": city("Lyon", "FR", "[45.764, 4.8357]",
                               extra="partners:\n  - {city: turin, status: suspended, since: 1990, until: 2020}\n"),
        "cities/turin.md": city("Turin", "IT", "[45.07, 7.69]"),
        "networks/mmc.md": entry("name: Mayors Migration Council\nshort_name: MMC\nmembers: [lyon]\n"),
    })
    build_site()
    lyon = Path("output/cities/lyon/index.html").read_text(encoding="utf-8")
    assert '<ul class="map-legend" aria-label="Key to the map">' in lyon
    assert "Suspended ties (any kind)" in lyon and 'stroke-dasharray' in lyon
    home = Path("output/index.html").read_text(encoding="utf-8")
    [block] = DATA_BLOCK.findall(home)
    assert [o["label"] for o in json.loads(block)["overlays"]] == ["Mayors Migration Council (MMC) members"]


def test_a_network_with_no_member_on_the_map_says_so_and_shows_no_map(tmp_path, make_site):
    make_site(tmp_path, {
        "cities/geneva.md": city("Geneva", "CH", "[46.2, 6.15]"),
        "networks/quiet.md": entry("name: Quiet Network\nheadquarters: geneva\n"),
        "themes/unmapped.md": entry("name: Unmapped\n"),
    })
    build_site()
    for page in ("networks/quiet", "themes/unmapped"):
        html = Path(f"output/{page}/index.html").read_text(encoding="utf-8")
        assert 'id="map_atlas"' not in html, page
        assert '<p class="map-empty">There is no map: ' in html, page


EVIL = "</script><script>alert(1)</script>"


def test_a_city_named_like_a_script_ends_up_only_as_escaped_text(tmp_path, make_site):
    make_site(tmp_path, {
        "cities/evil.md": city(f"'{EVIL}'", "FR", "[45.0, 4.0]", extra="partners: [lyon]\n"),
        "cities/lyon.md": city("Lyon", "FR", "[45.764, 4.8357]", body="See [[evil]].\n"),
        "case-studies/x.md": entry("title: X\ncities: [evil, lyon]\n"),
    })
    build_site()
    pages = sorted(Path("output").rglob("*.html"))
    assert pages
    seen_in_data = False
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "<script>alert(1)" not in html, page
        assert "alert(1)</script>" not in html, page
        for block in DATA_BLOCK.findall(html):
            data = json.loads(block)
            seen_in_data |= any(point[2] == EVIL for point in data["points"])
    assert seen_in_data, "the name reaches the maps as JSON data"
    evil_page = Path("output/cities/evil/index.html").read_text(encoding="utf-8")
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in evil_page
    for script in Path("output/assets").glob("map.*.js"):
        assert "alert(1)" not in script.read_text(encoding="utf-8")


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_json_for_html_round_trips_any_text_and_never_contains_a_tag(text):
    encoded = json_for_html({"name": text, "list": [text]})
    assert "<" not in encoded and ">" not in encoded and "&" not in encoded
    assert "\u2028" not in encoded and "\u2029" not in encoded
    assert json.loads(encoded) == {"name": text, "list": [text]}
