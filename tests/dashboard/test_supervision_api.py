"""安全监管 through the API on both back-ends: an inspection with a finding, the township reporting the
rectification, another supervisor's acceptance check, the open list with enterprise ids, a penalty with an exact
amount, the case timeline; roles and townships refused where they must be, bad input named, nothing partial."""
from __future__ import annotations

import datetime as dt

import pytest

from dashboard.app import create_app
from services.data.imports import import_file
from tests.conftest import call, csv_for, shanghai_today, signed_in
from tests.services.test_concurrency import scalar
from tests.services.test_imports import enterprise_row

TODAY = shanghai_today()


@pytest.fixture
def setup(fresh):
    call(fresh, import_file, "enterprises", csv_for("enterprises", [enterprise_row(1)]), "e.csv")
    firm = scalar(fresh, "SELECT id FROM enterprise")
    home = scalar(fresh, "SELECT township_code FROM enterprise")
    other = scalar(fresh, "SELECT code FROM township WHERE code <> :c ORDER BY code LIMIT 1", c=home)
    return create_app(fresh), fresh, firm, home, other


def client(app, settings, role, township=None):
    return signed_in(app.server.test_client(), settings, role, township)


def test_the_closed_loop_through_the_api(setup):
    app, settings, firm, home, other = setup
    planner = client(app, settings, "planner")
    inspection = planner.post("/api/v1/supervision/inspections", json={
        "enterprise_id": firm, "inspected_on": TODAY.isoformat(), "inspectors": "张三、李四", "department": "区应急局",
        "items": ["用电安全", "消防通道"],
        "findings": [{"description": "配电箱未接地", "deadline": (TODAY + dt.timedelta(days=7)).isoformat()}]})
    assert inspection.status_code == 201, inspection.get_json()
    danger_id = inspection.get_json()["danger_ids"][0]
    listed = planner.get("/api/v1/supervision/dangers?status=open").get_json()
    assert listed["total"] == 1 and listed["dangers"][0]["enterprise_id"] == firm
    assert listed["dangers"][0]["source"] == "部门检查" and listed["dangers"][0]["found_by"] == "张三、李四"
    # the township's staff report the rectification of their enterprise; another township's may not
    stranger = client(app, settings, "township", other)
    refused = stranger.post(f"/api/v1/supervision/dangers/{danger_id}/rectification",
                            json={"responsible_person": "王五", "measures": "加装接地线"})
    assert refused.status_code == 403
    assert stranger.get("/api/v1/supervision/dangers?status=open").get_json()["total"] == 0
    staff = client(app, settings, "township", home)
    assert staff.post(f"/api/v1/supervision/dangers/{danger_id}/rectification",
                      json={"responsible_person": "王五", "measures": "加装接地线", "funds_yuan": "800.00"}).status_code == 200
    assert staff.post(f"/api/v1/supervision/dangers/{danger_id}/submission", json={}).status_code == 200
    # township staff cannot accept; the planner who recorded it cannot either; another supervisor can
    check = {"passed": True, "checked_by": "赵六", "checked_on": TODAY.isoformat()}
    assert staff.post(f"/api/v1/supervision/dangers/{danger_id}/rechecks", json=check).status_code == 403
    own = planner.post(f"/api/v1/supervision/dangers/{danger_id}/rechecks", json=check)
    assert own.status_code == 409 and own.get_json()["error"] == "danger.self_acceptance"
    admin = client(app, settings, "admin")
    done = admin.post(f"/api/v1/supervision/dangers/{danger_id}/rechecks", json=check)
    assert done.status_code == 201 and done.get_json()["status"] == "已销号"
    assert [r["passed"] for r in done.get_json()["rechecks"]] == [True]
    assert scalar(settings, "SELECT open_hidden_dangers FROM enterprise WHERE id = :i", i=firm) == 0
    penalty = planner.post("/api/v1/supervision/penalties", json={
        "enterprise_id": firm, "decision_no": "黔江应急罚〔2026〕12号", "penalty_type": "罚款", "amount_yuan": "20000.50",
        "decided_on": TODAY.isoformat(), "inspection_id": inspection.get_json()["id"]})
    assert penalty.status_code == 201 and penalty.get_json()["amount_yuan"] == "20000.50"
    again = planner.post("/api/v1/supervision/penalties", json={
        "enterprise_id": firm, "decision_no": "黔江应急罚〔2026〕12号", "penalty_type": "警告",
        "decided_on": TODAY.isoformat()})
    assert again.status_code == 409 and again.get_json()["parameter"] == "decision_no"
    case = planner.get(f"/api/v1/supervision/inspections/{inspection.get_json()['id']}/case").get_json()
    assert [s["kind"] for s in case["steps"]] == ["inspection", "danger", "rectify", "submit", "recheck_pass", "penalty"]
    assert case["flags"] == []
    record = planner.get(f"/api/v1/supervision/enterprises/{firm}").get_json()
    assert record["penalties_total_yuan"] == "20000.50" and record["open_dangers"] == []
    assert record["inspections"][0]["danger_ids"] == [danger_id]


