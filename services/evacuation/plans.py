"""Evacuation plans (疏散方案): who moves from which hazard point to which shelter, by which road.

A scenario (services/evacuation/scenario.py) selects the people to move (hazard points by type, warning level,
township or a drawn area); they are assigned to open shelters with free places by exact min-cost flow on road
travel time (see geo/assignment.py for the objective), within a travel-time limit. Plans are saved with their
inputs; services/evacuation/plan_printout.py prints them. Every function here takes the caller's unit of work.
"""
from __future__ import annotations

import json

import numpy as np
import shapely
from shapely.geometry import shape
from sqlalchemy import select

from geo import travel
from geo.assignment import assign
from geo.roads import MAX_ACCESS_M, RoadGraph
from services import vocabulary
from services.clock import now_utc
from services.db import audit
from services.db.uow import UnitOfWork
from services.evacuation.plan_result import (
    UNSAVED_ID,
    Assignment,
    DemandRow,
    PlanListing,
    PlanResult,
    PlanShelter,
    PlanTotals,
    RoadNetworkUsed,
    SavedPlan,
    objective_text,
)
from services.evacuation.plan_printout import plan_html, plan_workbook  # noqa: F401 — where callers found them
from services.evacuation.scenario import Scenario, ScenarioError  # noqa: F401 — part of this module's interface
from services.evacuation.shelters import capacity_summary
from services.map.layers import LayerFilter, point_layer
from services.models import EvacuationPlan
from services.models.accounts import UserAccount
from services.roads.network import road_graph
from services.text.reasons import Reason


def _demand(uow: UnitOfWork, scenario: Scenario) -> list[dict]:
    where = {k: tuple(v) for k, v in (("hazard_type", scenario.hazard_types),
                                      ("warning_level", scenario.warning_levels)) if v}
    features = point_layer(uow, "hazards", LayerFilter(where=where), "full").features
    if scenario.hazard_ids:
        chosen = set(scenario.hazard_ids)
        features = tuple(f for f in features if f.id in chosen)
    if scenario.townships:
        codes = set(scenario.townships)
        features = tuple(f for f in features if f.properties["township_code"] in codes)
    if scenario.area is not None and features:
        area = shape(scenario.area.get("geometry", scenario.area))
        inside = shapely.contains_xy(area, np.array([f.lon for f in features], dtype=float),
                                     np.array([f.lat for f in features], dtype=float))
        features = tuple(f for f, keep in zip(features, inside) if keep)
    return [{"id": f.id, "name": f.properties["name"], "township_name": f.properties["township_name"],
             "township_code": f.properties["township_code"],
             "lon": f.lon, "lat": f.lat, "people": int(f.properties["threatened_people"])}
            for f in features if f.properties["threatened_people"] > 0]


def _travel(graph: RoadGraph, demand: list[dict], shelters: list, limit_s: float):
    """Travel seconds (demand × shelter) including walking to and from the road, and both sides snapped."""
    d_snapped = travel.snap(graph, [d["lon"] for d in demand], [d["lat"] for d in demand])
    s_snapped = travel.snap(graph, [s.lon for s in shelters], [s.lat for s in shelters])
    return travel.travel_matrix(graph, d_snapped, s_snapped, limit=limit_s), d_snapped, s_snapped


def _routes(graph: RoadGraph, flows: np.ndarray, d_snapped: travel.Snapped, s_snapped: travel.Snapped) -> dict:
    """(demand index, shelter index) → (route coordinates, road names), for every pair with people."""
    routes = {}
    for j in np.nonzero(flows.sum(axis=0))[0]:
        users = np.nonzero(flows[:, j])[0]
        for i, trip in zip(users, travel.routes_to(graph, d_snapped.take(users), s_snapped.take([j]))):
            if trip is not None:
                routes[(int(i), int(j))] = (tuple(tuple(p) for p in trip.coords), tuple(trip.via))
    return routes


def _unmet_reason(scenario: Scenario, seconds_i: np.ndarray, limit_s: float, any_shelter: bool,
                  no_road: bool = False) -> Reason:
    if no_road:  # farther than MAX_ACCESS_M from any road: not a closure
        return Reason("plan.unmet.no_road", {"limit": f"{MAX_ACCESS_M:g}"})
    reachable = np.isfinite(seconds_i) & (seconds_i <= limit_s) if any_shelter else np.array([])
    if not reachable.any():
        return Reason("plan.unmet.unreachable", {"minutes": f"{scenario.max_travel_min:g}"})
    return Reason("plan.unmet.full")


