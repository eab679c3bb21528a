"""Trends from the live records (分析研判): incidents by month, warnings and their 叫应, dispatch to arrival, and
evacuation moves by day, over a period (services/analysis/period.py) and for chosen townships.

What each figure counts, and from which record:

- Incidents: by ``occurred_at`` in the period, bucketed by local month; by category, kind and township.
- Warnings: those issued in the period whose area reaches a chosen township (all, with no township chosen), with
  all their recipients. A 叫应 is *in time* within the warning's own limit (``ack_timeout_min``) or, where
  configured, the level's limit (config.AnalysisRules). A recipient not yet acknowledged whose limit has not
  passed while the warning is in force is *pending*: neither in time nor late, and left out of the share.
- Escalations: no record says a warning's level was raised (a warning keeps its level; a higher one is issued).
  An escalation is a warning issued in the period while another warning of the same hazard type, of a lower
  level and overlapping area, was in force (issued before it, not yet past its validity). Patrols that raised a
  hazard point's level (``hazard_patrol.raised_to``) are counted apart.
- Dispatch: orders made in the period; the arrival is the audit row of the order's change to 到达 (the order
  keeps only its current status); minutes from the order to it, by team kind.
- Moves: evacuation moves recorded in the period, by local day; ``housed`` are people recorded into a shelter.

The fire variant (火灾形势分析研判) keeps fire incidents, warnings of fire hazards, and moves from forest-fire
hazard points (services/vocabulary.py FIRE_*).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select

from services import vocabulary
from services.analysis.period import Period
from services.clock import as_utc, now_utc
from services.db.uow import UnitOfWork
from services.dispatch.warnings import reaches
from services.errors import FieldError
from services.models import (
    AuditLog,
    DispatchOrder,
    EvacuationMove,
    HazardPatrol,
    HazardPoint,
    Incident,
    RescueTeam,
    Township,
    Warning,
    WarningRecipient,
)

VARIANTS = ("general", "fire")
LEVEL_RANK = {level: rank for rank, level in enumerate(vocabulary.WARNING_COLOUR_LEVELS)}


@dataclass(frozen=True)
class TrendFilter:
    """What a trend (or a report) covers: a period, townships (none: the whole district) and the variant."""

    period: Period
    townships: tuple[str, ...] = ()
    variant: str = "general"

    @property
    def fire(self) -> bool:
        return self.variant == "fire"


def trend_filter(uow: UnitOfWork, period: Period, townships=(), variant: str = "general") -> TrendFilter:
    """A checked filter: every township code known, the variant one of VARIANTS; raises FieldError."""
    if variant not in VARIANTS:
        raise FieldError.of("variant", "trends.variant_invalid", value=variant, allowed=", ".join(VARIANTS))
    codes = tuple(dict.fromkeys(c.strip() for c in townships if c and c.strip()))
    known = set(uow.session.scalars(select(Township.code)))
    for code in codes:
        if code not in known:
            raise FieldError.of("townships", "trends.township_unknown", township=code)
    return TrendFilter(period, codes, variant)


@dataclass(frozen=True)
class Tally:
    key: str
    count: int


@dataclass(frozen=True)
class TownshipTally:
    township_code: str
    township_name: str
    count: int


@dataclass(frozen=True)
class IncidentCount:
    """Incidents of one kind in one township in one local month (``2026-10``)."""

    month: str
    category: str
    kind: str
    township_code: str
    count: int


@dataclass(frozen=True)
class IncidentTrend:
    total: int
    months: list[str]                # every month of the period, in order
    by_month: list[IncidentCount]    # the cells that are not zero
    by_category: list[Tally]         # every category, in the vocabulary's order
    by_kind: list[Tally]             # the kinds that occurred
    by_township: list[TownshipTally]  # the chosen townships (all, with none chosen)

    def count(self, *, month: str | None = None, category: str | None = None, township: str | None = None) -> int:
        return sum(c.count for c in self.by_month if (month is None or c.month == month)
                   and (category is None or c.category == category)
                   and (township is None or c.township_code == township))


@dataclass(frozen=True)
class AckFigures:
    """Warnings of one level (``level`` None: all) with their recipients' 叫应."""

    level: str | None
    warnings: int
    recipients: int
    acknowledged: int
    in_time: int
    pending: int
    in_time_share: float | None   # in_time / (recipients − pending); None when nobody is due yet
    median_ack_min: float | None  # over the acknowledged
    escalations: int


