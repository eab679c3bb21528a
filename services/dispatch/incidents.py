"""Incidents (突发事件): reports, their lifecycle 接报 → 核实 → 处置中 → 已结束, the timeline and the change feed.

Every change is written with an IncidentEvent (the timeline, and the live feed in commit order) and an audit
row, in the caller's unit of work. An event is a catalogue code with its parameters (services/text/dispatch.py),
rendered in the reader's language when read. A status changes by a conditional UPDATE on the status read, so two users
moving one incident at once cannot both succeed: the second is told it changed meanwhile.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from shapely.geometry import Point
from sqlalchemy import or_, select, update

from services import vocabulary
from services.clock import as_utc
from services.db import audit
from services.db.uow import UnitOfWork
from services.errors import Conflict, FieldError, NotFound
from services.models import (
    AdminArea,
    DispatchOrder,
    HazardPatrol,
    HazardPoint,
    Incident,
    IncidentEvent,
    RescueTeam,
    Township,
)
from services.text import t

MAX_COUNT = 1_000_000  # dead, injured, missing, affected: more than the district's population


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
    raise IncidentError.of("kind", "incident.kind_unknown", kind=kind)


def _iso(at: dt.datetime) -> str:
    return as_utc(at).isoformat()


def add_event(uow: UnitOfWork, incident_id: int, kind: str, code: str, params: dict) -> None:
    """One line on an incident's timeline: a catalogue code (``event.*``) and its parameters, stored as they are
    and rendered when read; it joins the feed with the transaction's change number."""
    event = IncidentEvent(incident_id=incident_id, actor=uow.actor, kind=kind, code=code, params=params)
    uow.session.add(event)
    audit.track_change(uow.session, event)


def _check(report: IncidentReport) -> None:
    if not report.title.strip():
        raise IncidentError.of("title", "incident.title_required")
    if report.level not in vocabulary.INCIDENT_LEVELS:
        raise IncidentError.of("level", "incident.level_invalid")
    for name in ("dead", "injured", "missing", "people_affected"):
        if not 0 <= getattr(report, name) <= MAX_COUNT:
            raise IncidentError.of(name, "incident.count_range", limit=f"{MAX_COUNT:,}")


def report_incident(uow: UnitOfWork, report: IncidentReport) -> int:
    """Record a new incident (status 接报, reported); returns its id."""
    uow.principal.require("incident.report")
    _check(report)
    category = _category(report.kind)
    point = Point(report.lon, report.lat)
    session, region = uow.session, uow.settings.region
    district = session.get(AdminArea, region.adcode).geom
    if not district.contains(point):
        raise IncidentError.of("lon", "incident.outside", region=region.name_zh, region_en=region.name_en)
    township = next((t.code for t in session.scalars(select(Township)) if t.geom.contains(point)), None)
    uow.principal.require_township("incident.report", township)  # township staff: only where they serve
    incident = Incident(title=report.title.strip()[:200], category=category, kind=report.kind, level=report.level,
                        status=vocabulary.INCIDENT_REPORTED, occurred_at=as_utc(report.occurred_at),
                        reporter=report.reporter[:80], lon=report.lon, lat=report.lat, geom=point,
                        township_code=township, dead=report.dead,
                        injured=report.injured, missing=report.missing, people_affected=report.people_affected,
                        description=report.description or None)
    session.add(incident)
    session.flush()
    add_event(uow, incident.id, "report", "event.report",
              {"title": incident.title, "kind": report.kind, "level": report.level})
    audit.record(session, actor=uow.actor, action="create", entity="incident", entity_key=str(incident.id))
    return incident.id


def transition(uow: UnitOfWork, model, key: int, status: str, transitions: dict[str, tuple[str, ...]],
               noun: str) -> str:
    """Move a row of ``model`` (incident or order) to ``status`` if its lifecycle allows; returns the status before.

    The UPDATE is conditional on the status that was read: if someone moved the row meanwhile, nothing is
    written and the caller is told (``Conflict``), never a lost update. ``noun`` (incident, order) names the
    record in the reasons.
    """
    before = uow.session.scalar(select(model.status).where(model.id == key))
    if before is None:
        raise NotFound.of("id", f"{noun}.not_found", id=key)
    if status not in vocabulary.INCIDENT_STATUSES + vocabulary.ORDER_STATUSES:
        raise IncidentError.of("status", "status.unknown", status=status)
    if status not in transitions[before]:
        raise Conflict.of("status", "status.transition", before=before, status=status)
    moved = uow.session.execute(update(model).where(model.id == key, model.status == before)
                                .values(status=status).returning(model.id)).first()
    if moved is None:
        raise Conflict.of("status", "changed_meanwhile", what=t(f"noun.{noun}"), what_en=t(f"noun.{noun}", "en"))
    return before


