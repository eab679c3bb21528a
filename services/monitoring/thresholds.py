"""Thresholds (临界值) of hazard points and stations (风险感知, issue 15): set, list, remove, and the effective ones.

A threshold belongs to a hazard point or to a station. A station's is inherited by the hazard points it watches
(services/monitoring/assignments.py), unless the point has its own for that metric: the point's own beats every
station's. Values are checked per metric (positive, below a plausible maximum) and, per owner, 保证水位 is never
below 警戒水位. Setting is an upsert on the partial unique indexes (one value per owner and metric); writers of
thresholds are serialised (a transaction lock) so the cross-metric check holds under concurrency.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from sqlalchemy import and_, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import aliased

from services import vocabulary
from services.clock import now_utc
from services.db import audit
from services.db.locks import transaction_lock
from services.db.uow import UnitOfWork
from services.errors import FieldError, NotFound
from services.models import HazardPoint, HazardStation, MonitoringStation, Threshold
from services.monitoring.assignments import METRIC_STATION_KINDS, PERMISSION, hazard_by_code, station_by_code

# The most a threshold of each metric can plausibly be (a larger value is a typing mistake): 1 h rainfall records are
# about 300 mm, 24 h about 1,800 mm; a water level is an elevation (m) or a gauge reading; displacement mm / 24 h.
METRIC_MAXIMA: dict[str, float] = {"rain_1h": 500.0, "rain_3h": 1000.0, "rain_24h": 2500.0, "water_warning": 9000.0,
                                   "water_guarantee": 9000.0, "displacement_rate": 10_000.0, "crack_width": 5000.0}
METRIC_UNITS: dict[str, str] = {"rain_1h": "mm", "rain_3h": "mm", "rain_24h": "mm", "water_warning": "m",
                                "water_guarantee": "m", "displacement_rate": "mm/24h", "crack_width": "mm"}
HAZARD, STATION = "hazard", "station"
LOCK = "monitoring.thresholds"
MAX_LIST = 5000


@dataclass(frozen=True)
class ThresholdInput:
    """One threshold to set: of a hazard point (``hazard``, its code) or of a station (``station``, its code)."""

    metric: str
    value: float
    hazard: str | None = None
    station: str | None = None


@dataclass(frozen=True)
class ThresholdRow:
    owner: str  # hazard | station
    code: str
    metric: str
    value: float
    unit: str
    updated_at: str
    updated_by: str

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class EffectiveThreshold:
    """What a hazard point is judged by for one metric: its own value, or a watching station's (``station``)."""

    metric: str
    value: float
    source: str  # hazard | station
    station: str | None

    def to_json(self) -> dict:
        return asdict(self)


def _check_items(items: list[ThresholdInput], field: str) -> None:
    seen: dict[tuple, int] = {}
    if not items:
        raise FieldError.of(field, "monitoring.thresholds_empty")
    for i, item in enumerate(items):
        at = f"{field}.{i}"
        if (item.hazard is None) == (item.station is None):
            raise FieldError.of(f"{at}.hazard", "monitoring.one_owner")
        if item.metric not in vocabulary.THRESHOLD_METRICS:
            raise FieldError.of(f"{at}.metric", "monitoring.metric_unknown", metric=item.metric,
                                allowed=", ".join(vocabulary.THRESHOLD_METRICS))
        high = METRIC_MAXIMA[item.metric]
        if not (isinstance(item.value, (int, float)) and math.isfinite(item.value) and 0 < item.value <= high):
            raise FieldError.of(f"{at}.value", "monitoring.threshold_range", metric=item.metric, value=item.value,
                                high=f"{high:g}", unit=METRIC_UNITS[item.metric])
        key = (item.hazard, item.station, item.metric)
        if key in seen:
            raise FieldError.of(f"{at}.metric", "monitoring.threshold_twice", metric=item.metric, first=seen[key])
        seen[key] = i


