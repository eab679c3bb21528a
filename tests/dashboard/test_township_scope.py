"""Township staff act only at home, through the API, on both back-ends; the duty officer acts everywhere.

Each refusal is checked against the records (a direct SQL count): a refused write leaves nothing behind.
"""
from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from dashboard.app import create_app
from services.db import read_session
from tests.conftest import prepared, BACKENDS, _cleanup, signed_in

HOME, AWAY = "500114001", "500114002"   # 城东街道, 城南街道
SEATS = {HOME: (108.7869, 29.5251), AWAY: (108.78149, 29.52086)}


@pytest.fixture(scope="module", params=BACKENDS)
def sample(request, tmp_path_factory):
    settings = prepared(request.param, tmp_path_factory.mktemp(f"scope-{request.param}"), tmp_path_factory,
                        with_sample=True)
    yield settings
    _cleanup(settings)


def _one(settings, sql: str, **params):
    with read_session(settings.database_url) as session:
        return session.execute(text(sql), params).scalar()


def _clients(settings):
    app = create_app(settings).server
    return (signed_in(app.test_client(), settings, "township", HOME),
            signed_in(app.test_client(), settings, "duty"), app)


def _incident(lon_lat, title="测试事件"):
    return {"title": title, "kind": "滑坡", "level": "Ⅳ", "lon": lon_lat[0], "lat": lon_lat[1]}


def test_township_staff_report_and_move_only_at_home(sample):
    township, duty, _ = _clients(sample)
    before = _one(sample, "SELECT count(*) FROM incident")
    refused = township.post("/api/v1/incidents", json=_incident(SEATS[AWAY]))
    assert refused.status_code == 403 and refused.get_json()["error"] == "permission.other_township"
    assert _one(sample, "SELECT count(*) FROM incident") == before
    assert township.post("/api/v1/incidents", json=_incident(SEATS[HOME])).status_code == 201

    away_hazard = _one(sample, "SELECT id FROM hazard_point WHERE township_code = :t ORDER BY id", t=AWAY)
    home_hazard = _one(sample, "SELECT id FROM hazard_point WHERE township_code = :t ORDER BY id", t=HOME)
    moved = _one(sample, "SELECT coalesce(sum(people), 0) FROM evacuation_move")
    assert township.post("/api/v1/evacuation/moves", json={"hazard_id": away_hazard, "people": 3}).status_code == 403
    assert _one(sample, "SELECT coalesce(sum(people), 0) FROM evacuation_move") == moved
    assert township.post("/api/v1/evacuation/moves", json={"hazard_id": home_hazard, "people": 3}).status_code in (200, 201)
    assert duty.post("/api/v1/evacuation/moves", json={"hazard_id": away_hazard, "people": 2}).status_code in (200, 201)
    assert _one(sample, "SELECT coalesce(sum(people), 0) FROM evacuation_move") == moved + 5


def test_township_staff_set_head_counts_only_of_their_shelters(sample):
    township, duty, _ = _clients(sample)
    away = _one(sample, "SELECT id FROM shelter WHERE township_code <> :t ORDER BY id", t=HOME)
    kept = _one(sample, "SELECT occupancy_people FROM shelter WHERE id = :i", i=away)
    answer = township.post(f"/api/v1/shelters/{away}/occupancy", json={"occupancy_people": kept + 1})
    assert answer.status_code == 403
    assert _one(sample, "SELECT occupancy_people FROM shelter WHERE id = :i", i=away) == kept
    assert duty.post(f"/api/v1/shelters/{away}/occupancy", json={"occupancy_people": kept}).status_code == 200


def test_township_staff_read_only_their_incidents(sample):
    township, duty, _ = _clients(sample)
    assert duty.post("/api/v1/incidents", json=_incident(SEATS[HOME], "城东事件")).status_code == 201  # its own
    away_id = duty.post("/api/v1/incidents", json=_incident(SEATS[AWAY], "城南事件")).get_json()["id"]
    listed = township.get("/api/v1/incidents").get_json()
    rows = listed["incidents"] if isinstance(listed, dict) else listed
    assert rows and {r["township_code"] for r in rows} == {HOME}
    assert township.get(f"/api/v1/incidents/{away_id}").status_code == 403
    assert duty.get(f"/api/v1/incidents/{away_id}").status_code == 200
    feed = township.get("/api/v1/events?since=0").get_json()
    events = feed["events"] if isinstance(feed, dict) else feed
    assert all(e["incident_id"] != away_id for e in events)


