"""Vehicle routing with PyVRP: reading CVRPLIB/TSPLIB instances and solving them under a time limit.

CVRPLIB's convention for EUC_2D instances is distances rounded to the nearest integer; PyVRP's reader
applies it with ``round_func="round"``, so costs compare directly with the published best-known costs.
"""
from __future__ import annotations

import time
from pathlib import Path

import pyvrp
from pyvrp.stop import MaxRuntime


def solve_vrplib(path: str | Path, seconds: float = 10.0, seed: int = 1) -> dict:
    """Solve a .vrp file; returns cost, feasibility, routes (client numbers as in the file) and run time."""
    path = Path(path)
    if not path.is_file():
        raise OSError(f"no such file: {path}")
    try:
        data = pyvrp.read(str(path), round_func="round")
    except Exception as exc:  # noqa: BLE001 — the reader raises many kinds; the user needs one clear message
        raise ValueError(f"{path.name} is not a readable VRPLIB instance ({type(exc).__name__}: {exc})") from exc
    started = time.perf_counter()
    result = pyvrp.solve(data, stop=MaxRuntime(seconds), seed=seed, display=False, collect_stats=False)
    best = result.best
    # A client activity's idx counts clients from 0; in the file, nodes count from 1 with the depots first.
    first_client = data.num_depots + 1
    routes = [[first_client + int(a.idx) for a in route if a.is_client()] for route in best.routes()]
    return {"instance": path.name, "cost": int(best.distance_cost()) if best.is_feasible() else None,
            "objective": int(result.cost()) if best.is_feasible() else None, "feasible": bool(best.is_feasible()),
            "vehicles": len(routes), "routes": routes, "seconds": round(time.perf_counter() - started, 2),
            "iterations": int(result.num_iterations)}
