"""The rule of 风险感知 on both back-ends with hand-computed values: rolling rainfall sums (window edges, gaps, a late
reading, incomplete flags), water levels (freshness, 保证水位 floor), displacement rate over a gap, crack width,
inheritance of thresholds, several stations, drills apart, and the level bands at their exact edges.

Readings are inserted directly (tests/services/monitoring_world.py); thresholds through the service."""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from config_monitoring import MonitoringRules
from services.db.uow import unit_of_work
from services.models import Reading
from services.monitoring import accumulate as A
from services.monitoring.rules import evaluate
from services.monitoring.thresholds import ThresholdInput, set_thresholds
from tests.conftest import call, read
from tests.services.monitoring_world import GEO, HOME, HYDRO, RAIN, T, add_readings, add_world, minutes

LON, LAT = 108.7869, 29.5251


@pytest.fixture
def world(fresh):
    """H1 watched by rain gauge R (10 min), hydrology W (60 min) and geology G (60 min); H2 by R only."""
    ids = add_world(fresh, [("H1", LON, LAT, HOME), ("H2", LON + 0.01, LAT, HOME)],
                    [("R", RAIN, LON, LAT, 10, HOME), ("W", HYDRO, LON, LAT, 60, HOME),
                     ("G", GEO, LON, LAT, 60, HOME), ("R2", RAIN, LON, LAT, 60, HOME)],
                    [("H1", "R"), ("H1", "W"), ("H1", "G"), ("H2", "R")])
    return fresh, ids


def _set(settings, *items):
    call(settings, set_thresholds, [ThresholdInput(*i) if isinstance(i, tuple) else i for i in items])


def _by_hazard(settings, ids, now=T, **kw):
    names = {ids[code]: code for code in ("H1", "H2")}  # hazard and station ids overlap: hazard codes only
    return {names[c.hazard_point_id]: c for c in read(settings, evaluate, now=now, **kw)}


def _metric(candidate, metric):
    return next(m for m in candidate.metrics if m.metric == metric)


RAIN_AT = [(-24 * 60, 50.0), (-23 * 60 - 50, 2.0), (-180, 4.0), (-170, 1.5), (-60, 3.0), (-50, 2.5), (-20, 1.0),
           (0, 0.5), (10, 9.0)]  # minutes from T, mm


def test_rolling_sums_by_hand_with_edges_gaps_and_a_late_reading(world):
    settings, ids = world
    add_readings(settings, [(ids["R"], "rainfall", T + minutes(m), v) for m, v in RAIN_AT])
    _set(settings, ThresholdInput("rain_1h", 5.0, hazard="H1"), ThresholdInput("rain_3h", 8.5, station="R"))
    # 1 h: T−60 is out (the interval before), T is in, T+10 is the future: 2.5 + 1.0 + 0.5 = 4.0 (3 of 6 readings)
    # 3 h: T−180 is out: 1.5 + 3.0 + 2.5 + 1.0 + 0.5 = 8.5 (5 of 18); 24 h: T−24h is out: 2.0 + 4.0 + 8.5 = 14.5
    h1 = _by_hazard(settings, ids)["H1"]
    one, three = _metric(h1, "rain_1h"), _metric(h1, "rain_3h")
    assert (one.observed, one.threshold, one.complete) == (4.0, 5.0, False)  # ratio 0.8: no level of its own
    assert (three.observed, three.threshold, three.complete) == (8.5, 8.5, False)
    assert h1.level == "橙" and h1.decisive.metric == "rain_3h" and h1.decisive.ratio == 1.0
    assert h1.decisive.station_id == ids["R"] and h1.decisive.observed_at == T
    # a late reading for T−40 arrives: 1 h = 4.0 + 2.0 = 6.0 (ratio 1.2), 3 h = 10.5 (ratio 10.5 / 8.5 = 1.235…)
    add_readings(settings, [(ids["R"], "rainfall", T - minutes(40), 2.0)])
    h1 = _by_hazard(settings, ids)["H1"]
    assert _metric(h1, "rain_1h").observed == 6.0 and _metric(h1, "rain_3h").observed == 10.5
    assert h1.decisive.metric == "rain_3h" and h1.decisive.ratio == pytest.approx(10.5 / 8.5)
    # H2 has no threshold of its own: it inherits R's rain_3h (8.5), and rain_1h (the point's own of H1) is not H2's
    h2 = _by_hazard(settings, ids)["H2"]
    assert [m.metric for m in h2.metrics] == ["rain_3h"] and h2.level == "橙"
    # the numpy oracle agrees with the SQL aggregate: sums over (T − w, T]
    at = np.array([(T + minutes(m)).timestamp() for m, _ in RAIN_AT + [(-40, 2.0)]])
    value = np.array([v for _, v in RAIN_AT + [(-40, 2.0)]])
    sums, counts = A.window_totals(np.zeros(len(at), int), at, value, 1, T.timestamp(), (3600, 10800, 86400))
    assert sums[0].tolist() == [6.0, 10.5, 16.5] and counts[0].tolist() == [4, 6, 8]


