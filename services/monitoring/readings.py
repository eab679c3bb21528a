"""Ingesting station readings (风险感知, issue 15): a batch checked whole (services/monitoring/reading_checks.py),
then written in bulk, all or nothing, idempotent on drill, station, kind and time.

A reading equal to one stored (same key and value) is a duplicate, counted and not stored again, so a client may
retry a batch; the same key with another value is refused, naming the stored value. Two clients posting one batch at
once both succeed and store it once: rows go in with ``INSERT … ON CONFLICT DO NOTHING`` and the rows not inserted
are compared with what is stored (on PostgreSQL the second insert waits on the first's uncommitted rows, then sees
them committed; on SQLite the write lock serialises the two). Late readings (older than a station's newest) are
stored like any other; a station's ``last_reading_at`` only moves forward, by a conditional UPDATE, for live data.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from services.clock import now_utc
from services.db import audit
from services.db.uow import UnitOfWork
from services.errors import Conflict, FieldError
from services.monitoring.reading_checks import (
    BatchChecker,
    Checked,
    Station,
    Where,
    api_where,
    check_shape,
    named_codes,
    value_text,
)
from services.monitoring.reading_sql import insert_new, move_newest, stations_by_code, stored_values

STATIONS_IN_AUDIT = 50  # the audit row names at most this many station codes (and counts them all)


@dataclass(frozen=True)
class IngestResult:
    """What a batch did: readings stored, duplicates of stored ones (not stored again), the stations it named
    (codes, sorted) and its newest time (UTC)."""

    drill_id: int
    received: int
    stored: int
    duplicates: int
    stations: tuple[str, ...]
    newest: dt.datetime | None

    def to_json(self) -> dict:
        return {"drill_id": self.drill_id, "received": self.received, "stored": self.stored,
                "duplicates": self.duplicates, "stations": list(self.stations),
                "newest": self.newest.isoformat() if self.newest else None}


def ingest(uow: UnitOfWork, readings, drill_id: int = 0, *, where: Where = api_where) -> IngestResult:
    """Check and store a batch of readings (``[{"station", "at", "kind", "value", "unit"?}, …]``) in ``uow``.

    ``at`` is an ISO 8601 text with its zone (or an aware datetime); ``unit`` is optional and, when given, must be
    the kind's unit or one convertible to it. Any refusal raises FieldError (Conflict for a value that differs from
    the stored one) and the caller's transaction writes nothing. ``where`` names a reading in messages (a batch's
    index; the importer passes the sheet's row).
    """
    uow.principal.require("monitoring.ingest")
    if isinstance(drill_id, bool) or not isinstance(drill_id, int) or not 0 <= drill_id < 2**31:
        raise FieldError.of("drill_id", "readings.drill")
    check_shape(readings, uow.settings.monitoring.max_batch)
    now = now_utc()
    stations = _stations(uow, named_codes(readings))
    checker = BatchChecker(stations, now, where)
    unique, duplicates = _unique(checker, [checker.check(i, raw) for i, raw in enumerate(readings)], readings)
    stored = _insert(uow, checker, unique, drill_id, now, readings)
    duplicates += len(unique) - stored
    codes = _codes_of(stations, unique)
    newest = max(r.at for r in unique)
    if drill_id == 0:
        _move_last_reading(uow, unique)
    audit.record(uow.session, actor=uow.actor, action="ingest", entity="reading", entity_key=f"drill {drill_id}",
                 detail={"readings": len(readings), "stored": stored, "duplicates": duplicates,
                         "station_count": len(codes), "stations": list(codes[:STATIONS_IN_AUDIT]),
                         "newest": newest.isoformat()}, counted=stored > 0)
    return IngestResult(drill_id, len(readings), stored, duplicates, codes, newest)


def _stations(uow: UnitOfWork, codes: set[str]) -> dict[str, Station]:
    """The stations a batch names, by code, in one query."""
    return {code: Station(sid, kind) for code, sid, kind in stations_by_code(uow, codes)}


def _key(r: Checked) -> tuple:
    return r.station_id, r.kind, r.at


def _unique(checker: BatchChecker, checked: list[Checked], readings: Sequence) -> tuple[list[Checked], int]:
    """The batch without repeats: a reading given twice with one value counts once (a duplicate); with two values
    the batch is refused, naming both."""
    first: dict[tuple, Checked] = {}
    duplicates = 0
    for r in checked:
        seen = first.setdefault(_key(r), r)
        if seen is r:
            continue
        if seen.value != r.value:
            raw = readings[r.index]
            raise checker.refuse(r.index, "value", "readings.twice", station=raw["station"], at=str(raw["at"])[:40],
                                 first=checker.where(seen.index)[0], first_en=checker.where(seen.index)[1],
                                 first_value=value_text(seen.value), value=value_text(r.value))
        duplicates += 1
    return (list(first.values()) if duplicates else checked), duplicates


def _insert(uow: UnitOfWork, checker: BatchChecker, rows: list[Checked], drill_id: int, now: dt.datetime,
            readings: Sequence) -> int:
    """Insert ``rows``, skipping keys already stored; a skipped key whose stored value differs refuses the batch.
    Returns how many rows were inserted."""
    # In key order: two batches that overlap take the unique index's row locks in one order (no deadlock).
    ordered = sorted(rows, key=_key)
    fresh = insert_new(uow, drill_id, [(r.station_id, r.kind, r.at, r.value) for r in ordered], now)
    if len(fresh) == len(rows):
        return len(rows)
    skipped = [r for r in rows if _key(r) not in fresh]
    stored = stored_values(uow, drill_id, {_key(r) for r in skipped})
    for r in skipped:
        value = stored.get(_key(r))
        raw = readings[r.index]
        if value is None:  # removed meanwhile (its station deleted): the caller may retry
            raise Conflict.of("readings", "conflict")
        if value != r.value:
            error = checker.refuse(r.index, "value", "readings.stored_differs", station=raw["station"],
                                   at=str(raw["at"])[:40], stored=value_text(value), value=value_text(r.value),
                                   kind_name=_name(r.kind), kind_name_en=_name(r.kind, "en"))
            conflict = Conflict(error.field, error.reason, error.reason_en, code=error.code)
            conflict.params = error.params
            raise conflict
    return len(fresh)


def _name(kind: str, lang: str = "zh") -> str:
    from services.text import term
    return term(kind, lang) if lang == "zh" else term(kind, lang).lower()


def _codes_of(stations: dict[str, Station], rows: list[Checked]) -> tuple[str, ...]:
    ids = {r.station_id for r in rows}
    return tuple(sorted(code for code, s in stations.items() if s.id in ids))


def _move_last_reading(uow: UnitOfWork, rows: list[Checked]) -> None:
    """Each station's newest live reading time, moved forward only (a late reading leaves it as it is)."""
    newest: dict[int, dt.datetime] = {}
    for r in rows:
        if r.station_id not in newest or r.at > newest[r.station_id]:
            newest[r.station_id] = r.at
    move_newest(uow, newest)
