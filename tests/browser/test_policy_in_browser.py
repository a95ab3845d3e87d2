"""The Content-Security-Policy: every page type satisfies it in Chromium, with no inline script."""

from __future__ import annotations

import pytest

from .conftest import build_site

ATLAS = {
    "atlas.yaml": "title: Policy atlas\n",  # default: OpenStreetMap tiles
    "cities/lyon.md": "---\nname: Lyon\ncountry: FR\ncoordinates: [45.76, 4.84]\npartners: [turin]\n"
                      "networks: [alps]\nthemes: [climate]\nsources: [ref]\n---\nLyon [@ref]. | a |\n",
    "cities/turin.md": "---\nname: Turin\ncountry: IT\ncoordinates: [45.07, 7.69]\n---\n",
    "networks/alps.md": "---\nname: Alpine Cities\nmembers: [turin]\n---\nA network.\n",
    "case-studies/meeting.md": "---\ntitle: A meeting\ndate: 2020\ncities: [lyon, turin]\n---\nText.\n",
    "themes/climate.md": "---\nname: Climate\n---\nText.\n",
    "pages/about.md": "---\ntitle: About\n---\nAbout [[lyon]].\n",
    "sources.yaml": "- id: ref\n  title: A reference\n  url: https://example.org/ref\n",
}
PAGES = ["/", "/cities/lyon/", "/networks/alps/", "/case-studies/meeting/", "/themes/climate/", "/about/",
         "/cities/", "/networks/", "/case-studies/", "/themes/", "/partnerships/", "/sources/", "/sources/ref/",
         "/data/", "/404.html"]
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")

WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', e =>
  window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build_site(tmp_path_factory.mktemp("policy"), ATLAS)


@pytest.mark.parametrize("path", PAGES)
def test_every_page_type_satisfies_the_policy(page, serve, site, path):
    server = serve(site)
    page.add_init_script(WATCH_VIOLATIONS)
    tiles = []

    def fake_tile(route):
        tiles.append(route.request.url)
        route.fulfill(status=200, content_type="image/png", body=PNG)

    page.route("https://tile.openstreetmap.org/**", fake_tile)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(server.url(path))
    page.wait_for_load_state("networkidle")
    policy = page.get_attribute('meta[http-equiv="Content-Security-Policy"]', "content")
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    if page.locator("#map_atlas").count():
        page.wait_for_selector("#map_atlas .leaflet-interactive")
        page.wait_for_load_state("networkidle")
        assert tiles, "the map asked for no tiles"
        assert page.locator("#map_atlas img.leaflet-tile-loaded").count() > 0  # tiles allowed by img-src
    assert page.evaluate("() => window.__violations") == []
    assert errors == []


def test_an_inline_script_would_be_blocked(page, serve, site, tmp_path):
    # the policy is really enforced: a page of the site with an injected inline script does not run it
    server = serve(site)
    page.add_init_script(WATCH_VIOLATIONS)
    page.route(server.url("/cities/lyon/"), lambda route: route.fulfill(
        status=200, content_type="text/html",
        body=(site / "cities/lyon/index.html").read_text(encoding="utf-8").replace(
            "</main>", "<script>window.__ran = 1</script></main>")))
    page.goto(server.url("/cities/lyon/"))
    page.wait_for_load_state("networkidle")
    assert page.evaluate("() => window.__ran") is None
    assert any(v.startswith("script-src") for v in page.evaluate("() => window.__violations"))
