"""A self-hosted basemap: country outlines from Natural Earth, as GeoJSON.

Used by assets.py when atlas.yaml sets `basemap: countries`, so the maps need
no tile server and readers' browsers contact no third party. The data is the
`world-atlas` package's TopoJSON (Natural Earth 1:110m, public domain), decoded
here. Pure: takes the parsed TopoJSON, returns GeoJSON.
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
        return [[round(x, digits), round(y, digits)] for x, y in points]

    features = []
    for geometry in topology["objects"][object_name]["geometries"]:
        kind = geometry.get("type")
        if kind == "Polygon":
            coordinates = [ring(r) for r in geometry["arcs"]]
        elif kind == "MultiPolygon":
            coordinates = [[ring(r) for r in polygon] for polygon in geometry["arcs"]]
        else:
            continue
        features.append({
            "type": "Feature",
            "id": geometry.get("id"),
            "properties": {"name": (geometry.get("properties") or {}).get("name", "")},
            "geometry": {"type": kind, "coordinates": coordinates},
        })
    return {"type": "FeatureCollection", "features": features}


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
