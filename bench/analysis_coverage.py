"""Benchmark: coverage gaps by road (multi-source Dijkstra) and exact siting (MCLP, p-median by MIP).

1. District coverage: services.analysis.coverage.coverage on the sample (300 hazard points and 220 village seats
   against the open shelters, standby teams and depots, walking and driving: six searches) on the embedded road
   network; the first call includes loading the road graph.
2. Large coverage: 5,000 demand points and 500 facilities (250 shelters, 150 teams, 100 depots) on a 50,176-node
   grid network over the district's extent, through geo.facilities.nearest, both modes (six searches); and, for
   comparison, the same nearest-shelter answer by a travel matrix (one Dijkstra per shelter).
3. Siting: 300 demand points × 200 candidates, K = 5, solved exactly (geo.siting): MCLP within 15 / 30 / 60 min,
   p-median, and MCLP and p-median under capacities, with travel times by road on the grid network; and the
   district siting of the sample through services.analysis.siting.site (seats and villages as candidates).

    python bench/analysis_coverage.py [--repeat 5]
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
from _common import emit, print_machine

from geo import siting, travel
from geo.facilities import nearest, travel_seconds
from geo.roads import from_features


def _stats(times: list[float]) -> dict:
    return {"median": round(statistics.median(times), 3), "max": round(max(times), 3)}


def grid_network(side: int):
    """A side × side grid of roads of mixed classes over the district's extent (winding 1.3)."""
    lons, lats = np.linspace(108.48, 108.95, side), np.linspace(29.07, 29.87, side)
    classes = ("tertiary", "secondary", "track", "residential")
    features = [{"type": "Feature", "properties": {"class": classes[i % 4], "winding": 1.3},
                 "geometry": {"type": "LineString", "coordinates": [[x, lat] for x in lons]}}
                for i, lat in enumerate(lats)]
    features += [{"type": "Feature", "properties": {"class": classes[(j + 1) % 4], "winding": 1.3},
                  "geometry": {"type": "LineString", "coordinates": [[lon, y] for y in lats]}}
                 for j, lon in enumerate(lons)]
    return from_features(features)


def _points(rng, n: int) -> np.ndarray:
    return np.column_stack([rng.uniform(108.5, 108.93, n), rng.uniform(29.1, 29.85, n)])


def district_case(repeat: int) -> dict:
    import dataclasses

    from config import load_settings
    from services.analysis.coverage import coverage
    from services.analysis.siting import SitingQuery, site
    from services.data.seed import setup_database
    from services.db.uow import unit_of_work
    with tempfile.TemporaryDirectory(prefix="qj_cov_") as tmp:
        settings = dataclasses.replace(load_settings(), database_url=f"sqlite:///{tmp}/cov.sqlite3")
        setup_database(settings, with_sample=True)
        times, report = [], None
        for _ in range(repeat + 1):
            t0 = time.perf_counter()
            with unit_of_work(settings) as uow:
                report = coverage(uow)
            times.append(time.perf_counter() - t0)
        sitings = {}
        for name, query in (("k5_mclp_30min", SitingQuery(k=5, minutes=30)),
                            ("k5_p_median", SitingQuery(k=5, objective="p-median")),
                            ("k5_mclp_30min_capacity_500", SitingQuery(k=5, minutes=30, capacity_people=500)),
                            ("k5_team_mclp_30min_grid_2km", SitingQuery(facility="team", k=5, minutes=30,
                                                                        candidates=("seats", "villages", "grid")))):
            siting_times, result = [], None
            for _ in range(repeat):
                t0 = time.perf_counter()
                with unit_of_work(settings) as uow:
                    result = site(uow, query)
                siting_times.append(time.perf_counter() - t0)
            sitings[name] = {"demand": result.demand_points, "candidates": result.candidates_considered,
                             "total_s": _stats(siting_times), "solve_s": result.solve_s, "optimal": result.optimal,
                             "covered_before": result.before.covered_people,
                             "covered_after": result.after.covered_people}
    return {"points": len(report.points), "facilities": report.facilities, "first_call_s": round(times[0], 3),
            "warm_s": _stats(times[1:]), "network_nodes": report.road_network.nodes, "siting": sitings}