def test_warnings_reach_township_staff_only_where_they_apply_and_red_is_the_commanders(sample):
    township, duty, app = _clients(sample)
    body = {"level": "橙", "hazard_type": "地质灾害", "headline": "城南橙色预警", "townships": [AWAY],
            "recipients": [{"name": "王站长"}], "include_hazard_monitors": False}
    away = duty.post("/api/v1/warnings", json=body).get_json()["id"]
    home = duty.post("/api/v1/warnings", json={**body, "headline": "城东橙色预警", "townships": [HOME]}).get_json()["id"]
    shown = township.get("/api/v1/warnings").get_json()
    ids = {w["id"] for w in (shown["warnings"] if isinstance(shown, dict) else shown)}
    assert home in ids and away not in ids
    recipient = _one(sample, "SELECT id FROM warning_recipient WHERE warning_id = :w", w=away)
    assert township.post(f"/api/v1/warnings/{away}/ack", json={"recipient_id": recipient}).status_code == 403
    assert _one(sample, "SELECT count(*) FROM warning_recipient WHERE warning_id = :w AND acknowledged_at IS NOT NULL",
                w=away) == 0
    mine = _one(sample, "SELECT id FROM warning_recipient WHERE warning_id = :w", w=home)
    assert township.post(f"/api/v1/warnings/{home}/ack", json={"recipient_id": mine}).status_code == 200
    red = {**body, "level": "红", "headline": "红色预警"}
    assert duty.post("/api/v1/warnings", json=red).status_code == 403
    commander = signed_in(app.test_client(), sample, "commander")
    assert commander.post("/api/v1/warnings", json=red).status_code == 201


def test_the_audit_log_names_the_signed_in_user_and_no_body_names_another(sample):
    _, duty, _ = _clients(sample)
    hazard = _one(sample, "SELECT id FROM hazard_point ORDER BY id")
    entries = _one(sample, "SELECT count(*) FROM audit_log")
    named = duty.post("/api/v1/evacuation/moves", json={"hazard_id": hazard, "people": 1, "actor": "someone else"})
    assert named.status_code == 400 and named.get_json()["parameter"] == "actor"
    assert _one(sample, "SELECT count(*) FROM audit_log") == entries
    assert duty.post("/api/v1/evacuation/moves", json={"hazard_id": hazard, "people": 1}).status_code in (200, 201)
    assert _one(sample, "SELECT actor FROM audit_log ORDER BY id DESC") == "t-duty-all"


def test_township_staff_read_only_their_township_on_the_map(sample):
    township, duty, _ = _clients(sample)
    layer = township.get("/api/v1/layers/hazards?view=map").get_json()["features"]
    home_name = _one(sample, "SELECT name FROM township WHERE code = :t", t=HOME)
    assert layer and {f["properties"]["township_name"] for f in layer} == {home_name}
    assert len(layer) == _one(sample, "SELECT count(*) FROM hazard_point WHERE township_code = :t", t=HOME)
    assert township.get(f"/api/v1/layers/hazards?township={AWAY}").status_code == 403
    assert len(duty.get("/api/v1/layers/hazards?view=map").get_json()["features"]) == \
        _one(sample, "SELECT count(*) FROM hazard_point")
    away = _one(sample, "SELECT id FROM hazard_point WHERE township_code = :t ORDER BY id", t=AWAY)
    assert township.get(f"/api/v1/features/hazards/{away}").status_code == 403
    assert duty.get(f"/api/v1/features/hazards/{away}").status_code == 200
    shaded = township.get("/api/v1/choropleth/threatened_people").get_json()
    assert set(shaded["values"]) == {HOME}, "a township's choropleth shows only its own figures"
    assert len(duty.get("/api/v1/choropleth/threatened_people").get_json()["values"]) == _one(sample, "SELECT count(*) FROM township")
    hits = township.get("/api/v1/search?q=镇").get_json()["hits"]
    assert all(h["township"] == home_name for h in hits)
    assert township.get("/api/v1/records/hazards.xlsx").status_code == 403
    assert duty.get("/api/v1/records/hazards.xlsx").status_code == 200


