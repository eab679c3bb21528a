"""Which teams and depots to send: available teams by matching specialty then road time, nearest depots by road."""
from __future__ import annotations

from sqlalchemy import func, select

from services import vocabulary
from services.db.uow import UnitOfWork
from services.errors import NotFound
from services.models import Depot, DispatchOrder, Incident, RescueTeam, Vehicle
from services.roads.network import seconds_to
from services.text import t, term

SPECIALTY = vocabulary.TEAM_SPECIALTIES
GENERAL_TEAMS = vocabulary.GENERAL_TEAM_KINDS


SPECIALIST, GENERAL, OTHER = "specialist", "general", "other"
_TIER = {SPECIALIST: 0, GENERAL: 1, OTHER: 2}
NEARER_BY_S = 60  # a non-specialist this much nearer than a specialist ranked above it: the order is explained


def _fit(team_kind: str, wanted: tuple[str, ...]) -> str:
    if team_kind in wanted:
        return SPECIALIST
    return GENERAL if team_kind in GENERAL_TEAMS else OTHER


def recommend_teams(uow: UnitOfWork, incident_id: int, limit: int = 5) -> list[dict]:
    """Available teams (待命 standby, no active order) ranked: the specialty matching the incident's kind first
    (地质灾害救援 for a landslide), then general rescue teams, then the others; by road travel time within each.

    Each team says why it stands where it does (``reason_code`` and ``reason_params``, rendered from the
    catalogue): a specialist ranked above a nearer non-specialist says how much farther it is, and that nearer
    team says it can make the first response meanwhile.
    """
    session = uow.session
    incident = session.get(Incident, incident_id)
    if incident is None:
        raise NotFound.of("id", "incident.not_found", id=incident_id)
    busy = set(session.scalars(select(DispatchOrder.team_id).where(
        DispatchOrder.status.in_(vocabulary.ACTIVE_ORDER_STATUSES))))
    teams = [t for t in session.scalars(select(RescueTeam).where(RescueTeam.status == vocabulary.TEAM_STANDBY))
             if t.id not in busy]
    if not teams:
        return []
    times = seconds_to(uow, (incident.lon, incident.lat), [(t.lon, t.lat) for t in teams])
    wanted = SPECIALTY.get(incident.kind, ())
    rows = [{"team_id": t.id, "name": t.name, "kind": t.kind, "members": t.members,
             "specialty_match": t.kind in wanted, "fit": _fit(t.kind, wanted),
             "travel_s": None if not (s < float("inf")) else round(float(s))} for t, s in zip(teams, times)]
    far = float("inf")
    rows.sort(key=lambda r: (_TIER[r["fit"]], far if r["travel_s"] is None else r["travel_s"], r["team_id"]))
    reachable = [r for r in rows if r["travel_s"] is not None]
    nearest = min(reachable, key=lambda r: (r["travel_s"], r["team_id"])) if reachable else None
    above_nearest = nearest is not None and rows.index(nearest) > 0
    specialists_free = any(r["fit"] == SPECIALIST for r in rows)
    for r in rows:
        r["reason_code"], r["reason_params"] = _reason(r, nearest, above_nearest, incident.kind, bool(wanted))
        if r["reason_code"] == "team.reason.general_backup" and not specialists_free:
            r["reason_code"], r["reason_params"] = "team.reason.no_specialist", {
                "wanted": t("list.separator").join(wanted),
                "wanted_en": t("list.separator", "en").join(term(k, "en") for k in wanted)}
    return rows[:limit]


def _reason(r: dict, nearest: dict | None, above_nearest: bool, incident_kind: str,
            has_specialty: bool) -> tuple[str, dict]:
    """Why ``r`` stands where it does in the ranking."""
    if r["travel_s"] is None:
        return "team.reason.unreachable", {}
    minutes = f"{r['travel_s'] / 60:.0f}"
    if r["fit"] == SPECIALIST:
        if nearest is not None and nearest["fit"] != SPECIALIST and r["travel_s"] - nearest["travel_s"] >= NEARER_BY_S:
            return "team.reason.specialist_farther", {
                "kind": r["kind"], "incident_kind": incident_kind, "nearest": nearest["name"],
                "extra": f"{(r['travel_s'] - nearest['travel_s']) / 60:.0f}"}
        return "team.reason.specialist", {"kind": r["kind"], "incident_kind": incident_kind}
    if r is nearest and above_nearest:
        return "team.reason.first_response", {"minutes": minutes}
    if r["fit"] == GENERAL:
        return ("team.reason.general_backup" if has_specialty else "team.reason.general"), {}
    return "team.reason.other", {"kind": r["kind"]}


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
