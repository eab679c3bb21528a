"""Thresholds of hazard points and stations on both back-ends: set (upsert), list, remove, value checks naming the
item and field, all or nothing, 保证水位 ≥ 警戒水位, inheritance, permissions and township scope, concurrent setters,
and the explicit and nearest-station assignments (against a brute-force oracle).

Outcomes are read back by direct SQL (threshold rows, audit rows, assignment rows)."""
from __future__ import annotations

import numpy as np
import pytest
from pyproj import Transformer
from sqlalchemy import text

from geo.distance import haversine_m
from services.db import read_session
from services.db.uow import unit_of_work
from services.errors import FieldError, Forbidden, NotFound
from services.monitoring import assignments as S
from services.monitoring import thresholds as TH
from services.monitoring.thresholds import ThresholdInput as I
from tests.conftest import call, call_as, principal_for, read
from tests.services.monitoring_world import AWAY, GEO, HOME, HYDRO, QUAKE, RAIN, WEATHER, add_world
from tests.services.test_concurrency import race

LON, LAT = 108.7869, 29.5251


def _rows(settings, sql: str, **params):
    with read_session(settings.database_url) as session:
        return session.execute(text(sql), params).all()


@pytest.fixture
def world(fresh):
    ids = add_world(fresh, [("H1", LON, LAT, HOME), ("H9", LON, LAT - 0.01, AWAY)],
                    [("R", RAIN, LON, LAT, 5, HOME), ("W", HYDRO, LON + 0.001, LAT, 60, HOME),
                     ("Q", QUAKE, LON, LAT, 60, HOME), ("RA", RAIN, LON, LAT - 0.01, 60, AWAY)],
                    [("H1", "R"), ("H1", "W")])
    return fresh, ids


def _thresholds(settings):
    return sorted(_rows(settings, "SELECT coalesce(h.code, s.code), t.metric, t.value FROM threshold t "
                                  "LEFT JOIN hazard_point h ON h.id = t.hazard_point_id "
                                  "LEFT JOIN monitoring_station s ON s.id = t.station_id"))


def test_set_replace_list_and_remove(world):
    settings, _ = world
    call(settings, TH.set_thresholds, [I("rain_1h", 30.0, hazard="H1"), I("rain_24h", 120.0, station="R")])
    call(settings, TH.set_thresholds, [I("rain_1h", 35.0, hazard="H1")])  # replaces, no second row
    assert _thresholds(settings) == [("H1", "rain_1h", 35.0), ("R", "rain_24h", 120.0)]
    listed = read(settings, TH.list_thresholds, hazard="H1")
    assert [(r.owner, r.code, r.metric, r.value, r.unit) for r in listed] == [("hazard", "H1", "rain_1h", 35.0, "mm")]
    assert len(read(settings, TH.list_thresholds)) == 2
    audit = _rows(settings, "SELECT action, entity_key, detail FROM audit_log WHERE action LIKE 'threshold%' "
                            "ORDER BY id")
    assert [(a, k) for a, k, _ in audit] == [("threshold_set", "H1"), ("threshold_set", "R"), ("threshold_set", "H1")]
    assert '"from": 30.0' in audit[2][2] and '"to": 35.0' in audit[2][2]
    call(settings, TH.remove_threshold, "rain_1h", hazard="H1")
    assert _thresholds(settings) == [("R", "rain_24h", 120.0)]
    with pytest.raises(NotFound) as err:
        call(settings, TH.remove_threshold, "rain_1h", hazard="H1")
    assert err.value.field == "metric"


@pytest.mark.parametrize("items, field, code", [
    ([I("rain_1h", 0.0, hazard="H1")], "thresholds.0.value", "monitoring.threshold_range"),
    ([I("rain_1h", 30.0, hazard="H1"), I("rain_1h", -1.0, hazard="H1")], "thresholds.1.value",
     "monitoring.threshold_range"),
    ([I("rain_1h", 501.0, hazard="H1")], "thresholds.0.value", "monitoring.threshold_range"),
    ([I("rain_1h", float("nan"), hazard="H1")], "thresholds.0.value", "monitoring.threshold_range"),
    ([I("rain_2h", 3.0, hazard="H1")], "thresholds.0.metric", "monitoring.metric_unknown"),
    ([I("rain_1h", 3.0)], "thresholds.0.hazard", "monitoring.one_owner"),
    ([I("rain_1h", 3.0, hazard="H1", station="R")], "thresholds.0.hazard", "monitoring.one_owner"),
    ([I("rain_1h", 3.0, hazard="H1"), I("rain_1h", 4.0, hazard="H1")], "thresholds.1.metric",
     "monitoring.threshold_twice"),
    ([I("rain_1h", 3.0, hazard="H1"), I("rain_1h", 3.0, hazard="NOPE")], "thresholds.1.hazard",
     "monitoring.hazard_not_found"),
    ([I("rain_1h", 3.0, station="NOPE")], "thresholds.0.station", "monitoring.station_not_found"),
    ([I("water_warning", 3.0, station="R")], "thresholds.0.metric", "monitoring.metric_not_of_station"),
    ([I("rain_1h", 3.0, hazard="H1"), I("water_warning", 300.0, hazard="H1"), I("water_guarantee", 299.0, hazard="H1")],
     "thresholds.2.value", "monitoring.guarantee_below_warning"),
    ([], "thresholds", "monitoring.thresholds_empty"),
])
def test_bad_items_are_refused_by_name_and_nothing_is_written(world, items, field, code):
    settings, _ = world
    with pytest.raises(FieldError) as err:
        call(settings, TH.set_thresholds, items)
    assert (err.value.field, err.value.code) == (field, code)
    assert err.value.reason and err.value.reason_en
    assert _thresholds(settings) == [] and not _rows(settings, "SELECT 1 FROM audit_log WHERE action = 'threshold_set'")


