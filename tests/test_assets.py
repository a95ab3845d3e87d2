"""assets.py: the site's own CSS and scripts under fingerprinted names, and the vendored front-end files.

Everything a page loads is a file of the site itself: the site's CSS and
scripts, named by a hash of their bytes so they can be cached for ever, and
Leaflet's files copied from node_modules/ with their licences.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil

import pytest

from atlas.content.schema import SiteConfig
from atlas.errors import AtlasError
from atlas.render.assets import (BASEMAP_DETAIL_TOPOJSON, BASEMAP_TOPOJSON, NODE_MODULES, VENDOR, asset_sources,
                                 collect_assets, derive_outlines, derived_outlines_path, minified, served_outlines,
                                 vendor_files, vendored)
from atlas.render.templates import STATIC_DIR
from atlas.render.urls import Urls

SITE = SiteConfig(title="Test Atlas")
UNDER_BASE = Urls.from_base_url("https://example.org/atlas")


def outputs_of(config=SITE, urls=UNDER_BASE, **folders) -> dict[str, bytes]:
    _, outputs = collect_assets(urls, config, **folders)
    return {output.dest: output.data for output in outputs}


def version_of(package: str) -> str:
    return json.loads((NODE_MODULES / package / "package.json").read_text(encoding="utf-8"))["version"]


# --- the site's own files -------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["atlas.css", "site.js"])
def test_css_and_scripts_are_named_by_the_first_ten_hex_digits_of_their_sha256(name):
    data = minified(name, (STATIC_DIR / name).read_bytes())  # named by what readers download
    stem, suffix = name.rsplit(".", 1)
    dest = f"assets/{stem}.{hashlib.sha256(data).hexdigest()[:10]}.{suffix}"
    assert outputs_of()[dest] == data


def test_pages_load_the_fingerprinted_files_under_the_base_path():
    assets, outputs = collect_assets(UNDER_BASE, SITE)
    dests = {output.dest for output in outputs}
    for url in (assets.css, assets.site_script, assets.map_script, *assets.map_css, *assets.map_js,
                *assets.cluster_css, *assets.cluster_js):
        assert url.startswith("/atlas/assets/") and url.removeprefix("/atlas/") in dests
    assert re.fullmatch(r"/atlas/assets/atlas\.[0-9a-f]{10}\.css", assets.css)
    assert re.fullmatch(r"/atlas/assets/map\.[0-9a-f]{10}\.js", assets.map_script)


def test_changing_a_file_changes_its_name_and_no_other(tmp_path):
    static = tmp_path / "static"
    shutil.copytree(STATIC_DIR, static)
    before = outputs_of(static_dir=static)
    (static / "atlas.css").write_bytes((static / "atlas.css").read_bytes() + b"\n.changed { color: red; }\n")
    after = outputs_of(static_dir=static)
    assert sorted(set(after) - set(before)) == [name for name in after if name.startswith("assets/atlas.")]
    assert len(set(before) - set(after)) == 1


def test_the_favicon_stays_at_the_root_and_other_static_files_keep_their_names_under_assets(tmp_path):
    static = tmp_path / "static"
    shutil.copytree(STATIC_DIR, static)
    (static / "images").mkdir()
    (static / "images" / "logo.png").write_bytes(b"\x89PNG")
    (static / "robots.txt").write_text("User-agent: *\n", encoding="utf-8")
    outputs = outputs_of(static_dir=static)
    assert outputs["favicon.svg"] == (STATIC_DIR / "favicon.svg").read_bytes()
    assert outputs["robots.txt"] == b"User-agent: *\n"
    assert outputs["assets/images/logo.png"] == b"\x89PNG"


# --- vendored files ----------------------------------------------------------------------------------

@pytest.mark.parametrize("package", sorted(VENDOR))
def test_each_vendored_package_is_copied_under_its_version_with_its_licence(package):
    outputs = outputs_of()
    folder = f"assets/vendor/{package}-{version_of(package)}/"
    licences = [name for name in VENDOR[package] if re.search(r"LICEN[CS]E", name)]
    assert licences, f"{package} is shipped without its licence"
    for name in vendor_files(NODE_MODULES / package, VENDOR[package]):
        shipped = (NODE_MODULES / package / name).read_bytes()
        assert outputs[folder + name.removeprefix("dist/")] == vendored(name, shipped)


def test_a_change_to_a_comment_alone_keeps_the_served_file_and_its_name(tmp_path):
    static = tmp_path / "static"
    shutil.copytree(STATIC_DIR, static)
    before = outputs_of(static_dir=static)
    (static / "atlas.css").write_bytes((static / "atlas.css").read_bytes() + b"\n/* a note for editors */\n")
    assert outputs_of(static_dir=static) == before


def test_without_the_front_end_packages_the_build_says_to_run_npm_ci(tmp_path):
    with pytest.raises(AtlasError, match=r"'leaflet' is not installed .*run `npm ci`"):
        collect_assets(UNDER_BASE, SITE, node_modules=tmp_path)


def test_every_file_the_assets_are_made_from_is_listed_so_a_build_can_tell_they_changed():
    sources = set(asset_sources())
    assert {p for p in STATIC_DIR.rglob("*") if p.is_file()} <= sources
    for package, names in VENDOR.items():
        assert NODE_MODULES / package / "package.json" in sources
        listed = vendor_files(NODE_MODULES / package, names)
        assert len(listed) >= len(names)  # a pattern matches at least one file
        assert {NODE_MODULES / package / name for name in listed} <= sources
    assert NODE_MODULES / "world-atlas" / BASEMAP_TOPOJSON in sources
    assert NODE_MODULES / "world-atlas" / BASEMAP_DETAIL_TOPOJSON in sources
    assert {derived_outlines_path(name, version_of("world-atlas"))
            for name in (BASEMAP_TOPOJSON, BASEMAP_DETAIL_TOPOJSON)} <= sources
    assert all(path.is_file() for path in sources)


# --- nothing from another host ---------------------------------------------------------------------

def hosts_in(data: bytes) -> set[str]:
    return {host.decode() for host in re.findall(rb"https?://([a-zA-Z0-9.{}-]+)", data)}


def test_no_stylesheet_loads_anything_from_another_host():
    for dest, data in outputs_of().items():
        if dest.endswith(".css"):
            assert not re.search(rb"@import|url\(\s*['\"]?(?:https?:)?//", data), dest


def test_with_the_countries_basemap_the_map_script_names_no_tile_server_and_ships_the_outlines():
    config = SiteConfig(title="Test Atlas", basemap="countries")
    assets, outputs = collect_assets(UNDER_BASE, config)
    files = {output.dest: output.data for output in outputs}
    script = files[assets.map_script.removeprefix("/atlas/")]
    assert b"{z}" not in script and "tile.openstreetmap.org" not in hosts_in(script)
    basemap = [dest for dest in files if dest.startswith(f"assets/basemap/countries-{version_of('world-atlas')}.")]
    assert len(basemap) == 1 and json.loads(files[basemap[0]])["type"] == "FeatureCollection"
    assert f"/atlas/{basemap[0]}".encode() in script
    # and the 1:50m outlines, which the script fetches only when a map is zoomed in to a region
    detail = [dest for dest in files if dest.startswith(f"assets/basemap/countries-50m-{version_of('world-atlas')}.")]
    assert len(detail) == 1 and len(files[detail[0]]) > 4 * len(files[basemap[0]])
    assert f"/atlas/{detail[0]}".encode() in script


@pytest.mark.parametrize("source", [BASEMAP_TOPOJSON, BASEMAP_DETAIL_TOPOJSON])
def test_the_shipped_outlines_are_the_pinned_world_atlas_derived_again_byte_for_byte(source):
    """A build serves outlines derived ahead of time (scripts/outlines.py) instead of decoding 1.4 MB
    each time: deriving them again from the installed package must give the same bytes, so neither
    basemap.py nor a new world-atlas can leave them stale."""
    topojson = (NODE_MODULES / "world-atlas" / source).read_text(encoding="utf-8")
    shipped = derived_outlines_path(source, version_of("world-atlas"))
    assert shipped.read_bytes() == derive_outlines(topojson)


def test_outlines_of_a_world_atlas_version_with_none_shipped_are_decoded_at_build_time():
    """Someone who installs another world-atlas by hand still gets its own outlines, not stale ones."""
    topojson = (NODE_MODULES / "world-atlas" / BASEMAP_TOPOJSON).read_text(encoding="utf-8")
    assert not derived_outlines_path(BASEMAP_TOPOJSON, "0.0.1").exists()
    assert served_outlines(BASEMAP_TOPOJSON, "0.0.1") == derive_outlines(topojson)


def test_by_default_the_map_asks_openstreetmap_for_tiles_and_credits_it():
    assets, outputs = collect_assets(UNDER_BASE, SITE)
    script = next(o.data for o in outputs if o.dest == assets.map_script.removeprefix("/atlas/"))
    assert hosts_in(script) == {"tile.openstreetmap.org", "www.openstreetmap.org"}


def test_a_tile_servers_attribution_keeps_its_links_and_nothing_else():
    config = SiteConfig(title="Test Atlas", tile_url="https://tiles.example.org/{z}/{x}/{y}.png",
                        tile_attribution='<a href="https://example.org/credits">Example tiles</a>'
                                         '<script>alert(1)</script><img src="https://tracker.example.net/x.gif">')
    assets, outputs = collect_assets(UNDER_BASE, config)
    script = next(o.data for o in outputs if o.dest == assets.map_script.removeprefix("/atlas/"))
    assert b"Example tiles" in script and b"example.org/credits" in script
    assert b"alert" not in script and b"tracker.example.net" not in script
    assert hosts_in(script) == {"tiles.example.org", "example.org"}