@dataclass(frozen=True)
class WarningTrend:
    overall: AckFigures
    by_level: list[AckFigures]  # every colour level, blue to red
    patrol_raises: int          # hazard points whose level a patrol raised
    limit_min_by_level: dict    # the configured limits (a level not named: each warning's own)


@dataclass(frozen=True)
class ArrivalFigures:
    """Orders to teams of one kind (``team_kind`` None: all) and minutes from the order to arrival."""

    team_kind: str | None
    orders: int
    arrived: int
    median_arrival_min: float | None
    mean_arrival_min: float | None
    max_arrival_min: float | None


@dataclass(frozen=True)
class DispatchTrend:
    overall: ArrivalFigures
    by_team_kind: list[ArrivalFigures]  # the kinds that had orders, in the vocabulary's order


@dataclass(frozen=True)
class MoveDay:
    day: str
    moves: int
    people: int
    housed: int


@dataclass(frozen=True)
class MoveTrend:
    moves: int
    people: int
    housed: int
    by_day: list[MoveDay]  # every day of the period, in order


@dataclass(frozen=True)
class Trends:
    period: Period
    townships: list[str]
    variant: str
    incidents: IncidentTrend
    warnings: WarningTrend
    dispatch: DispatchTrend
    moves: MoveTrend

    def to_json(self) -> dict:
        return {"period": self.period.to_json(), "townships": self.townships, "variant": self.variant,
                **{name: dataclasses.asdict(getattr(self, name)) for name in ("incidents", "warnings", "dispatch",
                                                                               "moves")}}


def trends(uow: UnitOfWork, flt: TrendFilter, *, now: dt.datetime | None = None) -> Trends:
    """Every trend of ``flt``, from one snapshot."""
    uow.principal.require("analysis.read")
    now = as_utc(now or now_utc())
    return Trends(flt.period, list(flt.townships), flt.variant, incident_trend(uow, flt), warning_trend(uow, flt, now),
                  dispatch_trend(uow, flt), move_trend(uow, flt))


def township_names(uow: UnitOfWork) -> dict[str, str]:
    return dict(uow.session.execute(select(Township.code, Township.name).order_by(Township.code)).all())


def _in_period(column, period: Period) -> list:
    return [column >= period.since, column < period.until]


def incident_trend(uow: UnitOfWork, flt: TrendFilter) -> IncidentTrend:
    stmt = select(Incident.occurred_at, Incident.category, Incident.kind, Incident.township_code).where(
        *_in_period(Incident.occurred_at, flt.period))
    if flt.townships:
        stmt = stmt.where(Incident.township_code.in_(flt.townships))
    if flt.fire:
        stmt = stmt.where(Incident.kind.in_(vocabulary.FIRE_INCIDENT_KINDS))
    cube = Counter((flt.period.month_of(at), category, kind, town or "")
                   for at, category, kind, town in uow.session.execute(stmt))
    cells = [IncidentCount(*key, count) for key, count in sorted(cube.items())]
    categories, kinds, towns = Counter(), Counter(), Counter()
    for cell in cells:
        categories[cell.category] += cell.count
        kinds[cell.kind] += cell.count
        towns[cell.township_code] += cell.count
    names = township_names(uow)
    chosen = flt.townships or tuple(names)
    return IncidentTrend(sum(cube.values()), flt.period.months(), cells,
                         [Tally(c, categories[c]) for c in vocabulary.INCIDENT_TYPES],
                         [Tally(k, kinds[k]) for k in vocabulary.INCIDENT_KINDS if kinds[k]],
                         [TownshipTally(code, names.get(code, code), towns[code]) for code in chosen])


