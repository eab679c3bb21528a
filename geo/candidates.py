"""Candidate sites for siting: a square grid in metres over an area, in the region's metric CRS.

Metric work uses the CGCS2000 3-degree Gauss-Kruger zone (no false easting prefix) whose central meridian is
nearest the area: EPSG:4534 (75°E) to EPSG:4554 (135°E), EPSG:4545 (108°E) for Qianjiang. Grids are built there
with geopandas and handed back in WGS-84.
"""
from __future__ import annotations

import geopandas as gpd
import numpy as np

WGS84 = "EPSG:4326"


def metric_crs(lon: float) -> str:
    """The CGCS2000 3-degree Gauss-Kruger CRS (central meridian nearest ``lon``), as "EPSG:45xx"."""
    meridian = int(np.clip(round(lon / 3.0) * 3, 75, 135))
    return f"EPSG:{4534 + (meridian - 75) // 3}"


MAX_GRID_CELLS = 1_000_000  # cells of the bounding box: a guard on memory, far above any useful grid


def grid_points(area, spacing_m: float) -> np.ndarray:
    """Centres of a ``spacing_m`` square grid inside ``area`` (a WGS-84 shapely polygon), as (lon, lat) rows.

    Raises ValueError when the spacing is not positive or the grid's bounding box exceeds MAX_GRID_CELLS.
    """
    if not spacing_m > 0:
        raise ValueError("spacing_m must be positive")
    crs = metric_crs(area.centroid.x)
    shape = gpd.GeoSeries([area], crs=WGS84).to_crs(crs)
    x0, y0, x1, y1 = shape.total_bounds
    xs = np.arange(x0 + spacing_m / 2, x1, spacing_m)
    ys = np.arange(y0 + spacing_m / 2, y1, spacing_m)
    if len(xs) * len(ys) > MAX_GRID_CELLS:
        raise ValueError(f"a {spacing_m:g} m grid over this area has more than {MAX_GRID_CELLS} cells")
    gx, gy = np.meshgrid(xs, ys)
    points = gpd.GeoSeries(gpd.points_from_xy(gx.ravel(), gy.ravel()), crs=crs)
    inside = points[points.within(shape.iloc[0])].to_crs(WGS84)
    return np.column_stack([inside.x.to_numpy(), inside.y.to_numpy()]) if len(inside) else np.zeros((0, 2))
