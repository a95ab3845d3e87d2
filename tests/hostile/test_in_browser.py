"""The corpus's script payloads, opened in headless Chromium: none of them runs.

Every ok case whose files carry a payload (`__pwned`) goes into one of a few
sites (cases are merged when their files and slugs do not collide). Each site
is built once and served; every HTML page is opened with the page's own
Content-Security-Policy bypassed, so what is tested is the sanitising and
escaping, not the policy that backs them up. On each page the map is waited
for, every marker's popup and tooltip and every line's tooltip is opened, a
marker is hovered and the layer control expanded; on the search page the
payloads are searched for so their excerpts and filters render. Then
`window.__pwned` must be undefined, no dialog may have opened, and the live
DOM must hold no event handler attribute, no script URL and no script element
but the site's own.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from atlas.pipeline import Config, build

from .cases import CASES, Case
from .conftest import write_files

MAX_CASES_PER_SITE = 40
BROWSER_ATLAS_YAML = "title: Hostile atlas\n"  # map tiles: requests to the tile server are aborted


def carries_script(case: Case) -> bool:
    texts = [v.decode("utf-8", "replace") if isinstance(v, bytes) else (v or "") for v in case.files.values()]
    return any("__pwned" in text for text in texts)


BROWSER_CASES = [c for c in CASES if c.expect == "ok" and c.setup is None and c.base_path == "/" and carries_script(c)]


def merge_into_sites(cases: list[Case]) -> list[tuple[list[str], dict[str, str]]]:
    """Pack cases into few sites: no two cases in a site share a file (but sources.yaml) or a slug."""
    sites: list[tuple[list[str], dict[str, str], set[str]]] = []
    for case in cases:
        slugs = {Path(name).stem for name in case.files if name.endswith(".md")}
        for names, files, used in sites:
            clash = any(name in files for name in case.files if name != "sources.yaml")
            if not clash and not slugs & used and len(names) < MAX_CASES_PER_SITE:
                break
        else:
            names, files, used = [], {"atlas.yaml": BROWSER_ATLAS_YAML}, set()
            sites.append((names, files, used))
        names.append(case.name)
        used.update(slugs)
        for name, text in case.files.items():
            if name == "sources.yaml" and name in files:
                files[name] = files[name].rstrip("\n") + "\n" + text
            else:
                files[name] = text
    return [(names, files) for names, files, _ in sites]


SITES = merge_into_sites(BROWSER_CASES)

OPEN_EVERYTHING_ON_THE_MAP = """() => {
  const map = window.map_atlas;
  if (!map) { return 0; }
  let opened = 0;
  const visit = (layer) => {
    if (layer.getLayers) { layer.getLayers().forEach(visit); }
    let where = null;
    try { where = layer.getLatLng ? layer.getLatLng() : (layer.getCenter ? layer.getCenter() : null); } catch (e) {}
    if (!where) { return; }
    if (layer.getPopup && layer.getPopup()) { map.openPopup(layer.getPopup(), where); opened++; }
    if (layer.getTooltip && layer.getTooltip()) { map.openTooltip(layer.getTooltip(), where); opened++; }
  };
  map.eachLayer(visit);
  return opened;
}"""

LIVE_DOM_HAZARDS = """() => {
  const bad = [];
  const where = (el) => {
    const box = el.parentElement && el.parentElement.closest("[class]");
    return box ? ` in .${String(box.className).split(" ")[0]}` : "";
  };
  const scheme = /^(javascript|data|vbscript):/i;
  const urlAttributes = ["href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset", "srcdoc"];
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const value = attr.value.replace(/[\\u0000-\\u0020\\u007f-\\u009f]/g, "");
      if (name.startsWith("on")) { bad.push(`${el.tagName} has ${name}=${where(el)}`); }
      if (name === "srcdoc") { bad.push(`${el.tagName} has srcdoc=`); }
      const blankTile = el.tagName === "IMG" && /^data:image\\/gif/i.test(value);  // Leaflet's empty tile
      const searchForm = el.tagName === "FORM" && value === "javascript:void(0);" && el.closest(".pagefind-ui");
      if (urlAttributes.includes(name) && scheme.test(value) && !blankTile && !searchForm) {
        bad.push(`${el.tagName} ${name}=${attr.value.slice(0, 80)}`);
      }
    }
  }
  for (const script of document.querySelectorAll("script")) {
    const src = script.getAttribute("src");
    const type = (script.getAttribute("type") || "").toLowerCase();
    const path = src && src.startsWith(location.origin + "/") ? src.slice(location.origin.length) : src;  // chunks
    const own = src ? (path.startsWith("/assets/") || path.startsWith("/pagefind/"))
                    : (type === "application/json" || type === "application/ld+json");
    if (!own) { bad.push(`script ${script.outerHTML.slice(0, 120)}${where(script)}`); }
  }
  for (const tag of ["iframe", "object", "embed", "base", "frame"]) {
    for (const el of document.querySelectorAll(tag)) { bad.push(el.outerHTML.slice(0, 120)); }
  }
  return bad;
}"""


def hover(page, selector: str) -> None:
    """Hover the first visible match; markers drawn outside the view (or empty paths) are skipped."""
    for element in page.locator(selector).all()[:20]:
        box = element.bounding_box()
        if box and box["width"] > 0 and box["height"] > 0 and 0 <= box["x"] < 1280 and 0 <= box["y"] < 900:
            page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            return


def test_every_script_payload_case_is_in_a_browser_site():
    assert len(BROWSER_CASES) >= 40
    assert sorted(n for names, _ in SITES for n in names) == sorted(c.name for c in BROWSER_CASES)


@pytest.mark.parametrize("site_index", range(len(SITES)), ids=[f"site-{i + 1}" for i in range(len(SITES))])
def test_no_payload_runs_in_chromium(site_index, browser, serve, tmp_path):
    names, files = SITES[site_index]
    content = write_files(tmp_path / "content", files, default_atlas=False)
    output = tmp_path / "output"
    build(Config(content_dir=content, output_dir=output))
    server = serve(output)
    pages = sorted("/" + p.relative_to(output).as_posix().removesuffix("index.html") for p in output.rglob("*.html"))
    assert len(pages) > len(names)

    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    context.route(re.compile(r"^(?!" + re.escape(server.origin) + ")"), lambda route: route.abort())  # stay offline
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(f"{dialog.type}: {dialog.message}"), dialog.dismiss()))
    failures: list[str] = []
    try:
        for path in pages:
            dialogs.clear()
            response = page.goto(server.url(path), wait_until="load")
            assert response is not None and (response.ok or path == "/404.html"), f"{path}: {response}"
            if page.locator("#map_atlas").count():
                page.wait_for_function("() => window.map_atlas && document.querySelector("
                                       "'#map_atlas .leaflet-interactive, #map_atlas .leaflet-marker-icon')",
                                       timeout=10_000)
                for selector in ("#map_atlas path.leaflet-interactive", ".leaflet-control-layers"):
                    hover(page, selector)  # a real pointer over a marker, then the layer control
                page.evaluate(OPEN_EVERYTHING_ON_THE_MAP)
            if path == "/search/":
                for query in ("pwned", "script", "img"):
                    page.fill("#site-search-input", query, timeout=5_000)  # the header box drives the results
                    page.wait_for_selector(".pagefind-ui__result, .pagefind-ui__message", timeout=5_000)
                    page.wait_for_timeout(300)
            page.wait_for_timeout(60)  # let error events of broken images fire
            ran = page.evaluate("() => typeof window.__pwned !== 'undefined' || document.title === 'PWNED'")
            hazards = page.evaluate(LIVE_DOM_HAZARDS)
            if ran or dialogs or hazards:
                failures.append(f"{path}: payload ran={ran}, dialogs={dialogs}, live DOM hazards={hazards[:5]}")
                page.evaluate("() => { delete window.__pwned; }")
    finally:
        context.close()
    assert failures == [], f"cases {names}:\n" + "\n".join(failures)
