"""风险感知 → 预警叫应 → 转移避险 end to end, in a drill (issue 15's acceptance), on both back-ends.

The sample storm's first 18 hours are replayed into a copy of the seeded sample (python app.py drill, on a simulated
clock): the rule raises proposals whose rainfall figures equal a plain rolling sum of the storm file; the duty
officer confirms an orange one through the API of the drill's app, which issues a warning to the monitors of the
points in its zone and the township's staff; a recipient's 叫应 shows in the counts; the pre-filled plan houses the
point's threatened people; and the live database is exactly as it was (SQL counts and the points' levels).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict

import pytest
import shapely
from sqlalchemy import inspect, text

from config import ROOT
from dashboard.app import create_app
from services import vocabulary
from services.clock import shift_for_tests
from services.db import get_engine
from services.db.engine import Base
from dashboard.cli_monitoring import deliver_batch as deliver
from services.monitoring.drills import load_readings, prepare_drill
from services.monitoring.replay import run, schedule
from services.models import Warning
from tests.conftest import _drop_postgres_database, read, signed_in

STORM = ROOT / "data" / "sample" / "monitoring" / "storm.csv"
WINDOWS = {"rain_1h": dt.timedelta(hours=1), "rain_3h": dt.timedelta(hours=3), "rain_24h": dt.timedelta(hours=24)}


def _snapshot(url: str) -> dict:
    engine = get_engine(url)
    with engine.connect() as conn:
        counts = {t.name: conn.execute(text(f'SELECT count(*) FROM "{t.name}"')).scalar()
                  for t in Base.metadata.sorted_tables if inspect(engine).has_table(t.name)}
        levels = dict(conn.execute(text("SELECT code, warning_level FROM hazard_point")).all())
    return {"counts": counts, "levels": levels}


@pytest.fixture(scope="module")
def drill(seeded, tmp_path_factory):
    folder = tmp_path_factory.mktemp("drill")
    live = _snapshot(seeded.database_url)
    settings = prepare_drill(dataclasses.replace(seeded, instance_dir=folder), f"e2e_{folder.name[-6:]}".lower())
    readings = load_readings(STORM, settings)
    first = min(r.at for r in readings)
    readings = [r for r in readings if r.at <= first + dt.timedelta(hours=18)]
    batches = schedule(readings, dt.datetime.now(dt.timezone.utc), speed=3600, every_min=30)  # a gateway's half hours
    shift = batches[0].readings[0].at - first
    clock = [0.0]
    try:
        state = run(batches, lambda batch: deliver(settings, batch), clock=lambda: clock[0],
                    sleep=lambda s: clock.__setitem__(0, clock[0] + s))
        yield seeded, settings, state, live, readings, shift
    finally:
        shift_for_tests(dt.timedelta(0))  # the replay moved this process's clock to the storm's time
        if settings.database_url.startswith("postgresql"):
            _drop_postgres_database(settings.database_url)
        else:
            get_engine(settings.database_url).dispose()


def _rows(settings, sql: str, **params) -> list:
    with get_engine(settings.database_url).connect() as conn:
        return conn.execute(text(sql), params).all()


def test_the_replay_raises_proposals_from_the_storm_as_a_plain_sum_says(drill):
    _, settings, state, _, readings, shift = drill
    assert state.errors == [] and state.delivered_readings == len(readings)
    series = defaultdict(list)
    for r in readings:
        if r.kind == "rainfall":
            series[r.station].append((r.at + shift, r.value))
    proposals = _rows(settings, "SELECT p.level, p.metric, p.observed, p.observed_at, s.code FROM warning_proposal p "
                                "JOIN monitoring_station s ON s.id = p.station_id WHERE p.status = '待确认'")
    levels = {level for level, *_ in proposals}
    assert len(proposals) >= 10 and {"橙", "红"} <= levels
    checked = 0
    for level, metric, observed, observed_at, code in proposals:
        if metric in WINDOWS:
            at = dt.datetime.fromisoformat(observed_at) if isinstance(observed_at, str) else observed_at  # SQLite: text
            at = at if at.tzinfo else at.replace(tzinfo=dt.timezone.utc)
            expected = sum(v for t, v in series[code] if at - WINDOWS[metric] < t <= at)
            assert observed == pytest.approx(expected, abs=1e-6), (code, metric, at)
            checked += 1
    assert checked >= 5


def test_confirming_warns_the_right_people_and_the_plan_houses_them(drill):
    _, settings, _, _, _, _ = drill
    client = signed_in(create_app(settings).server.test_client(), settings, "duty")
    [(proposal, hazard, people)] = _rows(settings, """
        SELECT p.id, h.id, h.threatened_people FROM warning_proposal p JOIN hazard_point h ON h.id = p.hazard_point_id
        WHERE p.status = '待确认' AND p.level = '橙' AND h.contact_person IS NOT NULL AND h.threatened_people > 0
        ORDER BY h.threatened_people DESC, p.id LIMIT 1""")
    answer = client.post(f"/api/v1/monitoring/proposals/{proposal}/confirm", json={})
    assert answer.status_code == 200, answer.get_json()
    decided = answer.get_json()
    warning, plan = decided["warning_id"], decided["plan_id"]
    assert warning and plan
    detail = client.get(f"/api/v1/warnings/{warning}").get_json()
    zone = read(settings, lambda uow: uow.session.get(Warning, warning).area)  # the ORM decodes it on both
    monitors = {name for name, lon, lat in _rows(settings, "SELECT contact_person, lon, lat FROM hazard_point "
                                                           "WHERE contact_person IS NOT NULL")
                if zone.intersects(shapely.Point(lon, lat))}
    [(own,)] = _rows(settings, "SELECT contact_person FROM hazard_point WHERE id = :h", h=hazard)
    named = {r["name"] for r in detail["recipients"] if r["role"] != vocabulary.RECIPIENT_TOWNSHIP}
    assert own in monitors and named == monitors  # the point's monitor and those of the points in its zone, no one else
    first = detail["recipients"][0]["id"]
    acked = client.post(f"/api/v1/warnings/{warning}/ack", json={"recipient_id": first}).get_json()
    assert acked["acknowledged"] == 1 and acked["recipients_total"] == len(detail["recipients"])  # the 叫应 counts
    assert _rows(settings, "SELECT warning_level FROM hazard_point WHERE id = :h", h=hazard) == [("橙",)]
    shown = client.get(f"/api/v1/evacuation/plans/{plan}").get_json()
    assert shown["totals"]["assigned"] == people == shown["totals"]["people"]  # every threatened person housed
    assert shown["scenario"]["hazard_ids"] == [hazard]


def test_the_live_records_are_untouched(drill):
    seeded, settings, _, live, _, _ = drill
    assert _snapshot(seeded.database_url) == live
    assert _rows(seeded, "SELECT count(*) FROM reading") == [(0,)]
    assert _rows(settings, "SELECT count(*) FROM reading")[0][0] > 10_000
