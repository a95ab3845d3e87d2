"""Readers in a real browser: search, filters, sub-path sites and accessibility (axe-core)."""

from __future__ import annotations

import re

import pytest

from .conftest import AXE, axe_violations

PAGE_TYPES = {
    "home": "/",
    "city": "/cities/barcelona/",
    "network": "/networks/c40/",
    "case study": "/case-studies/atlanta-smart-city-strategy-workshop/",
    "theme": "/themes/climate/",
    "organisation": "/organisations/new-york-mayors-office-for-international-affairs/",
    "initiative": "/initiatives/marrakech-mayors-declaration/",
    "event": "/events/c40-summit-copenhagen-2019/",
    "person": "/people/anne-hidalgo/",
    "survey": "/surveys/conducting-city-diplomacy-survey-2020/",
    "events index": "/events/",
    "page": "/about/",
    "cities index": "/cities/",
    "case studies index": "/case-studies/",
    "networks index": "/networks/",
    "partnerships": "/partnerships/",
    "timeline": "/timeline/",
    "timeline of one kind": "/timeline/memberships/",
    "as of a year index": "/as-of/",
    "as of a year": "/as-of/2022/",
    "sources": "/sources/",
    "source": "/sources/thayer-2016/",
    "open data": "/data/",
    "search": "/search/?q=climate",
    "not found": "/no-such-page/",
}


def search_results(page) -> list[str]:
    """The titles of the results (and their sub-results), once every shown result has loaded."""
    page.wait_for_function("""() => document.querySelectorAll('.pagefind-ui__result-link').length > 0
        && !document.querySelector('.pagefind-ui__results .pagefind-ui__loading')""")
    return page.eval_on_selector_all(".pagefind-ui__result-link", "els => els.map(e => e.textContent.trim())")


def result_count(page) -> int:
    """N of "N results for ...", Pagefind's count of the matching pages."""
    return int(page.inner_text(".pagefind-ui__message").split()[0])


def test_searching_for_barcelona_finds_its_page_first(page, serve, starter_site):
    server = serve(starter_site)
    page.goto(server.url("/search/?q=Barcelona"))
    titles = search_results(page)
    assert titles[0] == "Barcelona"
    assert any("Atlanta" in title for title in titles)
    excerpt = page.inner_text(".pagefind-ui__result-excerpt >> nth=0")
    assert "Barcelona" in excerpt


def test_the_search_box_in_the_navigation_leads_to_results(page, serve, starter_site):
    server = serve(starter_site)
    page.goto(server.url("/cities/chicago/"))
    page.fill("#site-search-input", "Barcelona")
    page.press("#site-search-input", "Enter")
    page.wait_for_url(re.compile(r"/search/\?q=Barcelona"))
    assert search_results(page)[0] == "Barcelona"


def test_typing_in_the_header_box_on_the_search_page_shows_results_as_you_type(page, serve, starter_site):
    server = serve(starter_site)
    page.goto(server.url("/search/"))
    boxes = page.eval_on_selector_all("input[type=search], input[type=text]",
                                      "els => els.filter(e => e.offsetParent !== null).map(e => e.id)")
    assert boxes == ["site-search-input"], "the page has one search box, the header's"
    page.locator("#site-search-input").press_sequentially("barcelona", delay=30)
    assert search_results(page)[0] == "Barcelona"
    page.wait_for_url(re.compile(r"/search/\?q=barcelona$"))  # the address follows, without a reload
    assert page.input_value("#site-search-input") == "barcelona"
    assert page.inner_text("#search-status").startswith(page.inner_text(".pagefind-ui__message").split()[0])


def test_a_search_for_a_theme_puts_the_theme_and_its_networks_first(page, serve, starter_site):
    server = serve(starter_site)
    page.goto(server.url("/search/?q=climate"))
    titles = search_results(page)
    assert titles[:3] == ["Climate", "Climate Mayors", "Global Covenant of Mayors for Climate & Energy"]
    assert page.input_value("#site-search-input") == "climate"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_results_are_in_the_sites_type_and_colours(browser, serve, starter_site, scheme):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.goto(serve(starter_site).url("/search/?q=climate"))
    search_results(page)
    assert page.locator("link[href*='pagefind-ui.css']").count() == 0  # not Pagefind's default styling
    styles = page.evaluate("""() => {
        const link = document.querySelector('.pagefind-ui__result-link');
        const css = getComputedStyle(document.documentElement);
        return {font: getComputedStyle(link).fontFamily, body: getComputedStyle(document.body).fontFamily,
                colour: getComputedStyle(link).color, background: getComputedStyle(document.body).backgroundColor,
                accent: css.getPropertyValue('--accent').trim()}; }""")
    context.close()
    assert styles["font"] == styles["body"]
    accent = {"light": "rgb(31, 95, 168)", "dark": "rgb(140, 184, 239)"}[scheme]
    assert styles["colour"] == accent
    assert (styles["background"] == "rgb(251, 250, 247)") == (scheme == "light")