def large_case(graph, repeat: int) -> dict:
    rng = np.random.default_rng(11)
    demand = _points(rng, 5000)
    facilities = {"shelter": _points(rng, 250), "team": _points(rng, 150), "depot": _points(rng, 100)}
    timings, found = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        for kind, sites in facilities.items():
            for mode in ("walk", "drive"):
                found = nearest(graph, sites, demand, mode=mode, towards=kind == "shelter")
        timings.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    one = nearest(graph, facilities["shelter"], demand)
    one_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    matrix = travel.travel_matrix(graph, demand, facilities["shelter"])
    matrix_s = time.perf_counter() - t0
    same = bool(np.allclose(matrix.min(axis=1), one.seconds))
    return {"nodes": graph.node_count, "edges": graph.edge_count, "demand": 5000, "facilities": 500,
            "six_searches_s": _stats(timings), "one_search_s": round(one_s, 3),
            "matrix_per_shelter_s": round(matrix_s, 3), "same_answer_as_matrix": same,
            "reached": int(np.isfinite(found.seconds).sum())}


def siting_case(graph, repeat: int) -> dict:
    rng = np.random.default_rng(5)
    demand, candidates, existing = _points(rng, 300), _points(rng, 200), _points(rng, 20)
    people = rng.integers(5, 120, 300)
    t0 = time.perf_counter()
    cost = travel_seconds(graph, demand, candidates)
    existing_s = travel_seconds(graph, demand, existing)
    matrix_s = time.perf_counter() - t0
    cases = {f"mclp_{m}min": (siting.mclp, {"limit_s": m * 60.0}) for m in (15, 30, 60)}
    cases["mclp_30min_no_existing"] = (siting.mclp, {"limit_s": 1800.0, "existing_s": None})
    cases["p_median"] = (siting.p_median, {"limit_s": 1800.0})
    capacity = {"capacity": np.full(200, 1500), "existing_capacity": np.full(20, 600)}
    cases["mclp_30min_capacitated"] = (siting.mclp, {"limit_s": 1800.0, **capacity})
    cases["p_median_30min_capacitated"] = (siting.p_median, {"limit_s": 1800.0, **capacity})
    out = {"demand": 300, "candidates": 200, "existing": 20, "k": 5, "matrix_s": round(matrix_s, 3),
           "solver": siting.SOLVER}
    for name, (solve, kwargs) in cases.items():
        limit_s = kwargs.pop("limit_s")
        kwargs = {"existing_s": existing_s, **kwargs}
        times, found = [], None
        for _ in range(repeat if "capacitated" not in name else max(1, repeat // 2)):
            t0 = time.perf_counter()
            if solve is siting.mclp:
                found = solve(cost, people, 5, limit_s, time_limit_s=60, **kwargs)
            else:
                found = solve(cost, people, 5, limit_s=limit_s, time_limit_s=60, **kwargs)
            times.append(time.perf_counter() - t0)
        problem = siting.Problem.of(cost, people, kwargs["existing_s"], kwargs.get("capacity"),
                                    kwargs.get("existing_capacity"))
        before = siting.evaluate(problem, [], limit_s)
        out[name] = {"s": _stats(times), "optimal": found.optimal, "sites": len(found.chosen),
                     "covered_before": before.covered_people, "covered_people": found.score.covered_people,
                     "person_minutes_before": round(before.person_seconds / 60),
                     "person_minutes": round(found.score.person_seconds / 60)}
        print(f"  {name}: {out[name]}", flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print_machine()
    district = district_case(args.repeat)
    print("district:", district, flush=True)
    t0 = time.perf_counter()
    graph = grid_network(224)  # 224² = 50,176 nodes
    print(f"grid network built in {time.perf_counter() - t0:.1f} s", flush=True)
    large = large_case(graph, args.repeat)
    print("large:", large, flush=True)
    sited = siting_case(graph, args.repeat)
    print("siting:", sited, flush=True)
    emit({"district": district, "large": large, "siting": sited})


if __name__ == "__main__":
    main()