@pytest.mark.parametrize("change, parameter", [
    ({"findings": [{"description": "x", "deadline": "2020-01-01"}]}, "findings[0].deadline"),
    ({"findings": [{"description": "x", "deadline": "明天"}]}, "findings.0.deadline"),
    ({"inspected_on": (TODAY + dt.timedelta(days=3)).isoformat()}, "inspected_on"),
    ({"inspectors": ""}, "inspectors"),
    ({"findings": [{"description": "重大", "deadline": (TODAY + dt.timedelta(days=3)).isoformat(), "level": "重大"}]},
     "findings[0].supervising_leader"),
    ({"extra": 1}, "extra"),
])
def test_a_bad_inspection_is_refused_naming_the_field_and_writes_nothing(setup, change, parameter):
    app, settings, firm, *_ = setup
    body = {"enterprise_id": firm, "inspected_on": TODAY.isoformat(), "inspectors": "张三",
            "findings": [{"description": "ok", "deadline": (TODAY + dt.timedelta(days=3)).isoformat()}], **change}
    answer = client(app, settings, "planner").post("/api/v1/supervision/inspections", json=body)
    assert answer.status_code == 400 and answer.get_json()["parameter"] == parameter, answer.get_json()
    assert scalar(settings, "SELECT count(*) FROM inspection") == 0
    assert scalar(settings, "SELECT count(*) FROM hidden_danger") == 0


def test_roles_without_the_permission_are_refused(setup):
    app, settings, firm, *_ = setup
    for role in ("viewer", "duty", "commander"):
        c = client(app, settings, role)
        assert c.get("/api/v1/supervision/dangers").status_code == 200
        assert c.post("/api/v1/supervision/inspections", json={
            "enterprise_id": firm, "inspected_on": TODAY.isoformat(), "inspectors": "x"}).status_code == 403
        assert c.post("/api/v1/supervision/dangers", json={
            "enterprise_id": firm, "level": "一般", "source": "企业自查", "self_check_cycle": "日", "description": "x",
            "found_on": TODAY.isoformat(), "found_by": "x", "deadline": TODAY.isoformat()}).status_code == 403
    assert scalar(settings, "SELECT count(*) FROM hidden_danger") == 0


def test_the_map_rings_an_enterprise_with_an_overdue_danger_and_filters_on_it(setup):
    app, settings, firm, *_ = setup
    from services import clock
    planner = client(app, settings, "planner")
    planner.post("/api/v1/supervision/dangers", json={
        "enterprise_id": firm, "level": "一般", "source": "企业自查", "self_check_cycle": "周", "description": "消防通道堵塞",
        "found_on": TODAY.isoformat(), "found_by": "企业安全员", "deadline": TODAY.isoformat()})
    layer = planner.get("/api/v1/layers/enterprises?view=map").get_json()["features"]
    assert layer[0]["properties"]["danger_flag"] == ""
    assert planner.get("/api/v1/layers/enterprises?danger=overdue").get_json()["features"] == []
    try:
        clock.shift_for_tests(dt.timedelta(days=2))
        layer = planner.get("/api/v1/layers/enterprises?view=map&v=2").get_json()["features"]
        assert layer[0]["properties"]["danger_flag"] == "overdue"
        assert len(planner.get("/api/v1/layers/enterprises?danger=overdue").get_json()["features"]) == 1
    finally:
        clock.shift_for_tests(dt.timedelta(0))


def test_the_four_colour_map_gives_each_township_its_highest_enterprise_level(setup):
    """风险四色图: a township takes the colour of its highest enterprise risk level (counted here in SQL)."""
    app, settings, firm, home, _ = setup
    planner = client(app, settings, "planner")
    answer = planner.get("/api/v1/choropleth/risk_four_colour")
    body = answer.get_json()
    assert answer.status_code == 200, body
    assert body["breaks"] == [1.0, 2.0, 3.0, 4.0]
    assert body["colours"] == ["#2c7bb6", "#e8c547", "#f28e2b", "#d7191c"]  # 低 一般 较大 重大
    assert body["values"][home] == 2  # the one enterprise is 一般
    assert all(v is None for code, v in body["values"].items() if code != home)
    planner.put(f"/api/v1/supervision/enterprises/{firm}/risk-level", json={"risk_level": "重大"})
    assert planner.get("/api/v1/choropleth/risk_four_colour").get_json()["values"][home] == 4
