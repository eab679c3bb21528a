"""Which stations watch which hazard point (风险感知, issue 15): assigned by a person, or the nearest of each kind.

A hazard point is judged by the readings of the stations watching it. A person assigns a station explicitly
(``explicit``); for every station kind that matters to a metric and of which the point has no explicit station,
the nearest station of that kind within ``settings.monitoring.assign_radius_m`` watches it (``distance``, recomputed
by :func:`assign_by_distance`). Distances are metres in the district's Gauss-Krüger zone (EPSG:4545 for Qianjiang).

Which kinds matter for which metrics (``METRIC_STATION_KINDS``):

==================  =====================  ===========================================================
metric              station kinds          reading kind
==================  =====================  ===========================================================
rain_1h/3h/24h      雨量, 气象              rainfall (an automatic weather station has a rain gauge)
water_warning/      水文                    water_level
water_guarantee
displacement_rate   地质灾害                displacement
crack_width         地质灾害                crack_width
==================  =====================  ===========================================================

Rain gauges and hydrological stations speak for an area; a geological monitor (GNSS, crack meter) measures the
slope it stands on, so by distance it watches only a point whose influence zone holds it (within the point's
``influence_radius_m``, at least ``GEOLOGY_MIN_M``): a landslide's displacement says nothing of the next one's.
A hydrological station watches by distance only the points a water level threatens (``WATER_HAZARD_TYPES``: 洪涝,
易涝点, 病险水库); a landslide on a river bank is given its station by a person.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass

import numpy as np
from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite

from geo.distance import nearest_within, project_lonlat
from services import vocabulary
from services.analysis.frames import district_crs
from services.db import audit
from services.db.locks import transaction_lock
from services.db.uow import UnitOfWork
from services.errors import FieldError, NotFound
from services.models import HazardPoint, HazardStation, MonitoringStation

HYDROLOGY, RAIN_GAUGE, GEOLOGY, _QUAKE, WEATHER, _FIRE = vocabulary.STATION_KINDS
RAIN_METRICS = ("rain_1h", "rain_3h", "rain_24h")
WATER_METRICS = ("water_warning", "water_guarantee")
METRIC_STATION_KINDS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(RAIN_METRICS, (RAIN_GAUGE, WEATHER)),
    **dict.fromkeys(WATER_METRICS, (HYDROLOGY,)),
    "displacement_rate": (GEOLOGY,), "crack_width": (GEOLOGY,),
}
METRIC_READING_KIND: dict[str, str] = {
    **dict.fromkeys(RAIN_METRICS, vocabulary.READING_RAINFALL),
    **dict.fromkeys(WATER_METRICS, vocabulary.READING_WATER_LEVEL),
    "displacement_rate": vocabulary.READING_DISPLACEMENT, "crack_width": vocabulary.READING_CRACK_WIDTH,
}
WATCHING_KINDS: tuple[str, ...] = tuple(dict.fromkeys(k for kinds in METRIC_STATION_KINDS.values() for k in kinds))
GEOLOGY_MIN_M = 50.0  # a geological monitor this close watches a point whatever its radius says
LOCK = "monitoring.assignments"
PERMISSION = "monitoring.configure"


@dataclass(frozen=True)
class Assignment:
    """A station watching a hazard point, as the API shows it."""

    hazard_code: str
    station_code: str
    station_kind: str
    assigned: str
    distance_m: float

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Recomputed:
    """What :func:`assign_by_distance` did: the 'distance' rows before and after, and the rows by station kind."""

    removed: int
    added: int
    by_kind: dict[str, int]

    def to_json(self) -> dict:
        return asdict(self)


def hazard_by_code(uow: UnitOfWork, code: str, field: str = "hazard") -> HazardPoint:
    point = uow.session.scalar(select(HazardPoint).where(HazardPoint.code == code))
    if point is None:
        raise NotFound.of(field, "monitoring.hazard_not_found", owner=code)
    return point


def station_by_code(uow: UnitOfWork, code: str, field: str = "station") -> MonitoringStation:
    station = uow.session.scalar(select(MonitoringStation).where(MonitoringStation.code == code))
    if station is None:
        raise NotFound.of(field, "monitoring.station_not_found", owner=code)
    return station


def _insert(uow: UnitOfWork):
    return (postgresql.insert if uow.dialect == "postgresql" else sqlite.insert)(HazardStation)


def assign_station(uow: UnitOfWork, hazard_code: str, station_code: str) -> Assignment:
    """A person assigns ``station_code`` to watch ``hazard_code`` (explicit). It replaces the point's 'distance'
    station of that kind; assigning an already assigned pair again changes nothing but the record."""
    uow.principal.require(PERMISSION)
    transaction_lock(uow, LOCK)
    point, station = hazard_by_code(uow, hazard_code), station_by_code(uow, station_code)
    uow.principal.require_township(PERMISSION, point.township_code)
    if station.kind not in WATCHING_KINDS:
        raise FieldError.of("station", "monitoring.station_kind_unused", owner=station_code, kind=station.kind)
    xy = project_lonlat([point.lon, station.lon], [point.lat, station.lat], district_crs(uow))
    distance_m = float(np.hypot(*(xy[0] - xy[1])))
    statement = _insert(uow).values(hazard_point_id=point.id, station_id=station.id,
                                    assigned=vocabulary.STATION_EXPLICIT, distance_m=distance_m)
    uow.session.execute(statement.on_conflict_do_update(
        index_elements=["hazard_point_id", "station_id"],
        set_={"assigned": vocabulary.STATION_EXPLICIT, "distance_m": distance_m}))
    _recompute(uow, [point.id])  # the point's distance-assigned station of this kind gives way
    audit.record(uow.session, actor=uow.actor, action="station_assign", entity="hazard_point",
                 entity_key=point.code, detail={"station": station.code, "distance_m": round(distance_m, 1)})
    return Assignment(point.code, station.code, station.kind, vocabulary.STATION_EXPLICIT, distance_m)


def unassign_station(uow: UnitOfWork, hazard_code: str, station_code: str) -> int:
    """Remove an explicit assignment; the point falls back to the nearest station of that kind. Returns 1 or 0."""
    uow.principal.require(PERMISSION)
    transaction_lock(uow, LOCK)
    point, station = hazard_by_code(uow, hazard_code), station_by_code(uow, station_code)
    uow.principal.require_township(PERMISSION, point.township_code)
    gone = uow.session.execute(delete(HazardStation).where(
        HazardStation.hazard_point_id == point.id, HazardStation.station_id == station.id,
        HazardStation.assigned == vocabulary.STATION_EXPLICIT)).rowcount
    if gone:
        _recompute(uow, [point.id])
        audit.record(uow.session, actor=uow.actor, action="station_unassign", entity="hazard_point",
                     entity_key=point.code, detail={"station": station.code})
    return gone


def assign_by_distance(uow: UnitOfWork, hazard_ids: list[int] | None = None) -> Recomputed:
    """Recompute the 'distance' rows (all hazard points, or ``hazard_ids``) in this unit of work: for each point and
    each watching kind without an explicit station, the nearest station of that kind within the radius."""
    uow.principal.require(PERMISSION)
    transaction_lock(uow, LOCK)
    result = _recompute(uow, hazard_ids)
    audit.record(uow.session, actor=uow.actor, action="stations_reassign", entity="hazard_station",
                 entity_key=None if hazard_ids is None else f"{len(hazard_ids)}", detail=result.to_json())
    return result


def nearest_stations(point_xy: np.ndarray, station_xy: np.ndarray, station_kind: np.ndarray,
                     radius_m: float) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per watching kind: for each point, the index (into the station arrays) of the nearest station of that kind
    within ``radius_m`` (−1 if none) and its distance in metres."""
    out = {}
    for kind in WATCHING_KINDS:
        of_kind = np.flatnonzero(station_kind == kind)
        index, distance = nearest_within(point_xy, station_xy[of_kind], radius_m)
        out[kind] = (np.where(index >= 0, of_kind[np.maximum(index, 0)] if len(of_kind) else -1, -1), distance)
    return out


