"""Incidents (突发事件) and dispatch (派遣): reports, their lifecycle and timeline, and teams sent to them.

Every change is written with an IncidentEvent (the timeline and the live change feed) and an audit row,
in one transaction. A team can hold one active order at a time; the database enforces it (a partial
unique index), so of two dispatchers racing for one team exactly one succeeds and the other is told why.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from shapely.geometry import Point
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from config import Settings
from services import vocabulary
from services.db import audit, read_session, transaction
from services.errors import FieldError
from services.models import (
    AdminArea,
    DispatchOrder,
    Incident,
    IncidentEvent,
    RescueTeam,
    Township,
)


class IncidentError(FieldError):
    """A report or a change that cannot be applied."""


@dataclass(frozen=True)
class IncidentReport:
    title: str
    kind: str
    level: str
    lon: float
    lat: float
    occurred_at: dt.datetime
    reporter: str
    dead: int = 0
    injured: int = 0
    missing: int = 0
    people_affected: int = 0
    description: str = ""


def _category(kind: str) -> str:
    for category, kinds in vocabulary.INCIDENT_TYPES.items():
        if kind in kinds:
            return category
    raise IncidentError("kind", f"“{kind}”不是可选的事件类型", f"'{kind}' is not an incident kind")


def _iso(at: dt.datetime) -> str:
    """UTC ISO time; SQLite hands back naive datetimes, which are UTC as stored."""
    return (at if at.tzinfo else at.replace(tzinfo=dt.timezone.utc)).astimezone(dt.timezone.utc).isoformat()


def _event(session, incident_id: int, actor: str, kind: str, text: str) -> None:
    session.add(IncidentEvent(incident_id=incident_id, actor=actor, kind=kind, text=text))


def report_incident(settings: Settings, report: IncidentReport) -> int:
    """Record a new incident (status 接报); returns its id."""
    if not report.title.strip():
        raise IncidentError("title", "请填写事件名称", "a title is required")
    if report.level not in vocabulary.INCIDENT_LEVELS:
        raise IncidentError("level", f"等级应为 {'、'.join(vocabulary.INCIDENT_LEVELS)}", "level must be Ⅰ to Ⅳ")
    for name in ("dead", "injured", "missing", "people_affected"):
        if getattr(report, name) < 0:
            raise IncidentError(name, "人数不能为负", "counts must not be negative")
    category = _category(report.kind)
    point = Point(report.lon, report.lat)
    with transaction(settings.database_url) as session:
        district = session.get(AdminArea, settings.region.adcode).geom
        if not district.contains(point):
            raise IncidentError("lon", f"位置不在{settings.region.name_zh}范围内", "the place lies outside the district")
        township = next((t.code for t in session.scalars(select(Township)) if t.geom.contains(point)), None)
        incident = Incident(title=report.title.strip()[:200], category=category, kind=report.kind, level=report.level,
                            status="接报", occurred_at=report.occurred_at.astimezone(dt.timezone.utc),
                            reporter=report.reporter[:80], lon=report.lon, lat=report.lat, geom=point, township_code=township, dead=report.dead,
                            injured=report.injured, missing=report.missing, people_affected=report.people_affected,
                            description=report.description or None)
        session.add(incident)
        session.flush()
        _event(session, incident.id, report.reporter, "report", f"接报：{incident.title}（{report.kind}，{report.level}级）")
        audit.record(session, actor=report.reporter, action="create", entity="incident", entity_key=str(incident.id))
        return incident.id


def _move(session, model, key: int, status: str, transitions: dict[str, tuple[str, ...]], what: str):
    """Load a row and move it to ``status`` if its lifecycle allows; returns (row, previous status)."""
    row = session.get(model, key)
    if row is None:
        raise IncidentError("id", f"没有编号为 {key} 的{what}", f"no {model.__tablename__} {key}")
    if status not in transitions[row.status]:
        raise IncidentError("status", f"不能从“{row.status}”转为“{status}”", f"cannot go from {row.status} to {status}")
    before, row.status = row.status, status
    return row, before


def change_status(settings: Settings, incident_id: int, status: str, *, actor: str, note: str = "") -> None:
    with transaction(settings.database_url) as session:
        incident, before = _move(session, Incident, incident_id, status, vocabulary.INCIDENT_TRANSITIONS, "事件")
        _event(session, incident.id, actor, "status", f"{before} → {status}" + (f"：{note}" if note else ""))
        audit.record(session, actor=actor, action="update", entity="incident", entity_key=str(incident_id),
                     detail={"from": before, "to": status})


def assign_team(settings: Settings, incident_id: int, team_id: int, *, actor: str, eta_s: float | None = None) -> int:
    """Send a team to an incident; raises IncidentError if the team already has an active order."""
    try:
        with transaction(settings.database_url) as session:
            incident, team = session.get(Incident, incident_id), session.get(RescueTeam, team_id)
            if incident is None or team is None:
                raise IncidentError("id", "事件或队伍不存在", "no such incident or team")
            if incident.status == "已结束":
                raise IncidentError("incident_id", "事件已结束，不能再派遣", "the incident is closed")
            order = DispatchOrder(incident_id=incident_id, team_id=team_id, status="已派", actor=actor, eta_s=eta_s)
            session.add(order)
            session.flush()  # the partial unique index decides here, in the database
            team.status = "出动"
            _event(session, incident_id, actor, "order", f"派遣 {team.name}")
            audit.record(session, actor=actor, action="dispatch", entity="rescue_team", entity_key=team.code,
                         detail={"incident": incident_id, "order": order.id})
            return order.id
    except IntegrityError:
        raise IncidentError("team_id", "该队伍已有进行中的任务，不能重复派遣",
                            "the team already has an active order") from None


def advance_order(settings: Settings, order_id: int, status: str, *, actor: str) -> None:
    """出发 / 到达 / 完成 / 取消; the team is back on standby when its order ends."""
    with transaction(settings.database_url) as session:
        order, before = _move(session, DispatchOrder, order_id, status, vocabulary.ORDER_TRANSITIONS, "指令")
        team = session.get(RescueTeam, order.team_id)
        if status in ("完成", "取消"):
            team.status = "待命"
        _event(session, order.incident_id, actor, "order", f"{team.name}：{before} → {status}")
        audit.record(session, actor=actor, action="update", entity="dispatch_order", entity_key=str(order_id),
                     detail={"from": before, "to": status})


def events_since(settings: Settings, since_id: int = 0, limit: int = 200) -> list[dict]:
    """The change feed: timeline events after ``since_id``, oldest first (a live view polls this)."""
    with read_session(settings.database_url) as session:
        rows = session.scalars(select(IncidentEvent).where(IncidentEvent.id > since_id)
                               .order_by(IncidentEvent.id).limit(limit)).all()
        return [{"id": e.id, "incident_id": e.incident_id, "at": _iso(e.at), "actor": e.actor, "kind": e.kind,
                 "text": e.text} for e in rows]


def incident_detail(settings: Settings, incident_id: int) -> dict | None:
    with read_session(settings.database_url) as session:
        i = session.get(Incident, incident_id)
        if i is None:
            return None
        orders = session.execute(select(DispatchOrder, RescueTeam.name).join(RescueTeam)
                                 .where(DispatchOrder.incident_id == incident_id).order_by(DispatchOrder.id)).all()
        timeline = session.scalars(select(IncidentEvent).where(IncidentEvent.incident_id == incident_id)
                                   .order_by(IncidentEvent.id)).all()
        return {"id": i.id, "title": i.title, "category": i.category, "kind": i.kind, "level": i.level,
                "status": i.status, "occurred_at": _iso(i.occurred_at), "reporter": i.reporter,
                "lon": i.lon, "lat": i.lat, "township_code": i.township_code, "dead": i.dead, "injured": i.injured,
                "missing": i.missing, "people_affected": i.people_affected, "description": i.description,
                "orders": [{"id": o.id, "team": name, "team_id": o.team_id, "status": o.status, "eta_s": o.eta_s}
                           for o, name in orders],
                "timeline": [{"at": _iso(e.at), "actor": e.actor, "kind": e.kind, "text": e.text}
                             for e in timeline]}


def list_incidents(settings: Settings, active_only: bool = False) -> list[dict]:
    with read_session(settings.database_url) as session:
        stmt = select(Incident).order_by(Incident.id.desc())
        if active_only:
            stmt = stmt.where(Incident.status != "已结束")
        return [{"id": i.id, "title": i.title, "kind": i.kind, "level": i.level, "status": i.status,
                 "township_code": i.township_code, "occurred_at": _iso(i.occurred_at), "lon": i.lon, "lat": i.lat}
                for i in session.scalars(stmt.limit(500))]


# Which team kinds suit which incident kinds (others fall back to the general ones).
SPECIALTY: dict[str, tuple[str, ...]] = {
    "滑坡": ("地质灾害救援",), "崩塌": ("地质灾害救援",), "泥石流": ("地质灾害救援",), "地面塌陷": ("地质灾害救援",),
    "洪涝": ("水域救援",), "森林火灾": ("森林消防",), "危化品事故": ("危化救援",), "矿山事故": ("矿山救援",),
    "火灾": ("综合性消防救援",), "燃气事故": ("综合性消防救援", "危化救援"), "道路交通事故": ("综合性消防救援", "医疗救护"),
}
GENERAL_TEAMS = ("综合性消防救援", "乡镇综合救援", "民兵应急", "社会救援")


def recommend_teams(settings: Settings, incident_id: int, limit: int = 5) -> list[dict]:
    """Available teams (待命, no active order) ranked: matching specialty first, then road travel time."""
    from services.roads.network import seconds_to
    with read_session(settings.database_url) as session:
        incident = session.get(Incident, incident_id)
        if incident is None:
            raise IncidentError("id", f"没有编号为 {incident_id} 的事件", f"no incident {incident_id}")
        busy = set(session.scalars(select(DispatchOrder.team_id).where(
            DispatchOrder.status.in_(vocabulary.ACTIVE_ORDER_STATUSES))))
        teams = [t for t in session.scalars(select(RescueTeam).where(RescueTeam.status == "待命"))
                 if t.id not in busy]
        kind = incident.kind
        target = (incident.lon, incident.lat)
    if not teams:
        return []
    times = seconds_to(settings, target, [(t.lon, t.lat) for t in teams])
    wanted = SPECIALTY.get(kind, ())
    ranked = sorted(zip(teams, times), key=lambda p: (p[0].kind not in wanted, p[0].kind not in GENERAL_TEAMS
                                                      and p[0].kind not in wanted, p[1]))
    return [{"team_id": t.id, "name": t.name, "kind": t.kind, "members": t.members,
             "specialty_match": t.kind in wanted, "travel_s": None if not (s < float("inf")) else round(float(s))}
            for t, s in ranked[:limit]]


def active_orders(settings: Settings) -> list[dict]:
    """Orders not yet finished, newest first, with their team and incident."""
    with read_session(settings.database_url) as session:
        rows = session.execute(select(DispatchOrder, RescueTeam.name, Incident.title)
                               .join(RescueTeam, RescueTeam.id == DispatchOrder.team_id)
                               .join(Incident, Incident.id == DispatchOrder.incident_id)
                               .where(DispatchOrder.status.in_(vocabulary.ACTIVE_ORDER_STATUSES))
                               .order_by(DispatchOrder.id.desc())).all()
        return [{"id": o.id, "status": o.status, "team": team, "incident": title, "eta_s": o.eta_s,
                 "next": list(vocabulary.ORDER_TRANSITIONS[o.status])} for o, team, title in rows]


def recommend_depots(settings: Settings, incident_id: int, limit: int = 3) -> list[dict]:
    """The depots nearest an incident by road, with how many of their vehicles are available."""
    from sqlalchemy import func

    from services.models import Depot, Vehicle
    from services.roads.network import seconds_to
    with read_session(settings.database_url) as session:
        incident = session.get(Incident, incident_id)
        if incident is None:
            raise IncidentError("id", f"没有编号为 {incident_id} 的事件", f"no incident {incident_id}")
        depots = session.scalars(select(Depot)).all()
        free = dict(session.execute(select(Vehicle.depot_id, func.count()).where(Vehicle.status == "可用")
                                    .group_by(Vehicle.depot_id)).all())
        target = (incident.lon, incident.lat)
    if not depots:
        return []
    times = seconds_to(settings, target, [(d.lon, d.lat) for d in depots])
    ranked = sorted(zip(depots, times), key=lambda p: p[1])[:limit]
    return [{"depot_id": d.id, "name": d.name, "vehicles_available": int(free.get(d.id, 0)),
             "travel_s": None if not (s < float("inf")) else round(float(s))} for d, s in ranked]
