"""Supply routes (物资调度): which vehicle carries how much from which depot to which shelter, on open roads.

Demands come from the people housed in each shelter × the needs profile × days (or are typed in), in kg
and m³. Vehicles are the depots' available trucks and pickups, with payload (kg), volume (m³) and a shift
length. This module loads and describes; geo/vrp.py builds and solves the multi-depot capacitated routing
(PyVRP) on road travel times (closures honoured) under a time limit, at most a few solves at once
(services/supply/solver_slots.py). A shelter no vehicle can reach, or whose demand no vehicle can carry in
one trip, is reported by name with the reason. Depot stock levels are not a constraint here (the coverage
page shows them).
"""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import select

from config import Settings
from geo import travel
from geo.vrp import DeliveryPlan, DeliveryProblem, Truck, Visit, solve_deliveries
from services.db import read_session
from services.errors import FieldError
from services.models import Depot, Shelter, SupplyItem, Vehicle
from services.roads.network import road_graph
from services.supply.needs import current_profile, required_amount
from services.supply.solver_slots import solver_slot

TRUCK_KINDS = ("货车", "皮卡")
SERVICE_S = 20 * 60  # unloading at a shelter


@dataclass
class RoutePlanRequest:
    shelter_ids: list[int] = field(default_factory=list)   # empty: every shelter housing people
    depot_ids: list[int] = field(default_factory=list)     # empty: every depot with an available truck
    vehicle_ids: list[int] = field(default_factory=list)   # empty: every available truck of those depots
    days: int = 1
    demands: dict[int, dict] = field(default_factory=dict)  # shelter id → {"kg": ..., "m3": ...} typed in
    shift_hours: float = 8.0
    seconds: float = 5.0
    hazard_blocks: bool = False
    critical_within_hours: float | None = 4.0  # water, food and medicine must arrive within this; None: no rule
    latest_arrival_min: dict[int, float] = field(default_factory=dict)  # shelter id → time window end


CRITICAL_HAVES = ("water", "food", "medical")


@dataclass(frozen=True)
class CatalogueItem:
    name: str
    unit: str
    unit_weight_kg: float
    unit_volume_m3: float


def needs_and_catalogue(settings: Settings) -> tuple[list[dict], dict[str, CatalogueItem]]:
    """The current needs profile and the supply catalogue by code: two queries, once per plan."""
    _, needs = current_profile(settings)
    with read_session(settings.database_url) as session:
        items = {i.code: CatalogueItem(i.name, i.unit, float(i.unit_weight_kg), float(i.unit_volume_m3))
                 for i in session.scalars(select(SupplyItem))}
    return needs, items


def demand_lines(needs: list[dict], items: dict[str, CatalogueItem], people: int, days: int) -> list[dict]:
    """What ``people`` need over ``days`` by ``needs``: one line per catalogue item, in whole units."""
    lines: dict[str, dict] = {}
    for need in needs:
        code, per_unit = next(iter(need["items"].items()))
        units = required_amount(need, people, days) / per_unit
        line = lines.setdefault(code, {"code": code, "name": items[code].name, "unit": items[code].unit,
                                       "quantity": 0.0, "critical": need["have"] in CRITICAL_HAVES})
        line["quantity"] += math.ceil(units)
    for line in lines.values():
        item = items[line["code"]]
        line["kg"], line["m3"] = line["quantity"] * item.unit_weight_kg, line["quantity"] * item.unit_volume_m3
    return [line for line in lines.values() if line["quantity"] > 0]


def shelter_items(settings: Settings, people: int, days: int) -> list[dict]:
    """What ``people`` need over ``days`` by the needs profile: one line per catalogue item."""
    return demand_lines(*needs_and_catalogue(settings), people, days)


def shelter_demand(settings: Settings, people: int, days: int) -> tuple[float, float]:
    """kg and m³ of what ``people`` need over ``days`` (whole item units)."""
    lines = shelter_items(settings, people, days)
    return sum(x["kg"] for x in lines), sum(x["m3"] for x in lines)


