"""Map layers as GeoJSON: the district, townships and the six point layers, with filters.

Pages and the API both read layers from here. Filters: township code, a WGS-84 bounding box (on PostGIS
through the GiST index, elsewhere on the lon/lat columns), controlled-vocabulary fields (risk level,
hazard type, …) and a text query. The ``map`` view carries only what the map draws; ``full`` carries
every field.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field

import shapely
from sqlalchemy import and_, case, func, or_, select

from services import vocabulary
from services.clock import local_today
from services.db.uow import UnitOfWork
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
from services.monitoring.stations import derived_statuses, status_condition
from services.supervision.map_flags import FLAGS as DANGER_FLAGS
from services.supervision.map_flags import danger_condition, danger_flags
from services.text import t

POINT_LAYERS = {
    "enterprises": Enterprise, "hazards": HazardPoint, "shelters": Shelter, "depots": Depot,
    "teams": RescueTeam, "stations": MonitoringStation,
}
# Fields a layer can be filtered on, with their allowed values.
FILTER_FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
    "enterprises": {"sector": tuple(vocabulary.ENTERPRISE_SECTORS), "category": vocabulary.ENTERPRISE_CATEGORIES,
                    "risk_level": vocabulary.RISK_LEVELS, "scale": vocabulary.ENTERPRISE_SCALES,
                    "danger": DANGER_FLAGS},  # an open hidden danger overdue or major (services/supervision)
    "hazards": {"hazard_type": vocabulary.HAZARD_TYPES, "warning_level": vocabulary.WARNING_LEVELS},
    "shelters": {"status": vocabulary.SHELTER_STATUSES, "shelter_type": vocabulary.SHELTER_TYPES},
    "depots": {"level": vocabulary.DEPOT_LEVELS},
    "teams": {"kind": vocabulary.TEAM_KINDS, "status": vocabulary.TEAM_STATUSES},
    "stations": {"kind": vocabulary.STATION_KINDS, "status": vocabulary.STATION_STATUSES},
}
# What the map draws; the details panel asks for the full record.
MAP_FIELDS: dict[str, tuple[str, ...]] = {
    "enterprises": ("risk_level", "sector", "category", "location_quality"),
    "hazards": ("hazard_type", "warning_level", "threatened_people", "location_quality"),
    "shelters": ("status", "location_quality"),
    "depots": ("level", "location_quality"),
    "teams": ("kind", "status", "members", "location_quality"),
    "stations": ("kind", "status", "location_quality"),
}  # location_quality: a point placed from its address is drawn hollow (待核实)
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


@dataclass(frozen=True)
class LayerFeature:
    """One point of a layer: where it is and the fields of the view asked for (``properties``, as in GeoJSON)."""

    layer: str
    id: int
    lon: float
    lat: float
    properties: Mapping[str, object]  # the view's fields plus ``layer``; the map's JSON carries exactly these

    def to_geojson(self) -> dict:
        return {"type": "Feature", "id": f"{self.layer}-{self.id}",
                "geometry": {"type": "Point", "coordinates": [self.lon, self.lat]}, "properties": dict(self.properties)}


@dataclass(frozen=True)
class LayerResult:
    """The points of one layer under a filter, in id order; ``to_geojson()`` is what the API and the map read."""

    layer: str
    view: str
    features: tuple[LayerFeature, ...]

    def to_geojson(self) -> dict:
        return {"type": "FeatureCollection", "features": [f.to_geojson() for f in self.features]}


def _parse_bbox(bbox: str) -> tuple[float, float, float, float]:
    try:
        box = tuple(float(p) for p in bbox.split(","))
    except ValueError:
        box = ()
    if len(box) != 4:
        raise BadParameter.of("bbox", "filter.bbox_format")
    minlon, minlat, maxlon, maxlat = box
    if not (-180 <= minlon < maxlon <= 180 and -90 <= minlat < maxlat <= 90):
        raise BadParameter.of("bbox", "filter.bbox_range")
    return box  # type: ignore[return-value]


def parse_filter(layer: str, args: Mapping[str, str], known_townships: set[str]) -> LayerFilter:
    """Check query parameters (township, bbox, q, and the layer's FILTER_FIELDS); raises BadParameter.

    Vocabulary fields take comma-separated values, e.g. ``risk_level=重大,较大``.
    """
    allowed = FILTER_FIELDS[layer]
    for name in args:
        if name not in allowed and name not in ("township", "bbox", "q", "view", "v"):  # v: the map's version
            raise BadParameter.of(name, "filter.unsupported", name=name)
    township = args.get("township") or None
    if township is not None and township not in known_townships:
        raise BadParameter.of("township", "filter.township", township=township)
    where: dict[str, tuple[str, ...]] = {}
    for name, values in allowed.items():
        if args.get(name):
            chosen = tuple(v for v in args[name].split(",") if v)
            bad = [v for v in chosen if v not in values]
            if bad:
                raise BadParameter.of(name, "filter.value", value=bad[0], name=name, allowed=t("list.separator").join(values),
                                      allowed_en=t("list.separator", "en").join(values))
            where[name] = chosen
    q = (args.get("q") or "").strip() or None
    if q is not None and len(q) > 100:
        raise BadParameter.of("q", "filter.q_long", limit=100)
    bbox = _parse_bbox(args["bbox"]) if args.get("bbox") else None
    return LayerFilter(township=township, bbox=bbox, where=where, q=q)


def township_codes(uow: UnitOfWork) -> set[str]:
    return set(uow.session.scalars(select(Township.code)))


def _jsonable(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def like_pattern(text: str) -> str:
    """A LIKE pattern (escape character backslash) for ``text`` anywhere: % and _ are matched as themselves."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _conditions(uow: UnitOfWork, model, flt: LayerFilter) -> list:
    conditions = []
    if flt.feature_id is not None:
        conditions.append(model.id == flt.feature_id)
    if flt.township:
        conditions.append(model.township_code == flt.township)
    if flt.bbox:
        minlon, minlat, maxlon, maxlat = flt.bbox
        if uow.dialect == "postgresql":
            envelope = func.ST_MakeEnvelope(minlon, minlat, maxlon, maxlat, 4326)
            conditions.append(func.ST_Intersects(model.__table__.c.geom, envelope))
        else:
            conditions.append(and_(model.lon >= minlon, model.lon <= maxlon,
                                   model.lat >= minlat, model.lat <= maxlat))
    for name, values in flt.where.items():
        if model is Enterprise and name == "danger":
            conditions.append(danger_condition(values, local_today(uow.settings)))
        elif model is MonitoringStation and name == "status":  # 正常/离线 as the readings say (services/monitoring)
            conditions.append(status_condition(uow, values))
        else:
            conditions.append(getattr(model, name).in_(values))
    if flt.q:
        pattern = like_pattern(flt.q)
        layer = next(k for k, m in POINT_LAYERS.items() if m is model)
        columns = [model.name, *(getattr(model, c) for c in SEARCH_FIELDS.get(layer, ("address",)))]
        conditions.append(or_(*(c.ilike(pattern, escape="\\") for c in columns),
                              Township.name.like(pattern, escape="\\"), Township.name_en.ilike(pattern, escape="\\")))
    return conditions


def _depot_alerts(uow: UnitOfWork) -> dict[int, dict[str, int]]:
    """Per depot: stock lines below their minimum and lines already expired (today in the deployment's zone)."""
    today = local_today(uow.settings)
    below = func.sum(case((StockLine.quantity < StockLine.minimum_quantity, 1), else_=0))
    expired = func.sum(case((StockLine.expires_on < today, 1), else_=0))
    rows = uow.session.execute(select(StockLine.depot_id, below, expired).group_by(StockLine.depot_id)).all()
    return {depot_id: {"below_minimum": int(b or 0), "expired": int(e or 0)} for depot_id, b, e in rows}


def _add_computed(uow: UnitOfWork, layer: str, props: list[dict], rows) -> None:
    if layer == "shelters":
        for p, r in zip(props, rows):
            capacity = shelter_capacity(uow.settings, r["declared_capacity_people"], r["effective_area_m2"],
                                        r["shelter_type"])
            p["capacity_people"] = capacity
            p["available_places"] = available_places(capacity, r["occupancy_people"], r["blocked_places"], r["status"])
            p["occupancy_class"] = occupancy_class(r["status"], capacity, r["occupancy_people"], r["blocked_places"])
            p["occupancy_people"] = r["occupancy_people"]
    elif layer == "enterprises":
        flags = danger_flags(uow.session, local_today(uow.settings))
        for p, r in zip(props, rows):
            p["danger_flag"] = flags.get(r["id"], "")
    elif layer == "stations":
        statuses = derived_statuses(uow)
        for p, r in zip(props, rows):
            p["status"] = statuses.get(r["id"], p["status"])
    elif layer == "depots":
        alerts = _depot_alerts(uow)
        for p, r in zip(props, rows):
            p.update(alerts.get(r["id"], {"below_minimum": 0, "expired": 0}))


def point_layer(uow: UnitOfWork, layer: str, flt: LayerFilter = LayerFilter(), view: str = "full") -> LayerResult:
    """The points of one layer under ``flt`` (``.to_geojson()``: a GeoJSON FeatureCollection).

    ``view="full"``: every field of the record; ``view="map"``: id, name, township and what the map
    draws (risk level, warning level, capacity, …), a fraction of the bytes. Township staff see only their
    own township's points (asking for another township is refused); search and map exports read through here.
    """
    home = uow.principal.township_filter()
    if home is not None:
        if flt.township not in (None, home):
            uow.principal.require_township("map.read", flt.township)
        flt = dataclasses.replace(flt, township=home)
    model = POINT_LAYERS[layer]
    table = model.__table__
    if view == "map":  # only what the map draws, and what computed fields need
        wanted = {"id", "name", "lon", "lat", *MAP_FIELDS[layer], *_COMPUTED_INPUTS.get(layer, ())}
        columns = [c for c in table.columns if c.name in wanted]
    else:
        columns = [c for c in table.columns if c.name not in _SKIP_COLUMNS]
    stmt = select(*columns, Township.name.label("township_name")).join(
        Township, Township.code == model.township_code)
    conditions = _conditions(uow, model, flt)
    if conditions:
        stmt = stmt.where(and_(*conditions))
    rows = uow.session.execute(stmt.order_by(model.id)).mappings().all()
    if view == "map":
        keep = ("id", "name", "township_name", *MAP_FIELDS[layer])
        props = [{k: r[k] for k in keep} for r in rows]
    else:
        props = [{k: _jsonable(v) for k, v in r.items()} for r in rows]
    _add_computed(uow, layer, props, rows)
    return LayerResult(layer, view, tuple(LayerFeature(layer, r["id"], r["lon"], r["lat"], p | {"layer": layer})
                                          for p, r in zip(props, rows)))


def _feature(geometry, properties: dict, precision: int = 6) -> dict:
    geojson = shapely.to_geojson(shapely.set_precision(geometry, 10 ** -precision))
    return {"type": "Feature", "geometry": json.loads(geojson), "properties": properties}


def townships_geojson(uow: UnitOfWork) -> dict:
    """Townships with official codes; polygons carry ``approximate`` when derived."""
    rows = uow.session.scalars(select(Township).order_by(Township.code)).all()
    features = [_feature(t.geom, {
        "code": t.code, "name": t.name, "name_en": t.name_en, "kind": t.kind, "approximate": t.approximate,
        "population": t.population, "population_is_sample": t.population_is_sample,
        "seat": [t.seat_lon, t.seat_lat], "seat_approximate": t.seat_approximate,
        "seat_source": t.seat_source,
    }) for t in rows]
    return {"type": "FeatureCollection", "features": features}


@dataclass(frozen=True)
class TownshipOutline:
    """One township's outline (WGS-84 GeoJSON Feature) and its bounds (min lon, min lat, max lon, max lat)."""

    code: str
    name: str
    name_en: str
    bounds: tuple[float, float, float, float]
    feature: dict

    def to_json(self) -> dict:
        return dataclasses.asdict(self)


def township_outline(uow: UnitOfWork, code: str | None) -> TownshipOutline | None:
    """The outline of the township with ``code``, or None when there is no such township."""
    row = uow.session.get(Township, code) if code else None
    if row is None:
        return None
    geometry = row.geom
    bounds = tuple(round(float(v), 6) for v in geometry.bounds)
    return TownshipOutline(row.code, row.name, row.name_en, bounds,  # type: ignore[arg-type]
                           _feature(geometry, {"code": row.code, "name": row.name, "name_en": row.name_en}))


def boundary_geojson(uow: UnitOfWork) -> dict:
    """The district boundary and its neighbours (role ``district`` / ``neighbour``), WGS-84."""
    rows = uow.session.scalars(select(AdminArea).order_by(AdminArea.role, AdminArea.adcode)).all()
    features = [_feature(a.geom, {"adcode": a.adcode, "name": a.name, "name_en": a.name_en, "role": a.role,
                                  "source": a.source, "crs": "WGS84"}) for a in rows]
    return {"type": "FeatureCollection", "features": features}


def entity_counts(uow: UnitOfWork) -> dict[str, int]:
    """Rows per entity (for /healthz and the status bar)."""
    models = {"townships": Township, **POINT_LAYERS, "stock_lines": StockLine, "vehicles": Vehicle}
    return {name: uow.session.scalar(select(func.count()).select_from(m)) or 0 for name, m in models.items()}


def filtered_counts(uow: UnitOfWork, filters: Mapping[str, LayerFilter]) -> dict[str, int]:
    """Features per layer under each layer's filter (what the map shows)."""
    counts = {}
    for layer, flt in filters.items():
        model = POINT_LAYERS[layer]
        stmt = select(func.count()).select_from(model).join(Township, Township.code == model.township_code)
        conditions = _conditions(uow, model, flt)
        counts[layer] = uow.session.scalar(stmt.where(and_(*conditions)) if conditions else stmt) or 0
    return counts


def sample_in_use(uow: UnitOfWork) -> bool:
    """True while any record shown comes from the synthetic sample (the UI then says 示例数据)."""
    return any(uow.session.scalar(select(func.count()).select_from(m).where(m.is_sample.is_(True)))
               for m in POINT_LAYERS.values())


def threatened_people_total(uow: UnitOfWork, flt: LayerFilter = LayerFilter()) -> int:
    """People threatened by the hazard points under ``flt`` (受威胁人数合计)."""
    stmt = select(func.coalesce(func.sum(HazardPoint.threatened_people), 0)).join(
        Township, Township.code == HazardPoint.township_code)
    conditions = _conditions(uow, HazardPoint, flt)
    return int(uow.session.scalar(stmt.where(and_(*conditions)) if conditions else stmt))
