"""Benchmark: evacuation plans (road travel times + exact min-cost flow).

1. District: the sample's 300 hazard points and 40 shelters on the embedded road network, through
   services.evacuation_plan.plan (demand selection, snapping, Dijkstra from every shelter, min-cost flow,
   result building); the first call includes loading the road graph.
2. Large: 5,000 demand points and 500 shelters on a 50,000-node grid network over the district's extent
   (roads of mixed classes), through the same geo/ functions the service uses (geo.travel.snap and
   travel_matrix, geo.assignment.assign).

    python bench/evacuation_plan.py [--repeat 5]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from _common import emit, print_machine  # noqa: E402

from geo import travel  # noqa: E402
from geo.assignment import assign  # noqa: E402
from geo.roads import from_features  # noqa: E402


def _grid_network(side: int, rng: np.random.Generator):
    lons = np.linspace(108.48, 108.95, side)
    lats = np.linspace(29.07, 29.87, side)
    classes = ("tertiary", "secondary", "track", "residential")
    features = []
    for i, lat in enumerate(lats):
        features.append({"type": "Feature", "properties": {"class": classes[i % 4], "winding": 1.3},
                         "geometry": {"type": "LineString", "coordinates": [[x, lat] for x in lons]}})
    for j, lon in enumerate(lons):
        features.append({"type": "Feature", "properties": {"class": classes[(j + 1) % 4], "winding": 1.3},
                         "geometry": {"type": "LineString", "coordinates": [[lon, y] for y in lats]}})
    return from_features(features)


def large_case(repeat: int) -> dict:
    rng = np.random.default_rng(7)
    started = time.perf_counter()
    graph = _grid_network(224, rng)  # 224² = 50,176 nodes
    build_s = time.perf_counter() - started
    d_lon, d_lat = rng.uniform(108.5, 108.93, 5000), rng.uniform(29.1, 29.85, 5000)
    s_lon, s_lat = rng.uniform(108.5, 108.93, 500), rng.uniform(29.1, 29.85, 500)
    people, capacity = rng.integers(1, 40, 5000), rng.integers(50, 600, 500)
    limit_s = 3600.0
    timings = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        demand, shelters = travel.snap(graph, d_lon, d_lat), travel.snap(graph, s_lon, s_lat)
        t1 = time.perf_counter()
        seconds = travel.travel_matrix(graph, demand, shelters, limit=limit_s)
        t2 = time.perf_counter()
        result = assign(seconds, people, capacity, limit_s)
        t3 = time.perf_counter()
        timings.append({"snap_s": t1 - t0, "dijkstra_s": t2 - t1, "flow_s": t3 - t2, "total_s": t3 - t0})
    return {"nodes": graph.node_count, "edges": graph.edge_count, "graph_build_s": round(build_s, 2),
            "demand": 5000, "shelters": 500, "people": int(people.sum()), "places": int(capacity.sum()),
            "unmet": int(result.unmet.sum()),
            **{k: {"median": round(statistics.median(t[k] for t in timings), 3),
                   "max": round(max(t[k] for t in timings), 3)} for k in timings[0]}}


def district_case(repeat: int) -> dict:
    import dataclasses

    from config import load_settings
    from services.data.seed import setup_database
    from services.db.uow import unit_of_work
    from services.evacuation.plans import Scenario, plan
    with tempfile.TemporaryDirectory(prefix="qj_plan_") as tmp:
        settings = dataclasses.replace(load_settings(), database_url=f"sqlite:///{tmp}/plan.sqlite3")
        setup_database(settings, with_sample=True)
        times, result = [], None
        for _ in range(repeat + 1):
            t0 = time.perf_counter()
            with unit_of_work(settings) as uow:
                result = plan(uow, Scenario())
            times.append(time.perf_counter() - t0)
    return {"first_call_s": round(times[0], 3), "warm_s": {"median": round(statistics.median(times[1:]), 3),
                                                             "max": round(max(times[1:]), 3)},
            "network": dataclasses.asdict(result.road_network), "totals": dataclasses.asdict(result.totals)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print_machine()
    district = district_case(args.repeat)
    print("district:", district, flush=True)
    large = large_case(args.repeat)
    print("large:", large, flush=True)
    emit({"district": district, "large": large})


if __name__ == "__main__":
    main()