def _load(settings: Settings, req: RoutePlanRequest):
    with read_session(settings.database_url) as session:
        shelters = session.scalars(select(Shelter).order_by(Shelter.id)).all()
        depots = session.scalars(select(Depot).order_by(Depot.id)).all()
        vehicles = session.scalars(select(Vehicle).where(Vehicle.status == "可用", Vehicle.kind.in_(TRUCK_KINDS),
                                                         Vehicle.depot_id.is_not(None))).all()
    if req.shelter_ids:
        known = {s.id for s in shelters}
        missing = [i for i in req.shelter_ids if i not in known]
        if missing:
            raise FieldError("shelter_ids", f"没有编号为 {missing[0]} 的避难场所", f"no shelter with id {missing[0]}")
        shelters = [s for s in shelters if s.id in set(req.shelter_ids)]
    else:
        shelters = [s for s in shelters if s.occupancy_people > 0 or s.id in req.demands]
    if req.vehicle_ids:
        known = {v.id for v in vehicles}
        missing = [i for i in req.vehicle_ids if i not in known]
        if missing:
            raise FieldError("vehicle_ids", f"车辆 {missing[0]} 不存在或不可用（须为储备库的可用货车/皮卡）",
                             f"vehicle {missing[0]} is not an available depot truck")
        vehicles = [v for v in vehicles if v.id in set(req.vehicle_ids)]
    fleet: dict[int, list[Vehicle]] = {}
    for v in vehicles:
        fleet.setdefault(v.depot_id, []).append(v)
    if req.depot_ids:
        depots = [d for d in depots if d.id in set(req.depot_ids)]
    depots = [d for d in depots if d.id in fleet]
    if not depots:
        raise FieldError("depot_ids", "所选储备库没有可用货车", "the chosen depots have no available truck")
    return shelters, depots, fleet


@dataclass(frozen=True)
class _Drop:
    """One visit of the plan: a share of a shelter's lines (critical or not), one truck-load at most."""

    shelter: Shelter
    kg: float
    m3: float
    window_s: float | None
    lines: list[dict]


def _drops(req: RoutePlanRequest, shelter: Shelter, lines: list[dict], max_kg: float, max_m3: float) -> list[_Drop]:
    """Critical items (water, food, medicine) travel as their own visits, split into what one truck carries."""
    latest = req.latest_arrival_min.get(shelter.id)
    drops: list[_Drop] = []
    for critical in (True, False):
        part = [x for x in lines if x["critical"] == critical]
        kg, m3 = sum(x["kg"] for x in part), sum(x["m3"] for x in part)
        if kg <= 0 and m3 <= 0:
            continue
        window = latest * 60 if latest is not None else None
        if critical and req.critical_within_hours is not None:
            window = min(window or math.inf, req.critical_within_hours * 3600)
        trips = max(1, math.ceil(max(kg / max_kg, m3 / max_m3)))  # split what one truck cannot carry
        share = [dict(x, quantity=x["quantity"] / trips, kg=x["kg"] / trips, m3=x["m3"] / trips) for x in part]
        drops += [_Drop(shelter, kg / trips, m3 / trips, window, share)] * trips
    return drops


def plan_supply_routes(settings: Settings, req: RoutePlanRequest) -> dict:
    """Solve the routing; a JSON-ready dict (plain Python types) with routes, loads, ETAs and the unserved.

    Raises PlannerBusy (services.supply.solver_slots) when every solver slot stays taken.
    """
    shelters, depots, fleet = _load(settings, req)
    graph = road_graph(settings, hazard_blocks=req.hazard_blocks)
    places = [(d.lon, d.lat) for d in depots] + [(s.lon, s.lat) for s in shelters]
    snapped = travel.snap(graph, [p[0] for p in places], [p[1] for p in places])
    seconds = travel.travel_matrix(graph, snapped, snapped, "seconds")
    metres = travel.travel_matrix(graph, snapped, snapped, "metres")
    trucks = [v for d in depots for v in fleet[d.id]]
    max_kg, max_m3 = max(v.payload_kg for v in trucks), max(v.volume_m3 for v in trucks)
    needs, catalogue = needs_and_catalogue(settings)
    n_depots, unserved, drops, drop_places = len(depots), [], [], []
    for k, s in enumerate(shelters, start=n_depots):
        typed = req.demands.get(s.id)
        lines = ([{"code": "TYPED", "name": "指定物资", "unit": "千克", "quantity": float(typed.get("kg", 0)),
                   "kg": float(typed.get("kg", 0)), "m3": float(typed.get("m3", 0)), "critical": False}]
                 if typed else demand_lines(needs, catalogue, s.occupancy_people, req.days))
        if not np.isfinite(seconds[:n_depots, k]).any() or not np.isfinite(seconds[k, :n_depots]).any():
            unserved.append({"shelter_id": s.id, "name": s.name, "kg": round(sum(x["kg"] for x in lines)),
                             "reason": "道路阻断或不通，无法到达"})
            continue
        new = _drops(req, s, lines, max_kg, max_m3)
        drops += new
        drop_places += [k] * len(new)
    if not drops:
        return {"feasible": True, "synthetic_network": graph.synthetic, "vehicles": [], "unserved": unserved,
                "totals": {"distance_m": 0, "duration_s": 0, "kg": 0}}
    depot_index = {d.id: i for i, d in enumerate(depots)}
    problem = DeliveryProblem(
        seconds, metres, n_depots,
        [Truck(depot_index[v.depot_id], float(v.payload_kg), float(v.volume_m3), v.plate) for v in trucks],
        [Visit(k, d.kg, d.m3, d.window_s, d.shelter.name) for k, d in zip(drop_places, drops)],
        service_s=SERVICE_S, shift_s=req.shift_hours * 3600)
    with solver_slot(settings):
        solution = solve_deliveries(problem, req.seconds)
    result = _describe(solution, problem, depots, trucks, drops, unserved, graph.synthetic)
    _add_geometry(result, graph, snapped, solution, problem)
    return result


