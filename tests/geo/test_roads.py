"""The road graph on hand-made networks: known shortest paths, one-way streets, blocked edges, snapping."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.distance import haversine_m
from geo.roads import from_features as _from_features


def from_features(features, *args, **kwargs):
    """The graph unsimplified (every vertex a node) and whole: these tests check search on known nodes;
    tests/geo/test_road_simplify.py checks that the simplified graph answers the same."""
    return _from_features(features, *args, simplify=False, main_component=False, **kwargs)

# A square A-B-C-D (about 1.1 km a side at the equator) with a diagonal A-C of a slow class.
A, B, C, D = (0.0, 0.0), (0.01, 0.0), (0.01, 0.01), (0.0, 0.01)


def line(coords, road_class="secondary", **props) -> dict:
    return {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [list(c) for c in coords]},
            "properties": {"class": road_class, "name": props.pop("name", ""), **props}}


def square():
    return from_features([line([A, B, C]), line([C, D, A]), line([A, C], "track")])


def node(graph, point) -> int:
    return int(np.nonzero((graph.node_lon == point[0]) & (graph.node_lat == point[1]))[0][0])


def test_identical_vertices_merge_into_one_node_and_lengths_are_geodesic():
    g = square()
    assert g.node_count == 4 and g.edge_count == 10  # 5 two-way segments
    ab = np.nonzero((g.edge_from == node(g, A)) & (g.edge_to == node(g, B)))[0][0]
    assert g.edge_length_m[ab] == pytest.approx(haversine_m(*A, *B))
    assert g.edge_seconds[ab] == pytest.approx(g.edge_length_m[ab] / (40 / 3.6))


def test_known_shortest_paths_and_the_slow_diagonal():
    g = square()
    a, c = node(g, A), node(g, C)
    by_time = g.route(a, c)
    assert len(by_time) == 3  # around the square at 40 km/h beats the diagonal at 15 km/h
    assert g.route(a, c, weight="metres") == [a, c]  # the diagonal is shorter in distance
    seconds = g.travel_from([a])[0, c]
    assert seconds == pytest.approx(2 * haversine_m(*A, *B) / (40 / 3.6), rel=1e-6)


def test_winding_factor_lengthens_the_road():
    g = from_features([line([A, B], winding=1.5)])
    assert g.edge_length_m[0] == pytest.approx(1.5 * haversine_m(*A, *B))


def test_one_way_streets_are_respected():
    g = from_features([line([A, B], oneway=True), line([B, C, D, A], "track")])
    a, b = node(g, A), node(g, B)
    assert g.route(a, b) == [a, b]
    assert len(g.route(b, a)) == 4  # back the long way
    assert g.travel_to([b])[0, a] == pytest.approx(g.travel_from([a])[0, b])


def test_blocking_edges_reroutes_and_unblocking_restores():
    g = square()
    a, b = node(g, A), node(g, B)
    block = (g.edge_from == a) & (g.edge_to == b) | (g.edge_from == b) & (g.edge_to == a)
    g.set_blocked(block)
    path = g.route(a, b)
    assert path is not None and len(path) > 2
    open_pairs = {(int(f), int(t)) for f, t, closed in zip(g.edge_from, g.edge_to, g.blocked) if not closed}
    assert all(pair in open_pairs for pair in zip(path[:-1], path[1:]))
    g.set_blocked(block | (g.edge_road == 1) | (g.edge_road == 2))  # everything around B's other side too
    assert g.route(a, b) is None and np.isinf(g.travel_from([a])[0, b])
    g.set_blocked(np.zeros(g.edge_count, dtype=bool))
    assert g.route(a, b) == [a, b]


def test_snapping_skips_nodes_whose_roads_are_all_blocked():
    g = from_features([line([A, B]), line([B, C])])
    nodes, metres = g.snap([0.0001], [0.0])
    assert nodes[0] == node(g, A) and metres[0] == pytest.approx(haversine_m(0.0001, 0, *A))
    g.set_blocked(g.edge_road == 0)
    nodes, _ = g.snap([0.0001], [0.0])
    assert nodes[0] in (node(g, B), node(g, C))


def test_unknown_road_class_is_named():
    with pytest.raises(ValueError, match="road #1: unknown class 'canal'"):
        from_features([line([A, B], "canal")])


def _open_network(g, weight: str = "seconds"):
    """The oracle: a networkx DiGraph of the edge arrays minus the blocked (and walk-only) edges, least weight per node pair."""
    import networkx as nx
    values = g.edge_seconds if weight == "seconds" else g.edge_length_m
    oracle = nx.DiGraph()
    oracle.add_nodes_from(range(g.node_count))
    for a, b, w, closed in zip(g.edge_from.tolist(), g.edge_to.tolist(), values.tolist(), (~g.usable).tolist()):
        if not closed and (not oracle.has_edge(a, b) or oracle[a][b]["w"] > w):
            oracle.add_edge(a, b, w=w)
    return oracle


def _grid(side: int = 5) -> list:
    grid = [[(x * 0.01, y * 0.01) for x in range(side)] for y in range(side)]
    # rows fast, columns slow, and a slower parallel copy of every other row (parallel edges between the
    # same nodes: blocking the fast one of a pair must leave only the slow one usable)
    return ([line(row, "tertiary") for row in grid] + [line(col, "track") for col in zip(*grid)]
            + [line(row, "track", oneway=True) for row in grid[::2]])


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000), blocked_share=st.floats(0, 0.6), weight=st.sampled_from(["seconds", "metres"]))
def test_routes_use_only_open_edges_and_cost_what_networkx_finds(seed, blocked_share, weight):
    import networkx as nx
    rng = np.random.default_rng(seed)
    g = from_features(_grid())
    g.set_blocked(rng.random(g.edge_count) < blocked_share)
    oracle = _open_network(g, weight)
    for source, target in rng.integers(0, g.node_count, (4, 2)).tolist():
        path = g.route(source, target, weight=weight)
        cost = g.travel_from([source], weight=weight)[0, target]
        if not nx.has_path(oracle, source, target):
            assert path is None and np.isinf(cost)
            continue
        best = nx.shortest_path_length(oracle, source, target, weight="w")
        assert path[0] == source and path[-1] == target
        assert all(oracle.has_edge(a, b) for a, b in zip(path[:-1], path[1:])), "a route used a closed road"
        assert nx.path_weight(oracle, path, "w") == pytest.approx(best, abs=1e-6)
        assert cost == pytest.approx(best, abs=1e-6)
        values = g.edge_seconds if weight == "seconds" else g.edge_length_m
        edges = g.path_edges(path, weight=weight)
        assert g.usable[edges].all()
        assert values[edges].sum() == pytest.approx(best, abs=1e-6)
