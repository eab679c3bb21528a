"""风险感知 → 预警叫应: what follows a batch of readings, in the same unit of work as the batch (issue 15).

The rule is evaluated for the hazard points the batch's stations watch, and its candidates become proposals for
the duty officer (services/monitoring/proposals.py); points of those stations that are no longer candidates have
their open proposals lapse. A batch of duplicates only (nothing new stored) changes nothing and evaluates
nothing. Called by the readings API, ``import-readings`` and a drill's replay.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select

from services.db.uow import UnitOfWork
from services.models import HazardStation, MonitoringStation
from services.monitoring.proposals import raise_proposals
from services.monitoring.readings import IngestResult
from services.monitoring.rules import evaluate


@dataclass(frozen=True)
class ChainResult:
    """How many hazard points were evaluated, and what happened to proposals: created, raised, refreshed, lapsed."""

    evaluated: int
    proposals: dict[str, int]

    def to_json(self) -> dict:
        return {"evaluated": self.evaluated, "proposals": dict(self.proposals)}


def watched_points(uow: UnitOfWork, station_codes) -> list[int]:
    """The hazard points the stations of ``station_codes`` watch (explicitly or as the nearest of their kind)."""
    if not station_codes:
        return []
    return sorted(uow.session.scalars(
        select(HazardStation.hazard_point_id).distinct()
        .join(MonitoringStation, MonitoringStation.id == HazardStation.station_id)
        .where(MonitoringStation.code.in_(list(station_codes)))))


def after_readings(uow: UnitOfWork, result: IngestResult, *, now: dt.datetime | None = None) -> ChainResult:
    """Evaluate and propose after ``result`` (a stored batch) at ``now`` (the clock's now by default)."""
    if result.stored == 0:
        return ChainResult(0, {})
    points = watched_points(uow, result.stations)
    if not points:
        return ChainResult(0, {})
    candidates = evaluate(uow, now=now, drill_id=result.drill_id, hazard_ids=points)
    changes = raise_proposals(uow, candidates, evaluated=points, drill_id=result.drill_id, now=now)
    counted = Counter(c.action for c in changes if c.action != "none")
    return ChainResult(len(points), dict(sorted(counted.items())))
