"""The site's own CSS and scripts, and the vendored Leaflet files, as outputs.

Runs before pages.py (pages need the fingerprinted URLs). Reads static/ and
the front-end packages that `npm ci` installs into node_modules/; nothing is
fetched from another site at build time or by readers' browsers.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass

from pathlib import Path

import nh3
import rcssmin
import rjsmin

from atlas.errors import AtlasError
from atlas.maps.basemap import topojson_to_geojson
from atlas.maps.spec import OSM_TILES, Tiles, render_map_script
from atlas.model import Output
from atlas.render.templates import PROJECT_ROOT, STATIC_DIR
from atlas.render.urls import Urls

NODE_MODULES = PROJECT_ROOT / "node_modules"
VENDOR = {
    "leaflet": ("dist/leaflet.js", "dist/leaflet.css", "dist/images/layers.png", "dist/images/layers-2x.png",
                "dist/images/marker-icon.png", "dist/images/marker-icon-2x.png", "dist/images/marker-shadow.png",
                "LICENSE"),
    "leaflet.markercluster": ("dist/leaflet.markercluster.js", "dist/MarkerCluster.css",
                              "dist/MarkerCluster.Default.css", "MIT-LICENCE.txt"),
    "world-atlas": ("LICENSE",),
    # the browser editor at /admin/ (render/admin.py) and the parts of it it loads when needed
    "decap-cms": ("dist/decap-cms.js", "dist/*.decap-cms.js", "dist/decap-cms.js.LICENSE.txt"),
}
BASEMAP_TOPOJSON = "countries-110m.json"
BASEMAP_DETAIL_TOPOJSON = "countries-50m.json"  # the same outlines at 1:50m, fetched when a map zooms in to a region
# The outlines as served, derived ahead of time from the pinned world-atlas by scripts/outlines.py (decoding
# the 1:50m file took a third of a second of every cold build); tests/test_assets.py derives them again.
OUTLINES_DIR = PROJECT_ROOT / "atlas" / "maps" / "outlines"


@dataclass
class Assets:
    """URLs of the site's own CSS and scripts, fingerprinted by content."""

    css: str
    site_script: str
    map_script: str
    map_css: tuple[str, ...]
    map_js: tuple[str, ...]
    cluster_css: tuple[str, ...] = ()
    cluster_js: tuple[str, ...] = ()
    cms_js: str = ""  # Decap CMS, for admin/index.html
    cms_css: str = ""  # the atlas's bar under it


def derive_outlines(topojson: str) -> bytes:
    """The served GeoJSON of a TopoJSON file's countries."""
    return json.dumps(topojson_to_geojson(json.loads(topojson)), separators=(",", ":")).encode("utf-8")


def derived_outlines_path(source: str, version: str) -> Path:
    """Where the outlines derived from world-atlas's `source` file at `version` are kept."""
    return OUTLINES_DIR / f"{source.removesuffix('.json')}-{version}.geojson"


@functools.lru_cache(maxsize=4)
def served_outlines(source: str, version: str, node_modules: Path = NODE_MODULES) -> bytes:
    """The GeoJSON served for world-atlas's `source`: the derived file for the pinned version, else
    decoded here (another version of world-atlas, installed by hand)."""
    derived = derived_outlines_path(source, version)
    if derived.exists():
        return derived.read_bytes()
    return derive_outlines((node_modules / "world-atlas" / source).read_text(encoding="utf-8"))


def minified(name: str, data: bytes) -> bytes:
    """A script or style without comments and spare whitespace: what readers download, 10 to 40% less.

    The files in static/ stay readable; minifying is whitespace and comments only (no renaming), so a
    reader's browser runs the same code.
    """
    if name.endswith(".js"):
        return rjsmin.jsmin(data.decode("utf-8")).encode("utf-8")
    if name.endswith(".css"):
        return rcssmin.cssmin(data.decode("utf-8")).encode("utf-8")
    return data


def vendored(name: str, data: bytes) -> bytes:
    """A front-end package's file as served: its styles minified (its scripts come minified already)."""
    return minified(name, data) if name.endswith(".css") else data


def _fingerprinted(name: str, data: bytes) -> str:
    stem, dot, suffix = name.rpartition(".")
    return f"{stem}.{hashlib.sha256(data).hexdigest()[:10]}.{suffix}"


