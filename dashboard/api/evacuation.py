"""/api/v1 endpoints of evacuation and supplies: capacity against the target, 五有 coverage, occupancy."""
from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, jsonify, request

from dashboard.api.support import app_settings, bad
from services.evacuation.shelters import (
    OccupancyError,
    capacity_summary,
    update_occupancy,
)
from services.supply.needs import current_profile, supply_coverage

evacuation_api = Blueprint("evacuation_api", __name__)


def _flag(name: str) -> bool | None:
    value = request.args.get(name, "0").lower()
    return {"1": True, "true": True, "0": False, "false": False}.get(value)


def _whole(name: str, default: int | None, low: int, high: int):
    raw = request.args.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise ValueError(name)
    return value


@evacuation_api.get("/api/v1/evacuation/capacity")
def capacity():
    exclude = _flag("exclude_unsafe")
    if exclude is None:
        return bad("exclude_unsafe", "exclude_unsafe 应为 0 或 1", "exclude_unsafe must be 0 or 1")
    return jsonify(asdict(capacity_summary(app_settings(), exclude_unsafe=exclude)))


@evacuation_api.get("/api/v1/supplies/coverage")
def coverage():
    try:
        people = _whole("people", None, 0, 10_000_000)
        days = _whole("days", None, 1, 365)
    except ValueError as exc:
        name = str(exc)
        return bad(name, f"{name} 应为合理范围内的整数", f"{name} must be a whole number in range")
    return jsonify(asdict(supply_coverage(app_settings(), people, days)))


@evacuation_api.get("/api/v1/supplies/profile")
def profile():
    version, needs = current_profile(app_settings())
    return jsonify({"version": version, "needs": needs})


@evacuation_api.post("/api/v1/supplies/profile")
def save_needs_profile():
    from services.supply.needs import ProfileError, save_profile
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return bad("body", "请求体应为 {\"needs\": [...], \"note\": …}", "body must be {\"needs\": [...], \"note\": ...}")
    try:
        version = save_profile(app_settings(), body.get("needs"),
                               actor=str(body.get("actor") or "api"),
                               note=str(body["note"])[:200] if body.get("note") else None)
    except ProfileError as exc:
        return bad("needs", f"物资需求方案有误：{exc}", str(exc))
    return jsonify({"version": version}), 201


@evacuation_api.post("/api/v1/shelters/<int:shelter_id>/occupancy")
def occupancy(shelter_id: int):
    body = request.get_json(silent=True) or {}
    try:
        shelter = update_occupancy(app_settings(), shelter_id, body.get("occupancy_people", ""),
                                   actor=str(body.get("actor") or "api"))
    except OccupancyError as exc:
        return bad(exc.field, exc.reason, exc.reason_en, 404 if exc.field == "避难场所" else 400)
    return jsonify(asdict(shelter))


@evacuation_api.post("/api/v1/evacuation/plans")
def create_plan():
    from services.evacuation.plans import Scenario, ScenarioError, save_plan
    from services.map.layers import township_codes
    settings = app_settings()
    body = request.get_json(silent=True)
    try:
        scenario = Scenario.from_json(body, township_codes(settings))
    except ScenarioError as exc:
        return bad(exc.field, exc.reason, exc.reason_en)
    plan_id, plan = save_plan(settings, scenario, actor=str((body or {}).get("actor") or "api"))
    return jsonify({"id": plan_id, **plan}), 201


@evacuation_api.get("/api/v1/evacuation/plans")
def plans():
    from services.evacuation.plans import list_plans
    return jsonify({"plans": list_plans(app_settings())})


@evacuation_api.get("/api/v1/evacuation/plans/<int:plan_id>")
def get_plan(plan_id: int):
    from services.evacuation.plans import load_plan
    plan = load_plan(app_settings(), plan_id)
    if plan is None:
        return bad("id", f"没有编号为 {plan_id} 的疏散方案", f"no plan with id {plan_id}", 404)
    return jsonify(plan)


@evacuation_api.get("/api/v1/evacuation/plans/<int:plan_id>.xlsx")
def plan_xlsx(plan_id: int):
    from flask import Response

    from services.evacuation.plans import load_plan, plan_workbook
    plan = load_plan(app_settings(), plan_id)
    if plan is None:
        return bad("id", f"没有编号为 {plan_id} 的疏散方案", f"no plan with id {plan_id}", 404)
    return Response(plan_workbook(plan), mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f"attachment; filename=evacuation_plan_{plan_id}.xlsx"})


@evacuation_api.get("/api/v1/evacuation/plans/<int:plan_id>.html")
def plan_printable(plan_id: int):
    from services.evacuation.plans import load_plan, plan_html
    plan = load_plan(app_settings(), plan_id)
    if plan is None:
        return bad("id", f"没有编号为 {plan_id} 的疏散方案", f"no plan with id {plan_id}", 404)
    return plan_html(plan), 200, {"Content-Type": "text/html; charset=utf-8"}


@evacuation_api.post("/api/v1/evacuation/moves")
def evacuation_move():
    """From the field: {"hazard_id", "people", "shelter_id" (optional)} — people moved (and housed)."""
    from services.evacuation.shelters import record_move
    body = request.get_json(silent=True) or {}
    try:
        hazard_id = int(body["hazard_id"])
        shelter_id = int(body["shelter_id"]) if body.get("shelter_id") is not None else None
    except (KeyError, TypeError, ValueError):
        return bad("hazard_id", "需要 hazard_id（整数）", "hazard_id (a whole number) is required")
    try:
        totals = record_move(app_settings(), hazard_id, body.get("people", ""),
                             shelter_id=shelter_id, actor=str(body.get("actor") or "api"))
    except OccupancyError as exc:
        return bad(exc.field, exc.reason, exc.reason_en, 404 if exc.field in ("hazard_id", "shelter_id")
                    and "没有" in exc.reason else 400)
    return jsonify(totals), 201


@evacuation_api.get("/api/v1/evacuation/progress")
def progress():
    from services.evacuation.shelters import evacuation_progress
    return jsonify(evacuation_progress(app_settings()))
