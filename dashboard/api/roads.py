"""/api/v1 endpoints of the road network: road lines, closures, travel-time matrices and routes."""
from __future__ import annotations

import numpy as np
from flask import Blueprint, jsonify, request

from dashboard.api.models import GEOJSON, body, parse, parse_query, query, responds
from dashboard.api.models.geojson import Isochrones, RoadNetwork
from dashboard.api.models.roads import (
    Block,
    BlockCreate,
    BlockList,
    IsochroneQuery,
    Lifted,
    MatrixRequest,
    PlanRequest,
    Route,
    RouteRequest,
    SupplyPlan,
    TravelMatrix,
)
from dashboard.api.support import app_settings, json_body, unit
from geo import travel
from geo.roads import MAX_ACCESS_M
from services.errors import FieldError
from services.roads.closures import ClosureRecord, active_blocks, block_area, block_segment, lift_block
from services.roads.network import isochrones_geojson, road_graph, roads_geojson
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


def _points(points: list) -> np.ndarray:
    """Checked [lon, lat] pairs (the model bounded them) as an n × 2 array."""
    return np.asarray(points, dtype=float).reshape(-1, 2)


@roads_api.get("/api/v1/roads")
@responds(RoadNetwork, media_type=GEOJSON, errors=(503,))
def roads():
    """The road lines with their class and name (GeoJSON)."""
    return roads_geojson(app_settings())


def block_json(block: ClosureRecord) -> dict:
    """A closure as the API has always answered it."""
    return {"id": block.id, "kind": block.kind, "reason": block.reason, "actor": block.actor,
            "created_at": block.created_at.isoformat(), "geometry": block.geometry}


@roads_api.get("/api/v1/roads/blocks")
@responds(BlockList, errors=(503,))
def blocks():
    """The road closures in force."""
    with unit() as uow:
        return {"blocks": [block_json(b) for b in active_blocks(uow)]}


@roads_api.post("/api/v1/roads/blocks")
@body(BlockCreate)
@responds(Block, 201, errors=(400, 415, 503), links={"block_id": "id"})
def add_block():
    """Close the road nearest ``point`` ([lon, lat]), or every road crossing ``area`` (GeoJSON).

    409 when the same segment or area is closed already (by an active closure).
    """
    raw = json_body()
    req = parse(BlockCreate, raw)
    if req.point is None and req.area is None:
        raise FieldError.of("body", "road.point_or_area")
    with unit(write=True) as uow:
        if req.point is not None:
            block = block_segment(uow, req.point[0], req.point[1], req.reason)
        else:
            block = block_area(uow, req.area, req.reason)
    return block_json(block)


@roads_api.delete("/api/v1/roads/blocks/<id:block_id>")
@responds(Lifted, errors=(400, 404, 503))
def remove_block(block_id: int):
    """Lift a road closure (the roads open again for routing)."""
    with unit(write=True) as uow:
        lift_block(uow, block_id)
    return {"lifted": block_id}


def _graph_for(hazard_blocks: bool):
    with unit() as uow:
        return road_graph(uow, hazard_blocks=hazard_blocks)


@roads_api.post("/api/v1/routes/matrix")
@body(MatrixRequest)
@responds(TravelMatrix, errors=(400, 415, 503))
def matrix():
    """Travel seconds (fastest route) and metres (shortest route) from every source to every target.

    null where unreachable: closed roads, or a point more than 500 m from any open road.
    """
    req = parse(MatrixRequest, json_body())
    sources, targets = _points(req.sources), _points(req.targets)
    if len(sources) * len(targets) > MAX_MATRIX_CELLS:
        raise FieldError.of("targets", "route.matrix_too_large", cells=MAX_MATRIX_CELLS)
    graph = _graph_for(req.hazard_blocks)
    sources = travel.snap(graph, sources[:, 0], sources[:, 1])
    targets = travel.snap(graph, targets[:, 0], targets[:, 1])
    seconds = travel.travel_matrix(graph, sources, targets, "seconds")
    metres = travel.travel_matrix(graph, sources, targets, "metres")
    clean = lambda m: [[None if not np.isfinite(v) else round(float(v), 1) for v in row] for row in m]  # noqa: E731
    return {"seconds": clean(seconds), "metres": clean(metres), "blocked_edges": int(graph.blocked.sum()),
            "synthetic_network": graph.synthetic}


@roads_api.post("/api/v1/routes/route")
@body(RouteRequest)
@responds(Route, errors=(400, 415, 503))
def route():
    """The fastest route between two points: geometry, time, length and the roads it follows."""
    req = parse(RouteRequest, json_body())
    graph = _graph_for(req.hazard_blocks)
    trip = travel.route(graph, np.asarray(req.start, dtype=float), np.asarray(req.to, dtype=float))
    if trip is None:
        far = travel.no_road_near(graph, [req.start[0], req.to[0]], [req.start[1], req.to[1]])
        if far.any():  # no road within 500 m: its own reason, never "closed roads"
            raise FieldError.of("start" if far[0] else "to", "route.no_road_near", limit=f"{MAX_ACCESS_M:g}")
        raise FieldError.of("to", "route.unreachable")
    return {"geometry": {"type": "LineString", "coordinates": trip.coords},
            "seconds": round(trip.seconds, 1), "metres": round(trip.metres, 1),
            "via": trip.via, "blocked_edges": int(graph.blocked.sum()), "synthetic_network": graph.synthetic}


@roads_api.post("/api/v1/routes/plan")
@body(PlanRequest)
@responds(SupplyPlan, errors=(400, 415, 503))
def supply_plan():
    """Vehicle routes from depots to shelters for the shelters' needs (or typed demands)."""
    from services.supply.routes import RoutePlanRequest, load_route_inputs, solve_supply_routes
    settings = app_settings()
    raw = json_body()
    req = parse(PlanRequest, raw)
    fields = req.model_dump()
    fields["demands"] = {k: {"kg": v["kg"], "m3": v["m3"]} for k, v in fields["demands"].items()}
    # The deployment may bound the solver below what a request asks (QJ_ROUTE_SOLVER_MAX_S; 60 s by default).
    fields["seconds"] = min(req.seconds, settings.route_solver.max_seconds)
    with unit() as uow:  # read the inputs, then close the unit: no transaction stays open for the solve
        inputs = load_route_inputs(uow, RoutePlanRequest(**fields))
    return solve_supply_routes(settings, inputs).to_json()


@roads_api.get("/api/v1/routes/isochrones")
@query(IsochroneQuery)
@responds(Isochrones, media_type=GEOJSON, errors=(400, 503))
def isochrones():
    """Areas reachable by road from a point within 15/30/60 minutes (or ``minutes=a,b,c``)."""
    req = parse_query(IsochroneQuery, request.args)
    try:
        minutes = [float(m) for m in req.minutes.split(",")]
    except ValueError:
        minutes = []
    if not minutes or len(minutes) > 6 or not all(0 < m <= 240 for m in minutes):
        raise FieldError.of("minutes", "route.minutes")
    with unit() as uow:
        return isochrones_geojson(uow, req.lon, req.lat, minutes, hazard_blocks=req.hazard_blocks)
