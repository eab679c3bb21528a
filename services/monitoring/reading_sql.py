"""The bulk statements of the readings ingest, per back-end: station codes resolved, rows inserted skipping stored
keys, stations' newest times moved forward.

On PostgreSQL each is one statement over arrays (``unnest``, ``= ANY``): a multi-row VALUES list of 5,000 rows costs
psycopg more to parse than the server takes to run it. On SQLite the portable statements (executemany) are fast.
Rows are taken in key order, and stations locked in id order, so two batches that overlap never deadlock.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import bindparam, or_, select, text, update
from sqlalchemy.dialects import sqlite

from services.db.types import UTCDateTime
from services.db.uow import UnitOfWork
from services.models import MonitoringStation
from services.models.monitoring import Reading

_READING = Reading.__table__
_STATION = MonitoringStation.__table__
KEY = ("drill_id", "station_id", "kind", "at")
IN_CHUNK = 5000  # codes per IN list on SQLite (its limit on bound parameters is 32,766)

_PG_STATIONS = text("SELECT code, id, kind FROM monitoring_station WHERE code = ANY(CAST(:codes AS varchar[]))")
_PG_INSERT = text("""
    INSERT INTO reading (drill_id, station_id, kind, at, value, received_at)
    SELECT :drill_id, t.station_id, t.kind, t.at, t.value, :received_at
    FROM unnest(CAST(:station_ids AS integer[]), CAST(:kinds AS varchar[]), CAST(:ats AS timestamptz[]),
                CAST(:vals AS double precision[])) AS t(station_id, kind, at, value)
    ON CONFLICT (drill_id, station_id, kind, at) DO NOTHING
    RETURNING station_id, kind, at""")
_PG_STORED = text("""
    SELECT station_id, kind, at, value FROM reading
    WHERE drill_id = :drill_id AND station_id = ANY(CAST(:ids AS integer[])) AND at >= :start AND at <= :end""")
_PG_LOCK = text("SELECT id FROM monitoring_station WHERE id = ANY(CAST(:ids AS integer[])) ORDER BY id FOR UPDATE")
_PG_NEWEST = text("""
    UPDATE monitoring_station AS s SET last_reading_at = t.newest
    FROM unnest(CAST(:ids AS integer[]), CAST(:ats AS timestamptz[])) AS t(id, newest)
    WHERE s.id = t.id AND (s.last_reading_at IS NULL OR s.last_reading_at < t.newest)""")


def stations_by_code(uow: UnitOfWork, codes: Iterable[str]) -> list[tuple[str, int, str]]:
    """(code, id, kind) of the stations among ``codes``."""
    listed = sorted(codes)
    if uow.dialect == "postgresql":
        return [tuple(r) for r in uow.session.execute(_PG_STATIONS, {"codes": listed})]
    rows: list[tuple[str, int, str]] = []
    for start in range(0, len(listed), IN_CHUNK):
        rows += [tuple(r) for r in uow.session.execute(select(_STATION.c.code, _STATION.c.id, _STATION.c.kind)
                                                       .where(_STATION.c.code.in_(listed[start:start + IN_CHUNK])))]
    return rows


def insert_new(uow: UnitOfWork, drill_id: int, rows: list[tuple[int, str, dt.datetime, float]],
               received_at: dt.datetime) -> set[tuple[int, str, dt.datetime]]:
    """Insert ``rows`` ((station id, kind, at, value), in key order) but those whose key is stored; the keys
    inserted, as (station id, kind, at in UTC)."""
    if uow.dialect == "postgresql":
        inserted = uow.session.execute(_PG_INSERT, {
            "drill_id": drill_id, "received_at": received_at, "station_ids": [r[0] for r in rows],
            "kinds": [r[1] for r in rows], "ats": [r[2] for r in rows], "vals": [r[3] for r in rows]})
        return {(sid, kind, at.astimezone(dt.timezone.utc)) for sid, kind, at in inserted}
    stmt = (sqlite.insert(_READING).on_conflict_do_nothing(index_elements=list(KEY))
            .returning(_READING.c.station_id, _READING.c.kind, _READING.c.at))
    params = [{"drill_id": drill_id, "station_id": sid, "kind": kind, "at": at, "value": value,
               "received_at": received_at} for sid, kind, at, value in rows]
    return {tuple(k) for k in uow.session.execute(stmt, params)}


def stored_values(uow: UnitOfWork, drill_id: int, keys: set[tuple[int, str, dt.datetime]]) -> dict[tuple, float]:
    """The stored values of ``keys`` (station id, kind, at in UTC): read by station over the keys' time span (the
    unique index's order), matched in Python."""
    ids = sorted({k[0] for k in keys})
    start, end = min(k[2] for k in keys), max(k[2] for k in keys)
    if uow.dialect == "postgresql":
        rows = [(sid, kind, at.astimezone(dt.timezone.utc), value) for sid, kind, at, value in uow.session.execute(
            _PG_STORED, {"drill_id": drill_id, "ids": ids, "start": start, "end": end})]
    else:
        rows = []
        for first in range(0, len(ids), IN_CHUNK):
            rows += uow.session.execute(select(_READING.c.station_id, _READING.c.kind, _READING.c.at,
                                               _READING.c.value).where(
                _READING.c.drill_id == drill_id, _READING.c.station_id.in_(ids[first:first + IN_CHUNK]),
                _READING.c.at >= start, _READING.c.at <= end)).all()
    return {(sid, kind, at): value for sid, kind, at, value in rows if (sid, kind, at) in keys}


def move_newest(uow: UnitOfWork, newest: dict[int, dt.datetime]) -> None:
    """Each station's ``last_reading_at`` set to its time in ``newest`` where that is later (or it had none): a
    conditional UPDATE, so a concurrent batch's newer time is never overwritten by an older one."""
    ids = sorted(newest)
    if uow.dialect == "postgresql":
        uow.session.execute(_PG_LOCK, {"ids": ids})
        uow.session.execute(_PG_NEWEST, {"ids": ids, "ats": [newest[i] for i in ids]})
        return
    stmt = (update(_STATION)
            .where(_STATION.c.id == bindparam("sid"),
                   or_(_STATION.c.last_reading_at.is_(None),
                       _STATION.c.last_reading_at < bindparam("newest", type_=UTCDateTime())))
            .values(last_reading_at=bindparam("newest", type_=UTCDateTime()), updated_at=_STATION.c.updated_at))
    uow.session.execute(stmt, [{"sid": i, "newest": newest[i]} for i in ids])
