"""The 叫应 board on both back-ends: each recipient's state (confirmed, waiting, overdue past the timeout,
escalated), escalation once (a race of two officers: one wins), refused for those who do not issue warnings and
after a confirmation; the feed shows the escalation; the duty view's buttons confirm and escalate (checked by SQL)."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import text

from services.db import read_session
from services.dispatch.ack_board import ack_board, escalate
from services.dispatch.feed import duty_feed
from services.dispatch.warnings import WarningRequest, acknowledge, issue_warning
from services.errors import Conflict, FieldError, Forbidden
from tests.conftest import call, call_as, principal_for, read
from tests.services.test_concurrency import race

AWAY = "500114002"


def _rows(settings, sql: str, **params) -> list:
    with read_session(settings.database_url) as session:
        return session.execute(text(sql), params).all()


@pytest.fixture
def warned(fresh):
    warning = call(fresh, issue_warning, WarningRequest(level="黄", hazard_type="地质灾害", headline="叫应测试",
                                                        townships=[AWAY], include_hazard_monitors=False,
                                                        ack_timeout_min=1,
                                                        recipients=[{"name": n} for n in ("甲", "乙", "丙")]))
    ids = dict(_rows(fresh, "SELECT name, id FROM warning_recipient WHERE warning_id = :w", w=warning))
    return fresh, warning, ids


def test_each_recipient_has_a_state_and_the_overdue_come_first(warned):
    settings, warning, ids = warned
    call(settings, acknowledge, warning, ids["甲"])
    now = read(settings, ack_board)
    assert [(r.name, r.state) for r in now[0].recipients] == [("乙", "waiting"), ("丙", "waiting"), ("甲", "acknowledged")]
    later = read(settings, ack_board, now=dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=2))
    states = {r.name: r for r in later[0].recipients}
    assert states["乙"].state == "overdue" and states["乙"].alarm and not states["甲"].alarm
    call(settings, escalate, warning, ids["乙"], actor="值班员A")
    row = _rows(settings, "SELECT escalated_at, escalated_by FROM warning_recipient WHERE id = :i", i=ids["乙"])[0]
    assert row[0] is not None and row[1] == "值班员A"
    states = {r.name: r.state for r in read(settings, ack_board)[0].recipients}
    assert states == {"甲": "acknowledged", "乙": "escalated", "丙": "waiting"}
    feed = [line for line in read(settings, duty_feed, kinds=["ack"]) if line.code == "feed.escalated"]
    assert [line.params["name"] for line in feed] == ["乙"] and feed[0].alarm and feed[0].actor == "值班员A"
    assert json.dumps(read(settings, ack_board)[0].to_json(), ensure_ascii=False)


def test_escalation_is_once_and_not_after_a_confirmation(warned):
    settings, warning, ids = warned
    outcomes = race(4, lambda i: call(settings, escalate, warning, ids["丙"], actor=f"officer{i}"))
    assert sorted(o[0] for o in outcomes) == ["ok", "refused", "refused", "refused"]
    assert all(isinstance(o[1], Conflict) for o in outcomes if o[0] == "refused")
    assert _rows(settings, "SELECT count(*) FROM audit_log WHERE action = 'escalate'")[0][0] == 1
    call(settings, acknowledge, warning, ids["甲"])
    with pytest.raises(Conflict):
        call(settings, escalate, warning, ids["甲"])
    with pytest.raises(FieldError):
        call(settings, escalate, warning, 999_999)


def test_only_those_who_issue_warnings_escalate(warned):
    settings, warning, ids = warned
    for role, township in (("viewer", None), ("township", AWAY), ("planner", None)):
        with pytest.raises(Forbidden):
            call_as(settings, principal_for(settings, role, township), escalate, warning, ids["乙"])
    assert _rows(settings, "SELECT escalated_at FROM warning_recipient WHERE id = :i", i=ids["乙"])[0][0] is None


def _press(app, client, kind: str, warning: int, recipient: int) -> str:
    key = next(k for k in app.callback_map if k.lstrip(".").startswith("duty-warnings."))
    button = {"recipient": recipient, "type": kind, "warning": warning}
    button_key = json.dumps(button, separators=(",", ":"), sort_keys=True)
    other = "duty-board-escalate" if kind == "duty-board-ack" else "duty-board-ack"
    groups = {kind: [{"id": button, "property": "n_clicks", "value": 1}], other: []}
    body = {"output": key, "outputs": {"id": "duty-warnings", "property": "children"},
            "inputs": [groups["duty-board-ack"], groups["duty-board-escalate"]],
            "state": [{"id": "duty-lang", "property": "data", "value": "zh"}],
            "changedPropIds": [f"{button_key}.n_clicks"]}
    answer = client.post("/_dash-update-component", json=body)
    assert answer.status_code == 200, answer.get_data(as_text=True)[:500]
    return json.dumps(answer.get_json()["response"], ensure_ascii=False)


def test_the_duty_view_confirms_and_escalates_from_the_board(warned):
    from dashboard.app import create_app
    from tests.conftest import signed_in
    settings, warning, ids = warned
    app = create_app(settings)
    client = signed_in(app.server.test_client(), settings, "duty")
    client.get("/_dash-dependencies")
    shown = _press(app, client, "duty-board-ack", warning, ids["甲"])
    assert _rows(settings, "SELECT acknowledged_at FROM warning_recipient WHERE id = :i", i=ids["甲"])[0][0]
    assert "已叫应" in shown and "代为确认" in shown and "升级" in shown
    shown = _press(app, client, "duty-board-escalate", warning, ids["乙"])
    assert _rows(settings, "SELECT escalated_by FROM warning_recipient WHERE id = :i", i=ids["乙"])[0][0]
    assert "已升级" in shown
    shown = _press(app, client, "duty-board-escalate", warning, ids["乙"])  # again: told, no 500
    assert "已由" in shown