def change_status(uow: UnitOfWork, incident_id: int, status: str, *, note: str = "") -> None:
    uow.principal.require("incident.manage")
    before = transition(uow, Incident, incident_id, status, vocabulary.INCIDENT_TRANSITIONS, "incident")
    if note:  # typed by a person: data, kept as typed
        add_event(uow, incident_id, "status", "event.status_note", {"before": before, "status": status, "note": note})
    else:
        add_event(uow, incident_id, "status", "event.status", {"before": before, "status": status})
    audit.record(uow.session, actor=uow.actor, action="update", entity="incident", entity_key=str(incident_id),
                 detail={"from": before, "to": status})


def events_since(uow: UnitOfWork, since: int = 0, limit: int = 200) -> list[dict]:
    """The change feed: timeline events and patrols committed after change number ``since``, in commit order."""
    query = _in_scope(uow, select(IncidentEvent).where(IncidentEvent.change_seq > since))
    rows = uow.session.scalars(query.order_by(IncidentEvent.change_seq, IncidentEvent.id).limit(limit)).all()
    return [_event_dict(e) for e in rows]


def _in_scope(uow: UnitOfWork, query):
    """Feed events limited to a township user's own township: its incidents' timelines and the patrols of its
    hazard points (everyone else: all)."""
    home = uow.principal.township_filter()
    if home is None:
        return query
    return (query.outerjoin(Incident, Incident.id == IncidentEvent.incident_id)
            .outerjoin(HazardPatrol, HazardPatrol.id == IncidentEvent.patrol_id)
            .outerjoin(HazardPoint, HazardPoint.id == HazardPatrol.hazard_id)
            .where(or_(Incident.township_code == home, HazardPoint.township_code == home)))


def recent_events(uow: UnitOfWork, limit: int = 30) -> list[dict]:
    """The newest feed events (timelines and patrols), newest first (the duty view's feed)."""
    rows = uow.session.scalars(_in_scope(uow, select(IncidentEvent)).order_by(
        IncidentEvent.change_seq.desc(), IncidentEvent.id.desc()).limit(limit)).all()
    return [_event_dict(e) for e in rows]


def event_text(code: str, params: dict, lang: str = "zh") -> str:
    """A timeline event in ``lang``; vocabulary values among its params in English where the reader reads it."""
    return t(code, lang, **params)


def _event_fields(e: IncidentEvent) -> dict:
    """What a timeline line says: its code and params, and the text in Chinese (``text``) and English."""
    params = dict(e.params or {})
    return {"at": _iso(e.at), "actor": e.actor, "kind": e.kind, "code": e.code, "params": params,
            "text": event_text(e.code, params, "zh"), "text_en": event_text(e.code, params, "en")}


def _event_dict(e: IncidentEvent) -> dict:
    """A feed line: an incident's (``incident_id``) or a patrol's (``patrol_id``, its point in ``params``)."""
    return {"id": e.id, "seq": e.change_seq, "incident_id": e.incident_id, "patrol_id": e.patrol_id,
            **_event_fields(e)}


def incident_detail(uow: UnitOfWork, incident_id: int) -> dict | None:
    session = uow.session
    i = session.get(Incident, incident_id)
    if i is None:
        return None
    uow.principal.require_township("records.read", i.township_code)
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
            "timeline": [_event_fields(e) for e in timeline]}


def list_incidents(uow: UnitOfWork, active_only: bool = False) -> list[dict]:
    stmt = select(Incident).order_by(Incident.id.desc())
    if active_only:
        stmt = stmt.where(Incident.status != vocabulary.INCIDENT_CLOSED)
    if uow.principal.township_filter() is not None:
        stmt = stmt.where(Incident.township_code == uow.principal.township_filter())
    return [{"id": i.id, "title": i.title, "kind": i.kind, "level": i.level, "status": i.status,
             "township_code": i.township_code, "occurred_at": _iso(i.occurred_at), "lon": i.lon, "lat": i.lat}
            for i in uow.session.scalars(stmt.limit(500))]
