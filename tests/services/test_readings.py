"""Station readings in (风险感知, issue 15): exact values and UTC times, units converted, every refusal naming the
reading, all or nothing (checked by SQL counts), duplicates, late readings, last_reading_at forward only, the
offline status, permissions and two clients posting one batch at once; on SQLite and PostGIS."""
from __future__ import annotations

import dataclasses
import datetime as dt
import threading

import pytest

from services import vocabulary
from services.clock import now_utc
from services.errors import Conflict, FieldError, Forbidden
from services.monitoring.readings import ingest
from services.monitoring.stations import list_stations, station_readings, station_status
from tests.conftest import call, call_as, principal_for, read
from tests.services.station_world import add_stations, count, last_reading, stored

UTC = dt.timezone.utc


def r(station="RG-1", at="2026-07-02T08:00+08:00", kind="rainfall", value=1.5, **more) -> dict:
    return {"station": station, "at": at, "kind": kind, "value": value, **more}


@pytest.fixture
def world(fresh):
    add_stations(fresh)
    return fresh


def test_values_and_times_are_stored_exactly_in_utc(world):
    result = call(world, ingest, [r(), r(at="2026-07-02T00:30Z", value=0.1),
                                  r("HY-1", "2026-07-01T23:59:59.5-02:00", "water_level", 312.345)])
    assert (result.stored, result.duplicates, result.stations) == (3, 0, ("HY-1", "RG-1"))
    assert result.newest == dt.datetime(2026, 7, 2, 1, 59, 59, 500000, tzinfo=UTC)
    assert stored(world) == [
        ("HY-1", "water_level", dt.datetime(2026, 7, 2, 1, 59, 59, 500000, tzinfo=UTC), 312.345, 0),
        ("RG-1", "rainfall", dt.datetime(2026, 7, 2, 0, 0, tzinfo=UTC), 1.5, 0),
        ("RG-1", "rainfall", dt.datetime(2026, 7, 2, 0, 30, tzinfo=UTC), 0.1, 0)]
    # the column itself holds UTC: read as text, not through the column type
    sql = ("SELECT to_char(min(at) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') FROM reading" if "postgresql" in
           world.database_url else "SELECT substr(min(at), 1, 16) FROM reading")
    assert count(world, sql) == "2026-07-02 00:00"


@pytest.mark.parametrize("kind, value, unit, expected", [
    ("rainfall", 0.7, "cm", 7.0), ("rainfall", 3, "mm", 3.0), ("crack_width", 0.0021, "m", 2.1),
    ("displacement", -12.5, "厘米", None),  # a Chinese word is the sheet's to translate, not the API's
    ("water_level", 12345, "cm", 123.45), ("water_level", 250, "mm", 0.25),
    ("wind_speed", 36, "km/h", 10.0), ("wind_speed", 10, "kn", 5.144444444444445),
    ("temperature", 293.15, "K", 20.0), ("temperature", 21.5, "℃", 21.5), ("temperature", -3, " °c ", -3.0),
])
def test_units_convert_exactly_or_are_refused(world, kind, value, unit, expected):
    station = {"rainfall": "RG-1", "crack_width": "GEO-1", "displacement": "GEO-1", "water_level": "HY-1",
               "wind_speed": "WX-1", "temperature": "WX-1"}[kind]
    batch = [r(station, kind=kind, value=value, unit=unit)]
    if expected is None:
        with pytest.raises(FieldError) as info:
            call(world, ingest, batch)
        assert info.value.field == "readings.0.unit" and "厘米" in info.value.reason and "cm" in info.value.reason
        return
    call(world, ingest, batch)
    assert stored(world)[0][3] == expected  # exact: 0.7 cm is 7.0 mm, not 7.000000000000001


