"""geo.siting equals brute force (every combination of candidates, scored by an independent oracle: numpy for the
nearest facility, networkx flows under capacities) on random small instances; known answers by hand; the grid."""
from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyproj import Geod

from geo.candidates import grid_points, metric_crs
from geo.siting import Problem, contributions, evaluate, mclp, p_median

INF = np.inf


def _flows(cost, people, capacity, limit):
    """(people housed, their person-seconds) by networkx: max flow within ``limit``, then min cost."""
    g = nx.DiGraph()
    for i, p in enumerate(people):
        g.add_edge("s", ("d", i), capacity=int(p), weight=0)
    for j, c in enumerate(capacity):
        g.add_edge(("f", j), "t", capacity=int(c), weight=0)
    for i, j in zip(*np.nonzero(np.isfinite(cost) & (cost <= limit))):
        g.add_edge(("d", i), ("f", j), capacity=int(people[i]), weight=int(cost[i, j]))
    if not g.has_node("t") or not g.has_node("s"):
        return 0, 0
    flow = nx.max_flow_min_cost(g, "s", "t")
    housed = sum(flow["s"].values())
    return housed, nx.cost_of_flow(g, flow)


def _oracle(cost, people, existing, cap, ecap, sites, limit, capacitated):
    """(covered, reached, person-seconds) of opening ``sites``, computed without geo.siting."""
    matrix = np.rint(np.hstack([existing, cost[:, list(sites)]]))
    if capacitated:
        capacity = list(ecap) + [cap[j] for j in sites]
        covered, seconds = _flows(matrix, people, capacity, limit)
        return covered, _flows(matrix, people, capacity, INF)[0], seconds
    best = matrix.min(axis=1) if matrix.shape[1] else np.full(len(people), INF)
    reached = np.isfinite(best)
    return (int(people[reached & (best <= limit)].sum()), int(people[reached].sum()),
            float((people[reached] * best[reached]).sum()))


@st.composite
def instances(draw):
    n, m, e = draw(st.integers(1, 7)), draw(st.integers(1, 6)), draw(st.integers(0, 2))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    cost = rng.uniform(0, 100, (n, m)).round()
    cost[rng.random((n, m)) < 0.3] = INF
    existing = rng.uniform(0, 150, (n, e)).round()
    existing[rng.random((n, e)) < 0.3] = INF
    people = rng.integers(0, 20, n)
    capacitated = draw(st.booleans())
    cap = rng.integers(0, 30, m) if capacitated else None
    ecap = rng.integers(0, 30, e) if capacitated else None
    return cost, people, existing, cap, ecap, draw(st.integers(1, 3)), capacitated


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instance=instances())
def test_both_objectives_equal_brute_force(instance):
    cost, people, existing, cap, ecap, k, capacitated = instance
    limit = 50.0
    combos = [c for r in range(min(k, cost.shape[1]) + 1) for c in itertools.combinations(range(cost.shape[1]), r)]
    scores = [_oracle(cost, people, existing, cap, ecap, c, limit, capacitated) for c in combos]
    covering = mclp(cost, people, k, limit, existing_s=existing, capacity=cap, existing_capacity=ecap)
    assert covering.optimal and len(covering.chosen) <= k
    assert covering.score.covered_people == max(s[0] for s in scores)
    assert _oracle(cost, people, existing, cap, ecap, covering.chosen, limit, capacitated)[0] == \
        covering.score.covered_people
    median = p_median(cost, people, k, limit_s=limit, existing_s=existing, capacity=cap, existing_capacity=ecap)
    first = 0 if capacitated else 1  # with capacities: housed within the limit; without: reached at all
    most = max(s[first] for s in scores)
    least = min(s[2] for s in scores if s[first] == most)
    got = _oracle(cost, people, existing, cap, ecap, median.chosen, limit, capacitated)
    assert median.optimal and got[first] == most and got[2] == pytest.approx(least)


def test_known_answer_by_hand():
    # Three villages on a line; candidates at each; 10 minutes covers only the neighbour.
    cost = np.array([[0, 300, 900], [300, 0, 300], [900, 300, 0]], dtype=float)
    people = np.array([10, 1, 30])
    one = mclp(cost, people, 1, 300)
    assert one.chosen == (1,) and one.score.covered_people == 41  # the middle covers everyone within 5 min
    tight = mclp(cost, people, 1, 200)
    assert tight.chosen == (2,) and tight.score.covered_people == 30
    two = mclp(cost, people, 2, 200)
    assert set(two.chosen) == {0, 2} and two.chosen[0] == 2 and two.score.covered_people == 40
    median = p_median(cost, people, 1)
    assert median.chosen == (2,) and median.score.person_seconds == 10 * 900 + 1 * 300
    # an existing facility at the first village: the new site goes to the far end
    existing = np.array([[0], [300], [900]], dtype=float)
    assert mclp(cost, people, 1, 200, existing_s=existing).chosen == (2,)
    # capacities: the far end holds 20 of its 30; the middle site takes the rest within 5 min
    held = mclp(cost, people, 2, 300, capacity=[0, 100, 20], existing_capacity=[])
    assert held.score.covered_people == 41


def test_sites_that_add_nothing_are_left_out_and_contributions_add_up():
    cost = np.array([[60, 60, 9999], [60, 60, 9999]], dtype=float)
    found = mclp(cost, [5, 7], 3, 120)
    assert len(found.chosen) == 1 and found.score.covered_people == 12
    problem = Problem.of(cost, [5, 7])
    steps = contributions(problem, found.chosen, 120)
    assert steps[0][0].covered_people == 0 and steps[-1][1] == evaluate(problem, found.chosen, 120)


def test_the_grid_is_in_metres_in_the_regions_gauss_kruger_zone():
    assert metric_crs(108.77) == "EPSG:4545" and metric_crs(75.2) == "EPSG:4534" and metric_crs(117.0) == "EPSG:4548"
    square = shapely.box(108.70, 29.45, 108.80, 29.55)  # about 9.7 km × 11.1 km
    points = grid_points(square, 1000)
    assert all(shapely.contains_xy(square, points[:, 0], points[:, 1]))
    geod = Geod(ellps="GRS80")
    area_m2 = abs(geod.geometry_area_perimeter(square)[0])
    assert abs(len(points) - area_m2 / 1000**2) < 25
    # nearest neighbours are 1000 m apart on the ellipsoid (a grid in metres, not in degrees)
    dists = [geod.inv(*a, *b)[2] for a, b in itertools.combinations(points[:30], 2)]
    assert min(dists) == pytest.approx(1000, abs=5)
    with pytest.raises(ValueError):
        grid_points(square, 0)
