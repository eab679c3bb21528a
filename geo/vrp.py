"""Vehicle routing with PyVRP: CVRPLIB/TSPLIB instances, and the multi-depot delivery model of supply routes.

CVRPLIB's convention for EUC_2D instances is distances rounded to the nearest integer; PyVRP's reader
applies it with ``round_func="round"``, so costs compare directly with the published best-known costs.
The delivery model is pure: matrices, trucks and visits in (dataclasses and arrays), routes with ETAs out.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyvrp
from pyvrp.stop import MaxRuntime

# Per visit: more than any district route costs in metres (serving beats skipping), far less than infeasibility.
DEFAULT_PRIZE = 10**6
_UNREACHABLE = 10**9  # distance and duration of an edge no road joins


@dataclass(frozen=True)
class Truck:
    """A vehicle that starts and ends at depot ``depot`` (a row of the matrices, among the first ``depots``)."""

    depot: int
    payload_kg: float
    volume_m3: float
    name: str = ""


@dataclass(frozen=True)
class Visit:
    """A delivery of ``kg`` and ``m3`` to place ``place`` (a row of the matrices), to arrive by ``latest_s``."""

    place: int
    kg: float
    m3: float
    latest_s: float | None = None  # seconds from the start of the shift; None: any time
    name: str = ""


@dataclass(frozen=True)
class DeliveryProblem:
    """Multi-depot capacitated delivery with soft-skipped visits (a prize each) and latest arrivals.

    ``seconds`` and ``metres`` are (places × places) road travel matrices, inf where unreachable;
    places ``0 .. depots - 1`` are the depots.
    """

    seconds: np.ndarray
    metres: np.ndarray
    depots: int
    trucks: list[Truck]
    visits: list[Visit]
    service_s: float
    shift_s: float
    prize: int = DEFAULT_PRIZE


@dataclass(frozen=True)
class PlannedStop:
    visit: int          # index into DeliveryProblem.visits
    eta_s: float        # arrival, seconds from the start of the shift (travel + earlier services)
    late: bool          # arrives after the visit's latest_s


@dataclass(frozen=True)
class TruckRoute:
    truck: int          # index into DeliveryProblem.trucks
    stops: list[PlannedStop]
    distance_m: int
    duration_s: int


@dataclass(frozen=True)
class DeliveryPlan:
    feasible: bool
    routes: list[TruckRoute]
    unvisited: list[int]  # indices of the visits no truck makes


def _model(problem: DeliveryProblem) -> pyvrp.Model:
    model = pyvrp.Model()
    depot_locs = [model.add_location(x=0, y=0) for _ in range(problem.depots)]
    depots = [model.add_depot(loc) for loc in depot_locs]
    locs = [(loc, i) for i, loc in enumerate(depot_locs)]
    for visit in problem.visits:
        loc = model.add_location(x=0, y=0, name=visit.name)
        locs.append((loc, visit.place))
        window = {"tw_late": int(visit.latest_s)} if visit.latest_s is not None and math.isfinite(visit.latest_s) \
            else {}
        # Optional with a prize worth more than any detour: every visit is made when the fleet can, and
        # the ones it cannot carry or reach in a shift are left out.
        model.add_client(loc, delivery=[math.ceil(visit.kg), math.ceil(visit.m3 * 1000)],
                         service_duration=int(problem.service_s), name=visit.name, required=False,
                         prize=problem.prize, **window)
    for truck in problem.trucks:
        model.add_vehicle_type(num_available=1, capacity=[int(truck.payload_kg), int(truck.volume_m3 * 1000)],
                               start_depot=depots[truck.depot], end_depot=depots[truck.depot],
                               shift_duration=int(problem.shift_s), unit_distance_cost=1, name=truck.name)
    for a, ia in locs:
        for b, ib in locs:
            if a is b:
                continue
            finite = bool(np.isfinite(problem.seconds[ia, ib]))
            model.add_edge(a, b, distance=int(problem.metres[ia, ib]) if finite else _UNREACHABLE,
                           duration=int(problem.seconds[ia, ib]) if finite else _UNREACHABLE)
    return model


def schedule(problem: DeliveryProblem, truck: int, visits: list[int]) -> list[PlannedStop]:
    """Arrival times of ``truck`` making ``visits`` in order from its depot, and whether each is late.

    Each arrival is the road time from the depot through the earlier visits (``problem.seconds``) plus
    their service times; a visit is late when it arrives after its ``latest_s``.
    """
    here, clock_s, stops = problem.trucks[truck].depot, 0.0, []
    for visit in visits:
        place, latest_s = problem.visits[visit].place, problem.visits[visit].latest_s
        clock_s += float(problem.seconds[here, place])
        stops.append(PlannedStop(visit, clock_s, bool(latest_s is not None and clock_s > latest_s)))
        clock_s += float(problem.service_s)
        here = place
    return stops


def _planned(problem: DeliveryProblem, route) -> TruckRoute:
    truck = int(route.vehicle_type())
    visits = [int(activity.idx) for activity in route if activity.is_client()]
    return TruckRoute(truck, schedule(problem, truck, visits), int(route.distance()), int(route.duration()))


def solve_deliveries(problem: DeliveryProblem, max_runtime_s: float, seed: int = 0) -> DeliveryPlan:
    """Solve the delivery model under a time limit.

    Parameters
    ----------
    problem : DeliveryProblem
        Matrices, trucks and visits.
    max_runtime_s : float
        Wall-clock limit of the search, seconds.
    seed : int
        Seed of PyVRP's search (the same seed and limit give the same plan on an idle machine).

    Returns
    -------
    DeliveryPlan
        Feasibility, one route per truck used (stops in order with ETA and lateness) and the visits left out.
    """
    if not problem.visits:
        return DeliveryPlan(True, [], [])
    result = _model(problem).solve(stop=MaxRuntime(max_runtime_s), seed=seed, display=False, collect_stats=False)
    best = result.best
    routes = [_planned(problem, route) for route in best.routes()]
    visited = {stop.visit for route in routes for stop in route.stops}
    return DeliveryPlan(bool(best.is_feasible()), routes,
                        [i for i in range(len(problem.visits)) if i not in visited])


def solve_vrplib(path: str | Path, seconds: float = 10.0, seed: int = 1) -> dict:
    """Solve a .vrp file; returns cost, feasibility, routes (client numbers as in the file) and run time."""
    path = Path(path)
    if not path.is_file():
        raise OSError(f"no such file: {path}")
    try:
        data = pyvrp.read(str(path), round_func="round")
    except Exception as exc:  # noqa: BLE001 — the reader raises many kinds; the user needs one clear message
        raise ValueError(f"{path.name} is not a readable VRPLIB instance ({type(exc).__name__}: {exc})") from exc
    started = time.perf_counter()
    result = pyvrp.solve(data, stop=MaxRuntime(seconds), seed=seed, display=False, collect_stats=False)
    best = result.best
    # A client activity's idx counts clients from 0; in the file, nodes count from 1 with the depots first.
    first_client = data.num_depots + 1
    routes = [[first_client + int(a.idx) for a in route if a.is_client()] for route in best.routes()]
    return {"instance": path.name, "cost": int(best.distance_cost()) if best.is_feasible() else None,
            "objective": int(result.cost()) if best.is_feasible() else None, "feasible": bool(best.is_feasible()),
            "vehicles": len(routes), "routes": routes, "seconds": round(time.perf_counter() - started, 2),
            "iterations": int(result.num_iterations)}
