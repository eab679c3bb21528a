"""/api/v1 endpoints of the road network: road lines, closures, travel-time matrices and routes."""
from __future__ import annotations

from dataclasses import asdict

import numpy as np
from flask import Blueprint, jsonify, request

from dashboard.api.support import app_settings, json_body
from geo import travel
from services.errors import FieldError
from services.roads.closures import active_blocks, block_area, block_segment, lift_block
from services.roads.network import (
    base_graph,
    isochrones_geojson,
    road_graph,
    roads_geojson,
)
from services.supply.solver_slots import PlannerBusy

roads_api = Blueprint("roads_api", __name__)
MAX_MATRIX_CELLS = 250_000


@roads_api.errorhandler(PlannerBusy)
def _planner_busy(exc: PlannerBusy):
    """Every route-solver slot stayed taken: 503 with the reason, and when to try again."""
    response = jsonify({"error": "busy", "reason": exc.reason, "reason_en": exc.reason_en})
    response.status_code = 503
    response.headers["Retry-After"] = str(max(1, round(exc.retry_after_s)))
    return response


def _points(body: dict, name: str, limit: int = 5000) -> np.ndarray:
    raw = body.get(name)
    try:
        points = np.asarray(raw, dtype=float)
    except (TypeError, ValueError):
        points = np.empty((0,))
    if points.ndim != 2 or points.shape[1] != 2 or not 0 < len(points) <= limit or \
            not (np.abs(points[:, 0]) <= 180).all() or not (np.abs(points[:, 1]) <= 90).all():
        raise FieldError(name, f"{name} 应为 1 到 {limit} 个 [经度, 纬度]", f"{name} must be 1 to {limit} [lon, lat] pairs")
    return points


@roads_api.get("/api/v1/roads")
def roads():
    return jsonify(roads_geojson(app_settings()))


@roads_api.get("/api/v1/roads/blocks")
def blocks():
    return jsonify({"blocks": [asdict(b) for b in active_blocks(app_settings())]})


@roads_api.post("/api/v1/roads/blocks")
def add_block():
    body, settings = json_body(), app_settings()
    actor = str(body.get("actor") or "api")
    if "point" in body:
        point = _points({"point": [body["point"]]}, "point", 1)[0]
        block = block_segment(settings, base_graph(settings), point[0], point[1], body.get("reason"), actor=actor)
    elif "area" in body:
        block = block_area(settings, body["area"] if isinstance(body["area"], dict) else {}, body.get("reason"),
                           actor=actor)
    else:
        raise FieldError("body", "请给出 point（点击的道路）或 area（范围）", "give point (a road) or area")
    return jsonify(asdict(block)), 201


@roads_api.delete("/api/v1/roads/blocks/<id:block_id>")
def remove_block(block_id: int):
    lift_block(app_settings(), block_id, actor=str(request.args.get("actor") or "api"))
    return jsonify({"lifted": block_id})


def _graph_for(body: dict):
    hazard_blocks = body.get("hazard_blocks", False)
    if not isinstance(hazard_blocks, bool):
        raise FieldError("hazard_blocks", "hazard_blocks 应为 true 或 false", "hazard_blocks must be true or false")
    return road_graph(app_settings(), hazard_blocks=hazard_blocks)


@roads_api.post("/api/v1/routes/matrix")
def matrix():
    """Travel seconds (fastest route) and metres (shortest route) from every source to every target.

    null where unreachable: closed roads, or a point more than 500 m from any open road.
    """
    body = json_body()
    sources, targets = _points(body, "sources"), _points(body, "targets")
    if len(sources) * len(targets) > MAX_MATRIX_CELLS:
        raise FieldError("targets", f"矩阵过大（上限 {MAX_MATRIX_CELLS} 格）", f"matrix larger than {MAX_MATRIX_CELLS}")
    graph = _graph_for(body)
    sources = travel.snap(graph, sources[:, 0], sources[:, 1])
    targets = travel.snap(graph, targets[:, 0], targets[:, 1])
    seconds = travel.travel_matrix(graph, sources, targets, "seconds")
    metres = travel.travel_matrix(graph, sources, targets, "metres")
    clean = lambda m: [[None if not np.isfinite(v) else round(float(v), 1) for v in row] for row in m]  # noqa: E731
    return jsonify({"seconds": clean(seconds), "metres": clean(metres), "blocked_edges": int(graph.blocked.sum()),
                    "synthetic_network": graph.synthetic})


