"""The simplified graph (junctions only, main components) answers exactly as the unsimplified one."""
from __future__ import annotations

import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo import travel
from geo.facilities import nearest
from geo.road_attach import closed_segments, with_closed_segments
from geo.roads import from_features


def line(coords, road_class="secondary", **props):
    return {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [list(c) for c in coords]},
            "properties": {"class": road_class, **props}}


def _network(rng) -> list[dict]:
    """A grid of long bendy roads (many degree-2 vertices), some one-way, some closed to cars or to walkers."""
    features = []
    for k in range(5):
        xs = np.linspace(0, 0.04, 9)
        ys = k * 0.01 + rng.uniform(-0.001, 0.001, 9)
        props = {"oneway": bool(rng.random() < 0.3), "drive": bool(rng.random() > 0.15)}
        features.append(line(np.column_stack([xs, ys]), ["tertiary", "track"][k % 2], **props))
        features.append(line(np.column_stack([ys, xs]), "secondary", walk=bool(rng.random() > 0.2),
                             oneway="-1" if rng.random() < 0.2 else False))
    features.append(line([(0.1, 0.1), (0.11, 0.1)]))  # a fragment far away
    return features


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), mode=st.sampled_from(["drive", "walk"]))
def test_simplified_matrices_routes_and_nearest_equal_the_unsimplified(seed, mode):
    rng = np.random.default_rng(seed)
    features = _network(rng)
    full = from_features(features, simplify=False).for_mode(mode)
    simple = from_features(features).for_mode(mode)
    assert simple.node_count < full.node_count
    points = rng.uniform(-0.002, 0.042, (8, 2))
    weight = "seconds" if mode == "drive" else "metres"
    expected = travel.travel_matrix(full, points, points, weight)
    got = travel.travel_matrix(simple, points, points, weight)
    assert np.array_equal(np.isinf(expected), np.isinf(got))
    assert got[np.isfinite(got)] == pytest.approx(expected[np.isfinite(expected)], rel=1e-9, abs=1e-6)
    for a, b in rng.integers(0, len(points), (3, 2)).tolist():
        r_full, r_simple = travel.route(full, points[a], points[b]), travel.route(simple, points[a], points[b])
        assert (r_full is None) == (r_simple is None)
        if r_full is not None:
            assert r_simple.seconds == pytest.approx(r_full.seconds) and r_simple.coords == r_full.coords
    n_full = nearest(full, points[:3], points[3:], mode=mode)
    n_simple = nearest(simple, points[:3], points[3:], mode=mode)
    assert n_simple.seconds == pytest.approx(n_full.seconds)
    # a closure on one segment closes just that segment, on both graphs alike
    segment = shapely.LineString(features[0]["geometry"]["coordinates"][3:5])
    full_c = with_closed_segments(full, closed_segments(full, segment, "segment"))
    simple_c = with_closed_segments(simple, closed_segments(simple, segment, "segment"))
    got_c = travel.travel_matrix(simple_c, points, points, weight)
    expected_c = travel.travel_matrix(full_c, points, points, weight)
    assert np.array_equal(np.isinf(expected_c), np.isinf(got_c))
    assert got_c[np.isfinite(got_c)] == pytest.approx(expected_c[np.isfinite(expected_c)], rel=1e-9, abs=1e-6)


def test_fragments_are_dropped_and_reported_and_never_snapped_to():
    g = from_features([line([(0, 0), (0.01, 0), (0.02, 0)]), line([(0.5, 0.5), (0.51, 0.5)])])
    drive = next(c for c in g.components if c.mode == "drive")
    assert drive.dropped_vertices == 2 and drive.fragments == 1
    assert drive.dropped_km == pytest.approx(1.113, abs=0.01)
    vertex, metres = g.snap([0.505], [0.5])
    assert g.vertex_lon[vertex[0]] == pytest.approx(0.02) and metres[0] > 50_000


def test_a_one_way_chain_is_one_edge_for_driving_and_two_for_walking():
    g = from_features([line([(0, 0), (0.01, 0), (0.02, 0)], oneway=True),
                       line([(0.02, 0), (0.02, 0.01), (0.0, 0.01), (0, 0)])], main_component=False)
    assert g.node_count == 2
    assert int(g.edge_drive.sum()) == 3 and int(g.edge_walk.sum()) == 4
    start, end = travel.snap(g, 0.0, 0.0), travel.snap(g, 0.02, 0.0)
    there = travel.travel_matrix(g, start, end)[0, 0]
    back = travel.travel_matrix(g, end, start)[0, 0]
    assert back == pytest.approx(2 * there, rel=1e-3)  # back the long way round (4 km against 2)
    walk = g.for_mode("walk")
    assert travel.travel_matrix(walk, end, start, "metres")[0, 0] == pytest.approx(
        travel.travel_matrix(walk, start, end, "metres")[0, 0])
