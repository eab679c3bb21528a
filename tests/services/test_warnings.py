"""Warnings and 叫应: recipients from the data, 0/3 → 1/3 → 3/3, escalation after the timeout, lifting."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from services.data.imports import import_file
from services.db import get_engine
from services.dispatch.warnings import (
    WarningRequest,
    acknowledge,
    active_warnings,
    issue_warning,
    lift_warning,
    warning_status,
)
from services.errors import FieldError
from tests.conftest import call, csv_for, signed_in


@pytest.fixture
def hazard(fresh):
    call(fresh, import_file, "hazards", csv_for("hazards", [{
        "隐患点编号": "H1", "名称": "马家湾滑坡", "灾害类型": "滑坡", "威胁户数": "3", "威胁人数": "9",
        "威胁财产(万元)": "5", "稳定性": "不稳定", "影响半径(米)": "200", "预警等级": "无", "监测人": "李监测",
        "监测人电话": "13900000001", "经度": "108.7748", "纬度": "29.5328"}]), "h.csv")
    return fresh


def request(**extra) -> WarningRequest:
    values = dict(level="橙", hazard_type="地质灾害", headline="强降雨地质灾害橙色预警", townships=["500114003"],
                  recipients=[{"name": "王街道", "role": "街道主任", "phone": "023-79000001"},
                              {"name": "张书记", "role": "社区书记"}], ack_timeout_min=15)
    values.update(extra)
    return WarningRequest(**values)


def test_three_recipients_acknowledge_one_by_one(hazard):
    warning_id = call(hazard, issue_warning, request(), actor="值班员")
    status = call(hazard, warning_status, warning_id)
    assert (status["acknowledged"], status["recipients_total"]) == (0, 3)
    assert {r["role"] for r in status["recipients"]} == {"街道主任", "社区书记", "监测员（马家湾滑坡）"}
    ids = [r["id"] for r in status["recipients"]]
    call(hazard, acknowledge, warning_id, ids[0], actor="王街道")
    assert call(hazard, warning_status, warning_id)["acknowledged"] == 1
    for recipient in ids[1:]:
        call(hazard, acknowledge, warning_id, recipient, actor="x")
    status = call(hazard, warning_status, warning_id)
    assert (status["acknowledged"], status["recipients_total"], status["escalated"]) == (3, 3, 0)
    with pytest.raises(FieldError) as info:
        call(hazard, acknowledge, warning_id, ids[0], actor="x")
    assert "已叫应" in info.value.reason


def test_unacknowledged_recipients_escalate_after_the_timeout(hazard):
    warning_id = call(hazard, issue_warning, request(ack_timeout_min=1), actor="值班员")
    first = call(hazard, warning_status, warning_id)["recipients"][0]["id"]
    call(hazard, acknowledge, warning_id, first, actor="x")
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=2)
    status = call(hazard, warning_status, warning_id, now=later)
    assert [r["state"] for r in status["recipients"]] == ["acknowledged", "escalated", "escalated"]
    assert call(hazard, warning_status, warning_id)["escalated"] == 0  # not yet, right now


def test_lifting_and_bad_requests(hazard):
    warning_id = call(hazard, issue_warning, request(), actor="值班员")
    assert [w["id"] for w in call(hazard, active_warnings)] == [warning_id]
    call(hazard, lift_warning, warning_id, actor="值班员")
    assert call(hazard, active_warnings) == []
    with pytest.raises(FieldError):
        call(hazard, lift_warning, warning_id, actor="x")
    for extra, field_name in (({"level": "紫"}, "level"), ({"townships": ["1"]}, "townships"),
                              ({"townships": []}, "area"), ({"valid_hours": 0}, "valid_hours")):
        with pytest.raises(FieldError) as info:
            call(hazard, issue_warning, request(**extra), actor="x")
        assert info.value.field == field_name
    far = request(townships=["500114114"], recipients=[])  # 鹅池镇: no monitor there, nobody named
    with pytest.raises(FieldError) as info:
        call(hazard, issue_warning, far, actor="x")
    assert info.value.field == "recipients"


def test_warning_api_counts_acknowledgements(hazard):
    from dashboard.app import create_app
    client = signed_in(create_app(hazard).server.test_client(), hazard)
    body = client.post("/api/v1/warnings", json={"level": "红", "hazard_type": "地质灾害", "headline": "红色预警",
                                                 "hazard_ids": [1], "recipients": [{"name": "赵乡长", "role": "乡长"}]})
    assert body.status_code == 201
    warning = body.get_json()
    assert (warning["acknowledged"], warning["recipients_total"]) == (0, 2)
    after = client.post(f"/api/v1/warnings/{warning['id']}/ack",
                        json={"recipient_id": warning["recipients"][1]["id"]}).get_json()
    assert (after["acknowledged"], after["recipients_total"]) == (1, 2)
    assert client.post(f"/api/v1/warnings/{warning['id']}/ack", json={}).status_code == 400
    assert client.post("/api/v1/warnings", json={"level": "红", "colour": 1}).status_code == 400
    assert client.get("/api/v1/warnings/999").status_code == 404
    lift = f"/api/v1/warnings/{warning['id']}/lift"
    # A page on another site can post a form or text/plain without asking; neither may lift a warning (CSRF).
    assert client.post(lift).status_code == 415
    assert client.post(lift, data={"actor": "x"}).status_code == 415
    assert client.post(lift, data="{}", headers={"Content-Type": "text/plain"}).status_code == 415
    assert client.post(lift, json={}, headers={"Origin": "http://evil.example"}).status_code == 403
    assert call(hazard, warning_status, warning["id"], write=False)["active"] is True
    assert client.post(lift, json={}, headers={"Origin": "http://localhost"}).get_json()["active"] is False


def test_cap_export_and_import_give_the_same_warning(hazard):
    from shapely.geometry import shape

    from services.dispatch.cap import CapError, import_cap, warning_to_cap
    original = call(hazard, issue_warning, request(level="红", hazard_ids=[1], valid_hours=6), actor="区应急局")
    xml = call(hazard, warning_to_cap, original, write=False)
    assert xml.startswith("<?xml") and "urn:oasis:names:tc:emergency:cap:1.2" in xml and "Extreme" in xml
    copy = call(hazard, import_cap, xml, actor="区应急局", recipients=[{"name": "值班员"}])
    a, b = call(hazard, warning_status, original), call(hazard, warning_status, copy)
    assert (b["level"], b["hazard_type"], b["headline"]) == (a["level"], a["hazard_type"], a["headline"])
    assert abs(dt.datetime.fromisoformat(b["valid_until"]) - dt.datetime.fromisoformat(a["valid_until"])) \
        < dt.timedelta(seconds=5)
    area_a, area_b = shape(a["area"]), shape(b["area"])
    assert area_a.symmetric_difference(area_b).area / area_a.area < 0.01
    for bad, element in (("<alert>", "body"), ("<foo xmlns='urn:oasis:names:tc:emergency:cap:1.2'/>", "alert"),
                         (xml.replace("<sender>", "<sender_x>").replace("</sender>", "</sender_x>"), "sender"),
                         (xml.replace("Extreme", "Huge"), "severity")):
        with pytest.raises(CapError) as info:
            call(hazard, import_cap, bad, actor="x")
        assert info.value.field == element


def test_cap_over_the_api(hazard):
    from dashboard.app import create_app
    client = signed_in(create_app(hazard).server.test_client(), hazard)
    warning_id = call(hazard, issue_warning, request(), actor="区应急局")
    xml = client.get(f"/api/v1/warnings/{warning_id}.cap")
    assert xml.status_code == 200 and xml.headers["Content-Type"].startswith("application/cap+xml")
    imported = client.post("/api/v1/warnings/cap?recipient=值班员", data=xml.data,
                           headers={"Content-Type": "application/cap+xml"})
    assert imported.status_code == 201 and imported.get_json()["level"] == "橙"
    broken = client.post("/api/v1/warnings/cap", data=b"<alert", headers={"Content-Type": "application/xml"})
    assert broken.status_code == 400 and broken.get_json()["reason"].startswith("不是有效的 XML")


def _warnings_stored(settings) -> int:
    with get_engine(settings.database_url).connect() as conn:
        return conn.execute(text("SELECT count(*) FROM warning")).scalar_one()


LAUGHS = '<!DOCTYPE alert [<!ENTITY a "哈哈哈哈哈哈哈哈哈哈"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">' \
         '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'  # "billion laughs", a thousand of them
PASSWD = '<!DOCTYPE alert [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def _hostile(xml: str, dtd: str, entity: str | None, encoding: str) -> bytes:
    """A valid CAP document with ``dtd`` after its declaration and ``entity`` used in the headline."""
    head, rest = xml.split("?>", 1)
    if entity:
        rest = rest.replace("<headline>", f"<headline>&{entity};")
    doc = f'<?xml version="1.0" encoding="{encoding}"?>' + dtd + rest
    return doc.encode("utf-16") if encoding == "UTF-16" else doc.encode("utf-8")  # "utf-16": with a BOM


@pytest.mark.parametrize("dtd, entity, encoding", [
    (LAUGHS, "c", "UTF-16"),  # passed the old byte search for b"<!DOCTYPE" and expanded
    (PASSWD, "xxe", "UTF-8"),
    (LAUGHS, "c", "UTF-8"),
    ('<!DOCTYPE alert SYSTEM "http://127.0.0.1:9/cap.dtd">', None, "UTF-8"),
])
def test_cap_with_a_dtd_is_refused_and_nothing_is_stored(hazard, dtd, entity, encoding):
    from dashboard.app import create_app
    from services.dispatch.cap import CapError, cap_to_request, import_cap, warning_to_cap
    xml = call(hazard, warning_to_cap, call(hazard, issue_warning, request(), actor="区应急局"), write=False)
    hostile = _hostile(xml, dtd, entity, encoding)
    cap_to_request(_hostile(xml, "", None, encoding))  # the same document without the DTD is a good CAP
    before = _warnings_stored(hazard)
    with pytest.raises(CapError) as info:
        call(hazard, import_cap, hostile, actor="x", recipients=[{"name": "值班员"}])
    assert info.value.field == "body" and "DOCTYPE" in info.value.reason and "DOCTYPE" in info.value.reason_en
    client = signed_in(create_app(hazard).server.test_client(), hazard)
    answer = client.post("/api/v1/warnings/cap?recipient=值班员", data=hostile,
                         headers={"Content-Type": "application/cap+xml"})
    assert answer.status_code == 400 and answer.get_json()["parameter"] == "body"
    assert "DOCTYPE" in answer.get_json()["reason"]
    assert _warnings_stored(hazard) == before


def test_cap_with_a_self_intersecting_polygon_is_refused_and_nothing_is_stored(hazard):
    import re

    from services.dispatch.cap import CapError, import_cap, warning_to_cap
    xml = call(hazard, warning_to_cap, call(hazard, issue_warning, request(), actor="区应急局"), write=False)
    bow_tie = "29.50000,108.70000 29.60000,108.80000 29.50000,108.80000 29.60000,108.70000 29.50000,108.70000"
    hostile = re.sub(r"<polygon>[^<]*</polygon>", f"<polygon>{bow_tie}</polygon>", xml, count=1)
    before = _warnings_stored(hazard)
    with pytest.raises(CapError) as info:
        call(hazard, import_cap, hostile, actor="x", recipients=[{"name": "值班员"}])
    assert info.value.field == "polygon" and "108.750000, 29.550000" in info.value.reason_en
    assert _warnings_stored(hazard) == before


@pytest.mark.parametrize("polygon", [
    {"type": "Feature", "properties": {"radius": 1}, "geometry": {"type": "Point", "coordinates": [108.7748, 29.5328]}},
    # a sliver a fraction of a metre wide: valid, but rounding to 1e-5° (≈1 m) collapses it
    {"type": "Polygon", "coordinates": [[[108.70, 29.5], [108.80, 29.500001], [108.80, 29.500003],
                                         [108.70, 29.500002], [108.70, 29.5]]]},
])
def test_every_accepted_drawn_area_survives_a_cap_round_trip(hazard, polygon):
    from shapely.geometry import shape

    from services.dispatch.cap import import_cap, warning_to_cap
    original = call(hazard, issue_warning, request(townships=[], polygon=polygon), actor="区应急局")
    copy = call(hazard, import_cap, call(hazard, warning_to_cap, original, write=False), actor="x",
                recipients=[{"name": "值班员"}])
    a, b = (shape(call(hazard, warning_status, w, write=False)["area"]) for w in (original, copy))
    assert b.is_valid and a.symmetric_difference(b).area <= a.length * 1e-5  # a 1e-5° band along the outline


def test_the_duty_view_reads_warnings_in_two_queries_however_many_there_are(hazard):
    """It took 2N + 1 queries (one status per warning, each reading its recipients)."""
    from sqlalchemy import event

    from services.db import get_engine
    from services.db.uow import unit_of_work
    for i in range(6):
        call(hazard, issue_warning, request(headline=f"预警{i}"), actor="值班员")
    statements = []
    engine = get_engine(hazard.database_url)
    listener = lambda *args: statements.append(args[2])  # noqa: E731 — (conn, cursor, statement, …)
    with unit_of_work(hazard) as uow:
        event.listen(engine, "before_cursor_execute", listener)
        try:
            active = active_warnings(uow)
        finally:
            event.remove(engine, "before_cursor_execute", listener)
    assert len(active) == 6 and all(w["recipients_total"] == 3 for w in active)
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 2


def test_a_recipients_role_reads_in_the_readers_language():
    from services.dispatch.warnings import role_text
    assert role_text("监测员（马家湾滑坡）", "en") == "Monitor (马家湾滑坡)"  # the point's name is data
    assert role_text("监测员（马家湾滑坡）", "zh") == "监测员（马家湾滑坡）"
    assert role_text("责任人", "en") != "责任人" and role_text("责任人", "zh") == "责任人"
    assert role_text("乡长", "en") == "乡长" and role_text(None, "en") == ""  # typed by a person: as typed


def test_a_drill_marks_its_cap_messages_as_exercises(hazard):
    """A drill's server (QJ_DRILL) writes <status>Exercise</status>, so no receiving system takes it for real."""
    import dataclasses
    import xml.etree.ElementTree as ET

    from services.dispatch.cap import warning_to_cap
    warning = call(hazard, issue_warning, request(), actor="区应急局")
    status = "{urn:oasis:names:tc:emergency:cap:1.2}status"
    assert ET.fromstring(call(hazard, warning_to_cap, warning, write=False).split("?>", 1)[1]).findtext(status) \
        == "Actual"
    drill = dataclasses.replace(hazard, drill="storm")
    assert ET.fromstring(call(drill, warning_to_cap, warning, write=False).split("?>", 1)[1]).findtext(status) \
        == "Exercise"