def test_guarantee_is_checked_against_the_stored_warning_level(world):
    settings, _ = world
    call(settings, TH.set_thresholds, [I("water_warning", 300.0, station="W")])
    with pytest.raises(FieldError) as err:
        call(settings, TH.set_thresholds, [I("water_guarantee", 250.0, station="W")])
    assert err.value.field == "thresholds.0.value"
    call(settings, TH.set_thresholds, [I("water_guarantee", 300.0, station="W")])  # equal is allowed
    assert _thresholds(settings) == [("W", "water_guarantee", 300.0), ("W", "water_warning", 300.0)]


def test_the_points_own_threshold_beats_the_stations(world):
    settings, _ = world
    call(settings, TH.set_thresholds, [I("rain_1h", 40.0, station="R"), I("rain_3h", 70.0, station="R"),
                                       I("rain_1h", 25.0, hazard="H1"), I("water_warning", 310.0, station="W")])
    effective = read(settings, TH.effective_thresholds, "H1")
    assert [(e.metric, e.value, e.source, e.station) for e in effective] == [
        ("rain_1h", 25.0, "hazard", None), ("rain_3h", 70.0, "station", "R"), ("water_warning", 310.0, "station", "W")]


def test_permissions_and_township_scope(world):
    settings, _ = world
    for role in ("duty", "commander", "viewer", "township"):
        with pytest.raises(Forbidden):
            call_as(settings, principal_for(settings, role, HOME if role == "township" else None),
                    TH.set_thresholds, [I("rain_1h", 30.0, hazard="H1")])
    call_as(settings, principal_for(settings, "planner"), TH.set_thresholds,
            [I("rain_1h", 30.0, hazard="H1"), I("rain_1h", 31.0, hazard="H9"), I("rain_1h", 32.0, station="RA")])
    home = principal_for(settings, "township", HOME)
    assert [r.code for r in call_as(settings, home, TH.list_thresholds, write=False)] == ["H1"]
    with pytest.raises(Forbidden):
        call_as(settings, home, TH.list_thresholds, hazard="H9", write=False)
    with pytest.raises(Forbidden):
        call_as(settings, home, TH.effective_thresholds, "H9", write=False)
    assert len(call_as(settings, principal_for(settings, "viewer"), TH.list_thresholds, write=False)) == 3
    actors = {a for (a,) in _rows(settings, "SELECT actor FROM audit_log WHERE action = 'threshold_set'")}
    assert actors == {"t-planner-all"}


def test_two_setters_of_one_threshold_at_once_leave_one_row(world):
    settings, _ = world
    outcomes = race(6, lambda i: call(settings, TH.set_thresholds, [I("rain_1h", 10.0 + i, hazard="H1")]))
    assert all(kind == "ok" for kind, _ in outcomes)
    rows = _thresholds(settings)
    assert len(rows) == 1 and rows[0][2] in {10.0 + i for i in range(6)}
    assert len(_rows(settings, "SELECT 1 FROM audit_log WHERE action = 'threshold_set'")) == 6


def test_warning_and_guarantee_set_at_once_never_cross(world):
    settings, _ = world
    items = [[I("water_warning", 300.0, station="W")], [I("water_guarantee", 290.0, station="W")]]
    outcomes = race(2, lambda i: call(settings, TH.set_thresholds, items[i]))
    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"]
    assert len(_thresholds(settings)) == 1


# which stations watch a point


