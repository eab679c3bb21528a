"""Supply routes (物资调度): which vehicle carries how much from which depot to which shelter, on open roads.

Demands come from the people housed in each shelter × the needs profile × days (or are typed in), in kg
and m³. Vehicles are the depots' available trucks and pickups, with payload (kg), volume (m³) and a shift
length. Planning is two steps, so no transaction stays open during a solve of up to 60 s:

1. ``load_route_inputs(uow, req)`` reads shelters, depots, trucks, the needs profile and the road graph in the
   caller's reading unit of work, as plain data; the caller then closes the unit;
2. ``solve_supply_routes(settings, inputs)`` needs no database: it builds the travel matrices and solves the
   multi-depot capacitated routing (geo/vrp.py, PyVRP) under a time limit, at most a few solves at once
   (services/supply/solver_slots.py).

A shelter no vehicle can reach, or whose demand no vehicle can carry in time, is reported by name with a coded
reason. Depot stock levels are not a constraint here (the coverage page shows them).
"""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import select

from config import Settings
from geo import travel
from geo.roads import RoadGraph
from geo.vrp import DeliveryPlan, DeliveryProblem, Truck, Visit, solve_deliveries
from services import vocabulary
from services.db.uow import UnitOfWork
from services.errors import FieldError
from services.models import Depot, Shelter, SupplyItem, Vehicle
from services.roads.network import road_graph
from services.supply.needs import current_profile, required_amount
from services.supply.route_plan import RoutePlan, RouteTotals, Stop, StopItem, Unserved, VehicleRoute
from services.supply.solver_slots import solver_slot
from services.text import t
from services.text.reasons import Reason

TRUCK_KINDS = vocabulary.TRUCK_KINDS
SERVICE_S = 20 * 60  # unloading at a shelter
CRITICAL_HAVES = ("water", "food", "medical")


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


@dataclass(frozen=True)
class CatalogueItem:
    name: str
    unit: str
    unit_weight_kg: float
    unit_volume_m3: float


@dataclass(frozen=True)
class DemandLine:
    """What a shelter needs of one catalogue item (whole units), with weight and volume."""

    code: str
    name: str
    unit: str
    quantity: float
    critical: bool
    kg: float
    m3: float

    def share(self, trips: int) -> DemandLine:
        return DemandLine(self.code, self.name, self.unit, self.quantity / trips, self.critical, self.kg / trips,
                          self.m3 / trips)


@dataclass(frozen=True)
class Place:
    """A shelter or depot as the solve needs it (plain data: read in a unit of work that is closed by then)."""

    id: int
    name: str
    lon: float
    lat: float
    people: int = 0  # housed now (shelters)


@dataclass(frozen=True)
class TruckRow:
    id: int
    plate: str
    kind: str
    depot_id: int
    payload_kg: float
    volume_m3: float


@dataclass(frozen=True)
class RouteInputs:
    """Everything a solve reads, from one snapshot; holds no session."""

    request: RoutePlanRequest
    shelters: tuple[Place, ...]
    depots: tuple[Place, ...]
    trucks: tuple[TruckRow, ...]  # of those depots, in depot order
    needs: list[dict]
    catalogue: dict[str, CatalogueItem]
    graph: RoadGraph


def needs_and_catalogue(uow: UnitOfWork) -> tuple[list[dict], dict[str, CatalogueItem]]:
    """The current needs profile and the supply catalogue by code: two queries, once per plan."""
    items = {i.code: CatalogueItem(i.name, i.unit, float(i.unit_weight_kg), float(i.unit_volume_m3))
             for i in uow.session.scalars(select(SupplyItem))}
    return current_profile(uow).needs, items


def demand_lines(needs: list[dict], items: dict[str, CatalogueItem], people: int, days: int) -> list[DemandLine]:
    """What ``people`` need over ``days`` by ``needs``: one line per catalogue item, in whole units."""
    quantity: dict[str, float] = {}
    critical: dict[str, bool] = {}
    for need in needs:
        code, per_unit = next(iter(need["items"].items()))
        quantity[code] = quantity.get(code, 0.0) + math.ceil(required_amount(need, people, days) / per_unit)
        critical.setdefault(code, need["have"] in CRITICAL_HAVES)
    return [DemandLine(code, items[code].name, items[code].unit, q, critical[code], q * items[code].unit_weight_kg,
                       q * items[code].unit_volume_m3) for code, q in quantity.items() if q > 0]


def shelter_items(uow: UnitOfWork, people: int, days: int) -> list[DemandLine]:
    """What ``people`` need over ``days`` by the needs profile: one line per catalogue item."""
    return demand_lines(*needs_and_catalogue(uow), people, days)


def shelter_demand(uow: UnitOfWork, people: int, days: int) -> tuple[float, float]:
    """kg and m³ of what ``people`` need over ``days`` (whole item units)."""
    lines = shelter_items(uow, people, days)
    return sum(x.kg for x in lines), sum(x.m3 for x in lines)


