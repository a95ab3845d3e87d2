"""Derive the served country outlines from the pinned world-atlas package (run after moving it on).

    .venv/bin/python scripts/outlines.py

Writes atlas/maps/outlines/countries-110m-VERSION.geojson and countries-50m-VERSION.geojson, the
GeoJSON a build serves with `basemap: countries`, and removes those of other versions.
"""

from __future__ import annotations

import json

from atlas.render.assets import (BASEMAP_DETAIL_TOPOJSON, BASEMAP_TOPOJSON, NODE_MODULES, OUTLINES_DIR,
                                 derive_outlines, derived_outlines_path)

version = json.loads((NODE_MODULES / "world-atlas" / "package.json").read_text(encoding="utf-8"))["version"]
wanted = {derived_outlines_path(source, version): source for source in (BASEMAP_TOPOJSON, BASEMAP_DETAIL_TOPOJSON)}
OUTLINES_DIR.mkdir(exist_ok=True)
for stale in set(OUTLINES_DIR.glob("*.geojson")) - set(wanted):
    stale.unlink()
for path, source in wanted.items():
    path.write_bytes(derive_outlines((NODE_MODULES / "world-atlas" / source).read_text(encoding="utf-8")))
    print(f"wrote {path}")