def test_a_duplicate_reading_is_refused_by_the_database_and_counted_once(world):
    settings, ids = world
    add_readings(settings, [(ids["R"], "rainfall", T - minutes(10), 3.0), (ids["R"], "rainfall", T, 2.0)])
    _set(settings, ThresholdInput("rain_1h", 5.0, station="R"))
    with pytest.raises(IntegrityError):  # the same station, kind and time again (a resent batch's row)
        add_readings(settings, [(ids["R"], "rainfall", T, 2.0)])
    h1 = _by_hazard(settings, ids)["H1"]
    assert h1.decisive.observed == 5.0 and h1.decisive.ratio == 1.0  # 3.0 + 2.0, not 7.0
    add_readings(settings, [(ids["R"], "rainfall", T, 2.0)], drill_id=1)  # a drill's copy is its own row
    assert _by_hazard(settings, ids)["H1"].decisive.observed == 5.0


def test_a_complete_hourly_gauge_and_the_24h_window(world):
    settings, ids = world
    # R2 reads every hour, 1 mm each, T−23h … T (24 readings) and one at T−24h (out): all windows complete
    add_readings(settings, [(ids["R2"], "rainfall", T - minutes(60 * k), 1.0) for k in range(25)])
    add_world(settings, [], [], [("H2", "R2")])
    _set(settings, ThresholdInput("rain_24h", 24.0, station="R2"), ThresholdInput("rain_1h", 1.0, station="R2"))
    h2 = _by_hazard(settings, ids)["H2"]
    day, hour = _metric(h2, "rain_24h"), _metric(h2, "rain_1h")
    assert (day.observed, day.complete, hour.observed, hour.complete) == (24.0, True, 1.0, True)
    assert h2.level == "橙"
    # one hour missing (T−5h): 23 mm, incomplete; the 1 h window is not touched
    with unit_of_work(settings, write=True) as uow:
        uow.session.execute(delete(Reading).where(Reading.station_id == ids["R2"], Reading.at == T - minutes(300)))
    h2 = _by_hazard(settings, ids)["H2"]
    assert (_metric(h2, "rain_24h").observed, _metric(h2, "rain_24h").complete) == (23.0, False)
    assert _metric(h2, "rain_1h").complete


