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
