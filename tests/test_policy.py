"""policy.py: the Content-Security-Policy every page satisfies, and the `_headers` file for static hosts.

No inline script ever runs; scripts, styles, fonts and data come from the site
itself; images also from the tile server, when the map uses one.
"""

from __future__ import annotations

import pytest

from atlas.content.schema import SiteConfig
from atlas.render.policy import (OSM_TILE_ORIGIN, combined_policy, content_security_policy, editor_policy,
                                 render_headers, tile_origin)

SITE = SiteConfig(title="Test Atlas")
COUNTRIES = SiteConfig(title="Test Atlas", basemap="countries")


def tiles(url: str) -> SiteConfig:
    return SiteConfig(title="Test Atlas", tile_url=url, tile_attribution="Tiles")


def directives(policy: str) -> dict[str, str]:
    """"default-src 'none'; img-src 'self' data:" -> {"default-src": "'none'", "img-src": "'self' data:"}"""
    found = {}
    for directive in policy.split("; "):
        name, _, value = directive.partition(" ")
        assert name not in found, f"{name} given twice"
        found[name] = value
    return found


def header_rules(text: str) -> dict[str, dict[str, str]]:
    """A `_headers` file as {path: {header: value}}."""
    rules: dict[str, dict[str, str]] = {}
    path = None
    for line in text.splitlines():
        if not line.strip():
            continue
        if not line.startswith(" "):
            path = line
            rules[path] = {}
            continue
        name, _, value = line.strip().partition(": ")
        rules[path][name] = value
    return rules


# --- where map tiles come from ------------------------------------------------------------------------

@pytest.mark.parametrize("config, origin", [
    (SITE, OSM_TILE_ORIGIN),
    (COUNTRIES, None),  # the site's own outlines: no tile server
    (tiles("https://tiles.example.org/{z}/{x}/{y}.png"), "https://tiles.example.org"),
    (tiles("https://{s}.tile.example.org/{z}/{x}/{y}.png"), "https://*.tile.example.org"),  # subdomains a, b, c
    (tiles("https://maps.example.org:8443/tiles/{z}/{x}/{y}.png?key=1"), "https://maps.example.org:8443"),
])
def test_the_tile_origin_is_the_scheme_and_host_of_the_tile_address(config, origin):
    assert tile_origin(config) == origin


# --- the policy ---------------------------------------------------------------------------------------

def test_the_policy_of_a_page_allows_the_site_itself_and_the_tile_server_for_images():
    assert directives(content_security_policy(SITE)) == {
        "default-src": "'none'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": f"'self' data: {OSM_TILE_ORIGIN}",
        "connect-src": "'self'",
        "font-src": "'self'",
        "manifest-src": "'self'",
        "base-uri": "'none'",
        "form-action": "'self'",
        "object-src": "'none'",
    }


def test_with_the_countries_basemap_images_come_from_the_site_alone():
    assert directives(content_security_policy(COUNTRIES))["img-src"] == "'self' data:"


def test_the_search_page_may_run_webassembly_and_still_no_inline_script():
    policy = directives(content_security_policy(SITE, wasm=True))
    assert policy["script-src"] == "'self' 'wasm-unsafe-eval'"
    assert policy == {**directives(content_security_policy(SITE)), "script-src": "'self' 'wasm-unsafe-eval'"}


@pytest.mark.parametrize("config", [SITE, COUNTRIES, tiles("https://{s}.tile.example.org/{z}/{x}/{y}.png")])
@pytest.mark.parametrize("for_header, wasm", [(False, False), (False, True), (True, True)])
def test_no_policy_allows_inline_or_evaluated_script_or_any_host(config, for_header, wasm):
    sources = [source for value in directives(content_security_policy(config, for_header, wasm)).values()
               for source in value.split()]
    assert "'unsafe-inline'" not in sources and "'unsafe-eval'" not in sources
    assert not [source for source in sources if source.startswith(("*", "http:", "https:")) and "." not in source]


def test_frame_ancestors_is_only_in_the_header_where_browsers_honour_it():
    assert "frame-ancestors" not in directives(content_security_policy(SITE))
    header = directives(content_security_policy(SITE, for_header=True))
    assert header["frame-ancestors"] == "'none'"


# --- the _headers file ----------------------------------------------------------------------------------

def test_the_headers_file_sets_the_policy_for_every_path_and_caching_for_assets_and_data():
    output = render_headers(SITE)
    assert output.dest == "_headers"
    rules = header_rules(output.data.decode("utf-8"))
    assert list(rules) == ["/*", "/assets/*", "/data/*"]
    assert rules["/*"] == {
        "Content-Security-Policy": combined_policy(content_security_policy(SITE, for_header=True, wasm=True),
                                                   editor_policy(SITE)),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "Permissions-Policy": "geolocation=(), camera=(), microphone=()",
    }
    assert rules["/assets/*"] == {"Cache-Control": "public, max-age=31536000, immutable"}
    assert rules["/data/*"] == {"Access-Control-Allow-Origin": "*", "Cache-Control": "public, max-age=3600"}


def test_the_headers_policy_allows_what_a_page_or_the_editor_allows_and_each_narrows_it_with_its_own():
    header = directives(header_rules(render_headers(COUNTRIES).data.decode("utf-8"))["/*"]["Content-Security-Policy"])
    page, editor = directives(content_security_policy(COUNTRIES)), directives(editor_policy(COUNTRIES))
    for name, sources in (*page.items(), *editor.items()):
        assert set(sources.split()) - {"'none'"} <= set(header[name].split()), name
    assert header["script-src"] == "'self' 'wasm-unsafe-eval' 'unsafe-eval'"
    assert page["script-src"] == "'self'" and page["style-src"] == "'self'"  # what pages send in <meta>
    assert combined_policy("form-action 'none'", "form-action 'self'") == "form-action 'self'"


def test_the_headers_file_follows_the_sites_tile_server():
    rules = header_rules(render_headers(COUNTRIES).data.decode("utf-8"))
    # the pages' 'self' data:, the editor's blob: and GitHub avatars, and no tile server
    assert directives(rules["/*"]["Content-Security-Policy"])["img-src"] == \
        "'self' data: blob: https://avatars.githubusercontent.com"
