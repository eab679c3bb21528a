"""Conversions between WGS-84, GCJ-02 (Amap, Tencent) and BD-09 (Baidu) coordinates.

All functions are vectorised: they take scalars or numpy arrays of longitudes and latitudes in degrees
and return a ``(lon, lat)`` pair of the same shape. Points outside China are returned unchanged, as
the GCJ-02 offset is only applied inside China.
"""
from __future__ import annotations

import numpy as np

# Krasovsky 1940 ellipsoid, as used by the GCJ-02 obfuscation.
_A = 6378245.0
_EE = 0.00669342162296594323
_X_PI = np.pi * 3000.0 / 180.0

CRS_NAMES = ("WGS84", "GCJ02", "BD09")


def _out_of_china(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    return (lon < 72.004) | (lon > 137.8347) | (lat < 0.8293) | (lat > 55.8271)


def _delta(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Offset (dlon, dlat) in degrees that GCJ-02 adds to a WGS-84 point."""
    x = lon - 105.0
    y = lat - 35.0
    common = (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
    dlat = dlat + common
    dlat = dlat + (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
    dlat = dlat + (160.0 * np.sin(y / 12.0 * np.pi) + 320.0 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
    dlon = dlon + common
    dlon = dlon + (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
    dlon = dlon + (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    radlat = lat / 180.0 * np.pi
    magic = 1.0 - _EE * np.sin(radlat) ** 2
    sqrtmagic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1.0 - _EE)) / (magic * sqrtmagic) * np.pi)
    dlon = (dlon * 180.0) / (_A / sqrtmagic * np.cos(radlat) * np.pi)
    outside = _out_of_china(lon, lat)
    return np.where(outside, 0.0, dlon), np.where(outside, 0.0, dlat)


def _arrays(lon, lat) -> tuple[np.ndarray, np.ndarray, bool]:
    scalar = np.isscalar(lon) and np.isscalar(lat)
    return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float), scalar


def _out(lon: np.ndarray, lat: np.ndarray, scalar: bool):
    if scalar:
        return float(lon), float(lat)
    return lon, lat


def wgs84_to_gcj02(lon, lat):
    """WGS-84 → GCJ-02 (exact, by definition of the offset)."""
    lon, lat, scalar = _arrays(lon, lat)
    dlon, dlat = _delta(lon, lat)
    return _out(lon + dlon, lat + dlat, scalar)


def gcj02_to_wgs84(lon, lat, tolerance_deg: float = 1e-10, max_iterations: int = 30):
    """GCJ-02 → WGS-84 by fixed-point iteration; converges to well under a millimetre."""
    lon, lat, scalar = _arrays(lon, lat)
    wlon, wlat = lon.copy(), lat.copy()
    for _ in range(max_iterations):
        glon, glat = wgs84_to_gcj02(wlon, wlat)
        elon, elat = glon - lon, glat - lat
        wlon, wlat = wlon - elon, wlat - elat
        if np.all(np.abs(elon) < tolerance_deg) and np.all(np.abs(elat) < tolerance_deg):
            break
    return _out(wlon, wlat, scalar)


def gcj02_to_bd09(lon, lat):
    """GCJ-02 → BD-09 (Baidu's published transform)."""
    lon, lat, scalar = _arrays(lon, lat)
    z = np.sqrt(lon * lon + lat * lat) + 0.00002 * np.sin(lat * _X_PI)
    theta = np.arctan2(lat, lon) + 0.000003 * np.cos(lon * _X_PI)
    return _out(z * np.cos(theta) + 0.0065, z * np.sin(theta) + 0.006, scalar)


def bd09_to_gcj02(lon, lat):
    """BD-09 → GCJ-02 (inverse of :func:`gcj02_to_bd09`, accurate to about 1e-6 degrees)."""
    lon, lat, scalar = _arrays(lon, lat)
    x = lon - 0.0065
    y = lat - 0.006
    z = np.sqrt(x * x + y * y) - 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) - 0.000003 * np.cos(x * _X_PI)
    return _out(z * np.cos(theta), z * np.sin(theta), scalar)


def bd09_to_wgs84(lon, lat):
    """BD-09 → WGS-84, through GCJ-02."""
    return gcj02_to_wgs84(*bd09_to_gcj02(lon, lat))


def wgs84_to_bd09(lon, lat):
    """WGS-84 → BD-09, through GCJ-02."""
    return gcj02_to_bd09(*wgs84_to_gcj02(lon, lat))


def _identity(lon, lat):
    lon, lat, scalar = _arrays(lon, lat)
    return _out(lon, lat, scalar)


_TO_WGS84 = {"WGS84": _identity, "GCJ02": gcj02_to_wgs84, "BD09": bd09_to_wgs84}
_FROM_WGS84 = {"WGS84": _identity, "GCJ02": wgs84_to_gcj02, "BD09": wgs84_to_bd09}


def to_wgs84(lon, lat, crs: str):
    """Convert points declared in ``crs`` (one of ``CRS_NAMES`` or an alias) to WGS-84."""
    return _TO_WGS84[normalise_crs(crs)](lon, lat)


def from_wgs84(lon, lat, crs: str):
    """Convert WGS-84 points to ``crs`` (for display on a GCJ-02 or BD-09 basemap)."""
    return _FROM_WGS84[normalise_crs(crs)](lon, lat)


def normalise_crs(name: str) -> str:
    """Map spellings such as ``wgs-84``, ``CGCS2000``, ``gcj-02``, ``bd-09`` to ``CRS_NAMES``."""
    key = str(name).strip().upper().replace("-", "").replace("_", "").replace(" ", "")
    aliases = {"WGS84": "WGS84", "EPSG4326": "WGS84", "CGCS2000": "WGS84", "4326": "WGS84",
               "GCJ02": "GCJ02", "AMAP": "GCJ02", "GAODE": "GCJ02", "高德": "GCJ02", "火星": "GCJ02",
               "BD09": "BD09", "BAIDU": "BD09", "百度": "BD09"}
    if key not in aliases:
        raise ValueError(f"unknown coordinate system {name!r}; expected one of {', '.join(CRS_NAMES)}")
    return aliases[key]


def transform_coordinates(coords: np.ndarray, func) -> np.ndarray:
    """Apply a ``(lon, lat) -> (lon, lat)`` conversion to an ``(n, 2)`` array (shapely helper)."""
    lon, lat = func(coords[:, 0], coords[:, 1])
    return np.column_stack([lon, lat])


def geometry_to_wgs84(geometry, crs: str):
    """A shapely geometry with every vertex moved from ``crs`` to WGS-84."""
    import shapely
    return shapely.transform(geometry, lambda coords: transform_coordinates(coords, _TO_WGS84[normalise_crs(crs)]))
