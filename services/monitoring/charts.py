"""The series a station's or a hazard point's chart draws (风险感知, issue 15 point 5): readings over the last hours,
the rolling sums and rates the rule judges, and the thresholds that apply, as plain dataclasses.

Rainfall readings are amounts per interval (bars); their rolling 1 h / 24 h sums (3 h when a 3 h threshold applies)
are lines, each sum at a reading's time T over the readings with T − W < at ≤ T (services/monitoring/accumulate.py),
so the window is read from 24 h before its start. Displacement is drawn with its rate over 24 h (|Δ| × 24 h / Δt from
the reading nearest T − 24 h within the rule's tolerance), which is what a displacement-rate threshold compares with.
A station's chart has its own thresholds; a hazard point's has its effective ones (own beats inherited,
services/monitoring/thresholds.py) over the readings of the stations watching it (services/monitoring/assignments.py).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from sqlalchemy import select

from services import vocabulary
from services.clock import as_utc, now_utc
from services.db.uow import UnitOfWork
from services.errors import FieldError, NotFound
from services.models import HazardStation, MonitoringStation, Threshold
from services.models.monitoring import Reading
from services.monitoring.assignments import METRIC_READING_KIND, METRIC_STATION_KINDS, hazard_by_code
from services.monitoring.stations import station_readings
from services.monitoring.thresholds import METRIC_UNITS, effective_thresholds

HOURS = (24, 72)
HOUR_S, DAY_S = 3600.0, 86_400.0
SUM_WINDOWS_S = {"sum_1h": HOUR_S, "sum_3h": 3 * HOUR_S, "sum_24h": DAY_S}
# What each threshold is drawn against: the reading kind's panel and the line of that panel it compares with.
METRIC_LINE: dict[str, tuple[str, str]] = {
    "rain_1h": ("rainfall", "sum_1h"), "rain_3h": ("rainfall", "sum_3h"), "rain_24h": ("rainfall", "sum_24h"),
    "water_warning": ("water_level", "reading"), "water_guarantee": ("water_level", "reading"),
    "displacement_rate": ("displacement", "rate_24h"), "crack_width": ("crack_width", "reading"),
}


@dataclass(frozen=True)
class ChartLine:
    """One line (or, for rainfall readings, bars) of a chart: station ``station``'s ``kind`` as ``role`` — its
    readings (``reading``), a rolling rain sum (``sum_1h``, ``sum_3h``, ``sum_24h``) or the 24 h rate of
    displacement (``rate_24h``, in mm/24h) — at UTC times, oldest first."""

    station: str
    station_name: str
    kind: str
    role: str
    unit: str
    times: tuple[dt.datetime, ...]
    values: tuple[float, ...]

    def to_json(self) -> dict:
        return {"station": self.station, "station_name": self.station_name, "kind": self.kind, "role": self.role,
                "unit": self.unit, "points": [{"at": at.isoformat(), "value": None if np.isnan(v) else v}
                                              for at, v in zip(self.times, self.values)]}


@dataclass(frozen=True)
class ChartThreshold:
    """A threshold drawn as a horizontal line on the ``kind`` panel; ``station`` is the station it belongs to (a
    station's own, or inherited by a hazard point), None for a hazard point's own."""

    metric: str
    value: float
    unit: str
    kind: str
    station: str | None

    def to_json(self) -> dict:
        return {"metric": self.metric, "value": self.value, "unit": self.unit, "kind": self.kind,
                "station": self.station}


@dataclass(frozen=True)
class Chart:
    """A station's (``subject`` = ``station``) or a hazard point's (``hazard``) chart over [start, end)."""

    subject: str
    code: str
    name: str
    hours: int
    start: dt.datetime
    end: dt.datetime
    lines: tuple[ChartLine, ...]
    thresholds: tuple[ChartThreshold, ...]

    @property
    def kinds(self) -> tuple[str, ...]:
        """The reading kinds with readings in the window, in the vocabulary's order (one panel each)."""
        shown = {line.kind for line in self.lines if line.role == "reading" and line.values}
        return tuple(k for k in vocabulary.READING_KINDS if k in shown)

    @property
    def empty(self) -> bool:
        return not self.kinds

    def to_json(self) -> dict:
        return {"subject": self.subject, "code": self.code, "name": self.name, "hours": self.hours,
                "from": self.start.isoformat(), "to": self.end.isoformat(), "kinds": list(self.kinds),
                "lines": [x.to_json() for x in self.lines], "thresholds": [x.to_json() for x in self.thresholds]}


def rolling_sums(at_s: np.ndarray, value: np.ndarray, end_s: np.ndarray, window_s: float) -> np.ndarray:
    """For each time in ``end_s``, the sum of the values with ``end − window < at ≤ end`` (``at_s`` ascending)."""
    cumulative = np.concatenate([[0.0], np.cumsum(np.asarray(value, float))])
    high = np.searchsorted(at_s, end_s, side="right")
    low = np.searchsorted(at_s, np.asarray(end_s, float) - window_s, side="right")
    return cumulative[high] - cumulative[low]


def rates_24h(at_s: np.ndarray, value: np.ndarray, end_s: np.ndarray, tolerance_s: float) -> np.ndarray:
    """For each time in ``end_s`` (one of ``at_s``), |Δvalue| × 24 h / Δt from the reading nearest end − 24 h within
    ± ``tolerance_s`` (the earlier on a tie), NaN where none is that near."""
    target = np.asarray(end_s, float) - DAY_S
    right = np.clip(np.searchsorted(at_s, target, side="left"), 0, max(len(at_s) - 1, 0))
    left = np.clip(right - 1, 0, None)
    pick = np.where(np.abs(at_s[left] - target) <= np.abs(at_s[right] - target), left, right)
    near = np.abs(at_s[pick] - target) <= tolerance_s
    end_value = value[np.searchsorted(at_s, end_s, side="left")]
    span = np.asarray(end_s, float) - at_s[pick]
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.abs(end_value - value[pick]) * DAY_S / span
    return np.where(near & (span > 0), rate, np.nan)


def _epoch(times) -> np.ndarray:
    return np.array([as_utc(t).timestamp() for t in times], dtype=float)


def _lines(code: str, name: str, kind: str, points: list[tuple[dt.datetime, float]], start: dt.datetime,
           sums: tuple[str, ...], tolerance_s: float) -> list[ChartLine]:
    """The lines of one station's ``kind`` from its readings ``points`` (read from before ``start`` where a sum or
    rate needs them): the readings in the window, and for rainfall the rolling sums, for displacement the rate."""
    points = [(as_utc(at), v) for at, v in points]
    at_s, value = _epoch(p[0] for p in points), np.array([p[1] for p in points], dtype=float)
    inside = at_s >= start.timestamp()
    times = tuple(p[0] for p, keep in zip(points, inside) if keep)
    unit = vocabulary.READING_UNITS[kind]
    out = [ChartLine(code, name, kind, "reading", unit, times, tuple(value[inside].tolist()))]
    if not times:
        return out
    if kind == vocabulary.READING_RAINFALL:
        out += [ChartLine(code, name, kind, role, unit, times,
                          tuple(rolling_sums(at_s, value, at_s[inside], SUM_WINDOWS_S[role]).tolist()))
                for role in sums]
    elif kind == vocabulary.READING_DISPLACEMENT:
        out.append(ChartLine(code, name, kind, "rate_24h", METRIC_UNITS["displacement_rate"], times,
                             tuple(rates_24h(at_s, value, at_s[inside], tolerance_s).tolist())))
    return out


def _lookback(kind: str, tolerance_s: float) -> dt.timedelta:
    if kind == vocabulary.READING_RAINFALL:
        return dt.timedelta(seconds=DAY_S)
    if kind == vocabulary.READING_DISPLACEMENT:
        return dt.timedelta(seconds=DAY_S + tolerance_s)
    return dt.timedelta(0)


def _sums_for(thresholds: list[ChartThreshold]) -> tuple[str, ...]:
    """The rolling rain sums drawn: 1 h and 24 h always, 3 h when a 3 h threshold applies."""
    return ("sum_1h",) + (("sum_3h",) if any(x.metric == "rain_3h" for x in thresholds) else ()) + ("sum_24h",)


def _window(hours: int, now: dt.datetime | None) -> tuple[dt.datetime, dt.datetime]:
    if hours not in HOURS:
        raise FieldError.of("hours", "chart.hours", allowed=" / ".join(str(h) for h in HOURS))
    end = as_utc(now) if now is not None else now_utc()
    return end - dt.timedelta(hours=hours), end


def station_chart(uow: UnitOfWork, code: str, hours: int, now: dt.datetime | None, drill_id: int) -> Chart:
    """A station's readings of each kind it measures, with its own thresholds (township staff: their township's)."""
    start, end = _window(hours, now)
    uow.principal.require("monitoring.read")
    station = uow.session.scalar(select(MonitoringStation).where(MonitoringStation.code == code))
    if station is None:
        raise NotFound.of("station", "readings.station_not_found", station=code)
    uow.principal.require_township("monitoring.read", station.township_code)
    own = uow.session.execute(select(Threshold.metric, Threshold.value).where(Threshold.station_id == station.id)
                              .order_by(Threshold.metric)).all()
    thresholds = sorted((ChartThreshold(m, v, METRIC_UNITS[m], METRIC_LINE[m][0], station.code) for m, v in own),
                        key=lambda x: vocabulary.THRESHOLD_METRICS.index(x.metric))
    tolerance_s = uow.settings.monitoring.rate_baseline_tolerance_min * 60.0
    lines: list[ChartLine] = []
    for kind in vocabulary.STATION_READING_KINDS[station.kind]:
        series = station_readings(uow, code, kind, start - _lookback(kind, tolerance_s), end, drill_id=drill_id)
        lines += _lines(station.code, station.name, kind, list(series.points), start, _sums_for(thresholds),
                        tolerance_s)
    return Chart("station", station.code, station.name, hours, start, end, tuple(lines), tuple(thresholds))


def hazard_chart(uow: UnitOfWork, code: str, hours: int, now: dt.datetime | None, drill_id: int) -> Chart:
    """A hazard point's watching stations' readings of what its rule judges, against its effective thresholds.

    The readings are one query over all the watching stations: a watcher may stand in the next township, and the
    point's reader may see what the point is judged by (station_readings would refuse a township's staff)."""
    start, end = _window(hours, now)
    uow.principal.require("monitoring.read")
    point = hazard_by_code(uow, code)
    uow.principal.require_township("monitoring.read", point.township_code)
    thresholds = [ChartThreshold(e.metric, e.value, METRIC_UNITS[e.metric], METRIC_LINE[e.metric][0], e.station)
                  for e in effective_thresholds(uow, code)]
    watchers = uow.session.execute(select(MonitoringStation.id, MonitoringStation.code, MonitoringStation.name,
                                          MonitoringStation.kind)
                                   .join(HazardStation, HazardStation.station_id == MonitoringStation.id)
                                   .where(HazardStation.hazard_point_id == point.id)
                                   .order_by(MonitoringStation.code)).all()
    wanted = {(sid, METRIC_READING_KIND[m]) for sid, _, _, kind in watchers
              for m in vocabulary.THRESHOLD_METRICS if kind in METRIC_STATION_KINDS[m]}
    tolerance_s = uow.settings.monitoring.rate_baseline_tolerance_min * 60.0
    points: dict[tuple[int, str], list] = {key: [] for key in wanted}
    if wanted:
        rows = uow.session.execute(
            select(Reading.station_id, Reading.kind, Reading.at, Reading.value)
            .where(Reading.drill_id == drill_id, Reading.station_id.in_({sid for sid, _ in wanted}),
                   Reading.kind.in_({kind for _, kind in wanted}), Reading.at >= start - dt.timedelta(seconds=DAY_S
                                                                                                      + tolerance_s),
                   Reading.at < end)
            .order_by(Reading.station_id, Reading.kind, Reading.at))
        for sid, kind, at, value in rows:
            if (sid, kind) in points and as_utc(at) >= start - _lookback(kind, tolerance_s):
                points[(sid, kind)].append((at, value))
    lines: list[ChartLine] = []
    for sid, station_code, name, _ in watchers:
        for kind in vocabulary.READING_KINDS:
            if (sid, kind) in points:
                lines += _lines(station_code, name, kind, points[(sid, kind)], start, _sums_for(thresholds),
                                tolerance_s)
    thresholds.sort(key=lambda x: vocabulary.THRESHOLD_METRICS.index(x.metric))  # 1 h, 3 h, 24 h, as the legend reads
    return Chart("hazard", point.code, point.name, hours, start, end, tuple(lines), tuple(thresholds))


def chart_series(uow: UnitOfWork, station_code: str | None = None, hazard_code: str | None = None, hours: int = 24,
                 now: dt.datetime | None = None, *, drill_id: int = 0) -> Chart:
    """The chart of one station (``station_code``) or one hazard point (``hazard_code``) over the ``hours`` (24 or
    72) before ``now`` (default: the clock)."""
    if (station_code is None) == (hazard_code is None):
        raise FieldError.of("station", "monitoring.hazard_and_station")
    if station_code is not None:
        return station_chart(uow, station_code, hours, now, drill_id)
    return hazard_chart(uow, hazard_code, hours, now, drill_id)
