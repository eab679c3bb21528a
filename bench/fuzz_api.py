"""Fuzz the JSON API with schemathesis over its own OpenAPI document: no 5xx, every answer as documented.

    .venv/bin/python bench/fuzz_api.py [--examples N] [--postgres] [--seed S] [--mode all|positive|negative]
                                       [--checks C] [--solver-max-s S] [--include-path-regex RE]

Serves a fresh sample database (SQLite, or a new PostgreSQL database with --postgres) with ``app.py serve`` on
127.0.0.1, runs ``st run`` on every operation (valid and invalid inputs, ``--mode all``) with the checks that
each answer is no server error and has a documented status, media type and schema, and prints the cases, the
server errors and failed checks by operation and the time (BENCH_RESULT line). The figures go into
docs/BENCHMARKS.md; this is not part of ``make test``.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._common import auth_header, clean_env, emit, free_port, print_machine, served_app, try_get  # noqa: E402

ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"


def _postgres_database() -> str:
    from sqlalchemy import create_engine, text
    name = f"qj_fuzz_{uuid.uuid4().hex[:8]}"
    engine = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def _report(path: Path) -> dict:
    """Cases, 5xx answers and failed checks per operation from schemathesis 4's NDJSON event stream.

    Each line is one event ``{"<EventName>": {...}}``; a ``ScenarioFinished`` event's ``recorder`` holds
    ``label`` (e.g. "POST /api/v1/area"), ``cases`` (id -> case, its ``meta`` naming the phase and whether the
    input is valid, "positive", or not, "negative"), ``checks`` (case id -> [{"name", "status"}],
    status "success"/"failure"/"skip") and ``interactions`` (case id -> {"request", "response"}).
    """
    cases, server_errors, failures, examples, kinds = 0, {}, {}, {}, {}
    operations = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        event = json.loads(line)
        body = event.get("ScenarioFinished")
        if body is None:
            continue
        recorder = body.get("recorder", {})
        label = recorder.get("label", "?")
        if label != "Stateful tests":  # the stateful phase's one scenario chains operations
            operations.add(label)
        cases += len(recorder.get("cases", {}))
        for case in recorder.get("cases", {}).values():
            meta = (case.get("value") or {}).get("meta") or {}
            kind = f"{(meta.get('phase') or {}).get('name', '?')} {(meta.get('generation') or {}).get('mode', '?')}"
            kinds[kind] = kinds.get(kind, 0) + 1
        for check_list in recorder.get("checks", {}).values():
            for check in check_list:
                if str(check.get("status")).lower() == "failure":
                    counted = failures.setdefault(label, {})
                    counted[check.get("name")] = counted.get(check.get("name"), 0) + 1
                    examples.setdefault(f"{label} {check.get('name')}", json.dumps(check, ensure_ascii=False)[:600])
        for interaction in recorder.get("interactions", {}).values():
            status = (interaction.get("response") or {}).get("status_code") or 0
            if status >= 500:
                server_errors[label] = server_errors.get(label, 0) + 1
    return {"operations": len(operations), "cases": cases, "cases_by_phase_and_mode": kinds,
            "server_errors": server_errors,
            "failed_checks": failures, "failure_examples": examples}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=600, help="max examples per operation and phase")
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--mode", default="all", choices=("all", "positive", "negative"),
                        help="valid inputs, invalid ones, or both (st's --mode)")
    parser.add_argument("--phases", default="examples,coverage,fuzzing,stateful",
                        help="st's phases (comma-separated; stateful follows the document's links)")
    parser.add_argument("--checks", default=CHECKS, help="schemathesis checks (comma-separated)")
    parser.add_argument("--include-path-regex", help="only the operations whose path matches (st's option)")
    parser.add_argument("--solver-max-s", type=float, default=1.0,
                        help="the server's cap on a route plan's solver seconds (QJ_ROUTE_SOLVER_MAX_S) for the run")
    args = parser.parse_args()
    print_machine()
    instance = Path(tempfile.mkdtemp(prefix="qj-fuzz-"))
    url = _postgres_database() if args.postgres else f"sqlite:///{instance / 'fuzz.sqlite3'}"
    # The run bounds the expensive work through the deployment's own settings (the document stays as it is):
    # a route plan solves for at most --solver-max-s, and a request waits at most 2 s for the solver's slot.
    env = clean_env(PORT=str(free_port()), DATABASE_URL=url, QJ_INSTANCE_DIR=str(instance),
                    QJ_ROUTE_SOLVER_MAX_S=str(args.solver_max_s), QJ_ROUTE_SOLVER_WAIT_S="2")
    events = instance / "events.ndjson"
    started = time.perf_counter()
    with served_app(env, instance / "server.log") as base:
        run = subprocess.run([str(Path(sys.executable).with_name("st")), "run", f"{base}/api/v1/openapi.json",
                              "--header", auth_header(base), "--checks", args.checks, "--max-examples", str(args.examples), "--mode", args.mode,
                              "--phases", args.phases,
                              "--seed", str(args.seed), "--continue-on-failure", "--request-timeout", "60",
                              *(["--include-path-regex", args.include_path_regex] if args.include_path_regex else []),
                              "--report", "ndjson", "--report-ndjson-path", str(events), "--no-color"],
                             cwd=instance, capture_output=True, text=True)  # its cache stays out of the tree
        alive = try_get(f"{base}/healthz", 30)[0] == 200  # a server that died mid-run shows as "Server Unavailable"
    seconds = time.perf_counter() - started
    print(run.stdout[-6000:])
    summary = _report(events) if events.exists() else {"cases": None, "failed_checks": {}}
    emit({"bench": "fuzz_api", "backend": "postgresql" if args.postgres else "sqlite", "seconds": round(seconds),
          "examples_per_operation": args.examples, "mode": args.mode, "phases": args.phases, "checks": args.checks,
          **summary, "server_alive_after_run": alive, "exit": run.returncode})
    return 0


if __name__ == "__main__":
    sys.exit(main())
