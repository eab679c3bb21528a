"""Assigning people to shelters under capacities by exact min-cost flow (OR-Tools SimpleMinCostFlow).

Objective, lexicographic: first house as many people as possible, then minimise the total person-seconds
of travel. Arcs exist only where the travel time is finite and within the limit. Unhoused people flow to
an overflow node at a cost larger than any possible total travel, which makes the first goal dominate.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow


@dataclass
class Assignment:
    flows: np.ndarray        # (demands, shelters) people sent from each demand point to each shelter
    unmet: np.ndarray        # (demands,) people left without a place
    total_person_s: int      # objective: sum of people × travel seconds of the assigned flows


def assign(travel_s: np.ndarray, people: np.ndarray, capacity: np.ndarray, max_travel_s: float = np.inf,
           ) -> Assignment:
    """Optimal assignment of ``people[i]`` at demand i to shelters j with ``capacity[j]`` places.

    Parameters
    ----------
    travel_s
        ``(demands, shelters)`` travel time in seconds; ``inf`` where a shelter cannot be reached.
    people, capacity
        whole numbers of people per demand point and free places per shelter.
    max_travel_s
        arcs longer than this are not used.
    """
    travel_s = np.asarray(travel_s, dtype=float)
    people = np.asarray(people, dtype=np.int64)
    capacity = np.asarray(capacity, dtype=np.int64)
    n_demand, n_shelter = travel_s.shape
    usable = np.isfinite(travel_s) & (travel_s <= max_travel_s)
    d_idx, s_idx = np.nonzero(usable)
    costs = np.rint(travel_s[d_idx, s_idx]).astype(np.int64)
    # Nodes: demands 0..n-1, shelters n..n+m-1, overflow n+m, sink n+m+1.
    overflow, sink = n_demand + n_shelter, n_demand + n_shelter + 1
    total_people = int(people.sum())
    penalty = int((costs.max() if costs.size else 0) + 1) * max(total_people, 1) + 1
    solver = min_cost_flow.SimpleMinCostFlow()
    big = max(total_people, 1)
    solver.add_arcs_with_capacity_and_unit_cost(d_idx, n_demand + s_idx, np.full(len(d_idx), big, np.int64), costs)
    solver.add_arcs_with_capacity_and_unit_cost(np.arange(n_demand), np.full(n_demand, overflow),
                                                people, np.full(n_demand, penalty, np.int64))
    solver.add_arcs_with_capacity_and_unit_cost(n_demand + np.arange(n_shelter), np.full(n_shelter, sink),
                                                capacity, np.zeros(n_shelter, np.int64))
    solver.add_arc_with_capacity_and_unit_cost(overflow, sink, big, 0)
    supplies = np.zeros(sink + 1, dtype=np.int64)
    supplies[:n_demand] = people
    supplies[sink] = -total_people
    solver.set_nodes_supplies(np.arange(sink + 1), supplies)
    status = solver.solve()
    if status != solver.OPTIMAL:
        raise RuntimeError(f"min-cost flow did not solve: status {status}")
    flows = np.zeros((n_demand, n_shelter), dtype=np.int64)
    arc_flows = solver.flows(np.arange(len(d_idx)))
    flows[d_idx, s_idx] = arc_flows
    unmet = people - flows.sum(axis=1)
    return Assignment(flows, unmet, int((arc_flows * costs).sum()))