def load_route_inputs(uow: UnitOfWork, req: RoutePlanRequest) -> RouteInputs:
    """Read what a plan for ``req`` needs, in the caller's (reading) unit; raises FieldError for bad choices.

    County-wide: ``plan.read`` (township staff do not hold it)."""
    uow.principal.require("plan.read")
    session = uow.session
    shelters = session.scalars(select(Shelter).order_by(Shelter.id)).all()
    depots = session.scalars(select(Depot).order_by(Depot.id)).all()
    vehicles = session.scalars(select(Vehicle).where(Vehicle.status == vocabulary.VEHICLE_AVAILABLE, Vehicle.kind.in_(TRUCK_KINDS),
                                                     Vehicle.depot_id.is_not(None)).order_by(Vehicle.id)).all()
    if req.shelter_ids:
        missing = sorted(set(req.shelter_ids) - {s.id for s in shelters})
        if missing:
            raise FieldError.of("shelter_ids", "shelter.not_found", id=missing[0])
        shelters = [s for s in shelters if s.id in set(req.shelter_ids)]
    else:
        shelters = [s for s in shelters if s.occupancy_people > 0 or s.id in req.demands]
    if req.vehicle_ids:
        missing = sorted(set(req.vehicle_ids) - {v.id for v in vehicles})
        if missing:
            raise FieldError.of("vehicle_ids", "vehicle.unavailable", id=missing[0])
        vehicles = [v for v in vehicles if v.id in set(req.vehicle_ids)]
    with_trucks = {v.depot_id for v in vehicles}
    depots = [d for d in depots if d.id in with_trucks and (not req.depot_ids or d.id in set(req.depot_ids))]
    if not depots:
        raise FieldError.of("depot_ids", "depot.no_truck")
    trucks = [TruckRow(v.id, v.plate, v.kind, v.depot_id, float(v.payload_kg), float(v.volume_m3))
              for d in depots for v in vehicles if v.depot_id == d.id]
    needs, catalogue = needs_and_catalogue(uow)
    return RouteInputs(req, tuple(Place(s.id, s.name, s.lon, s.lat, s.occupancy_people) for s in shelters),
                       tuple(Place(d.id, d.name, d.lon, d.lat) for d in depots), tuple(trucks), needs, catalogue,
                       road_graph(uow, hazard_blocks=req.hazard_blocks))


@dataclass(frozen=True)
class _Drop:
    """One visit of the plan: a share of a shelter's lines (critical or not), one truck-load at most."""

    shelter: Place
    kg: float
    m3: float
    window_s: float | None
    lines: tuple[DemandLine, ...]


def _drops(req: RoutePlanRequest, shelter: Place, lines: list[DemandLine], max_kg: float,
           max_m3: float) -> list[_Drop]:
    """Critical items (water, food, medicine) travel as their own visits, split into what one truck carries."""
    latest = req.latest_arrival_min.get(shelter.id)
    drops: list[_Drop] = []
    for critical in (True, False):
        part = [x for x in lines if x.critical == critical]
        kg, m3 = sum(x.kg for x in part), sum(x.m3 for x in part)
        if kg <= 0 and m3 <= 0:
            continue
        window = latest * 60 if latest is not None else None
        if critical and req.critical_within_hours is not None:
            window = min(window or math.inf, req.critical_within_hours * 3600)
        trips = max(1, math.ceil(max(kg / max_kg, m3 / max_m3)))  # split what one truck cannot carry
        drops += [_Drop(shelter, kg / trips, m3 / trips, window, tuple(x.share(trips) for x in part))] * trips
    return drops


def _lines(inputs: RouteInputs, shelter: Place) -> list[DemandLine]:
    typed = inputs.request.demands.get(shelter.id)
    if typed:
        kg = float(typed.get("kg", 0))
        return [DemandLine("TYPED", t("sup.typed_item"), t("sup.typed_unit"), kg, False, kg, float(typed.get("m3", 0)))]
    return demand_lines(inputs.needs, inputs.catalogue, shelter.people, inputs.request.days)


