"""风险感知's thresholds, assignments and evaluation through the API on both back-ends: all-or-nothing PUTs, 400s
naming the field (``thresholds.<n>.<field>``), 403 for roles without ``monitoring.configure`` and for township
staff outside their township, and the rule's current candidates from readings of the last hour."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from dashboard.app import create_app
from services.clock import now_utc
from services.db import read_session
from tests.conftest import signed_in
from tests.services.monitoring_world import AWAY, HOME, HYDRO, RAIN, add_readings, add_world, minutes

ROOT = "/api/v1/monitoring"
LON, LAT = 108.7869, 29.5251


@pytest.fixture
def world(fresh):
    ids = add_world(fresh, [("H1", LON, LAT, HOME), ("H9", LON, LAT - 0.01, AWAY)],
                    [("R", RAIN, LON, LAT, 10, HOME), ("W", HYDRO, LON, LAT, 60, HOME)])
    return create_app(fresh).server, fresh, ids


def _count(settings, sql: str) -> int:
    with read_session(settings.database_url) as session:
        return session.execute(text(sql)).scalar_one()


def test_thresholds_set_listed_and_removed(world):
    app, settings, _ = world
    client = signed_in(app.test_client(), settings, "planner")
    answer = client.put(f"{ROOT}/thresholds", json={"thresholds": [
        {"hazard": "H1", "metric": "rain_1h", "value": 30}, {"station": "R", "metric": "rain_3h", "value": 60}]})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert [(t["owner"], t["code"], t["value"]) for t in answer.get_json()["thresholds"]] == [
        ("hazard", "H1", 30.0), ("station", "R", 60.0)]
    assert client.post(f"{ROOT}/assignments", json={"hazard": "H1", "station": "R"}).status_code == 201
    listed = client.get(f"{ROOT}/thresholds?hazard=H1").get_json()
    assert [t["metric"] for t in listed["thresholds"]] == ["rain_1h"]
    assert [(e["metric"], e["source"]) for e in listed["effective"]] == [("rain_1h", "hazard"), ("rain_3h", "station")]
    assert client.delete(f"{ROOT}/thresholds?hazard=H1&metric=rain_1h").status_code == 200
    assert client.delete(f"{ROOT}/thresholds?hazard=H1&metric=rain_1h").status_code == 404
    assert _count(settings, "SELECT count(*) FROM threshold") == 1


@pytest.mark.parametrize("payload, field", [
    ({"thresholds": [{"hazard": "H1", "metric": "rain_1h", "value": 30}, {"hazard": "H1", "metric": "rain_1h",
                                                                          "value": 0}]}, "thresholds.1.value"),
    ({"thresholds": [{"hazard": "H1", "metric": "rain_2h", "value": 3}]}, "thresholds.0.metric"),
    ({"thresholds": [{"hazard": "H1", "metric": "rain_1h", "value": 900}]}, "thresholds.0.value"),
    ({"thresholds": [{"hazard": "H1", "metric": "rain_1h", "value": 9}, {"hazard": "NOPE", "metric": "rain_1h",
                                                                         "value": 9}]}, "thresholds.1.hazard"),
    ({"thresholds": [{"metric": "rain_1h", "value": 9}]}, "thresholds.0.hazard"),
    ({"thresholds": []}, "thresholds"),
    ({"thresholds": [{"hazard": "H1", "metric": "rain_1h", "value": 9, "extra": 1}]}, "thresholds.0.extra"),
])
def test_bad_thresholds_are_400s_naming_the_field_and_nothing_is_written(world, payload, field):
    app, settings, _ = world
    answer = signed_in(app.test_client(), settings, "admin").put(f"{ROOT}/thresholds", json=payload)
    assert answer.status_code == 400, answer.get_data(as_text=True)
    body = answer.get_json()
    assert body["parameter"] == field and body["reason"] and body["reason_en"]
    assert _count(settings, "SELECT count(*) FROM threshold") == 0


def test_roles_and_township_scope(world):
    app, settings, _ = world
    item = {"thresholds": [{"hazard": "H1", "metric": "rain_1h", "value": 30}]}
    for role in ("duty", "commander", "viewer"):
        assert signed_in(app.test_client(), settings, role).put(f"{ROOT}/thresholds", json=item).status_code == 403
    township = signed_in(app.test_client(), settings, "township", HOME)
    assert township.put(f"{ROOT}/thresholds", json=item).status_code == 403
    assert township.post(f"{ROOT}/assignments/recompute").status_code == 403
    assert township.get(f"{ROOT}/thresholds?hazard=H1").status_code == 200
    assert township.get(f"{ROOT}/thresholds?hazard=H9").status_code == 403
    assert township.get(f"{ROOT}/evaluation?hazard=H9").status_code == 403
    assert _count(settings, "SELECT count(*) FROM threshold") == 0


def test_evaluation_shows_what_the_rule_would_propose_now(world):
    app, settings, ids = world
    admin = signed_in(app.test_client(), settings, "admin")
    admin.put(f"{ROOT}/thresholds", json={"thresholds": [{"station": "R", "metric": "rain_1h", "value": 20}]})
    recomputed = admin.post(f"{ROOT}/assignments/recompute").get_json()
    assert recomputed["added"] >= 2 and recomputed["by_kind"]["雨量"] == 2  # both points within 5 km of R
    now = now_utc()
    add_readings(settings, [(ids["R"], "rainfall", now - minutes(m), 9.0) for m in (5, 15, 25)])  # 27 mm in 1 h
    answer = admin.get(f"{ROOT}/evaluation").get_json()
    got = {c["hazard_code"]: c for c in answer["candidates"]}
    assert set(got) == {"H1", "H9"} and got["H1"]["level"] == "橙"
    assert got["H1"]["decisive"]["observed"] == 27.0 and got["H1"]["decisive"]["ratio"] == 1.35
    assert got["H1"]["decisive"]["complete"] is False  # 3 of 6 ten-minute readings
    township = signed_in(app.test_client(), settings, "township", HOME)
    assert [c["hazard_code"] for c in township.get(f"{ROOT}/evaluation").get_json()["candidates"]] == ["H1"]
    listed = admin.get(f"{ROOT}/assignments?hazard=H9").get_json()["assignments"]
    # the rain gauge only: W is hydrological, and H9 is a landslide (water levels watch flood-type points)
    assert {(a["station_code"], a["assigned"]) for a in listed} == {("R", "distance")}
    assert admin.delete(f"{ROOT}/assignments?hazard=H9&station=R").get_json() == {"removed": 0}