def _add_geometry(result: dict, graph, snapped: travel.Snapped, solution: DeliveryPlan,
                  problem: DeliveryProblem) -> None:
    """Each vehicle's route along the roads: depot → stops → depot, as [lon, lat] pairs."""
    for vehicle, route in zip(result["vehicles"], solution.routes):
        depot = problem.trucks[route.truck].depot
        sequence = [depot] + [problem.visits[stop.visit].place for stop in route.stops] + [depot]
        coords = [snapped.lonlat(sequence[0])]
        for a, b in itertools.pairwise(sequence):
            trip = travel.route(graph, snapped.lonlat(a), snapped.lonlat(b)) if a != b else None
            coords += trip.coords[1:] if trip is not None else [snapped.lonlat(b)]
        vehicle["geometry"] = {"type": "LineString", "coordinates": coords}


def _describe(solution: DeliveryPlan, problem: DeliveryProblem, depots: list[Depot], trucks: list[Vehicle],
              drops: list[_Drop], unserved: list[dict], synthetic: bool) -> dict:
    for index in solution.unvisited:
        s, window_s = drops[index].shelter, drops[index].window_s
        fastest_s = float(np.min(problem.seconds[:problem.depots, problem.visits[index].place]))
        reason = (f"时限内无法送达：最快也需 {fastest_s / 60:.0f} 分钟，要求 {window_s / 60:.0f} 分钟内"
                  if window_s is not None and fastest_s > window_s else "运力不足：车辆载重、容积或班次时长不够")
        unserved.append({"shelter_id": s.id, "name": s.name, "kg": round(drops[index].kg), "reason": reason})
    vehicles = []
    for route in solution.routes:
        vehicle, stops, load_kg = trucks[route.truck], [], 0.0
        for stop in route.stops:
            drop = drops[stop.visit]
            stops.append({"shelter_id": drop.shelter.id, "name": drop.shelter.name, "kg": round(drop.kg),
                          "m3": round(drop.m3, 2), "eta_s": round(stop.eta_s),
                          "latest_s": None if drop.window_s is None else round(drop.window_s),
                          "late": stop.late, "critical": all(x["critical"] for x in drop.lines),
                          "items": [{"code": x["code"], "name": x["name"], "unit": x["unit"],
                                     "quantity": round(x["quantity"], 1)} for x in drop.lines]})
            load_kg += drop.kg
        depot = next(d for d in depots if d.id == vehicle.depot_id)
        vehicles.append({"plate": vehicle.plate, "kind": vehicle.kind, "depot": depot.name, "stops": stops,
                         "kg": round(load_kg), "distance_m": route.distance_m, "duration_s": route.duration_s})
    return {"feasible": solution.feasible, "synthetic_network": synthetic, "vehicles": vehicles,
            "unserved": unserved,
            "totals": {"distance_m": sum(v["distance_m"] for v in vehicles),
                       "duration_s": sum(v["duration_s"] for v in vehicles),
                       "kg": sum(v["kg"] for v in vehicles)}}


def depot_names(settings: Settings) -> list[tuple[int, str]]:
    """(id, name) of every depot, for choosing where trucks start."""
    with read_session(settings.database_url) as session:
        return [tuple(r) for r in session.execute(select(Depot.id, Depot.name).order_by(Depot.id))]


def available_trucks(settings: Settings) -> list[tuple[int, str]]:
    """(id, label) of the depots' available trucks and pickups, for choosing the fleet."""
    with read_session(settings.database_url) as session:
        rows = session.execute(select(Vehicle.id, Vehicle.plate, Vehicle.kind, Vehicle.payload_kg, Depot.name)
                               .join(Depot, Depot.id == Vehicle.depot_id)
                               .where(Vehicle.status == "可用", Vehicle.kind.in_(TRUCK_KINDS)).order_by(Vehicle.id))
        return [(r.id, f"{r.plate} {r.kind} {r.payload_kg:,.0f} kg · {r.name}") for r in rows]
