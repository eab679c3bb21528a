"""Trends on both back-ends, against a world of records with known times (tests/services/trend_world.py): what
the hand count says, and what direct SQL over the tables says."""
from __future__ import annotations

import dataclasses
import datetime as dt
import statistics
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from config import AnalysisRules
from services import vocabulary
from services.analysis.period import PeriodError, quarter_period, resolve_period
from services.analysis.trends import trend_filter, trends
from services.db.uow import unit_of_work
from services.errors import FieldError, Forbidden
from services.models import Incident, Warning, WarningRecipient
from tests.conftest import prepared, BACKENDS, _cleanup, principal_for
from tests.services.trend_world import CX, QUARTER, SINCE, UNTIL, ZY, at, build_world

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(scope="module", params=BACKENDS)
def world(request, tmp_path_factory):
    settings = prepared(request.param, tmp_path_factory.mktemp(f"trends-{request.param}"), tmp_path_factory,
                        with_sample=False)
    build_world(settings)
    yield settings
    _cleanup(settings)


def figures(settings, *, townships=(), variant="general", now=None, period=None):
    with unit_of_work(settings) as uow:
        flt = trend_filter(uow, period or quarter_period(settings, QUARTER), townships, variant)
        return trends(uow, flt, now=now)


# periods (no database)

def test_a_quarter_is_its_local_calendar_months_in_utc(world):
    period = quarter_period(world, QUARTER)
    assert (period.since, period.until) == (SINCE, UNTIL)
    assert period.months() == ["2025-07", "2025-08", "2025-09"] and len(period.days()) == 92
    assert quarter_period(world, "2025Q4").until == dt.datetime(2025, 12, 31, 16, tzinfo=dt.UTC)


def test_custom_periods_read_dates_as_local_days_and_refuse_what_cannot_be(world):
    day = resolve_period(world, since=dt.date(2025, 7, 1), until=dt.date(2025, 7, 1))
    assert (day.kind, day.since, day.until) == ("custom", SINCE, SINCE + dt.timedelta(days=1))
    naive = resolve_period(world, "custom", since=dt.datetime(2025, 7, 1, 8), until=dt.datetime(2025, 7, 1, 9))
    assert naive.since == dt.datetime(2025, 7, 1, 0, tzinfo=dt.UTC)
    now = at(9, 1)
    assert resolve_period(world, "7d", now=now).since == now - dt.timedelta(days=7)
    assert resolve_period(world, now=now).kind == "30d"
    assert resolve_period(world, "quarter", now=now).quarter == "2025Q3"
    for kwargs, field_name in (({"since": dt.date(2025, 7, 2), "until": dt.date(2025, 7, 1)}, "since"),
                               ({"kind": "custom"}, "since"), ({"kind": "7d", "until": dt.date(2025, 7, 1)}, "until"),
                               ({"kind": "year"}, "period"), ({"kind": "quarter", "quarter": "2025Q5"}, "quarter"),
                               ({"kind": "30d", "quarter": "2025Q1"}, "quarter"),
                               ({"since": dt.date(2015, 1, 1), "until": dt.date(2025, 1, 1)}, "until")):
        with pytest.raises(PeriodError) as info:
            resolve_period(world, now=now, **kwargs)
        assert info.value.field == field_name and info.value.reason and info.value.reason_en


# incidents

