"""Supply routes (物资调度): which vehicle carries how much from which depot to which shelter, on open roads.

Demands come from the people housed in each shelter × the needs profile × days (or are typed in), in kg
and m³. Vehicles are the depots' available trucks and pickups, with payload (kg), volume (m³) and a shift
length. Planning is two steps, so no transaction stays open during a solve of up to 60 s:

1. ``load_route_inputs(uow, req)`` reads shelters, depots, trucks, the needs profile and the road graph in the
   caller's reading unit of work, as plain data; the caller then closes the unit;
2. ``solve_supply_routes(settings, inputs)`` needs no database: it builds the travel matrices and solves the
   multi-depot capacitated routing (geo/vrp.py, PyVRP) under a time limit, at most a few solves at once
   (services/supply/solver_slots.py).

★ Critical items (water, food, medicine: the needs whose 五有 is food, water or medical) reach each shelter no
later than its other supplies. A shelter's demand goes as one load when one truck carries it (one stop, critical
items first); a larger demand is split into loads, critical units first (services/supply/loads.py), and the plan
runs in two waves: wave 1 carries every load with critical items (within ``critical_within_hours``), wave 2 the
shelters' remaining loads, each unloaded no earlier than the last critical load of its shelter (a time-window
start), by trucks that set out when back from wave 1 and reloaded (``RELOAD_S``). For a demand one truck carries,
wave 1 chooses between the whole load and its critical part alone (alternatives of one PyVRP client group; the
whole is worth a little more, ``WHOLE_PRIZE``, never a second shelter's critical items), the rest then following
in wave 2. A truck calls at a shelter twice only when the shelter's demand exceeds a truck or its critical items
could not wait for the whole load, and each such stop carries the reason (``Stop.split``). When a shelter's
critical load cannot be carried, its other loads wait too (``sup.unserved.after_critical``). The request's time
limit is shared between the two solves.

A re-plan from a previous plan keeps trucks on their routes where it can (services/supply/replan.py) and says
what changed. A shelter no vehicle can reach, or whose demand no vehicle can carry in time, is reported by name
with a coded reason. Depot stock levels are not a constraint here (the coverage page shows them).
"""
from __future__ import annotations

import dataclasses
import itertools
import math
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import select

from config import Settings
from geo import travel
from geo.roads import MAX_ACCESS_M, RoadGraph
from geo.vrp import DEFAULT_PRIZE, DeliveryPlan, DeliveryProblem, TruckRoute, Truck, Visit, solve_deliveries
from services import vocabulary
from services.db.uow import UnitOfWork
from services.errors import FieldError
from services.models import Depot, Shelter, SupplyItem, Vehicle
from services.roads.network import road_graph
from services.supply.needs import current_profile, required_amount
from services.supply.loads import Line, ShelterLoad, shelter_loads
from services.supply.replan import Capacity, RouteShape, plan_changes, stable_assignment
from services.supply.route_plan import RoutePlan, RouteTotals, Stop, StopItem, Unserved, VehicleRoute
from services.supply.solver_slots import solver_slot
from services.text import t
from services.text.reasons import Reason

TRUCK_KINDS = vocabulary.TRUCK_KINDS
SERVICE_S = 20 * 60  # unloading at a shelter
RELOAD_S = 20 * 60   # loading again at the depot between a truck's trips
CRITICAL_HAVES = ("water", "food", "medical")  # the 五有 whose items are ★ critical
KEEP_WITHIN = 0.02   # a re-plan keeps the previous routes (repaired) unless new ones cost 2 % less (geo/vrp.py)
WHOLE_PRIZE = DEFAULT_PRIZE * 11 // 10  # a whole demand in one stop beats its critical part, not two shelters' critical
MOVE_COST_M = 5000   # in a re-plan, handing a shelter's load to another truck costs the search as 5 km of driving


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
    previous: RoutePlan | None = None  # re-plan from this plan: keep trucks on their routes, say what changed


@dataclass(frozen=True)
class CatalogueItem:
    name: str
    unit: str
    unit_weight_kg: float
    unit_volume_m3: float


DemandLine = Line  # what a shelter needs of one catalogue item (whole units), with weight and volume


@dataclass(frozen=True)
class Place:
    """A shelter or depot as the solve needs it (plain data: read in a unit of work that is closed by then)."""

    id: int
    name: str
    lon: float
    lat: float
    people: int = 0  # housed now (shelters)
    contact_person: str | None = None
    contact_phone: str | None = None


