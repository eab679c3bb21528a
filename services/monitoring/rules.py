"""The rule (风险感知, issue 15): what warning level the readings propose for each hazard point, now.

For every hazard point with an effective threshold (its own per metric, else a watching station's) and readings of
a watching station of a kind that reads the metric (services/monitoring/assignments.py), each metric's value:

* ``rain_1h`` / ``rain_3h`` / ``rain_24h``: the sum of the rainfall readings with T − window < at ≤ T (a reading is
  the amount over the interval ending at ``at``). Missing intervals add nothing; the value is then incomplete
  (fewer readings than ⌊window / interval⌋). A station with no rainfall in the last 24 h gives no value.
* ``water_warning``: the newest water level at most ``fresh_intervals`` intervals old (older: not evaluated) against
  警戒水位; ``water_guarantee``: the same level against 保证水位, and a level at or above it proposes at least
  ``guarantee_level`` (橙) whatever the bands say. A water level is an elevation or a gauge reading, so its ratio is
  its stage, not level / threshold (318 m is 0.99 × a warning level of 321 m): 1 + (level − threshold) / span, where
  the span is 保证水位 − 警戒水位 when both are known (警戒水位 is 1.0, 保证水位 2.0 on the warning's scale) and
  ``water_span_m`` otherwise; so with the default bands a level 0.1 span below 警戒水位 is 黄, at it 橙.
* ``displacement_rate``: |newest displacement − the one nearest T − 24 h| scaled to 24 h by the real time between
  them (mm / 24 h). The baseline must lie within ``rate_baseline_tolerance_min`` of T − 24 h (none: not evaluated);
  further than one interval from it, the value is incomplete.
* ``crack_width``: the newest (fresh) crack width against its threshold.

Several stations reading one metric of a point: the highest ratio counts. The decisive metric is the one of the
highest level (ties: the highest ratio); the level is ``settings.monitoring.level_for(ratio)``; none → no candidate.
The readings come from one SQL aggregate per reading kind (no per-point queries); the rest is numpy.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from sqlalchemy import and_, case, func, select

from services import vocabulary
from services.clock import as_utc, now_utc
from services.db.uow import UnitOfWork
from services.models import HazardPoint, HazardStation, MonitoringStation, Reading, Threshold
from services.monitoring import accumulate as A
from services.monitoring.assignments import METRIC_READING_KIND, METRIC_STATION_KINDS, WATCHING_KINDS
from services.monitoring.types import Candidate, MetricValue

METRICS = vocabulary.THRESHOLD_METRICS
M = {m: j for j, m in enumerate(METRICS)}
RAIN_WINDOWS_S = (3600.0, 3 * 3600.0, 24 * 3600.0)
RANKS = {level: r for r, level in enumerate(vocabulary.WARNING_COLOUR_LEVELS)}
RAIN_KINDS = METRIC_STATION_KINDS["rain_1h"]
READING_STATION_KINDS = {METRIC_READING_KIND[m]: kinds for m, kinds in METRIC_STATION_KINDS.items()}


@dataclass
class Observations:
    """Per station (dense index) and metric: the observed value (NaN: none), its time (epoch s) and completeness."""

    value: np.ndarray
    at_s: np.ndarray
    complete: np.ndarray


def _epoch(at: dt.datetime) -> float:
    return as_utc(at).timestamp()


def _rain(uow: UnitOfWork, drill_id: int, end: dt.datetime, index, interval_min, obs: Observations) -> None:
    """One aggregate over the last 24 h of rainfall, grouped by station: the three windows' sums and counts."""
    starts = [end - dt.timedelta(seconds=w) for w in RAIN_WINDOWS_S]
    columns = []
    for start in starts[:-1]:
        columns += [func.sum(case((Reading.at > start, Reading.value), else_=0.0)),
                    func.count(case((Reading.at > start, 1)))]
    columns += [func.sum(Reading.value), func.count()]
    rows = uow.session.connection().execute(select(Reading.station_id, *columns)
                               .where(Reading.drill_id == drill_id, Reading.station_id.in_(_of_kinds(RAIN_KINDS)),
                                      Reading.kind == vocabulary.READING_RAINFALL,
                                      Reading.at > starts[-1], Reading.at <= end)
                               .group_by(Reading.station_id)).all()
    if not rows:
        return
    data = np.array(list(map(tuple, rows)), dtype=float)
    s = index(data[:, 0])
    ok = s >= 0
    s, data = s[ok], data[ok]
    expected = A.expected_counts(interval_min[s], RAIN_WINDOWS_S)
    for j, metric in enumerate(("rain_1h", "rain_3h", "rain_24h")):
        obs.value[s, M[metric]] = data[:, 1 + 2 * j]
        obs.complete[s, M[metric]] = data[:, 2 + 2 * j] >= expected[:, j]
        obs.at_s[s, M[metric]] = _epoch(end)


