"""/api/v1 endpoints for incidents, dispatch orders, warnings with 叫应, CAP, and the change feed.

Each handler parses its body with a request model, opens one unit of work and calls the services in it.
"""
from __future__ import annotations

from flask import Blueprint, jsonify, request

from dashboard.api.models import body, parse
from dashboard.api.models.dispatch import (
    Acknowledge, ActorOnly, IncidentCreate, OrderCreate, StatusChange, WarningCreate,
)
from dashboard.api.support import json_body, unit
from services import vocabulary
from services.clock import from_user, now_utc
from services.dispatch.incidents import (
    IncidentReport, change_status, events_since, incident_detail, list_incidents, report_incident,
)
from services.dispatch.orders import advance_order, assign_team
from services.dispatch.warnings import WarningRequest
from services.errors import FieldError, NotFound

incidents_api = Blueprint("incidents_api", __name__)
CAP_TYPES = ("application/cap+xml", "application/xml", "text/xml")
MAX_SEQ = 2**62


@incidents_api.get("/api/v1/incidents")
def incidents():
    with unit() as uow:
        return jsonify({"incidents": list_incidents(uow, active_only=request.args.get("active") == "1")})


@incidents_api.post("/api/v1/incidents")
@body(IncidentCreate)
def create_incident():
    body = json_body()
    req = parse(IncidentCreate, body)
    with unit(write=True, body=body) as uow:
        occurred = from_user(req.occurred_at, uow.settings) if req.occurred_at else now_utc()
        report = IncidentReport(title=req.title, kind=req.kind, level=req.level, lon=req.lon, lat=req.lat,
                                occurred_at=occurred, reporter=req.reporter or uow.actor, dead=req.dead,
                                injured=req.injured, missing=req.missing, people_affected=req.people_affected,
                                description=req.description or "")
        incident_id = report_incident(uow, report)
        detail = incident_detail(uow, incident_id)
    return jsonify(detail), 201


def _detail_or_404(uow, incident_id: int) -> dict:
    detail = incident_detail(uow, incident_id)
    if detail is None:
        raise NotFound.of("id", "incident.not_found", id=incident_id)
    return detail


@incidents_api.get("/api/v1/incidents/<id:incident_id>")
def incident(incident_id: int):
    with unit() as uow:
        return jsonify(_detail_or_404(uow, incident_id))


@incidents_api.post("/api/v1/incidents/<id:incident_id>/status")
@body(StatusChange)
def incident_status(incident_id: int):
    body = json_body()
    req = parse(StatusChange, body)
    with unit(write=True, body=body) as uow:
        change_status(uow, incident_id, req.status, note=req.note or "")
        detail = _detail_or_404(uow, incident_id)
    return jsonify(detail)


@incidents_api.post("/api/v1/orders")
@body(OrderCreate)
def create_order():
    body = json_body()
    req = parse(OrderCreate, body)
    with unit(write=True, body=body) as uow:
        order_id = assign_team(uow, req.incident_id, req.team_id)
    return jsonify({"id": order_id, "status": vocabulary.ORDER_SENT}), 201


@incidents_api.post("/api/v1/orders/<id:order_id>/status")
@body(StatusChange)
def order_status(order_id: int):
    body = json_body()
    req = parse(StatusChange, body)
    with unit(write=True, body=body) as uow:
        advance_order(uow, order_id, req.status)
    return jsonify({"id": order_id, "status": req.status})


@incidents_api.get("/api/v1/events")
def events():
    """Timeline events committed after change number ``since``, in commit order; ``last_id`` is the next since."""
    raw = request.args.get("since", "0")
    if not raw.isdigit() or int(raw) > MAX_SEQ:
        raise FieldError.of("since", "since.invalid")
    since = int(raw)
    with unit() as uow:
        feed = events_since(uow, since)
    return jsonify({"events": feed, "last_id": feed[-1]["seq"] if feed else since})


@incidents_api.get("/api/v1/warnings")
def warnings():
    from services.dispatch.warnings import active_warnings
    with unit() as uow:
        return jsonify({"warnings": active_warnings(uow)})


@incidents_api.post("/api/v1/warnings")
@body(WarningCreate)
def issue():
    from services.dispatch.warnings import issue_warning, warning_status
    body = json_body()
    req = parse(WarningCreate, body)
    fields = req.model_dump(exclude={"actor"})
    fields["recipients"] = [r.model_dump() for r in req.recipients]
    with unit(write=True, body=body) as uow:
        warning_id = issue_warning(uow, WarningRequest(**fields))
        status = warning_status(uow, warning_id)
    return jsonify(status), 201


def _warning_or_404(uow, warning_id: int) -> dict:
    from services.dispatch.warnings import warning_status
    status = warning_status(uow, warning_id)
    if status is None:
        raise NotFound.of("id", "warning.not_found", id=warning_id)
    return status


@incidents_api.get("/api/v1/warnings/<id:warning_id>")
def warning(warning_id: int):
    with unit() as uow:
        return jsonify(_warning_or_404(uow, warning_id))


@incidents_api.post("/api/v1/warnings/<id:warning_id>/ack")
@body(Acknowledge)
def ack(warning_id: int):
    from services.dispatch.warnings import acknowledge
    body = json_body()
    req = parse(Acknowledge, body)
    with unit(write=True, body=body) as uow:
        acknowledge(uow, warning_id, req.recipient_id)
        status = _warning_or_404(uow, warning_id)
    return jsonify(status)


@incidents_api.post("/api/v1/warnings/<id:warning_id>/lift")
@body(ActorOnly)
def lift(warning_id: int):
    from services.dispatch.warnings import lift_warning
    body = json_body()
    parse(ActorOnly, body)
    with unit(write=True, body=body) as uow:
        lift_warning(uow, warning_id)
        status = _warning_or_404(uow, warning_id)
    return jsonify(status)


@incidents_api.get("/api/v1/warnings/<id:warning_id>.cap")
def warning_cap(warning_id: int):
    from services.dispatch.cap import warning_to_cap
    with unit() as uow:
        document = warning_to_cap(uow, warning_id)
    return document, 200, {"Content-Type": "application/cap+xml; charset=utf-8"}


@incidents_api.post("/api/v1/warnings/cap")
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
    return jsonify(status), 201


@incidents_api.get("/api/v1/incidents/<id:incident_id>/recommendations")
def recommendations(incident_id: int):
    from services.dispatch.recommendations import recommend_depots, recommend_teams
    with unit() as uow:
        return jsonify({"teams": recommend_teams(uow, incident_id), "depots": recommend_depots(uow, incident_id)})
