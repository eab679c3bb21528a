"""Min-cost-flow assignment: a hand-checked case, and properties against an independent LP solver."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from geo.assignment import assign


def test_two_shelters_three_villages_by_hand():
    # Villages A, B, C with 5 people each; shelter S1 has 8 places, S2 has 10. Minutes:
    #        S1  S2
    #   A    10  30
    #   B    20  10
    #   C    15  40
    # By hand: B → S2 (50), C → S1 (75), A: 3 → S1 (30) and 2 → S2 (60); total 215 person-minutes,
    # against 225 for sending all of A to S1.
    result = assign(np.array([[10, 30], [20, 10], [15, 40]]), [5, 5, 5], [8, 10])
    assert result.flows.tolist() == [[3, 2], [0, 5], [5, 0]]
    assert result.total_person_s == 215 and result.unmet.tolist() == [0, 0, 0]


def test_unreachable_and_over_the_limit_stay_unmet():
    travel = np.array([[100.0, np.inf], [np.inf, np.inf], [5000.0, 200.0]])
    result = assign(travel, [4, 3, 2], [10, 10], max_travel_s=1000)
    assert result.flows.tolist() == [[4, 0], [0, 0], [0, 2]]
    assert result.unmet.tolist() == [0, 3, 0]


def test_capacity_shortage_houses_as_many_as_possible_first():
    # Cheap arcs would fill S1 with A; housing both villages needs A at the far shelter.
    travel = np.array([[1.0, 100.0], [10.0, np.inf]])
    result = assign(travel, [5, 5], [5, 5])
    assert result.unmet.sum() == 0 and result.flows.tolist() == [[0, 5], [5, 0]]


def _lp_optimum(travel, people, capacity) -> tuple[float, float]:
    n, m = travel.shape
    finite = np.isfinite(travel)
    cost = np.where(finite, travel, 0).ravel()
    big = (cost.max() + 1) * max(people.sum(), 1) + 1
    c = np.concatenate([cost, np.full(n, big)])  # x_ij, then unmet_i
    a_eq = np.zeros((n, n * m + n))
    for i in range(n):
        a_eq[i, i * m:(i + 1) * m] = 1
        a_eq[i, n * m + i] = 1
    a_ub = np.zeros((m, n * m + n))
    for j in range(m):
        a_ub[j, j:n * m:m] = 1
    bounds = [(0, None) if f else (0, 0) for f in finite.ravel()] + [(0, None)] * n
    res = linprog(c, A_ub=a_ub, b_ub=capacity, A_eq=a_eq, b_eq=people, bounds=bounds, method="highs")
    unmet = res.x[n * m:].sum()
    return res.fun - big * unmet, unmet


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 6), st.integers(1, 5), st.integers(0, 100_000))
def test_flows_respect_capacity_conserve_people_and_are_optimal(n, m, seed):
    rng = np.random.default_rng(seed)
    travel = rng.integers(1, 100, (n, m)).astype(float)
    travel[rng.random((n, m)) < 0.2] = np.inf
    people, capacity = rng.integers(0, 20, n), rng.integers(0, 25, m)
    result = assign(travel, people, capacity)
    assert (result.flows.sum(axis=0) <= capacity).all()
    assert (result.flows.sum(axis=1) + result.unmet == people).all()
    assert (result.flows[np.isinf(travel)] == 0).all()
    best_cost, best_unmet = _lp_optimum(travel, people, capacity)
    assert result.unmet.sum() == pytest.approx(best_unmet, abs=1e-6)
    assert result.total_person_s == pytest.approx(best_cost, abs=1e-6)
