"""试算 on the 疏散安置 page, on both back-ends: a planner (plan.read, not plan.save) computes and sees a plan that is
not stored; the page offers them no save button and says why; a save forced by hand is answered in words, never
with a bare 403; nothing is written for them (counted in SQL)."""
from __future__ import annotations

import json

import pytest

from dashboard.app import create_app
from tests.conftest import signed_in
from tests.dashboard.test_evacuation_page import _sql, run

TOWNSHIP = "500114001"  # 城西街道: a plan of one township computes in a moment
SCENARIO = {"plan-max.value": 60, "evac-lang.data": "zh", "plan-types.value": [], "plan-levels.value": [],
            "plan-townships.value": [TOWNSHIP], "evac-exclude.value": [], "plan-name.value": "planner what-if"}


@pytest.fixture(scope="module")
def app(seeded):
    application = create_app(seeded)
    application.server.test_client().get("/_dash-dependencies")  # registers the pages' callbacks
    return application


def _counts(settings) -> tuple[int, int]:
    plans = _sql(settings, "SELECT count(*) FROM evacuation_plan")[0][0]
    audited = _sql(settings, "SELECT count(*) FROM audit_log WHERE entity = 'evacuation_plan'")[0][0]
    return plans, audited


def _page(client, path: str = "/evacuation") -> str:
    body = {"output": ".._pages_content.children..._pages_store.data..",
            "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
            "inputs": [{"id": "_pages_location", "property": "pathname", "value": path},
                       {"id": "_pages_location", "property": "search", "value": "?lang=zh"}],
            "changedPropIds": ["_pages_location.pathname"], "state": []}
    answer = client.post("/_dash-update-component", json=body)
    assert answer.status_code == 200, answer.status_code
    return json.dumps(answer.get_json(), ensure_ascii=False)


def _button(page: str, button_id: str) -> dict:
    """The props of the button ``button_id`` in a page's JSON."""
    def walk(node):
        if isinstance(node, dict):
            if node.get("props", {}).get("id") == button_id:
                return node["props"]
            for value in node.values():
                found = walk(value)
                if found:
                    return found
        elif isinstance(node, list):
            for value in node:
                found = walk(value)
                if found:
                    return found
        return None
    return walk(json.loads(page))


def test_a_planner_tries_a_plan_and_sees_it_with_nothing_stored(app, seeded):
    client = signed_in(app.server.test_client(), seeded, "planner")
    before = _counts(seeded)
    answer = run(app, client, "plan-leaflet", {**SCENARIO, "plan-try.n_clicks": 1}, changed="plan-try.n_clicks")
    flows = answer["plan-flows"]["data"]["features"]
    points = answer["plan-points"]["data"]["features"]
    shown = json.dumps(answer["plan-result"]["children"], ensure_ascii=False)
    assert flows and points, "the what-if is drawn"
    assert "试算结果，未保存" in shown and "/api/v1/evacuation/plans/" not in shown  # no links to a stored plan
    assert answer["plan-saved"]["value"] is None
    assert _counts(seeded) == before  # no plan row, no audit row


def test_the_planners_page_has_no_save_button_and_says_who_saves(app, seeded):
    planner = _page(signed_in(app.server.test_client(), seeded, "planner"))
    save, try_ = _button(planner, "plan-run"), _button(planner, "plan-try")
    assert save["hidden"] and save["disabled"] and not try_.get("disabled")
    assert "规划/监管可以试算方案，但不能保存" in planner and "值班员" in planner
    duty = _page(signed_in(app.server.test_client(), seeded, "duty"))
    assert not _button(duty, "plan-run")["hidden"] and "plan-save-note" not in duty


def test_a_save_forced_by_a_planner_is_answered_in_words_and_writes_nothing(app, seeded):
    client = signed_in(app.server.test_client(), seeded, "planner")
    before = _counts(seeded)
    answer = run(app, client, "plan-leaflet", {**SCENARIO, "plan-run.n_clicks": 1})  # status 200 asserted by run
    shown = json.dumps(answer["plan-result"]["children"], ensure_ascii=False)
    assert "无权执行此操作（plan.save）" in shown, shown
    assert _counts(seeded) == before