FUTURE = (now_utc() + dt.timedelta(days=2)).isoformat()  # collected long before it runs in a full suite: far ahead
BAD = [  # (reading, field, catalogue code, words the Chinese reason must hold)
    (r("NOPE"), "station", "readings.unknown_station", ["NOPE", "2026-07-02T08:00+08:00"]),
    (r(kind="snow"), "kind", "readings.unknown_kind", ["snow", "RG-1"]),
    (r(kind="water_level", value=3), "kind", "readings.kind_of_station", ["雨量站", "水位", "RG-1"]),
    (r(at="2026-07-02T08:00"), "at", "readings.at_naive", ["时区", "RG-1"]),
    (r(at="2026-07-02 08:00 CST"), "at", "readings.at_text", ["RG-1"]),
    (r(at=FUTURE), "at", "readings.at_future", ["5 分钟", "RG-1"]),
    (r(at="1999-12-31T23:00Z"), "at", "readings.at_range", ["2000"]),
    (r(value=float("nan")), "value", "readings.value_number", ["nan"]),
    (r(value="1.5"), "value", "readings.value_number", ["1.5"]),
    (r(value=True), "value", "readings.value_number", ["True"]),
    (r(value=10**400), "value", "readings.value_number", ["RG-1"]),
    (r(value=-0.1), "value", "readings.value_range", ["-0.1", "0–300"]),
    (r(value=301), "value", "readings.value_range", ["301 mm"]),
    (r(value=31, unit="cm"), "value", "readings.value_range", ["310 mm"]),
    (r(value=1, unit="kg"), "unit", "readings.unit", ["kg", "mm"]),
    (r("WX-1", kind="temperature", value=61), "value", "readings.value_range", ["61 °C", "−60" if False else "-60"]),
    (r("HY-1", kind="water_level", value=9001), "value", "readings.value_range", ["9001 m"]),
    (r("WX-1", kind="wind_speed", value=121), "value", "readings.value_range", ["121 m/s"]),
    (r("GEO-1", kind="displacement", value=-10001), "value", "readings.value_range", ["-10001"]),
    ({"station": "RG-1", "at": "2026-07-02T08:00Z", "kind": "rainfall"}, "value", "readings.missing", ["value"]),
    (r(extra=1), "extra", "readings.extra", ["extra"]),
    ("RG-1,2026,1.5", "reading", "readings.not_object", ["readings[2]"]),
    (r(station=""), "station", "readings.station_text", ["readings[2]"]),
]


@pytest.mark.parametrize("bad, field, code, words", BAD, ids=[b[2] + str(i) for i, b in enumerate(BAD)])
def test_a_bad_last_reading_is_named_and_nothing_is_written(world, bad, field, code, words):
    good = [r(at="2026-07-02T06:00+08:00"), r("HY-1", kind="water_level", value=300)]
    with pytest.raises(FieldError) as info:
        call(world, ingest, good + [bad])
    error = info.value
    assert (error.field, error.code, error.params["index"]) == (f"readings.2.{field}", code, 2)
    assert error.reason.startswith("readings[2]") and error.reason_en.startswith("readings[2]")
    for word in words:
        assert word in error.reason, (word, error.reason)
    assert count(world) == 0  # all or nothing: the two good readings were not stored either
    assert count(world, "SELECT count(*) FROM monitoring_station WHERE last_reading_at IS NOT NULL") == 0
    assert count(world, "SELECT count(*) FROM audit_log WHERE action = 'ingest'") == 0


@pytest.mark.parametrize("batch, code", [(None, "readings.not_list"), ({"station": "RG-1"}, "readings.not_list"),
                                         ([], "readings.empty"), ([r()] * 4, "readings.too_many")])
def test_a_malformed_batch_is_refused(world, batch, code):
    small = dataclasses.replace(world, monitoring=dataclasses.replace(world.monitoring, max_batch=3))
    with pytest.raises(FieldError) as info:
        call(small, ingest, batch)
    assert (info.value.field, info.value.code) == ("readings", code)
    if code == "readings.too_many":
        assert "3" in info.value.reason and "4" in info.value.reason
    with pytest.raises(FieldError) as info:
        call(world, ingest, [r()], -1)
    assert info.value.field == "drill_id"


def test_duplicates_are_counted_and_a_different_value_is_refused_naming_the_stored_one(world):
    batch = [r(at=f"2026-07-02T0{h}:00+08:00", value=h / 10) for h in range(1, 6)]
    assert call(world, ingest, batch).stored == 5
    again = call(world, ingest, batch + [r(at="2026-07-02T09:00+08:00", value=2)])  # a retry with one more
    assert (again.stored, again.duplicates) == (1, 5)
    assert count(world) == 6
    same_in_batch = call(world, ingest, [r(at="2026-07-02T10:00+08:00")] * 3)
    assert (same_in_batch.stored, same_in_batch.duplicates) == (1, 2)
    with pytest.raises(Conflict) as info:
        call(world, ingest, [r(at="2026-07-02T11:00+08:00"), r(at="2026-07-02T03:00+08:00", value=0.35)])
    assert info.value.field == "readings.1.value" and info.value.params["index"] == 1
    assert "0.3" in info.value.reason and "0.35" in info.value.reason and "RG-1" in info.value.reason
    with pytest.raises(FieldError) as info:  # the same key twice in one batch with two values
        call(world, ingest, [r(at="2026-07-02T12:00+08:00", value=1), r(at="2026-07-02T04:00Z", value=2)])
    assert info.value.field == "readings.1.value" and "readings[0]" in info.value.reason
    assert count(world) == 7  # the two refused batches stored nothing (not even their new 11:00 and 12:00)


