"""Hazard patrols (巡查) in the duty officer's live feed, on both back-ends: the feed event names the point, its
township, the finding, the crack width and whether the level was raised; it carries the patrol's change number
(what the duty view polls); township staff see only their own township's patrols; the API and the duty view's
callback show it; migration 0015 takes patrol lines out again on the way down.

Outcomes are checked against direct SQL (the event row, the audit row's change number), not the services alone.
"""
from __future__ import annotations

import json

import pytest
from alembic import command
from sqlalchemy import text

from dashboard.app import create_app
from services.clock import now_utc
from services.data.imports import import_file
from services.db import read_session
from services.db.schema import alembic_config
from services.dispatch.duty import change_counter
from services.dispatch.incidents import (
    IncidentReport,
    events_since,
    recent_events,
    report_incident,
)
from services.field.patrols import PatrolReport, record_patrol
from tests.conftest import call, call_as, csv_for, principal_for, read, signed_in
from tests.services.test_concurrency import race

HOME, AWAY = "500114001", "500114002"  # 城东街道, 城南街道
SEATS = {HOME: (108.7869, 29.5251), AWAY: (108.78149, 29.52086)}
VIEW = {"duty-version": "data", "duty-figures": "children", "duty-incidents": "children", "duty-feed": "children",
        "duty-points": "data", "duty-dispatch-incident": "options", "duty-orders": "children",
        "duty-warnings": "children"}  # the outputs of the duty view's poll, in order


def _rows(settings, sql: str, **params) -> list:
    with read_session(settings.database_url) as session:
        return session.execute(text(sql), params).all()


@pytest.fixture
def points(fresh):
    """A hazard point at level 黄 in each of two townships, and a township account in each."""
    rows = [{"隐患点编号": f"H-{code}", "名称": f"后坪滑坡{code[-1]}", "灾害类型": "滑坡", "威胁户数": "3",
             "威胁人数": "10", "威胁财产(万元)": "1", "稳定性": "不稳定", "影响半径(米)": "50", "预警等级": "黄",
             "经度": str(lon), "纬度": str(lat)} for code, (lon, lat) in SEATS.items()]
    call(fresh, import_file, "hazards", csv_for("hazards", rows), "h.csv")
    ids = {code: _rows(fresh, "SELECT id FROM hazard_point WHERE code = :c", c=f"H-{code}")[0][0] for code in SEATS}
    staff = {code: principal_for(fresh, "township", code) for code in SEATS}
    return fresh, ids, staff


def test_a_patrol_joins_the_feed_with_its_point_township_finding_crack_and_raise(points):
    settings, ids, staff = points
    duty = principal_for(settings, "duty")  # made first: a new account is a change too
    before = read(settings, change_counter)
    raised = call_as(settings, staff[HOME], record_patrol, ids[HOME],
                     PatrolReport(state="危险", crack_width_mm=12.5, raise_to="橙"))
    plain = call_as(settings, staff[HOME], record_patrol, ids[HOME], PatrolReport(state="正常"))
    feed = call_as(settings, duty, events_since, before, write=False)
    assert [(e["patrol_id"], e["incident_id"], e["kind"]) for e in feed] == [(raised.id, None, "patrol"),
                                                                             (plain.id, None, "patrol")]
    assert [e["text"] for e in feed] == ["巡查 后坪滑坡1（城东街道）：危险，裂缝 12.5 毫米，预警等级提升 黄 → 橙",
                                         "巡查 后坪滑坡1（城东街道）：正常，预警等级未提升（橙）"]
    assert feed[0]["text_en"] == ("Patrol of 后坪滑坡1 (Chengdong Subdistrict): Danger, crack 12.5 mm; warning level "
                                  "raised Yellow → Orange")
    assert feed[1]["text_en"].endswith("Normal; warning level not raised (Orange)")
    assert feed[0]["params"].items() >= {"hazard_id": ids[HOME], "hazard": "后坪滑坡1", "township_code": HOME,
                                         "state": "危险", "crack_width_mm": 12.5, "raised": True,
                                         "level": "橙"}.items()
    assert feed[1]["params"]["raised"] is False and feed[1]["params"]["crack_width_mm"] is None
    stored = _rows(settings, "SELECT e.incident_id, e.patrol_id, e.change_seq, a.change_seq FROM incident_event e "
                             "JOIN audit_log a ON a.action = 'patrol' AND a.detail LIKE '%\"patrol\": ' || "
                             "CAST(e.patrol_id AS VARCHAR(12)) || ',%' ORDER BY e.id")
    assert [(r[0], r[1]) for r in stored] == [(None, raised.id), (None, plain.id)]
    assert all(r[2] == r[3] for r in stored)  # the event takes its transaction's change number
    assert [e["seq"] for e in feed] == [r[2] for r in stored] and stored[-1][2] == read(settings, change_counter)


