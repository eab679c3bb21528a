"""The series of the station and hazard charts on both back-ends: readings in the window, rolling rain sums and the
displacement rate against a plain loop over the inserted readings, the thresholds that apply (a point's own beats
an inherited one), township scope, drills kept apart, and an empty window."""
from __future__ import annotations

import datetime as dt
import random

import pytest

from services.errors import FieldError, Forbidden, NotFound
from services.monitoring.charts import chart_series
from services.monitoring.thresholds import ThresholdInput as I
from services.monitoring.thresholds import set_thresholds
from tests.conftest import call, call_as, principal_for, read
from tests.services.monitoring_world import AWAY, GEO, HOME, HYDRO, RAIN, T, add_readings, add_world, minutes

LON, LAT = 108.7869, 29.5251
HOUR = dt.timedelta(hours=1)


@pytest.fixture
def world(fresh):
    ids = add_world(fresh, [("H1", LON, LAT, HOME), ("H9", LON, LAT - 0.05, AWAY)],
                    [("R", RAIN, LON, LAT, 10, HOME), ("W", HYDRO, LON + 0.001, LAT, 60, HOME),
                     ("G", GEO, LON, LAT + 0.0001, 60, HOME), ("RA", RAIN, LON, LAT - 0.05, 60, AWAY)],
                    [("H1", "R"), ("H1", "W"), ("H1", "G"), ("H9", "RA")])
    rng = random.Random(15)
    rain = [(T - minutes(10 * i), round(rng.choice([0, 0, 0.5, 2.0, 7.5]) * rng.random(), 2)) for i in range(80 * 6)]
    rows = [(ids["R"], "rainfall", at, v) for at, v in rain]
    rows += [(ids["W"], "water_level", T - i * HOUR, 300.0 + 0.05 * (40 - i)) for i in range(80)]
    rows += [(ids["G"], "displacement", T - i * HOUR, 0.5 * (80 - i)) for i in range(80)]  # 0.5 mm/h: 12 mm/24 h
    add_readings(fresh, rows)
    add_readings(fresh, [(ids["R"], "rainfall", T - minutes(5), 99.0)], drill_id=3)  # a drill's: never shown live
    call(fresh, set_thresholds, [I("rain_1h", 20.0, station="R"), I("rain_24h", 80.0, station="R"),
                                 I("water_warning", 301.0, station="W"), I("water_guarantee", 302.5, station="W"),
                                 I("displacement_rate", 10.0, station="G"), I("rain_1h", 15.0, hazard="H1")])
    return fresh, ids, rain


def _line(chart, station: str, kind: str, role: str):
    return next(x for x in chart.lines if (x.station, x.kind, x.role) == (station, kind, role))


def _loop_sum(rain, end: dt.datetime, window: dt.timedelta) -> float:
    total = 0.0
    for at, value in rain:
        if end - window < at <= end:
            total += value
    return total


@pytest.mark.parametrize("hours", [24, 72])
def test_station_rain_bars_and_rolling_sums_equal_a_plain_loop(world, hours):
    settings, _, rain = world
    chart = read(settings, chart_series, station_code="R", hours=hours, now=T)
    start = T - dt.timedelta(hours=hours)
    inside = sorted((at, v) for at, v in rain if start <= at < T)  # [start, end): the reading at T is not yet shown
    bars = _line(chart, "R", "rainfall", "reading")
    assert list(zip(bars.times, bars.values)) == inside and bars.unit == "mm"
    for role, window in (("sum_1h", HOUR), ("sum_24h", 24 * HOUR)):
        line = _line(chart, "R", "rainfall", role)
        assert line.times == bars.times
        assert line.values == pytest.approx([_loop_sum(rain, at, window) for at, _ in inside], abs=1e-9)
    assert {x.role for x in chart.lines} == {"reading", "sum_1h", "sum_24h"}  # no 3 h threshold: no 3 h line
    assert chart.kinds == ("rainfall",) and not chart.empty
    assert [(x.metric, x.value, x.station, x.kind) for x in chart.thresholds] == [
        ("rain_1h", 20.0, "R", "rainfall"), ("rain_24h", 80.0, "R", "rainfall")]
    assert all(99.0 not in x.values for x in chart.lines)  # the drill's reading stays in the drill


