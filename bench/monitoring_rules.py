"""Benchmark: the 风险感知 rule (services/monitoring/rules.py ``evaluate``) for 40,000 hazard points after a batch
(issue 15: under 1 s), on a scratch database of each back-end.

1. A new database (PostGIS at $QJ_TEST_POSTGRES_ADMIN_URL, default the local ``test`` server, and a SQLite file)
   with schema, geography and catalogue, no sample; then, fixed seed: 40,000 hazard points spread over the
   district; 1,600 rain gauges and 400 weather stations reading rainfall every 5 minutes, 300 hydrology stations
   (water level, 5 min), 600 geological stations (displacement and crack width, hourly); 24 h of 5-minute rainfall
   (2 % of the intervals missing) with a storm cell over the city in the last 3 h, 2 h of water levels, 26 h of
   displacement; thresholds of every point (rain_1h, rain_24h) and of the stations (rain_3h, water levels,
   displacement rate, crack width). Bulk inserts (COPY on PostgreSQL, executemany on SQLite), then ANALYZE on
   PostgreSQL (as autovacuum would).
2. ``assign_by_distance`` once (the nearest station of each kind within 5 km), timed.
3. ``evaluate`` of every point, ``--repeat`` times, each in its own reading unit of work: median and max; and of the
   points watched by a tenth of the stations (a batch from part of the network). ``--storm-deg 1`` puts the whole
   district under the storm (every point a candidate: the worst case, dominated by building the candidates).

    python bench/monitoring_rules.py [--repeat 5] [--backends postgis,sqlite] [--points 40000] [--keep]
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import gc
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from _common import emit, print_machine  # noqa: E402

from sqlalchemy import create_engine, func, insert, select, text  # noqa: E402

from config import load_settings  # noqa: E402
from services import vocabulary  # noqa: E402
from services.data.seed import setup_database  # noqa: E402
from services.db import get_engine  # noqa: E402
from services.db.uow import unit_of_work  # noqa: E402
from services.models import HazardPoint, HazardStation, MonitoringStation, Reading, Threshold, Township  # noqa: E402
from services.monitoring.assignments import assign_by_distance  # noqa: E402
from services.monitoring.rules import evaluate  # noqa: E402

ADMIN_URL = os.environ.get("QJ_TEST_POSTGRES_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
SEED = 20261215
T = dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.timezone.utc)
HYDRO, RAIN, GEO, _, WEATHER, _ = vocabulary.STATION_KINDS
NETWORK = ((RAIN, 1600, 5), (WEATHER, 400, 5), (HYDRO, 300, 5), (GEO, 600, 60))  # kind, stations, interval (min)
BOX = (108.45, 29.15, 109.05, 29.85)
STORM = (108.77, 29.53)  # centre (lon, lat) of the last 3 h's storm cell (radius --storm-deg, default 0.1°)


def build_world(points: int, townships: list[str], rng, storm_deg: float) -> dict[str, list[dict]]:
    lon, lat = rng.uniform(BOX[0], BOX[2], points), rng.uniform(BOX[1], BOX[3], points)
    town = rng.choice(townships, points)
    hazards = [{"id": i + 1, "code": f"B-HZ-{i:05d}", "name": f"bench {i}", "hazard_type": vocabulary.HAZARD_TYPES[0],
                "threatened_households": 2, "threatened_people": 6, "threatened_property_10k_yuan": 1.0,
                "stability": vocabulary.HAZARD_STABILITY[2], "influence_radius_m": 100.0,
                "warning_level": vocabulary.WARNING_NONE, "lon": float(lon[i]), "lat": float(lat[i]),
                "geom": f"POINT({lon[i]:.6f} {lat[i]:.6f})", "township_code": str(town[i]), "is_sample": False,
                "location_quality": vocabulary.LOCATION_EXACT, "updated_at": T} for i in range(points)]
    stations, readings, thresholds = [], [], []
    sid = 0
    for kind, count, interval in NETWORK:
        slon, slat = rng.uniform(BOX[0], BOX[2], count), rng.uniform(BOX[1], BOX[3], count)
        for j in range(count):
            sid += 1
            stations.append({"id": sid, "code": f"B-ST-{sid:05d}", "name": f"bench {kind} {j}", "kind": kind,
                             "status": vocabulary.STATION_NORMAL, "interval_min": interval, "lon": float(slon[j]),
                             "lat": float(slat[j]), "geom": f"POINT({slon[j]:.6f} {slat[j]:.6f})",
                             "township_code": str(rng.choice(townships)), "is_sample": False,
                             "location_quality": vocabulary.LOCATION_EXACT, "updated_at": T})
            near = np.hypot(slon[j] - STORM[0], slat[j] - STORM[1]) < storm_deg
            readings += _readings(rng, sid, kind, interval, near)
            thresholds += _station_thresholds(sid, kind)
    for i in range(points):
        thresholds += [{"hazard_point_id": i + 1, "station_id": None, "metric": "rain_1h",
                        "value": float(rng.uniform(20, 40)), "updated_at": T, "updated_by": "bench"},
                       {"hazard_point_id": i + 1, "station_id": None, "metric": "rain_24h",
                        "value": float(rng.uniform(80, 150)), "updated_at": T, "updated_by": "bench"}]
    return {"hazard_point": hazards, "monitoring_station": stations, "reading": readings, "threshold": thresholds}


def _readings(rng, sid: int, kind: str, interval: int, storm: bool) -> list[dict]:
    def row(kind_, minutes_back, value):
        at = T - dt.timedelta(minutes=int(minutes_back))
        return {"drill_id": 0, "station_id": sid, "kind": kind_, "at": at, "value": float(value), "received_at": at}
    if kind in (RAIN, WEATHER):
        back = np.arange(0, 24 * 60, interval)
        back = back[rng.random(len(back)) > 0.02]  # 2 % of the intervals missing
        amount = rng.uniform(0, 0.3, len(back)) + np.where(storm & (back < 180), rng.uniform(1, 3, len(back)), 0)
        return [row("rainfall", b, a) for b, a in zip(back, amount)]
    if kind == HYDRO:
        level = rng.uniform(0.5, 4.0)  # gauge readings (m above the gauge zero), 警戒 5 m, 保证 6 m
        return [row("water_level", b, level + (2.5 if storm else 0) + rng.uniform(-0.1, 0.1))
                for b in range(0, 120, interval)]
    base, creep = rng.uniform(0, 50), rng.uniform(0, 0.2)  # mm, mm per hour (under 8 mm / 24 h), faster in a storm
    creep += 0.3 if storm else 0.0
    return [row("displacement", h * 60, base + (26 - h) * creep + rng.uniform(-0.05, 0.05)) for h in range(27)] + \
        [row("crack_width", h * 60, rng.uniform(1, 6) + (5 if storm else 0)) for h in range(2)]


def _station_thresholds(sid: int, kind: str) -> list[dict]:
    values = {RAIN: {"rain_3h": 50.0}, WEATHER: {"rain_3h": 50.0},
              HYDRO: {"water_warning": 5.0, "water_guarantee": 6.0},
              GEO: {"displacement_rate": 8.0, "crack_width": 10.0}}[kind]
    return [{"hazard_point_id": None, "station_id": sid, "metric": m, "value": v, "updated_at": T,
             "updated_by": "bench"} for m, v in values.items()]


MODELS = {"hazard_point": HazardPoint, "monitoring_station": MonitoringStation, "reading": Reading,
          "threshold": Threshold}


def load_world(settings, world: dict[str, list[dict]]) -> float:
    started = time.perf_counter()
    with unit_of_work(settings, write=True, actor="bench") as uow:
        for table, rows in world.items():
            if uow.dialect == "postgresql":
                columns = list(rows[0])
                cursor = uow.session.connection().connection.driver_connection.cursor()
                with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for r in rows:
                        copy.write_row([f"SRID=4326;{v}" if c == "geom" else v for c, v in r.items()])
                if "id" in columns:
                    uow.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                             f"(SELECT max(id) FROM {table}))"))
            else:
                uow.session.execute(insert(MODELS[table].__table__), rows)
    if settings.database_kind == "postgresql":
        with get_engine(settings.database_url).begin() as conn:
            conn.execute(text("ANALYZE"))
    return time.perf_counter() - started


def _timed(work, repeat: int) -> tuple[dict, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = work()
        times.append((time.perf_counter() - started) * 1000)
    return {"median_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1),
            "runs_ms": [round(t, 1) for t in times]}, result


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


def _evaluate(settings, hazard_ids=None):
    with unit_of_work(settings) as uow:
        return evaluate(uow, now=T, hazard_ids=hazard_ids)


def run(kind: str, args, folder: Path) -> dict:
    settings = dataclasses.replace(load_settings(), database_url=_new_database(kind, folder), instance_dir=folder,
                                   sample_dir=None)
    try:
        setup_database(settings, with_sample=False)
        with unit_of_work(settings) as uow:
            townships = list(uow.session.scalars(select(Township.code).order_by(Township.code)))
        world = build_world(args.points, townships, np.random.default_rng(SEED), args.storm_deg)
        seconds = load_world(settings, world)
        print(f"[{kind}] loaded {', '.join(f'{len(v):,} {k}' for k, v in world.items())} in {seconds:.1f} s",
              flush=True)
        started = time.perf_counter()
        with unit_of_work(settings, write=True, actor="bench") as uow:
            assigned = assign_by_distance(uow)
        assign_s = time.perf_counter() - started
        print(f"[{kind}] assign_by_distance: {assigned.added:,} rows {assigned.by_kind} in {assign_s:.2f} s",
              flush=True)
        figures = {"load_s": round(seconds, 1), "assign_s": round(assign_s, 2), "assigned": assigned.added}
        _evaluate(settings)  # warm: imports, the first connection
        gc.collect()
        gc.freeze()  # as `app.py serve` does once the app is built: the collector skips the long-lived objects
        figures["evaluate_all"], found = _timed(lambda: _evaluate(settings), args.repeat)
        levels = {lv: sum(1 for c in found if c.level == lv) for lv in vocabulary.WARNING_COLOUR_LEVELS}
        figures["candidates"] = levels
        print(f"[{kind}] evaluate {args.points:,} points: {figures['evaluate_all']}; candidates {levels}", flush=True)
        with unit_of_work(settings) as uow:
            batch = list(uow.session.scalars(select(func.distinct(HazardStation.hazard_point_id))
                                             .where(HazardStation.station_id % 10 == 0)))
        figures["evaluate_batch"], _ = _timed(lambda: _evaluate(settings, batch), args.repeat)
        print(f"[{kind}] evaluate the {len(batch):,} points of a tenth of the stations: {figures['evaluate_batch']}",
              flush=True)
        return figures
    finally:
        if args.keep:
            print(f"[{kind}] kept {settings.database_url}")
        else:
            _drop(settings.database_url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--points", type=int, default=40_000)
    parser.add_argument("--backends", default="postgis,sqlite")
    parser.add_argument("--storm-deg", type=float, default=0.1, help="radius of the storm cell in degrees")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    print_machine()
    kinds = [k.strip() for k in args.backends.split(",") if k.strip()]
    if args.keep:
        tmp = tempfile.mkdtemp(prefix="qj_bench_mon_")
        results = {kind: run(kind, args, Path(tmp)) for kind in kinds}
    else:
        with tempfile.TemporaryDirectory(prefix="qj_bench_mon_") as tmp:
            results = {kind: run(kind, args, Path(tmp)) for kind in kinds}
    emit(results)


if __name__ == "__main__":
    main()
