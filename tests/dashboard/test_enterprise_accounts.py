"""Enterprises' own reports through the same API (issue 14 point 10): an enterprise's account records its own
self-check dangers (企业自查) and reports their rectification; it may not touch another enterprise, report another
source, accept its own work, or read figures across enterprises; its lists hold its own records only. Both
back-ends; the database is asked directly what was written."""
from __future__ import annotations

import datetime as dt

import pytest

from dashboard.app import create_app
from services.accounts.users import create_user
from services.data.imports import import_file
from services.errors import FieldError, NotFound
from tests.conftest import TEST_PASSWORD, call, csv_for, shanghai_today, signed_in
from tests.services.test_concurrency import scalar
from tests.services.test_imports import credit_code, enterprise_row

TODAY = shanghai_today()


@pytest.fixture
def setup(fresh):
    rows = [enterprise_row(n, 企业名称=f"自查企业{n}") for n in (1, 2)]
    call(fresh, import_file, "enterprises", csv_for("enterprises", rows), "e.csv")
    own = scalar(fresh, "SELECT min(id) FROM enterprise")  # the test enterprise account speaks for the first
    other = scalar(fresh, "SELECT max(id) FROM enterprise")
    return create_app(fresh), fresh, own, other


def _danger(firm: int, **over) -> dict:
    body = {"enterprise_id": firm, "level": "一般", "source": "企业自查", "self_check_cycle": "周",
            "description": "配电柜门锁损坏", "found_on": TODAY.isoformat(), "found_by": "班组长",
            "deadline": (TODAY + dt.timedelta(days=5)).isoformat()}
    return body | over


def test_an_enterprise_reports_its_own_checks_and_nothing_else(setup):
    app, settings, own, other = setup
    firm = signed_in(app.server.test_client(), settings, "enterprise")
    made = firm.post("/api/v1/supervision/dangers", json=_danger(own))
    assert made.status_code == 201, made.get_json()
    danger = made.get_json()["id"]
    assert scalar(settings, "SELECT open_hidden_dangers FROM enterprise WHERE id = :e", e=own) == 1
    # another enterprise, another source: refused, nothing written
    other_firm = firm.post("/api/v1/supervision/dangers", json=_danger(other))
    assert other_firm.status_code == 403 and other_firm.get_json()["error"] == "permission.other_enterprise"
    inspected = firm.post("/api/v1/supervision/dangers", json=_danger(own, source="部门检查", self_check_cycle=None))
    assert inspected.status_code == 403 and inspected.get_json()["error"] == "permission.enterprise_self_check"
    assert scalar(settings, "SELECT count(*) FROM hidden_danger") == 1
    # its rectification it reports; its acceptance it may not give
    assert firm.post(f"/api/v1/supervision/dangers/{danger}/rectification",
                     json={"responsible_person": "设备主管", "measures": "更换门锁"}).status_code == 200
    assert firm.post(f"/api/v1/supervision/dangers/{danger}/submission", json={}).status_code == 200
    check = {"passed": True, "checked_by": "设备主管", "checked_on": TODAY.isoformat()}
    assert firm.post(f"/api/v1/supervision/dangers/{danger}/rechecks", json=check).status_code == 403
    assert scalar(settings, "SELECT status FROM hidden_danger WHERE id = :d", d=danger) == "待验收"
    # a planner's danger of the other enterprise stays out of its lists and its reach
    planner = signed_in(app.server.test_client(), settings, "planner")
    theirs = planner.post("/api/v1/supervision/dangers", json=_danger(other, source="部门检查", self_check_cycle=None))
    assert theirs.status_code == 201
    listed = firm.get("/api/v1/supervision/dangers?status=all").get_json()
    assert [d["id"] for d in listed["dangers"]] == [danger] and listed["total"] == 1
    assert planner.get("/api/v1/supervision/dangers?status=all").get_json()["total"] == 2
    assert firm.get(f"/api/v1/supervision/dangers/{theirs.get_json()['id']}").status_code == 403
    assert firm.get(f"/api/v1/supervision/enterprises/{own}").status_code == 200
    assert firm.get(f"/api/v1/supervision/enterprises/{other}").status_code == 403
    # figures across enterprises are for staff
    month = f"{TODAY:%Y-%m}"
    for url in (f"/api/v1/supervision/rankings?month={month}", "/api/v1/supervision/milestones",
                "/api/v1/supervision/campaigns", "/api/v1/supervision/cases/flagged"):
        answer = firm.get(url)
        assert answer.status_code == 403 and answer.get_json()["error"] == "permission.staff_only", url
    # and no page of the app: the map is not its to read
    assert firm.get("/api/v1/layers/enterprises").status_code == 403
    assert scalar(settings, "SELECT actor FROM audit_log WHERE entity = 'hidden_danger' AND action = 'create' "
                            "ORDER BY id LIMIT 1") == "t-enterprise-all"


def test_an_enterprise_account_names_one_enterprise(setup):
    _, settings, own, _ = setup
    with pytest.raises(FieldError) as missing:
        call(settings, create_user, "firm-a", role="enterprise", password=TEST_PASSWORD)
    assert missing.value.field == "enterprise"
    with pytest.raises(NotFound):
        call(settings, create_user, "firm-b", role="enterprise", password=TEST_PASSWORD, enterprise=credit_code(77))
    with pytest.raises(FieldError) as not_for_role:
        call(settings, create_user, "firm-c", role="planner", password=TEST_PASSWORD, enterprise=credit_code(1))
    assert not_for_role.value.field == "enterprise"
    made = call(settings, create_user, "firm-d", role="enterprise", password=TEST_PASSWORD,
                enterprise=credit_code(1).lower())
    assert made.role == "enterprise"
    assert scalar(settings, "SELECT enterprise_id FROM user_account WHERE username = 'firm-d'") == own
    assert scalar(settings, "SELECT count(*) FROM user_account WHERE username IN ('firm-a', 'firm-b', 'firm-c')") == 0