def test_hazard_chart_draws_its_watchers_against_its_effective_thresholds(world):
    settings, _, rain = world
    chart = read(settings, chart_series, hazard_code="H1", now=T)
    assert chart.subject == "hazard" and chart.kinds == ("rainfall", "water_level", "displacement")
    got = {(x.metric, x.value, x.station) for x in chart.thresholds}
    assert got == {("rain_1h", 15.0, None), ("rain_24h", 80.0, "R"), ("water_warning", 301.0, "W"),
                   ("water_guarantee", 302.5, "W"), ("displacement_rate", 10.0, "G")}  # own 15 beats R's 20
    inside = sorted((at, v) for at, v in rain if T - 24 * HOUR <= at < T)
    assert _line(chart, "R", "rainfall", "sum_1h").values == pytest.approx(
        [_loop_sum(rain, at, HOUR) for at, _ in inside], abs=1e-9)
    water = _line(chart, "W", "water_level", "reading")
    assert len(water.times) == 24 and water.values[-1] == pytest.approx(300.0 + 0.05 * 39)
    rate = _line(chart, "G", "displacement", "rate_24h")
    assert rate.unit == "mm/24h" and len(rate.values) == 24 and rate.values == pytest.approx([12.0] * 24)
    # the hydrology station reads rain too, but the point's rule takes rain from rain gauges only
    assert not [x for x in chart.lines if x.station == "W" and x.kind == "rainfall"]


def test_a_three_hour_threshold_adds_the_three_hour_sum(world):
    settings, _, rain = world
    call(settings, set_thresholds, [I("rain_3h", 40.0, hazard="H1")])
    chart = read(settings, chart_series, hazard_code="H1", now=T)
    inside = sorted((at, v) for at, v in rain if T - 24 * HOUR <= at < T)
    assert _line(chart, "R", "rainfall", "sum_3h").values == pytest.approx(
        [_loop_sum(rain, at, 3 * HOUR) for at, _ in inside], abs=1e-9)
    station_chart = read(settings, chart_series, station_code="R", now=T)
    assert "sum_3h" not in {x.role for x in station_chart.lines}  # the point's threshold, not the station's


def test_an_empty_window_and_bad_arguments(world):
    settings, _, _ = world
    chart = read(settings, chart_series, hazard_code="H9", now=T)
    assert chart.empty and chart.kinds == () and chart.thresholds == ()
    assert [(x.station, x.kind, x.values) for x in chart.lines] == [("RA", "rainfall", ())]
    later = read(settings, chart_series, station_code="R", now=T + dt.timedelta(days=5))
    assert later.empty and [x.role for x in later.lines] == ["reading"]
    with pytest.raises(FieldError) as err:
        read(settings, chart_series, station_code="R", hours=48, now=T)
    assert err.value.field == "hours"
    with pytest.raises(FieldError):
        read(settings, chart_series, station_code="R", hazard_code="H1")
    with pytest.raises(NotFound):
        read(settings, chart_series, station_code="NOPE")
    with pytest.raises(NotFound):
        read(settings, chart_series, hazard_code="NOPE")


def test_township_staff_see_their_township_only(world):
    settings, _, _ = world
    away = principal_for(settings, "township", AWAY)
    assert call_as(settings, away, chart_series, hazard_code="H9", now=T, write=False).code == "H9"
    for kwargs in ({"hazard_code": "H1"}, {"station_code": "R"}):
        with pytest.raises(Forbidden):
            call_as(settings, away, chart_series, now=T, write=False, **kwargs)
    home = principal_for(settings, "township", HOME)
    assert call_as(settings, home, chart_series, station_code="R", now=T, write=False).kinds == ("rainfall",)
