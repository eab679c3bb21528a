"""Supply routes (物资调度): which vehicle carries how much from which depot to which shelter, on open roads.

Demands come from the people housed in each shelter × the needs profile × days (or are typed in), in kg
and m³. Vehicles are the depots' available trucks and pickups, with payload (kg), volume (m³) and a shift
length. PyVRP solves the multi-depot capacitated routing on road travel times (closures honoured) under a
time limit; a shelter no vehicle can reach, or whose demand no vehicle can carry in one trip, is reported
by name with the reason. Depot stock levels are not a constraint here (the coverage page shows them).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pyvrp
from pyvrp.stop import MaxRuntime
from sqlalchemy import select

from config import Settings
from geo.roads import ACCESS_SPEED_KMH, MAX_ACCESS_M
from services.db import read_session
from services.errors import FieldError
from services.models import Depot, Shelter, SupplyItem, Vehicle
from services.roads.network import road_graph
from services.supply.needs import current_profile, required_amount

TRUCK_KINDS = ("货车", "皮卡")
SERVICE_S = 20 * 60  # unloading at a shelter
PRIZE = 10**6  # per stop: more than any district route costs in metres (serving beats skipping), far less than infeasibility


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


def shelter_items(settings: Settings, people: int, days: int) -> list[dict]:
    """What ``people`` need over ``days`` by the needs profile: one line per catalogue item."""
    _, needs = current_profile(settings)
    with read_session(settings.database_url) as session:
        items = {i.code: i for i in session.scalars(select(SupplyItem))}
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


def plan_supply_routes(settings: Settings, req: RoutePlanRequest) -> dict:
    """Solve the routing; a JSON-ready dict with vehicles' routes, loads, ETAs and the unserved."""
    shelters, depots, fleet = _load(settings, req)
    graph = road_graph(settings, hazard_blocks=req.hazard_blocks)
    places = [(d.lon, d.lat) for d in depots] + [(s.lon, s.lat) for s in shelters]
    nodes, access = graph.snap([p[0] for p in places], [p[1] for p in places])
    seconds = graph.travel_from(nodes)[:, nodes] + (access[:, None] + access[None, :]) / (ACCESS_SPEED_KMH / 3.6)
    metres = graph.travel_from(nodes, weight="metres")[:, nodes] + access[:, None] + access[None, :]
    cut = access > MAX_ACCESS_M
    seconds[cut, :], seconds[:, cut], metres[cut, :], metres[:, cut] = np.inf, np.inf, np.inf, np.inf
    max_kg = max(v.payload_kg for vs in fleet.values() for v in vs)
    max_m3 = max(v.volume_m3 for vs in fleet.values() for v in vs)
    n_depots, unserved, visits = len(depots), [], []
    for k, s in enumerate(shelters, start=n_depots):
        typed = req.demands.get(s.id)
        lines = ([{"code": "TYPED", "name": "指定物资", "unit": "千克", "quantity": float(typed.get("kg", 0)),
                   "kg": float(typed.get("kg", 0)), "m3": float(typed.get("m3", 0)), "critical": False}]
                 if typed else shelter_items(settings, s.occupancy_people, req.days))
        if not np.isfinite(seconds[:n_depots, k]).any() or not np.isfinite(seconds[k, :n_depots]).any():
            unserved.append({"shelter_id": s.id, "name": s.name, "kg": round(sum(x["kg"] for x in lines)),
                             "reason": "道路阻断或不通，无法到达"})
            continue
        latest = req.latest_arrival_min.get(s.id)
        for critical in (True, False):  # critical items (water, food, medicine) travel as their own visit
            part = [x for x in lines if x["critical"] == critical]
            kg, m3 = sum(x["kg"] for x in part), sum(x["m3"] for x in part)
            if kg <= 0 and m3 <= 0:
                continue
            window = latest * 60 if latest is not None else None
            if critical and req.critical_within_hours is not None:
                window = min(window or math.inf, req.critical_within_hours * 3600)
            trips = max(1, math.ceil(max(kg / max_kg, m3 / max_m3)))  # split what one truck cannot carry
            share = [dict(x, quantity=x["quantity"] / trips, kg=x["kg"] / trips, m3=x["m3"] / trips) for x in part]
            visits += [(k, s, kg / trips, m3 / trips, window, share)] * trips
    if not visits:
        return {"feasible": True, "synthetic_network": graph.synthetic, "vehicles": [], "unserved": unserved,
                "totals": {"distance_m": 0, "duration_s": 0, "kg": 0}}
    result = _solve(req, depots, fleet, visits, seconds, metres, unserved, graph.synthetic)
    _add_geometry(result, graph, nodes, places, depots, shelters)
    return result


