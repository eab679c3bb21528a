"""/api/v1 endpoints for incidents, dispatch orders and the change feed (a township phone app can report)."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, jsonify, request

from dashboard.api.support import app_settings, json_body
from services.dispatch.incidents import (
    IncidentReport,
    advance_order,
    assign_team,
    change_status,
    events_since,
    incident_detail,
    list_incidents,
    report_incident,
)
from services.errors import FieldError

incidents_api = Blueprint("incidents_api", __name__)



@incidents_api.get("/api/v1/incidents")
def incidents():
    return jsonify({"incidents": list_incidents(app_settings(), active_only=request.args.get("active") == "1")})


@incidents_api.post("/api/v1/incidents")
def create_incident():
    body = json_body()
    try:
        occurred = dt.datetime.fromisoformat(body["occurred_at"]) if body.get("occurred_at") else \
            dt.datetime.now(dt.timezone.utc)
        if occurred.tzinfo is None:
            occurred = occurred.replace(tzinfo=dt.timezone(dt.timedelta(hours=8)))  # local time, as written
        report = IncidentReport(
            title=str(body.get("title", "")), kind=str(body.get("kind", "")), level=str(body.get("level", "")),
            lon=float(body["lon"]), lat=float(body["lat"]), occurred_at=occurred,
            reporter=str(body.get("reporter") or "api"), dead=int(body.get("dead", 0)),
            injured=int(body.get("injured", 0)), missing=int(body.get("missing", 0)),
            people_affected=int(body.get("people_affected", 0)), description=str(body.get("description") or ""))
    except (KeyError, TypeError, ValueError) as exc:
        raise FieldError("body", f"字段缺失或格式有误：{exc}", f"missing or malformed field: {exc}") from None
    incident_id = report_incident(app_settings(), report)
    return jsonify(incident_detail(app_settings(), incident_id)), 201


@incidents_api.get("/api/v1/incidents/<int:incident_id>")
def incident(incident_id: int):
    detail = incident_detail(app_settings(), incident_id)
    if detail is None:
        raise FieldError("id", f"没有编号为 {incident_id} 的事件", f"no incident {incident_id}")
    return jsonify(detail)


@incidents_api.post("/api/v1/incidents/<int:incident_id>/status")
def incident_status(incident_id: int):
    body = json_body()
    change_status(app_settings(), incident_id, str(body.get("status", "")), actor=str(body.get("actor") or "api"),
                  note=str(body.get("note") or ""))
    return jsonify(incident_detail(app_settings(), incident_id))


@incidents_api.post("/api/v1/orders")
def create_order():
    body = json_body()
    try:
        incident_id, team_id = int(body["incident_id"]), int(body["team_id"])
    except (KeyError, TypeError, ValueError):
        raise FieldError("body", "需要 incident_id 和 team_id", "incident_id and team_id are required") from None
    order_id = assign_team(app_settings(), incident_id, team_id, actor=str(body.get("actor") or "api"))
    return jsonify({"id": order_id, "status": "已派"}), 201


@incidents_api.post("/api/v1/orders/<int:order_id>/status")
def order_status(order_id: int):
    body = json_body()
    advance_order(app_settings(), order_id, str(body.get("status", "")), actor=str(body.get("actor") or "api"))
    return jsonify({"id": order_id, "status": body.get("status")})


@incidents_api.get("/api/v1/events")
def events():
    try:
        since = int(request.args.get("since", "0"))
    except ValueError:
        raise FieldError("since", "since 应为整数", "since must be a whole number") from None
    feed = events_since(app_settings(), since)
    return jsonify({"events": feed, "last_id": feed[-1]["id"] if feed else since})


@incidents_api.get("/api/v1/warnings")
def warnings():
    from services.dispatch.warnings import active_warnings
    return jsonify({"warnings": active_warnings(app_settings())})


@incidents_api.post("/api/v1/warnings")
def issue():
    from services.dispatch.warnings import WarningRequest, issue_warning, warning_status
    body = json_body()
    unknown = sorted(set(body) - set(WarningRequest.__dataclass_fields__) - {"actor"})
    if unknown:
        raise FieldError(unknown[0], f"未知字段“{unknown[0]}”", f"unknown field '{unknown[0]}'")
    try:
        req = WarningRequest(**{k: v for k, v in body.items() if k != "actor"})
        req.townships, req.hazard_ids = [str(c) for c in req.townships], [int(i) for i in req.hazard_ids]
        req.valid_hours, req.ack_timeout_min = float(req.valid_hours), int(req.ack_timeout_min)
        req.recipients = [dict(r) for r in req.recipients]
    except (TypeError, ValueError) as exc:
        raise FieldError("body", f"字段缺失或格式有误：{exc}", f"missing or malformed field: {exc}") from None
    warning_id = issue_warning(app_settings(), req, actor=str(body.get("actor") or "api"))
    return jsonify(warning_status(app_settings(), warning_id)), 201


@incidents_api.get("/api/v1/warnings/<int:warning_id>")
def warning(warning_id: int):
    from services.dispatch.warnings import warning_status
    status = warning_status(app_settings(), warning_id)
    if status is None:
        raise FieldError("id", f"没有编号为 {warning_id} 的预警", f"no warning {warning_id}")
    return jsonify(status)


@incidents_api.post("/api/v1/warnings/<int:warning_id>/ack")
def ack(warning_id: int):
    from services.dispatch.warnings import acknowledge, warning_status
    body = json_body()
    try:
        recipient_id = int(body["recipient_id"])
    except (KeyError, TypeError, ValueError):
        raise FieldError("recipient_id", "需要 recipient_id", "recipient_id is required") from None
    acknowledge(app_settings(), warning_id, recipient_id, actor=str(body.get("actor") or "api"))
    return jsonify(warning_status(app_settings(), warning_id))


@incidents_api.post("/api/v1/warnings/<int:warning_id>/lift")
def lift(warning_id: int):
    from services.dispatch.warnings import lift_warning, warning_status
    lift_warning(app_settings(), warning_id, actor=str((request.get_json(silent=True) or {}).get("actor") or "api"))
    return jsonify(warning_status(app_settings(), warning_id))


@incidents_api.get("/api/v1/warnings/<int:warning_id>.cap")
def warning_cap(warning_id: int):
    from services.dispatch.cap import warning_to_cap
    return warning_to_cap(app_settings(), warning_id), 200, {"Content-Type": "application/cap+xml; charset=utf-8"}


@incidents_api.post("/api/v1/warnings/cap")
def import_warning_cap():
    """Import a CAP 1.2 alert (the request body is the XML); the named recipients come as ?recipient=name."""
    from services.dispatch.cap import import_cap
    from services.dispatch.warnings import warning_status
    recipients = [{"name": n, "role": "责任人"} for n in request.args.getlist("recipient")]
    warning_id = import_cap(app_settings(), request.get_data(), actor=str(request.args.get("actor") or "cap"),
                            recipients=recipients)
    return jsonify(warning_status(app_settings(), warning_id)), 201


@incidents_api.get("/api/v1/incidents/<int:incident_id>/recommendations")
def recommendations(incident_id: int):
    from services.dispatch.incidents import recommend_depots, recommend_teams
    return jsonify({"teams": recommend_teams(app_settings(), incident_id),
                    "depots": recommend_depots(app_settings(), incident_id)})