def _local_month_bounds(month: str) -> tuple[dt.datetime, dt.datetime]:
    year, number = map(int, month.split("-"))
    start = dt.datetime(year, number, 1, tzinfo=SHANGHAI)
    end = dt.datetime(year + number // 12, number % 12 + 1, 1, tzinfo=SHANGHAI)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


def test_incidents_per_local_month_equal_a_count_in_sql(world):
    result = figures(world).incidents
    assert result.total == 5 and result.months == ["2025-07", "2025-08", "2025-09"]
    with unit_of_work(world) as uow:
        for month in result.months:
            start, end = _local_month_bounds(month)
            for category in vocabulary.INCIDENT_TYPES:
                counted = uow.session.scalar(select(func.count()).select_from(Incident).where(
                    Incident.occurred_at >= start, Incident.occurred_at < end, Incident.category == category))
                assert result.count(month=month, category=category) == counted, (month, category)
    assert {c.key: c.count for c in result.by_category} == {"自然灾害": 3, "事故灾难": 2, "公共卫生事件": 0,
                                                            "社会安全事件": 0}
    assert result.count(month="2025-07") == 2 and result.count(month="2025-08") == 2  # 01:30 local is August
    assert {t.township_code: t.count for t in result.by_township if t.count} == {CX: 3, ZY: 2}
    assert {k.key: k.count for k in result.by_kind} == {"滑坡": 1, "洪涝": 1, "火灾": 1, "森林火灾": 1, "道路交通事故": 1}


# warnings and 叫应

def test_warnings_in_time_share_median_and_escalations(world):
    warned = figures(world).warnings
    overall = warned.overall
    assert (overall.warnings, overall.recipients, overall.acknowledged, overall.in_time, overall.pending) == \
        (6, 10, 7, 5, 0)
    assert overall.in_time_share == 0.5 and overall.median_ack_min == 14.5
    assert overall.escalations == 2  # 橙 over 蓝 in 城西; 黄 洪涝 over the 蓝 of June; 黄 in 正阳 overlaps nothing
    levels = {f.level: f for f in warned.by_level}
    assert (levels["蓝"].recipients, levels["蓝"].in_time, levels["蓝"].median_ack_min) == (3, 1, 12.5)
    assert (levels["黄"].warnings, levels["黄"].escalations, levels["橙"].escalations) == (3, 1, 1)
    assert (levels["红"].in_time, levels["红"].in_time_share) == (1, 0.5)  # 40 min is past the 30 min limit
    assert warned.patrol_raises == 2
    with unit_of_work(world) as uow:  # the oracle: recipients and 叫应 of the quarter's warnings, by SQL
        rows = uow.session.execute(select(Warning.issued_at, WarningRecipient.acknowledged_at).join(
            Warning, Warning.id == WarningRecipient.warning_id).where(
            Warning.issued_at >= SINCE, Warning.issued_at < UNTIL)).all()
    minutes = [(a - i).total_seconds() / 60 for i, a in rows if a is not None]
    assert (len(rows), len(minutes), statistics.median(minutes)) == (10, 7, overall.median_ack_min)


def test_a_configured_level_limit_judges_every_warning_of_that_level(world):
    configured = dataclasses.replace(world, analysis=AnalysisRules(ack_limit_min_by_level={"红": 60}))
    warned = figures(configured).warnings
    assert warned.overall.in_time == 6 and warned.overall.in_time_share == 0.6
    assert warned.limit_min_by_level == {"红": 60}


def test_recipients_still_within_their_limit_are_pending_and_left_out_of_the_share(world):
    warned = figures(world, now=at(9, 20, 0, 5)).warnings  # five minutes after the 黄 warning of 20 September
    assert (warned.overall.pending, warned.overall.in_time) == (1, 5)
    assert warned.overall.in_time_share == round(5 / 9, 4)


# dispatch and moves

def test_time_from_order_to_arrival_by_team_kind(world):
    sent = figures(world).dispatch
    assert (sent.overall.orders, sent.overall.arrived, sent.overall.median_arrival_min) == (4, 3, 35)
    assert sent.overall.mean_arrival_min == round((25 + 35 + 61) / 3, 2) and sent.overall.max_arrival_min == 61
    kinds = {f.team_kind: (f.orders, f.arrived, f.median_arrival_min) for f in sent.by_team_kind}
    assert kinds == {"地质灾害救援": (2, 2, 30), "综合性消防救援": (1, 0, None), "森林消防": (1, 1, 61)}


def test_moves_per_local_day(world):
    moves = figures(world).moves
    assert (moves.moves, moves.people, moves.housed) == (3, 10, 5)
    days = {d.day: (d.moves, d.people, d.housed) for d in moves.by_day if d.moves}
    assert days == {"2025-07-06": (2, 8, 5), "2025-08-10": (1, 2, 0)}  # 16:30 UTC on the 5th is the 6th locally
    assert len(moves.by_day) == 92


# filters

def test_townships_filter_every_trend(world):
    home = figures(world, townships=[CX])
    assert home.incidents.total == 3 and [t.township_code for t in home.incidents.by_township] == [CX]
    assert (home.warnings.overall.warnings, home.warnings.overall.recipients) == (4, 7)
    assert home.dispatch.overall.orders == 3 and home.moves.people == 8 and home.warnings.patrol_raises == 1
    both = figures(world, townships=[CX, ZY])
    assert both.incidents.total == 5 and both.warnings.overall.warnings == 6


def test_the_fire_variant_keeps_fire_incidents_hazards_and_warnings(world):
    fire = figures(world, variant="fire")
    assert {k.key for k in fire.incidents.by_kind} == {"火灾", "森林火灾"} and fire.incidents.total == 2
    assert (fire.warnings.overall.warnings, fire.warnings.overall.recipients) == (1, 2)
    assert (fire.dispatch.overall.orders, fire.dispatch.overall.arrived, fire.dispatch.overall.median_arrival_min) \
        == (3, 2, 48)
    assert (fire.moves.moves, fire.moves.people, fire.warnings.patrol_raises) == (1, 2, 1)


def test_a_short_period_counts_only_what_it_holds(world):
    day = resolve_period(world, since=dt.date(2025, 7, 10), until=dt.date(2025, 7, 10))
    result = figures(world, period=day)
    assert result.warnings.overall.warnings == 3 and result.incidents.total == 0
    assert result.warnings.overall.escalations == 1 and result.incidents.months == ["2025-07"]


def test_unknown_townships_and_variants_are_refused_and_township_staff_may_not_read(world):
    with unit_of_work(world) as uow:
        for kwargs, field_name in (({"townships": ["500114999"]}, "townships"), ({"variant": "flood"}, "variant")):
            with pytest.raises(FieldError) as info:
                trend_filter(uow, quarter_period(world, QUARTER), **kwargs)
            assert info.value.field == field_name
    staff = principal_for(world, "township", CX)
    with unit_of_work(world, principal=staff) as uow, pytest.raises(Forbidden):
        trends(uow, trend_filter(uow, quarter_period(world, QUARTER)))