@dataclass(frozen=True)
class TruckRow:
    id: int
    plate: str
    kind: str
    depot_id: int
    payload_kg: float
    volume_m3: float
    driver_name: str | None = None
    driver_phone: str | None = None


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
    trucks = [TruckRow(v.id, v.plate, v.kind, v.depot_id, float(v.payload_kg), float(v.volume_m3), v.driver_name,
                       v.driver_phone) for d in depots for v in vehicles if v.depot_id == d.id]
    needs, catalogue = needs_and_catalogue(uow)
    return RouteInputs(req, tuple(Place(s.id, s.name, s.lon, s.lat, s.occupancy_people, s.contact_person,
                                        s.contact_phone) for s in shelters),
                       tuple(Place(d.id, d.name, d.lon, d.lat) for d in depots), tuple(trucks), needs, catalogue,
                       road_graph(uow, hazard_blocks=req.hazard_blocks))


def _lines(inputs: RouteInputs, shelter: Place) -> list[Line]:
    typed = inputs.request.demands.get(shelter.id)
    if typed:
        kg = float(typed.get("kg", 0))
        return [Line("TYPED", t("sup.typed_item"), t("sup.typed_unit"), kg, False, kg, float(typed.get("m3", 0)))]
    return demand_lines(inputs.needs, inputs.catalogue, shelter.people, inputs.request.days)


@dataclass
class _Trip:
    truck: int
    wave: int
    route: TruckRoute
    loads: list[ShelterLoad]
    ready_s: list[float | None]  # each stop's earliest unloading (wave 2: after the shelter's critical items)


