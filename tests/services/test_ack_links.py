"""叫应 without an account: personal links (once, while in force, one winner under concurrency), the message a
gateway receives (a real local HTTP server), the public link page, on both back-ends."""
from __future__ import annotations

import dataclasses
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from sqlalchemy import text

from dashboard.app import create_app
from services.db import read_session
from services.dispatch.ack_links import acknowledge_by_link, link_view, recipient_messages
from services.dispatch.gateway import deliver
from services.dispatch.warnings import WarningRequest, issue_warning, lift_warning
from services.errors import Conflict, NotFound
from tests.conftest import call, signed_in
from tests.services.test_concurrency import race

PEOPLE = [{"name": "李站长", "phone": "13900000001"}, {"name": "王村长", "phone": "13900000002"}, {"name": "无电话"}]


def _warning(settings) -> int:
    return call(settings, issue_warning, WarningRequest(level="橙", hazard_type="地质灾害", headline="城东滑坡橙色预警",
                                                        townships=["500114001"], recipients=PEOPLE,
                                                        include_hazard_monitors=False))


def _tokens(settings, warning_id: int) -> list[str]:
    with read_session(settings.database_url) as session:
        return list(session.execute(text("SELECT ack_token FROM warning_recipient WHERE warning_id = :w ORDER BY id"),
                                    {"w": warning_id}).scalars())


def test_each_recipient_has_an_own_link_that_acknowledges_once_while_in_force(fresh):
    warning_id = _warning(fresh)
    tokens = _tokens(fresh, warning_id)
    assert len(tokens) == 3 and len(set(tokens)) == 3 and all(len(tok) >= 32 for tok in tokens)
    messages = call(fresh, recipient_messages, warning_id, write=False)
    assert [m.link for m in messages] == [f"{fresh.notifications.public_url}/ack/{tok}" for tok in tokens]
    assert "橙色预警" in messages[0].text and messages[0].link in messages[0].text
    assert "Orange warning" in call(fresh, recipient_messages, warning_id, "en", write=False)[0].text
    view = call(fresh, acknowledge_by_link, tokens[0])
    assert view.acknowledged_at and view.recipient == "李站长"
    with pytest.raises(Conflict):
        call(fresh, acknowledge_by_link, tokens[0])
    with pytest.raises(NotFound):
        call(fresh, acknowledge_by_link, "x" * 32)
    call(fresh, lift_warning, warning_id)
    with pytest.raises(Conflict) as lifted:
        call(fresh, acknowledge_by_link, tokens[1])
    assert lifted.value.code == "warning.inactive"
    assert not call(fresh, link_view, tokens[1], write=False).active


def test_a_link_pressed_on_many_phones_at_once_acknowledges_once(fresh):
    token = _tokens(fresh, _warning(fresh))[0]
    outcomes = race(8, lambda i: call(fresh, acknowledge_by_link, token).recipient)
    assert sum(kind == "ok" for kind, _ in outcomes) == 1
    with read_session(fresh.database_url) as session:
        assert session.execute(text("SELECT count(*) FROM audit_log WHERE action = 'acknowledge'")).scalar() == 1


class _Gateway(BaseHTTPRequestHandler):
    received: list[dict] = []

    def do_POST(self):  # noqa: N802 — http.server's name
        length = int(self.headers["Content-Length"])
        _Gateway.received.append(json.loads(self.rfile.read(length)))
        self.send_response(202)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_the_gateway_gets_each_phone_s_message_and_a_dead_gateway_costs_only_a_report(fresh):
    server = HTTPServer(("127.0.0.1", 0), _Gateway)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _Gateway.received = []
    warning_id = _warning(fresh)
    messages = call(fresh, recipient_messages, warning_id, write=False)
    assert deliver(fresh, warning_id, messages).configured is False and _Gateway.received == []  # off by default
    on = dataclasses.replace(fresh, notifications=dataclasses.replace(
        fresh.notifications, webhook_url=f"http://127.0.0.1:{server.server_port}/sms"))
    report = deliver(on, warning_id, messages)
    assert (report.sent, report.failed, report.skipped) == (2, 0, 1)
    assert sorted(m["phone"] for m in _Gateway.received) == ["13900000001", "13900000002"]
    assert all(m["link"] in m["text"] and m["warning_id"] == warning_id for m in _Gateway.received)
    server.shutdown()
    server.server_close()
    dead = deliver(on, warning_id, messages)  # nobody listens on that port now
    assert (dead.sent, dead.failed) == (0, 2)


def test_the_link_page_works_without_an_account_and_the_links_are_the_issuers(fresh):
    warning_id = _warning(fresh)
    token = _tokens(fresh, warning_id)[1]
    app = create_app(fresh).server
    phone = app.test_client()
    page = phone.get(f"/ack/{token}").get_data(as_text=True)
    assert "王村长" in page and "城东滑坡橙色预警" in page
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert phone.post(f"/ack/{token}", data={}).status_code == 400  # no form token: refused
    done = phone.post(f"/ack/{token}", data={"csrf_token": csrf}).get_data(as_text=True)
    assert "确认收到" in done
    assert phone.get("/ack/" + "y" * 32).status_code == 404
    assert signed_in(app.test_client(), fresh, "viewer").get(f"/api/v1/warnings/{warning_id}/messages").status_code == 403
    shown = signed_in(app.test_client(), fresh, "duty").get(f"/api/v1/warnings/{warning_id}/messages").get_json()
    assert [m["acknowledged"] for m in shown["messages"]] == [False, True, False]
