"""geo.py: great circles that go the short way and pieces that fit one world copy."""

from __future__ import annotations

import pytest

from atlas.maps.geo import great_circle, span_center, split_at_antimeridian, wrap_lon

LOS_ANGELES = (34.0522, -118.2437)
AUCKLAND = (-36.8485, 174.7633)
BARCELONA = (41.3874, 2.1686)
ATLANTA = (33.749, -84.388)
TOKYO = (35.6762, 139.6503)
SAN_FRANCISCO = (37.7749, -122.4194)


def test_los_angeles_to_auckland_goes_west_across_the_pacific():
    points = great_circle(LOS_ANGELES, AUCKLAND)
    lons = [lon for _, lon in points]
    assert points[0] == LOS_ANGELES
    assert all(b < a for a, b in zip(lons, lons[1:])), "longitudes decrease steadily: the line goes west"
    assert lons[-1] < -180, "unwrapped, Auckland lies beyond -180"
    assert wrap_lon(lons[-1]) == pytest.approx(AUCKLAND[1], abs=1e-3)
    assert points[-1][0] == pytest.approx(AUCKLAND[0], abs=1e-3)
    assert all(lon < -100 for lon in lons), "never through longitude 0 (the long way round)"


def test_auckland_to_los_angeles_goes_east():
    lons = [lon for _, lon in great_circle(AUCKLAND, LOS_ANGELES)]
    assert all(b > a for a, b in zip(lons, lons[1:]))
    assert lons[-1] > 180


def test_consecutive_points_never_jump_more_than_180_degrees():
    for a, b in [(LOS_ANGELES, AUCKLAND), (TOKYO, SAN_FRANCISCO), (BARCELONA, ATLANTA), (AUCKLAND, BARCELONA)]:
        lons = [lon for _, lon in great_circle(a, b)]
        assert all(abs(y - x) < 180 for x, y in zip(lons, lons[1:]))


def test_split_at_antimeridian_gives_two_pieces_within_the_world():
    pieces = split_at_antimeridian(great_circle(LOS_ANGELES, AUCKLAND))
    assert len(pieces) == 2
    for piece in pieces:
        assert all(-180 <= lon <= 180 for _, lon in piece)
        assert len(piece) >= 2
    first, second = pieces
    assert first[0] == LOS_ANGELES
    assert first[-1][1] == -180 and second[0][1] == 180, "the pieces meet at the antimeridian"
    assert first[-1][0] == second[0][0], "at the same latitude"
    assert second[-1][1] == pytest.approx(AUCKLAND[1], abs=1e-3)


def test_tokyo_to_san_francisco_is_split_too():
    pieces = split_at_antimeridian(great_circle(TOKYO, SAN_FRANCISCO))
    assert len(pieces) == 2
    assert all(-180 <= lon <= 180 for piece in pieces for _, lon in piece)


def test_barcelona_to_atlanta_is_not_split():
    path = great_circle(BARCELONA, ATLANTA)
    pieces = split_at_antimeridian(path)
    assert pieces == [path]
    assert all(-180 <= lon <= 180 for _, lon in path)
    assert path[0] == BARCELONA and path[-1] == pytest.approx(ATLANTA, abs=1e-3)


def test_a_great_circle_between_the_same_place_has_two_points():
    assert great_circle(BARCELONA, BARCELONA) == [BARCELONA, BARCELONA]


def test_the_path_reaches_north_of_both_ends_between_europe_and_america():
    # a great circle bows towards the pole: Barcelona–Atlanta passes north of both
    lats = [lat for lat, _ in great_circle(BARCELONA, ATLANTA)]
    assert max(lats) > max(BARCELONA[0], ATLANTA[0])


@pytest.mark.parametrize("lon, center, expected", [
    (190, 0, -170), (-190, 0, 170), (180, 0, -180), (0, 0, 0), (-118, 150, 242), (10, -170, -350),
])
def test_wrap_lon(lon, center, expected):
    assert wrap_lon(lon, center) == pytest.approx(expected)


# --- properties, over many pairs of places -------------------------------------------

from hypothesis import assume, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

places = st.tuples(st.floats(min_value=-85, max_value=85), st.floats(min_value=-180, max_value=180))


@settings(max_examples=300, deadline=None)
@given(places, places)
def test_any_line_splits_into_pieces_within_the_world(a, b):
    # places on opposite meridians are joined over a pole, where the longitude flips by 180
    assume(abs(wrap_lon(b[1] - a[1])) < 179)
    path = great_circle(a, b)
    assert all(abs(y - x) < 180 for (_, x), (_, y) in zip(path, path[1:]))
    pieces = split_at_antimeridian(path)
    assert pieces
    for piece in pieces:
        assert len(piece) >= 2
        assert all(-180 <= lon <= 180 and -90 <= lat <= 90 for lat, lon in piece)


@pytest.mark.parametrize("lons, center", [
    ([139.65, -157.86, -118.24], -169.295),  # Tokyo, Honolulu, Los Angeles: across the Pacific
    ([2.17, 12.5], 7.335),  # Barcelona and Rome
    ([174.76, -118.24, 139.65], -169.295),  # Auckland, Los Angeles, Tokyo
    ([10.0], 10.0), ([10.0, 10.0], 10.0), ([], 0.0),
])
def test_span_center_is_the_middle_of_the_shortest_arc_holding_every_longitude(lons, center):
    assert span_center(lons) == pytest.approx(center, abs=0.01)
