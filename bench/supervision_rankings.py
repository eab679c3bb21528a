"""Benchmark: the monthly rankings (月排名, services/supervision/rankings.py) and the /supervision page on a year of
20,000 enterprises, 100,000 hidden dangers and 30,000 inspections (issue 14: rankings under 1 s on PostGIS, the
page under 2 s).

1. A new database (PostGIS at $QJ_TEST_POSTGRES_ADMIN_URL, default the local ``test`` server; ``--backends
   postgis,sqlite`` also a SQLite file) with schema, geography and catalogue, no sample; then the synthetic year inserted in bulk (COPY on
   PostgreSQL, executemany on SQLite; fixed seed): enterprises of every sector and township; inspections spread
   over the year by ten departments; dangers found by them (about 60 %), by 企业自查 and 群众举报, closed mostly
   within their deadline, some late, some still open (overdue); penalties on a tenth of the inspections; the open
   counts recounted as the services do; then ANALYZE on PostgreSQL (as autovacuum would; SQLite none, as in use).
2. ``monthly_rankings`` by sector, township and department for the last full month and for the current one, and
   by sector for every month of the year one after another (the year), each ``--repeat`` times: median and max;
   ``major_overdue`` of the month.
3. The /supervision page through the Flask test client as an admin: the HTML shell, the page's layout (Dash's page
   callback: the enterprise dropdown with every enterprise), the work lists callback and one enterprise's record,
   each ``--repeat`` times (the server time of a first visit is their sum).

    python bench/supervision_rankings.py [--repeat 5] [--backends postgis,sqlite] [--keep] [--explain]
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
from decimal import Decimal
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from _common import emit, print_machine  # noqa: E402

from sqlalchemy import create_engine, insert, or_, select, text  # noqa: E402

from config import load_settings  # noqa: E402
from services import vocabulary  # noqa: E402
from services.clock import local_today  # noqa: E402
from services.data.cells import credit_check_char  # noqa: E402
from services.data.seed import setup_database  # noqa: E402
from services.db import get_engine  # noqa: E402
from services.db.uow import unit_of_work  # noqa: E402
from services.models import Enterprise, HiddenDanger, Inspection, Penalty, Township  # noqa: E402
from services.supervision import rankings as R  # noqa: E402
from services.supervision.dangers import danger_code, recount_all  # noqa: E402
from services.supervision.inspections import inspection_code  # noqa: E402

ADMIN_URL = os.environ.get("QJ_TEST_POSTGRES_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
SEED = 20261214
DEPARTMENTS = [f"bench-department-{k}" for k in range(10)]
SECTOR_WEIGHTS = (128, 42, 214, 10, 409, 165, 453, 79)  # the sample's sector mix


def _year_days(today: dt.date) -> np.ndarray:
    start = dt.date(today.year, 1, 1)
    return np.array([start + dt.timedelta(days=k) for k in range((today - start).days + 1)], dtype=object)


def build_world(n_firms: int, n_inspections: int, n_dangers: int, today: dt.date, townships: list[str],
                rng: np.random.Generator) -> dict[str, list[dict]]:
    """The synthetic year as rows per table, explicit ids (the tables are empty)."""
    sectors = list(vocabulary.ENTERPRISE_SECTORS)
    created = dt.datetime.combine(today, dt.time(1), tzinfo=dt.timezone.utc)
    sector = rng.choice(len(sectors), n_firms, p=np.array(SECTOR_WEIGHTS) / sum(SECTOR_WEIGHTS))
    firms = []
    for i in range(n_firms):
        s = sectors[int(sector[i])]
        body = f"91500114MB{i:07d}"
        lon, lat = 108.55 + rng.random() * 0.4, 29.2 + rng.random() * 0.6
        firms.append({"id": i + 1, "credit_code": body + credit_check_char(body), "name": f"bench-firm-{i}",
                      "sector": s, "category": vocabulary.ENTERPRISE_SECTORS[s][0],
                      "scale": vocabulary.ENTERPRISE_SCALES[int(rng.integers(0, 4))],
                      "risk_level": vocabulary.RISK_LEVELS[int(rng.choice(4, p=(.02, .1, .38, .5)))],
                      "duty_card_status": vocabulary.DUTY_CARD_STATUSES[int(rng.integers(0, 3))],
                      "open_hidden_dangers": 0, "township_code": townships[int(rng.integers(0, len(townships)))],
                      "lon": lon, "lat": lat, "geom": f"POINT({lon:.6f} {lat:.6f})", "is_sample": False,
                      "location_quality": vocabulary.LOCATION_EXACT, "risk_level_by_department": False,
                      "duty_pilot": False, "updated_at": created})
    days = _year_days(today)
    inspections = []
    for k in range(n_inspections):
        on = days[int(rng.integers(0, len(days)))]
        inspections.append({"id": k + 1, "code": inspection_code(on, k + 1),
                            "enterprise_id": int(rng.integers(1, n_firms + 1)), "inspected_on": on,
                            "inspectors": "bench", "created_by": "bench", "created_at": created, "is_sample": False,
                            "department": None if rng.random() < .05 else DEPARTMENTS[int(rng.integers(0, 10))]})
    dangers = [_danger(k, rng, inspections, n_firms, days, today, created) for k in range(n_dangers)]
    penalties = []
    for k, j in enumerate(rng.choice(n_inspections, n_inspections // 10, replace=False)):
        ins = inspections[int(j)]
        fine = rng.random() < .8
        penalties.append({"id": k + 1, "decision_no": f"bench-{k}", "enterprise_id": ins["enterprise_id"],
                          "inspection_id": ins["id"], "penalty_type": vocabulary.PENALTY_TYPES[0 if not fine else 2],
                          "amount_yuan": Decimal(int(rng.integers(10, 1000)) * 100) if fine else None,
                          "decided_on": min(today, ins["inspected_on"] + dt.timedelta(days=int(rng.integers(3, 30)))),
                          "created_by": "bench", "created_at": created, "is_sample": False})
    return {"enterprise": firms, "inspection": inspections, "hidden_danger": dangers, "penalty": penalties}


def _danger(k: int, rng, inspections, n_firms: int, days, today: dt.date, created) -> dict:
    if rng.random() < .6:
        ins = inspections[int(rng.integers(0, len(inspections)))]
        firm, found, inspection = ins["enterprise_id"], ins["inspected_on"], ins["id"]
        source = vocabulary.SOURCE_INSPECTION
    else:
        firm, found, inspection = int(rng.integers(1, n_firms + 1)), days[int(rng.integers(0, len(days)))], None
        source = vocabulary.SOURCE_SELF if rng.random() < .9 else vocabulary.SOURCE_PUBLIC
    deadline = found + dt.timedelta(days=int(rng.choice((7, 15, 30, 60))))
    age = (today - found).days
    closed = None
    if rng.random() < (.97 if age > 60 else .6):
        span = (deadline - found).days
        closed = found + dt.timedelta(days=int(rng.integers(0, span + 1)) if rng.random() < .85
                                      else span + int(rng.integers(1, 40)))
        closed = closed if closed <= today else None
    status = vocabulary.DANGER_CLOSED if closed else vocabulary.DANGER_OPEN_STATUSES[int(rng.integers(0, 3))]
    major = rng.random() < .01
    return {"id": k + 1, "code": danger_code(found, k + 1), "enterprise_id": firm, "level": vocabulary.DANGER_LEVELS[int(major)], "source": source,
            "self_check_cycle": vocabulary.SELF_CHECK_CYCLES[0] if source == vocabulary.SOURCE_SELF else None, "inspection_id": inspection, "found_on": found,
            "found_by": "bench", "description": "bench", "deadline": deadline,
            "supervising_leader": "bench" if major else None, "status": status, "reported_by": "bench",
            "created_at": created, "closed_at": created if closed else None, "closed_on": closed,
            "reopened_count": 0, "is_sample": False}


MODELS = {"enterprise": Enterprise, "inspection": Inspection, "hidden_danger": HiddenDanger, "penalty": Penalty}


def load_world(settings, world: dict[str, list[dict]]) -> float:
    """Insert the world (COPY on PostgreSQL, executemany on SQLite) and recount; returns the seconds."""
    started = time.perf_counter()
    with unit_of_work(settings, write=True, actor="bench") as uow:
        for table, rows in world.items():
            if uow.dialect == "postgresql":
                columns = list(rows[0])
                cursor = uow.session.connection().connection.driver_connection.cursor()
                with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row([f"SRID=4326;{v}" if c == "geom" else v for c, v in row.items()])
                uow.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                         f"(SELECT max(id) FROM {table}))"))
            else:
                uow.session.execute(insert(MODELS[table].__table__), rows)
        recount_all(uow, [f["id"] for f in world["enterprise"]])
    if settings.database_kind == "postgresql":  # as autovacuum would soon; SQLite keeps no statistics unasked,
        with get_engine(settings.database_url).begin() as conn:  # and the app never asks
            conn.execute(text("ANALYZE"))
    return time.perf_counter() - started


def _timed(call, repeat: int) -> dict:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return {"median_ms": round(statistics.median(times) * 1000, 1), "max_ms": round(max(times) * 1000, 1)}


def time_rankings(settings, today: dt.date, repeat: int) -> dict:
    last = (today.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    this = today.strftime("%Y-%m")
    months = [f"{today.year}-{m:02d}" for m in range(1, today.month + 1)]

    def ranking(month, by):
        with unit_of_work(settings) as uow:
            return R.monthly_rankings(uow, month, by)

    def year():
        for month in months:
            ranking(month, "sector")

    def majors(month):
        with unit_of_work(settings) as uow:
            return R.major_overdue(uow, month)

    figures = {f"{label} {by}": _timed(lambda m=month, b=by: ranking(m, b), repeat)
               for label, month in (("last month", last), ("this month", this))
               for by in R.GROUPINGS}
    figures[f"year ({len(months)} months, by sector)"] = _timed(year, max(1, repeat // 2))
    figures["major_overdue last month"] = _timed(lambda: majors(last), repeat)
    totals = ranking(last, "sector").totals
    figures["last month totals"] = totals.figures_json()
    return figures


def time_page(settings, repeat: int) -> dict:
    """The /supervision page's server time through the Flask test client, signed in as an admin with a token."""
    from dashboard.app import create_app
    from services.accounts.tokens import issue_token
    from services.accounts.users import create_user
    with unit_of_work(settings, write=True, actor="bench") as uow:
        create_user(uow, "bench-admin", role="admin", password="bench password 1", must_change_password=False)
        token = issue_token(uow, "bench-admin", "bench")[0]
    app = create_app(settings).server
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    client.get("/")
    csrf = client.get_cookie("_csrf_token")
    headers = {"X-CSRFToken": csrf.value if csrf is not None else ""}
    firm = 1

    def post(body):
        answer = client.post("/_dash-update-component", json=body, headers=headers)
        assert answer.status_code == 200, answer.status_code
        return answer

    page = {"output": ".._pages_content.children..._pages_store.data..",
            "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
            "inputs": [{"id": "_pages_location", "property": "pathname", "value": "/supervision"},
                       {"id": "_pages_location", "property": "search", "value": "?lang=zh"}],
            "changedPropIds": ["_pages_location.pathname"], "state": []}
    lists = {"output": "safe-lists.children", "outputs": {"id": "safe-lists", "property": "children"},
             "inputs": [{"id": "safe-version", "property": "data", "value": 0}],
             "changedPropIds": ["safe-version.data"], "state": [{"id": "safe-lang", "property": "data", "value": "zh"}]}
    record = {"output": "..safe-record.children...safe-danger.options..",
              "outputs": [{"id": "safe-record", "property": "children"}, {"id": "safe-danger", "property": "options"}],
              "inputs": [{"id": "safe-enterprise", "property": "value", "value": firm},
                         {"id": "safe-version", "property": "data", "value": 0}],
              "changedPropIds": ["safe-enterprise.value"], "state": [{"id": "safe-lang", "property": "data",
                                                                       "value": "zh"}]}
    sizes = {"layout_bytes": len(post(page).data), "lists_bytes": len(post(lists).data)}
    steps = {"shell GET /supervision": lambda: client.get("/supervision?lang=zh"),
             "layout (page callback)": lambda: post(page), "work lists callback": lambda: post(lists),
             "enterprise record callback": lambda: post(record)}
    figures = {name: _timed(call, repeat) for name, call in steps.items()}
    figures["first visit (sum of medians)_ms"] = round(sum(f["median_ms"] for f in figures.values()), 1)
    return {**figures, **sizes}


