"""Benchmark: travel-time matrices on a 50,000-node network, and re-planning 100 supply stops after a closure.

1. Matrix: 20 depots × 200 shelters on a 224 × 224 grid network (50,176 nodes) over the district's extent:
   geo.travel.travel_matrix: snap + one Dijkstra per depot (scipy) + the 20 × 200 slice and walking legs, 5 runs.
2. Re-plan: a SQLite database with the sample plus 60 more shelters (100 housing people in all), supply
   routes from every depot (PyVRP, 1 s limit); then a road segment on a used route is closed and the
   routes are planned again; the re-plan's wall time is the figure (matrix, solve, route geometry).

    python bench/routing.py [--repeat 5]
"""
from __future__ import annotations

import argparse
import csv
import dataclasses
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from _common import ROOT, emit, print_machine  # noqa: E402
from evacuation_plan import _grid_network  # noqa: E402

from geo import travel  # noqa: E402


def matrix_case(repeat: int) -> dict:
    rng = np.random.default_rng(11)
    graph = _grid_network(224, rng)
    depots = np.column_stack([rng.uniform(108.5, 108.93, 20), rng.uniform(29.1, 29.85, 20)])
    shelters = np.column_stack([rng.uniform(108.5, 108.93, 200), rng.uniform(29.1, 29.85, 200)])
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        matrix = travel.travel_matrix(graph, depots, shelters)
        times.append(time.perf_counter() - started)
    assert matrix.shape == (20, 200) and np.isfinite(matrix).all()
    return {"nodes": graph.node_count, "median_s": round(statistics.median(times), 3), "max_s": round(max(times), 3)}


def _more_shelters(count: int) -> bytes:
    from services.data.specs import SPECS
    with (ROOT / "data" / "sample" / "shelters.csv").open(encoding="utf-8-sig") as fh:
        base = list(csv.DictReader(fh))
    rng = np.random.default_rng(5)
    rows = []
    for i in range(count):
        row = dict(base[i % len(base)])
        row["场所编号"], row["名称"] = f"LOAD-SH-{i:03d}", f"{row['名称']}（压测{i}）"
        row["经度"] = f"{float(row['经度']) + rng.normal(0, 0.004):.6f}"
        row["纬度"] = f"{float(row['纬度']) + rng.normal(0, 0.004):.6f}"
        row["乡镇街道"], row["核定容量(人)"], row["已安置人数"], row["状态"] = "", "500", "40", "开放"
        rows.append(row)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=SPECS["shelters"].headers)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _road_vertex(graph, coords: list) -> tuple[float, float]:
    """The vertex of a route nearest its middle that lies on a road (a stop itself may lie off the road)."""
    from geo.distance import nearest
    middle = len(coords) // 2
    for i in sorted(range(len(coords)), key=lambda i: abs(i - middle)):
        if nearest(*coords[i], graph.node_lon, graph.node_lat)[1] < 1.0:
            return tuple(coords[i])
    return tuple(coords[middle])


def replan_case(repeat: int) -> dict:
    from config import load_settings
    from services.data.imports import import_file
    from services.data.seed import setup_database
    from services.db.uow import unit_of_work
    from services.models import Shelter
    from services.roads.closures import block_segment, lift_block
    from services.roads.network import base_graph
    from services.supply.routes import RoutePlanRequest, load_route_inputs, solve_supply_routes

    def plan_routes(request):
        with unit_of_work(settings) as uow:
            inputs = load_route_inputs(uow, request)
        return solve_supply_routes(settings, inputs)

    with tempfile.TemporaryDirectory(prefix="qj_routing_") as tmp:
        settings = dataclasses.replace(load_settings(), database_url=f"sqlite:///{tmp}/r.sqlite3")
        setup_database(settings, with_sample=True)
        with unit_of_work(settings, write=True, actor="bench") as uow:
            import_file(uow, "shelters", _more_shelters(60), "more.csv")
        with unit_of_work(settings, write=True, actor="bench") as uow:  # every shelter houses 40 people
            for shelter in uow.session.query(Shelter):
                shelter.occupancy_people = 40
        request = RoutePlanRequest(seconds=1.0)
        first = plan_routes(request)
        stops = sum(len(v.stops) for v in first.vehicles)
        busiest = max(first.vehicles, key=lambda v: len(v.stops))
        lon, lat = _road_vertex(base_graph(settings), busiest.geometry["coordinates"])
        times, unserved = [], []
        for _ in range(repeat):
            with unit_of_work(settings, write=True, actor="bench") as uow:
                block = block_segment(uow, lon, lat, "压测阻断")
            started = time.perf_counter()
            again = plan_routes(request)
            times.append(time.perf_counter() - started)
            unserved.append(len(again.unserved))
            with unit_of_work(settings, write=True, actor="bench") as uow:
                lift_block(uow, block.id)
    return {"stops": stops, "vehicles": len(first.vehicles), "median_s": round(statistics.median(times), 3),
            "max_s": round(max(times), 3), "unserved_after_block": unserved[0], "solver_limit_s": 1.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print_machine()
    matrix = matrix_case(args.repeat)
    print("matrix 20 × 200:", matrix, flush=True)
    replan = replan_case(args.repeat)
    print("re-plan after a closure:", replan, flush=True)
    emit({"matrix": matrix, "replan": replan})


if __name__ == "__main__":
    main()
