"""Benchmark: `make run` from a fresh clone to the first page served, without pip's downloads.

1. (not timed, the only step that may use the network) a wheelhouse with every wheel of HEAD's
   requirements.txt and pip itself, built once with ``pip wheel`` / ``pip download`` and reused
   (default /tmp/qj_bench_wheelhouse, keyed by requirements.txt).
2. (timed, per run) ``git clone`` of this repository, checked out at the HEAD seen at the start, into
   a new temporary folder, then ``make run`` there with PORT=<free port>, PIP_NO_INDEX=1 and
   PIP_FIND_LINKS=<wheelhouse> and no DATABASE_URL (so the default SQLite file in the clone's
   instance/), until GET / answers 200 and GET /api/v1/layers/enterprises answers 200 with features.
   That covers venv creation, the pip upgrade and ``pip install -r requirements.txt`` from local
   wheels, schema + geography + catalogue + sample import, and the server start. Make's echoed commands
   and the app's output are time-stamped to split the total into phases.
3. (timed) a restart: ``make run`` again in the last clone (venv and database already there).

The server is killed with its process group after each run; clones are removed at the end.

    python bench/make_run.py [--runs 2] [--wheelhouse DIR] [--timeout 900]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (  # noqa: E402
    LOCAL,
    ROOT,
    clean_env,
    emit,
    free_port,
    kill_group,
    print_machine,
    try_get,
    wait_until,
)

SYSTEM_PYTHON = os.environ.get("PYTHON", "python3")  # what the Makefile uses to create the venv

# A phase starts at the first output line holding its marker (make echoes each command before it runs
# it) and lasts until the next phase; a phase whose marker never shows is absorbed by the one before.
PHASES = (
    ("venv creation", lambda line: "-m venv" in line),
    ("pip install --upgrade pip (local wheel)", lambda line: "--upgrade pip" in line),
    ("pip install -r requirements.txt (local wheels)", lambda line: "-r requirements.txt" in line),
    ("touch stamp", lambda line: line.startswith("touch ")),
    ("app.py serve: imports + database setup (schema, geography, catalogue, sample)",
     lambda line: "app.py serve" in line),
    ("app factory + waitress start", lambda line: line.startswith("{")),  # setup_database's report
    ("listening → first GET / 200 (polled every 50 ms)", lambda line: line.startswith("serving on")),
)


def build_wheelhouse(wheelhouse: Path, requirements: bytes) -> float:
    """Wheels of ``requirements`` (HEAD's requirements.txt) and of pip in ``wheelhouse``.

    Returns the seconds spent, 0 if the wheelhouse already matched these requirements.
    """
    key = hashlib.sha256(requirements).hexdigest()
    stamp = wheelhouse / ".requirements.sha256"
    if stamp.exists() and stamp.read_text().strip() == key:
        return 0.0
    started = time.perf_counter()
    wheelhouse.mkdir(parents=True, exist_ok=True)
    (wheelhouse / "requirements.txt").write_bytes(requirements)
    for command in (["wheel", "-r", str(wheelhouse / "requirements.txt"), "-w", str(wheelhouse)],
                    ["download", "--no-deps", "pip", "-d", str(wheelhouse)]):
        done = subprocess.run([SYSTEM_PYTHON, "-m", "pip", *command, "--quiet"], capture_output=True, text=True,
                              timeout=1800)
        if done.returncode != 0:
            raise RuntimeError(f"pip {command[0]} failed:\n{done.stdout}\n{done.stderr}")
    stamp.write_text(key)
    return time.perf_counter() - started


class _Reader(threading.Thread):
    """Collects (seconds since start, line) from a process's merged output."""

    def __init__(self, stream, started: float):
        super().__init__(daemon=True)
        self.stream, self.started, self.lines = stream, started, []

    def run(self) -> None:
        for raw in iter(self.stream.readline, b""):
            self.lines.append((time.perf_counter() - self.started, raw.decode(errors="replace").rstrip()))


def _page_ready(base: str) -> bool:
    status, _ = try_get(base + "/")
    if status != 200:
        return False
    status, body = try_get(base + "/api/v1/layers/enterprises", timeout_s=30)
    return status == 200 and len(json.loads(body).get("features", [])) > 0


def _phases(lines: list[tuple[float, str]], root_s: float, ready_s: float) -> list[tuple[str, float]]:
    marks = [("make start", 0.0)]
    for name, is_start in PHASES:
        hit = next((t for t, line in lines if is_start(line)), None)
        if hit is not None:
            marks.append((name, hit))
    marks.sort(key=lambda m: m[1])
    ends = [t for _, t in marks[1:]] + [root_s]
    return [(name, end - start) for (name, start), end in zip(marks, ends)] + [
        ("GET /api/v1/layers/enterprises 200 after /", ready_s - root_s)]


def make_run_once(clone: Path, env: dict[str, str], timeout_s: float, log_path: Path) -> dict:
    """``make run`` in ``clone`` until the page and the layer API answer; the server is then killed."""
    base = f"http://{LOCAL}:{env['PORT']}"
    started = time.perf_counter()
    proc = subprocess.Popen(["make", "run"], cwd=clone, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    reader = _Reader(proc.stdout, started)
    reader.start()
    try:
        wait_until(lambda: try_get(base + "/")[0] == 200, timeout_s, f"GET {base}/", proc, interval_s=0.05)
        root_s = time.perf_counter() - started
        wait_until(lambda: _page_ready(base), 60, "the layer API", proc, interval_s=0.05)
        ready_s = time.perf_counter() - started
    finally:
        kill_group(proc)
        reader.join(timeout=5)
        log_path.write_text("\n".join(f"{t:8.2f}  {line}" for t, line in reader.lines))
    return {"root_200_s": root_s, "ready_s": ready_s, "phases": _phases(reader.lines, root_s, ready_s)}


def _print_run(label: str, run: dict) -> None:
    print(f"\n{label}: page + layer API ready after {run['ready_s']:.1f} s (GET / 200 after {run['root_200_s']:.1f} s)")
    for name, seconds in run["phases"]:
        print(f"    {seconds:7.2f} s  {name}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2, help="fresh-clone runs")
    parser.add_argument("--wheelhouse", type=Path, default=Path(tempfile.gettempdir()) / "qj_bench_wheelhouse")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per run")
    args = parser.parse_args(argv)
    print_machine()
    python = subprocess.run([SYSTEM_PYTHON, "-c", "import sys; print(sys.executable, sys.version.split()[0])"],
                            capture_output=True, text=True).stdout.strip()
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout.strip()  # every run checks out this commit, even if HEAD moves
    print(f"make run with PYTHON={SYSTEM_PYTHON} ({python}); clones of {ROOT} at {head[:7]}")
    requirements = subprocess.run(["git", "show", f"{head}:requirements.txt"], cwd=ROOT, capture_output=True,
                                  check=True).stdout
    spent = build_wheelhouse(args.wheelhouse, requirements)
    wheels = sorted(p.name for p in args.wheelhouse.glob("*.whl"))
    size_mb = sum(p.stat().st_size for p in args.wheelhouse.glob("*.whl")) / 1e6
    print(f"wheelhouse {args.wheelhouse}: {len(wheels)} wheels, {size_mb:.0f} MB "
          + (f"(built in {spent:.0f} s, not counted)" if spent else "(reused)"))

    runs, restart = [], None
    workdir = Path(tempfile.mkdtemp(prefix="qj_bench_make_"))
    try:
        pip_env = {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(args.wheelhouse), "PYTHONUNBUFFERED": "1"}
        for i in range(args.runs):
            clone = workdir / f"clone{i}"
            started = time.perf_counter()
            subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True, timeout=300)
            subprocess.run(["git", "-C", str(clone), "checkout", "--quiet", head], check=True, timeout=60)
            clone_s = time.perf_counter() - started
            env = clean_env(PORT=str(free_port()), **pip_env)
            run = make_run_once(clone, env, args.timeout, workdir / f"run{i}.log")
            run["clone_s"] = clone_s
            run["total_s"] = clone_s + run["ready_s"]
            runs.append(run)
            _print_run(f"fresh clone, run {i + 1} (git clone {clone_s:.2f} s, then make run)", run)
        if runs:
            env = clean_env(PORT=str(free_port()), **pip_env)
            restart = make_run_once(workdir / f"clone{args.runs - 1}", env, args.timeout, workdir / "restart.log")
            _print_run("restart: make run again in the same clone (venv and database present)", restart)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    totals = [r["total_s"] for r in runs]
    print(f"\nfresh clone → page and layer API served (git clone + make run, pip from local wheels): "
          f"median {statistics.median(totals):.1f} s, max {max(totals):.1f} s over {len(totals)} runs")
    if restart:
        print(f"restart of an existing checkout: {restart['ready_s']:.1f} s")
    emit({"benchmark": "make_run", "runs": runs, "restart": restart, "wheelhouse_wheels": len(wheels)})
    return 0


if __name__ == "__main__":
    sys.exit(main())
