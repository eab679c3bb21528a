"""The duty feed shows the newest events; times are aware UTC on both back-ends; needs round up exactly once."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from services.db.uow import unit_of_work
from services.dispatch.incidents import IncidentReport, report_incident
from services.supply.needs import DEFAULT_NEEDS, required_units, supply_coverage, units_to_cover
from tests.conftest import call

CITY = (108.7748, 29.5328)


def test_the_duty_feed_shows_the_newest_events_first(fresh):
    import sys

    from dashboard.app import create_app
    app = create_app(fresh)
    feed_items = sys.modules["pages.duty"].feed_items  # Dash imports the page modules as pages.*
    with unit_of_work(fresh, write=True, actor="bulk") as uow:
        for i in range(1, 206):
            report_incident(uow, IncidentReport(title=f"事件{i}", kind="滑坡", level="Ⅳ", lon=CITY[0], lat=CITY[1],
                                                occurred_at=dt.datetime.now(dt.timezone.utc), reporter="bulk"))
    with app.server.app_context(), unit_of_work(fresh) as uow:
        shown = [str(item.children) for item in feed_items(uow)]
    assert len(shown) == 30 and "事件205" in shown[0] and "事件176" in shown[-1]


def test_times_come_back_aware_in_utc_and_naive_times_are_refused(fresh):
    from sqlalchemy import select

    from services.models import Incident
    local = dt.datetime(2026, 11, 25, 14, 5, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    incident_id = call(fresh, report_incident, IncidentReport(title="时间", kind="滑坡", level="Ⅳ", lon=CITY[0],
                                                              lat=CITY[1], occurred_at=local, reporter="x"))
    with unit_of_work(fresh) as uow:
        at = uow.session.scalar(select(Incident.occurred_at).where(Incident.id == incident_id))
    assert at.tzinfo is not None and at.utcoffset() == dt.timedelta(0) and at == local
    with pytest.raises(Exception, match="naive"):
        with unit_of_work(fresh, write=True) as uow:
            uow.session.get(Incident, incident_id).occurred_at = dt.datetime(2026, 1, 1)
            uow.session.flush()


def test_format_local_uses_the_configured_zone(fresh):
    import dataclasses

    from services.clock import format_local
    at = dt.datetime(2026, 11, 24, 6, 5, tzinfo=dt.timezone.utc)
    assert format_local(at, fresh) == "2026-11-24 14:05"
    assert format_local(at, dataclasses.replace(fresh, timezone="Asia/Urumqi")) == "2026-11-24 12:05"


def test_a_tenth_of_a_litre_for_132_people_is_one_box_not_two(fresh):
    water = {**next(n for n in DEFAULT_NEEDS if n["key"] == "water"), "amount": 0.1}
    assert required_units(water, 132, 1, 13.2) == 1  # float arithmetic gave ceil(13.200000000000001 / 13.2) = 2
    needs = [water] + [n for n in DEFAULT_NEEDS if n["key"] != "water"]
    call(fresh, __import__("services.supply.needs", fromlist=["save_profile"]).save_profile, needs)
    coverage = call(fresh, supply_coverage, people=132, days=1, write=False)
    assert next(n for n in coverage.needs if n.key == "water").shortfall[0].quantity == 1


@hsettings(max_examples=300, deadline=None)
@given(amount=st.decimals(min_value="0.001", max_value="100", places=3),
       people=st.integers(1, 5000), days=st.integers(1, 30),
       per_unit=st.decimals(min_value="0.1", max_value="50", places=2))
def test_rounding_never_under_supplies_and_never_adds_a_whole_unit(amount, people, days, per_unit):
    need = {"amount": float(amount), "basis": "person_day"}
    units = required_units(need, people, days, float(per_unit))
    required = Fraction(str(amount)) * people * days  # the exact need, as written
    assert units * Fraction(str(per_unit)) >= required  # never under-supplied
    assert (units - 1) * Fraction(str(per_unit)) < required  # never a whole unit too many
    assert units_to_cover(Decimal(0), per_unit) == 0