COUNTY_PLANS = ("/api/v1/evacuation/capacity", "/api/v1/evacuation/progress", "/api/v1/evacuation/plans",
                "/api/v1/supplies/coverage", "/api/v1/supplies/profile")


def test_county_wide_plans_are_not_township_staffs(sample):
    township, duty, _ = _clients(sample)
    for path in COUNTY_PLANS:
        assert township.get(path).status_code == 403, path
        assert duty.get(path).status_code == 200, path
    assert township.post("/api/v1/routes/plan", json={}).status_code == 403


def _page(client, path: str) -> str:
    """The page's content as Dash's page callback renders it for this client."""
    body = {"output": ".._pages_content.children..._pages_store.data..",
            "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
            "inputs": [{"id": "_pages_location", "property": "pathname", "value": path},
                       {"id": "_pages_location", "property": "search", "value": "?lang=zh"}],
            "changedPropIds": ["_pages_location.pathname"], "state": []}
    answer = client.post("/_dash-update-component", json=body, headers={"X-CSRFToken": _csrf(client)})
    assert answer.status_code == 200, (path, answer.status_code)
    return json.dumps(answer.get_json(), ensure_ascii=False)


def _csrf(client) -> str:
    client.get("/")
    cookie = client.get_cookie("_csrf_token")
    return cookie.value if cookie is not None else ""


def test_township_staff_are_told_plan_pages_are_not_theirs_and_the_nav_leaves_them_out(sample):
    township, duty, _ = _clients(sample)
    refused = "无权查看此页"
    for path in ("/evacuation", "/supply", "/users"):
        assert refused in _page(township, path), path
    assert refused not in _page(duty, "/evacuation") and refused not in _page(duty, "/supply")
    header = {"output": "shell-header.children", "outputs": {"id": "shell-header", "property": "children"},
              "inputs": [{"id": "url", "property": "pathname", "value": "/"},
                         {"id": "url", "property": "search", "value": "?lang=zh"}],
              "changedPropIds": ["url.pathname"], "state": []}
    shown = township.post("/_dash-update-component", json=header, headers={"X-CSRFToken": _csrf(township)})
    assert shown.status_code == 200
    links = json.dumps(shown.get_json(), ensure_ascii=False)
    assert "/evacuation?" not in links and "/supply?" not in links and "/duty?" in links


def test_the_duty_figures_of_township_staff_are_their_townships(sample):
    from services.dispatch.duty import duty_figures
    from tests.conftest import call_as, principal_for
    home = principal_for(sample, "township", HOME)
    mine = call_as(sample, home, duty_figures, write=False)
    county = call_as(sample, principal_for(sample, "duty"), duty_figures, write=False)
    open_here = _one(sample, "SELECT count(*) FROM incident WHERE status <> '已结束' AND township_code = :t", t=HOME)
    assert sum(mine["incidents_by_level"].values()) == open_here
    assert mine["target_people"] == _one(sample, "SELECT sum(threatened_people) FROM hazard_point WHERE "
                                                 "township_code = :t", t=HOME)
    places = _one(sample, "SELECT count(*) FROM shelter WHERE township_code = :t", t=HOME)
    assert (mine["places_free"] < county["places_free"]) or places == _one(sample, "SELECT count(*) FROM shelter")
    assert county["target_people"] == sample.region.evacuation_target_people


def test_teams_out_are_the_teams_with_an_active_order(sample):
    """A team marked 出动 on the roster without an active order is not out; each team with one is, once."""
    from services.dispatch.duty import duty_figures
    from tests.conftest import call_as, principal_for
    county = call_as(sample, principal_for(sample, "duty"), duty_figures, write=False)
    assert county["teams_out"] == _one(sample, "SELECT count(DISTINCT team_id) FROM dispatch_order WHERE status IN "
                                               "('已派', '出发', '到达')")
    home = call_as(sample, principal_for(sample, "township", HOME), duty_figures, write=False)
    assert home["teams_out"] == _one(sample, "SELECT count(DISTINCT o.team_id) FROM dispatch_order o JOIN incident i "
                                             "ON i.id = o.incident_id WHERE o.status IN ('已派', '出发', '到达') "
                                             "AND i.township_code = :t", t=HOME)