def _of_kinds(kinds: tuple[str, ...]):
    """The stations of ``kinds``, as a subquery: ``station_id IN (…)`` makes each station's rows one index range
    (drill, station, kind, at) however long the history is, on both back-ends."""
    return select(MonitoringStation.id).where(MonitoringStation.kind.in_(kinds)).scalar_subquery()


def _edge(uow: UnitOfWork, drill_id: int, kind: str, after: dt.datetime, until: dt.datetime, *, newest: bool,
          until_inclusive: bool = True) -> np.ndarray:
    """Per station, the reading of ``kind`` with the newest (or oldest) time in (after, until]: (station, at, value).

    One grouped query joined back to the readings for the value (the unique index serves both)."""
    last = (Reading.at <= until) if until_inclusive else (Reading.at < until)
    kinds = READING_STATION_KINDS[kind]
    edge = (select(Reading.station_id.label("station_id"),
                   (func.max if newest else func.min)(Reading.at).label("at"))
            .where(Reading.drill_id == drill_id, Reading.station_id.in_(_of_kinds(kinds)), Reading.kind == kind,
                   Reading.at > after, last)
            .group_by(Reading.station_id).subquery())
    rows = uow.session.connection().execute(select(Reading.station_id, Reading.at, Reading.value)
                               .join(edge, and_(Reading.station_id == edge.c.station_id, Reading.at == edge.c.at))
                               .where(Reading.drill_id == drill_id, Reading.kind == kind)).all()
    return np.array([(s, _epoch(at), v) for s, at, v in rows], dtype=float).reshape(-1, 3)


def _latest(uow, drill_id, kind, end, index, interval_min, kinds_mask, fresh) -> tuple[np.ndarray, np.ndarray]:
    """Each station's newest reading of ``kind`` at most ``fresh`` of its intervals old: (value, at_s), NaN if none."""
    n = len(interval_min)
    longest = float(interval_min[kinds_mask].max()) if kinds_mask.any() else 60.0
    rows = _edge(uow, drill_id, kind, end - dt.timedelta(minutes=fresh * longest), end, newest=True)
    s = index(rows[:, 0])
    ok = s >= 0
    return A.latest(s[ok], rows[ok, 1], rows[ok, 2], n, _epoch(end), fresh * interval_min * 60.0)


