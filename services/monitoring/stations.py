"""Monitoring stations as the readings show them: 正常 or 离线 derived from the newest reading, the newest reading
of each kind, and one station's series of a kind (for charts).

A station silent for longer than ``interval_min`` × ``settings.monitoring.offline_intervals`` is 离线; one that never
reported keeps the status recorded for it (a station imported as 离线 stays so until it reports).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import and_, func, select

from services import vocabulary
from services.clock import now_utc
from services.db.uow import UnitOfWork
from services.errors import FieldError, NotFound
from services.models import MonitoringStation, Township
from services.models.monitoring import Reading

MAX_SPAN = dt.timedelta(days=400)
DEFAULT_SPAN = dt.timedelta(hours=24)
MAX_POINTS = 50_000


def station_status(recorded: str, last_reading_at: dt.datetime | None, interval_min: int, now: dt.datetime,
                   offline_intervals: int) -> str:
    """正常 or 离线 at ``now``: silent for longer than ``interval_min × offline_intervals`` minutes is 离线; a
    station without any reading keeps ``recorded``."""
    if last_reading_at is None:
        return recorded
    silent = now - last_reading_at
    limit = dt.timedelta(minutes=interval_min * offline_intervals)
    return vocabulary.STATION_OFFLINE if silent > limit else vocabulary.STATION_NORMAL


def derived_statuses(uow: UnitOfWork, now: dt.datetime | None = None) -> dict[int, str]:
    """Every station's status at ``now`` (default: the clock), by id: one query of a few hundred rows."""
    now = now or now_utc()
    n = uow.settings.monitoring.offline_intervals
    rows = uow.session.execute(select(MonitoringStation.id, MonitoringStation.status, MonitoringStation.last_reading_at,
                                      MonitoringStation.interval_min))
    return {sid: station_status(status, last, interval, now, n) for sid, status, last, interval in rows}


@dataclass(frozen=True)
class LatestReading:
    kind: str
    unit: str
    at: dt.datetime
    value: float

    def to_json(self) -> dict:
        return {"kind": self.kind, "unit": self.unit, "at": self.at.isoformat(), "value": self.value}


@dataclass(frozen=True)
class StationState:
    """A station with its derived status (``status``), the one recorded for it, and its newest reading per kind."""

    id: int
    code: str
    name: str
    kind: str
    township_code: str
    township_name: str
    interval_min: int
    status: str
    recorded_status: str
    last_reading_at: dt.datetime | None
    measures: tuple[str, ...]
    latest: tuple[LatestReading, ...] = field(default_factory=tuple)

    def to_json(self) -> dict:
        return {"id": self.id, "code": self.code, "name": self.name, "kind": self.kind,
                "township_code": self.township_code, "township_name": self.township_name,
                "interval_min": self.interval_min, "status": self.status, "recorded_status": self.recorded_status,
                "last_reading_at": self.last_reading_at.isoformat() if self.last_reading_at else None,
                "measures": list(self.measures), "latest": [r.to_json() for r in self.latest]}


def _latest_by_kind(uow: UnitOfWork, station_ids: list[int], drill_id: int) -> dict[int, list[LatestReading]]:
    """The newest reading of each kind of each station: per kind, one query whose correlated max(at) is a seek on
    the unique index (drill, station, kind, at), never a scan of the readings."""
    out: dict[int, list[LatestReading]] = {sid: [] for sid in station_ids}
    if not station_ids:
        return out
    inner = Reading.__table__.alias("newest")
    for kind in vocabulary.READING_KINDS:
        kinds_measuring = [k for k, measured in vocabulary.STATION_READING_KINDS.items() if kind in measured]
        newest = (select(func.max(inner.c.at)).where(inner.c.drill_id == drill_id,
                                                     inner.c.station_id == MonitoringStation.id,
                                                     inner.c.kind == kind).scalar_subquery())
        stmt = (select(Reading.station_id, Reading.at, Reading.value)
                .join(MonitoringStation, and_(Reading.station_id == MonitoringStation.id, Reading.drill_id == drill_id,
                                              Reading.kind == kind, Reading.at == newest))
                .where(MonitoringStation.kind.in_(kinds_measuring), MonitoringStation.id.in_(station_ids)))
        for sid, at, value in uow.session.execute(stmt):
            out[sid].append(LatestReading(kind, vocabulary.READING_UNITS[kind], at, value))
    return out


