"""Benchmark: from a warning proposal committed (``raise_proposals``, as the readings ingest calls it) to the
proposal shown on an open duty view (值班态势's 预警建议 panel) in headless chromium. Target (issue 15): under 3 s.

The app is served in its own process on a seeded SQLite database; this process writes the proposals into the same
database, one at a time, and times commit → card drawn on the page (which polls the change counter every 1.5 s).
With ``--from-reading`` each run is a reading instead: a rain gauge's 60 mm in five minutes, ingested with the rule
and the proposals in one transaction as POST /api/v1/monitoring/readings does (services/monitoring/chain.py), timed
from the start of the ingest to the first of the proposals it made drawn on the page.

    python bench/proposal_latency.py [--repeat 10] [--from-reading]
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from _common import clean_env, emit, free_port, print_machine, run_app, served_app, sign_in  # noqa: E402
from page_load import CHROMIUM, CHROMIUM_ARGS  # noqa: E402


def _propose(settings, skip: int):
    from sqlalchemy import text

    from services.db.uow import unit_of_work
    from services.monitoring.proposals import raise_proposals
    from services.monitoring.types import Candidate, MetricValue
    with unit_of_work(settings, write=True) as uow:
        station = uow.session.execute(text("SELECT min(id) FROM monitoring_station")).scalar()
        hazard = uow.session.execute(text(
            "SELECT id FROM hazard_point WHERE warning_level IN ('无', '蓝') AND id NOT IN "
            "(SELECT hazard_point_id FROM warning_proposal) ORDER BY id LIMIT 1 OFFSET :s"), {"s": skip}).scalar()
        reading = MetricValue("rain_1h", station, 45.0, 30.0, dt.datetime.now(dt.timezone.utc))
        [made] = raise_proposals(uow, [Candidate(hazard, "橙", reading, (reading,))])
    return made.proposal_id  # committed when the unit closed, just above


def _reading(settings, station: str) -> list[int]:
    from services.db.uow import unit_of_work
    from services.monitoring.chain import after_readings
    from services.monitoring.readings import ingest
    from services.models import WarningProposal
    from sqlalchemy import select
    at = dt.datetime.now(dt.timezone.utc).replace(second=0, microsecond=0)
    at -= dt.timedelta(minutes=at.minute % 5)  # on the gauge's 5-minute interval
    with unit_of_work(settings, write=True) as uow:
        result = ingest(uow, [{"station": station, "at": at, "kind": "rainfall", "value": 60.0}])
        after_readings(uow, result)
        return list(uow.session.scalars(select(WarningProposal.id).where(WarningProposal.status == "待确认")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--from-reading", action="store_true", help="time from a reading's ingest, rule included")
    args = parser.parse_args()
    print_machine()
    from playwright.sync_api import sync_playwright
    with tempfile.TemporaryDirectory(prefix="qj_proposal_") as tmp:
        env = clean_env(DATABASE_URL=f"sqlite:///{tmp}/p.sqlite3", PORT=str(free_port()))
        run_app(["seed"], env)
        os.environ["DATABASE_URL"] = env["DATABASE_URL"]
        from config import load_settings
        settings = load_settings()
        with served_app(env, Path(tmp) / "serve.log") as base, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1920, "height": 1080})
            sign_in(page, base)
            page.goto(base + "/duty")
            page.wait_for_selector(".duty-card")
            latencies = []
            seen: set[int] = set()
            ingest_s: list[float] = []
            open_counts: list[int] = []
            if args.from_reading:  # a first, uncounted reading loads the rule's modules (the server is warm)
                seen.update(_reading(settings, "QJ-ST-018"))
            for i in range(args.repeat):
                time.sleep(random.uniform(0, 1.5))  # anywhere in the page's poll interval
                if args.from_reading:
                    started = time.perf_counter()
                    now_open = _reading(settings, f"QJ-ST-{i + 1:03d}")  # gauges 001–018
                    open_now = [len(now_open)]
                    made = sorted(set(now_open) - seen)
                    ingest_s.append(round(time.perf_counter() - started, 2))
                    seen.update(made)
                    open_counts.append(len(now_open))
                    if not made:
                        continue  # this gauge watches no point with a 1 h threshold under 60 mm
                    # the panel counts every open proposal (its cards are the first 30, red first)
                    page.wait_for_selector(f".proposal-summary[data-open='{open_now[0]}']", timeout=30_000)
                    latencies.append(time.perf_counter() - started)
                    continue
                proposal = _propose(settings, i)
                committed = time.perf_counter()
                page.wait_for_selector(f".proposal-card[data-proposal='{proposal}']", timeout=30_000)
                latencies.append(time.perf_counter() - committed)
            browser.close()
    result = {"from": "reading" if args.from_reading else "proposal", "runs": len(latencies), "median_s": round(statistics.median(latencies), 2),
              "max_s": round(max(latencies), 2), "min_s": round(min(latencies), 2),
              "all_s": [round(x, 2) for x in latencies]}
    if args.from_reading:
        result |= {"ingest_and_rule_s": ingest_s, "open_proposals": open_counts}
    print(result)
    emit(result)


if __name__ == "__main__":
    main()