def _instantaneous(uow: UnitOfWork, drill_id: int, end: dt.datetime, index, interval_min, kind_of,
                   obs: Observations) -> None:
    rules = uow.settings.monitoring
    fresh = rules.fresh_intervals
    water = np.isin(kind_of, METRIC_STATION_KINDS["water_warning"])
    level, level_at = _latest(uow, drill_id, vocabulary.READING_WATER_LEVEL, end, index, interval_min, water, fresh)
    for metric in ("water_warning", "water_guarantee"):
        obs.value[:, M[metric]], obs.at_s[:, M[metric]] = level, level_at
    geology = np.isin(kind_of, METRIC_STATION_KINDS["crack_width"])
    width, width_at = _latest(uow, drill_id, vocabulary.READING_CRACK_WIDTH, end, index, interval_min, geology, fresh)
    obs.value[:, M["crack_width"]], obs.at_s[:, M["crack_width"]] = width, width_at
    moved, moved_at = _latest(uow, drill_id, vocabulary.READING_DISPLACEMENT, end, index, interval_min, geology, fresh)
    target = end - dt.timedelta(days=1)
    tolerance = dt.timedelta(minutes=rules.rate_baseline_tolerance_min)
    kind = vocabulary.READING_DISPLACEMENT
    around = np.vstack([_edge(uow, drill_id, kind, target - tolerance, target, newest=True),
                        _edge(uow, drill_id, kind, target, target + tolerance, newest=False,
                              until_inclusive=False)])
    s = index(around[:, 0])
    ok = s >= 0
    base, base_at = A.nearest_to(s[ok], around[ok, 1], around[ok, 2], len(interval_min), _epoch(target),
                                 tolerance.total_seconds() - 1e-6)
    rate = A.rate_per_day(base, base_at, moved, moved_at)
    obs.value[:, M["displacement_rate"]], obs.at_s[:, M["displacement_rate"]] = rate, moved_at
    obs.complete[:, M["displacement_rate"]] = np.abs(base_at - _epoch(target)) <= interval_min * 60.0


def observations(uow: UnitOfWork, end: dt.datetime, drill_id: int, station_ids: np.ndarray, kind_of: np.ndarray,
                 interval_min: np.ndarray) -> Observations:
    """Every metric of every station (``station_ids`` sorted) at ``end``, from one query per reading kind (and two
    for the displacement baseline)."""
    n = len(station_ids)
    obs = Observations(np.full((n, len(METRICS)), np.nan), np.full((n, len(METRICS)), np.nan),
                       np.ones((n, len(METRICS)), dtype=bool))

    def index(ids: np.ndarray) -> np.ndarray:
        ids = np.asarray(ids, dtype=np.int64)
        at = np.clip(np.searchsorted(station_ids, ids), 0, n - 1)
        return np.where(station_ids[at] == ids, at, -1)

    if n:
        _rain(uow, drill_id, end, index, interval_min, obs)
        _instantaneous(uow, drill_id, end, index, interval_min, kind_of, obs)
    return obs


