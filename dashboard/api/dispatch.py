"""/api/v1 endpoints for incidents, dispatch orders, warnings with 叫应, CAP, and the change feed.

Each handler parses its body with a request model, opens one unit of work and calls the services in it.
"""
from __future__ import annotations

from flask import Blueprint, Response, request

from dashboard.api.models import body, parse, parse_query, query, responds
from dashboard.api.models.dispatch import (
    Acknowledge, EmptyBody, CapImportQuery, DutyFeed, EventFeed, FeedQuery, EventsQuery, HandoverCreate,
    HandoverLatest, IncidentCreate, IncidentDetail, IncidentList,
    IncidentsQuery, OrderCreate, OrderState, Recommendations, StatusChange, WarningCreate, WarningDetail,
    WarningList, WarningMessages,
)
from dashboard.api.support import json_body, unit
from services import vocabulary
from services.clock import from_user, now_utc
from services.dispatch.incidents import (
    IncidentReport, change_status, events_since, incident_detail, list_incidents, report_incident,
)
from services.dispatch import handover as handovers
from services.dispatch.orders import advance_order, assign_team
from services.dispatch.warnings import WarningRequest
from services.errors import FieldError, NotFound
from services.text import both

incidents_api = Blueprint("incidents_api", __name__)
CAP_TYPES = ("application/cap+xml", "application/xml", "text/xml")
CAP = CAP_TYPES[0]
MAX_SEQ = 2**62
WRITE = (400, 404, 409, 415, 503)  # a change of a record named in the path or the body


@incidents_api.get("/api/v1/incidents")
@query(IncidentsQuery)
@responds(IncidentList, errors=(400, 503))
def incidents():
    """Incidents, newest first (``active=1``: those not yet closed)."""
    req = parse_query(IncidentsQuery, request.args)
    with unit() as uow:
        return {"incidents": list_incidents(uow, active_only=req.active == "1")}


@incidents_api.post("/api/v1/incidents")
@body(IncidentCreate)
@responds(IncidentDetail, 201, errors=(400, 415, 503), links={"incident_id": "id"})
def create_incident():
    """Report an incident (接报); its township is the one its place lies in."""
    body = json_body()
    req = parse(IncidentCreate, body)
    with unit(write=True) as uow:
        occurred = from_user(req.occurred_at, uow.settings) if req.occurred_at else now_utc()
        report = IncidentReport(title=req.title, kind=req.kind, level=req.level, lon=req.lon, lat=req.lat,
                                occurred_at=occurred, reporter=req.reporter or uow.actor, dead=req.dead,
                                injured=req.injured, missing=req.missing, people_affected=req.people_affected,
                                description=req.description or "")
        incident_id = report_incident(uow, report)
        detail = incident_detail(uow, incident_id)
    return detail


def _detail_or_404(uow, incident_id: int) -> dict:
    detail = incident_detail(uow, incident_id)
    if detail is None:
        raise NotFound.of("id", "incident.not_found", id=incident_id)
    return detail


@incidents_api.get("/api/v1/incidents/<id:incident_id>")
@responds(IncidentDetail, errors=(404, 503))
def incident(incident_id: int):
    """One incident with its dispatch orders and its timeline."""
    with unit() as uow:
        return _detail_or_404(uow, incident_id)


@incidents_api.post("/api/v1/incidents/<id:incident_id>/status")
@body(StatusChange)
@responds(IncidentDetail, errors=WRITE)
def incident_status(incident_id: int):
    """Move an incident along 接报 → 核实 → 处置中 → 已结束."""
    body = json_body()
    req = parse(StatusChange, body)
    with unit(write=True) as uow:
        change_status(uow, incident_id, req.status, note=req.note or "")
        detail = _detail_or_404(uow, incident_id)
    return detail


@incidents_api.post("/api/v1/orders")
@body(OrderCreate)
@responds(OrderState, 201, errors=WRITE, links={"order_id": "id"})
def create_order():
    """Send a rescue team to an incident (派遣); a team has one active order at a time."""
    body = json_body()
    req = parse(OrderCreate, body)
    with unit(write=True) as uow:
        order_id = assign_team(uow, req.incident_id, req.team_id)
    return {"id": order_id, "status": vocabulary.ORDER_SENT}


