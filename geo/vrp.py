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
    start_s: float = 0.0  # sets out this many seconds after the start of the shift (back from an earlier trip)


@dataclass(frozen=True)
class Visit:
    """A delivery of ``kg`` and ``m3`` to place ``place`` (a row of the matrices), to arrive by ``latest_s``."""

    place: int
    kg: float
    m3: float
    latest_s: float | None = None  # seconds from the start of the shift; None: any time
    name: str = ""
    ready_s: float | None = None   # unloading starts no earlier (a truck that comes sooner waits); None: any time
    group: int | None = None       # visits of one group are alternatives: at most one of them is made
    prize: int | None = None       # what making it is worth (None: the problem's prize)


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
    eta_s: float        # unloading starts, seconds from the start of the shift (travel + earlier services + wait)
    late: bool          # arrives after the visit's latest_s
    wait_s: float = 0.0  # waited for the visit's ready_s


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
    kept_initial: bool = False  # the initial routes were kept (the search found nothing clearly better)


def _model(problem: DeliveryProblem) -> pyvrp.Model:
    model = pyvrp.Model()
    depot_locs = [model.add_location(x=0, y=0) for _ in range(problem.depots)]
    depots = [model.add_depot(loc) for loc in depot_locs]
    locs = [(loc, i) for i, loc in enumerate(depot_locs)]
    groups = {g: model.add_client_group(required=False) for g in sorted({v.group for v in problem.visits
                                                                          if v.group is not None})}
    for visit in problem.visits:
        loc = model.add_location(x=0, y=0, name=visit.name)
        locs.append((loc, visit.place))
        window = {"tw_late": int(visit.latest_s)} if visit.latest_s is not None and math.isfinite(visit.latest_s) \
            else {}
        if visit.ready_s is not None:  # and a window that cannot be met stays a window (late), not an error
            window["tw_early"] = math.ceil(visit.ready_s)
            if "tw_late" in window:
                window["tw_late"] = max(window["tw_late"], window["tw_early"])
        # Optional with a prize worth more than any detour: every visit is made when the fleet can, and
        # the ones it cannot carry or reach in a shift are left out.
        model.add_client(loc, delivery=[math.ceil(visit.kg), math.ceil(visit.m3 * 1000)],
                         service_duration=int(problem.service_s), name=visit.name, required=False,
                         prize=problem.prize if visit.prize is None else visit.prize,
                         group=groups.get(visit.group), **window)
    for truck in problem.trucks:
        model.add_vehicle_type(num_available=1, capacity=[int(truck.payload_kg), int(truck.volume_m3 * 1000)],
                               start_depot=depots[truck.depot], end_depot=depots[truck.depot],
                               tw_early=math.ceil(truck.start_s),
                               shift_duration=max(0, int(problem.shift_s - truck.start_s)),
                               unit_distance_cost=1, name=truck.name)
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

    The truck sets out at its ``start_s``; each arrival is the road time from the depot through the earlier
    visits (``problem.seconds``) plus their service times; a truck that arrives before a visit's ``ready_s``
    waits (``eta_s`` is when unloading starts); a visit is late when it arrives after its ``latest_s``.
    """
    here, clock_s, stops = problem.trucks[truck].depot, float(problem.trucks[truck].start_s), []
    for visit in visits:
        place, latest_s, ready_s = (problem.visits[visit].place, problem.visits[visit].latest_s,
                                    problem.visits[visit].ready_s)
        clock_s += float(problem.seconds[here, place])
        late = bool(latest_s is not None and clock_s > latest_s)
        wait_s = max(0.0, ready_s - clock_s) if ready_s is not None else 0.0
        clock_s += wait_s
        stops.append(PlannedStop(visit, clock_s, late, wait_s))
        clock_s += float(problem.service_s)
        here = place
    return stops


def _planned(problem: DeliveryProblem, route) -> TruckRoute:
    truck = int(route.vehicle_type())
    visits = [int(activity.idx) for activity in route if activity.is_client()]
    # metres from the road matrix: a re-plan's search matrices carry the cost of moving a visit (_sticky)
    return TruckRoute(truck, schedule(problem, truck, visits), round(_metres(problem, truck, visits)),
                      int(route.duration()))


def _sticky(data: pyvrp.ProblemData, initial: dict[int, list[int]], move_cost_m: int) -> pyvrp.ProblemData:
    """The problem with one distance matrix per truck, in which driving to a visit another truck made before
    costs ``move_cost_m`` more: the search moves a visit to another truck only when that saves more."""
    owner = {visit: truck for truck, visits in initial.items() for visit in visits}
    base, duration = data.distance_matrix(0), data.duration_matrix(0)
    matrices = []
    for truck in range(data.num_vehicle_types):
        matrix = base.copy()
        for visit, was in owner.items():
            if was != truck:
                column = data.client(visit).location
                matrix[:, column] = np.minimum(matrix[:, column] + move_cost_m, _UNREACHABLE)
                matrix[column, column] = 0
        matrices.append(matrix)
    return data.replace(distance_matrices=matrices, duration_matrices=[duration] * len(matrices),
                        vehicle_types=[vt.replace(profile=k) for k, vt in enumerate(data.vehicle_types())])


def _objective(solution: pyvrp.Solution) -> int:
    return int(solution.distance_cost()) + int(solution.uncollected_prizes())


def _fits(problem: DeliveryProblem, truck: int, visits: list[int]) -> bool:
    """Whether ``truck`` can make ``visits`` in order: load (as the solver counts it), windows, shift end."""
    if not visits:
        return True
    t, chosen = problem.trucks[truck], [problem.visits[v] for v in visits]
    if sum(math.ceil(v.kg) for v in chosen) > int(t.payload_kg) or \
            sum(math.ceil(v.m3 * 1000) for v in chosen) > int(t.volume_m3 * 1000):
        return False
    stops = schedule(problem, truck, visits)
    back_s = stops[-1].eta_s + problem.service_s + float(problem.seconds[chosen[-1].place, t.depot])
    return not any(stop.late for stop in stops) and back_s <= problem.shift_s


def _metres(problem: DeliveryProblem, truck: int, visits: list[int]) -> float:
    places = [problem.trucks[truck].depot] + [problem.visits[v].place for v in visits] + [problem.trucks[truck].depot]
    return float(sum(problem.metres[a, b] for a, b in zip(places, places[1:]) if a != b))


def repair(problem: DeliveryProblem, initial: dict[int, list[int]]) -> dict[int, list[int]]:
    """Known routes made to fit ``problem`` with the fewest changes: each truck keeps its visits in order while they
    still fit (load, windows, shift), then every visit left is inserted where it adds the fewest metres."""
    routes: dict[int, list[int]] = {truck: [] for truck in range(len(problem.trucks))}
    placed: set[int] = set()
    taken: set[int] = set()  # groups one of whose visits is made

    def free(visit: int) -> bool:
        return visit not in placed and problem.visits[visit].group not in taken

    def place(visit: int) -> None:
        placed.add(visit)
        if problem.visits[visit].group is not None:
            taken.add(problem.visits[visit].group)

    for truck, visits in initial.items():
        for visit in visits:
            if free(visit) and _fits(problem, truck, routes[truck] + [visit]):
                routes[truck].append(visit)
                place(visit)
    for visit in range(len(problem.visits)):
        if not free(visit):
            continue
        best: tuple[float, int, int] | None = None
        for truck, visits in routes.items():
            base = _metres(problem, truck, visits)
            for at in range(len(visits) + 1):
                trial = visits[:at] + [visit] + visits[at:]
                if _fits(problem, truck, trial):
                    added = _metres(problem, truck, trial) - base
                    if best is None or added < best[0]:
                        best = (added, truck, at)
        if best is not None:
            routes[best[1]].insert(best[2], visit)
            place(visit)
    return routes


def solve_deliveries(problem: DeliveryProblem, max_runtime_s: float, seed: int = 0,
                     initial: dict[int, list[int]] | None = None, keep_within: float = 0.0,
                     move_cost_m: int = 0) -> DeliveryPlan:
    """Solve the delivery model under a time limit, optionally starting from known routes.

    Parameters
    ----------
    problem : DeliveryProblem
        Matrices, trucks and visits.
    max_runtime_s : float
        Wall-clock limit of the search, seconds.
    seed : int
        Seed of PyVRP's search (the same seed and limit give the same plan on an idle machine).
    initial : dict, optional
        Truck index → visit indices in order: the previous plan, when re-planning. It is repaired to fit
        (``repair``: kept where it still fits, the other visits inserted) and starts the search.
    keep_within : float
        Keep the repaired routes unless the search finds routes whose cost (metres plus prizes of skipped
        visits, plus ``move_cost_m`` per visit moved) is lower by more than this share (0.02: 2 %).
    move_cost_m : int
        With ``initial``: what moving a visit to another truck costs the search, in metres of driving.

    Returns
    -------
    DeliveryPlan
        Feasibility, one route per truck used (stops in order with ETA and lateness) and the visits left out.
    """
    if not problem.visits:
        return DeliveryPlan(True, [], [])
    data, start = _model(problem).data(), None
    if initial:
        data = _sticky(data, initial, move_cost_m) if move_cost_m else data
        start = pyvrp.Solution(data, [pyvrp.Route(data, visits, truck) for truck, visits in
                                      sorted(repair(problem, initial).items()) if visits])
    result = pyvrp.solve(data, stop=MaxRuntime(max_runtime_s), seed=seed, display=False, collect_stats=False,
                         initial_solution=start)
    best, kept = result.best, False
    if start is not None and start.is_feasible() and _objective(start) <= (1 + keep_within) * _objective(best):
        best, kept = start, True
    routes = [_planned(problem, route) for route in best.routes()]
    visited = {stop.visit for route in routes for stop in route.stops}
    return DeliveryPlan(bool(best.is_feasible()), routes,
                        [i for i in range(len(problem.visits)) if i not in visited], kept)


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