class _Solver:
    """The two waves on one set of travel matrices."""

    def __init__(self, settings: Settings, inputs: RouteInputs, seconds: np.ndarray, metres: np.ndarray):
        self.settings, self.inputs, self.seconds, self.metres = settings, inputs, seconds, metres
        self.n_depots = len(inputs.depots)
        self.depot_index = {d.id: i for i, d in enumerate(inputs.depots)}

    def solve(self, loads: list[ShelterLoad], wave: int, start_s: dict[int, float], ready_s: dict[int, float],
              limit_s: float) -> tuple[DeliveryProblem, DeliveryPlan]:
        req = self.inputs.request
        problem = DeliveryProblem(
            self.seconds, self.metres, self.n_depots,
            [Truck(self.depot_index[v.depot_id], v.payload_kg, v.volume_m3, v.plate, start_s.get(i, 0.0))
             for i, v in enumerate(self.inputs.trucks)],
            [Visit(x.row, x.kg, x.m3, x.window_s, x.shelter.name, ready_s.get(x.shelter.id) if wave == 2 else None,
                   x.group, WHOLE_PRIZE if x.role == "whole" else None) for x in loads], service_s=SERVICE_S, shift_s=req.shift_hours * 3600)
        with solver_slot(self.settings):
            return problem, solve_deliveries(problem, limit_s, initial=self._initial(loads, wave),
                                             keep_within=KEEP_WITHIN, move_cost_m=MOVE_COST_M)

    def _initial(self, loads: list[ShelterLoad], wave: int) -> dict[int, list[int]] | None:
        """The previous plan's routes of this wave, on this plan's loads (a warm start), or None."""
        previous = self.inputs.request.previous
        if previous is None:
            return None
        plate_index = {v.plate: i for i, v in enumerate(self.inputs.trucks)}
        free: dict[int, list[int]] = {}
        for k, x in enumerate(loads):
            free.setdefault(x.shelter.id, []).append(k)
        initial = {}
        for v in previous.vehicles:
            if v.plate in plate_index:
                visits = []
                for s in (s for s in v.stops if s.wave == wave and free.get(s.shelter_id)):
                    mine = free[s.shelter_id]  # the same alternative as before: the critical part, or the whole
                    k = next((k for k in mine if (loads[k].role == "critical") == s.critical), mine[0])
                    mine.remove(k)
                    visits.append(k)
                if visits:
                    initial[plate_index[v.plate]] = visits
        return initial or None

    def back_s(self, problem: DeliveryProblem, route: TruckRoute) -> float:
        """When the truck is back at its depot after ``route``."""
        last = route.stops[-1]
        return last.eta_s + SERVICE_S + float(self.seconds[problem.visits[last.visit].place,
                                                          problem.trucks[route.truck].depot])


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
    n_depots, unserved, loads = len(depots), [], []
    for k, s in enumerate(shelters, start=n_depots):
        lines = _lines(inputs, s)
        if not np.isfinite(seconds[:n_depots, k]).any() or not np.isfinite(seconds[k, :n_depots]).any():
            reason = (Reason("sup.unserved.no_road", {"limit": f"{MAX_ACCESS_M:g}"}) if travel.no_road_near(graph, s.lon, s.lat)[0]
                      else Reason("sup.unserved.unreachable"))
            unserved.append(Unserved(s.id, s.name, round(sum(x.kg for x in lines)), reason))
            continue
        loads += shelter_loads(s, k, lines, max_kg, max_m3, req.latest_arrival_min.get(s.id),
                               req.critical_within_hours)
    if not loads:
        return RoutePlan(True, graph.synthetic, (), tuple(unserved), RouteTotals(0, 0, 0),
                         () if req.previous is not None else None)
    solver = _Solver(settings, inputs, seconds, metres)
    trips, feasible = [], True
    first = [x for x in loads if x.wave == 1]
    # the request's time limit is shared: most of it for wave 1 when a wave 2 is planned already
    share = 0.6 if any(x.wave == 2 for x in loads) else 0.8
    problem, solution = solver.solve(first, 1, {}, {}, req.seconds * share)
    feasible &= solution.feasible
    critical_s: dict[int, float] = {}
    start_s: dict[int, float] = {}
    for route in solution.routes:
        trips.append(_Trip(route.truck, 1, route, [first[stop.visit] for stop in route.stops],
                           [None] * len(route.stops)))
        start_s[route.truck] = solver.back_s(problem, route) + RELOAD_S
        for stop in route.stops:
            x = first[stop.visit]
            critical_s[x.shelter.id] = max(critical_s.get(x.shelter.id, 0.0), stop.eta_s)
    made = [x for trip in trips for x in trip.loads]
    groups_made = {x.group for x in made if x.group is not None}
    parted = {x.shelter.id for x in made if x.role == "critical"}  # their rest follows in wave 2
    # left over: tried again on a second trip (a whole demand as one stop), and their shelters' other loads wait
    left = [dataclasses.replace(first[i], group=None) for i in solution.unvisited
            if first[i].role != "critical" and (first[i].group is None or first[i].group not in groups_made)]
    waiting = {x.shelter.id for x in left}
    second = [x for x in loads if x.wave == 2 and x.shelter.id not in waiting
              and (x.role != "rest" or x.shelter.id in parted)] + left
    unserved += [Unserved(x.shelter.id, x.shelter.name, round(x.kg), Reason("sup.unserved.after_critical"))
                 for x in loads if x.wave == 2 and x.role != "rest" and x.shelter.id in waiting]
    if second:
        problem2, solution2 = solver.solve(second, 2, start_s, critical_s, req.seconds * (1 - share))
        feasible &= solution2.feasible
        trips += [_Trip(route.truck, 2, route, [second[stop.visit] for stop in route.stops],
                        [problem2.visits[stop.visit].ready_s for stop in route.stops]) for route in solution2.routes]
        unserved += _skipped(solution2, problem2, second)
    vehicles = _vehicles(_stable(inputs, trips), seconds, inputs, graph, snapped)
    plan = RoutePlan(bool(feasible), graph.synthetic, vehicles, tuple(unserved), RouteTotals(
        sum(v.distance_m for v in vehicles), sum(v.duration_s for v in vehicles), sum(v.kg for v in vehicles)))
    if req.previous is not None:
        plan = dataclasses.replace(plan, changes=plan_changes(req.previous, plan))
    return plan


def _stable(inputs: RouteInputs, trips: list[_Trip]) -> list[_Trip]:
    """With a previous plan, hand each truck's trips to the truck of that depot that drove most of its shelters."""
    previous = inputs.request.previous
    if previous is None:
        return trips
    shapes: dict[int, RouteShape] = {}
    for trip in trips:
        old = shapes.get(trip.truck)
        shelters = frozenset(x.shelter.id for x in trip.loads) | (old.shelters if old else frozenset())
        loads = (old.trips if old else ()) + ((sum(x.kg for x in trip.loads), sum(x.m3 for x in trip.loads)),)
        shapes[trip.truck] = RouteShape(inputs.trucks[trip.truck].depot_id, shelters, loads)
    capacities = [Capacity(v.plate, v.depot_id, v.payload_kg, v.volume_m3) for v in inputs.trucks]
    mapping = stable_assignment(shapes, capacities, {v.plate: v.shelters() for v in previous.vehicles})
    return [dataclasses.replace(trip, truck=mapping[trip.truck]) for trip in trips]


