"""The duty feed (services/dispatch/feed.py) on both back-ends: incidents, patrols, warnings, 叫应 (and overdue
叫应), closures and evacuation moves in one list, newest first, filterable by kind, township-scoped; the duty
view's filter callback draws it. Checked against direct SQL counts, not the service alone."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from services.data.imports import import_file
from services.db import read_session
from services.dispatch.feed import FEED_KINDS, duty_feed
from services.dispatch.incidents import IncidentReport, report_incident
from services.dispatch.warnings import WarningRequest, acknowledge, issue_warning, lift_warning
from services.evacuation.moves import record_move
from services.roads.closures import block_segment, lift_block
from tests.conftest import call, call_as, csv_for, principal_for, read

HOME, AWAY = "500114001", "500114002"  # 城东街道, 城南街道
SEATS = {HOME: (108.7869, 29.5251), AWAY: (108.78149, 29.52086)}


def _rows(settings, sql: str, **params) -> list:
    with read_session(settings.database_url) as session:
        return session.execute(text(sql), params).all()


@pytest.fixture
def busy(fresh):
    """One of everything: an incident, a warning (acknowledged by one of two), a closure (lifted), a move."""
    rows = [{"隐患点编号": f"H-{code}", "名称": f"后坪滑坡{code[-1]}", "灾害类型": "滑坡", "威胁户数": "3",
             "威胁人数": "10", "威胁财产(万元)": "1", "稳定性": "不稳定", "影响半径(米)": "50", "预警等级": "黄",
             "经度": str(lon), "纬度": str(lat)} for code, (lon, lat) in SEATS.items()]
    call(fresh, import_file, "hazards", csv_for("hazards", rows), "h.csv")
    hazard = {code: _rows(fresh, "SELECT id FROM hazard_point WHERE code = :c", c=f"H-{code}")[0][0] for code in SEATS}
    lon, lat = SEATS[HOME]
    call(fresh, report_incident, IncidentReport(title="城东滑坡", kind="滑坡", level="Ⅳ", lon=lon, lat=lat,
                                                occurred_at=dt.datetime.now(dt.timezone.utc), reporter="r"))
    warning = call(fresh, issue_warning, WarningRequest(level="黄", hazard_type="地质灾害", headline="城南暴雨",
                                                        townships=[AWAY], include_hazard_monitors=False,
                                                        ack_timeout_min=1,
                                                        recipients=[{"name": "甲"}, {"name": "乙"}]))
    first = _rows(fresh, "SELECT id FROM warning_recipient WHERE name = '甲'")[0][0]
    call(fresh, acknowledge, warning, first, actor="甲")
    block = call(fresh, block_segment, 108.7748, 29.5328, "塌方")
    call(fresh, lift_block, block.id)
    call(fresh, record_move, hazard[HOME], 7)
    lifted = call(fresh, issue_warning, WarningRequest(level="蓝", hazard_type="地质灾害", headline="已解除",
                                                       recipients=[{"name": "丙"}], townships=[HOME], include_hazard_monitors=False))
    call(fresh, lift_warning, lifted)
    return fresh, warning


def test_every_kind_is_in_the_feed_newest_first(busy):
    settings, warning = busy
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=2)  # past the warning's 1-minute timeout
    lines = read(settings, duty_feed, now=later)
    codes = [line.code for line in lines]
    for code in ("event.report", "feed.warning_issued", "feed.warning_lifted", "feed.ack", "feed.ack_overdue",
                 "feed.closure", "feed.closure_lifted", "feed.move"):
        assert code in codes, code
    assert [line.at for line in lines] == sorted((line.at for line in lines), reverse=True)
    assert {line.kind for line in lines} == set(FEED_KINDS) - {"patrol"}
    overdue = [line for line in lines if line.code == "feed.ack_overdue"]
    assert [line.params["name"] for line in overdue] == ["乙"] and overdue[0].alarm  # 甲 confirmed in time
    assert overdue[0].at == lines[0].at or overdue[0].at <= later
    assert "乙 has not acknowledged warning" in overdue[0].text("en")
    moved = next(line for line in lines if line.code == "feed.move")
    assert moved.params["people"] == _rows(settings, "SELECT people FROM evacuation_move")[0][0] == 7
    acks = [line for line in lines if line.code == "feed.ack"]
    assert len(acks) == _rows(settings, "SELECT count(*) FROM warning_recipient WHERE acknowledged_at IS NOT NULL")[0][0]
    assert "feed.ack_overdue" not in [line.code for line in read(settings, duty_feed)]  # not yet overdue now


def test_the_feed_filters_by_kind(busy):
    settings, _ = busy
    for kind in FEED_KINDS:
        assert {line.kind for line in read(settings, duty_feed, kinds=[kind])} <= {kind}
    assert {line.code for line in read(settings, duty_feed, kinds=["closure"])} == {"feed.closure",
                                                                                     "feed.closure_lifted"}
    assert read(settings, duty_feed, kinds=[]) == []


def test_the_newest_lines_are_shown_whatever_the_history(fresh):
    lon, lat = SEATS[HOME]
    start = dt.datetime.now(dt.timezone.utc)
    for i in range(60):
        call(fresh, report_incident, IncidentReport(title=f"事件{i}", kind="滑坡", level="Ⅳ", lon=lon, lat=lat,
                                                    occurred_at=start, reporter="r"))
    call(fresh, issue_warning, WarningRequest(level="黄", hazard_type="地质灾害", headline="最新预警",
                                              recipients=[{"name": "丁"}], townships=[HOME], include_hazard_monitors=False))
    lines = read(fresh, duty_feed, limit=10)
    assert len(lines) == 10 and lines[0].code == "feed.warning_issued"
    assert [line.params["title"] for line in lines[1:]] == [f"事件{i}" for i in range(59, 50, -1)]


def test_township_staff_read_their_own_township(busy):
    settings, _ = busy
    home = principal_for(settings, "township", HOME)
    away = principal_for(settings, "township", AWAY)
    mine = call_as(settings, home, duty_feed, write=False)
    theirs = call_as(settings, away, duty_feed, write=False)
    assert "feed.move" in [line.code for line in mine] and "feed.move" not in [line.code for line in theirs]
    assert "event.report" in [line.code for line in mine] and "event.report" not in [line.code for line in theirs]
    assert {line.params["headline"] for line in theirs if line.kind == "warning"} == {"城南暴雨"}
    assert {line.params["headline"] for line in mine if line.kind == "warning"} == {"已解除"}


def test_the_duty_view_filter_callback_draws_the_kinds_chosen(busy):
    import json

    from dashboard.app import create_app
    from tests.conftest import signed_in
    from tests.dashboard.test_analysis_page import run
    settings, _ = busy
    app = create_app(settings)
    client = signed_in(app.server.test_client(), settings, "duty")
    client.get("/_dash-dependencies")
    body = run(app, client, "duty-feed", {"duty-feed-kinds.value": ["closure"], "duty-lang.data": "en"})
    shown = json.dumps(body)
    assert "Road closed" in shown and "Road closure" in shown and "Reported" not in shown


def test_the_api_feed_is_newest_first_with_kinds_and_refuses_unknown_kinds(busy):
    from dashboard.app import create_app
    from tests.conftest import signed_in
    settings, _ = busy
    client = signed_in(create_app(settings).server.test_client(), settings, "duty")
    lines = client.get("/api/v1/feed").get_json()["lines"]
    assert [line["at"] for line in lines] == sorted((line["at"] for line in lines), reverse=True)
    assert {"incident", "warning", "ack", "closure", "move"} <= {line["kind"] for line in lines}
    newest = client.get("/api/v1/feed?limit=1").get_json()["lines"]
    assert len(newest) == 1 and newest[0]["code"] == lines[0]["code"] == "feed.warning_lifted"
    closures = client.get("/api/v1/feed?kinds=closure,move").get_json()["lines"]
    assert {line["kind"] for line in closures} == {"closure", "move"}
    assert "Road closed" in " ".join(line["text_en"] for line in closures)
    for bad in ("kinds=nothing", "kinds=,", "limit=0", "limit=201"):
        answer = client.get(f"/api/v1/feed?{bad}")
        assert answer.status_code == 400 and answer.get_json()["parameter"] in ("kinds", "limit"), bad
    away = signed_in(create_app(settings).server.test_client(), settings, "township", AWAY)
    assert "feed.move" not in [line["code"] for line in away.get("/api/v1/feed").get_json()["lines"]]