@pytest.mark.parametrize("width", [390, 1280])
def test_filters_fold_behind_one_button_on_a_phone(browser, serve, starter_site, width):
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    page.goto(serve(starter_site).url("/search/?q=cities"))
    search_results(page)
    toggle = page.get_by_role("button", name="Filter")
    first = page.locator(".pagefind-ui__result >> nth=0").bounding_box()
    assert first["y"] + 40 < 844, "the first result is on the first screen"
    if width == 390:
        assert not page.is_visible(".pagefind-ui__filter-panel")
        assert toggle.get_attribute("aria-expanded") == "false"
        toggle.click()
        assert toggle.get_attribute("aria-expanded") == "true"
        assert page.is_visible(".pagefind-ui__filter-panel")
        page.click("summary.pagefind-ui__filter-name:text-matches('^theme$', 'i')")
        assert page.is_visible("input[name=theme][value='Migration']")
    else:
        assert not toggle.is_visible()
        assert page.is_visible(".pagefind-ui__filter-panel")
        panel = page.locator(".pagefind-ui__filter-panel").bounding_box()
        assert panel["x"] + panel["width"] <= page.locator(".pagefind-ui__results-area").bounding_box()["x"]
    context.close()


def test_filtering_results_by_theme_and_following_one(page, serve, starter_site):
    server = serve(starter_site)
    page.goto(server.url("/search/?q=cities"))
    search_results(page)
    before = result_count(page)
    page.click("summary.pagefind-ui__filter-name:text-matches('^theme$', 'i')")  # Pagefind 1.5 writes it lower-case
    page.check("input[name=theme][value='Migration']")
    page.wait_for_function("n => parseInt(document.querySelector('.pagefind-ui__message').textContent, 10) !== n",
                           arg=before)
    search_results(page)
    assert 0 < result_count(page) < before
    page.click(".pagefind-ui__result-link >> nth=0")
    page.wait_for_load_state()
    tagged = page.eval_on_selector_all("[data-pagefind-filter^='theme']", "els => els.map(e => e.dataset.value)")
    assert "Migration" in tagged


def test_search_works_under_a_sub_path(page, serve, starter_site_under_subpath):
    server = serve(starter_site_under_subpath, prefix="/atlas/")
    page.goto(server.url("/atlas/search/?q=Barcelona"))
    search_results(page)
    href = page.get_attribute(".pagefind-ui__result-link >> nth=0", "href")
    assert href == "/atlas/cities/barcelona/"
    page.click(".pagefind-ui__result-link >> nth=0")
    assert page.inner_text("h1") == "Barcelona"


