"""The site's security policy: a Content-Security-Policy every page satisfies, and host headers.

Used by pages.py (a <meta> policy in every page, so the site defends itself on
any host) and pipeline.py (a `_headers` file for hosts such as Netlify and
Cloudflare Pages, which also sets caching). Pure.

No inline script runs anywhere: every script is a file of the site itself, and
content reaches pages only as text or as JSON data blocks, which never execute.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from atlas.model import Output

OSM_TILE_ORIGIN = "https://tile.openstreetmap.org"


def tile_origin(config) -> str | None:
    """The origin map tiles come from, or None when the site draws its own basemap."""
    if config.basemap == "countries":
        return None
    url = config.tile_url or OSM_TILE_ORIGIN + "/{z}/{x}/{y}.png"
    parts = urlsplit(url.replace("{s}", "a"))
    host = parts.netloc
    if "{s}" in url:  # subdomains a, b, c ...
        host = "*." + host.split(".", 1)[1]
    return f"{parts.scheme}://{host}"


def content_security_policy(config, for_header: bool = False, wasm: bool = False) -> str:
    """The policy pages satisfy. `wasm` allows WebAssembly (the search page's Pagefind), never inline script."""
    # Leaflet blanks unused tiles with a data: GIF
    images = "'self' data:" + (f" {tile_origin(config)}" if tile_origin(config) else "")
    directives = [
        "default-src 'none'",
        "script-src 'self'" + (" 'wasm-unsafe-eval'" if wasm else ""),
        "style-src 'self'",
        f"img-src {images}",
        "connect-src 'self'",
        "font-src 'self'",
        "manifest-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
        "object-src 'none'",
    ]
    if for_header:  # only honoured in an HTTP header, not in <meta>
        directives.append("frame-ancestors 'none'")
    return "; ".join(directives)


def render_headers(config) -> Output:
    """A `_headers` file (Netlify, Cloudflare Pages) with the policy and cache rules.

    Such hosts combine every rule that matches a path, so one policy covers the
    whole site; it allows WebAssembly for the search page. Each page's own
    <meta> policy narrows that again: only the search page allows it.
    """
    text = f"""/*
  Content-Security-Policy: {content_security_policy(config, for_header=True, wasm=True)}
  X-Content-Type-Options: nosniff
  Referrer-Policy: strict-origin-when-cross-origin
  Permissions-Policy: geolocation=(), camera=(), microphone=()

/assets/*
  Cache-Control: public, max-age=31536000, immutable

/data/*
  Access-Control-Allow-Origin: *
  Cache-Control: public, max-age=3600
"""
    return Output("_headers", text.encode("utf-8"))
