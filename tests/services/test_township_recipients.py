"""Township accounts as warning recipients, on both back-ends: the active accounts of every township a warning's
area reaches get a row of their own, acknowledged with one tap (their row only, once, while in force).
"""
from __future__ import annotations

import dataclasses
import threading
from http.server import HTTPServer

import pytest
from sqlalchemy import text

from services.accounts.users import create_user, set_disabled, set_phone
from services.db import read_session
from services.dispatch.ack_links import recipient_messages
from services.dispatch.gateway import deliver
from services.dispatch.warnings import (
    WarningRequest,
    acknowledge_mine,
    issue_warning,
    lift_warning,
)
from services.errors import Conflict, NotFound
from services.field.township import township_warnings
from tests.conftest import TEST_PASSWORD, call, call_as, principal_for
from tests.services.test_ack_links import _Gateway
from tests.services.test_concurrency import race

HOME, AWAY = "500114001", "500114002"  # 城东街道, 城南街道 (neighbours: a shared border is no reach)
RESPONSIBLE = [{"name": "李站长", "phone": "13900000001"}]


def _recipients(settings, warning_id: int) -> list[tuple]:
    with read_session(settings.database_url) as session:
        return [tuple(r) for r in session.execute(text(
            "SELECT r.name, r.role, u.username, r.acknowledged_at IS NOT NULL, r.phone FROM warning_recipient r "
            "LEFT JOIN user_account u ON u.id = r.user_id WHERE r.warning_id = :w ORDER BY r.id"), {"w": warning_id})]


def _warning(settings, **fields) -> int:
    request = {"level": "橙", "hazard_type": "地质灾害", "headline": "城东滑坡", "townships": [HOME],
               "recipients": RESPONSIBLE, "include_hazard_monitors": False} | fields
    return call(settings, issue_warning, WarningRequest(**request))


@pytest.fixture
def staff(fresh):
    """Township accounts: two at home (one of them disabled), one next door; and a duty officer."""
    home = principal_for(fresh, "township", HOME)
    call(fresh, create_user, "home-2", role="township", township_code=HOME, password=TEST_PASSWORD,
         display_name="城东二号")
    call(fresh, set_phone, "home-2", "13900000009")  # a phone number: the gateway's SMS goes there too
    call(fresh, create_user, "home-off", role="township", township_code=HOME, password=TEST_PASSWORD)
    call(fresh, set_disabled, "home-off")
    away = principal_for(fresh, "township", AWAY)
    return fresh, home, away


def test_the_accounts_of_the_townships_a_warning_reaches_are_its_recipients(staff):
    settings, home, away = staff
    warning_id = _warning(settings)
    assert _recipients(settings, warning_id) == [("李站长", "责任人", None, False, "13900000001"),
                                                 (home.display_name, "乡镇值守", home.username, False, None),
                                                 ("城东二号", "乡镇值守", "home-2", False, "13900000009")]
    lon, lat, d = 108.78149, 29.52086, 0.0008  # a small square around the seat of 城南街道, inside it
    polygon = {"type": "Polygon", "coordinates": [[[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d],
                                                   [lon - d, lat + d], [lon - d, lat - d]]]}
    drawn = _warning(settings, townships=[], polygon=polygon, recipients=[])  # township staff alone suffice
    assert [r[2] for r in _recipients(settings, drawn)] == [away.username]


def test_one_tap_acknowledges_ones_own_row_once(staff):
    settings, home, away = staff
    warning_id = _warning(settings)
    call_as(settings, home, acknowledge_mine, warning_id)
    assert [r[3] for r in _recipients(settings, warning_id)] == [False, True, False]
    with pytest.raises(Conflict):
        call_as(settings, home, acknowledge_mine, warning_id)
    with pytest.raises(NotFound) as elsewhere:  # the warning does not reach 城南: no row of theirs
        call_as(settings, away, acknowledge_mine, warning_id)
    assert elsewhere.value.code == "warning.not_a_recipient"
    with pytest.raises(NotFound):
        call_as(settings, home, acknowledge_mine, 999_999)
    shown = call_as(settings, home, township_warnings, HOME, write=False)
    assert [(w.id, w.acknowledged, w.recipients_total, w.acknowledged_at is not None) for w in shown] == \
        [(warning_id, 1, 3, True)]
    assert call_as(settings, away, township_warnings, AWAY, write=False) == []


def test_a_lifted_warning_takes_no_tap_and_two_taps_at_once_count_once(staff):
    settings, home, _ = staff
    lifted = _warning(settings)
    call(settings, lift_warning, lifted)
    with pytest.raises(Conflict):
        call_as(settings, home, acknowledge_mine, lifted)
    assert not any(r[3] for r in _recipients(settings, lifted))
    live = _warning(settings)
    outcomes = race(6, lambda i: call_as(settings, home, acknowledge_mine, live))
    assert sorted(kind for kind, _ in outcomes) == ["ok"] + ["refused"] * 5
    assert [r[3] for r in _recipients(settings, live)] == [False, True, False]
    with read_session(settings.database_url) as session:
        audits = session.execute(text("SELECT count(*) FROM audit_log WHERE action = 'acknowledge' AND entity_key = :w"),
                                 {"w": str(live)}).scalar()
    assert audits == 1


def test_a_phone_set_through_the_service_reaches_the_recipient_row_and_the_gateway(staff):
    settings, home, _ = staff
    call(settings, set_phone, home.username, "023-79223456")
    warning_id = _warning(settings, recipients=[])
    assert [(r[2], r[4]) for r in _recipients(settings, warning_id)] == [(home.username, "023-79223456"),
                                                                         ("home-2", "13900000009")]
    server = HTTPServer(("127.0.0.1", 0), _Gateway)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _Gateway.received = []
    try:
        on = dataclasses.replace(settings, notifications=dataclasses.replace(
            settings.notifications, webhook_url=f"http://127.0.0.1:{server.server_port}/sms"))
        report = deliver(on, warning_id, call(settings, recipient_messages, warning_id, write=False))
    finally:
        server.shutdown()
        server.server_close()
    assert (report.sent, report.failed, report.skipped) == (2, 0, 0)
    sent = {m["phone"]: m for m in _Gateway.received}
    assert set(sent) == {"023-79223456", "13900000009"}
    assert sent["023-79223456"]["name"] == home.display_name and "/ack/" in sent["023-79223456"]["link"]
    assert sent["023-79223456"]["link"] in sent["023-79223456"]["text"] and "城东滑坡" in sent["023-79223456"]["text"]
    call(settings, set_phone, home.username, None)  # cleared: the next warning's row has none, nothing is sent to it
    later = _warning(settings, recipients=[])
    assert _recipients(settings, later)[0][2:5:2] == (home.username, None)