def explain(settings, today: dt.date) -> None:
    """EXPLAIN ANALYZE of the dangers' aggregate of last month's ranking by sector (PostgreSQL)."""
    from sqlalchemy.dialects import postgresql
    month = R.parse_month((today.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m"), today)
    found, closed = R._in(HiddenDanger.found_on, month), R._in(HiddenDanger.closed_on, month)
    late = R.overdue_on(month.as_of)
    stmt, key = R._keyed("sector", HiddenDanger, None)
    stmt = stmt.add_columns(key, R._count(found), R._count(closed), R._count(late)) \
        .where(or_(found, closed, late)).group_by(key)
    sql = str(stmt.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))
    with get_engine(settings.database_url).connect() as conn:
        for (line,) in conn.execute(text("EXPLAIN ANALYZE " + sql)):
            print("   ", line)


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


def run(kind: str, args, folder: Path) -> dict:
    settings = dataclasses.replace(load_settings(), database_url=_new_database(kind, folder), instance_dir=folder,
                                   sample_dir=None)
    try:
        started = time.perf_counter()
        setup_database(settings, with_sample=False)
        print(f"[{kind}] schema + geography: {time.perf_counter() - started:.1f} s", flush=True)
        today = local_today(settings)
        with unit_of_work(settings) as uow:
            townships = list(uow.session.scalars(select(Township.code).order_by(Township.code)))
        world = build_world(args.enterprises, args.inspections, args.dangers, today, townships,
                            np.random.default_rng(SEED))
        seconds = load_world(settings, world)
        print(f"[{kind}] loaded {', '.join(f'{len(v):,} {k}' for k, v in world.items())} in {seconds:.1f} s",
              flush=True)
        figures = {"load_s": round(seconds, 1), "rankings": time_rankings(settings, today, args.repeat)}
        for name, value in figures["rankings"].items():
            print(f"[{kind}] rankings {name}: {value}", flush=True)
        if args.explain and kind == "postgis":
            explain(settings, today)
        figures["page"] = time_page(settings, args.repeat)
        for name, value in figures["page"].items():
            print(f"[{kind}] page {name}: {value}", flush=True)
        return figures
    finally:
        if args.keep:
            print(f"[{kind}] kept {settings.database_url}")
        else:
            _drop(settings.database_url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--enterprises", type=int, default=20000)
    parser.add_argument("--inspections", type=int, default=30000)
    parser.add_argument("--dangers", type=int, default=100000)
    parser.add_argument("--backends", default="postgis", help="postgis, sqlite or both: postgis,sqlite")
    parser.add_argument("--keep", action="store_true", help="keep the databases (their URLs are printed)")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the dangers' aggregate")
    args = parser.parse_args()
    print_machine()
    kinds = [k for k in ("postgis", "sqlite") if k in args.backends.split(",")]
    if args.keep:  # a folder that stays, for the SQLite file
        tmp = tempfile.mkdtemp(prefix="qj_bench_sup_")
        results = {kind: run(kind, args, Path(tmp)) for kind in kinds}
    else:
        with tempfile.TemporaryDirectory(prefix="qj_bench_sup_") as tmp:
            results = {kind: run(kind, args, Path(tmp)) for kind in kinds}
    emit(results)


if __name__ == "__main__":
    main()
