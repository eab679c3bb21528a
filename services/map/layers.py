"""Map layers as GeoJSON: the district, townships and the six point layers, with filters.

Pages and the API both read layers from here. Filters: township code, a WGS-84 bounding box (on PostGIS
through the GiST index, elsewhere on the lon/lat columns), controlled-vocabulary fields (risk level,
hazard type, …) and a text query. The ``map`` view carries only what the map draws; ``full`` carries
every field.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field

import shapely
from sqlalchemy import and_, case, func, or_, select

from config import Settings
from services import vocabulary
from services.db import read_session
from services.errors import FieldError
from services.evacuation.capacity import (
    available_places,
    occupancy_class,
    shelter_capacity,
)
from services.models import (
    AdminArea,
    Depot,
    Enterprise,
    HazardPoint,
    MonitoringStation,
    RescueTeam,
    Shelter,
    StockLine,
    Township,
    Vehicle,
)

POINT_LAYERS = {
    "enterprises": Enterprise, "hazards": HazardPoint, "shelters": Shelter, "depots": Depot,
    "teams": RescueTeam, "stations": MonitoringStation,
}
# Fields a layer can be filtered on, with their allowed values.
FILTER_FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
    "enterprises": {"sector": tuple(vocabulary.ENTERPRISE_SECTORS), "category": vocabulary.ENTERPRISE_CATEGORIES,
                    "risk_level": vocabulary.RISK_LEVELS, "scale": vocabulary.ENTERPRISE_SCALES},
    "hazards": {"hazard_type": vocabulary.HAZARD_TYPES, "warning_level": vocabulary.WARNING_LEVELS},
    "shelters": {"status": vocabulary.SHELTER_STATUSES, "shelter_type": vocabulary.SHELTER_TYPES},
    "depots": {"level": vocabulary.DEPOT_LEVELS},
    "teams": {"kind": vocabulary.TEAM_KINDS, "status": vocabulary.TEAM_STATUSES},
    "stations": {"kind": vocabulary.STATION_KINDS, "status": vocabulary.STATION_STATUSES},
}
# What the map draws; the details panel asks for the full record.
MAP_FIELDS: dict[str, tuple[str, ...]] = {
    "enterprises": ("risk_level", "sector", "category"),
    "hazards": ("hazard_type", "warning_level", "threatened_people"),
    "shelters": ("status",),
    "depots": ("level",),
    "teams": ("kind", "status", "members"),
    "stations": ("kind", "status"),
}
# Columns searched by the text query ``q`` besides the name.
SEARCH_FIELDS: dict[str, tuple[str, ...]] = {"enterprises": ("address", "credit_code"),
                                              "hazards": ("address", "code", "village")}
_SKIP_COLUMNS = {"geom", "updated_at"}
_COMPUTED_INPUTS = {"shelters": ("declared_capacity_people", "effective_area_m2", "occupancy_people",
                                 "blocked_places", "status", "shelter_type")}
VIEWS = ("full", "map")


class BadParameter(FieldError):
    """A request parameter that cannot be used; ``reason`` is shown to the user."""

    @property
    def name(self) -> str:
        return self.field


@dataclass(frozen=True)
class LayerFilter:
    township: str | None = None
    bbox: tuple[float, float, float, float] | None = None
    where: dict[str, tuple[str, ...]] = field(default_factory=dict)
    q: str | None = None
    feature_id: int | None = None


def _parse_bbox(bbox: str) -> tuple[float, float, float, float]:
    try:
        box = tuple(float(p) for p in bbox.split(","))
    except ValueError:
        box = ()
    if len(box) != 4:
        raise BadParameter("bbox", "bbox 应为 最小经度,最小纬度,最大经度,最大纬度 四个数字",
                           "bbox must be four numbers: minlon,minlat,maxlon,maxlat")
    minlon, minlat, maxlon, maxlat = box
    if not (-180 <= minlon < maxlon <= 180 and -90 <= minlat < maxlat <= 90):
        raise BadParameter("bbox", "bbox 范围无效（需 最小值 < 最大值，经度 ±180，纬度 ±90）",
                           "bbox is invalid (min < max, lon within ±180, lat within ±90)")
    return box  # type: ignore[return-value]


def parse_filter(layer: str, args: Mapping[str, str], known_townships: set[str]) -> LayerFilter:
    """Check query parameters (township, bbox, q, and the layer's FILTER_FIELDS); raises BadParameter.

    Vocabulary fields take comma-separated values, e.g. ``risk_level=重大,较大``.
    """
    allowed = FILTER_FIELDS[layer]
    for name in args:
        if name not in allowed and name not in ("township", "bbox", "q", "view"):
            raise BadParameter(name, f"不支持的参数“{name}”", f"unsupported parameter '{name}'")
    township = args.get("township") or None
    if township is not None and township not in known_townships:
        raise BadParameter("township", f"“{township}” 不是本区的乡镇街道代码",
                           f"'{township}' is not a township code of this district")
    where: dict[str, tuple[str, ...]] = {}
    for name, values in allowed.items():
        if args.get(name):
            chosen = tuple(v for v in args[name].split(",") if v)
            bad = [v for v in chosen if v not in values]
            if bad:
                raise BadParameter(name, f"“{bad[0]}” 不是允许的值（可选：{'、'.join(values)}）",
                                   f"'{bad[0]}' is not allowed for {name}")
            where[name] = chosen
    q = (args.get("q") or "").strip() or None
    if q is not None and len(q) > 100:
        raise BadParameter("q", "查询词过长（最多100字）", "query is longer than 100 characters")
    bbox = _parse_bbox(args["bbox"]) if args.get("bbox") else None
    return LayerFilter(township=township, bbox=bbox, where=where, q=q)


def township_codes(settings: Settings) -> set[str]:
    with read_session(settings.database_url) as session:
        return set(session.scalars(select(Township.code)))


def _jsonable(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _conditions(settings: Settings, model, flt: LayerFilter) -> list:
    conditions = []
    if flt.feature_id is not None:
        conditions.append(model.id == flt.feature_id)
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
    for name, values in flt.where.items():
        conditions.append(getattr(model, name).in_(values))
    if flt.q:
        pattern = f"%{flt.q.replace('%', '').replace('_', '')}%"
        layer = next(k for k, m in POINT_LAYERS.items() if m is model)
        columns = [model.name, *(getattr(model, c) for c in SEARCH_FIELDS.get(layer, ("address",)))]
        conditions.append(or_(*(c.ilike(pattern) for c in columns), Township.name.like(pattern)))
    return conditions


def _depot_alerts(settings: Settings) -> dict[int, dict[str, int]]:
    """Per depot: stock lines below their minimum and lines already expired (today, Asia/Shanghai)."""
    today = dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date()
    below = func.sum(case((StockLine.quantity < StockLine.minimum_quantity, 1), else_=0))
    expired = func.sum(case((StockLine.expires_on < today, 1), else_=0))
    with read_session(settings.database_url) as session:
        rows = session.execute(select(StockLine.depot_id, below, expired).group_by(StockLine.depot_id)).all()
    return {depot_id: {"below_minimum": int(b or 0), "expired": int(e or 0)} for depot_id, b, e in rows}


def _add_computed(settings: Settings, layer: str, props: list[dict], rows) -> None:
    if layer == "shelters":
        for p, r in zip(props, rows):
            capacity = shelter_capacity(settings, r["declared_capacity_people"], r["effective_area_m2"],
                                        r["shelter_type"])
            p["capacity_people"] = capacity
            p["available_places"] = available_places(capacity, r["occupancy_people"], r["blocked_places"])
            p["occupancy_class"] = occupancy_class(r["status"], capacity, r["occupancy_people"], r["blocked_places"])
            p["occupancy_people"] = r["occupancy_people"]
    elif layer == "depots":
        alerts = _depot_alerts(settings)
        for p, r in zip(props, rows):
            p.update(alerts.get(r["id"], {"below_minimum": 0, "expired": 0}))


def point_layer(settings: Settings, layer: str, flt: LayerFilter = LayerFilter(), view: str = "full") -> dict:
    """A GeoJSON FeatureCollection of one point layer.

    ``view="full"``: every field of the record; ``view="map"``: id, name, township and what the map
    draws (risk level, warning level, capacity, …), a fraction of the bytes.
    """
    model = POINT_LAYERS[layer]
    table = model.__table__
    if view == "map":  # only what the map draws, and what computed fields need
        wanted = {"id", "name", "lon", "lat", *MAP_FIELDS[layer], *_COMPUTED_INPUTS.get(layer, ())}
        columns = [c for c in table.columns if c.name in wanted]
    else:
        columns = [c for c in table.columns if c.name not in _SKIP_COLUMNS]
    stmt = select(*columns, Township.name.label("township_name")).join(
        Township, Township.code == model.township_code)
    conditions = _conditions(settings, model, flt)
    if conditions:
        stmt = stmt.where(and_(*conditions))
    with read_session(settings.database_url) as session:
        rows = session.execute(stmt.order_by(model.id)).mappings().all()
    if view == "map":
        keep = ("id", "name", "township_name", *MAP_FIELDS[layer])
        props = [{k: r[k] for k in keep} for r in rows]
    else:
        props = [{k: _jsonable(v) for k, v in r.items()} for r in rows]
    _add_computed(settings, layer, props, rows)
    features = [
        {"type": "Feature", "id": f"{layer}-{r['id']}",
         "geometry": {"type": "Point", "coordinates": [r["lon"], r["lat"]]}, "properties": p | {"layer": layer}}
        for p, r in zip(props, rows)
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
        features = [_feature(a.geom, {"adcode": a.adcode, "name": a.name, "name_en": a.name_en, "role": a.role,
                                      "source": a.source, "crs": "WGS84"}) for a in rows]
    return {"type": "FeatureCollection", "features": features}


def entity_counts(settings: Settings) -> dict[str, int]:
    """Rows per entity (for /healthz and the status bar)."""
    models = {"townships": Township, **POINT_LAYERS, "stock_lines": StockLine, "vehicles": Vehicle}
    with read_session(settings.database_url) as session:
        return {name: session.scalar(select(func.count()).select_from(m)) or 0 for name, m in models.items()}


def filtered_counts(settings: Settings, filters: Mapping[str, LayerFilter]) -> dict[str, int]:
    """Features per layer under each layer's filter (what the map shows)."""
    counts = {}
    with read_session(settings.database_url) as session:
        for layer, flt in filters.items():
            model = POINT_LAYERS[layer]
            stmt = select(func.count()).select_from(model).join(Township, Township.code == model.township_code)
            conditions = _conditions(settings, model, flt)
            counts[layer] = session.scalar(stmt.where(and_(*conditions)) if conditions else stmt) or 0
    return counts


def sample_in_use(settings: Settings) -> bool:
    """True while any record shown comes from the synthetic sample (the UI then says 示例数据)."""
    with read_session(settings.database_url) as session:
        return any(session.scalar(select(func.count()).select_from(m).where(m.is_sample.is_(True)))
                   for m in POINT_LAYERS.values())


def threatened_people_total(settings: Settings, flt: LayerFilter = LayerFilter()) -> int:
    """People threatened by the hazard points under ``flt`` (受威胁人数合计)."""
    stmt = select(func.coalesce(func.sum(HazardPoint.threatened_people), 0)).join(
        Township, Township.code == HazardPoint.township_code)
    conditions = _conditions(settings, HazardPoint, flt)
    with read_session(settings.database_url) as session:
        return int(session.scalar(stmt.where(and_(*conditions)) if conditions else stmt))