def _ack_figures(level: str | None, warnings: int, recipients: list[tuple[float | None, bool, bool]],
                 escalations: int) -> AckFigures:
    """``recipients``: (minutes to 叫应 or None, in time, pending) of each recipient."""
    minutes = [m for m, _, _ in recipients if m is not None]
    in_time = sum(ok for _, ok, _ in recipients)
    pending = sum(p for _, _, p in recipients)
    due = len(recipients) - pending
    return AckFigures(level, warnings, len(recipients), len(minutes), in_time, pending,
                      round(in_time / due, 4) if due else None,
                      round(statistics.median(minutes), 2) if minutes else None, escalations)


def _recipient_state(w, acknowledged_at: dt.datetime | None, limit_min: float, now: dt.datetime):
    """(minutes to 叫应 or None, in time, pending) of one recipient of warning row ``w``."""
    issued = as_utc(w.issued_at)
    if acknowledged_at is not None:
        minutes = (as_utc(acknowledged_at) - issued).total_seconds() / 60
        return minutes, minutes <= limit_min, False
    live = w.lifted_at is None and as_utc(w.valid_until) > now
    return None, False, live and issued + dt.timedelta(minutes=limit_min) > now


def _overlap(a, b) -> bool:
    return a is not None and b is not None and reaches(a, b)


def _escalations(warnings: list, kept: set[int]) -> set[int]:
    """Ids of the kept warnings issued while a lower warning of their hazard type, overlapping, was in force."""
    raised = set()
    by_hazard = defaultdict(list)
    for w in warnings:
        by_hazard[w.hazard_type].append(w)
    for group in by_hazard.values():
        for new in group:
            if new.id not in kept:
                continue
            issued = as_utc(new.issued_at)
            if any(old.id != new.id and LEVEL_RANK[old.level] < LEVEL_RANK[new.level]
                   and as_utc(old.issued_at) <= issued < as_utc(old.valid_until) and _overlap(old.area, new.area)
                   for old in group):
                raised.add(new.id)
    return raised


def _warnings_in_reach(uow: UnitOfWork, flt: TrendFilter) -> tuple[list, set[int]]:
    """Warnings in force at some time of the period, and the ids of those issued in it that ``flt`` keeps."""
    period = flt.period
    stmt = select(Warning.id, Warning.level, Warning.hazard_type, Warning.issued_at, Warning.valid_until,
                  Warning.lifted_at, Warning.ack_timeout_min, Warning.area).where(
        Warning.issued_at < period.until, Warning.valid_until > period.since)
    if flt.fire:
        stmt = stmt.where(Warning.hazard_type.in_(vocabulary.FIRE_WARNING_HAZARDS))
    rows = uow.session.execute(stmt.order_by(Warning.issued_at, Warning.id)).all()
    homes = list(uow.session.scalars(select(Township.geom).where(Township.code.in_(flt.townships)))) \
        if flt.townships else None
    kept = {w.id for w in rows if period.contains(w.issued_at)
            and (homes is None or any(reaches(w.area, home) for home in homes))}
    return rows, kept


def warning_trend(uow: UnitOfWork, flt: TrendFilter, now: dt.datetime) -> WarningTrend:
    rows, kept = _warnings_in_reach(uow, flt)
    limits = uow.settings.analysis.ack_limit_min_by_level
    by_id = {w.id: w for w in rows if w.id in kept}
    states = defaultdict(list)
    recipients = select(WarningRecipient.warning_id, WarningRecipient.acknowledged_at).join(
        Warning, Warning.id == WarningRecipient.warning_id).where(*_in_period(Warning.issued_at, flt.period))
    for warning_id, acknowledged_at in uow.session.execute(recipients):
        w = by_id.get(warning_id)
        if w is not None:
            limit = float(limits.get(w.level, w.ack_timeout_min))
            states[w.level].append(_recipient_state(w, acknowledged_at, limit, now))
    raised = _escalations(rows, kept)
    levels = [_ack_figures(level, sum(w.level == level for w in by_id.values()), states[level],
                           sum(by_id[i].level == level for i in raised)) for level in vocabulary.WARNING_COLOUR_LEVELS]
    overall = _ack_figures(None, len(by_id), [s for level in states.values() for s in level], len(raised))
    return WarningTrend(overall, levels, _patrol_raises(uow, flt), dict(limits))


