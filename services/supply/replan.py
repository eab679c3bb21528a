"""Re-planning supply routes (after a closed road, a new demand, a truck out): trucks keep their routes where they can.

Two steps keep an assignment stable. The solve starts from the previous plan's routes (geo/vrp.py keeps them
unless it finds routes clearly cheaper); then the routes found are matched to the trucks of their depot by the
largest overlap of shelters with each truck's previous route (a maximum-weight assignment, Hungarian method,
``scipy.optimize.linear_sum_assignment``), among the trucks that can carry every trip of the route. Trucks of one
depot start at one place, so handing a route to another truck of that depot changes no time. What changed is
summarised per truck (shelters added and removed, time change).
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment

from services.supply.route_plan import RoutePlan, TruckChange

_NEVER = -1e12  # a truck that cannot carry a route


@dataclass(frozen=True)
class RouteShape:
    """What matching needs of a truck's route: its depot, the shelters it serves, each trip's kg and m³."""

    depot_id: int
    shelters: frozenset[int]
    trips: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Capacity:
    plate: str
    depot_id: int
    payload_kg: float
    volume_m3: float

    def carries(self, trips: Sequence[tuple[float, float]]) -> bool:
        """As the solver counts (geo/vrp.py): whole kg and litres, rounded up, within the truck's whole capacity."""
        return all(math.ceil(kg) <= int(self.payload_kg) and math.ceil(m3 * 1000) <= int(self.volume_m3 * 1000)
                   for kg, m3 in trips)


def stable_assignment(routes: dict[int, RouteShape], trucks: Sequence[Capacity],
                      previous: dict[str, set[int]]) -> dict[int, int]:
    """Which truck drives each route: truck index now → truck index to drive it.

    ``routes`` are the solver's (by the truck index it chose), ``previous`` each plate's shelters in the previous
    plan. The weight of (route, truck) is the number of shared shelters; ties keep the solver's choice.
    """
    mapping: dict[int, int] = {}
    for depot_id in sorted({shape.depot_id for shape in routes.values()}):
        rows = sorted(i for i, shape in routes.items() if shape.depot_id == depot_id)
        cols = [j for j, truck in enumerate(trucks) if truck.depot_id == depot_id]
        weight = np.full((len(rows), len(cols)), _NEVER)
        for a, i in enumerate(rows):
            for b, j in enumerate(cols):
                if trucks[j].carries(routes[i].trips):
                    shared = len(routes[i].shelters & previous.get(trucks[j].plate, set()))
                    weight[a, b] = 1000.0 * shared + (1.0 if i == j else 0.0)
        for a, b in zip(*linear_sum_assignment(weight, maximize=True)):
            # the solver's own choice is always possible, so the optimum never needs an impossible pair
            mapping[rows[a]] = cols[b] if weight[a, b] > _NEVER else rows[a]
    return mapping


def _sequence(stops) -> list[tuple[int, int]]:
    return [(s.trip, s.shelter_id) for s in stops]


def plan_changes(previous: RoutePlan, plan: RoutePlan) -> tuple[TruckChange, ...]:
    """Per vehicle in either plan: same / changed / new / dropped, shelters added and removed, time change."""
    before = {v.plate: v for v in previous.vehicles}
    after = {v.plate: v for v in plan.vehicles}
    changes = []
    for plate in [v.plate for v in plan.vehicles] + [v.plate for v in previous.vehicles if v.plate not in after]:
        old, new = before.get(plate), after.get(plate)
        old_ids = old.shelters() if old else set()
        new_ids = new.shelters() if new else set()
        added = tuple(dict.fromkeys(s.name for s in (new.stops if new else ()) if s.shelter_id not in old_ids))
        removed = tuple(dict.fromkeys(s.name for s in (old.stops if old else ()) if s.shelter_id not in new_ids))
        if old is None:
            status = "new"
        elif new is None:
            status = "dropped"
        else:
            status = "same" if _sequence(old.stops) == _sequence(new.stops) else "changed"
        change_s = (new.duration_s if new else 0) - (old.duration_s if old else 0)
        changes.append(TruckChange(plate, status, added, removed, int(change_s)))
    return tuple(changes)
