"""A self-hosted basemap: country outlines from Natural Earth, as GeoJSON.

Used by assets.py when atlas.yaml sets `basemap: countries`, so the maps need
no tile server and readers' browsers contact no third party. The data is the
`world-atlas` package's TopoJSON (Natural Earth 1:110m, public domain), decoded
here. Pure: takes the parsed TopoJSON, returns GeoJSON.

Natural Earth cuts the outlines that cross the 180th meridian (Russia, Fiji) at
-180/180, so a ring jumps from one edge of the world to the other and a map draws
it as a stripe across every longitude. `split_ring` redraws such a ring on one
world copy (Chukotka at 190°E rather than -170°) and cuts a ring that goes round
the whole world (Antarctica) into halves, so no served ring spans more than 180°
of longitude. A feature that had to be cut says so (`properties.cut`) and the map
draws it without an outline, so the cut shows nowhere.
"""

from __future__ import annotations


def topojson_to_geojson(topology: dict, object_name: str = "countries", digits: int = 2) -> dict:
    """Decode a quantized TopoJSON object into a GeoJSON FeatureCollection."""
    transform = topology.get("transform")
    arcs = [_decode_arc(arc, transform) for arc in topology["arcs"]]

    def arc_points(index: int) -> list[list[float]]:
        points = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        return points

    def ring(indexes: list[int]) -> list[list[float]]:
        points: list[list[float]] = []
        for i, index in enumerate(indexes):
            part = arc_points(index)
            points.extend(part if i == 0 else part[1:])
        return points

    def rounded(points: list[list[float]]) -> list[list[float]]:
        return [[round(x, digits), round(y, digits)] for x, y in points]

    features = []
    for geometry in topology["objects"][object_name]["geometries"]:
        kind = geometry.get("type")
        if kind == "Polygon":
            polygons = [geometry["arcs"]]
        elif kind == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        coordinates = []
        cut = False
        for polygon in polygons:
            outer, *holes = [split_ring(ring(r)) for r in polygon]
            cut = cut or len(outer) > 1
            if len(outer) == 1:
                coordinates.append([rounded(outer[0])] + [rounded(piece) for pieces in holes for piece in pieces])
            else:  # a ring round the world (Antarctica has no holes): each piece a polygon of its own
                coordinates.extend([rounded(piece)] for piece in outer)
        properties = {"name": (geometry.get("properties") or {}).get("name", "")}
        if cut:
            properties["cut"] = True
        single = len(coordinates) == 1
        features.append({
            "type": "Feature",
            "id": geometry.get("id"),
            "properties": properties,
            "geometry": {"type": "Polygon" if single else "MultiPolygon",
                         "coordinates": coordinates[0] if single else coordinates},
        })
    return {"type": "FeatureCollection", "features": features}


def split_ring(ring: list[list[float]]) -> list[list[list[float]]]:
    """A ring ([lon, lat] points, closed) as rings that each span at most 180° of longitude.

    A ring that jumps across the antimeridian is unwrapped, so it lies whole on one
    world copy, its middle within -180..180:

    >>> split_ring([[176, 0], [-178, 0], [-178, 2], [176, 2], [176, 0]])
    [[[176, 0], [182.0, 0], [182.0, 2], [176.0, 2], [176.0, 0]]]

    A ring that goes round the pole (its unwrapped ends differ by 360°) is closed
    along the pole and cut into pieces of 180° each, every piece moved within -180..180.
    """
    unwrapped = [list(ring[0])]
    for lon, lat in ring[1:]:
        previous = unwrapped[-1][0]
        unwrapped.append([previous + _wrap(lon - previous), lat])
    turns = unwrapped[-1][0] - unwrapped[0][0]
    if abs(turns) < 1e-9:
        middle = (min(p[0] for p in unwrapped) + max(p[0] for p in unwrapped)) / 2
        shift = round((middle - _wrap(middle)) / 360) * 360
        return [[[lon - shift, lat] for lon, lat in unwrapped]]
    pole = -90.0 if sum(lat for _, lat in unwrapped) < 0 else 90.0
    closed = unwrapped + [[unwrapped[-1][0], pole], [unwrapped[0][0], pole], unwrapped[0]]
    low, high = min(p[0] for p in closed), max(p[0] for p in closed)
    pieces = []
    edge = low
    while edge < high - 1e-9:
        piece = _clip(_clip(closed, edge, 1), edge + 180.0, -1)
        if len(piece) >= 4:
            shift = round((edge + 90.0 - _wrap(edge + 90.0)) / 360) * 360
            pieces.append([[lon - shift, lat] for lon, lat in piece])
        edge += 180.0
    return pieces


def _wrap(lon: float) -> float:
    return (lon + 180.0) % 360.0 - 180.0


def _clip(ring: list[list[float]], edge: float, side: int) -> list[list[float]]:
    """The part of a closed ring where side * (lon - edge) >= 0 (Sutherland–Hodgman), closed again."""
    out: list[list[float]] = []
    points = ring[:-1]
    for i, current in enumerate(points):
        previous = points[i - 1]
        inside_now = side * (current[0] - edge) >= 0
        inside_before = side * (previous[0] - edge) >= 0
        if inside_now != inside_before:
            t = (edge - previous[0]) / (current[0] - previous[0])
            out.append([edge, previous[1] + (current[1] - previous[1]) * t])
        if inside_now:
            out.append(list(current))
    return out + [list(out[0])] if out else []


def _decode_arc(arc: list[list[int]], transform: dict | None) -> list[list[float]]:
    if not transform:
        return [list(map(float, p)) for p in arc]
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    x = y = 0
    points = []
    for dx, dy in arc:
        x += dx
        y += dy
        points.append([x * sx + tx, y * sy + ty])
    return points
