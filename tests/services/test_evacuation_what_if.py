"""试算 (services.evacuation.plans.what_if), on both back-ends: a role that reads plans but may not save them
computes the same plan a save would store, and nothing is written; saving stays refused for it; township staff,
who do not read county-wide plans, may not compute one either."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from services.db import read_session
from services.errors import Forbidden
from services.evacuation.plans import Scenario, plan, save_plan, what_if
from tests.conftest import call_as, principal_for, read
from tests.services.test_evacuation_plan import small_world  # noqa: F401 — the hand-made road network fixture


def _stored(settings) -> tuple[int, int]:
    with read_session(settings.database_url) as session:
        return (session.execute(text("SELECT count(*) FROM evacuation_plan")).scalar_one(),
                session.execute(text("SELECT count(*) FROM audit_log WHERE entity = 'evacuation_plan'")).scalar_one())


def _flows(result) -> list[tuple[str, str, int]]:
    return sorted((d.name, a.shelter_name, a.people) for d in result.demand for a in d.assigned)


def test_a_planner_tries_the_plan_a_save_would_store_and_nothing_is_written(small_world):  # noqa: F811
    planner = principal_for(small_world, "planner")
    scenario = Scenario(name="试算", max_travel_min=120)
    before = _stored(small_world)
    tried = call_as(small_world, planner, what_if, scenario, write=False)
    assert _stored(small_world) == before
    assert not tried.stored and tried.actor == planner.username
    assert _flows(tried.plan) == _flows(read(small_world, plan, scenario))  # the service's own answer
    assert (tried.plan.totals.people, tried.plan.totals.assigned, tried.plan.totals.unmet) == (14, 10, 4)
    with pytest.raises(Forbidden) as refused:
        call_as(small_world, planner, save_plan, scenario)
    assert refused.value.status == 403 and "plan.save" in refused.value.reason
    assert _stored(small_world) == before


def test_township_staff_may_not_compute_a_county_wide_plan(small_world):  # noqa: F811
    township = principal_for(small_world, "township", "500114001")
    with pytest.raises(Forbidden):
        call_as(small_world, township, what_if, Scenario(max_travel_min=120), write=False)
    with pytest.raises(Forbidden):
        call_as(small_world, township, plan, Scenario(max_travel_min=120), write=False)