def _owners(uow: UnitOfWork, items: list[ThresholdInput], field: str) -> tuple[dict, dict]:
    """Codes → (id, kind or township) of the hazard points and stations named, refusing an unknown one."""
    hazard_codes = {i.hazard for i in items if i.hazard is not None}
    station_codes = {i.station for i in items if i.station is not None}
    hazards = {c: (i, t) for c, i, t in uow.session.execute(
        select(HazardPoint.code, HazardPoint.id, HazardPoint.township_code)
        .where(HazardPoint.code.in_(hazard_codes))).all()} if hazard_codes else {}
    stations = {c: (i, k) for c, i, k in uow.session.execute(
        select(MonitoringStation.code, MonitoringStation.id, MonitoringStation.kind)
        .where(MonitoringStation.code.in_(station_codes))).all()} if station_codes else {}
    for n, item in enumerate(items):
        if item.hazard is not None and item.hazard not in hazards:
            raise FieldError.of(f"{field}.{n}.hazard", "monitoring.hazard_not_found", owner=item.hazard)
        if item.station is not None:
            if item.station not in stations:
                raise FieldError.of(f"{field}.{n}.station", "monitoring.station_not_found", owner=item.station)
            kind = stations[item.station][1]
            if kind not in METRIC_STATION_KINDS[item.metric]:
                raise FieldError.of(f"{field}.{n}.metric", "monitoring.metric_not_of_station", metric=item.metric,
                                    owner=item.station, kind=kind)
    return hazards, stations


def _upsert(uow: UnitOfWork, column: str, owner_id: int, metric: str, value: float):
    insert = (postgresql.insert if uow.dialect == "postgresql" else sqlite.insert)(Threshold)
    now = now_utc()
    statement = insert.values(**{column: owner_id}, metric=metric, value=value, updated_at=now,
                              updated_by=uow.actor)
    owner = getattr(Threshold, column)
    uow.session.execute(statement.on_conflict_do_update(
        index_elements=[column, "metric"], index_where=owner.isnot(None),
        set_={"value": statement.excluded.value, "updated_at": now, "updated_by": uow.actor}))


def set_thresholds(uow: UnitOfWork, items: list[ThresholdInput], field: str = "thresholds") -> list[ThresholdRow]:
    """Set every threshold of ``items`` (new or replacing the owner's value of the metric), all or nothing: the
    first bad item is refused naming ``<field>.<n>.<name>``, and nothing is written."""
    uow.principal.require(PERMISSION)
    _check_items(items, field)
    transaction_lock(uow, LOCK)
    hazards, stations = _owners(uow, items, field)
    for item in items:
        column, owner_id, entity, code = (("hazard_point_id", hazards[item.hazard][0], "hazard_point", item.hazard)
                                          if item.hazard is not None else
                                          ("station_id", stations[item.station][0], "monitoring_station",
                                           item.station))
        before = uow.session.scalar(select(Threshold.value).where(getattr(Threshold, column) == owner_id,
                                                                  Threshold.metric == item.metric))
        _upsert(uow, column, owner_id, item.metric, float(item.value))
        audit.record(uow.session, actor=uow.actor, action="threshold_set", entity=entity, entity_key=code,
                     detail={"metric": item.metric, "from": before, "to": float(item.value)})
    _check_water_order(uow, items, hazards, stations, field)
    at = now_utc().isoformat()
    return [ThresholdRow(HAZARD if item.hazard is not None else STATION, item.hazard or item.station, item.metric,
                         float(item.value), METRIC_UNITS[item.metric], at, uow.actor) for item in items]


def _check_water_order(uow: UnitOfWork, items, hazards: dict, stations: dict, field: str) -> None:
    """Per owner, 保证水位 ≥ 警戒水位 when both exist, read back from the table (this unit's writes included)."""
    warning, guarantee = aliased(Threshold), aliased(Threshold)
    guarantees = {(i.hazard, i.station) for i in items if i.metric == "water_guarantee"}
    for n, item in enumerate(items):  # the fault is named at the guarantee's item when the request has one
        if item.metric != "water_guarantee" and (item.metric != "water_warning"
                                                 or (item.hazard, item.station) in guarantees):
            continue
        column = "hazard_point_id" if item.hazard is not None else "station_id"
        owner_id = hazards[item.hazard][0] if item.hazard is not None else stations[item.station][0]
        pair = uow.session.execute(
            select(warning.value, guarantee.value)
            .join(guarantee, and_(getattr(guarantee, column) == getattr(warning, column),
                                  guarantee.metric == "water_guarantee"))
            .where(getattr(warning, column) == owner_id, warning.metric == "water_warning")).first()
        if pair is not None and pair[1] < pair[0]:
            raise FieldError.of(f"{field}.{n}.value", "monitoring.guarantee_below_warning",
                                owner=item.hazard or item.station, warning=f"{pair[0]:g}", guarantee=f"{pair[1]:g}")


