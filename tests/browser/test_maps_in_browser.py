"""Maps, opened in headless Chromium: they draw, stay on-site, answer the keyboard, and keep content inert."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from .conftest import build_site

HOSTILE_NAME = "</script><script>window.__pwned = 1</script>"
TEMPLATE_NAME = "Tick`${window.__pwned2 = 1}`\\\" '"

ATLAS = {
    "atlas.yaml": "title: Browser atlas\nbasemap: countries\n",
    "cities/los-angeles.md": """---
name: Los Angeles
country: US
coordinates: [34.0522, -118.2437]
partners:
  - city: auckland
    since: 1971
  - city: tokyo
    kind: cooperation
  - city: hostile
  - city: template
---
Los Angeles.
""",
    "cities/auckland.md": "---\nname: Auckland\ncountry: NZ\ncoordinates: [-36.8485, 174.7633]\n---\n",
    "cities/tokyo.md": "---\nname: Tokyo\ncountry: JP\ncoordinates: [35.6895, 139.6917]\n---\n",
    "cities/hostile.md": f"---\nname: '{HOSTILE_NAME}'\ncountry: FR\ncoordinates: [48.85, 2.35]\n---\n",
    "cities/template.md": f"---\nname: \"{TEMPLATE_NAME.replace(chr(92), chr(92) * 2).replace(chr(34), chr(92) + chr(34))}\"\n"
                          "country: ES\ncoordinates: [41.38, 2.17]\n---\n",
    "networks/pacific.md": "---\nname: Pacific <b>Cities</b>\nmembers: [los-angeles, auckland, tokyo]\n---\n",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build_site(tmp_path_factory.mktemp("browser-maps"), ATLAS)


def open_page(page, serve, site, path):
    server = serve(site)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(server.url(path))
    page.wait_for_selector("#map_atlas .leaflet-interactive")
    page.wait_for_load_state("networkidle")
    return requests, errors


def test_city_map_draws_the_city_its_partners_and_a_line_to_each(page, serve, site):
    _, errors = open_page(page, serve, site, "/cities/los-angeles/")
    assert errors == []
    markers = page.evaluate("""() => {
        let n = 0; map_atlas.eachLayer(l => { if (l instanceof L.CircleMarker && l.options.interactive !== false) n++; });
        return n; }""")
    lines = page.evaluate("""() => {
        let n = 0; map_atlas.eachLayer(l => { if (l instanceof L.Polyline && !(l instanceof L.Polygon)) n++; });
        return n; }""")
    assert markers == 5  # Los Angeles and four partners
    assert lines == 4


def test_countries_basemap_makes_no_off_site_request(page, serve, site):
    requests, _ = open_page(page, serve, site, "/cities/los-angeles/")
    page.wait_for_function("() => document.querySelectorAll('.leaflet-basemap-pane path, "
                           ".leaflet-pane path').length > 50")
    hosts = {urlsplit(url).hostname for url in requests}
    assert hosts == {"127.0.0.1"}, f"off-site requests: {sorted(u for u in requests if '127.0.0.1' not in u)}"
    assert any(url.endswith(".json") and "/assets/basemap/" in url for url in requests)


def test_line_to_auckland_crosses_the_pacific_not_the_whole_world(page, serve, site):
    open_page(page, serve, site, "/cities/los-angeles/")
    longitudes = page.evaluate("""() => {
        let found = null;
        map_atlas.eachLayer(l => {
          if (l instanceof L.Polyline && !(l instanceof L.Polygon)) {
            const pts = l.getLatLngs().flat();
            if (pts.some(p => Math.abs(p.lat + 36.8485) < 0.01)) found = pts.map(p => p.lng);
          }
        });
        return found; }""")
    assert longitudes is not None
    ends = sorted([longitudes[0], longitudes[-1]])
    assert ends[0] == pytest.approx(174.7633 - 360, abs=0.01)  # Auckland, drawn west of Los Angeles
    assert ends[1] == pytest.approx(-118.2437, abs=0.01)
    assert max(longitudes) - min(longitudes) < 70  # the short way, across the Pacific
    steps = [b - a for a, b in zip(longitudes, longitudes[1:])]
    assert all(step > 0 for step in steps) or all(step < 0 for step in steps)  # one steady direction
    assert max(longitudes) < 0  # never crosses the prime meridian


def test_hostile_city_names_show_as_text_and_never_run(page, serve, site):
    _, errors = open_page(page, serve, site, "/cities/los-angeles/")
    assert errors == []
    assert page.evaluate("() => window.__pwned === undefined && window.__pwned2 === undefined")
    tooltips = page.evaluate("""() => {
        const out = [];
        map_atlas.eachLayer(l => { if (l.getTooltip && l.getTooltip()) {
            const c = l.getTooltip().getContent(); out.push(typeof c === 'string' ? c : c.textContent); } });
        return out; }""")
    assert HOSTILE_NAME in tooltips
    assert TEMPLATE_NAME in tooltips
    # the table of partners shows the names as typed, too
    assert HOSTILE_NAME in page.inner_text("#partners + .table-scroll")


def test_layer_names_from_content_are_escaped(page, serve, site):
    _, errors = open_page(page, serve, site, "/")
    assert errors == []
    labels = page.eval_on_selector_all(".leaflet-control-layers-overlays label", "els => els.map(e => e.textContent)")
    assert any("Pacific <b>Cities</b> members" in label for label in labels)
    assert page.locator(".leaflet-control-layers-overlays b").count() == 0


def test_keyboard_reaches_the_map_and_its_text_alternative(page, serve, site):
    open_page(page, serve, site, "/cities/los-angeles/")
    reached_map = reached_alternative = False
    for _ in range(60):
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => { const e = document.activeElement;
            return {map: e.id === 'map_atlas', href: e.getAttribute('href')}; }""")
        if focused["map"]:
            reached_map = True
            center_before = page.evaluate("() => map_atlas.getCenter().lng")
            page.keyboard.press("ArrowRight")
            page.wait_for_timeout(400)
            assert page.evaluate("() => map_atlas.getCenter().lng") > center_before  # arrow keys pan
        if focused["href"] == "#partners":
            reached_alternative = True
            break
    assert reached_map and reached_alternative
    name = page.get_attribute("#map_atlas", "aria-label")
    assert name.startswith("Map of Los Angeles and its 4 partner cities")


def test_home_map_clusters_and_toggles_layers(page, serve, site):
    _, errors = open_page(page, serve, site, "/")
    assert errors == []
    assert page.evaluate("() => typeof L.markerClusterGroup === 'function'")
    overlay_count = page.locator(".leaflet-control-layers-overlays input").count()
    assert overlay_count >= 3  # sister cities, cooperation, Pacific members
    lines_before = page.evaluate("() => document.querySelectorAll('#map_atlas path.leaflet-interactive').length")
    page.locator(".leaflet-control-layers").hover()
    page.locator(".leaflet-control-layers-overlays label", has_text="Sister cities").click()
    lines_after = page.evaluate("() => document.querySelectorAll('#map_atlas path.leaflet-interactive').length")
    assert lines_after < lines_before
