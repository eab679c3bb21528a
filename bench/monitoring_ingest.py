"""Benchmark: ingesting station readings (风险感知, services/monitoring/readings.py) in batches (issue 15: 5,000
readings a second on PostGIS, 1,000 on SQLite).

1. A new database per back-end (PostGIS at $QJ_TEST_POSTGRES_ADMIN_URL, default the local ``test`` server; a SQLite
   file) with schema and geography, no sample; ``--stations`` stations of every kind spread over the townships, every
   10 minutes; ``--prefill`` readings already stored (a few days of them, inserted in bulk) so the unique index is
   not empty.
2. ``--batches`` batches of ``--batch`` readings each, as a logger gateway posts them: every station's readings of
   the next time steps (each kind it measures), ``ingest`` in one unit of work per batch (the API's path without
   HTTP and JSON): new readings; then the same batches again (a retry: every reading a duplicate); then one batch of
   late readings (older than each station's newest). Readings per second = readings ÷ wall time of the units.
3. One batch through the Flask test client (POST /api/v1/monitoring/readings with a token: JSON and HTTP included).

    python bench/monitoring_ingest.py [--backends postgis,sqlite] [--batch 5000] [--batches 10] [--stations 2000]
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
from _common import emit, print_machine  # noqa: E402

from shapely.geometry import Point  # noqa: E402
from sqlalchemy import create_engine, insert, select, text  # noqa: E402

from config import load_settings  # noqa: E402
from services import vocabulary  # noqa: E402
from services.data.seed import setup_database  # noqa: E402
from services.db import get_engine  # noqa: E402
from services.db.uow import unit_of_work  # noqa: E402
from services.models import MonitoringStation, Township  # noqa: E402
from services.models.monitoring import Reading  # noqa: E402
from services.monitoring.readings import ingest  # noqa: E402

ADMIN_URL = os.environ.get("QJ_TEST_POSTGRES_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
UTC = dt.timezone.utc
STEP = dt.timedelta(minutes=10)
START = dt.datetime(2026, 6, 1, tzinfo=UTC)
VALUES = {"rainfall": 1.5, "water_level": 312.25, "displacement": 4.5, "crack_width": 2.0, "wind_speed": 3.5,
          "temperature": 21.5}


def _new_database(kind: str, folder: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{folder}/bench.sqlite3"
    name = f"qj_bench_{uuid.uuid4().hex[:8]}"
    engine = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def _drop(url: str) -> None:
    get_engine(url).dispose()
    if url.startswith("postgresql"):
        engine = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)'))
        engine.dispose()


def add_stations(settings, n: int) -> list[tuple[str, str]]:
    """``n`` stations, kinds in turn, in the townships in turn: (code, kind) each."""
    with unit_of_work(settings, write=True) as uow:
        towns = uow.session.execute(select(Township.code, Township.seat_lon, Township.seat_lat)
                                    .order_by(Township.code)).all()
        rows = []
        for k in range(n):
            code, lon, lat = towns[k % len(towns)]
            lon, lat = lon + (k % 97) * 1e-4, lat + (k % 89) * 1e-4
            rows.append({"code": f"B-{k:05d}", "name": f"bench station {k}", "lon": lon, "lat": lat,
                         "geom": Point(lon, lat), "township_code": code, "status": vocabulary.STATION_NORMAL,
                         "kind": vocabulary.STATION_KINDS[k % len(vocabulary.STATION_KINDS)], "interval_min": 10})
        uow.session.execute(insert(MonitoringStation.__table__), rows)
    return [(r["code"], r["kind"]) for r in rows]


def readings_at(stations: list[tuple[str, str]], step: int) -> list[dict]:
    """Every reading of every station at time step ``step`` (one per kind it measures)."""
    at = (START + step * STEP).isoformat()
    return [{"station": code, "at": at, "kind": kind, "value": VALUES[kind] + step % 7}
            for code, station_kind in stations for kind in vocabulary.STATION_READING_KINDS[station_kind]]


def batches(stations, first_step: int, size: int, count: int) -> tuple[list[list[dict]], int]:
    """``count`` batches of ``size`` readings from time step ``first_step`` on, and the step after the last."""
    out, pending, step = [], [], first_step
    while len(out) < count:
        pending.extend(readings_at(stations, step))
        step += 1
        while len(pending) >= size and len(out) < count:
            out.append(pending[:size])
            pending = pending[size:]
    return out, step


def prefill(settings, stations, n: int) -> float:
    """``n`` readings of the time steps before START, inserted in bulk (not timed as ingest)."""
    if n <= 0:
        return 0.0
    with unit_of_work(settings) as uow:
        ids = dict(uow.session.execute(select(MonitoringStation.code, MonitoringStation.id)).all())
    started, done, step = time.perf_counter(), 0, -1
    now = dt.datetime.now(UTC)
    while done < n:
        rows = [{"drill_id": 0, "station_id": ids[r["station"]], "kind": r["kind"], "at": START + step * STEP,
                 "value": r["value"], "received_at": now} for r in readings_at(stations, 0)][: n - done]
        with unit_of_work(settings, write=True) as uow:
            uow.session.execute(insert(Reading.__table__), rows)
        done, step = done + len(rows), step - 1
    return time.perf_counter() - started


def timed(settings, work: list[list[dict]]) -> dict:
    seconds, stored, duplicates = [], 0, 0
    for batch in work:
        started = time.perf_counter()
        with unit_of_work(settings, write=True, actor="bench") as uow:
            result = ingest(uow, batch)
        seconds.append(time.perf_counter() - started)
        stored, duplicates = stored + result.stored, duplicates + result.duplicates
    total = sum(len(b) for b in work)
    return {"readings": total, "stored": stored, "duplicates": duplicates, "seconds": round(sum(seconds), 2),
            "per_second": round(total / sum(seconds)), "batch_median_s": round(statistics.median(seconds), 3),
            "batch_max_s": round(max(seconds), 3)}


def through_api(settings, batch: list[dict]) -> dict:
    from dashboard.app import create_app
    from services.accounts.tokens import issue_token
    from services.accounts.users import create_user
    with unit_of_work(settings, write=True) as uow:
        create_user(uow, "bench-duty", role="duty", password="bench password 1", must_change_password=False)
        token = issue_token(uow, "bench-duty", "bench")[0]
    client = create_app(settings).server.test_client()
    started = time.perf_counter()
    answer = client.post("/api/v1/monitoring/readings", json={"readings": batch},
                         headers={"Authorization": f"Bearer {token}"})
    seconds = time.perf_counter() - started
    assert answer.status_code == 201, answer.get_data(as_text=True)[:300]
    return {"readings": len(batch), "seconds": round(seconds, 2), "per_second": round(len(batch) / seconds)}


def run(kind: str, args, folder: Path) -> dict:
    settings = dataclasses.replace(load_settings(), database_url=_new_database(kind, folder), instance_dir=folder,
                                   sample_dir=None)
    try:
        setup_database(settings, with_sample=False)
        stations = add_stations(settings, args.stations)
        filled = prefill(settings, stations, args.prefill)
        print(f"[{kind}] {len(stations):,} stations, {args.prefill:,} readings stored before ({filled:.1f} s)",
              flush=True)
        work, step = batches(stations, 0, args.batch, args.batches)
        figures = {"new": timed(settings, work)}
        figures["retry"] = timed(settings, work)
        late, _ = batches(stations, -5000, args.batch, 1)  # weeks before the prefilled days: older than the newest
        figures["late"] = timed(settings, late)
        api_batch, _ = batches(stations, step, args.batch, 1)
        figures["api"] = through_api(settings, api_batch[0])
        for name, value in figures.items():
            print(f"[{kind}] {name}: {value}", flush=True)
        return figures
    finally:
        _drop(settings.database_url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default="postgis,sqlite", help="postgis, sqlite or both: postgis,sqlite")
    parser.add_argument("--batch", type=int, default=5000, help="readings per batch")
    parser.add_argument("--batches", type=int, default=10)
    parser.add_argument("--stations", type=int, default=2000)
    parser.add_argument("--prefill", type=int, default=200_000, help="readings stored before the timed batches")
    args = parser.parse_args()
    print_machine()
    kinds = [k for k in ("postgis", "sqlite") if k in args.backends.split(",")]
    with tempfile.TemporaryDirectory(prefix="qj_bench_readings_") as tmp:
        results = {kind: run(kind, args, Path(tmp)) for kind in kinds}
    emit(results)


if __name__ == "__main__":
    main()