def _plain_rows(uow: UnitOfWork, statement) -> list[tuple]:
    """A statement's rows as plain tuples from the driver's cursor, in this unit's transaction: the large reads of
    the rule (160,000 assignments, 80,000 thresholds). Its parameters are written as literals (vocabulary codes)."""
    connection = uow.session.connection()
    sql = str(statement.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    cursor = connection.connection.driver_connection.cursor()
    try:
        cursor.execute(sql)
        return cursor.fetchall()
    finally:
        cursor.close()


def _thresholds(uow: UnitOfWork, hazards: np.ndarray, station_ids: np.ndarray):
    """Dense threshold matrices: of the hazard points (rows as ``hazards``) and of the stations, NaN where none."""
    own, of_station = np.full((len(hazards), len(METRICS)), np.nan), np.full((len(station_ids), len(METRICS)), np.nan)
    rows = _plain_rows(uow, select(func.coalesce(Threshold.hazard_point_id, -Threshold.station_id),
                                   case(M, value=Threshold.metric), Threshold.value))
    if not rows:
        return own, of_station
    data = np.array(rows, dtype=float)
    owner = data[:, 0].astype(np.int64)  # a hazard point's id, or minus a station's
    metric, value = data[:, 1].astype(np.int64), data[:, 2]
    for ids, table, sign in ((hazards, own, 1), (station_ids, of_station, -1)):
        mine = owner * sign > 0
        key = owner[mine] * sign
        at = np.clip(np.searchsorted(ids, key), 0, max(len(ids) - 1, 0))
        hit = (ids[at] == key) if len(ids) else np.zeros(len(key), bool)
        table[at[hit], metric[mine][hit]] = value[mine][hit]
    return own, of_station


def evaluate(uow: UnitOfWork, now: dt.datetime | None = None, drill_id: int = 0,
             hazard_ids=None) -> list[Candidate]:
    """The candidates the rule proposes at ``now`` (default: the clock's now) from the readings of ``drill_id``, for
    every hazard point (or those of ``hazard_ids``), ordered by hazard point id. Reads only."""
    end = as_utc(now) if now is not None else now_utc()
    session = uow.session
    conn = session.connection()  # Core rows: the ORM's result layer costs more than the queries here
    stations = conn.execute(select(MonitoringStation.id, MonitoringStation.kind, MonitoringStation.interval_min)
                            .where(MonitoringStation.kind.in_(WATCHING_KINDS)).order_by(MonitoringStation.id)).all()
    pairs = np.array(_plain_rows(uow, select(HazardStation.hazard_point_id, HazardStation.station_id)),
                     dtype=np.int64).reshape(-1, 2)
    if hazard_ids is not None:
        pairs = pairs[np.isin(pairs[:, 0], np.asarray(list(hazard_ids), dtype=np.int64))]
    if not stations or not len(pairs):
        return []
    station_ids = np.array([s[0] for s in stations], dtype=np.int64)
    kind_of = np.array([s[1] for s in stations], dtype=object)
    interval_min = np.array([s[2] for s in stations], dtype=float)
    at = np.clip(np.searchsorted(station_ids, pairs[:, 1]), 0, len(station_ids) - 1)
    pairs = pairs[station_ids[at] == pairs[:, 1]]  # stations of a watching kind only
    if not len(pairs):
        return []
    hazards = np.unique(pairs[:, 0])
    hi, si = np.searchsorted(hazards, pairs[:, 0]), np.searchsorted(station_ids, pairs[:, 1])
    obs = observations(uow, end, drill_id, station_ids, kind_of, interval_min)
    own, of_station = _thresholds(uow, hazards, station_ids)
    return verdicts(uow.settings.monitoring, hazards, hi, station_ids, si, kind_of, obs, own, of_station, drill_id)


def verdicts(rules, hazards, hi, station_ids, si, kind_of, obs: Observations, own, of_station,
             drill_id: int = 0) -> list[Candidate]:
    """The rule over arrays: pairs (hazard row ``hi``, station row ``si``) → the candidates (pure numpy).

    Pairs are sorted by hazard point; each point's pairs are one segment, reduced per metric (the worst station)
    and then across metrics (the decisive one) without a Python loop until the candidates are built."""
    order = np.argsort(hi, kind="stable")
    hi, si = hi[order], si[order]
    n_pairs = len(hi)
    reads = np.column_stack([np.isin(kind_of, METRIC_STATION_KINDS[m]) for m in METRICS])  # (stations, metrics)
    threshold = np.where(np.isnan(own[hi]), of_station[si], own[hi])  # the point's own beats the station's
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = obs.value[si] / threshold
        w, g = M["water_warning"], M["water_guarantee"]
        span = threshold[:, g] - threshold[:, w]
        span = np.where(np.isfinite(span) & (span > 0), span, rules.water_span_m)
        for j in (w, g):  # a water level's stage against its threshold (module docstring)
            ratio[:, j] = 1.0 + (obs.value[si, j] - threshold[:, j]) / span
    ratio[~(reads[si] & np.isfinite(ratio))] = -np.inf
    starts = np.flatnonzero(np.r_[True, hi[1:] != hi[:-1]])  # a segment per hazard point
    segment = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, n_pairs]))
    best = np.maximum.reduceat(ratio, starts, axis=0)  # (points, metrics): the worst station's ratio
    is_best = np.isfinite(ratio) & (ratio == best[segment])
    countdown = np.where(is_best, n_pairs - np.arange(n_pairs)[:, None], 0)
    first = n_pairs - np.maximum.reduceat(countdown, starts, axis=0)  # the pair giving it (the first such)
    valid = np.isfinite(best)
    band_rank = np.array([RANKS[level] for _, level in rules.bands] + [-1])
    rank = band_rank[A.band_index(np.where(valid, best, np.nan), rules.bands)]  # band −1 → the appended −1
    g = M["water_guarantee"]
    rank[:, g] = np.where(valid[:, g] & (best[:, g] >= 1.0), np.maximum(rank[:, g], RANKS[rules.guarantee_level]),
                          rank[:, g])
    score = np.where(valid, rank * 1e12 + np.minimum(best, 1e11), -np.inf)  # highest level, then highest ratio
    decisive = np.argmax(score, axis=1)
    chosen = np.flatnonzero(valid.any(axis=1) & (rank[np.arange(len(starts)), decisive] >= 0))
    if not len(chosen):
        return []
    mask = valid[chosen]  # every evaluated metric of the chosen points, row by row
    row, metric = np.nonzero(mask)
    pair = first[chosen][mask]
    station = si[pair]
    counts = mask.sum(axis=1)
    offsets = np.r_[0, np.cumsum(counts)]
    position = offsets[:-1] + (np.cumsum(mask, axis=1) - 1)[np.arange(len(chosen)), decisive[chosen]]
    return _candidates(hazards[hi[starts[chosen]]].tolist(), rank[chosen, decisive[chosen]].tolist(),
                       offsets.tolist(), position.tolist(), metric, station_ids[station], obs.value[station, metric],
                       threshold[pair, metric], obs.at_s[station, metric], obs.complete[station, metric],
                       ratio[pair, metric], drill_id)