def remove_threshold(uow: UnitOfWork, metric: str, hazard: str | None = None, station: str | None = None) -> None:
    """Remove the threshold of ``metric`` of one hazard point or station (404 if it has none)."""
    uow.principal.require(PERMISSION)
    if (hazard is None) == (station is None):
        raise FieldError.of("hazard", "monitoring.one_owner")
    if metric not in vocabulary.THRESHOLD_METRICS:
        raise FieldError.of("metric", "monitoring.metric_unknown", metric=metric,
                            allowed=", ".join(vocabulary.THRESHOLD_METRICS))
    transaction_lock(uow, LOCK)
    if hazard is not None:
        owner, column, entity, code = hazard_by_code(uow, hazard), Threshold.hazard_point_id, "hazard_point", hazard
    else:
        owner, column, entity, code = station_by_code(uow, station), Threshold.station_id, "monitoring_station", station
    before = uow.session.execute(delete(Threshold).where(column == owner.id, Threshold.metric == metric)
                                 .returning(Threshold.value)).scalar()
    if before is None:
        raise NotFound.of("metric", "monitoring.threshold_not_found", owner=code, metric=metric)
    audit.record(uow.session, actor=uow.actor, action="threshold_remove", entity=entity, entity_key=code,
                 detail={"metric": metric, "from": before})


def _row(owner: str, code: str, t: Threshold) -> ThresholdRow:
    return ThresholdRow(owner, code, t.metric, t.value, METRIC_UNITS[t.metric], t.updated_at.isoformat(),
                        t.updated_by)


def list_thresholds(uow: UnitOfWork, hazard: str | None = None, station: str | None = None, *,
                    limit: int = MAX_LIST, offset: int = 0) -> list[ThresholdRow]:
    """The thresholds of one hazard point, of one station, or (neither) all of them, hazard points' first; township
    staff read those of their township only."""
    uow.principal.require("records.read")
    home = uow.principal.township_filter()
    rows: list[ThresholdRow] = []
    if station is None:
        query = (select(HazardPoint.code, Threshold).join(HazardPoint, HazardPoint.id == Threshold.hazard_point_id)
                 .order_by(HazardPoint.code, Threshold.metric))
        if hazard is not None:
            point = hazard_by_code(uow, hazard)
            uow.principal.require_township("records.read", point.township_code)
            query = query.where(Threshold.hazard_point_id == point.id)
        elif home is not None:
            query = query.where(HazardPoint.township_code == home)
        rows += [_row(HAZARD, code, t) for code, t in uow.session.execute(query.limit(limit + offset)).all()]
    if hazard is None:
        query = (select(MonitoringStation.code, Threshold)
                 .join(MonitoringStation, MonitoringStation.id == Threshold.station_id)
                 .order_by(MonitoringStation.code, Threshold.metric))
        if station is not None:
            owner = station_by_code(uow, station)
            uow.principal.require_township("records.read", owner.township_code)
            query = query.where(Threshold.station_id == owner.id)
        elif home is not None:
            query = query.where(MonitoringStation.township_code == home)
        rows += [_row(STATION, code, t) for code, t in uow.session.execute(query.limit(limit + offset)).all()]
    return rows[offset:offset + limit]


def count_thresholds(uow: UnitOfWork) -> int:
    return int(uow.session.scalar(select(func.count()).select_from(Threshold)) or 0)


def effective_thresholds(uow: UnitOfWork, hazard: str) -> list[EffectiveThreshold]:
    """What one hazard point is judged by: per metric its own threshold, else those of the watching stations (of a
    kind that reads the metric), one per station."""
    point = hazard_by_code(uow, hazard)
    uow.principal.require_township("records.read", point.township_code)
    own = dict(uow.session.execute(select(Threshold.metric, Threshold.value)
                                   .where(Threshold.hazard_point_id == point.id)).all())
    out = [EffectiveThreshold(m, v, HAZARD, None) for m, v in sorted(own.items())]
    inherited = uow.session.execute(
        select(Threshold.metric, Threshold.value, MonitoringStation.code, MonitoringStation.kind)
        .join(HazardStation, HazardStation.station_id == Threshold.station_id)
        .join(MonitoringStation, MonitoringStation.id == Threshold.station_id)
        .where(HazardStation.hazard_point_id == point.id)
        .order_by(Threshold.metric, MonitoringStation.code)).all()
    out += [EffectiveThreshold(m, v, STATION, code) for m, v, code, kind in inherited
            if m not in own and kind in METRIC_STATION_KINDS[m]]
    return out
