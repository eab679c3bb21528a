"""The milestones, cards and campaigns API (/api/v1/supervision/…), on both back-ends: the hand case of
tests/services/test_supervision_milestones.py read through HTTP, a card set (audited, the summary follows),
campaigns created (201, 409 for a name taken) and read, refusals by role and input."""
from __future__ import annotations

from urllib.parse import quote

import pytest
from sqlalchemy import text

from dashboard.app import create_app
from services.db import read_session
from tests.conftest import signed_in
from tests.services.test_supervision_milestones import CARDS, CHENGDONG, firms  # noqa: F401 — the fixture


@pytest.fixture
def client(firms):  # noqa: F811
    settings, ids = firms
    app = create_app(settings)
    return app.server.test_client(), settings, ids


def _as(client, settings, role, township=None):
    return signed_in(client, settings, role, township)


def test_milestones_and_who_is_behind(client):
    http, settings, ids = client
    planner = _as(http, settings, "planner")
    answer = planner.get("/api/v1/supervision/milestones?year=2026")
    assert answer.status_code == 200, answer.get_data(as_text=True)
    body = answer.get_json()
    got = {m["milestone"]: (m["required"], m["done"], m["due_on"]) for m in body["milestones"]}
    assert got == {"pilots": (2, 1, "2026-03-31"), "above_size": (7, 3, "2026-09-30"), "all": (10, 4, "2026-12-31")}
    assert body["milestones"][0]["label"] and body["milestones"][0]["label_en"] and body["done_status"] == "已应用"
    behind = planner.get("/api/v1/supervision/milestones/behind?year=2026&milestone=pilots").get_json()
    assert behind["total"] == 1 and behind["enterprises"][0]["enterprise_id"] == ids["B"]
    assert behind["enterprises"][0]["cards"][CARDS[3]] == "已培训"
    sector = planner.get("/api/v1/supervision/milestones/behind?year=2026&milestone=above_size&sector="
                         + quote("工贸")).get_json()
    assert [e["enterprise_id"] for e in sector["enterprises"]] == [ids["D"]]
    for bad in ("milestone=soon", "year=1999", "sector=x", "limit=0"):
        refused = planner.get(f"/api/v1/supervision/milestones/behind?{bad}")
        assert refused.status_code == 400 and refused.get_json()["reason_en"], bad


def test_township_staff_see_their_township(client):
    http, settings, _ = client
    staff = _as(http, settings, "township", CHENGDONG)
    body = staff.get("/api/v1/supervision/milestones?year=2026&township=500114003").get_json()
    assert {m["milestone"]: m["required"] for m in body["milestones"]} == {"pilots": 0, "above_size": 1, "all": 1}
    assert body["township_code"] == CHENGDONG


def test_setting_a_card(client):
    http, settings, ids = client
    planner = _as(http, settings, "planner")
    url = f"/api/v1/supervision/enterprises/{ids['B']}/cards/{quote(CARDS[3])}"
    answer = planner.put(url, json={"status": "已应用"})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert answer.get_json() == {"enterprise_id": ids["B"], "cards": dict.fromkeys(CARDS, "已应用"),
                                 "summary": "已完成"}
    pilots = planner.get("/api/v1/supervision/milestones?year=2026").get_json()["milestones"][0]
    assert (pilots["required"], pilots["done"]) == (2, 2)
    with read_session(settings.database_url) as session:
        assert session.execute(text("SELECT duty_card_status FROM enterprise WHERE id = :i"),
                               {"i": ids["B"]}).scalar() == "已完成"
        assert session.execute(text("SELECT count(*) FROM audit_log WHERE action = 'duty_card'")).scalar() >= 1
    assert planner.put(url, json={"status": "完成"}).status_code == 400
    assert planner.put(url, data="status=x", content_type="text/plain").status_code == 415
    assert planner.put(f"/api/v1/supervision/enterprises/{ids['B']}/cards/x", json={"status": "已应用"}).status_code \
        == 404
    assert planner.put(f"/api/v1/supervision/enterprises/999999/cards/{quote(CARDS[0])}",
                       json={"status": "已应用"}).status_code == 404
    viewer = _as(http, settings, "viewer")
    assert viewer.put(url, json={"status": "未编制"}).status_code == 403


def test_campaigns(client):
    http, settings, ids = client
    planner = _as(http, settings, "planner")
    body = {"name": "燃气安全专项整治", "sectors": ["燃气"], "starts_on": "2026-04-01", "ends_on": "2026-09-30"}
    created = planner.post("/api/v1/supervision/campaigns", json=body)
    assert created.status_code == 201, created.get_data(as_text=True)
    campaign = created.get_json()["campaign"]
    assert campaign["targets"] == 1 and campaign["inspected"] == 0 and campaign["state"] == "ended"  # B is 燃气
    taken = planner.post("/api/v1/supervision/campaigns", json=body)
    assert taken.status_code == 409 and taken.get_json()["error"] == "campaign.name_taken"
    reversed_period = planner.post("/api/v1/supervision/campaigns", json={**body, "name": "x",
                                                                          "ends_on": "2026-03-01"})
    assert reversed_period.status_code == 400 and reversed_period.get_json()["parameter"] == "ends_on"
    explicit = planner.post("/api/v1/supervision/campaigns", json={**body, "name": "工贸抽查", "sectors": ["工贸"],
                                                                   "enterprise_ids": [ids["A"], ids["D"]]})
    assert explicit.status_code == 201 and explicit.get_json()["total_targets"] == 2
    listed = planner.get("/api/v1/supervision/campaigns").get_json()["campaigns"]
    assert sorted(c["name"] for c in listed) == ["工贸抽查", "燃气安全专项整治"]
    detail = planner.get(f"/api/v1/supervision/campaigns/{campaign['id']}?targets=uninspected")
    assert detail.status_code == 200
    assert [t["enterprise_id"] for t in detail.get_json()["targets"]] == [ids["B"]]
    assert planner.get("/api/v1/supervision/campaigns/999999").status_code == 404
    assert planner.get(f"/api/v1/supervision/campaigns/{campaign['id']}?targets=x").status_code == 400
    staff = _as(http, settings, "township", CHENGDONG)
    assert staff.post("/api/v1/supervision/campaigns", json={**body, "name": "y"}).status_code == 403
    seen = staff.get(f"/api/v1/supervision/campaigns/{campaign['id']}").get_json()
    assert seen["campaign"]["targets"] == 0 and seen["targets"] == []  # B is of 城西


def test_the_routes_are_in_the_openapi_document(client):
    http, settings, _ = client
    doc = _as(http, settings, "viewer").get("/api/v1/openapi.json").get_json()
    paths = doc["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/supervision/campaigns"])
    assert "get" in paths["/api/v1/supervision/campaigns/{campaign_id}"]
    assert "get" in paths["/api/v1/supervision/milestones"] and "get" in paths["/api/v1/supervision/milestones/behind"]
    put = paths["/api/v1/supervision/enterprises/{enterprise_id}/cards/{card}"]["put"]
    assert put["requestBody"] and "404" in put["responses"]
