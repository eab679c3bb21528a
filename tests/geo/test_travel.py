"""geo.travel on hand-made networks: walking legs, cut-off, matrices and routes against networkx; cached indexes."""
from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from geo import roads, travel
from geo.distance import haversine_m
from geo.roads import ACCESS_SPEED_KMH, MAX_ACCESS_M
from tests.geo.test_roads import A, B, C, D, from_features, line, node, square

WALK = ACCESS_SPEED_KMH / 3.6


def oracle(graph, weight: str = "seconds") -> nx.DiGraph:
    """The open edges as a networkx DiGraph, least weight per node pair (parallel edges)."""
    values = graph.edge_seconds if weight == "seconds" else graph.edge_length_m
    g = nx.DiGraph()
    for e in np.nonzero(graph.usable)[0]:
        a, b, w = int(graph.edge_from[e]), int(graph.edge_to[e]), float(values[e])
        if not g.has_edge(a, b) or g[a][b]["w"] > w:
            g.add_edge(a, b, w=w)
    return g


def test_matrix_adds_the_walk_to_and_from_the_road_and_cuts_off_far_points():
    g = square()
    near_a, near_c = (-0.001, 0.0), (0.01, 0.011)   # about 111 m off the corners
    far = (0.0, -0.01)                               # about 1.1 km from any road
    seconds = travel.travel_matrix(g, [near_a, far], [near_c, A])
    walk_a, walk_c = haversine_m(*near_a, *A) / WALK, haversine_m(*near_c, *C) / WALK
    road = nx.shortest_path_length(oracle(g), node(g, A), node(g, C), weight="w")
    assert seconds[0, 0] == pytest.approx(walk_a + road + walk_c)
    assert seconds[0, 1] == pytest.approx(walk_a)  # from beside A to A itself: the walk only
    assert np.isinf(seconds[1]).all() and haversine_m(*far, *A) > MAX_ACCESS_M
    metres = travel.travel_matrix(g, [near_a], [near_c], weight="metres")
    road_m = nx.shortest_path_length(oracle(g, "metres"), node(g, A), node(g, C), weight="w")
    assert metres[0, 0] == pytest.approx(haversine_m(*near_a, *A) + road_m + haversine_m(*near_c, *C))
    with pytest.raises(ValueError, match="weight"):
        travel.travel_matrix(g, [A], [C], weight="hours")


def test_matrix_is_the_same_whichever_side_is_searched_from():
    g = from_features([line([A, B], oneway=True), line([B, C, D, A], "track")])
    points = [A, B, C, D, (0.001, 0.0003)]
    wide = travel.travel_matrix(g, points[:1], points)   # searched from the single source
    tall = travel.travel_matrix(g, points, points[:1])   # searched back from the single target
    o = oracle(g)
    snapped = travel.snap(g, [p[0] for p in points], [p[1] for p in points])
    for j, p in enumerate(points):
        forward = nx.shortest_path_length(o, node(g, A), int(snapped.nodes[j]), weight="w")
        back = nx.shortest_path_length(o, int(snapped.nodes[j]), node(g, A), weight="w")
        walk = haversine_m(*p, *(g.node_lon[snapped.nodes[j]], g.node_lat[snapped.nodes[j]])) / WALK
        assert wide[0, j] == pytest.approx(forward + walk)
        assert tall[j, 0] == pytest.approx(back + walk)


def test_route_follows_the_fastest_open_roads_with_the_walks():
    g = square()
    start, end = (-0.0005, 0.0), (0.0105, 0.01)
    trip = travel.route(g, start, end)
    o = oracle(g)
    path = nx.shortest_path(o, node(g, A), node(g, C), weight="w")
    assert trip.nodes == path and trip.coords[0] == list(start) and trip.coords[-1] == list(end)
    walks = haversine_m(*start, *A) + haversine_m(*end, *C)
    assert trip.seconds == pytest.approx(nx.path_weight(o, path, "w") + walks / WALK)
    assert travel.route(g, (0.0, -0.01), C) is None  # cut off from the roads
    g.set_blocked(np.ones(g.edge_count, dtype=bool) & (g.edge_to == node(g, C)))
    assert travel.route(g, A, C) is None  # no open road leads into C


def test_routes_to_one_target_match_single_routes():
    g = square()
    sources = [B, D, (0.0, -0.01)]
    trips = travel.routes_to(g, sources, C)
    assert trips[2] is None
    for trip, source in zip(trips[:2], sources[:2]):
        single = travel.route(g, source, C)
        assert trip.nodes == single.nodes and trip.seconds == pytest.approx(single.seconds)


def test_isochrones_are_none_for_a_point_off_the_roads():
    g = square()
    assert travel.isochrones(g, (0.0, -0.01), [60]) is None
    areas = travel.isochrones(g, A, [60, 600])
    assert areas[0].area <= areas[1].area


def test_the_snap_index_is_built_once_per_view_and_a_blocked_view_has_its_own(monkeypatch):
    builds = []
    real = roads.cKDTree

    def counting(*args, **kwargs):
        builds.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(roads, "cKDTree", counting)
    g = from_features([line([A, B]), line([B, C])])
    for _ in range(5):
        assert g.snap([0.0001], [0.0])[0][0] == node(g, A)
    assert len(builds) == 1  # one tree for five calls
    view = g.with_blocked(g.edge_road == 0)  # A's only road closed in the view
    assert view.snap([0.0001], [0.0])[0][0] == node(g, B)
    assert g.snap([0.0001], [0.0])[0][0] == node(g, A)  # the base graph keeps its own index
    assert len(builds) == 2
    g.set_blocked(g.edge_road == 0)
    assert g.snap([0.0001], [0.0])[0][0] == node(g, B)  # a new blocked set, a new index


class _CountingEq(np.ndarray):
    """An edge array that counts element-wise comparisons (a per-hop scan of the edges makes one per hop)."""

    comparisons = 0

    def __eq__(self, other):
        _CountingEq.comparisons += 1
        return np.asarray(self) == other


def test_path_edges_looks_edges_up_instead_of_scanning_them_per_hop():
    side = 12
    grid = [[(x * 0.01, y * 0.01) for x in range(side)] for y in range(side)]
    g = from_features([line(row, "tertiary") for row in grid] + [line(col, "track") for col in zip(*grid)]
                      + [line(row, "track") for row in grid[::3]])  # parallel, slower duplicates of some rows
    g.set_blocked(np.random.default_rng(1).random(g.edge_count) < 0.1)
    path = g.route(node(g, grid[0][0]), node(g, grid[-1][-1]))
    expected = []
    for a, b in zip(path[:-1], path[1:]):  # brute force: the least-time open edge between the pair
        candidates = np.nonzero((g.edge_from == a) & (g.edge_to == b) & ~g.blocked)[0]
        expected.append(int(candidates[np.argmin(g.edge_seconds[candidates])]))
    assert g.path_edges(path) == expected
    g.edge_from, g.edge_to = g.edge_from.view(_CountingEq), g.edge_to.view(_CountingEq)
    _CountingEq.comparisons = 0
    assert g.path_edges(path) == expected
    assert _CountingEq.comparisons == 0, "path_edges compared the edge arrays hop by hop"
    with pytest.raises(ValueError, match="not joined by an open edge"):
        g.path_edges([node(g, grid[0][0]), node(g, grid[5][5])])
