"""A big atlas's home map, opened in headless Chromium: it fetches its data file and clusters the points.

The atlas is synthetic (benchmarks/generate.py, 120 cities) with maps.INLINE_MAP_LIMIT
lowered so its home map counts as big, and it is published under a sub-path (/atlas/).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from atlas.maps import spec as maps
from atlas.pipeline import Config, build

ROOT = Path(__file__).resolve().parents[2]
CITIES = 120


@pytest.fixture(scope="module")
def big_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("scale-browser")
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "--cities", str(CITIES),
                    "--out", str(root / "content")], check=True, capture_output=True)
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(maps, "INLINE_MAP_LIMIT", 50)
        build(Config(content_dir=root / "content", output_dir=root / "output", base_url="https://example.org/atlas/"))
    return root / "output"


def data_file(site: Path) -> str:
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'id="atlas-map-data"' not in home
    return re.search(r'data-map-src="(/atlas/assets/maps/home\.[0-9a-f]{10}\.json)"', home).group(1)


def test_home_map_opens_on_its_overview_and_fetches_the_regions_in_view_when_the_reader_zooms_in(page, serve, big_site):
    src = data_file(big_site)
    points = len(json.loads((big_site / src.removeprefix("/atlas/")).read_text(encoding="utf-8"))["points"])
    server = serve(big_site, prefix="/atlas/")
    responses: list[tuple[str, int]] = []
    page.on("response", lambda response: responses.append((response.url, response.status)))
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(server.url("/atlas/"))
    page.wait_for_selector("#map_atlas[data-map-view=overview] .atlas-cluster")
    page.wait_for_load_state("networkidle")
    assert errors == []
    fetched = [url for url, status in responses if url.endswith(".json") and "/maps/" in url and status == 200]
    assert len(fetched) == 1 and "/home-overview." in fetched[0]  # the whole data waits
    assert page.locator("#map_atlas .atlas-cluster").count() >= 2
    assert page.get_attribute("#map_atlas", "aria-busy") is None
    assert page.get_attribute("#map_atlas", "aria-label").startswith(f"Map of {CITIES} cities")
    # zooming in fetches the regions in view, not the whole map: their cities, clustered, and their ties
    overview = json.loads((big_site / fetched[0].split("/atlas/", 2)[-1]).read_text(encoding="utf-8"))
    page.evaluate("() => map_atlas.setView([45, 5], 6, {animate: false})")
    page.wait_for_selector("#map_atlas[data-map-view=detail]")
    page.wait_for_function("() => { let found = false; map_atlas.eachLayer(l => {"
                           " if (l instanceof L.MarkerClusterGroup) found = true; }); return found; }")
    page.wait_for_load_state("networkidle")
    assert not any(url == server.url(src) for url, _ in responses)
    regions = [url for url, status in responses if re.search(r"/maps/home-\d+-\d+\.[0-9a-f]{10}\.json$", url)]
    assert 0 < len(regions) < len(overview["regions"])
    def clustered() -> int:
        return page.evaluate("""() => {
            let n = null; map_atlas.eachLayer(l => { if (l instanceof L.MarkerClusterGroup) n = l.getLayers().length; });
            return n; }""")
    seen = clustered()
    assert 0 < seen < points == CITIES
    # panning to the other side of the world fetches its regions too, and adds their cities once
    page.evaluate("() => map_atlas.setView([-25, 135], 6, {animate: false})")
    page.wait_for_load_state("networkidle")
    page.wait_for_function(f"() => {{ let n = 0; map_atlas.eachLayer(l => {{"
                           f" if (l instanceof L.MarkerClusterGroup) n = l.getLayers().length; }}); return n > {seen}; }}")
    assert clustered() < CITIES
    assert not any(url == server.url(src) for url, _ in responses)
    # a view of most of the world, whose regions weigh nearly as much as the whole map, fetches the whole map
    page.evaluate("() => map_atlas.setView([20, 0], 4, {animate: false})")
    page.wait_for_load_state("networkidle")
    page.wait_for_function(f"() => {{ let n = 0; map_atlas.eachLayer(l => {{"
                           f" if (l instanceof L.MarkerClusterGroup) n = l.getLayers().length; }}); return n === {CITIES}; }}")
    assert any(url == server.url(src) for url, _ in responses)
    assert page.locator(".leaflet-control-layers-overlays input").count() >= 2  # kinds of partnership
    # picking a city brings its ties forward and dims the others
    dimmed = page.evaluate("""() => {
        let marker = null, cluster = null;
        map_atlas.eachLayer(l => { if (l instanceof L.MarkerClusterGroup) cluster = l; });
        cluster.getLayers().some(m => { marker = m; return true; });
        marker.fire('click');
        const out = {mine: 0, others: 0};
        map_atlas.eachLayer(l => { if (l instanceof L.Polyline && !(l instanceof L.Polygon) && l.getTooltip()) {
          if (l.options.opacity === 1) out.mine++; else if (l.options.opacity < 0.2) out.others++; } });
        return out; }""")
    assert dimmed["others"] > 0
    # and zooming out shows the overview again
    page.evaluate("() => map_atlas.setZoom(2, {animate: false})")
    page.wait_for_selector("#map_atlas[data-map-view=overview] .atlas-cluster")
    assert errors == []


def test_home_map_says_so_when_its_data_file_cannot_be_loaded(page, serve, big_site):
    server = serve(big_site, prefix="/atlas/")
    page.route("**/assets/maps/*.json", lambda route: route.fulfill(status=404, body="gone"))
    page.goto(server.url("/atlas/"))
    page.wait_for_selector(".map-error")
    assert "could not load" in page.locator(".map-error").inner_text()
    assert page.get_attribute("#map_atlas", "aria-busy") is None
    assert page.locator("#map-alternative a[href='/atlas/cities/']").count() == 1
