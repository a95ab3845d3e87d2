"""Great-circle lines that behave across the antimeridian.

Pure geometry, used by maps/spec.py and render/data.py. Longitudes are "unwrapped" so a
line from Los Angeles to Auckland goes the short way across the Pacific.
"""

from __future__ import annotations

import math

Point = tuple[float, float]  # (lat, lon)


def wrap_lon(lon: float, center: float = 0.0) -> float:
    """The longitude equal to `lon` that lies in [center - 180, center + 180)."""
    return (lon - center + 180.0) % 360.0 - 180.0 + center


def span_center(lons: list[float]) -> float:
    """The middle of the shortest arc of longitude that holds every one of `lons`, in -180..180.

    A map of Tokyo, Honolulu and Los Angeles is framed across the Pacific, not across Europe:

    >>> span_center([139.7, -157.9, -118.2])
    -169.25
    >>> span_center([2.35, 12.5])
    7.425
    """
    if not lons:
        return 0.0
    ordered = sorted(wrap_lon(lon) for lon in lons)
    # the widest gap between neighbours (the last one wraps round) is what the map leaves out
    gaps = [((ordered[(i + 1) % len(ordered)] - ordered[i]) % 360.0, i) for i in range(len(ordered))]
    widest_gap, widest = max(gaps)
    if widest_gap == 0.0:  # one place, or several at the same longitude
        return ordered[0]
    start = ordered[(widest + 1) % len(ordered)]
    width = 360.0 - gaps[widest][0]
    return round(wrap_lon(start + width / 2), 6)


def great_circle(a: Point, b: Point, steps: int = 48) -> list[Point]:
    """Points along the shorter great circle from a to b, longitudes unwrapped from a.

    At most `steps` segments, about one per 2 degrees of arc.

    The first point is `a` as given; each next longitude differs from the one
    before by less than 180 degrees, so the last may lie outside -180..180.
    """
    lat1, lon1 = map(math.radians, a)
    lat2, lon2 = map(math.radians, b)
    d = 2 * math.asin(math.sqrt(math.sin((lat2 - lat1) / 2) ** 2
                                + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2))
    if d < 1e-9:
        return [a, (b[0], a[1] + wrap_lon(b[1] - a[1]))]
    steps = max(2, min(steps, int(math.degrees(d) / 2) + 2))
    points: list[Point] = []
    previous_lon = a[1]
    for i in range(steps + 1):
        f = i / steps
        if abs(math.sin(d)) < 1e-12:  # antipodal: any great circle will do; go along the meridian
            lat, lon = a[0] + (b[0] - a[0]) * f, a[1]
        else:
            k1 = math.sin((1 - f) * d) / math.sin(d)
            k2 = math.sin(f * d) / math.sin(d)
            x = k1 * math.cos(lat1) * math.cos(lon1) + k2 * math.cos(lat2) * math.cos(lon2)
            y = k1 * math.cos(lat1) * math.sin(lon1) + k2 * math.cos(lat2) * math.sin(lon2)
            z = k1 * math.sin(lat1) + k2 * math.sin(lat2)
            lat = math.degrees(math.atan2(z, math.hypot(x, y)))
            lon = math.degrees(math.atan2(y, x))
        lon = previous_lon + wrap_lon(lon - previous_lon)
        points.append((round(lat, 4), round(lon, 4)))
        previous_lon = lon
    points[0] = (a[0], a[1])
    return points


def split_at_antimeridian(points: list[Point], center: float = 0.0) -> list[list[Point]]:
    """Cut an unwrapped line where it crosses center ± 180, so each piece fits one world copy."""
    pieces: list[list[Point]] = [[]]
    limit_low, limit_high = center - 180.0, center + 180.0
    if not points:
        return []
    # start inside this world copy; a line that starts on its edge starts on the side it heads into
    start = points[0][1]
    offset = wrap_lon(start, center) - start
    if len(points) > 1 and abs(start + offset - limit_low) < 1e-6 and points[1][1] < start:
        offset += 360.0
    points = [(lat, round(lon + offset, 6)) for lat, lon in points]
    shift = 0.0
    for index, (lat, lon) in enumerate(points):
        if index:
            plat, plon = points[index - 1]
            for edge in (limit_high, limit_low):
                edge_unwrapped = edge - shift
                if (plon - edge_unwrapped) * (lon - edge_unwrapped) < 0:
                    t = (edge_unwrapped - plon) / (lon - plon)
                    cross_lat = round(plat + (lat - plat) * t, 4)
                    pieces[-1].append((cross_lat, edge))
                    shift += -360.0 if edge == limit_high else 360.0
                    pieces.append([(cross_lat, edge - 360.0 if edge == limit_high else edge + 360.0)])
                    break
        pieces[-1].append((lat, round(lon + shift, 4)))
    return [piece for piece in pieces if len(piece) >= 2]