def _recompute(uow: UnitOfWork, hazard_ids: list[int] | None) -> Recomputed:
    session = uow.session
    points = select(HazardPoint.id, HazardPoint.lon, HazardPoint.lat, HazardPoint.influence_radius_m,
                    HazardPoint.hazard_type).order_by(HazardPoint.id)
    stale = delete(HazardStation).where(HazardStation.assigned == vocabulary.STATION_BY_DISTANCE)
    explicit = (select(HazardStation.hazard_point_id, MonitoringStation.kind)
                .join(MonitoringStation, MonitoringStation.id == HazardStation.station_id)
                .where(HazardStation.assigned == vocabulary.STATION_EXPLICIT))
    if hazard_ids is not None:
        points = points.where(HazardPoint.id.in_(hazard_ids))
        stale = stale.where(HazardStation.hazard_point_id.in_(hazard_ids))
        explicit = explicit.where(HazardStation.hazard_point_id.in_(hazard_ids))
    removed = session.execute(stale).rowcount
    point_rows = session.execute(points).all()
    station_rows = session.execute(select(MonitoringStation.id, MonitoringStation.kind, MonitoringStation.lon,
                                          MonitoringStation.lat)
                                   .where(MonitoringStation.kind.in_(WATCHING_KINDS))
                                   .order_by(MonitoringStation.id)).all()
    if not point_rows or not station_rows:
        return Recomputed(removed, 0, {})
    has_explicit = set(session.execute(explicit).all())
    crs = district_crs(uow)
    p_id, p_lon, p_lat, p_radius, p_type = (np.array(c) for c in zip(*point_rows))
    s_id, s_kind, s_lon, s_lat = (np.array(c) for c in zip(*station_rows))
    nearest = nearest_stations(project_lonlat(p_lon, p_lat, crs), project_lonlat(s_lon, s_lat, crs), s_kind,
                               uow.settings.monitoring.assign_radius_m)
    rows, by_kind = [], Counter()
    for kind, (index, distance) in nearest.items():
        explicit_here = np.array([h for h, k in has_explicit if k == kind], dtype=np.int64)
        near = (distance <= np.maximum(p_radius.astype(float), GEOLOGY_MIN_M)) if kind == GEOLOGY \
            else np.isin(p_type, vocabulary.WATER_HAZARD_TYPES) if kind == HYDROLOGY else True
        take = np.flatnonzero((index >= 0) & near & ~np.isin(p_id, explicit_here))
        rows += [{"hazard_point_id": h, "station_id": st, "assigned": vocabulary.STATION_BY_DISTANCE, "distance_m": d}
                 for h, st, d in zip(p_id[take].tolist(), s_id[index[take]].tolist(), distance[take].tolist())]
        by_kind[kind] += len(take)
    if rows:
        session.execute(_insert(uow).on_conflict_do_nothing(index_elements=["hazard_point_id", "station_id"]), rows)
    return Recomputed(removed, len(rows), {k: n for k, n in by_kind.items() if n})


def assignments_of(uow: UnitOfWork, hazard_code: str) -> list[Assignment]:
    """The stations watching one hazard point (township staff: of their township)."""
    point = hazard_by_code(uow, hazard_code)
    uow.principal.require_township("records.read", point.township_code)
    rows = uow.session.execute(select(MonitoringStation.code, MonitoringStation.kind, HazardStation.assigned,
                                      HazardStation.distance_m)
                               .join(MonitoringStation, MonitoringStation.id == HazardStation.station_id)
                               .where(HazardStation.hazard_point_id == point.id)
                               .order_by(MonitoringStation.kind, MonitoringStation.code)).all()
    return [Assignment(point.code, code, kind, assigned, distance) for code, kind, assigned, distance in rows]