def _legs(graph: RoadGraph, snapped: travel.Snapped, sequence: list[int]) -> tuple[dict, list[tuple[str, ...]]]:
    """A vehicle's route along the roads through ``sequence`` (matrix rows), as a GeoJSON LineString, and the
    roads of each leg in order (``travel.route``'s names, each once per stretch)."""
    coords, roads = [snapped.lonlat(sequence[0])], []
    for a, b in itertools.pairwise(sequence):
        trip = travel.route(graph, snapped.lonlat(a), snapped.lonlat(b)) if a != b else None
        coords += trip.coords[1:] if trip is not None else [snapped.lonlat(b)]
        roads.append(tuple(trip.via) if trip is not None else ())
    return {"type": "LineString", "coordinates": coords}, roads


def _skipped(solution: DeliveryPlan, problem: DeliveryProblem, loads: list[ShelterLoad]) -> list[Unserved]:
    result = []
    for index in solution.unvisited:
        s, window_s = loads[index].shelter, loads[index].window_s
        fastest_s = float(np.min(problem.seconds[:problem.depots, problem.visits[index].place]))
        reason = (Reason("sup.unserved.window", {"fastest_min": f"{fastest_s / 60:.0f}",
                                                  "window_min": f"{window_s / 60:.0f}"})
                  if window_s is not None and fastest_s > window_s else Reason("sup.unserved.capacity"))
        result.append(Unserved(s.id, s.name, round(loads[index].kg), reason))
    return result


def _stop(x: ShelterLoad, planned, trip: int, wave: int, ready_s: float | None, roads: tuple[str, ...]) -> Stop:
    return Stop(x.shelter.id, x.shelter.name, round(x.kg), round(x.m3, 2), round(planned.eta_s),
                None if x.window_s is None else round(x.window_s), bool(planned.late), all(y.critical for y in x.lines),
                tuple(StopItem(y.code, y.name, y.unit, round(y.quantity, 1), y.critical) for y in x.lines),
                trip=trip, wave=wave, ready_s=None if ready_s is None else round(ready_s),
                wait_s=round(planned.wait_s), split=x.split, roads=roads, contact_person=x.shelter.contact_person,
                contact_phone=x.shelter.contact_phone)


def _vehicles(trips: list[_Trip], seconds: np.ndarray, inputs: RouteInputs, graph: RoadGraph,
              snapped: travel.Snapped) -> tuple[VehicleRoute, ...]:
    depot_names = {d.id: d.name for d in inputs.depots}
    depot_index = {d.id: i for i, d in enumerate(inputs.depots)}
    vehicles = []
    for truck_index in sorted({trip.truck for trip in trips}):
        truck = inputs.trucks[truck_index]
        mine = sorted((trip for trip in trips if trip.truck == truck_index), key=lambda trip: trip.wave)
        depot = depot_index[truck.depot_id]
        sequence, stops = [depot], []
        for trip in mine:
            sequence += [x.row for x in trip.loads] + [depot]
        geometry, legs = _legs(graph, snapped, sequence)
        leg = 0
        for number, trip in enumerate(mine, start=1):
            for x, planned, ready_s in zip(trip.loads, trip.route.stops, trip.ready_s):
                stops.append(_stop(x, planned, number, trip.wave, ready_s, legs[leg]))
                leg += 1
            leg += 1  # the way back to the depot
        end_s = max(trip.route.stops[-1].eta_s + SERVICE_S + float(seconds[trip.loads[-1].row, depot])
                    for trip in mine)
        vehicles.append(VehicleRoute(truck.plate, truck.kind, depot_names[truck.depot_id], tuple(stops),
                                     round(sum(x.kg for trip in mine for x in trip.loads)),
                                     sum(int(trip.route.distance_m) for trip in mine), round(end_s), geometry,
                                     truck.driver_name, truck.driver_phone, len(mine)))
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