def _candidates(hazard_ids, ranks, offsets, positions, metric, station, observed, threshold, at_s, complete,
                ratios, drill_id: int) -> list[Candidate]:
    """The Candidate objects: plain Python lists, not numpy scalars, in the loop (thousands in a storm)."""
    unique_at, at_index = np.unique(at_s, return_inverse=True)
    when = [dt.datetime.fromtimestamp(x, dt.timezone.utc) for x in unique_at.tolist()]
    water = (M["water_warning"], M["water_guarantee"])
    values = [MetricValue(METRICS[m], st, o, th, when[w], c, r if m in water else None)
              for m, st, o, th, w, c, r in zip(metric.tolist(), station.tolist(), observed.tolist(),
                                               threshold.tolist(), at_index.tolist(), complete.tolist(),
                                               ratios.tolist())]
    levels = vocabulary.WARNING_COLOUR_LEVELS
    return [Candidate(h, levels[r], values[d], tuple(values[lo:hi]), drill_id)
            for h, r, d, lo, hi in zip(hazard_ids, ranks, positions, offsets[:-1], offsets[1:])]


def current_candidates(uow: UnitOfWork, hazard: str | None = None,
                       now: dt.datetime | None = None) -> tuple[list[Candidate], dict[int, tuple[str, str]]]:
    """What the rule would propose now (read only): for one hazard point or all, township staff their township's.
    Returns the candidates and hazard id → (code, name)."""
    uow.principal.require("records.read")
    query = select(HazardPoint.id, HazardPoint.code, HazardPoint.name)
    home = uow.principal.township_filter()
    if hazard is not None:
        from services.monitoring.assignments import hazard_by_code
        point = hazard_by_code(uow, hazard)
        uow.principal.require_township("records.read", point.township_code)
        query = query.where(HazardPoint.id == point.id)
    elif home is not None:
        query = query.where(HazardPoint.township_code == home)
    names = {i: (c, n) for i, c, n in uow.session.execute(query).all()}
    scoped = None if hazard is None and home is None else list(names)
    return evaluate(uow, now=now, hazard_ids=scoped), names