@incidents_api.post("/api/v1/orders/<id:order_id>/status")
@body(StatusChange)
@responds(OrderState, errors=WRITE)
def order_status(order_id: int):
    """Move an order along 已派 → 出发 → 到达 → 完成 (or 取消)."""
    body = json_body()
    req = parse(StatusChange, body)
    with unit(write=True) as uow:
        advance_order(uow, order_id, req.status)
    return {"id": order_id, "status": req.status}


@incidents_api.get("/api/v1/events")
@query(EventsQuery)
@responds(EventFeed, errors=(400, 503))
def events():
    """Timeline events committed after change number ``since``, in commit order; ``last_id`` is the next since."""
    raw = request.args.get("since", "0")
    if not (raw.isascii() and raw.isdigit()) or int(raw) > MAX_SEQ:  # "²".isdigit(), and int() refuses it
        raise FieldError.of("since", "since.invalid")
    since = int(raw)
    with unit() as uow:
        feed = events_since(uow, since)
    return {"events": feed, "last_id": feed[-1]["seq"] if feed else since}


@incidents_api.get("/api/v1/feed")
@query(FeedQuery)
@responds(DutyFeed, errors=(400, 503))
def feed():
    """The duty feed, newest first (what the duty view shows): incidents, patrols, warnings, 叫应, closures and
    evacuation moves; ``kinds`` (comma-separated) to choose, ``limit`` lines (1–200)."""
    from services.dispatch.feed import FEED_KINDS, duty_feed
    req = parse_query(FeedQuery, request.args)
    kinds = None if req.kinds is None else [k.strip() for k in req.kinds.split(",") if k.strip()]
    if kinds is not None and (not kinds or set(kinds) - set(FEED_KINDS)):
        raise FieldError.of("kinds", "feed.kinds_invalid", kinds=", ".join(FEED_KINDS))
    with unit() as uow:
        return {"lines": [line.to_json() for line in duty_feed(uow, kinds=kinds, limit=req.limit)]}


@incidents_api.get("/api/v1/warnings")
@responds(WarningList, errors=(503,))
def warnings():
    """Warnings in force, newest first, with their 叫应 counts."""
    from services.dispatch.warnings import active_warnings
    with unit() as uow:
        return {"warnings": active_warnings(uow)}


@incidents_api.post("/api/v1/warnings")
@body(WarningCreate)
@responds(WarningDetail, 201, errors=(400, 415, 503), links={"warning_id": "id"})
def issue():
    """Issue a warning over townships, hazard points or a drawn area, to be acknowledged (叫应) by each recipient."""
    from services.dispatch.warnings import issue_warning, warning_status
    body = json_body()
    req = parse(WarningCreate, body)
    fields = req.model_dump()
    fields["recipients"] = [r.model_dump() for r in req.recipients]
    with unit(write=True) as uow:
        warning_id = issue_warning(uow, WarningRequest(**fields))
        status = warning_status(uow, warning_id)
    send_messages(warning_id)  # after the commit: a rolled-back warning never reaches anyone
    return status


def send_messages(warning_id: int):
    """Each recipient's message and personal link to the configured gateway (nothing when none is configured)."""
    from services.dispatch.ack_links import recipient_messages
    from services.dispatch.gateway import deliver
    with unit() as uow:
        messages = recipient_messages(uow, warning_id)
    return deliver(uow.settings, warning_id, messages)


@incidents_api.get("/api/v1/warnings/<id:warning_id>/messages")
@responds(WarningMessages, errors=(403, 404, 503))
def warning_messages(warning_id: int):
    """Each recipient's message text and personal 叫应 link (what the gateway sends; to read out by phone)."""
    from dataclasses import asdict

    from services.dispatch.ack_links import recipient_messages
    from services.text import normalise_language
    lang = normalise_language(request.args.get("lang"))
    with unit() as uow:
        return {"messages": [asdict(m) for m in recipient_messages(uow, warning_id, lang)]}


def _warning_or_404(uow, warning_id: int) -> dict:
    from services.dispatch.warnings import warning_status
    status = warning_status(uow, warning_id)
    if status is None:
        raise NotFound.of("id", "warning.not_found", id=warning_id)
    return status


