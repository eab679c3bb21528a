"""Great-circle distances on the WGS-84 mean sphere, vectorised over numpy arrays."""
from __future__ import annotations

import numpy as np

EARTH_RADIUS_M = 6_371_008.8  # IUGG mean radius


def haversine_m(lon1, lat1, lon2, lat2):
    """Distance in metres between points given in degrees (scalars or broadcastable arrays)."""
    lon1, lat1, lon2, lat2 = (np.radians(np.asarray(v, dtype=float)) for v in (lon1, lat1, lon2, lat2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def nearest(lon: float, lat: float, lons, lats) -> tuple[int, float]:
    """Index of the nearest of the points (lons, lats) and its distance in metres; (-1, inf) if none."""
    if len(lons) == 0:
        return -1, float("inf")
    d = haversine_m(lon, lat, np.asarray(lons), np.asarray(lats))
    i = int(np.argmin(d))
    return i, float(d[i])


def project_lonlat(lon, lat, crs: str) -> np.ndarray:
    """WGS-84 (lon, lat) arrays projected to the metric ``crs`` (e.g. ``geo.candidates.metric_crs``), as (n, 2) metres."""
    from pyproj import Transformer
    x, y = Transformer.from_crs("EPSG:4326", crs, always_xy=True).transform(np.asarray(lon, float),
                                                                            np.asarray(lat, float))
    return np.column_stack([np.atleast_1d(x), np.atleast_1d(y)])


def nearest_within(points_xy: np.ndarray, sites_xy: np.ndarray, radius_m: float) -> tuple[np.ndarray, np.ndarray]:
    """For each point (metres, (n, 2)), the index of the nearest site within ``radius_m`` and its distance in metres.

    A KD-tree over the sites; a point with no site that near gets index −1 and distance inf."""
    points_xy, sites_xy = np.asarray(points_xy, float).reshape(-1, 2), np.asarray(sites_xy, float).reshape(-1, 2)
    if len(sites_xy) == 0 or len(points_xy) == 0:
        return np.full(len(points_xy), -1, dtype=np.int64), np.full(len(points_xy), np.inf)
    from scipy.spatial import cKDTree
    distance, index = cKDTree(sites_xy).query(points_xy, k=1, distance_upper_bound=radius_m)
    found = np.isfinite(distance)
    return np.where(found, index, -1).astype(np.int64), np.where(found, distance, np.inf)