def plan(uow: UnitOfWork, scenario: Scenario) -> PlanResult:
    """Compute a plan for ``scenario`` (not saved) from one snapshot: hazard points, shelters, roads (``plan.read``)."""
    uow.principal.require("plan.read")
    demand = _demand(uow, scenario)
    summary = capacity_summary(uow, exclude_unsafe=scenario.exclude_unsafe)
    shelters = [s for s in summary.shelters if s.status != vocabulary.SHELTER_CLOSED and s.available_places > 0
                and not (scenario.exclude_unsafe and s.unsafe_reasons)]
    graph = road_graph(uow, hazard_blocks=scenario.block_hazard_roads)
    limit_s = scenario.max_travel_min * 60
    routes: dict = {}
    cut_off = travel.no_road_near(graph, [d["lon"] for d in demand], [d["lat"] for d in demand])
    if demand and shelters:
        seconds, d_nodes, s_nodes = _travel(graph, demand, shelters, limit_s)
        result = assign(seconds, [d["people"] for d in demand], [s.available_places for s in shelters], limit_s)
        flows, unmet = result.flows, result.unmet
        routes = _routes(graph, flows, d_nodes, s_nodes)
    else:
        seconds = np.full((len(demand), len(shelters)), np.inf)
        flows, unmet = np.zeros(seconds.shape, dtype=np.int64), np.array([d["people"] for d in demand], np.int64)
    rows = []
    for i, d in enumerate(demand):
        assigned = tuple(Assignment(shelters[j].id, shelters[j].name, int(flows[i, j]), round(float(seconds[i, j])),
                                    (shelters[j].lon, shelters[j].lat), *routes.get((i, int(j)), (None, ())))
                         for j in np.nonzero(flows[i])[0])
        reason = (_unmet_reason(scenario, seconds[i], limit_s, bool(shelters), bool(cut_off[i]))
                  if unmet[i] else None)
        rows.append(DemandRow(d["id"], d["name"], d["township_name"], d["lon"], d["lat"], d["people"], assigned,
                              int(unmet[i]), reason, d["township_code"]))
    arrivals = flows.sum(axis=0) if len(demand) else np.zeros(len(shelters), dtype=np.int64)
    used = flows > 0
    people_s = (flows * np.where(used, seconds, 0)).sum()
    assigned_total = int(flows.sum())
    totals = PlanTotals(len(demand), int(sum(d["people"] for d in demand)), assigned_total, int(unmet.sum()),
                        round(float(seconds[used].max())) if used.any() else None,
                        round(float(people_s / assigned_total)) if assigned_total else None)
    return PlanResult(
        scenario, RoadNetworkUsed(graph.synthetic, graph.node_count, graph.edge_count, int(graph.blocked.sum())),
        totals, tuple(rows),
        tuple(PlanShelter(s.id, s.name, s.township_name, s.lon, s.lat, s.available_places, int(arrivals[j]),
                          s.available_places - int(arrivals[j]), s.township_code) for j, s in enumerate(shelters)),
        objective_text())


def save_plan(uow: UnitOfWork, scenario: Scenario) -> SavedPlan:
    """Compute a plan and store it with its inputs, in the caller's writing unit; audited under ``uow.actor``.

    The computation runs inside the unit (tens of milliseconds on the district; seconds on a 50,000-node network),
    so the plan and the shelters' free places it used are one snapshot.
    """
    uow.principal.require("plan.save")
    result = plan(uow, scenario)
    data = result.to_json()
    row = EvacuationPlan(name=scenario.name[:100], actor=uow.actor[:80],
                         scenario=json.dumps(data["scenario"], ensure_ascii=False),
                         result=json.dumps(data, ensure_ascii=False),
                         people=result.totals.people, assigned=result.totals.assigned)
    uow.session.add(row)
    uow.session.flush()
    audit.record(uow.session, actor=uow.actor, action="create", entity="evacuation_plan", entity_key=str(row.id),
                 detail=data["totals"])
    return SavedPlan(row.id, row.name, row.created_at, row.actor, result, _authors(uow, {row.actor}).get(row.actor, ""))


def what_if(uow: UnitOfWork, scenario: Scenario) -> SavedPlan:
    """Compute a plan and keep nothing (试算): ``plan.read`` is enough, nothing is written or audited.

    It comes back as a plan with id ``UNSAVED_ID`` (0), made now by ``uow.actor``, so that pages show it as they show
    a saved one, without the links (workbook, printout) that only a stored plan has.
    """
    result = plan(uow, scenario)
    return SavedPlan(UNSAVED_ID, scenario.name[:100], now_utc(), uow.actor, result, uow.principal.display_name
                     if uow.principal.display_name != uow.actor else "")


def _authors(uow: UnitOfWork, actors: set[str]) -> dict[str, str]:
    """Account name → display name, for the accounts among ``actors`` (system actors and deleted accounts: none)."""
    if not actors:
        return {}
    rows = uow.session.execute(select(UserAccount.username, UserAccount.display_name)
                               .where(UserAccount.username.in_(actors)))
    return {u: d or "" for u, d in rows}


def load_plan(uow: UnitOfWork, plan_id: int) -> SavedPlan | None:
    """A saved plan (county-wide: ``plan.read``), or None."""
    uow.principal.require("plan.read")
    row = uow.session.get(EvacuationPlan, plan_id)
    if row is None:
        return None
    return SavedPlan(row.id, row.name, row.created_at, row.actor, PlanResult.from_json(json.loads(row.result)),
                     _authors(uow, {row.actor}).get(row.actor, ""))


def list_plans(uow: UnitOfWork, limit: int = 100) -> list[PlanListing]:
    """The newest saved plans first (county-wide: ``plan.read``)."""
    uow.principal.require("plan.read")
    rows = uow.session.scalars(select(EvacuationPlan).order_by(EvacuationPlan.id.desc()).limit(limit)).all()
    authors = _authors(uow, {r.actor for r in rows})
    return [PlanListing(r.id, r.name, r.created_at, r.actor, r.people, r.assigned, authors.get(r.actor, ""))
            for r in rows]
