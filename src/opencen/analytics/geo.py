"""Country shapes and centres from the shipped Natural Earth TopoJSON (npm ``world-atlas``).

The file is the one the pages load (``web/vendor/countries-110m.json``); features are keyed by
ISO 3166 numeric code.  ``centroids()`` gives each country a point for flow maps: the area
centroid of its largest polygon (so France is centred on Europe, not between Europe and
French Guiana), computed once per process.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.templatetags.static import static

ATLAS = "web/vendor/countries-110m.json"


def atlas_path() -> Path:
    found = finders.find(ATLAS)
    if not found:  # pragma: no cover - the file ships with the web app
        raise FileNotFoundError(ATLAS)
    return Path(found if isinstance(found, str) else found[0])


def atlas_url() -> str:
    """Where the pages load the shapes from (served with the static files)."""
    return static(ATLAS)


@functools.cache
def atlas() -> dict[str, Any]:
    """The TopoJSON document (for charts rendered on the server, which inline it)."""
    data: dict[str, Any] = json.loads(atlas_path().read_text())
    return data


def _arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """Decode the quantised, delta-encoded arcs into lon/lat points."""
    transform = topology.get("transform")
    decoded = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            if transform:
                x, y = x + dx, y + dy
                (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
                points.append((x * sx + tx, y * sy + ty))
            else:
                points.append((dx, dy))
        decoded.append(points)
    return decoded


def _ring(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return points


def _unwrap(ring: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Longitudes made continuous across the antimeridian (Russia, Fiji)."""
    out = ring[:1]
    for x, y in ring[1:]:
        previous = out[-1][0]
        while x - previous > 180:
            x -= 360
        while previous - x > 180:
            x += 360
        out.append((x, y))
    return out


def _centroid(ring: list[tuple[float, float]]) -> tuple[float, float, float]:
    """(area, x, y) of a ring, by the shoelace formula."""
    ring = _unwrap(ring)
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(area) < 1e-12:
        xs, ys = zip(*ring, strict=True)
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    return abs(area) / 2, cx / (3 * area), cy / (3 * area)


@functools.cache
def centroids() -> dict[str, tuple[float, float]]:
    """ISO numeric code -> (longitude, latitude) of the country's largest polygon."""
    topology = atlas()
    arcs = _arcs(topology)
    result: dict[str, tuple[float, float]] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        polygons = geometry.get("arcs") or []
        if geometry.get("type") == "Polygon":
            polygons = [polygons]
        best = (-1.0, 0.0, 0.0)
        for polygon in polygons:
            if polygon:
                candidate = _centroid(_ring(polygon[0], arcs))
                best = max(best, candidate)
        if "id" in geometry and best[0] >= 0:
            lon = (best[1] + 180) % 360 - 180
            result[str(geometry["id"])] = (round(lon, 3), round(best[2], 3))
    return result
