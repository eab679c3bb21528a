"""Run every benchmark in bench/ (each in its own process, with a time limit) and print a summary.

    python bench/run_all.py [--only make_run,page_load,api_layers] [--quick]

--quick: 1 fresh-clone run of `make run`, 3 page loads, 10 requests per API query. Exit code 1 if any
benchmark failed (the figures of the others are printed all the same).
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import RESULT_PREFIX, print_machine  # noqa: E402

HERE = Path(__file__).resolve().parent
# name: (script, arguments, quick arguments, time limit in seconds)
BENCHMARKS = {
    "make_run": ("make_run.py", [], ["--runs", "1"], 2400),
    "page_load": ("page_load.py", [], ["--repeat", "3"], 600),
    "api_layers": ("api_layers.py", [], ["--repeat", "10"], 900),
    "map_scale": ("map_scale.py", [], ["--repeat", "2"], 1200),
    "evacuation_plan": ("evacuation_plan.py", [], ["--repeat", "2"], 900),
    "routing": ("routing.py", [], ["--repeat", "2"], 900),
    "hot_paths": ("hot_paths.py", [], ["--repeat", "3"], 600),
    "vrp_quality": ("vrp_quality.py", [], ["--seconds", "2"], 600),
    "live_view": ("live_view.py", [], ["--views", "5", "--seconds", "10"], 600),
    "import_bomb": ("import_bomb.py", [], ["--repeat", "1"], 900),
    "analysis_report": ("analysis_report.py", [], ["--repeat", "2"], 900),
    "supervision_rankings": ("supervision_rankings.py", [], ["--repeat", "2"], 1200),
    "supervision_page": ("supervision_page.py", [], ["--repeat", "2"], 900),
    "monitoring_ingest": ("monitoring_ingest.py", [], ["--batches", "3", "--prefill", "20000"], 900),
}


def run_one(name: str, quick: bool) -> tuple[dict | None, str | None]:
    script, args, quick_args, limit_s = BENCHMARKS[name]
    print(f"\n===== {name} ({script}) =====", flush=True)
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, str(HERE / script), *(quick_args if quick else args)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    result = None
    timed_out = threading.Event()

    def _kill() -> None:  # the scripts bound their own waits; this limit is a last resort
        timed_out.set()
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    watchdog = threading.Timer(limit_s, _kill)
    watchdog.start()
    try:
        for line in proc.stdout:
            if line.startswith(RESULT_PREFIX):
                result = json.loads(line[len(RESULT_PREFIX):])
            else:
                print(line, end="", flush=True)
        code = proc.wait()
    finally:
        watchdog.cancel()
    if timed_out.is_set():
        return result, f"killed after {limit_s} s"
    print(f"({name}: {time.perf_counter() - started:.0f} s, exit {code})", flush=True)
    if code != 0:
        return result, f"exit code {code}"
    return result, None


def _line(label: str, stat: dict | None, unit: str = "ms", scale: float = 1.0) -> str:
    if not stat:
        return f"  {label:<44} n/a"
    return f"  {label:<44} median {stat['median'] * scale:8.0f} {unit}, max {stat['max'] * scale:8.0f} {unit}"


def print_summary(results: dict[str, dict | None], failures: dict[str, str]) -> None:
    print("\n===== summary =====")
    print_machine()
    mr = results.get("make_run")
    if mr and mr.get("runs"):
        totals = sorted(r["total_s"] for r in mr["runs"])
        installs = [dict(r["phases"]).get("pip install -r requirements.txt (local wheels)", 0) for r in mr["runs"]]
        print(f"make run, fresh clone → / and layer API answering (pip from local wheels): "
              f"{', '.join(f'{t:.1f}' for t in totals)} s over {len(totals)} run(s), "
              f"of which pip install -r {', '.join(f'{t:.1f}' for t in installs)} s")
        if mr.get("restart"):
            print(f"make run, restart of an existing checkout: {mr['restart']['ready_s']:.1f} s")
    pl = results.get("page_load")
    if pl:
        print(f"page load of / in headless chromium ({pl['repeat']} cold loads):")
        print(_line("DOMContentLoaded", pl["dcl_ms"]))
        print(_line("point layers drawn (window.qj.rendered)", pl["drawn_ms"]))
        print(_line("transferred", pl["transfer_bytes"], "kB", 1e-3))
        print(f"  requests to hosts other than 127.0.0.1: {len(pl['foreign_requests'])}")
    al = results.get("api_layers")
    if al:
        print("GET /api/v1/layers/enterprises over HTTP (median / p95, bytes on the wire):")
        for backend in al["results"]:
            if "error" in backend:
                print(f"  {backend['backend']}: FAILED {backend['error']}")
                continue
            print(f"  {backend['backend']}:")
            for case, r in backend["http"].items():
                if "unsupported" in r:
                    print(f"    {case:<14} not supported (HTTP {r['unsupported']})")
                    continue
                plain, browser = r["identity"], r["browser"]
                print(f"    {case:<14} {r['features']:>5} features  identity {plain['median_ms']:5.1f} / "
                      f"{plain['p95_ms']:5.1f} ms, {r['bytes'] / 1e3:4.0f} kB;  {browser['content_encoding']} "
                      f"{browser['median_ms']:5.1f} / {browser['p95_ms']:5.1f} ms, "
                      f"{browser['wire_bytes'] / 1e3:4.0f} kB")
    ms = results.get("map_scale")
    if ms:
        print(f"map with {ms['enterprises']} enterprises and {ms['hazards']} hazard points ({ms['runs']} runs):")
        print(_line("first map paint", {k: v * 1000 for k, v in ms["first_paint_s"].items()}))
        print(_line("page payload", ms["payload_bytes"], "kB", 1e-3))
        print(_line("filter change, browser", {k: v * 1000 for k, v in ms["filter_browser_s"].items()}))
        print(_line("filter change, slowest server request", ms["filter_server_ms_max"]))
    ep = results.get("evacuation_plan")
    if ep:
        d, big = ep["district"], ep["large"]
        print(f"evacuation plan, district (300 hazard points, 40 shelters): first {d['first_call_s'] * 1000:.0f} ms, "
              f"then median {d['warm_s']['median'] * 1000:.0f} ms")
        print(f"evacuation plan, {big['demand']} demand points × {big['shelters']} shelters on {big['nodes']} nodes: "
              f"median {big['total_s']['median']:.2f} s, max {big['total_s']['max']:.2f} s")
    ro = results.get("routing")
    if ro:
        print(f"matrix 20 depots × 200 shelters on {ro['matrix']['nodes']} nodes: median {ro['matrix']['median_s']:.3f} s")
        print(f"re-plan of {ro['replan']['stops']} supply stops after a closure: median {ro['replan']['median_s']:.2f} s "
              f"(PyVRP limit {ro['replan']['solver_limit_s']:g} s)")
    for name, reason in failures.items():
        print(f"FAILED {name}: {reason}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(BENCHMARKS), help="comma-separated benchmark names")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    names = [n for n in args.only.split(",") if n]
    unknown = set(names) - set(BENCHMARKS)
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    results, failures = {}, {}
    for name in names:
        result, failure = run_one(name, args.quick)
        results[name] = result
        if failure:
            failures[name] = failure
    print_summary(results, failures)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
