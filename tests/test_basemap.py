"""basemap.py: the served country outlines never cross the antimeridian as stripes."""

from __future__ import annotations

import doctest
import json

import pytest

from atlas.content.schema import SiteConfig
from atlas.maps import basemap
from atlas.maps.basemap import split_ring
from atlas.render.assets import collect_assets
from atlas.render.urls import Urls


def rings_of(geometry: dict) -> list[list[list[float]]]:
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    return [ring for polygon in polygons for ring in polygon]


def served_basemaps() -> dict[str, dict]:
    _, outputs = collect_assets(Urls.from_base_url("https://example.org/"), SiteConfig(title="T", basemap="countries"))
    return {o.dest: json.loads(o.data) for o in outputs if o.dest.startswith("assets/basemap/")}


def span(ring: list[list[float]]) -> float:
    return max(p[0] for p in ring) - min(p[0] for p in ring)


def test_no_ring_of_the_served_basemap_spans_more_than_180_degrees_of_longitude():
    served = served_basemaps()
    assert served
    for dest, world in served.items():
        wide = [(f["properties"]["name"], span(ring)) for f in world["features"] for ring in rings_of(f["geometry"])
                if span(ring) > 180]
        assert wide == [], dest


def test_every_served_ring_is_closed_and_russia_reaches_past_180_on_one_world_copy():
    for world in served_basemaps().values():
        for feature in world["features"]:
            assert all(ring[0] == ring[-1] and len(ring) >= 4 for ring in rings_of(feature["geometry"]))
        russia = next(f for f in world["features"] if f["properties"]["name"] == "Russia")
        assert max(p[0] for ring in rings_of(russia["geometry"]) for p in ring) > 180  # Chukotka, east of 180


def test_antarctica_is_cut_into_halves_and_marked_so_its_cut_gets_no_outline():
    for world in served_basemaps().values():
        antarctica = next(f for f in world["features"] if f["properties"]["name"] == "Antarctica")
        assert antarctica["properties"]["cut"] is True
        assert len(rings_of(antarctica["geometry"])) >= 2
        assert all(not f["properties"].get("cut") for f in world["features"] if f is not antarctica)


@pytest.mark.parametrize("ring, expected", [
    # inside one world copy: unchanged
    ([[10, 0], [20, 0], [20, 5], [10, 0]], [[[10, 0], [20, 0], [20, 5], [10, 0]]]),
    # Fiji-like: jumps from 179 to -179 and back; drawn whole, around 180
    ([[179, 0], [-179, 0], [-179, 1], [179, 1], [179, 0]],
     [[[-181, 0], [-179.0, 0], [-179.0, 1], [-181.0, 1], [-181.0, 0]]]),
])
def test_split_ring_unwraps_rings_that_jump_across_the_antimeridian(ring, expected):
    assert split_ring(ring) == expected


def test_split_ring_cuts_a_ring_round_the_pole_into_two_halves_within_the_world():
    ring = [[-180, -70], [-90, -75], [0, -70], [90, -72], [180, -70], [-180, -70]]
    pieces = split_ring(ring)
    assert len(pieces) == 2
    for piece in pieces:
        assert piece[0] == piece[-1]
        assert span(piece) <= 180
        assert all(-180 <= p[0] <= 180 for p in piece)
        assert min(p[1] for p in piece) == -90  # closed along the pole, off the map's edge


def test_the_examples_in_basemap_docstrings_hold():
    assert doctest.testmod(basemap).failed == 0
