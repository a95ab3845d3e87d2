"""Maps that read at a glance, in headless Chromium: no stripes across the antimeridian, a legend in
words, maps framed on what they show at phone and desktop widths, names on the map, dark mode."""

from __future__ import annotations

import base64

import pytest

from .conftest import axe_violations, build_site, open_at

ATLAS = {
    "atlas.yaml": "title: Reading atlas\nbasemap: countries\n",
    "cities/los-angeles.md": "---\nname: Los Angeles\ncountry: US\ncoordinates: [34.0522, -118.2437]\npartners:\n"
                             "- {city: auckland, since: 1971}\n- {city: tokyo, kind: cooperation}\n"
                             "- {city: busan, since: 1971, until: 2001, status: ended}\n"
                             "- {city: guangzhou, kind: friendship}\n---\nLos Angeles, across the Pacific.\n",
    **{f"cities/{name.lower()}.md": f"---\nname: {name}\ncountry: {country}\ncoordinates: [{lat}, {lon}]\n{more}---\n"
       for name, country, lat, lon, more in [
           ("Auckland", "NZ", -36.8485, 174.7633, ""), ("Tokyo", "JP", 35.6895, 139.6917, ""),
           ("Busan", "KR", 35.1796, 129.0756, ""), ("Guangzhou", "CN", 23.1291, 113.2644, ""),
           ("Paris", "FR", 48.8566, 2.3522, "partners: [rome]\n"), ("Rome", "IT", 41.9028, 12.4964, ""),
           ("Lonely", "IS", 64.1466, -21.9426, "")]},
    "networks/mmc.md": "---\nname: Mayors Migration Council\nshort_name: MMC\nmembers: [los-angeles, paris]\n---\n",
    "networks/pacific-rim.md": "---\nname: Pacific Rim Cities\nmembers: [los-angeles, tokyo, auckland]\n---\n",
    "networks/empty.md": "---\nname: Empty Network\n---\nNo members recorded.\n",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build_site(tmp_path_factory.mktemp("reading-maps"), ATLAS)


def open_map(browser, serve, site, path, width=1280, scheme="light"):
    _, page, errors = open_at(browser, serve, site, path, width, scheme)
    page.wait_for_function("() => document.querySelectorAll('.leaflet-basemap-pane path').length > 50")
    page.wait_for_timeout(300)
    return page, errors


def horizontal_lines(browser, png: bytes, tolerance=12, shortest=20) -> list[int]:
    """For each row of a PNG, how many pixels lie on horizontal lines: runs of at least `shortest` near-identical
    pixels that differ from the row above or below (a drawn line, not a stretch of sea or land). A stripe
    across the world, broken only where land crosses it, covers most of its row. Decoded by a blank page."""
    blank = browser.new_page()
    try:
        return blank.evaluate("""async ([data, tolerance, shortest]) => {
            const image = new Image();
            image.src = 'data:image/png;base64,' + data;
            await image.decode();
            const canvas = document.createElement('canvas');
            canvas.width = image.width; canvas.height = image.height;
            const context = canvas.getContext('2d');
            context.drawImage(image, 0, 0);
            const w = image.width, h = image.height, px = context.getImageData(0, 0, w, h).data;
            const differ = (i, j) => Math.abs(px[i] - px[j]) + Math.abs(px[i + 1] - px[j + 1])
              + Math.abs(px[i + 2] - px[j + 2]) > tolerance;
            const runs = [0];
            for (let y = 1; y < h - 1; y++) {
              let run = 0, start = -1, total = 0;
              for (let x = 0; x < w; x++) {
                const i = (y * w + x) * 4;
                const edge = differ(i, i - 4 * w) || differ(i, i + 4 * w);
                if (edge && start >= 0 && !differ(i, start)) { run += 1; continue; }
                if (run >= shortest) { total += run; }
                run = edge ? 1 : 0; start = edge ? i : -1;
              }
              runs.push(total + (run >= shortest ? run : 0));
            }
            return runs;
        }""", [base64.b64encode(png).decode("ascii"), tolerance, shortest])
    finally:
        blank.close()


@pytest.mark.parametrize("view", [None, (0, 0, 2), (62, 180, 3), (-17, 180, 5)])  # as opened; world; Russia; Fiji
def test_no_horizontal_stripe_of_outline_colour_spans_the_home_map(browser, serve, site, view):
    page, errors = open_map(browser, serve, site, "/")
    if view is not None:
        page.evaluate(f"() => map_atlas.setView([{view[0]}, {view[1]}], {view[2]}, {{animate: false}})")
        page.wait_for_timeout(300)
    # hide the atlas's own lines and dots: only the basemap is judged
    page.evaluate("""() => document.querySelectorAll('.leaflet-overlay-pane, .leaflet-marker-pane, .leaflet-tooltip-pane, .leaflet-control-container, .atlas-legend').forEach(e => { e.style.visibility = 'hidden'; })""")
    box = page.locator("#map_atlas").bounding_box()  # inside the map's border
    png = page.screenshot(clip={"x": box["x"] + 3, "y": box["y"] + 3, "width": box["width"] - 6, "height": box["height"] - 6})
    width = page.evaluate("() => document.getElementById('map_atlas').clientWidth")
    runs = horizontal_lines(browser, png)
    assert errors == []
    assert max(runs) < width * 0.4, f"horizontal lines cover {max(runs)} px of a row of a {width} px map"
    page.context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_legend_is_always_shown_in_words_beside_the_map(browser, serve, site, width):
    page, errors = open_map(browser, serve, site, "/cities/los-angeles/", width)
    legend = page.locator(".map-figure .map-legend")
    legend.scroll_into_view_if_needed()
    assert legend.is_visible() and page.locator(".leaflet-control-layers .map-legend").count() == 0
    words = legend.inner_text()
    for label in ("Los Angeles", "Partner city", "Sister cities", "Cooperation agreements", "Friendship agreements",
                  "Ended ties (any kind)"):
        assert label in words
    # the ended tie to Busan is drawn as the legend says: grey and dashed; the others in their colour, solid
    styles = page.evaluate("""() => { const out = {};
        map_atlas.eachLayer(l => { if (l instanceof L.Polyline && !(l instanceof L.Polygon) && l.getTooltip())
          out[l.getTooltip().getContent().textContent] = [l.options.color, l.options.dashArray || null]; });
        return out; }""")
    busan = next(v for k, v in styles.items() if "Busan" in k)
    auckland = next(v for k, v in styles.items() if "Auckland" in k)
    assert busan == ["#7a7a7a", "6 5"] and auckland[1] is None and auckland[0] != "#7a7a7a"
    assert errors == []
    page.context.close()


def test_the_layers_button_spells_out_network_abbreviations(browser, serve, site):
    page, errors = open_map(browser, serve, site, "/")
    labels = page.eval_on_selector_all(".leaflet-control-layers-overlays label", "els => els.map(e => e.textContent)")
    assert any("Mayors Migration Council (MMC) members" in label for label in labels)
    page.context.close()


def test_a_network_with_no_member_on_the_map_shows_a_sentence_not_an_empty_map(browser, serve, site):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(serve(site).url("/networks/empty/"))
    assert page.locator("#map_atlas").count() == 0
    assert page.locator(".map-empty").inner_text().startswith("There is no map: none of this network")
    context.close()


def test_a_map_of_one_city_opens_on_its_region(browser, serve, site):
    page, errors = open_map(browser, serve, site, "/cities/lonely/", 390)
    zoom = page.evaluate("() => map_atlas.getZoom()")
    assert 4 <= zoom <= 6
    assert page.evaluate("() => map_atlas.getBounds().contains([64.1466, -21.9426])")
    page.context.close()


MARKERS_IN_VIEW = """() => { const view = map_atlas.getBounds(), out = [];
    map_atlas.eachLayer(l => { if (l instanceof L.CircleMarker && l.options.interactive !== false)
      out.push([l.getTooltip().getContent().textContent, view.contains(l.getLatLng())]); });
    return out; }"""
CONTROLS_APART = """() => {
    const rect = s => Array.from(document.querySelectorAll('#map_atlas ' + s)).map(e => e.getBoundingClientRect());
    const [attribution] = rect('.leaflet-control-attribution');
    const others = rect('.leaflet-control-zoom, .leaflet-control-scale, .leaflet-control-layers');
    const map = document.getElementById('map_atlas').getBoundingClientRect();
    const inside = attribution.left >= map.left - 1 && attribution.right <= map.right + 1;
    return inside && others.every(r => r.right <= attribution.left || r.left >= attribution.right
                                       || r.bottom <= attribution.top || r.top >= attribution.bottom); }"""


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("path, pacific", [("/cities/los-angeles/", True), ("/networks/pacific-rim/", True),
                                           ("/networks/mmc/", False), ("/", False)])
def test_every_map_opens_fitted_to_all_it_shows_across_the_pacific_when_that_is_shorter(browser, serve, site, width,
                                                                                         path, pacific):
    page, errors = open_map(browser, serve, site, path, width)
    placed = page.evaluate(MARKERS_IN_VIEW)
    assert placed and all(inside for _, inside in placed), placed
    if pacific:
        center = page.evaluate("() => map_atlas.getCenter().wrap().lng")
        assert abs(center) > 120, f"framed on {center}°, not across the Pacific"
    # not zoomed out to a speck: the dots take a fair part of the map's width
    spread = page.evaluate("""() => { const xs = [];
        map_atlas.eachLayer(l => { if (l instanceof L.CircleMarker && l.options.interactive !== false)
          xs.push(map_atlas.latLngToContainerPoint(l.getLatLng()).x); });
        return (Math.max(...xs) - Math.min(...xs)) / map_atlas.getSize().x; }""")
    assert spread > 0.3
    assert page.evaluate(CONTROLS_APART), "the attribution covers a control or the scale bar"
    assert errors == []
    page.context.close()


LABELS = """() => Array.from(document.querySelectorAll('#map_atlas .atlas-label'))
    .filter(e => e.style.display !== 'none')
    .map(e => { const r = e.getBoundingClientRect(); return [e.textContent, r.left, r.top, r.right, r.bottom]; })"""


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("path, names", [
    ("/cities/los-angeles/", {"Los Angeles", "Auckland", "Tokyo", "Busan", "Guangzhou"}),
    ("/networks/pacific-rim/", {"Los Angeles", "Auckland", "Tokyo"}),
])
def test_the_city_and_its_partners_are_named_on_the_map_without_overlapping(browser, serve, site, width, path,
                                                                            names):
    page, errors = open_map(browser, serve, site, path, width)
    shown = page.evaluate(LABELS)
    assert {label[0] for label in shown} >= ({"Los Angeles"} if width == 390 else names)
    assert len(shown) >= min(len(names), 3)
    for i, a in enumerate(shown):
        for b in shown[i + 1:]:
            assert a[3] <= b[1] or b[3] <= a[1] or a[4] <= b[2] or b[4] <= a[2], f"{a[0]} covers {b[0]}"
    box = page.locator("#map_atlas").bounding_box()
    assert all(box["x"] <= a[1] and a[3] <= box["x"] + box["width"] for a in shown)
    # after zooming in, names are placed again, still apart
    page.evaluate("() => map_atlas.setZoom(map_atlas.getZoom() + 1, {animate: false})")
    page.wait_for_timeout(300)
    again = page.evaluate(LABELS)
    assert all(a[3] <= b[1] or b[3] <= a[1] or a[4] <= b[2] or b[4] <= a[2] for i, a in enumerate(again)
               for b in again[i + 1:])
    assert page.get_attribute("#map_atlas .atlas-map-labels", "aria-hidden") == "true"
    assert errors == []
    page.context.close()


def luminance(css_colour: str) -> float:
    """Relative brightness 0..1 of 'rgb(r, g, b)' / 'rgba(...)' or '#rrggbb'."""
    if css_colour.startswith("#"):
        channels = [int(css_colour[i:i + 2], 16) for i in (1, 3, 5)]
    else:
        channels = [float(v) for v in css_colour[css_colour.index("(") + 1:-1].split(",")[:3]]
    return (0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]) / 255


