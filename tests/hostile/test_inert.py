"""The inertness checks themselves: each hazard they exist for is found, and the site's own markup is not one."""

from __future__ import annotations

import pytest

from .inert import find_hazards, html_hazards, script_file_hazards, url_is_dangerous

HEAD = ('<!doctype html><html><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'">'
        '<script type="application/ld+json">{"name":"x \\u003c/script\\u003e"}</script>'
        '<link rel="stylesheet" href="/assets/atlas.css"><script src="/assets/map.js" defer></script></head><body>')
OWN = ('<form class="site-search" role="search" action="/search/" method="get"><input name="q"></form>'
       '<div id="map_atlas" class="atlas-map"></div>'
       '<script type="application/json" id="atlas-map-data">{"points":[]}</script>')
TAIL = "</body></html>"


def page(body: str) -> str:
    return HEAD + OWN + body + TAIL


def test_the_sites_own_markup_is_inert():
    assert html_hazards(page("<p>&lt;script&gt;alert(1)&lt;/script&gt; onload=x javascript:x</p>"), "p.html") == []


@pytest.mark.parametrize("body", [
    "<script>x</script>",
    "<SCRIPT>x</SCRIPT>",
    '<script src="https://evil.example/x.js"></script>',
    '<script src="/assets/x.js" onload="x"></script>',
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    '<a href=" \x01javascript:alert(1)">x</a>',
    '<a href="data:text/html,x">x</a>',
    '<a href="vbscript:x">x</a>',
    '<img srcset="javascript:x 1x">',
    '<iframe src="https://example.org/"></iframe>',
    '<iframe srcdoc="x"></iframe>',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<form action="https://evil.example/"><input></form>',
    '<form class="site-search" action="https://evil.example/"></form>',
    "<style>@import url(x)</style>",
    '<p style="background:url(javascript:x)">x</p>',
    "<object data=x></object>",
    "<embed src=x>",
    '<link rel="import" href="x">',
    '<script type="application/json" id="atlas-map-data">{"a":"</b>"}</script>',
    '<script type="application/json" id="atlas-map-data">{"a":"\u2028"}</script>',
    '<script type="application/ld+json">{"a":</script>',
    '<math><mi xlink:href="javascript:x">x</mi></math>',
])
def test_each_hazard_is_found(body):
    assert html_hazards(page(body), "p.html") != []


def test_content_that_comes_before_the_maps_own_elements_is_found():
    clobbered = HEAD + '<p id="atlas-map-data">{}</p><p id="map_atlas"></p>' + OWN + TAIL
    assert len(html_hazards(clobbered, "p.html")) == 2


@pytest.mark.parametrize("url, dangerous", [
    ("javascript:x", True), (" JAVASCRIPT:x", True), ("java\tscript:x", True), ("java\nscript:x", True),
    ("\x00javascript:x", True), ("data:image/png;base64,AAAA", True), ("vbscript:x", True),
    ("https://example.org/javascript:x", False), ("/cities/lyon/", False), ("#javascript:x", False),
    ("mailto:a@example.org", False),
])
def test_url_schemes(url, dangerous):
    assert url_is_dangerous(url) is dangerous


def test_content_in_a_script_file_must_stay_inside_json_strings():
    assert script_file_hazards('L.tileLayer("u", {"attribution": "<b>__pwned=1</b> \\" x"});') == []
    assert script_file_hazards('var a = "x"; __pwned=1; var b = "y";') != []
    assert script_file_hazards("var a = 'pwned';") != []


def test_files_outside_and_links_in_the_output_are_found(tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text(page(""), encoding="utf-8")
    assert find_hazards(tmp_path / "site") == []
    (tmp_path / "site" / "escape").symlink_to("/etc")
    (tmp_path / "site" / "data.json").write_text("{not json", encoding="utf-8")
    assert len(find_hazards(tmp_path / "site")) == 2
