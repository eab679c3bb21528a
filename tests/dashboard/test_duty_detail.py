"""The duty view's incident detail callback on both back-ends: a step of 接报 → 核实 → 处置中 → 已结束 needs a note,
is written with it on the timeline (checked by SQL), and is offered and allowed only to holders of incident.manage."""
from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import text

from dashboard.app import create_app
from services.db import read_session
from services.dispatch.incidents import IncidentReport, report_incident
from tests.conftest import call, signed_in

CITY = (108.7748, 29.5328)  # 城西街道


def _rows(settings, sql: str, **params) -> list:
    with read_session(settings.database_url) as session:
        return session.execute(text(sql), params).all()


def _step(app, client, incident_id: int, status: str | None, note: str, lang: str = "zh"):
    """Post the detail callback as the browser does: a click on the step button ``status`` (None: the incident
    chosen) with the note typed."""
    key = next(k for k in app.callback_map if k.lstrip(".").startswith("duty-detail."))
    spec = app.callback_map[key]
    button = {"status": status or "核实", "type": "duty-step"}
    button_key = json.dumps(button, separators=(",", ":"), sort_keys=True)
    inputs = [{"id": "duty-dispatch-incident", "property": "value", "value": incident_id},
              {"id": "duty-version", "property": "data", "value": 1},
              [{"id": button, "property": "n_clicks", "value": 1 if status else 0}]]
    state = [{"id": "duty-step-note", "property": "value", "value": note},
             {"id": "duty-lang", "property": "data", "value": lang}]
    assert len(spec["inputs"]) == 3 and len(spec["state"]) == 2
    outputs = [{"id": o.split(".")[0], "property": o.split(".")[1]} for o in key.strip(".").split("...")]
    assert [o["id"] for o in outputs] == ["duty-detail", "duty-detail-log", "duty-step-message", "duty-step-note"]
    body = {"output": key, "outputs": outputs, "inputs": inputs, "state": state,
            "changedPropIds": [f"{button_key}.n_clicks" if status else "duty-dispatch-incident.value"]}
    answer = client.post("/_dash-update-component", json=body)
    assert answer.status_code == 200, answer.get_data(as_text=True)[:500]
    return json.dumps(answer.get_json()["response"], ensure_ascii=False)


def _status(settings, incident_id: int) -> str:
    return _rows(settings, "SELECT status FROM incident WHERE id = :i", i=incident_id)[0][0]


def _incident(settings) -> int:
    return call(settings, report_incident, IncidentReport(title="详情测试", kind="滑坡", level="Ⅳ", lon=CITY[0],
                                                          lat=CITY[1], occurred_at=dt.datetime.now(dt.timezone.utc),
                                                          reporter="r"))


def test_a_step_needs_a_note_and_goes_on_the_timeline_with_it(fresh):
    incident = _incident(fresh)
    app = create_app(fresh)
    client = signed_in(app.server.test_client(), fresh, "duty")
    client.get("/_dash-dependencies")
    shown = _step(app, client, incident, None, "")
    assert "1 接报" in shown and "转为“核实”" in shown and "转为“已结束”" in shown
    _step(app, client, incident, "核实", "  ")
    assert _status(fresh, incident) == "接报"  # no note: nothing moved
    shown = _step(app, client, incident, "核实", "现场核实属实")
    assert _status(fresh, incident) == "核实"
    assert _rows(fresh, "SELECT count(*) FROM incident_event WHERE incident_id = :i AND code = 'event.status_note'",
                 i=incident)[0][0] == 1
    assert "现场核实属实" in shown and "转为“处置中”" in shown
    shown = _step(app, client, incident, "核实", "再点一次")  # a stale button: refused with a reason, not a 500
    assert _status(fresh, incident) == "核实" and "short" in shown
    english = _step(app, client, incident, None, "", lang="en")
    assert "Move to Being handled" in english and "Verified" in english


def test_township_staff_see_the_detail_but_no_steps_and_cannot_move_it(fresh):
    incident = _incident(fresh)
    home = _rows(fresh, "SELECT township_code FROM incident WHERE id = :i", i=incident)[0][0]
    app = create_app(fresh)
    client = signed_in(app.server.test_client(), fresh, "township", home)
    client.get("/_dash-dependencies")
    shown = _step(app, client, incident, None, "")
    assert "详情测试" in shown and "duty-step-button" not in shown
    _step(app, client, incident, "核实", "越权")
    assert _status(fresh, incident) == "接报"