def test_explicit_assignment_replaces_the_nearest_of_its_kind_and_falls_back(world):
    settings, ids = world
    with unit_of_work(settings, write=True) as uow:  # a waterlogging point: hydrological stations watch it too
        uow.session.execute(text("UPDATE hazard_point SET hazard_type = '易涝点' WHERE code = 'H9'"))
    call(settings, S.assign_by_distance)
    # H9 (away) had no explicit station: its nearest rain gauge is RA (at the same spot), hydrology W about 1.1 km
    pairs = set(_rows(settings, "SELECT h.code, s.code, a.assigned FROM hazard_station a JOIN hazard_point h ON "
                                "h.id = a.hazard_point_id JOIN monitoring_station s ON s.id = a.station_id"))
    assert ("H9", "RA", "distance") in pairs and ("H9", "W", "distance") in pairs
    assert not any(p[0] == "H1" and p[2] == "distance" for p in pairs)  # H1's kinds are all explicit
    assert not any(p[1] == "Q" for p in pairs)  # an earthquake station watches nothing
    call(settings, S.assign_station, "H9", "R")
    assert set(_rows(settings, "SELECT s.code, a.assigned FROM hazard_station a JOIN monitoring_station s ON "
                               "s.id = a.station_id WHERE a.hazard_point_id = :h", h=ids["H9"])) == {
        ("R", "explicit"), ("W", "distance")}
    with pytest.raises(FieldError) as err:
        call(settings, S.assign_station, "H9", "Q")
    assert err.value.field == "station"
    with pytest.raises(NotFound):
        call(settings, S.assign_station, "H9", "NOPE")
    assert call(settings, S.unassign_station, "H9", "R") == 1
    assert ("RA", "distance") in set(_rows(settings, "SELECT s.code, a.assigned FROM hazard_station a JOIN "
                                                     "monitoring_station s ON s.id = a.station_id WHERE "
                                                     "a.hazard_point_id = :h", h=ids["H9"]))
    with pytest.raises(Forbidden):
        call_as(settings, principal_for(settings, "duty"), S.assign_by_distance)


def test_nearest_station_by_kind_agrees_with_brute_force(fresh):
    rng = np.random.default_rng(15)
    kinds = (RAIN, WEATHER, HYDRO, GEO, QUAKE)
    lon, lat = rng.uniform(108.5, 109.0, 400), rng.uniform(29.2, 29.7, 400)
    slon, slat = rng.uniform(108.5, 109.0, 80), rng.uniform(29.2, 29.7, 80)
    skind = [kinds[i % len(kinds)] for i in range(80)]
    add_world(fresh, [(f"P{i}", lon[i], lat[i], HOME) for i in range(400)],
              [(f"S{i}", skind[i], slon[i], slat[i], 60, HOME) for i in range(80)],
              [(f"P{i}", "S0") for i in range(0, 400, 7)])  # explicit rain gauges for every 7th point
    with unit_of_work(fresh, write=True) as uow:  # every other point a waterlogging point (water levels matter)
        uow.session.execute(text("UPDATE hazard_point SET hazard_type = '易涝点' WHERE CAST(substr(code, 2) AS "
                                 "INTEGER) % 2 = 0"))
    result = call(fresh, S.assign_by_distance)
    got = {(h, s): d for h, s, d in _rows(fresh, "SELECT h.code, s.code, a.distance_m FROM hazard_station a JOIN "
                                                 "hazard_point h ON h.id = a.hazard_point_id JOIN monitoring_station s "
                                                 "ON s.id = a.station_id WHERE a.assigned = 'distance'")}
    to_m = Transformer.from_crs("EPSG:4326", "EPSG:4545", always_xy=True)
    px, py = to_m.transform(lon, lat)
    sx, sy = to_m.transform(slon, slat)
    radius = fresh.monitoring.assign_radius_m
    geo_codes = {f"S{j}" for j in range(80) if skind[j] == GEO}
    expected = {}
    for i in range(400):  # every point against every station: no tree
        for kind in (RAIN, WEATHER, HYDRO, GEO):
            if kind == RAIN and i % 7 == 0 or kind == HYDRO and i % 2:
                continue  # an explicit rain gauge; a landslide is not judged on a water level by distance
            best = min(((np.hypot(px[i] - sx[j], py[i] - sy[j]), j) for j in range(80) if skind[j] == kind))
            # a geological monitor watches only the slope it stands on: within the point's radius (50 m here)
            if best[0] <= (50.0 if kind == GEO else radius):
                expected[(f"P{i}", f"S{best[1]}")] = best[0]
    assert set(got) == set(expected) and len(expected) > 100
    assert not any(s in geo_codes for _, s in got)  # 80 random stations: none within 50 m of a point
    assert all(abs(got[k] - expected[k]) < 1e-6 for k in got)
    assert all(abs(d - haversine_m(lon[int(h[1:])], lat[int(h[1:])], slon[int(s[1:])], slat[int(s[1:])])) < 0.003 * d
               + 1 for (h, s), d in got.items())  # Gauss-Krüger metres are great-circle metres here
    assert result.added == len(expected) and sum(result.by_kind.values()) == len(expected)
    again = call(fresh, S.assign_by_distance)
    assert (again.removed, again.added) == (len(expected), len(expected))


def test_a_geological_monitor_watches_only_the_slope_it_stands_on(fresh):
    """Within a point's influence radius a GNSS monitor watches it; 2 km away (a rain gauge would) it does not."""
    add_world(fresh, [("ON", 108.80, 29.50, HOME), ("FAR", 108.82, 29.50, HOME)],
              [("G1", GEO, 108.8002, 29.5002, 10, HOME), ("R1", RAIN, 108.8002, 29.5002, 5, HOME)])
    call(fresh, S.assign_by_distance)
    got = set(_rows(fresh, "SELECT h.code, s.code FROM hazard_station a JOIN hazard_point h ON h.id = a.hazard_point_id"
                           " JOIN monitoring_station s ON s.id = a.station_id"))
    assert got == {("ON", "G1"), ("ON", "R1"), ("FAR", "R1")}  # G1 is 28 m from ON, 1.9 km from FAR