def solve_supply_routes(settings: Settings, inputs: RouteInputs) -> RoutePlan:
    """Solve the routing of ``inputs`` (no database: call it after the reading unit has closed).

    Raises PlannerBusy (services.supply.solver_slots) when every solver slot stays taken.
    """
    req, graph, depots, shelters = inputs.request, inputs.graph, inputs.depots, inputs.shelters
    places = [(d.lon, d.lat) for d in depots] + [(s.lon, s.lat) for s in shelters]
    snapped = travel.snap(graph, [p[0] for p in places], [p[1] for p in places])
    seconds = travel.travel_matrix(graph, snapped, snapped, "seconds")
    metres = travel.travel_matrix(graph, snapped, snapped, "metres")
    max_kg = max(v.payload_kg for v in inputs.trucks)
    max_m3 = max(v.volume_m3 for v in inputs.trucks)
    n_depots, unserved, drops, drop_places = len(depots), [], [], []
    for k, s in enumerate(shelters, start=n_depots):
        lines = _lines(inputs, s)
        if not np.isfinite(seconds[:n_depots, k]).any() or not np.isfinite(seconds[k, :n_depots]).any():
            unserved.append(Unserved(s.id, s.name, round(sum(x.kg for x in lines)), Reason("sup.unserved.unreachable")))
            continue
        new = _drops(req, s, lines, max_kg, max_m3)
        drops += new
        drop_places += [k] * len(new)
    if not drops:
        return RoutePlan(True, graph.synthetic, (), tuple(unserved), RouteTotals(0, 0, 0))
    depot_index = {d.id: i for i, d in enumerate(depots)}
    problem = DeliveryProblem(
        seconds, metres, n_depots, [Truck(depot_index[v.depot_id], v.payload_kg, v.volume_m3, v.plate)
                                    for v in inputs.trucks],
        [Visit(k, d.kg, d.m3, d.window_s, d.shelter.name) for k, d in zip(drop_places, drops)],
        service_s=SERVICE_S, shift_s=req.shift_hours * 3600)
    with solver_slot(settings):
        solution = solve_deliveries(problem, req.seconds)
    unserved += _skipped(solution, problem, drops)
    vehicles = _vehicles(solution, problem, inputs, drops, graph, snapped)
    return RoutePlan(bool(solution.feasible), graph.synthetic, vehicles, tuple(unserved), RouteTotals(
        sum(v.distance_m for v in vehicles), sum(v.duration_s for v in vehicles), sum(v.kg for v in vehicles)))


def _geometry(graph: RoadGraph, snapped: travel.Snapped, sequence: list[int]) -> dict:
    """A vehicle's route along the roads through ``sequence`` (matrix rows), as a GeoJSON LineString."""
    coords = [snapped.lonlat(sequence[0])]
    for a, b in itertools.pairwise(sequence):
        trip = travel.route(graph, snapped.lonlat(a), snapped.lonlat(b)) if a != b else None
        coords += trip.coords[1:] if trip is not None else [snapped.lonlat(b)]
    return {"type": "LineString", "coordinates": coords}


def _skipped(solution: DeliveryPlan, problem: DeliveryProblem, drops: list[_Drop]) -> list[Unserved]:
    result = []
    for index in solution.unvisited:
        s, window_s = drops[index].shelter, drops[index].window_s
        fastest_s = float(np.min(problem.seconds[:problem.depots, problem.visits[index].place]))
        reason = (Reason("sup.unserved.window", {"fastest_min": f"{fastest_s / 60:.0f}",
                                                  "window_min": f"{window_s / 60:.0f}"})
                  if window_s is not None and fastest_s > window_s else Reason("sup.unserved.capacity"))
        result.append(Unserved(s.id, s.name, round(drops[index].kg), reason))
    return result


def _vehicles(solution: DeliveryPlan, problem: DeliveryProblem, inputs: RouteInputs, drops: list[_Drop],
              graph: RoadGraph, snapped: travel.Snapped) -> tuple[VehicleRoute, ...]:
    depot_names = {d.id: d.name for d in inputs.depots}
    vehicles = []
    for route in solution.routes:
        truck, stops, load_kg = inputs.trucks[route.truck], [], 0.0
        for stop in route.stops:
            drop = drops[stop.visit]
            stops.append(Stop(drop.shelter.id, drop.shelter.name, round(drop.kg), round(drop.m3, 2), round(stop.eta_s),
                              None if drop.window_s is None else round(drop.window_s), bool(stop.late),
                              all(x.critical for x in drop.lines),
                              tuple(StopItem(x.code, x.name, x.unit, round(x.quantity, 1)) for x in drop.lines)))
            load_kg += drop.kg
        depot = problem.trucks[route.truck].depot
        sequence = [depot] + [problem.visits[stop.visit].place for stop in route.stops] + [depot]
        vehicles.append(VehicleRoute(truck.plate, truck.kind, depot_names[truck.depot_id], tuple(stops),
                                     round(load_kg), int(route.distance_m), int(route.duration_s),
                                     _geometry(graph, snapped, sequence)))
    return tuple(vehicles)


def depot_names(uow: UnitOfWork) -> list[tuple[int, str]]:
    """(id, name) of every depot, for choosing where trucks start."""
    return [tuple(r) for r in uow.session.execute(select(Depot.id, Depot.name).order_by(Depot.id))]


def available_trucks(uow: UnitOfWork) -> list[tuple[int, str]]:
    """(id, label) of the depots' available trucks and pickups, for choosing the fleet."""
    rows = uow.session.execute(select(Vehicle.id, Vehicle.plate, Vehicle.kind, Vehicle.payload_kg, Depot.name)
                               .join(Depot, Depot.id == Vehicle.depot_id)
                               .where(Vehicle.status == vocabulary.VEHICLE_AVAILABLE, Vehicle.kind.in_(TRUCK_KINDS)).order_by(Vehicle.id))
    return [(r.id, f"{r.plate} {r.kind} {r.payload_kg:,.0f} kg · {r.name}") for r in rows]
