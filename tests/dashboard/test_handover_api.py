"""交接班 through the API, on both back-ends: a duty officer leaves a note (201, stored once and audited under them,
counted in SQL) and reads the newest; bad input is a 400 naming ``note`` (or 415) with nothing written; roles
without ``incident.manage`` (planner, township staff) get 403."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from dashboard.app import create_app
from services.db import read_session
from tests.conftest import account, signed_in


@pytest.fixture
def app(fresh):
    return create_app(fresh)


def _rows(settings) -> tuple[int, list[tuple[str, str]]]:
    with read_session(settings.database_url) as session:
        notes = session.execute(text("SELECT count(*) FROM shift_handover")).scalar_one()
        audited = list(session.execute(text("SELECT actor, action FROM audit_log WHERE entity = 'shift_handover'")))
    return notes, [tuple(r) for r in audited]


def test_a_duty_officer_leaves_a_note_and_the_next_reads_it_first(app, fresh):
    client = signed_in(app.server.test_client(), fresh, "duty")
    empty = client.get("/api/v1/handover/latest")
    assert empty.status_code == 200 and empty.get_json() == {"handover": None}
    note = "城西滑坡仍在处置中\n注意 G319 封闭"
    answer = client.post("/api/v1/handover", json={"note": note})
    assert answer.status_code == 201, answer.get_data(as_text=True)
    written = answer.get_json()["handover"]
    duty = account(fresh, "duty")
    assert written["note"] == note and written["author"] == duty and written["read_at"] is None
    assert _rows(fresh) == (1, [(duty, "handover")])
    latest = client.get("/api/v1/handover/latest").get_json()["handover"]
    assert latest == written
    second = client.post("/api/v1/handover", json={"note": "交班：无新情况"}).get_json()["handover"]
    assert client.get("/api/v1/handover/latest").get_json()["handover"]["id"] == second["id"] > written["id"]


@pytest.mark.parametrize("body", [{"note": ""}, {"note": "   "}, {"note": "x" * 4001}, {}, {"note": 5},
                                  {"note": "ok", "author": "someone else"}])
def test_bad_notes_are_refused_naming_the_field_and_nothing_is_written(app, fresh, body):
    client = signed_in(app.server.test_client(), fresh, "duty")
    answer = client.post("/api/v1/handover", json=body)
    assert answer.status_code == 400, answer.get_data(as_text=True)
    refused = answer.get_json()
    assert refused["parameter"] in ("note", "author") and refused["reason"] and refused["reason_en"]
    assert _rows(fresh) == (0, [])


def test_a_note_that_is_not_json_is_refused(app, fresh):
    client = signed_in(app.server.test_client(), fresh, "duty")
    answer = client.post("/api/v1/handover", data="note=hello", content_type="application/x-www-form-urlencoded")
    assert answer.status_code == 415 and _rows(fresh) == (0, [])


@pytest.mark.parametrize("role,township", [("planner", None), ("viewer", None), ("township", "500114001")])
def test_roles_without_incident_manage_get_403(app, fresh, role, township):
    client = signed_in(app.server.test_client(), fresh, role, township)
    assert client.get("/api/v1/handover/latest").status_code == 403
    refused = client.post("/api/v1/handover", json={"note": "我来交班"})
    assert refused.status_code == 403 and refused.get_json()["parameter"] == "permission"
    assert _rows(fresh) == (0, [])
