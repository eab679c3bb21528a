"""Benchmark: solution quality of `python app.py solve-vrp` on published CVRPLIB "X" instances.

Each bench/cvrplib/*.vrp (Uchoa et al. 2017, 100-200 customers; sources in bench/cvrplib/README.md) is
solved by the app's CLI in its own process, one instance at a time, with a wall-clock limit per instance
(PyVRP's MaxRuntime). The cost is the solution's total distance under CVRPLIB's convention (EUC_2D
distances rounded to the nearest integer), so it compares directly with the best-known cost (BKS)
published on the CVRPLIB site: gap % = 100 * (cost - BKS) / BKS.

    python bench/vrp_quality.py [--seconds 10] [--only X-n106-k14] [--seed 1]
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, emit, print_machine  # noqa: E402

INSTANCES = Path(__file__).resolve().parent / "cvrplib"

# Best-known solution costs as published on CVRPLIB (http://vrp.galgos.inf.puc-rio.br/); all five are
# proven optimal. Sources of each figure: bench/cvrplib/README.md.
BKS = {
    "X-n106-k14": 26362,
    "X-n115-k10": 12747,
    "X-n139-k10": 13590,
    "X-n172-k51": 45607,
    "X-n186-k15": 24145,
}


def customers(path: Path) -> int:
    """DIMENSION minus the single depot, read from the file's header."""
    for line in path.read_text().splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "DIMENSION":
            return int(value.strip()) - 1
    raise ValueError(f"{path.name}: no DIMENSION")


def solve(path: Path, seconds: float, seed: int) -> dict:
    args = [sys.executable, str(ROOT / "app.py"), "solve-vrp", str(path), "--seconds", str(seconds),
            "--seed", str(seed)]
    started = time.perf_counter()
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=seconds + 300)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"solve-vrp {path.name} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise RuntimeError(f"solve-vrp {path.name}: no JSON line in the output:\n{done.stdout}\n{done.stderr}")
    result = json.loads(lines[-1])
    result["wall_s"] = round(wall, 2)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="time limit per instance (default 10)")
    parser.add_argument("--only", help="one instance name, e.g. X-n106-k14")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    files = sorted(INSTANCES.glob("*.vrp"))
    if args.only:
        files = [f for f in files if f.stem == args.only.removesuffix(".vrp")]
        if not files:
            parser.error(f"no instance {args.only} in {INSTANCES}")
    missing = [f.stem for f in files if f.stem not in BKS]
    if missing:
        parser.error(f"no best-known cost recorded for {', '.join(missing)}")

    print_machine()
    print(f"solver:  python app.py solve-vrp FILE --seconds {args.seconds:g} --seed {args.seed} "
          f"(PyVRP, one instance at a time)\n", flush=True)
    header = f"{'instance':<12} {'customers':>9} {'BKS':>7} {'cost':>7} {'gap %':>7} {'vehicles':>8} " \
             f"{'seconds':>7} {'iterations':>10}"
    print(header)
    print("-" * len(header), flush=True)
    rows = []
    for path in files:
        result = solve(path, args.seconds, args.seed)
        bks = BKS[path.stem]
        cost = result["cost"]
        gap = None if cost is None else 100.0 * (cost - bks) / bks
        row = {"instance": path.stem, "customers": customers(path), "bks": bks, "cost": cost,
               "gap_pct": None if gap is None else round(gap, 3), "feasible": result["feasible"],
               "vehicles": result["vehicles"], "seconds": result["seconds"], "wall_s": result["wall_s"],
               "iterations": result["iterations"]}
        rows.append(row)
        print(f"{row['instance']:<12} {row['customers']:>9} {bks:>7} "
              f"{cost if cost is not None else 'infeas.':>7} "
              f"{f'{gap:.2f}' if gap is not None else 'n/a':>7} {row['vehicles']:>8} {row['seconds']:>7.2f} "
              f"{row['iterations']:>10}", flush=True)

    gaps = [r["gap_pct"] for r in rows if r["gap_pct"] is not None]
    infeasible = [r["instance"] for r in rows if r["gap_pct"] is None]
    mean_gap = statistics.fmean(gaps) if gaps and not infeasible else None
    print("-" * len(header))
    if mean_gap is not None:
        print(f"mean gap: {mean_gap:.2f} % over {len(gaps)} instance(s), {args.seconds:g} s each "
              f"(max {max(gaps):.2f} %, {sum(g == 0 for g in gaps)} at the BKS)")
    else:
        print(f"mean gap: n/a (no feasible solution for {', '.join(infeasible) or 'any instance'})")
    emit({"seconds_per_instance": args.seconds, "seed": args.seed, "instances": rows,
          "mean_gap_pct": None if mean_gap is None else round(mean_gap, 3),
          "max_gap_pct": round(max(gaps), 3) if gaps else None, "infeasible": infeasible})


if __name__ == "__main__":
    main()