@roads_api.post("/api/v1/routes/route")
def route():
    """The fastest route between two points: geometry, time, length and the roads it follows."""
    body = json_body()
    start, end = _points({"from": [body.get("from")]}, "from", 1)[0], _points({"to": [body.get("to")]}, "to", 1)[0]
    graph = _graph_for(body)
    trip = travel.route(graph, start, end)
    if trip is None:
        raise FieldError("to", "终点不可达（道路阻断或路网不连通）", "the destination cannot be reached (closed roads)")
    return jsonify({"geometry": {"type": "LineString", "coordinates": trip.coords},
                    "seconds": round(trip.seconds, 1), "metres": round(trip.metres, 1),
                    "via": trip.via, "blocked_edges": int(graph.blocked.sum()),
                    "synthetic_network": graph.synthetic})


@roads_api.post("/api/v1/routes/plan")
def supply_plan():
    """Vehicle routes from depots to shelters for the shelters' needs (or typed demands)."""
    from services.supply.routes import RoutePlanRequest, plan_supply_routes
    body = json_body()
    unknown = sorted(set(body) - set(RoutePlanRequest.__dataclass_fields__))
    if unknown:
        raise FieldError(unknown[0], f"未知字段“{unknown[0]}”", f"unknown field '{unknown[0]}'")
    try:
        req = RoutePlanRequest(
            shelter_ids=[int(i) for i in body.get("shelter_ids", [])],
            depot_ids=[int(i) for i in body.get("depot_ids", [])], days=int(body.get("days", 1)),
            vehicle_ids=[int(i) for i in body.get("vehicle_ids", [])],
            demands={int(k): {"kg": float(v.get("kg", 0)), "m3": float(v.get("m3", 0))}
                     for k, v in (body.get("demands") or {}).items()},
            shift_hours=float(body.get("shift_hours", 8)), seconds=float(body.get("seconds", 5)),
            hazard_blocks=body.get("hazard_blocks", False) is True,
            critical_within_hours=None if body.get("critical_within_hours", 4) is None
            else float(body.get("critical_within_hours", 4)),
            latest_arrival_min={int(k): float(v) for k, v in (body.get("latest_arrival_min") or {}).items()})
    except (TypeError, ValueError, AttributeError) as exc:
        raise FieldError("body", f"参数格式有误：{exc}", f"malformed parameters: {exc}") from None
    if not (1 <= req.days <= 30 and 0.5 <= req.seconds <= 60 and 1 <= req.shift_hours <= 24):
        raise FieldError("body", "days 1–30、seconds 0.5–60、shift_hours 1–24", "days 1-30, seconds 0.5-60, "
                         "shift_hours 1-24")
    if any(v["kg"] < 0 or v["m3"] < 0 for v in req.demands.values()):
        raise FieldError("demands", "需求量不能为负", "demands must not be negative")
    return jsonify(plan_supply_routes(app_settings(), req))


@roads_api.get("/api/v1/routes/isochrones")
def isochrones():
    """Areas reachable by road from a point within 15/30/60 minutes (or ``minutes=a,b,c``)."""
    try:
        lon, lat = float(request.args["lon"]), float(request.args["lat"])
        minutes = [float(m) for m in request.args.get("minutes", "15,30,60").split(",")]
    except (KeyError, ValueError):
        raise FieldError("lon", "需要 lon、lat（数字）和 minutes（逗号分隔的分钟数）",
                         "lon and lat (numbers) and minutes (comma-separated) are required") from None
    if not minutes or len(minutes) > 6 or not all(0 < m <= 240 for m in minutes):
        raise FieldError("minutes", "minutes 应为 1 到 6 个 0–240 的数", "minutes must be 1 to 6 numbers in 0-240")
    return jsonify(isochrones_geojson(app_settings(), lon, lat, minutes,
                                      hazard_blocks=request.args.get("hazard_blocks") == "1"))