def test_water_levels_freshness_and_the_guarantee_floor(world):
    """A water level is judged on its stage: 1 + (level − 警戒水位) / (保证水位 − 警戒水位), here span 10 m."""
    settings, ids = world
    _set(settings, ThresholdInput("water_warning", 100.0, station="W"),
         ThresholdInput("water_guarantee", 110.0, station="W"))
    add_readings(settings, [(ids["W"], "water_level", T - minutes(180), 200.0),
                            (ids["W"], "water_level", T - minutes(120), 150.0)])
    assert "H1" not in _by_hazard(settings, ids)  # newest is exactly 2 intervals old: out (T − 2 × 60 < at ≤ T)
    add_readings(settings, [(ids["W"], "water_level", T - minutes(90), 99.5)])
    h1 = _by_hazard(settings, ids)["H1"]
    # 1 + (99.5 − 100) / 10 = 0.95 → 黄 (0.9 band); 99.5 / 100 would have been 0.995 whatever the span
    assert h1.level == "黄" and h1.decisive.metric == "water_warning" and h1.decisive.observed == 99.5
    assert h1.decisive.ratio == pytest.approx(0.95) and _metric(h1, "water_guarantee").ratio == pytest.approx(-0.05)
    assert h1.decisive.observed_at == T - minutes(90)
    add_readings(settings, [(ids["W"], "water_level", T - minutes(60), 95.0)])
    assert "H1" not in _by_hazard(settings, ids)  # 1 + (95 − 100) / 10 = 0.5: under every band
    add_readings(settings, [(ids["W"], "water_level", T - minutes(30), 111.0)])
    # 警戒: 1 + 11 / 10 = 2.1 → 红 with the default bands (保证水位 passed)
    h1 = _by_hazard(settings, ids)["H1"]
    assert h1.level == "红" and h1.decisive.metric == "water_warning"
    assert _metric(h1, "water_warning").ratio == pytest.approx(2.1)
    assert _metric(h1, "water_guarantee").ratio == pytest.approx(1.1)
    # bands where 2.1 is only 黄: 111 ≥ 保证水位 110 → at least 橙 (the guarantee floor) decides
    custom = dataclasses.replace(settings, monitoring=MonitoringRules(bands=((3.0, "红"), (2.5, "橙"), (1.0, "黄"))))
    h1 = _by_hazard(custom, ids)["H1"]
    assert h1.level == "橙" and h1.decisive.metric == "water_guarantee"


def test_a_single_water_threshold_uses_the_configured_span(world):
    settings, ids = world
    _set(settings, ThresholdInput("water_warning", 321.0, station="W"))  # an elevation: 警戒水位 321 m
    add_readings(settings, [(ids["W"], "water_level", T - minutes(30), 320.5)])
    assert "H1" not in _by_hazard(settings, ids)  # 1 + (320.5 − 321) / 1.0 = 0.5; 320.5 / 321 = 0.998 is not used
    add_readings(settings, [(ids["W"], "water_level", T - minutes(10), 320.95)])
    h1 = _by_hazard(settings, ids)["H1"]
    assert h1.level == "黄" and h1.decisive.ratio == pytest.approx(0.95)
    wide = dataclasses.replace(settings, monitoring=MonitoringRules(water_span_m=0.25))
    assert "H1" not in _by_hazard(wide, ids)  # a narrower span: 1 − 0.05 / 0.25 = 0.8, under the 黄 band
def test_displacement_rate_over_a_gap_and_crack_width(world):
    settings, ids = world
    _set(settings, ThresholdInput("displacement_rate", 10.0, station="G"), ThresholdInput("crack_width", 2.0,
                                                                                          hazard="H1"))
    # baseline nearest T−24h: T−26h (2 h away) beats T−21h (3 h away); rate = |22 − 10| mm over the 25 h 50 min from
    # T−26h to T−10min, × 24 h / 25 h 50 min = 11.148… mm/24h
    add_readings(settings, [(ids["G"], "displacement", T - minutes(26 * 60), 10.0),
                            (ids["G"], "displacement", T - minutes(21 * 60), 14.0),
                            (ids["G"], "displacement", T - minutes(10), 22.0)])
    h1 = _by_hazard(settings, ids)["H1"]
    rate = _metric(h1, "displacement_rate")
    assert rate.observed == pytest.approx(12 * 86400 / (26 * 3600 - 600))  # the real span: T−26h to T−10 min
    assert rate.complete is False and h1.level == "橙"  # baseline 2 h from T−24h: further than one interval
    add_readings(settings, [(ids["G"], "crack_width", T - minutes(5), 5.0)])
    h1 = _by_hazard(settings, ids)["H1"]
    assert h1.decisive.metric == "crack_width" and h1.level == "红" and h1.decisive.ratio == 2.5
    # 9 h later the target is T−15h: T−21h is exactly 6 h (the tolerance) away, out; T−10min 14 h 50 away: no
    # baseline, no rate; and the crack width of T−5min is over 2 intervals old: nothing is evaluated
    later = T + minutes(9 * 60)
    add_readings(settings, [(ids["G"], "displacement", later - minutes(5), 30.0)])
    assert "H1" not in _by_hazard(settings, ids, now=later)


