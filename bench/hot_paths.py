"""Benchmark: the road graph's hot paths on a 160,000-node grid network: snapping and edges of a path.

1. Snap: one point, then 100 points, on the graph and on a view with blocked edges (``with_blocked``);
   each call timed separately, so the first call (which may build an index) shows apart from the rest.
2. Path edges: the open edge between each consecutive pair of a corner-to-corner route (about 800 hops).

    python bench/hot_paths.py [--repeat 5] [--side 400]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from _common import emit, print_machine  # noqa: E402
from evacuation_plan import _grid_network  # noqa: E402


def _timed(call, repeat: int) -> dict:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return {"first_ms": round(times[0] * 1000, 2), "median_rest_ms": round(statistics.median(times[1:]) * 1000, 3)
            if len(times) > 1 else None}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--side", type=int, default=400)
    args = parser.parse_args()
    print_machine()
    rng = np.random.default_rng(3)
    started = time.perf_counter()
    graph = _grid_network(args.side, rng)
    print(f"graph: {graph.node_count:,} nodes, {graph.edge_count:,} edges, built in "
          f"{time.perf_counter() - started:.1f} s", flush=True)
    one = (np.array([108.7]), np.array([29.5]))
    many = (rng.uniform(108.5, 108.93, 100), rng.uniform(29.1, 29.85, 100))
    view = graph.with_blocked(rng.random(graph.edge_count) < 0.01)
    figures = {"nodes": graph.node_count, "edges": graph.edge_count,
               "snap_1": _timed(lambda: graph.snap(*one), args.repeat),
               "snap_100": _timed(lambda: graph.snap(*many), args.repeat),
               "snap_1_blocked_view": _timed(lambda: view.snap(*one), args.repeat)}
    corner = int(np.argmin(graph.node_lon + graph.node_lat))
    opposite = int(np.argmax(graph.node_lon + graph.node_lat))
    path = graph.route(corner, opposite)
    figures["path_hops"] = len(path) - 1
    figures["path_edges"] = _timed(lambda: graph.path_edges(path), args.repeat)
    for name, value in figures.items():
        print(f"{name}: {value}", flush=True)
    emit(figures)


if __name__ == "__main__":
    main()