@incidents_api.get("/api/v1/warnings/<id:warning_id>")
@responds(WarningDetail, errors=(404, 503))
def warning(warning_id: int):
    """One warning with each recipient's state: acknowledged, waiting or escalated (past the timeout)."""
    with unit() as uow:
        return _warning_or_404(uow, warning_id)


@incidents_api.post("/api/v1/warnings/<id:warning_id>/ack")
@body(Acknowledge)
@responds(WarningDetail, errors=WRITE)
def ack(warning_id: int):
    """A recipient acknowledges the warning (叫应)."""
    from services.dispatch.warnings import acknowledge
    body = json_body()
    req = parse(Acknowledge, body)
    with unit(write=True) as uow:
        acknowledge(uow, warning_id, req.recipient_id)
        status = _warning_or_404(uow, warning_id)
    return status


@incidents_api.post("/api/v1/warnings/<id:warning_id>/lift")
@body(EmptyBody)
@responds(WarningDetail, errors=WRITE)
def lift(warning_id: int):
    """Lift a warning before it expires."""
    from services.dispatch.warnings import lift_warning
    body = json_body()
    parse(EmptyBody, body)
    with unit(write=True) as uow:
        lift_warning(uow, warning_id)
        status = _warning_or_404(uow, warning_id)
    return status


@incidents_api.get("/api/v1/warnings/<id:warning_id>.cap")
@responds(None, media_type=CAP, errors=(404, 503))
def warning_cap(warning_id: int):
    """The warning as a CAP 1.2 alert (GB/T 35965.1-2018), for other warning systems."""
    from services.dispatch.cap import warning_to_cap
    with unit() as uow:
        document = warning_to_cap(uow, warning_id)
    return Response(document, mimetype=CAP, content_type=f"{CAP}; charset=utf-8")


@incidents_api.post("/api/v1/warnings/cap")
@body(None, CAP)
@query(CapImportQuery)
@responds(WarningDetail, 201, errors=(400, 415, 503), links={"warning_id": "id"})
def import_warning_cap():
    """Import a CAP 1.2 alert: the body is the XML (Content-Type application/cap+xml); recipients as ?recipient=."""
    from services.dispatch.cap import import_cap
    if request.mimetype not in CAP_TYPES:
        error = FieldError.of("Content-Type", "cap.content_type")
        error.code = "unsupported_media_type"
        raise error
    names = request.args.getlist("recipient")
    if len(names) > 500 or any(not n.strip() or len(n) > 80 or "\x00" in n for n in names):
        raise FieldError.of("recipient", "recipient.names")
    recipients = [{"name": n, "role": vocabulary.RECIPIENT_RESPONSIBLE} for n in names]
    with unit(write=True) as uow:
        warning_id = import_cap(uow, request.get_data(), recipients=recipients)
        status = _warning_or_404(uow, warning_id)
    return status


@incidents_api.get("/api/v1/incidents/<id:incident_id>/recommendations")
@responds(Recommendations, errors=(404, 503))
def recommendations(incident_id: int):
    """Teams and depots nearest the incident by road time."""
    from services.dispatch.recommendations import recommend_depots, recommend_teams
    with unit() as uow:
        teams = [{k: v for k, v in tm.items() if k not in ("reason_code", "reason_params")} |
                 dict(zip(("reason", "reason_en"), both(tm["reason_code"], **tm["reason_params"])))
                 for tm in recommend_teams(uow, incident_id)]
        return {"teams": teams, "depots": recommend_depots(uow, incident_id)}


@incidents_api.get("/api/v1/handover/latest")
@responds(HandoverLatest, errors=(503,))
def latest_handover():
    """交接班: the newest handover note, read (接班, with who and when) or not yet; null when there is none."""
    with unit() as uow:
        newest = handovers.latest_handover(uow)
    return {"handover": newest.to_json() if newest else None}


@incidents_api.post("/api/v1/handover")
@body(HandoverCreate)
@responds(HandoverLatest, 201, errors=(400, 415, 503))
def create_handover():
    """交接班: leave a handover note for the next officer (audited under the signed-in user); the note comes back."""
    req = parse(HandoverCreate, json_body())
    with unit(write=True) as uow:
        written = handovers.handover(uow, handovers.write_handover(uow, req.note))
    return {"handover": written.to_json()}