def _add_geometry(result: dict, graph, nodes, places, depots, shelters) -> None:
    """Each vehicle's route along the roads: depot → stops → depot, as [lon, lat] pairs."""
    where = {("depot", d.name): i for i, d in enumerate(depots)}
    where.update({("shelter", s.id): len(depots) + i for i, s in enumerate(shelters)})
    for vehicle in result["vehicles"]:
        sequence = [where[("depot", vehicle["depot"])]] + [where[("shelter", s["shelter_id"])]
                                                          for s in vehicle["stops"]] + [where[("depot", vehicle["depot"])]]
        coords = [list(places[sequence[0]])]
        for a, b in zip(sequence[:-1], sequence[1:]):
            path = graph.route(int(nodes[a]), int(nodes[b])) if a != b else None
            coords += [[float(graph.node_lon[n]), float(graph.node_lat[n])] for n in (path or [])]
            coords.append(list(places[b]))
        vehicle["geometry"] = {"type": "LineString", "coordinates": coords}


def _solve(req, depots, fleet, visits, seconds, metres, unserved, synthetic) -> dict:
    model = pyvrp.Model()
    depot_locs = [model.add_location(x=0, y=0, name=d.name) for d in depots]
    model_depots = [model.add_depot(loc, name=d.name) for loc, d in zip(depot_locs, depots)]
    visit_locs = []
    for k, s, kg, m3, window, _ in visits:
        loc = model.add_location(x=0, y=0, name=s.name)
        visit_locs.append((loc, k))
        extra = {"tw_late": int(window)} if window is not None and math.isfinite(window) else {}
        # Optional with a prize worth more than any detour: every stop is served when the fleet can, and
        # the ones it cannot carry or reach in a shift are left out and reported by name.
        model.add_client(loc, delivery=[int(math.ceil(kg)), int(math.ceil(m3 * 1000))],
                         service_duration=SERVICE_S, name=s.name, required=False, prize=PRIZE, **extra)
    for d_idx, d in enumerate(depots):
        for v in fleet[d.id]:
            model.add_vehicle_type(num_available=1, capacity=[int(v.payload_kg), int(v.volume_m3 * 1000)],
                                   start_depot=model_depots[d_idx], end_depot=model_depots[d_idx],
                                   shift_duration=int(req.shift_hours * 3600), unit_distance_cost=1, name=v.plate)
    index = [(loc, d_idx) for d_idx, loc in enumerate(depot_locs)] + visit_locs
    big = 10**9
    for a, ia in index:
        for b, ib in index:
            if a is b:
                continue
            finite = np.isfinite(seconds[ia, ib])
            model.add_edge(a, b, distance=int(metres[ia, ib]) if finite else big,
                           duration=int(seconds[ia, ib]) if finite else big)
    result = model.solve(stop=MaxRuntime(req.seconds), display=False, collect_stats=False)
    return _describe(result.best, depots, fleet, visits, seconds, unserved, synthetic)


def _describe(best, depots, fleet, visits, seconds, unserved, synthetic) -> dict:
    plates = [v for d in depots for v in fleet[d.id]]
    visited = {int(a.idx) for route in best.routes() for a in route if a.is_client()}
    for index, (_, s, kg, _, _, _) in enumerate(visits):
        if index not in visited:
            unserved.append({"shelter_id": s.id, "name": s.name, "kg": round(kg),
                             "reason": "运力不足：车辆载重、容积或班次时长不够"})
    vehicles = []
    for route in best.routes():
        vehicle = plates[route.vehicle_type()]
        depot_index = depots.index(next(d for d in depots if d.id == vehicle.depot_id))
        stops, clock, here, load = [], 0.0, depot_index, 0.0
        for activity in route:
            if not activity.is_client():
                continue
            k, s, kg, m3, window, lines = visits[int(activity.idx)]
            clock += seconds[here, k]
            stops.append({"shelter_id": s.id, "name": s.name, "kg": round(kg), "m3": round(m3, 2),
                          "eta_s": round(clock), "latest_s": None if window is None else round(window),
                          "late": window is not None and clock > window,
                          "critical": all(x["critical"] for x in lines),
                          "items": [{"code": x["code"], "name": x["name"], "unit": x["unit"],
                                     "quantity": round(x["quantity"], 1)} for x in lines]})
            clock += SERVICE_S
            here, load = k, load + kg
        vehicles.append({"plate": vehicle.plate, "kind": vehicle.kind, "depot": depots[depot_index].name,
                         "stops": stops, "kg": round(load), "distance_m": int(route.distance()),
                         "duration_s": int(route.duration())})
    return {"feasible": bool(best.is_feasible()), "synthetic_network": synthetic, "vehicles": vehicles,
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