def test_township_staff_see_only_their_township_s_patrols_and_incidents(points):
    settings, ids, staff = points
    mine = call_as(settings, staff[HOME], record_patrol, ids[HOME], PatrolReport(state="异常", crack_width_mm=3))
    theirs = call_as(settings, staff[AWAY], record_patrol, ids[AWAY], PatrolReport(state="异常"))
    lon, lat = SEATS[HOME]
    incident = call_as(settings, staff[HOME], report_incident, IncidentReport(
        title="城东滑坡", kind="滑坡", level="Ⅳ", lon=lon, lat=lat, occurred_at=now_utc(), reporter="城东"))
    for service in (events_since, recent_events):
        seen = call_as(settings, staff[HOME], service, write=False)
        assert {(e["patrol_id"], e["incident_id"]) for e in seen} == {(mine.id, None), (None, incident)}
        away = call_as(settings, staff[AWAY], service, write=False)
        assert {(e["patrol_id"], e["incident_id"]) for e in away} == {(theirs.id, None)}
        everything = call_as(settings, principal_for(settings, "duty"), service, write=False)
        assert {e["patrol_id"] for e in everything} == {mine.id, theirs.id, None}
    assert [e["patrol_id"] for e in call(settings, recent_events, write=False)][:2] == [None, theirs.id]  # newest first


def test_patrols_at_once_each_get_a_feed_line_in_commit_order(points):
    settings, ids, staff = points
    before = read(settings, change_counter)
    outcomes = race(4, lambda i: call_as(settings, staff[HOME], record_patrol, ids[HOME],
                                         PatrolReport(state="异常", crack_width_mm=float(i))).id)
    assert sorted(kind for kind, _ in outcomes) == ["ok"] * 4
    feed = read(settings, events_since, before)
    assert sorted(e["patrol_id"] for e in feed) == sorted(value for _, value in outcomes)
    seqs = [e["seq"] for e in feed]
    assert seqs == sorted(seqs) and len(set(seqs)) == 4
    assert [e["patrol_id"] for e in read(settings, events_since, seqs[1])] == [e["patrol_id"] for e in feed[2:]]


def _duty_view(client, version: int):
    """The duty view's poll (every 1.5 s in the browser), as dash-renderer posts it."""
    body = {"output": ".." + "...".join(f"{i}.{p}" for i, p in VIEW.items()) + "..",
            "outputs": [{"id": i, "property": p} for i, p in VIEW.items()],
            "inputs": [{"id": "duty-tick", "property": "n_intervals", "value": 1}],
            "state": [{"id": "duty-version", "property": "data", "value": version},
                      {"id": "duty-lang", "property": "data", "value": "zh"},
                      {"id": "duty-feed-kinds", "property": "value", "value": None},
                      {"id": "duty-dispatch-incident", "property": "value", "value": None}],
            "changedPropIds": ["duty-tick.n_intervals"]}
    return client.post("/_dash-update-component", json=body)


def test_the_api_and_the_duty_view_show_patrols_as_they_come(points):
    settings, ids, staff = points
    app = create_app(settings).server
    duty = signed_in(app.test_client(), settings, "duty")
    first = _duty_view(duty, -1).get_json()["response"]
    version = first["duty-version"]["data"]
    assert _duty_view(duty, version).status_code == 204  # nothing changed: nothing redrawn
    patrol = call_as(settings, staff[HOME], record_patrol, ids[HOME], PatrolReport(state="危险", raise_to="红"))
    redrawn = _duty_view(duty, version).get_json()["response"]  # the next poll, no reload
    assert redrawn["duty-version"]["data"] > version
    lines = redrawn["duty-feed"]["children"]
    assert lines[0]["props"]["className"].split() == ["feed-raised", "feed-patrol"]
    assert "巡查 后坪滑坡1（城东街道）：危险，预警等级提升 黄 → 红" in json.dumps(lines[0], ensure_ascii=False)
    events = duty.get(f"/api/v1/events?since={version}").get_json()["events"]
    assert [(e["patrol_id"], e["incident_id"], e["params"]["raised"]) for e in events] == [(patrol.id, None, True)]
    away = signed_in(app.test_client(), settings, "township", AWAY)
    assert away.get("/api/v1/events?since=0").get_json()["events"] == []
    away_view = _duty_view(away, -1).get_json()["response"]["duty-feed"]["children"]
    assert "后坪滑坡1" not in json.dumps(away_view, ensure_ascii=False)


def test_migration_0015_takes_patrol_lines_out_and_keeps_the_incidents(points):
    settings, ids, staff = points
    lon, lat = SEATS[HOME]
    incident = call(settings, report_incident, IncidentReport(title="滑坡", kind="滑坡", level="Ⅳ", lon=lon, lat=lat,
                                                              occurred_at=now_utc(), reporter="t"))
    call_as(settings, staff[HOME], record_patrol, ids[HOME], PatrolReport(state="异常"))
    config = alembic_config(settings.database_url)
    command.downgrade(config, "0014")
    assert _rows(settings, "SELECT incident_id, code FROM incident_event") == [(incident, "event.report")]
    command.upgrade(config, "head")
    patrol = call_as(settings, staff[HOME], record_patrol, ids[HOME], PatrolReport(state="正常"))
    assert [e["patrol_id"] for e in read(settings, events_since, 0)] == [None, patrol.id]
