"""Benchmark: the quarterly report (GET /api/v1/analysis/report.docx and .xlsx) and the trends behind it.

The sample database (示例数据: 1,500 enterprises, 300 hazard points, 40 shelters, 20 teams) with a quarter of
synthetic live records (bench/_activity.py: 150 incidents, 145 orders, 78 warnings with 3-11 recipients each,
300 moves, 80 patrols; ``--scale`` multiplies them). Each request is made through the app (a planner's bearer
token) ``--repeat`` times: the first (which starts the map's render worker) and the median of the rest.

    python bench/analysis_report.py [--repeat 4] [--scale 1] [--backends sqlite,postgis]
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from _activity import add_quarter  # noqa: E402
from _common import emit, print_machine  # noqa: E402

ADMIN_URL = os.environ.get("QJ_BENCH_POSTGRES_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
QUARTER = "2026Q3"
LIMIT_S = 15.0  # issue 11: a quarterly report under 15 s


def _database(backend: str, tmp: str) -> tuple[str, object]:
    """A new database URL of ``backend`` and how to drop it afterwards."""
    if backend == "sqlite":
        return f"sqlite:///{tmp}/report.sqlite3", lambda: None
    from sqlalchemy import create_engine, text
    name = f"qj_bench_report_{uuid.uuid4().hex[:8]}"
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop():
        from services.db import get_engine
        get_engine(ADMIN_URL.rsplit("/", 1)[0] + f"/{name}").dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    return ADMIN_URL.rsplit("/", 1)[0] + f"/{name}", drop


def _timed(client, path: str) -> tuple[int, float, int]:
    started = time.perf_counter()
    answer = client.get(path)
    return answer.status_code, time.perf_counter() - started, len(answer.data)


def _token(settings) -> str:
    from services.accounts.tokens import issue_token
    from services.accounts.users import create_user
    from services.db.uow import unit_of_work
    with unit_of_work(settings, write=True) as uow:
        create_user(uow, "bench-planner", role="planner", password="bench password 1", must_change_password=False)
    with unit_of_work(settings, write=True) as uow:
        return issue_token(uow, "bench-planner", "bench")[0]


def run_backend(backend: str, repeat: int, scale: float) -> dict:
    from config import load_settings
    from dashboard.app import create_app
    from services.analysis.period import quarter_period
    from services.data.seed import setup_database
    with tempfile.TemporaryDirectory(prefix="qj_report_") as tmp:
        url, drop = _database(backend, tmp)
        try:
            settings = dataclasses.replace(load_settings(), database_url=url, instance_dir=Path(tmp))
            setup_database(settings, with_sample=True)
            period = quarter_period(settings, QUARTER)
            counts = add_quarter(settings, period.since, period.until, scale=scale)
            client = create_app(settings).server.test_client()
            client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {_token(settings)}"
            query = f"period=quarter&quarter={QUARTER}"
            result = {"backend": backend, "records": counts}
            for name, path in (("trends", f"/api/v1/analysis/trends?{query}"),
                               ("docx", f"/api/v1/analysis/report.docx?{query}"),
                               ("docx_fire", f"/api/v1/analysis/report.docx?{query}&variant=fire"),
                               ("xlsx", f"/api/v1/analysis/report.xlsx?{query}")):
                runs = [_timed(client, path) for _ in range(repeat)]
                result[name] = {"statuses": sorted({s for s, _, _ in runs}), "first_s": round(runs[0][1], 2),
                                "median_s": round(statistics.median(t for _, t, _ in runs[1:] or runs), 2),
                                "bytes": runs[-1][2]}
            return result
        finally:
            drop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=4)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--backends", default="sqlite")
    args = parser.parse_args()
    print_machine()
    started = dt.datetime.now(dt.UTC)
    results = []
    for backend in args.backends.split(","):
        result = run_backend(backend, args.repeat, args.scale)
        results.append(result)
        print(f"{backend}: {result['records']}")
        for name in ("trends", "docx", "docx_fire", "xlsx"):
            figures = result[name]
            verdict = "" if name == "trends" else ("  ok (< 15 s)" if figures["first_s"] < LIMIT_S else "  OVER 15 s")
            print(f"  {name:10} first {figures['first_s']:6.2f} s  median {figures['median_s']:6.2f} s  "
                  f"{figures['bytes']:>9,} bytes  {figures['statuses']}{verdict}")
    emit({"benchmark": "analysis_report", "started": started.isoformat(), "results": results})


if __name__ == "__main__":  # the render worker re-imports the main module: run only when started directly
    main()