def collect_assets(urls: Urls, config, static_dir: Path = STATIC_DIR,
                   node_modules: Path = NODE_MODULES) -> tuple[Assets, list[Output]]:
    """Outputs for every asset, and the URLs pages use to load them.

    `config` is the site's SiteConfig: its basemap settings shape the map script.
    """
    outputs: list[Output] = []
    fingerprinted: dict[str, str] = {}
    for path in sorted(p for p in static_dir.rglob("*") if p.is_file()):
        relative = path.relative_to(static_dir).as_posix()
        data = path.read_bytes()
        if relative.endswith((".css", ".js")):
            data = minified(relative, data)
            dest = "assets/" + _fingerprinted(relative, data)
            fingerprinted[relative] = urls.page(dest)
        elif relative in ("favicon.svg", "favicon.ico", "robots.txt"):
            dest = relative
        else:
            dest = "assets/" + relative
        outputs.append(Output(dest, data))
    vendor_urls: dict[str, str] = {}
    versions: dict[str, str] = {}
    for package, files in VENDOR.items():
        folder = node_modules / package
        manifest = folder / "package.json"
        if not manifest.exists():
            raise AtlasError(f"the front-end package '{package}' is not installed in {node_modules};"
                             " run `npm ci` in the project folder (see README)")
        version = versions[package] = json.loads(manifest.read_text(encoding="utf-8"))["version"]
        for name in vendor_files(folder, files):
            data = vendored(name, (folder / name).read_bytes())
            short = name.removeprefix("dist/")
            dest = f"assets/vendor/{package}-{version}/{short}"
            outputs.append(Output(dest, data))
            vendor_urls[f"{package}/{short}"] = urls.page(dest)
    basemap_url = basemap_detail_url = None
    tiles: Tiles | None = OSM_TILES
    if config.tile_url:
        # Leaflet shows attribution as HTML: keep links, drop anything else
        attribution = nh3.clean(config.tile_attribution or "", tags={"a"}, attributes={"a": {"href"}},
                                url_schemes={"http", "https"})
        tiles = Tiles(config.tile_url, attribution)
    if config.basemap == "countries":
        served = []
        for source, name in ((BASEMAP_TOPOJSON, "countries"), (BASEMAP_DETAIL_TOPOJSON, "countries-50m")):
            world = served_outlines(source, versions["world-atlas"], node_modules)
            dest = "assets/" + _fingerprinted(f"basemap/{name}-{versions['world-atlas']}.json", world)
            outputs.append(Output(dest, world))
            served.append(urls.page(dest))
        (basemap_url, basemap_detail_url), tiles = served, None
    script = minified("map.js", render_map_script(tiles, basemap_url, basemap_detail_url).encode("utf-8"))
    map_dest = "assets/" + _fingerprinted("map.js", script)
    outputs.append(Output(map_dest, script))
    assets = Assets(
        css=fingerprinted.get("atlas.css", ""),
        site_script=fingerprinted.get("site.js", ""),
        map_script=urls.page(map_dest),
        map_css=(vendor_urls["leaflet/leaflet.css"],),
        map_js=(vendor_urls["leaflet/leaflet.js"],),
        cluster_css=(vendor_urls["leaflet.markercluster/MarkerCluster.css"],),
        cluster_js=(vendor_urls["leaflet.markercluster/leaflet.markercluster.js"],),
        cms_js=vendor_urls["decap-cms/decap-cms.js"],
        cms_css=fingerprinted.get("admin.css", ""),
    )
    return assets, outputs


def vendor_files(folder: Path, names: tuple[str, ...]) -> list[str]:
    """The files of a package that VENDOR names, with patterns ("dist/*.decap-cms.js") expanded, sorted."""
    found: list[str] = []
    for name in names:
        if "*" in name:
            found += sorted(path.relative_to(folder).as_posix() for path in folder.glob(name))
        else:
            found.append(name)
    return found


def asset_sources(static_dir: Path = STATIC_DIR, node_modules: Path = NODE_MODULES) -> list[Path]:
    """Every file collect_assets reads, so a build can tell whether the assets may have changed."""
    files = sorted(p for p in static_dir.rglob("*") if p.is_file())
    for package, names in VENDOR.items():
        folder = node_modules / package
        files += [folder / "package.json", *(folder / name for name in vendor_files(folder, names))]
    outlines = (BASEMAP_TOPOJSON, BASEMAP_DETAIL_TOPOJSON)
    return (files + [node_modules / "world-atlas" / name for name in outlines]
            + sorted(OUTLINES_DIR.glob("*.geojson")))