def test_late_readings_are_stored_and_last_reading_at_only_moves_forward(world):
    newest = dt.datetime(2026, 7, 2, 2, tzinfo=UTC)
    call(world, ingest, [r(at="2026-07-02T10:00+08:00"), r(at="2026-07-02T09:00+08:00")])
    assert last_reading(world, "RG-1") == newest
    late = call(world, ingest, [r(at="2026-07-02T07:00+08:00", value=9)])
    assert late.stored == 1 and count(world) == 3
    assert last_reading(world, "RG-1") == newest  # the late reading left it where it was
    call(world, ingest, [r(at="2026-07-02T11:00+08:00", value=2)], 7)  # a drill never moves the live station
    assert last_reading(world, "RG-1") == newest
    call(world, ingest, [r(at="2026-07-02T11:00+08:00", value=3)])  # the live key is free: the drill is apart
    assert last_reading(world, "RG-1") == newest + dt.timedelta(hours=1)
    assert [row[4] for row in stored(world)] == [0, 0, 0, 0, 7]
    assert count(world, "SELECT count(*) FROM audit_log WHERE action = 'ingest'") == 4  # one per batch


@pytest.mark.parametrize("minutes, expected", [(0, "正常"), (179, "正常"), (180, "正常"), (181, "离线")])
def test_a_station_silent_past_its_intervals_is_offline(minutes, expected):
    last = dt.datetime(2026, 7, 2, tzinfo=UTC)
    assert station_status("正常", last, 60, last + dt.timedelta(minutes=minutes), 3) == expected
    assert station_status("离线", None, 60, last, 3) == "离线"  # never reported: as recorded
    assert station_status("正常", None, 60, last, 3) == "正常"


def test_stations_list_and_map_derive_the_status_at_a_chosen_time(world):
    from services.map.layers import LayerFilter, point_layer
    now = now_utc().replace(microsecond=0)
    call(world, ingest, [r(at=(now - dt.timedelta(minutes=16)).isoformat()),        # RG-1 every 60 min: 正常
                         r("RG-2", at=(now - dt.timedelta(minutes=16)).isoformat()),  # every 5 min: 离线
                         r("HY-1", at=(now - dt.timedelta(hours=2)).isoformat(), kind="water_level", value=301),
                         r("HY-1", at=(now - dt.timedelta(hours=1)).isoformat(), value=4.5)])
    states = {s.code: s for s in read(world, list_stations, now)}
    assert {c: s.status for c, s in states.items()} == {"RG-1": "正常", "RG-2": "离线", "HY-1": "正常", "GEO-1": "正常",
                                                       "WX-1": "正常", "EQ-1": "正常", "FF-1": "正常"}
    assert [(x.kind, x.value) for x in states["HY-1"].latest] == [("rainfall", 4.5), ("water_level", 301.0)]
    assert states["HY-1"].last_reading_at == now - dt.timedelta(hours=1)
    later = {s.code: s.status for s in read(world, list_stations, now + dt.timedelta(minutes=150))}
    assert later["RG-1"] == "正常" and later["HY-1"] == "离线"
    layer = read(world, point_layer, "stations", LayerFilter(where={"status": ("离线",)}), "map")
    assert [f.properties["name"] for f in layer.features] == ["station RG-2"]
    full = read(world, point_layer, "stations", LayerFilter(), "full")
    assert {f.properties["code"]: f.properties["status"] for f in full.features}["RG-2"] == "离线"


def test_series_of_one_station_and_kind(world):
    call(world, ingest, [r(at=f"2026-07-02T0{h}:00Z", value=h) for h in range(6)])
    start, end = dt.datetime(2026, 7, 2, 1, tzinfo=UTC), dt.datetime(2026, 7, 2, 4, tzinfo=UTC)
    series = read(world, station_readings, "RG-1", "rainfall", start, end)
    assert [(p[0].hour, p[1]) for p in series.points] == [(1, 1.0), (2, 2.0), (3, 3.0)]  # [from, to)
    with pytest.raises(FieldError):
        read(world, station_readings, "RG-1", "rainfall", end, start)
    with pytest.raises(FieldError):
        read(world, station_readings, "NOPE", "rainfall", start, end)


