"""The year control in headless Chromium, at phone and desktop widths: moving the slider keeps only
the ties and memberships in force that year, in the lists and on the map, and says so; axe finds
nothing to fix at either width, before or after the slider moves. Without JavaScript it stays
hidden and the as-of pages take its place."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import build_site, open_at

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

ATLAS = {
    "atlas.yaml": "title: Dated atlas\nbasemap: countries\n",
    "cities/lyon.md": """---
name: Lyon
country: FR
coordinates: [45.76, 4.84]
partners:
  - {city: turin, since: 1985, until: 2022, status: ended, reason: Lapsed.}
  - {city: porto, kind: friendship, since: 2010}
networks:
  - {network: eurocities, role: founding-member, since: 1986}
---
Lyon.
""",
    "cities/turin.md": "---\nname: Turin\ncountry: IT\ncoordinates: [45.07, 7.69]\n---\n",
    "cities/porto.md": "---\nname: Porto\ncountry: PT\ncoordinates: [41.15, -8.61]\n---\n",
    "networks/eurocities.md": "---\nname: Eurocities\nmembers:\n  - {city: turin, since: 1990, until: 2015}\n  - porto\n---\n",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build_site(tmp_path_factory.mktemp("browser-years"), ATLAS)


def choose(page, year: int) -> None:
    """Move the slider with the keyboard, as a reader would: Home, then one step right per year."""
    slider = page.locator("#year-control-input")
    slider.focus()
    slider.press("Home")
    for _ in range(year - int(slider.get_attribute("min"))):
        slider.press("ArrowRight")


def lines_on_map(page) -> int:
    return page.evaluate("""() => { let n = 0;
        map_atlas.eachLayer(l => { if (l instanceof L.Polyline && l.options.pane !== "basemap") n++; });
        return n; }""")


def visible_rows(page, selector: str) -> list[str]:
    return [row.inner_text().split("\t")[0].strip() for row in page.locator(selector).all() if row.is_visible()]


def no_violations(page) -> list[str]:
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("""() => axe.run(document, {
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}
    })""")
    return [f"{v['id']}: {v['help']} ({v['nodes'][0]['target']})" for v in result["violations"]]


@pytest.mark.parametrize("width", [390, 1280])
def test_a_tie_ended_in_2022_shows_in_2015_and_not_in_2023_in_the_list_and_on_the_map(browser, serve, site, width):
    context, page, errors = open_at(browser, serve, site, "/cities/lyon/", width)
    form = page.locator("form.year-control")
    assert form.is_visible()
    assert page.inner_text("#year-control-output") == "All years"
    assert visible_rows(page, "tr[data-dated] th") == ["Porto", "Turin"]
    assert lines_on_map(page) == 2
    choose(page, 2015)
    assert page.inner_text("#year-control-output") == "2015"
    assert page.get_attribute("#year-control-input", "aria-valuetext") == "2015"
    assert visible_rows(page, "tr[data-dated] th") == ["Porto", "Turin"]
    assert lines_on_map(page) == 2
    assert page.inner_text(".year-control [role=status]") == "3 of 3 in force in 2015"  # 2 ties, 1 network
    page.locator("#year-control-input").press("ArrowRight")  # ... 2022: still there
    for _ in range(7):
        page.locator("#year-control-input").press("ArrowRight")
    assert page.inner_text("#year-control-output") == "2023"
    assert visible_rows(page, "tr[data-dated] th") == ["Porto"]
    assert not page.locator("#former-partners").is_visible()  # nothing left under that heading
    assert lines_on_map(page) == 1
    assert no_violations(page) == []
    page.locator("#year-control-input").press("End")
    assert page.inner_text("#year-control-output") == "All years" and lines_on_map(page) == 2
    assert page.locator("#former-partners").is_visible()
    context.close()
    assert errors == []


@pytest.mark.parametrize("width", [390, 1280])
def test_the_network_slider_keeps_the_members_of_that_year(browser, serve, site, width):
    context, page, errors = open_at(browser, serve, site, "/networks/eurocities/", width)
    assert page.locator(".grouped-list dt:visible").all_inner_texts() == ["France", "Portugal"]
    choose(page, 1995)
    assert visible_rows(page, "[data-dated] a") == ["Lyon", "Turin"]
    assert page.evaluate("""() => { let n = 0; map_atlas.eachLayer(l => {
        if (l instanceof L.CircleMarker && l.options.interactive !== false) n++; }); return n; }""") == 2
    assert page.locator(".grouped-list dt:visible").all_inner_texts() == ["France"]  # Porto's start not recorded
    choose(page, 2016)
    assert visible_rows(page, "[data-dated] a") == ["Lyon"]
    assert not page.locator("#former-members").is_visible()  # Turin, a member until 2015
    assert no_violations(page) == []
    context.close()
    assert errors == []


@pytest.mark.parametrize("width", [390, 1280])
def test_the_home_slider_filters_the_map_lines(browser, serve, site, width):
    context, page, errors = open_at(browser, serve, site, "/", width)
    assert lines_on_map(page) == 2
    choose(page, 2000)
    assert lines_on_map(page) == 1  # Lyon–Porto begins in 2010
    assert page.inner_text(".year-control [role=status]") == "The map shows what was in force in 2000"
    assert no_violations(page) == []
    context.close()
    assert errors == []


def test_without_javascript_the_slider_is_hidden_and_the_as_of_pages_stand_in(browser, serve, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    server = serve(site)
    page.goto(server.url("/cities/lyon/"))
    assert not page.locator("form.year-control").is_visible()
    page.click("text=The atlas as of a year")
    page.click("a:text-is('2015')")
    assert page.locator("h1").inner_text() == "The atlas as of 2015"
    assert "Lyon – Turin" in page.inner_text("#partnerships ~ div table")
    page.goto(server.url("/as-of/2023/"))
    assert "Lyon – Turin" not in page.inner_text("main")
    context.close()
