"""交接班 on both back-ends: a note is written (audited, moves the change counter), is the newest until taken over,
is taken over once (a race: one wins, the other is told who), and is duty work only; the duty view shows it first,
and 接班 from the page marks it read (checked by SQL)."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from services.db import read_session
from services.dispatch.duty import change_counter
from services.dispatch.handover import latest_handover, take_over, write_handover
from services.errors import Conflict, FieldError, Forbidden
from tests.conftest import call, call_as, principal_for, read
from tests.services.test_concurrency import race


def _rows(settings, sql: str, **params) -> list:
    with read_session(settings.database_url) as session:
        return session.execute(text(sql), params).all()


def test_a_note_is_the_newest_until_taken_over_once(fresh):
    before = read(fresh, change_counter)
    first = call(fresh, write_handover, "  城西滑坡仍在处置，乙未叫应  ", actor="白班甲")
    assert read(fresh, change_counter) > before
    h = read(fresh, latest_handover)
    assert (h.id, h.author, h.note, h.read_at) == (first, "白班甲", "城西滑坡仍在处置，乙未叫应", None)
    outcomes = race(3, lambda i: call(fresh, take_over, first, actor=f"夜班{i}"))
    assert sorted(o[0] for o in outcomes) == ["ok", "refused", "refused"]
    assert all(isinstance(o[1], Conflict) for o in outcomes if o[0] == "refused")
    read_by = _rows(fresh, "SELECT read_by FROM shift_handover WHERE id = :i", i=first)[0][0]
    assert read_by.startswith("夜班") and read(fresh, latest_handover).read_by == read_by
    assert _rows(fresh, "SELECT count(*) FROM audit_log WHERE action = 'take_over'")[0][0] == 1
    second = call(fresh, write_handover, "夜班无新情况", actor="夜班0")
    assert read(fresh, latest_handover).id == second and json.dumps(read(fresh, latest_handover).to_json())


def test_empty_long_and_not_duty_are_refused(fresh):
    for note in ("", "   ", "长" * 4001):
        with pytest.raises(FieldError):
            call(fresh, write_handover, note)
    for role, township in (("viewer", None), ("planner", None), ("township", "500114001")):
        with pytest.raises(Forbidden):
            call_as(fresh, principal_for(fresh, role, township), write_handover, "越权")
    assert _rows(fresh, "SELECT count(*) FROM shift_handover")[0][0] == 0


def test_the_duty_view_shows_the_note_first_and_takes_it_over(fresh):
    from dashboard.app import create_app
    from tests.conftest import signed_in
    handover_id = call(fresh, write_handover, "交接：注意城南暴雨", actor="白班甲")
    app = create_app(fresh)
    client = signed_in(app.server.test_client(), fresh, "duty")
    client.get("/_dash-dependencies")
    key = next(k for k in app.callback_map if k.lstrip(".").startswith("duty-handover."))
    outputs = [{"id": o.split(".")[0], "property": o.split(".")[1]} for o in key.strip(".").split("...")]

    def post(changed: str, reads: list):
        body = {"output": key, "outputs": outputs,
                "inputs": [{"id": "duty-version", "property": "data", "value": 5}, reads,
                           {"id": "duty-handover-submit", "property": "n_clicks", "value": 0}],
                "state": [{"id": "duty-handover-note", "property": "value", "value": None},
                          {"id": "duty-lang", "property": "data", "value": "zh"}],
                "changedPropIds": [changed]}
        answer = client.post("/_dash-update-component", json=body)
        assert answer.status_code == 200, answer.get_data(as_text=True)[:300]
        return json.dumps(answer.get_json()["response"], ensure_ascii=False)

    shown = post("duty-version.data", [])
    assert "交接：注意城南暴雨" in shown and "已阅，接班" in shown and "unread" in shown
    button = {"id": handover_id, "type": "duty-handover-read"}
    shown = post(json.dumps(button, separators=(",", ":"), sort_keys=True) + ".n_clicks",
                 [{"id": button, "property": "n_clicks", "value": 1}])
    assert _rows(fresh, "SELECT read_at IS NOT NULL FROM shift_handover WHERE id = :i", i=handover_id)[0][0]
    assert "已于" in shown and "unread" not in shown
    township = signed_in(app.server.test_client(), fresh, "township", "500114001")
    client = township
    assert "交接" not in post("duty-version.data", [])