def test_who_may_ingest_and_township_staff_read_their_own(world):
    for role in ("viewer", "planner", "township"):
        who = principal_for(world, role, "500114003" if role == "township" else None)
        with pytest.raises(Forbidden):
            call_as(world, who, ingest, [r()])
    for role in ("duty", "commander"):
        call_as(world, principal_for(world, role), ingest, [r(value=1.5)])
    assert count(world) == 1
    mine = add_stations(world, {"OWN-1": ("雨量", 60)}, township="500114003")
    township = principal_for(world, "township", "500114003")
    assert [s.code for s in call_as(world, township, list_stations, write=False)] == ["OWN-1"]
    with pytest.raises(Forbidden):
        call_as(world, township, station_readings, "RG-1", "rainfall", write=False)
    assert mine and call_as(world, township, station_readings, "OWN-1", "rainfall", write=False).points == ()


def test_two_clients_posting_one_batch_at_once_both_succeed_and_it_is_stored_once(world):
    base = dt.datetime(2026, 7, 1, tzinfo=UTC)
    batch = [r(code, (base + dt.timedelta(minutes=10 * k)).isoformat(), value=k % 50)
             for code in ("RG-1", "RG-2", "WX-1") for k in range(300)]
    barrier, outcomes = threading.Barrier(2), []

    def post() -> None:
        barrier.wait()
        try:
            outcomes.append(call(world, ingest, batch))
        except Exception as exc:  # noqa: BLE001 — a failure is the test's finding
            outcomes.append(exc)

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert all(not isinstance(o, Exception) for o in outcomes), outcomes
    assert sorted((o.stored, o.duplicates) for o in outcomes) == [(0, 900), (900, 0)]
    assert count(world) == 900


def test_two_clients_with_different_values_for_one_key_one_is_refused(world):
    barrier, outcomes = threading.Barrier(2), []

    def post(value: float) -> None:
        barrier.wait()
        try:
            outcomes.append(call(world, ingest, [r(value=value)] + [r(at=f"2026-07-01T0{h}:00Z") for h in range(5)]))
        except Conflict as exc:
            outcomes.append(exc)

    threads = [threading.Thread(target=post, args=(v,)) for v in (1.0, 2.0)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(type(o).__name__ for o in outcomes) == ["Conflict", "IngestResult"]
    assert count(world) == 6


def test_every_station_kind_measures_known_reading_kinds():
    assert set(vocabulary.STATION_READING_KINDS) == set(vocabulary.STATION_KINDS)
    assert all(set(kinds) <= set(vocabulary.READING_KINDS) for kinds in vocabulary.STATION_READING_KINDS.values())
    assert set(vocabulary.READING_RANGES) == set(vocabulary.READING_KINDS)


def test_random_batches_against_a_dictionary_oracle(world):
    """Batches drawn at random (repeats of stored readings, repeats inside a batch, late readings, two drills): the
    table ends equal to a dictionary fed the same readings, and each station's newest live time is the maximum."""
    import random
    rng = random.Random(20261207)
    codes = {"RG-1": "rainfall", "RG-2": "rainfall", "HY-1": "water_level", "WX-1": "temperature"}
    oracle: dict[tuple, float] = {}
    for _ in range(12):
        drill = rng.choice((0, 0, 3))
        batch, expected_new = [], 0
        for _ in range(rng.randint(1, 40)):
            code = rng.choice(list(codes))
            at = dt.datetime(2026, 7, 1, tzinfo=UTC) + dt.timedelta(minutes=10 * rng.randint(0, 60))
            key = (code, codes[code], at, drill)
            value = oracle.get(key, round(rng.uniform(0, 50), 1))  # a key seen keeps its value: a duplicate
            batch.append({"station": code, "kind": codes[code], "at": at.astimezone(
                dt.timezone(dt.timedelta(hours=rng.choice((-5, 0, 8))))).isoformat(), "value": value})
            if key not in oracle:
                oracle[key], expected_new = value, expected_new + 1
        result = call(world, ingest, batch, drill)
        assert (result.stored, result.stored + result.duplicates) == (expected_new, len(batch))
    assert stored(world) == sorted([(c, k, at, v, d) for (c, k, at, d), v in oracle.items()],
                                   key=lambda row: (row[4], row[0], row[1], row[2]))
    for code in codes:
        live = [at for (c, _, at, d) in oracle if c == code and d == 0]
        assert last_reading(world, code) == (max(live) if live else None)


def test_the_details_of_a_station_show_its_status_and_latest_reading_in_local_time(world):
    from services.map.features import feature_details
    ids = add_stations(world, {"RG-9": ("雨量", 60)})
    call(world, ingest, [r("RG-9", at="2026-07-02T00:00Z")])
    details = read(world, feature_details, "stations", ids["RG-9"])
    shown = {field: value for field, _, _, value in details.fields}
    assert shown["last_reading_at"] == "2026-07-02 08:00" and shown["interval_min"] == 60
    assert shown["status"] == "离线"  # July is long ago; recorded 正常
