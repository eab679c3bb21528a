"""Incidents and dispatch on both back-ends: lifecycle, timeline, and one winner when two dispatchers race."""
from __future__ import annotations

import datetime as dt
import threading

import pytest

from services.data.imports import import_file
from services.dispatch.incidents import IncidentReport, change_status, events_since, incident_detail, report_incident
from services.dispatch.orders import advance_order, assign_team
from services.errors import FieldError as IncidentError
from tests.conftest import call, csv_for, signed_in

NOW = dt.datetime(2026, 11, 25, 6, 5, tzinfo=dt.timezone.utc)


@pytest.fixture
def world(fresh):
    call(fresh, import_file, "teams", csv_for("teams", [
        {"队伍编号": f"T{i}", "名称": f"测试救援队{i}", "队伍类型": "地质灾害救援", "人数": "20", "状态": "待命",
         "经度": "108.7748", "纬度": "29.5328"} for i in (1, 2)]), "t.csv")
    return fresh


def report(settings, **extra) -> int:
    values = dict(title="城西滑坡", kind="滑坡", level="Ⅳ", lon=108.7748, lat=29.5328, occurred_at=NOW,
                  reporter="城西街道值班员", people_affected=12)
    values.update(extra)
    return call(settings, report_incident, IncidentReport(**values), actor=values["reporter"])


def team_ids(settings) -> list[int]:
    from sqlalchemy import select

    from services.db import read_session
    from services.models import RescueTeam
    with read_session(settings.database_url) as session:
        return list(session.scalars(select(RescueTeam.id).order_by(RescueTeam.code)))


def test_lifecycle_timeline_and_feed(world):
    incident = report(world)
    call(world, change_status, incident, "核实", actor="值班员")
    call(world, change_status, incident, "处置中", actor="值班员", note="已确认")
    order = call(world, assign_team, incident, team_ids(world)[0], actor="指挥长")
    for status in ("出发", "到达", "完成"):
        call(world, advance_order, order, status, actor="队长")
    call(world, change_status, incident, "已结束", actor="值班员")
    detail = call(world, incident_detail, incident)
    assert detail["status"] == "已结束" and detail["township_code"] == "500114003"
    assert [e["kind"] for e in detail["timeline"]] == ["report", "status", "status", "order", "order", "order",
                                                       "order", "status"]
    assert detail["orders"][0]["status"] == "完成"
    feed = call(world, events_since, 0)
    assert len(feed) == 8 and call(world, events_since, feed[3]["seq"])[0]["id"] == feed[4]["id"]


def test_bad_reports_and_transitions_are_refused(world):
    for extra, field_name in (({"kind": "海啸"}, "kind"), ({"level": "Ⅴ"}, "level"), ({"lon": 106.5}, "lon"),
                              ({"title": " "}, "title"), ({"dead": -1}, "dead")):
        with pytest.raises(IncidentError) as info:
            report(world, **extra)
        assert info.value.field == field_name
    incident = report(world)
    with pytest.raises(IncidentError) as info:
        call(world, change_status, incident, "已结束_x", actor="x")
    assert info.value.field == "status"
    with pytest.raises(IncidentError):
        call(world, change_status, incident, "处置中", actor="x")  # must be checked first


def test_a_team_cannot_hold_two_orders_and_is_free_again_after(world):
    first, second = report(world), report(world, title="另一处")
    team = team_ids(world)[0]
    order = call(world, assign_team, first, team, actor="a")
    with pytest.raises(IncidentError) as info:
        call(world, assign_team, second, team, actor="b")
    assert info.value.field == "team_id" and "进行中" in info.value.reason
    call(world, advance_order, order, "取消", actor="a")
    assert call(world, assign_team, second, team, actor="b") > order


def test_two_dispatchers_racing_for_one_team_exactly_one_wins(world):
    incidents = [report(world, title=f"事件{i}") for i in range(2)]
    team = team_ids(world)[1]
    barrier, outcomes = threading.Barrier(2), []

    def dispatch(incident_id: int) -> None:
        barrier.wait()
        try:
            outcomes.append(("ok", call(world, assign_team, incident_id, team, actor=f"调度员{incident_id}")))
        except IncidentError as exc:
            outcomes.append(("refused", exc.reason))

    threads = [threading.Thread(target=dispatch, args=(i,)) for i in incidents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"]
    assert "进行中" in next(reason for kind, reason in outcomes if kind == "refused")


def test_incident_api_reports_dispatches_and_feeds(world):
    from dashboard.app import create_app
    client = signed_in(create_app(world).server.test_client(), world)
    created = client.post("/api/v1/incidents", json={"title": "水田乡泥石流", "kind": "泥石流", "level": "Ⅲ",
                                                     "lon": 108.7748, "lat": 29.5328, "reporter": "乡镇",
                                                     "occurred_at": "2026-11-25 14:05"})
    assert created.status_code == 201
    incident = created.get_json()
    assert incident["status"] == "接报" and incident["occurred_at"] == "2026-11-25T06:05:00+00:00"
    team = team_ids(world)[0]
    order = client.post("/api/v1/orders", json={"incident_id": incident["id"], "team_id": team})
    assert order.status_code == 201
    again = client.post("/api/v1/orders", json={"incident_id": incident["id"], "team_id": team})
    assert again.status_code == 409 and again.get_json()["parameter"] == "team_id"
    assert again.get_json()["error"] == "team.busy"
    feed = client.get("/api/v1/events?since=0").get_json()
    assert [e["kind"] for e in feed["events"]] == ["report", "order"]
    assert client.get(f"/api/v1/events?since={feed['last_id']}").get_json()["events"] == []
    for bad in ({"title": "x"}, {"title": "x", "kind": "泥石流", "level": "Ⅲ", "lon": "a", "lat": 1}):
        assert client.post("/api/v1/incidents", json=bad).status_code == 400
    assert client.get("/api/v1/incidents/999").status_code == 404
    assert client.post(f"/api/v1/incidents/{incident['id']}/status", json={"status": "已结束_x"}).status_code == 400


def test_recommendations_put_matching_available_teams_first(seeded):
    from dashboard.app import create_app
    client = signed_in(create_app(seeded).server.test_client(), seeded)
    created = client.post("/api/v1/incidents", json={"title": "推荐测试", "kind": "洪涝", "level": "Ⅳ",
                                                     "lon": 108.7748, "lat": 29.5328}).get_json()
    teams = client.get(f"/api/v1/incidents/{created['id']}/recommendations").get_json()["teams"]
    assert teams and teams[0]["specialty_match"] and teams[0]["kind"] == "水域救援"  # the sample has two free
    matching = [t for t in teams if t["specialty_match"]]
    assert [t["travel_s"] for t in matching] == sorted(t["travel_s"] for t in matching)
    depots = client.get(f"/api/v1/incidents/{created['id']}/recommendations").get_json()["depots"]
    assert len(depots) == 3 and [d["travel_s"] for d in depots] == sorted(d["travel_s"] for d in depots)
    client.post("/api/v1/orders", json={"incident_id": created["id"], "team_id": teams[0]["team_id"]})
    again = client.get(f"/api/v1/incidents/{created['id']}/recommendations").get_json()["teams"]
    assert teams[0]["team_id"] not in [t["team_id"] for t in again]  # busy now
