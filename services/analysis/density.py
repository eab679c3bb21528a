"""A density surface of risk on a hexagon grid in metres: enterprise risk and people threatened per cell.

The grid lives in the district's metric CRS (EPSG:4545 for Qianjiang), anchored at the CRS origin so a cell is
the same cell whatever the filter; hexagons are pointy-topped, ``cell_m`` is their side (= circumradius). Points
fall in cells by axial (cube) rounding; the cells with something in them come back as GeoJSON in WGS-84.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from services.analysis.classes import ValueClass, class_breaks
from services.analysis.frames import WGS84, to_metric

SQRT3 = math.sqrt(3.0)
DENSITY_MEASURES = ("enterprises", "enterprise_risk", "hazards", "threatened_people")


@dataclass(frozen=True)
class DensityGrid:
    """The occupied cells of a hexagon grid (GeoJSON in WGS-84) and the class breaks of each measure."""

    cell_m: float
    crs: str  # where the cells were built
    cell_area_km2: float
    features: list[dict]
    classes: dict[str, list[ValueClass]] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"cell_m": self.cell_m, "crs": self.crs, "cell_area_km2": self.cell_area_km2,
                "features": {"type": "FeatureCollection", "features": self.features},
                "classes": {m: [c.to_json() for c in cs] for m, cs in self.classes.items()}}


def hex_cells(x: np.ndarray, y: np.ndarray, cell_m: float) -> tuple[np.ndarray, np.ndarray]:
    """Axial coordinates (q, r) of the pointy-topped hexagon of side ``cell_m`` that holds each point (metres)."""
    q = (SQRT3 / 3 * x - y / 3) / cell_m
    r = (2 / 3 * y) / cell_m
    s = -q - r
    rq, rr, rs = np.round(q), np.round(r), np.round(s)
    dq, dr, ds = np.abs(rq - q), np.abs(rr - r), np.abs(rs - s)
    fix_q = (dq > dr) & (dq > ds)
    fix_r = ~fix_q & (dr > ds)
    rq = np.where(fix_q, -rr - rs, rq)
    rr = np.where(fix_r, -rq - rs, rr)
    return rq.astype(np.int64), rr.astype(np.int64)


def hex_polygons(q: np.ndarray, r: np.ndarray, cell_m: float) -> np.ndarray:
    """The hexagons (shapely, metres) of axial cells (q, r)."""
    cx = cell_m * SQRT3 * (q + r / 2)
    cy = cell_m * 1.5 * r
    angles = np.radians(np.arange(6) * 60 - 30)
    xs = cx[:, None] + cell_m * np.cos(angles)[None, :]
    ys = cy[:, None] + cell_m * np.sin(angles)[None, :]
    rings = np.stack([xs, ys], axis=-1)
    return shapely.polygons(np.concatenate([rings, rings[:, :1]], axis=1))


def _cell_table(frame: gpd.GeoDataFrame, crs: str, cell_m: float, sums: dict[str, pd.Series]) -> pd.DataFrame:
    """Per occupied cell: the count of points and the sums of ``sums`` (each aligned with ``frame``)."""
    metric = to_metric(frame, crs)
    q, r = hex_cells(metric.geometry.x.to_numpy(), metric.geometry.y.to_numpy(), cell_m)
    table = pd.DataFrame({"q": q, "r": r, "count": 1, **{k: v.to_numpy(dtype=float) for k, v in sums.items()}})
    return table.groupby(["q", "r"]).sum()


def hex_density(enterprises: gpd.GeoDataFrame, hazards: gpd.GeoDataFrame, crs: str, cell_m: float,
                risk_scores: dict[str, float], scheme: str = "quantiles", k: int = 5,
                classed: tuple[str, ...] = DENSITY_MEASURES) -> DensityGrid:
    """Enterprise count and risk (sum of each enterprise's score by risk level) and hazard points with the people
    they threaten, per hexagon of side ``cell_m`` metres; only cells with something in them. Class breaks are
    made for the measures of ``classed`` (natural breaks over hundreds of cells take a while: a page that
    shades one measure asks for that one)."""
    risk = enterprises["risk_level"].map(risk_scores).astype(float)
    firms = _cell_table(enterprises, crs, cell_m, {"enterprise_risk": risk}).rename(columns={"count": "enterprises"})
    points = _cell_table(hazards, crs, cell_m, {"threatened_people": hazards["threatened_people"]}) \
        .rename(columns={"count": "hazards"})
    cells = firms.join(points, how="outer").fillna(0).sort_index()
    q, r = cells.index.get_level_values("q").to_numpy(), cells.index.get_level_values("r").to_numpy()
    shapes = gpd.GeoSeries(hex_polygons(q, r, cell_m), crs=crs).to_crs(WGS84)
    features = []
    for (cq, cr), row, shape in zip(cells.index, cells.itertuples(index=False), shapes):
        ring = [[round(x, 6), round(y, 6)] for x, y in shape.exterior.coords]
        features.append({"type": "Feature", "id": f"{cq}:{cr}",
                         "geometry": {"type": "Polygon", "coordinates": [ring]},
                         "properties": {"q": int(cq), "r": int(cr), **{m: _whole(getattr(row, m))
                                                                      for m in DENSITY_MEASURES}}})
    classes = {m: class_breaks([v for v in cells[m] if v > 0], scheme, k) for m in DENSITY_MEASURES if m in classed}
    area_km2 = round(1.5 * SQRT3 * cell_m**2 / 1e6, 4)
    return DensityGrid(cell_m, crs, area_km2, features, classes)


def _whole(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(float(value), 2)