COLOURS = """() => {
    const style = s => getComputedStyle(document.querySelector(s));
    let land = null, line = null;
    map_atlas.eachLayer(l => {
      if (l instanceof L.Polygon && land === null) land = l.options.fillColor;
      if (l instanceof L.Polyline && !(l instanceof L.Polygon) && l.getTooltip() && line === null) line = l.options.color;
    });
    return {sea: style('#map_atlas').backgroundColor, land, line,
            label: style('#map_atlas .atlas-label-focus').color, zoom: style('.leaflet-control-zoom-in').backgroundColor,
            attribution: style('.leaflet-control-attribution').backgroundColor,
            key: getComputedStyle(document.querySelector('.map-legend .map-key-dark')).display}; }"""


@pytest.mark.parametrize("width", [390, 1280])
def test_in_the_dark_colour_scheme_the_map_its_names_and_controls_are_dark(browser, serve, site, width):
    page, errors = open_map(browser, serve, site, "/cities/los-angeles/", width, scheme="dark")
    dark = page.evaluate(COLOURS)
    assert luminance(dark["sea"]) < 0.2 and luminance(dark["land"]) < 0.25
    assert luminance(dark["zoom"]) < 0.2 and luminance(dark["attribution"]) < 0.2
    assert luminance(dark["label"]) > 0.8 and luminance(dark["line"]) > 0.5  # light names and lines on the dark
    assert dark["key"] != "none"  # the legend shows the dark scheme's colours
    # and back to light when the reader's scheme changes, without reloading
    page.emulate_media(color_scheme="light")
    page.wait_for_timeout(200)
    light = page.evaluate(COLOURS)
    assert luminance(light["land"]) > 0.8 and luminance(light["sea"]) > 0.7 and luminance(light["label"]) < 0.2
    assert light["key"] == "none"
    assert errors == []
    page.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["/", "/cities/los-angeles/", "/networks/pacific-rim/", "/networks/empty/"])
