"""Map layers as GeoJSON: the district, townships and the five point layers, with filters.

Pages and the API both read layers from here. Filters: township code and a WGS-84 bounding box (on
PostGIS through the GiST index, elsewhere on the lon/lat columns).
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import shapely
from sqlalchemy import and_, func, select

from config import Settings
from services.db import read_session
from services.models import (
    AdminArea, Depot, Enterprise, HazardPoint, MonitoringStation, RescueTeam, Shelter, StockLine, Township,
    Vehicle,
)

POINT_LAYERS = {
    "enterprises": Enterprise, "hazards": HazardPoint, "shelters": Shelter, "depots": Depot,
    "teams": RescueTeam, "stations": MonitoringStation,
}
_SKIP_COLUMNS = {"geom", "updated_at"}


class BadParameter(ValueError):
    """A request parameter that cannot be used; ``reason`` is shown to the user."""

    def __init__(self, name: str, reason: str, reason_en: str):
        super().__init__(f"{name}: {reason_en}")
        self.name = name
        self.reason = reason
        self.reason_en = reason_en


@dataclass(frozen=True)
class LayerFilter:
    township: str | None = None
    bbox: tuple[float, float, float, float] | None = None


def parse_filter(township: str | None, bbox: str | None, known_townships: set[str]) -> LayerFilter:
    """Check the ``township`` and ``bbox`` query parameters; raises BadParameter."""
    if township is not None and township not in known_townships:
        raise BadParameter("township", f"“{township}” 不是本区的乡镇街道代码",
                           f"'{township}' is not a township code of this district")
    box = None
    if bbox is not None:
        parts = bbox.split(",")
        try:
            box = tuple(float(p) for p in parts)
        except ValueError:
            box = None
        if box is None or len(box) != 4:
            raise BadParameter("bbox", "bbox 应为 最小经度,最小纬度,最大经度,最大纬度 四个数字",
                               "bbox must be four numbers: minlon,minlat,maxlon,maxlat")
        minlon, minlat, maxlon, maxlat = box
        if not (-180 <= minlon < maxlon <= 180 and -90 <= minlat < maxlat <= 90):
            raise BadParameter("bbox", "bbox 范围无效（需 最小值 < 最大值，经度 ±180，纬度 ±90）",
                               "bbox is invalid (min < max, lon within ±180, lat within ±90)")
    return LayerFilter(township=township, bbox=box)  # type: ignore[arg-type]


def township_codes(settings: Settings) -> set[str]:
    with read_session(settings.database_url) as session:
        return set(session.scalars(select(Township.code)))


def _jsonable(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def point_layer(settings: Settings, layer: str, flt: LayerFilter = LayerFilter()) -> dict:
    """A GeoJSON FeatureCollection of one point layer, properties = the record's fields."""
    model = POINT_LAYERS[layer]
    columns = [c for c in model.__table__.columns if c.name not in _SKIP_COLUMNS]
    stmt = select(*columns, Township.name.label("township_name")).join(
        Township, Township.code == model.township_code)
    conditions = []
    if flt.township:
        conditions.append(model.township_code == flt.township)
    if flt.bbox:
        minlon, minlat, maxlon, maxlat = flt.bbox
        if settings.database_kind == "postgresql":
            envelope = func.ST_MakeEnvelope(minlon, minlat, maxlon, maxlat, 4326)
            conditions.append(func.ST_Intersects(model.__table__.c.geom, envelope))
        else:
            conditions.append(and_(model.lon >= minlon, model.lon <= maxlon,
                                   model.lat >= minlat, model.lat <= maxlat))
    if conditions:
        stmt = stmt.where(and_(*conditions))
    stmt = stmt.order_by(model.id)
    with read_session(settings.database_url) as session:
        rows = session.execute(stmt).mappings().all()
    features = [
        {"type": "Feature", "id": f"{layer}-{r['id']}",
         "geometry": {"type": "Point", "coordinates": [r["lon"], r["lat"]]},
         "properties": {k: _jsonable(v) for k, v in r.items()} | {"layer": layer}}
        for r in rows
    ]
    return {"type": "FeatureCollection", "features": features}


def _feature(geometry, properties: dict, precision: int = 6) -> dict:
    geojson = shapely.to_geojson(shapely.set_precision(geometry, 10 ** -precision))
    return {"type": "Feature", "geometry": json.loads(geojson), "properties": properties}


def townships_geojson(settings: Settings) -> dict:
    """Townships with official codes; polygons carry ``approximate`` when derived."""
    with read_session(settings.database_url) as session:
        rows = session.scalars(select(Township).order_by(Township.code)).all()
        features = [_feature(t.geom, {
            "code": t.code, "name": t.name, "name_en": t.name_en, "kind": t.kind, "approximate": t.approximate,
            "population": t.population, "population_is_sample": t.population_is_sample,
            "seat": [t.seat_lon, t.seat_lat], "seat_approximate": t.seat_approximate,
            "seat_source": t.seat_source,
        }) for t in rows]
    return {"type": "FeatureCollection", "features": features}


def boundary_geojson(settings: Settings) -> dict:
    """The district boundary and its neighbours (role ``district`` / ``neighbour``), WGS-84."""
    with read_session(settings.database_url) as session:
        rows = session.scalars(select(AdminArea).order_by(AdminArea.role, AdminArea.adcode)).all()
        features = [_feature(a.geom, {"adcode": a.adcode, "name": a.name, "name_en": a.name_en, "role": a.role, "source": a.source,
                                      "crs": "WGS84"}) for a in rows]
    return {"type": "FeatureCollection", "features": features}


def entity_counts(settings: Settings) -> dict[str, int]:
    """Rows per entity (for /healthz and the status bar)."""
    models = {"townships": Township, **POINT_LAYERS, "stock_lines": StockLine, "vehicles": Vehicle}
    with read_session(settings.database_url) as session:
        return {name: session.scalar(select(func.count()).select_from(m)) or 0 for name, m in models.items()}


def sample_in_use(settings: Settings) -> bool:
    """True while any record shown comes from the synthetic sample (the UI then says 示例数据)."""
    with read_session(settings.database_url) as session:
        return any(session.scalar(select(func.count()).select_from(m).where(m.is_sample.is_(True)))
                   for m in POINT_LAYERS.values())


def threatened_people_total(settings: Settings) -> int:
    """People threatened by all hazard points (受威胁人数合计)."""
    with read_session(settings.database_url) as session:
        return int(session.scalar(select(func.coalesce(func.sum(HazardPoint.threatened_people), 0))))