def _patrol_raises(uow: UnitOfWork, flt: TrendFilter) -> int:
    stmt = select(func.count(HazardPatrol.id)).join(HazardPoint, HazardPoint.id == HazardPatrol.hazard_id).where(
        HazardPatrol.raised_to.is_not(None), *_in_period(HazardPatrol.at, flt.period))
    if flt.townships:
        stmt = stmt.where(HazardPoint.township_code.in_(flt.townships))
    if flt.fire:
        stmt = stmt.where(HazardPoint.hazard_type.in_(vocabulary.FIRE_HAZARD_TYPES))
    return int(uow.session.scalar(stmt) or 0)


def _arrivals(uow: UnitOfWork, since: dt.datetime, order_ids: set[int]) -> dict[int, dt.datetime]:
    """When each order first changed to 到达, from the audit log (the order row keeps only its current status)."""
    stmt = select(AuditLog.entity_key, AuditLog.at, AuditLog.detail).where(
        AuditLog.entity == "dispatch_order", AuditLog.action == "update", AuditLog.at >= since)
    arrived: dict[int, dt.datetime] = {}
    for key, at, detail in uow.session.execute(stmt):
        order_id = int(key) if key and key.isdigit() else None
        if order_id not in order_ids or not detail:
            continue
        if json.loads(detail).get("to") == vocabulary.ORDER_ARRIVED:
            at = as_utc(at)
            arrived[order_id] = min(at, arrived.get(order_id, at))
    return arrived


def _arrival_figures(team_kind: str | None, minutes: list[float | None]) -> ArrivalFigures:
    done = [m for m in minutes if m is not None]
    return ArrivalFigures(team_kind, len(minutes), len(done),
                          round(statistics.median(done), 2) if done else None,
                          round(statistics.fmean(done), 2) if done else None, round(max(done), 2) if done else None)


def dispatch_trend(uow: UnitOfWork, flt: TrendFilter) -> DispatchTrend:
    stmt = select(DispatchOrder.id, DispatchOrder.created_at, RescueTeam.kind).join(
        RescueTeam, RescueTeam.id == DispatchOrder.team_id).join(Incident, Incident.id == DispatchOrder.incident_id
                                                                   ).where(*_in_period(DispatchOrder.created_at,
                                                                                       flt.period))
    if flt.townships:
        stmt = stmt.where(Incident.township_code.in_(flt.townships))
    if flt.fire:
        stmt = stmt.where(Incident.kind.in_(vocabulary.FIRE_INCIDENT_KINDS))
    orders = uow.session.execute(stmt).all()
    arrived = _arrivals(uow, flt.period.since, {o.id for o in orders})
    by_kind = defaultdict(list)
    for order_id, created_at, kind in orders:
        at = arrived.get(order_id)
        by_kind[kind].append((at - as_utc(created_at)).total_seconds() / 60 if at else None)
    kinds = [k for k in vocabulary.TEAM_KINDS if k in by_kind] + sorted(set(by_kind) - set(vocabulary.TEAM_KINDS))
    return DispatchTrend(_arrival_figures(None, [m for k in kinds for m in by_kind[k]]),
                         [_arrival_figures(k, by_kind[k]) for k in kinds])


def move_trend(uow: UnitOfWork, flt: TrendFilter) -> MoveTrend:
    stmt = select(EvacuationMove.at, EvacuationMove.people, EvacuationMove.shelter_id).join(
        HazardPoint, HazardPoint.id == EvacuationMove.hazard_id).where(*_in_period(EvacuationMove.at, flt.period))
    if flt.townships:
        stmt = stmt.where(HazardPoint.township_code.in_(flt.townships))
    if flt.fire:
        stmt = stmt.where(HazardPoint.hazard_type.in_(vocabulary.FIRE_HAZARD_TYPES))
    days = {day: [0, 0, 0] for day in flt.period.days()}
    for at, people, shelter_id in uow.session.execute(stmt):
        figures = days[flt.period.day_of(at)]
        figures[0] += 1
        figures[1] += people
        figures[2] += people if shelter_id is not None else 0
    by_day = [MoveDay(day, *figures) for day, figures in days.items()]
    return MoveTrend(sum(d.moves for d in by_day), sum(d.people for d in by_day), sum(d.housed for d in by_day), by_day)