def list_stations(uow: UnitOfWork, now: dt.datetime | None = None, *, township: str | None = None,
                  drill_id: int = 0) -> list[StationState]:
    """Stations in code order with their status at ``now`` and newest reading per kind; township staff see their
    township's only."""
    uow.principal.require("monitoring.read")
    home = uow.principal.township_filter()
    if home is not None:
        if township not in (None, home):
            uow.principal.require_township("monitoring.read", township)
        township = home
    now = now or now_utc()
    n = uow.settings.monitoring.offline_intervals
    stmt = (select(MonitoringStation, Township.name).join(Township, Township.code == MonitoringStation.township_code)
            .order_by(MonitoringStation.code))
    if township is not None:
        stmt = stmt.where(MonitoringStation.township_code == township)
    rows = uow.session.execute(stmt).all()
    latest = _latest_by_kind(uow, [s.id for s, _ in rows], drill_id)
    return [StationState(s.id, s.code, s.name, s.kind, s.township_code, tname, s.interval_min,
                         station_status(s.status, s.last_reading_at, s.interval_min, now, n), s.status,
                         s.last_reading_at, vocabulary.STATION_READING_KINDS[s.kind], tuple(latest[s.id]))
            for s, tname in rows]


@dataclass(frozen=True)
class Series:
    """One station's readings of one kind between ``start`` (inclusive) and ``end`` (exclusive), oldest first;
    ``truncated`` when more than MAX_POINTS were there (the oldest MAX_POINTS are given)."""

    station: str
    kind: str
    unit: str
    start: dt.datetime
    end: dt.datetime
    points: tuple[tuple[dt.datetime, float], ...]
    truncated: bool = False

    def to_json(self) -> dict:
        return {"station": self.station, "kind": self.kind, "unit": self.unit, "from": self.start.isoformat(),
                "to": self.end.isoformat(), "truncated": self.truncated,
                "readings": [{"at": at.isoformat(), "value": value} for at, value in self.points]}


def station_readings(uow: UnitOfWork, code: str, kind: str, start: dt.datetime | None = None,
                     end: dt.datetime | None = None, *, drill_id: int = 0) -> Series:
    """The readings of station ``code`` of ``kind`` in [start, end) (default: the 24 hours before now), UTC."""
    uow.principal.require("monitoring.read")
    station = uow.session.scalar(select(MonitoringStation).where(MonitoringStation.code == code))
    if station is None:
        raise NotFound.of("code", "readings.station_not_found", station=code)
    uow.principal.require_township("monitoring.read", station.township_code)
    if kind not in vocabulary.READING_UNITS:
        raise FieldError.of("kind", "readings.kind_required", kinds=", ".join(vocabulary.READING_KINDS))
    end = end or now_utc()
    start = start or end - DEFAULT_SPAN
    if not start < end or end - start > MAX_SPAN:
        raise FieldError.of("from", "readings.span", days=MAX_SPAN.days)
    stmt = (select(Reading.at, Reading.value)
            .where(Reading.drill_id == drill_id, Reading.station_id == station.id, Reading.kind == kind,
                   Reading.at >= start, Reading.at < end)
            .order_by(Reading.at).limit(MAX_POINTS + 1))
    points = [(at, value) for at, value in uow.session.execute(stmt)]
    return Series(code, kind, vocabulary.READING_UNITS[kind], start, end, tuple(points[:MAX_POINTS]),
                  len(points) > MAX_POINTS)


def status_condition(uow: UnitOfWork, statuses: tuple[str, ...], now: dt.datetime | None = None):
    """A WHERE clause of the stations whose derived status at ``now`` is one of ``statuses`` (the map's filter)."""
    ids = [sid for sid, status in derived_statuses(uow, now).items() if status in statuses]
    return MonitoringStation.id.in_(ids)
