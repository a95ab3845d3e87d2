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


LOCAL_BACKEND_ORIGIN = "http://localhost:8081"  # decap-server's, unless `atlas serve --cms` chose another port
BACKEND_ORIGINS = {"github": ("https://api.github.com",), "gitlab": ("https://gitlab.com",), "git-gateway": ()}


def editor_policy(config, local_backend: str | None = None) -> str:
    """The policy of the browser editor at admin/ (render/admin.py), and of no other page.

    Decap CMS needs what the site's pages do not: inline styles (its forms are
    styled from script), 'unsafe-eval' (it checks its configuration with Ajv,
    which compiles code), images from blob: URLs and the git host's avatars,
    and connections to the git host's API and to the local backend.
    """
    local = urlsplit(local_backend) if local_backend else urlsplit(LOCAL_BACKEND_ORIGIN)
    connect = ["'self'", f"{local.scheme}://{local.netloc}", *BACKEND_ORIGINS[config.cms_backend]]
    if config.cms_auth_url:
        auth = urlsplit(config.cms_auth_url)
        connect.append(f"{auth.scheme}://{auth.netloc}")
    return "; ".join([
        "default-src 'none'",
        "script-src 'self' 'unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob: https://avatars.githubusercontent.com",
        "connect-src " + " ".join(dict.fromkeys(connect)),
        "font-src 'self' data:",
        "base-uri 'none'",
        "form-action 'none'",
        "object-src 'none'",
    ])


def combined_policy(*policies: str) -> str:
    """One policy that allows what any of these allows: each directive's sources together, in order."""
    directives: dict[str, list[str]] = {}
    for policy in policies:
        for directive in policy.split("; "):
            name, *sources = directive.split(" ")
            kept = directives.setdefault(name, [])
            kept += [source for source in sources if source not in kept]
    for name, sources in directives.items():
        if len(sources) > 1 and "'none'" in sources:
            sources.remove("'none'")
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


def render_headers(config) -> Output:
    """A `_headers` file (Netlify, Cloudflare Pages) with the policy and cache rules.

    Such hosts combine every rule that matches a path, so one policy covers the
    whole site: it allows WebAssembly for the search page, and what the
    browser editor at admin/ needs (editor_policy). Each page's own <meta>
    policy narrows that again: only the search page allows WebAssembly, only
    the editor inline styles and 'unsafe-eval'.
    """
    policy = combined_policy(content_security_policy(config, for_header=True, wasm=True), editor_policy(config))
    text = f"""/*
  Content-Security-Policy: {policy}
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
