"""/api/v1/monitoring: a batch of readings in (201 with the counts; 400/409 naming the reading; all or nothing),
the stations with their derived status, one station's series, and who may do what; on SQLite and PostGIS."""
from __future__ import annotations

import pytest

from dashboard.app import create_app
from tests.conftest import signed_in
from tests.services.station_world import add_stations, count

URL = "/api/v1/monitoring/readings"


def r(station="RG-1", at="2026-07-02T08:00+08:00", kind="rainfall", value=1.5, **more) -> dict:
    return {"station": station, "at": at, "kind": kind, "value": value, **more}


@pytest.fixture
def api(fresh):
    add_stations(fresh)
    add_stations(fresh, {"OWN-1": ("雨量", 60)}, township="500114003")
    app = create_app(fresh).server
    return fresh, app


def client(api, role="duty", township=None):
    settings, app = api
    return signed_in(app.test_client(), settings, role, township)


def test_a_batch_is_stored_and_a_retry_counts_duplicates(api):
    duty = client(api)
    batch = {"readings": [r(), r("HY-1", "2026-07-02T00:00Z", "water_level", 301.5), r(value=0.2, unit="cm",
                                                                                       at="2026-07-02T09:00+08:00")]}
    first = duty.post(URL, json=batch)
    assert first.status_code == 201
    assert first.get_json() == {"drill_id": 0, "received": 3, "stored": 3, "duplicates": 0,
                                "stations": ["HY-1", "RG-1"], "newest": "2026-07-02T01:00:00+00:00",
                                "evaluated": 0, "proposals": {}}  # no hazard point watched by these stations
    again = duty.post(URL, json=batch).get_json()
    assert (again["stored"], again["duplicates"]) == (0, 3)
    drill = duty.post(URL, json={**batch, "drill_id": 4}).get_json()
    assert (drill["drill_id"], drill["stored"]) == (4, 3)
    assert count(api[0]) == 6
    series = duty.get("/api/v1/monitoring/stations/RG-1/readings?kind=rainfall&from=2026-07-02T00:00Z"
                      "&to=2026-07-03T00:00Z").get_json()
    assert [(p["at"], p["value"]) for p in series["readings"]] == [("2026-07-02T00:00:00+00:00", 1.5),
                                                                   ("2026-07-02T01:00:00+00:00", 2.0)]
    assert series["from"] == "2026-07-02T00:00:00+00:00" and series["unit"] == "mm"


@pytest.mark.parametrize("body, status, parameter, words", [
    ({"readings": [r(), r("NOPE")]}, 400, "readings.1.station", ["readings[1]", "NOPE", "2026-07-02T08:00+08:00"]),
    ({"readings": [r(), r(kind="snow")]}, 400, "readings.1.kind", ["snow", "RG-1"]),
    ({"readings": [r(), r(kind="water_level")]}, 400, "readings.1.kind", ["水位"]),
    ({"readings": [r(), r(at="2026-07-02 08:00")]}, 400, "readings.1.at", ["时区"]),
    ({"readings": [r(), r(value=1, unit="inch")]}, 400, "readings.1.unit", ["inch"]),
    ({"readings": [r(), r(value=999)]}, 400, "readings.1.value", ["999", "0–300"]),
    ({"readings": [r(), r(value="x")]}, 400, "readings.1.value", ["x"]),
    ({"readings": [r(), {"station": "RG-1"}]}, 400, "readings.1.at", ["at"]),
    ({"readings": [r(), 5]}, 400, "readings.1.reading", ["readings[1]"]),
    ({"readings": "RG-1,1.5"}, 400, "readings", ["列表"]),
    ({"readings": []}, 400, "readings", ["readings"]),
    ({}, 400, "readings", ["readings"]),
    ({"readings": [r()], "drill_id": "x"}, 400, "drill_id", ["演练"]),
    ({"readings": [r()], "extra": 1}, 400, "extra", ["extra"]),
    ({"readings": [r(), r(at="2026-07-02T00:00Z", value=2)]}, 400, "readings.1.value", ["readings[0]", "1.5", "2"]),
])
def test_bad_batches_are_refused_naming_the_reading_and_store_nothing(api, body, status, parameter, words):
    answer = client(api).post(URL, json=body)
    assert answer.status_code == status, answer.get_json()
    error = answer.get_json()
    assert error["parameter"] == parameter and error["reason_en"]
    for word in words:
        assert word in error["reason"], (word, error["reason"])
    assert count(api[0]) == 0


def test_a_value_different_from_the_stored_one_is_409_and_the_batch_is_not_stored(api):
    duty = client(api)
    assert duty.post(URL, json={"readings": [r()]}).status_code == 201
    answer = duty.post(URL, json={"readings": [r(at="2026-07-02T10:00+08:00"), r(value=3)]})
    assert answer.status_code == 409
    assert answer.get_json()["parameter"] == "readings.1.value" and "1.5" in answer.get_json()["reason"]
    assert count(api[0]) == 1


def test_not_json_is_415(api):
    answer = client(api).post(URL, data="station,at", headers={"Content-Type": "text/csv"})
    assert answer.status_code == 415


@pytest.mark.parametrize("role, township", [("viewer", None), ("planner", None), ("township", "500114003")])
def test_only_the_operational_roles_may_post_readings(api, role, township):
    answer = client(api, role, township).post(URL, json={"readings": [r()]})
    assert answer.status_code == 403
    assert count(api[0]) == 0


def test_stations_with_their_status_and_township_staff_see_their_own(api):
    duty = client(api)
    duty.post(URL, json={"readings": [r("HY-1", "2026-07-02T00:00Z", "water_level", 301.5)]})
    stations = duty.get("/api/v1/monitoring/stations").get_json()
    assert stations["offline_intervals"] == 3
    by_code = {s["code"]: s for s in stations["stations"]}
    assert by_code["HY-1"]["status"] == "离线" and by_code["HY-1"]["recorded_status"] == "正常"  # July is long ago
    assert by_code["HY-1"]["latest"] == [{"kind": "water_level", "unit": "m", "at": "2026-07-02T00:00:00+00:00",
                                          "value": 301.5}]
    assert by_code["RG-1"]["status"] == "正常" and by_code["RG-1"]["latest"] == []  # never reported: as recorded
    own = client(api, "township", "500114003")
    assert [s["code"] for s in own.get("/api/v1/monitoring/stations").get_json()["stations"]] == ["OWN-1"]
    assert own.get("/api/v1/monitoring/stations/RG-1/readings?kind=rainfall").status_code == 403
    assert own.get("/api/v1/monitoring/stations/OWN-1/readings?kind=rainfall").status_code == 200
    assert duty.get("/api/v1/monitoring/stations/NOPE/readings?kind=rainfall").status_code == 404
    assert duty.get("/api/v1/monitoring/stations/RG-1/readings?kind=snow").status_code == 400
    assert duty.get("/api/v1/monitoring/stations/RG-1/readings?kind=rainfall&from=2026-07-02&to=2026-07-01"
                    ).status_code == 400


def test_a_body_over_the_cap_is_413_before_it_is_read(api, monkeypatch):
    from dashboard.api import monitoring_readings
    monkeypatch.setattr(monitoring_readings, "BYTES_PER_READING", 0)  # the cap is then 64 kB
    big = {"readings": [r(at=f"2026-07-01T00:{m:02d}Z") for m in range(60)] * 20}
    answer = client(api).post(URL, json=big)
    assert answer.status_code == 413 and "MB" in answer.get_json()["reason"]
    assert count(api[0]) == 0
