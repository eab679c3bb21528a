"""The admin's accounts page, through Dash's callback endpoint (no browser): the phone column, set and cleared
per row, a new account with a phone, and a bad number refused with the page's message and nothing written."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from dashboard.app import create_app
from services.db import read_session
from tests.conftest import account, signed_in

HOME = "500114001"
OUTPUTS = [("users-message", "children"), ("users-tables", "children")]


def _key(component_id: dict) -> str:
    return json.dumps(component_id, sort_keys=True, separators=(",", ":"))


def press(client, trigger, *, users: list[str], phones: dict[str, str] | None = None, new: dict | None = None):
    """Press the button ``trigger`` (an id) with the rows of ``users`` and their phone inputs; the answer's texts."""
    phones, new = phones or {}, new or {}
    acts = [{"id": {"type": "users-act", "user": u, "act": a}, "property": "n_clicks",
             "value": 1 if {"type": "users-act", "user": u, "act": a} == trigger else 0}
            for u in users for a in ("disable", "reset", "token", "phone")]
    body = {
        "output": ".." + "...".join(f"{i}.{p}" for i, p in OUTPUTS) + "..",
        "outputs": [{"id": i, "property": p} for i, p in OUTPUTS],
        "inputs": [{"id": "users-add", "property": "n_clicks", "value": 1 if trigger == "users-add" else 0},
                   acts, []],
        "state": [{"id": "users-new-name", "property": "value", "value": new.get("name")},
                  {"id": "users-new-display", "property": "value", "value": None},
                  {"id": "users-new-role", "property": "value", "value": new.get("role", "viewer")},
                  {"id": "users-new-township", "property": "value", "value": new.get("township")},
                  {"id": "users-new-phone", "property": "value", "value": new.get("phone")},
                  [{"id": {"type": "users-phone", "user": u}, "property": "value", "value": phones.get(u, "")}
                   for u in users],
                  {"id": "users-lang", "property": "data", "value": "zh"},
                  {"id": "users-new-enterprise", "property": "value", "value": new.get("enterprise")}],
        "changedPropIds": [("users-add" if trigger == "users-add" else _key(trigger)) + ".n_clicks"],
    }
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)[:400]
    answer = response.get_json()["response"]
    return (json.dumps(answer["users-message"]["children"], ensure_ascii=False),
            json.dumps(answer.get("users-tables", {}).get("children"), ensure_ascii=False))


def _phones(settings) -> dict:
    with read_session(settings.database_url) as session:
        return dict(session.execute(text("SELECT username, phone FROM user_account")).all())


@pytest.fixture
def client(fresh):
    return signed_in(create_app(fresh).server.test_client(), fresh)


def test_the_admin_sets_and_clears_a_phone_from_the_row(fresh, client):
    staff = account(fresh, "township", HOME)
    users = sorted(_phones(fresh))
    phone = {"type": "users-act", "user": staff, "act": "phone"}
    message, tables = press(client, phone, users=users, phones={staff: "13900000005"})
    assert "13900000005" in message and "import-ok" in message
    assert _phones(fresh)[staff] == "13900000005"
    assert "电话" in tables and '"value": "13900000005"' in tables  # the column shows it on the redrawn table
    message, tables = press(client, phone, users=users, phones={staff: "13900000005x"})
    assert "电话号码应为" in message and "import-error" in message and tables == "null"  # tables not redrawn
    assert _phones(fresh)[staff] == "13900000005"
    message, _ = press(client, phone, users=users, phones={staff: "  "})
    assert "已清除" in message and _phones(fresh)[staff] is None


def test_a_new_account_takes_a_phone_and_a_bad_one_creates_nothing(fresh, client):
    users = sorted(_phones(fresh))
    new = {"name": "tw9", "role": "township", "township": HOME, "phone": "023-79223456"}
    message, tables = press(client, "users-add", users=users, new=new)
    assert "tw9" in message and _phones(fresh)["tw9"] == "023-79223456" and "023-79223456" in tables
    message, _ = press(client, "users-add", users=users, new={**new, "name": "tw10", "phone": "79223456"})
    assert "电话号码应为" in message and "tw10" not in _phones(fresh)


def test_an_enterprise_account_is_made_from_its_credit_code(fresh, client):
    from services.data.imports import import_file
    from tests.conftest import call, csv_for
    from tests.services.test_imports import credit_code, enterprise_row
    call(fresh, import_file, "enterprises", csv_for("enterprises", [enterprise_row(31)]), "e.csv")
    users = sorted(_phones(fresh))
    message, _ = press(client, "users-add", users=users, new={"name": "firm31", "role": "enterprise"})
    assert "企业账号须指定企业" in message and "firm31" not in _phones(fresh)
    message, tables = press(client, "users-add", users=users,
                            new={"name": "firm31", "role": "enterprise", "enterprise": credit_code(31)})
    assert "firm31" in message and "企业（自查报送）" in tables
    with read_session(fresh.database_url) as session:
        assert session.execute(text("SELECT u.role, e.credit_code FROM user_account u JOIN enterprise e "
                                    "ON e.id = u.enterprise_id WHERE u.username = 'firm31'")).one() == \
            ("enterprise", credit_code(31))
