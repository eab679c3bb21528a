"""Which teams and depots to send: available teams by matching specialty then road time, nearest depots by road."""
from __future__ import annotations

from sqlalchemy import func, select

from services import vocabulary
from services.db.uow import UnitOfWork
from services.errors import NotFound
from services.models import Depot, DispatchOrder, Incident, RescueTeam, Vehicle
from services.roads.network import seconds_to

SPECIALTY = vocabulary.TEAM_SPECIALTIES
GENERAL_TEAMS = vocabulary.GENERAL_TEAM_KINDS


def recommend_teams(uow: UnitOfWork, incident_id: int, limit: int = 5) -> list[dict]:
    """Available teams (待命 standby, no active order) ranked: matching specialty first, then road travel time."""
    session = uow.session
    incident = session.get(Incident, incident_id)
    if incident is None:
        raise NotFound.of("id", "incident.not_found", id=incident_id)
    busy = set(session.scalars(select(DispatchOrder.team_id).where(
        DispatchOrder.status.in_(vocabulary.ACTIVE_ORDER_STATUSES))))
    teams = [t for t in session.scalars(select(RescueTeam).where(RescueTeam.status == vocabulary.TEAM_STANDBY))
             if t.id not in busy]
    kind = incident.kind
    target = (incident.lon, incident.lat)
    if not teams:
        return []
    times = seconds_to(uow, target, [(t.lon, t.lat) for t in teams])
    wanted = SPECIALTY.get(kind, ())
    ranked = sorted(zip(teams, times), key=lambda p: (p[0].kind not in wanted, p[0].kind not in GENERAL_TEAMS
                                                      and p[0].kind not in wanted, p[1]))
    return [{"team_id": t.id, "name": t.name, "kind": t.kind, "members": t.members,
             "specialty_match": t.kind in wanted, "travel_s": None if not (s < float("inf")) else round(float(s))}
            for t, s in ranked[:limit]]


def recommend_depots(uow: UnitOfWork, incident_id: int, limit: int = 3) -> list[dict]:
    """The depots nearest an incident by road, with how many of their vehicles are available."""
    session = uow.session
    incident = session.get(Incident, incident_id)
    if incident is None:
        raise NotFound.of("id", "incident.not_found", id=incident_id)
    depots = session.scalars(select(Depot)).all()
    free = dict(session.execute(select(Vehicle.depot_id, func.count())
                                .where(Vehicle.status == vocabulary.VEHICLE_AVAILABLE)
                                .group_by(Vehicle.depot_id)).all())
    target = (incident.lon, incident.lat)
    if not depots:
        return []
    times = seconds_to(uow, target, [(d.lon, d.lat) for d in depots])
    ranked = sorted(zip(depots, times), key=lambda p: p[1])[:limit]
    return [{"depot_id": d.id, "name": d.name, "vehicles_available": int(free.get(d.id, 0)),
             "travel_s": None if not (s < float("inf")) else round(float(s))} for d, s in ranked]