@pytest.mark.parametrize("width", [390, 1280])
def test_no_entry_page_lists_a_link_twice_under_different_headings(browser, serve, starter_site, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    server = serve(starter_site)
    for name in ("city", "network", "theme", "case study", "initiative", "event", "person"):
        page.goto(server.url(PAGE_TYPES[name]))
        by_heading = page.evaluate("""() => {
            const article = document.querySelector('article');
            const seen = {};  // link -> the headings it is listed under (text and sources aside)
            for (const link of article.querySelectorAll('a[href^="/"]:not(.anchor)')) {
                // the facts box beside the map sums up; the sections below it list
                if (link.closest('.prose, .references, .entry-header, .map-figure, .facts')) continue;
                const section = link.closest('section');
                const heading = section && section.querySelector('h2');
                const name = heading ? heading.textContent.trim() : '';
                (seen[link.getAttribute('href')] = seen[link.getAttribute('href')] || new Set()).add(name);
            }
            return Object.entries(seen).filter(([, names]) => names.size > 1).map(([href, names]) => [href, [...names]]);
        }""")
        assert by_heading == [], name
        if page.locator("#related-heading").count():
            reasons = page.locator("#related-heading + ul .muted").all_inner_texts()
            assert reasons and all(re.search(r"· shares \d+ ", reason) for reason in reasons), reasons
    context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_timeline_names_regions_and_countries_and_its_decades_stay_in_reach(browser, serve, starter_site, width):
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    page.goto(serve(starter_site).url("/timeline/"))
    items = [" ".join(text.split()) for text in page.locator(".timeline li li").all_text_contents()]
    toledo = [item for item in items if "Toledo" in item and "Sister city" in item]
    assert toledo == ["Sister city Toledo, Castile-La Mancha (ES) – Toledo, Ohio (US) · 1931 or 1934; sources differ"]
    assert not [item for item in items if re.search(r"\([^()]*\(", item)], "brackets inside brackets"
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width, "nothing wider than the screen"
    nav = page.get_by_role("navigation", name="Decades")
    nav.get_by_role("link", name="1990s").click()
    page.wait_for_url(re.compile(r"#d1990$"))
    heading = page.locator("#d1990").bounding_box()
    bar = nav.bounding_box()
    assert bar["y"] == 0, "the decades stay at the top of the screen"
    assert heading["y"] >= bar["y"] + bar["height"] - 1, "the decade's heading is not under the bar"
    assert nav.get_by_role("link", name="2010s").is_visible() or width == 390
    context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_open_data_page_reads_at_every_width(browser, serve, starter_site, width):
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    page.goto(serve(starter_site).url("/data/"))
    assert page.get_by_role("link", name="Creative Commons Attribution 4.0 International").is_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    table = page.locator(".data-files")
    assert table.evaluate("t => t.parentElement.scrollWidth <= t.parentElement.clientWidth"), "no sideways scrolling"
    name = page.get_by_role("link", name="partnerships.csv", exact=True)
    facts = page.locator(".data-files tr", has=name).locator(".file-facts")
    assert re.fullmatch(r"CSV · [\d.]+ kB", facts.inner_text())
    assert name.bounding_box()["height"] < 40, "the file name is on one line"
    page.locator(".data-files tr", has=name).get_by_text("columns").click()
    assert page.locator(".data-files tr", has=name).get_by_text("status_source").is_visible()
    context.close()


def test_the_cities_list_filters_by_network_with_javascript(page, serve, starter_site):
    server = serve(starter_site)
    page.goto(server.url("/cities/"))
    total = page.locator("[data-item]").count()
    page.select_option("select >> nth=1", "C40")
    visible = page.eval_on_selector_all("[data-item]:not([hidden]) a", "els => els.map(e => e.textContent)")
    assert 0 < len(visible) < total
    assert "London" in visible and "Galway" not in visible
    assert page.inner_text(".facet-status") == f"{len(visible)} of {total} shown"


def test_the_lists_are_complete_without_javascript(browser, serve, starter_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    server = serve(starter_site)
    page.goto(server.url("/cities/"))
    assert page.locator("[data-item]").count() == len(list((starter_site / "cities").glob("*/index.html")))
    assert page.locator("select").count() == 0
    context.close()


@pytest.mark.parametrize("path", ["/", "/timeline/", "/about/"])  # pages with and without a map or search
def test_on_a_phone_the_sections_fold_behind_one_menu_button(browser, serve, starter_site, path):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(serve(starter_site).url(path))
    menu = page.get_by_role("button", name="Menu")
    assert menu.get_attribute("aria-expanded") == "false"
    assert not page.get_by_role("link", name="Networks", exact=True).is_visible()
    header = page.locator(".site-header").bounding_box()
    assert header["height"] < 120, "the header takes two rows: the title with Menu, then the search box"
    menu.click()
    assert menu.get_attribute("aria-expanded") == "true"
    page.get_by_role("link", name="Networks", exact=True).click()
    assert page.url.endswith("/networks/")
    context.close()


def test_on_a_desktop_and_without_javascript_every_section_is_in_view(browser, serve, starter_site):
    for options in ({"viewport": {"width": 1280, "height": 900}},
                    {"viewport": {"width": 390, "height": 844}, "java_script_enabled": False}):
        context = browser.new_context(**options)
        page = context.new_page()
        page.goto(serve(starter_site).url("/"))
        assert not page.get_by_role("button", name="Menu").is_visible()
        assert page.locator(".site-nav a").count() >= 10
        assert all(link.is_visible() for link in page.locator(".site-nav a").all())
        context.close()


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_no_accessibility_violations(browser, serve, starter_site, name, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    page = context.new_page()
    server = serve(starter_site)
    page.goto(server.url(PAGE_TYPES[name]))
    page.wait_for_load_state("networkidle")
    if page.locator("#map_atlas").count():
        page.wait_for_selector("#map_atlas .leaflet-interactive")
    if name == "search":
        search_results(page)
    violations = axe_violations(page)
    context.close()
    assert violations == []


def test_a_profile_prints_without_map_and_navigation_and_with_addresses(page, serve, starter_site):
    server = serve(starter_site)
    page.goto(server.url("/cities/barcelona/"))
    page.wait_for_selector("#map_atlas .leaflet-interactive")
    page.emulate_media(media="print")
    assert not page.is_visible("#map_atlas")
    assert not page.is_visible(".site-nav")
    after = page.evaluate("""() => {
        const link = document.querySelector('.references a[href^="http"]');
        return [link.href, getComputedStyle(link, '::after').content]; }""")
    assert after[0] in after[1]


@pytest.mark.parametrize("path", ["/", "/cities/barcelona/", "/search/?q=climate",
                                  "/surveys/conducting-city-diplomacy-survey-2020/"])
def test_dark_mode_has_no_contrast_problems(browser, serve, starter_site, path):
    context = browser.new_context(color_scheme="dark", reduced_motion="reduce", bypass_csp=True)
    page = context.new_page()
    server = serve(starter_site)
    page.goto(server.url(path))
    page.wait_for_load_state("networkidle")
    background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    assert background != "rgb(251, 250, 247)"  # the dark palette is in use
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("() => axe.run(document, {runOnly: {type: 'rule', values: ['color-contrast']}})")
    context.close()
    assert [v["nodes"][0]["target"] for v in result["violations"]] == []