def test_own_threshold_beats_the_stations_and_the_worst_station_counts(world):
    settings, ids = world
    add_world(settings, [], [], [("H1", "R2")])
    _set(settings, ThresholdInput("rain_1h", 100.0, station="R"), ThresholdInput("rain_1h", 4.0, hazard="H1"))
    add_readings(settings, [(ids["R"], "rainfall", T - minutes(5), 3.0), (ids["R2"], "rainfall", T, 4.5)])
    found = _by_hazard(settings, ids)
    h1 = found["H1"]
    assert h1.decisive.threshold == 4.0 and h1.decisive.station_id == ids["R2"] and h1.decisive.ratio == 1.125
    assert "H2" not in found  # H2 inherits R's 100 mm: 3 / 100 proposes nothing
    assert _by_hazard(settings, ids, hazard_ids=[ids["H2"]]) == {}
    assert set(_by_hazard(settings, ids, hazard_ids=[ids["H1"]])) == {"H1"}
    add_readings(settings, [(ids["R"], "rainfall", T, 500.0)], drill_id=3)  # a drill's readings stay apart
    assert _by_hazard(settings, ids)["H1"].decisive.ratio == 1.125
    drill = _by_hazard(settings, ids, drill_id=3)
    assert drill["H1"].drill_id == 3 and drill["H1"].decisive.observed == 500.0 and drill["H2"].level == "红"


@pytest.mark.parametrize("observed, level", [(8.99, None), (9.0, "黄"), (10.0, "橙"), (19.99, "橙"), (20.0, "红")])
def test_default_bands_at_their_edges(world, observed, level):
    settings, ids = world
    _set(settings, ThresholdInput("rain_1h", 10.0, station="R"))
    add_readings(settings, [(ids["R"], "rainfall", T, observed)])
    found = _by_hazard(settings, ids)
    assert (found["H1"].level if "H1" in found else None) == level
    assert settings.monitoring.level_for(observed / 10.0) == level


def test_a_custom_band_configuration(world):
    settings, ids = world
    custom = dataclasses.replace(settings, monitoring=MonitoringRules(
        bands=((3.0, "红"), (1.5, "橙"), (1.0, "黄"), (0.5, "蓝"))))
    _set(settings, ThresholdInput("rain_1h", 10.0, station="R"))
    for k, (observed, level) in enumerate([(4.9, None), (5.0, "蓝"), (10.0, "黄"), (15.0, "橙"), (30.0, "红")]):
        add_readings(settings, [(ids["R"], "rainfall", T + minutes(60 * k), observed)])
        found = _by_hazard(custom, ids, now=T + minutes(60 * k))
        assert (found["H1"].level if "H1" in found else None) == level, observed
    ratios = np.array([0.4999, 0.5, 1.0, 1.4999, 1.5, 3.0, np.nan, np.inf])
    bands = custom.monitoring.bands
    assert [bands[i][1] if i >= 0 else None for i in A.band_index(ratios, bands)] == \
        [custom.monitoring.level_for(r) if np.isfinite(r) else None for r in ratios]
    with pytest.raises(ValueError):
        MonitoringRules(bands=((1.0, "黄"), (2.0, "红")))  # not descending
