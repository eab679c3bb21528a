"""geo.facilities: the nearest facility of every point by one multi-source search, against hand-computed times and
against networkx on random grids (hypothesis); walking leaves motorways out; closures change the answer."""
from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.distance import haversine_m
from geo.facilities import nearest, travel_seconds
from geo.roads import ACCESS_SPEED_KMH, DEFAULT_SPEEDS_KMH
from tests.geo.test_roads import from_features
from geo.travel import snap

WALK = ACCESS_SPEED_KMH / 3.6
Y = 0.0
P = [(0.01 * i, Y) for i in range(5)]  # five points on the equator, about 1113 m apart


def line(coords, road_class="secondary", oneway=False):
    return {"type": "Feature", "properties": {"class": road_class, "oneway": oneway},
            "geometry": {"type": "LineString", "coordinates": [list(c) for c in coords]}}


def seconds_of(a, b, road_class="secondary") -> float:
    return haversine_m(*a, *b) / (DEFAULT_SPEEDS_KMH[road_class] / 3.6)


def test_known_times_on_a_straight_road_pick_the_nearest_facility():
    g = from_features([line(P)])
    facilities = [P[0], P[4]]
    points = [P[1], P[2], P[3], (P[3][0], 0.001)]  # the last one 111 m off the road, beside P[3]
    found = nearest(g, facilities, points)
    assert list(found.index[[0, 2, 3]]) == [0, 1, 1] and found.index[1] in (0, 1)  # P[2]: as far from both
    assert found.seconds[0] == pytest.approx(seconds_of(P[0], P[1]))
    assert found.seconds[2] == pytest.approx(seconds_of(P[3], P[4]))
    assert found.seconds[3] == pytest.approx(seconds_of(P[3], P[4]) + haversine_m(P[3][0], 0.001, *P[3]) / WALK)
    walk = nearest(g, facilities, points, mode="walk")
    assert walk.seconds[0] == pytest.approx(haversine_m(*P[0], *P[1]) / WALK)


def test_the_walk_from_the_facility_to_its_road_counts():
    g = from_features([line(P)])
    off = (P[0][0], 0.003)  # 334 m north of P[0]
    by_road = seconds_of(P[0], P[1]) + haversine_m(*off, *P[0]) / WALK  # 100 s driven, 300 s walked
    assert nearest(g, [off], [P[1]]).seconds[0] == pytest.approx(by_road)
    found = nearest(g, [off, P[4]], [P[1]])  # three segments from P[4] (300 s) beat the walk and one (400 s)
    assert found.index[0] == 1 and found.seconds[0] == pytest.approx(seconds_of(P[1], P[4]))
    far = nearest(g, [(P[0][0], 0.01)], [P[1]])  # 1.1 km from any road: reaches nothing
    assert far.index[0] == -1 and np.isinf(far.seconds[0])


def test_closing_a_road_sends_points_to_the_other_facility_or_cuts_them_off():
    g = from_features([line(P)])
    closed = g.with_blocked(g.edges_within(shapely.LineString([P[0], P[1]])))  # both directions of P0–P1
    found = nearest(closed, [P[0], P[4]], [P[1], P[2]])
    assert list(found.index) == [1, 1]
    assert found.seconds[0] == pytest.approx(seconds_of(P[1], P[4]))
    alone = nearest(closed, [P[0]], [P[2]])
    assert alone.index[0] == -1 and np.isinf(alone.seconds[0])


