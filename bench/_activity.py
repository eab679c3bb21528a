"""A quarter of synthetic live records (示例数据) for the report benchmark: incidents, dispatch orders with their
arrivals, warnings with recipients and 叫应, escalations, evacuation moves and patrols, from a fixed seed.

Written straight through the ORM in one transaction (the services stamp the present time; a benchmark needs a
past quarter), onto a database that already holds the sample resources (hazard points, teams, shelters).
"""
from __future__ import annotations

import datetime as dt
import json

import numpy as np
import shapely
from sqlalchemy import select

from services import vocabulary
from services.db.uow import unit_of_work
from services.models import (
    AuditLog,
    DispatchOrder,
    EvacuationMove,
    HazardPatrol,
    HazardPoint,
    Incident,
    RescueTeam,
    Shelter,
    Township,
    Warning,
    WarningRecipient,
)

ACTOR = "bench"


def _incidents(session, rng, since, seconds, hazards, count: int) -> list[Incident]:
    kinds = vocabulary.INCIDENT_KINDS
    made = []
    for _ in range(count):
        hazard = hazards[rng.integers(len(hazards))]
        kind = kinds[rng.integers(len(kinds))]
        category = next(c for c, ks in vocabulary.INCIDENT_TYPES.items() if kind in ks)
        at = since + dt.timedelta(seconds=float(rng.uniform(0, seconds)))
        made.append(Incident(title=f"bench {kind}", category=category, kind=kind, level="Ⅳ",
                             status=vocabulary.INCIDENT_CLOSED, occurred_at=at, reported_at=at, reporter=ACTOR,
                             lon=hazard.lon, lat=hazard.lat, geom=shapely.Point(hazard.lon, hazard.lat),
                             township_code=hazard.township_code))
    session.add_all(made)
    session.flush()
    return made


def _orders(session, rng, incidents, teams) -> int:
    orders = 0
    for incident in incidents:
        for _ in range(int(rng.integers(0, 3))):
            team = teams[rng.integers(len(teams))]
            created = incident.occurred_at + dt.timedelta(minutes=float(rng.uniform(5, 30)))
            arrived = rng.random() < 0.9
            order = DispatchOrder(incident_id=incident.id, team_id=team, actor=ACTOR, created_at=created,
                                  updated_at=created,
                                  status=vocabulary.ORDER_DONE if arrived else vocabulary.ORDER_CANCELLED)
            session.add(order)
            session.flush()
            orders += 1
            if arrived:
                at = created + dt.timedelta(minutes=float(rng.lognormal(3.2, 0.5)))
                session.add(AuditLog(at=at, actor=ACTOR, action="update", entity="dispatch_order",
                                     entity_key=str(order.id), detail=json.dumps(
                                         {"from": vocabulary.ORDER_DEPARTED, "to": vocabulary.ORDER_ARRIVED},
                                         ensure_ascii=False)))
    return orders


def _warning(session, rng, level: str, hazard: str, area, issued: dt.datetime) -> int:
    warning = Warning(level=level, hazard_type=hazard, headline=f"bench {level}", area_description="bench",
                      area=area, issued_at=issued, valid_until=issued + dt.timedelta(hours=24), issued_by=ACTOR,
                      ack_timeout_min=15)
    session.add(warning)
    session.flush()
    for n in range(int(rng.integers(3, 12))):
        acked = None if rng.random() < 0.1 else issued + dt.timedelta(minutes=float(rng.lognormal(2.1, 0.8)))
        session.add(WarningRecipient(warning_id=warning.id, name=f"p{n}", role=vocabulary.RECIPIENT_RESPONSIBLE,
                                     acknowledged_at=acked))
    return 1


def _warnings(session, rng, since, seconds, count: int) -> int:
    towns = session.execute(select(Township.code, Township.geom)).all()
    levels, hazards = vocabulary.WARNING_COLOUR_LEVELS, ("滑坡", "洪涝", "森林火险", vocabulary.WARNING_DEFAULT_HAZARD)
    issued = 0
    for _ in range(count):
        _, area = towns[rng.integers(len(towns))]
        rank, hazard = int(rng.integers(0, 3)), hazards[rng.integers(len(hazards))]
        at = since + dt.timedelta(seconds=float(rng.uniform(0, seconds)))
        issued += _warning(session, rng, levels[rank], hazard, area, at)
        if rng.random() < 0.25:  # raised a few hours later over the same township
            issued += _warning(session, rng, levels[rank + 1], hazard, area, at + dt.timedelta(hours=3))
    return issued


def _field(session, rng, since, seconds, hazards, shelters, moves: int, patrols: int) -> None:
    for _ in range(moves):
        hazard = hazards[rng.integers(len(hazards))]
        shelter = shelters[rng.integers(len(shelters))] if rng.random() < 0.5 else None
        session.add(EvacuationMove(at=since + dt.timedelta(seconds=float(rng.uniform(0, seconds))), actor=ACTOR,
                                   hazard_id=hazard.id, shelter_id=shelter, people=int(rng.integers(1, 30))))
    for _ in range(patrols):
        hazard = hazards[rng.integers(len(hazards))]
        raised = vocabulary.WARNING_YELLOW if rng.random() < 0.1 else None
        session.add(HazardPatrol(hazard_id=hazard.id, at=since + dt.timedelta(seconds=float(rng.uniform(0, seconds))),
                                 actor=ACTOR, state=vocabulary.PATROL_CHANGED if raised else vocabulary.PATROL_NORMAL,
                                 level_before=vocabulary.WARNING_NONE, raised_to=raised))


def add_quarter(settings, since: dt.datetime, until: dt.datetime, *, scale: float = 1.0, seed: int = 11) -> dict:
    """Add a quarter's records between ``since`` and ``until``; ``scale`` multiplies every count."""
    rng = np.random.default_rng(seed)
    seconds = (until - since).total_seconds()
    counts = {name: round(n * scale) for name, n in
              (("incidents", 150), ("warnings", 60), ("moves", 300), ("patrols", 80))}
    with unit_of_work(settings, write=True, actor=ACTOR) as uow:
        session = uow.session
        hazards = session.scalars(select(HazardPoint).order_by(HazardPoint.id)).all()
        teams = session.scalars(select(RescueTeam.id).order_by(RescueTeam.id)).all()
        shelters = session.scalars(select(Shelter.id).order_by(Shelter.id)).all()
        incidents = _incidents(session, rng, since, seconds, hazards, counts["incidents"])
        counts["orders"] = _orders(session, rng, incidents, teams)
        counts["warnings"] = _warnings(session, rng, since, seconds, counts["warnings"])
        _field(session, rng, since, seconds, hazards, shelters, counts["moves"], counts["patrols"])
    return counts