def test_axe_finds_no_violations_on_the_maps_pages(browser, serve, site, path, scheme):
    context = browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True, color_scheme=scheme)
    page = context.new_page()
    page.goto(serve(site).url(path))
    page.wait_for_load_state("networkidle")
    if page.locator("#map_atlas").count():
        page.wait_for_selector("#map_atlas .atlas-label, #map_atlas .atlas-cluster")
    violations = axe_violations(page)
    context.close()
    assert violations == []


def test_every_map_control_is_reached_by_keyboard_and_has_a_name(browser, serve, site):
    page, errors = open_map(browser, serve, site, "/")
    reached = set()
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => { const e = document.activeElement;
            if (!e.closest('#map_atlas')) return null;
            return [e.className, e.getAttribute('aria-label') || e.getAttribute('title') || e.textContent.trim()]; }""")
        if focused:
            assert focused[1], f"a map control with no name: {focused[0]}"
            reached.add(focused[0].split()[0] if focused[0] else "map")
    assert {"leaflet-control-zoom-in", "leaflet-control-layers-toggle"} <= reached, reached
    page.context.close()


def test_the_detailed_outlines_load_only_when_the_reader_zooms_in_to_a_region(browser, serve, site):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(serve(site).url("/networks/mmc/"))
    page.wait_for_selector("#map_atlas[data-outlines='1:110m']")
    page.wait_for_load_state("networkidle")
    assert not any("/basemap/countries-50m-" in url for url in requests)
    page.evaluate("() => map_atlas.setView([48.8566, 2.3522], 5, {animate: false})")
    page.wait_for_selector("#map_atlas[data-outlines='1:50m']")
    assert sum("/basemap/countries-50m-" in url for url in requests) == 1
    page.evaluate("() => map_atlas.setZoom(2, {animate: false})")
    page.wait_for_selector("#map_atlas[data-outlines='1:110m']")
    context.close()


POLAR_ATLAS = {
    "atlas.yaml": "title: Polar atlas\nbasemap: countries\n",
    "cities/oslo.md": "---\nname: Oslo\ncountry: NO\ncoordinates: [59.9139, 10.7522]\npartners: [anchorage]\n---\n",
    "cities/anchorage.md": "---\nname: Anchorage\ncountry: US\ncoordinates: [61.2181, -149.9003]\n---\n",
}
LINES = """() => { const out = [];
  map_atlas.eachLayer(layer => { if (layer instanceof L.Polyline && !(layer instanceof L.Polygon)) {
    out.push(layer.getLatLngs().flat(2).map(p => [p.lat, p.lng])); } });
  return out; }"""


def test_a_tie_whose_great_circle_passes_near_the_pole_is_drawn_as_a_gentle_arc(browser, serve, tmp_path_factory):
    site = build_site(tmp_path_factory.mktemp("polar-map"), POLAR_ATLAS)
    page, errors = open_map(browser, serve, site, "/cities/oslo/")
    lines = [line for line in page.evaluate(LINES) if line]
    assert lines and errors == []
    for line in lines:  # the great circle climbs to 85°N: in the map's projection a box along the top edge
        assert max(abs(lat) for lat, _ in line) <= 72.001
        assert line[0] == [59.9139, 10.7522] and abs(line[-1][0] - 61.2181) < 1e-6
    page.context.close()