def test_walkers_keep_off_motorways_and_one_way_roads_count_in_the_direction_of_travel():
    fast = from_features([line([P[0], P[4]], "motorway"), line(P, "track")])
    drive, walk = nearest(fast, [P[0]], [P[4]]), nearest(fast, [P[0]], [P[4]], mode="walk")
    assert drive.seconds[0] == pytest.approx(seconds_of(P[0], P[4], "motorway"))
    track_m = sum(haversine_m(*a, *b) for a, b in itertools.pairwise(P))
    assert walk.seconds[0] == pytest.approx(track_m / WALK)
    one_way = from_features([line([P[0], P[1]], oneway=True), line([P[1], (0.01, 0.004), P[0]], "track")])
    towards = nearest(one_way, [P[1]], [P[0]], towards=True)    # from P0 to the facility at P1: the one-way road
    away = nearest(one_way, [P[1]], [P[0]], towards=False)      # from the facility to P0: round by the track
    assert towards.seconds[0] == pytest.approx(seconds_of(P[0], P[1]))
    assert away.seconds[0] > towards.seconds[0] * 2
    with pytest.raises(ValueError, match="mode"):
        nearest(fast, [P[0]], [P[1]], mode="fly")


def _grid(n: int, rng) -> list[dict]:
    """An n × n grid of roads 0.005° apart with random classes, some one-way."""
    classes = list(DEFAULT_SPEEDS_KMH)
    features = []
    for i in range(n):
        for j in range(n):
            a = (0.005 * i, 0.005 * j)
            for b in ((0.005 * (i + 1), 0.005 * j), (0.005 * i, 0.005 * (j + 1))):
                if max(b) <= 0.005 * (n - 1) + 1e-9 and rng.random() < 0.85:
                    features.append(line([a, b], classes[int(rng.integers(len(classes)))], rng.random() < 0.2))
    return features


def _oracle(g, mode: str) -> nx.DiGraph:
    o = nx.DiGraph()
    for e in np.nonzero(g.for_mode(mode).usable)[0]:  # walking: both ways of one-way streets, no motorway
        w = g.edge_length_m[e] / WALK if mode == "walk" else g.edge_seconds[e]
        a, b = int(g.edge_from[e]), int(g.edge_to[e])
        if not o.has_edge(a, b) or o[a][b]["w"] > w:
            o.add_edge(a, b, w=float(w))
    return o


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), mode=st.sampled_from(["walk", "drive"]), towards=st.booleans())
def test_nearest_equals_the_least_of_networkx_searches_per_facility(seed, mode, towards):
    rng = np.random.default_rng(seed)
    g = from_features(_grid(6, rng))
    if g.edge_count == 0:
        return
    g = g.with_blocked(rng.random(g.edge_count) < 0.1)
    facilities = rng.uniform(-0.002, 0.027, (int(rng.integers(1, 6)), 2))
    points = rng.uniform(-0.002, 0.027, (int(rng.integers(1, 12)), 2))
    found = nearest(g, facilities, points, mode=mode, towards=towards)
    oracle = _oracle(g, mode)
    road = g.for_mode(mode)
    fs, ps = snap(road, facilities[:, 0], facilities[:, 1]), snap(road, points[:, 0], points[:, 1])
    for i in range(len(points)):
        best = np.inf
        for j in range(len(facilities)):
            if fs.cut_off[j] or ps.cut_off[i]:
                continue
            a, b = (int(ps.nodes[i]), int(fs.nodes[j])) if towards else (int(fs.nodes[j]), int(ps.nodes[i]))
            try:
                length = 0.0 if a == b else nx.shortest_path_length(oracle, a, b, weight="w")
            except (nx.NetworkXNoPath, nx.NodeNotFound):
                continue
            best = min(best, length + (fs.access_m[j] + ps.access_m[i]) / WALK)
        assert found.seconds[i] == pytest.approx(best, rel=1e-9, abs=1e-6) if np.isfinite(best) \
            else np.isinf(found.seconds[i])
        if np.isfinite(best):  # the facility named is one at that time
            j = int(found.index[i])
            matrix = travel_seconds(g, [points[i]] if towards else [facilities[j]],
                                    [facilities[j]] if towards else [points[i]], mode=mode)
            assert matrix[0, 0] == pytest.approx(best, rel=1e-9, abs=1e-6)
