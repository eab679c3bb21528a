"""Warning proposals (风险感知, issue 15) on both back-ends: raising, deciding, the warning's recipients, the
pre-filled plan, auto-confirmation, township scope and concurrency — each checked against direct SQL."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from sqlalchemy import text

from config_monitoring import MonitoringRules
from services.accounts.users import create_user
from services.data.imports import import_file
from services.db import read_session
from services.errors import Conflict, FieldError, Forbidden
from services.monitoring.proposal_reads import list_proposals, open_proposals, proposal_detail
from services.monitoring.proposals import auto_confirm_due, confirm, raise_proposals, reject
from services.monitoring.types import Candidate, MetricValue
from tests.conftest import TEST_PASSWORD, call, call_as, csv_for, principal_for, read
from tests.services.test_concurrency import race

Y = 29.53
S1, A, B, S2 = (108.770, Y), (108.775, Y), (108.785, Y), (108.790, Y)
T0 = dt.datetime(2026, 12, 7, 8, 0, tzinfo=dt.timezone.utc)


def _hazard(code: str, point, people: int, level: str = "无", monitor: str | None = None) -> dict:
    return {"隐患点编号": code, "名称": f"{code}滑坡", "灾害类型": "滑坡", "威胁户数": "2", "威胁人数": str(people),
            "威胁财产(万元)": "10", "稳定性": "不稳定", "影响半径(米)": "50", "预警等级": level,
            "监测人": monitor or "", "监测人电话": "13900000111" if monitor else "",
            "经度": str(point[0]), "纬度": str(point[1])}


def _shelter(code: str, point, places: int) -> dict:
    return {"场所编号": code, "名称": f"场所{code}", "场所类型": "紧急", "场所级别": "Ⅲ", "依托设施": "学校",
            "有效面积(平方米)": "1000", "核定容量(人)": str(places), "已安置人数": "0", "不可用位数": "0", "状态": "开放",
            "有饭吃": "是", "有衣穿": "是", "有干净水": "是", "有住处": "是", "有医疗": "是",
            "经度": str(point[0]), "纬度": str(point[1])}


def sql(settings, query: str, **params) -> list[tuple]:
    with read_session(settings.database_url) as session:
        return [tuple(r) for r in session.execute(text(query), params)]


@pytest.fixture
def world(fresh, tmp_path):
    """A road S1 — A — B — S2; shelters of 8 and 10 places; A (5 people, monitor 王监测), B (25 people: more than the
    shelters hold), C (already 黄) and a rain gauge at A; a township account at A's township, one elsewhere."""
    network = {"type": "FeatureCollection", "metadata": {"synthetic": True}, "features": [
        {"type": "Feature", "properties": {"class": "secondary", "name": "测试路"},
         "geometry": {"type": "LineString", "coordinates": [list(S1), list(A), list(B), list(S2)]}}]}
    path = tmp_path / "roads.geojson"
    path.write_text(json.dumps(network), encoding="utf-8")
    settings = dataclasses.replace(fresh, road_network_file=path)
    call(settings, import_file, "shelters", csv_for("shelters", [_shelter("S1", S1, 8), _shelter("S2", S2, 10)]),
         "s.csv")
    call(settings, import_file, "hazards", csv_for("hazards", [
        _hazard("A", A, 5, monitor="王监测"), _hazard("B", B, 25, monitor="李监测"),
        _hazard("C", (108.80, 29.54), 3, "黄")]), "h.csv")
    call(settings, import_file, "stations", csv_for("stations", [
        {"站点编号": "R1", "名称": "雨量站R1", "站点类型": "雨量", "状态": "正常", "经度": str(A[0]), "纬度": str(A[1])}]),
        "st.csv")
    ids = dict(sql(settings, "SELECT code, id FROM hazard_point"))
    home = sql(settings, "SELECT township_code FROM hazard_point WHERE code = 'A'")[0][0]
    away = sql(settings, "SELECT code FROM township WHERE code <> :h ORDER BY code LIMIT 1", h=home)[0][0]
    station = sql(settings, "SELECT id FROM monitoring_station WHERE code = 'R1'")[0][0]
    call(settings, create_user, "home-staff", role="township", township_code=home, password=TEST_PASSWORD,
         display_name="乡镇值守甲")
    return settings, ids, home, away, station


def cand(hazard_id: int, level: str, station: int, observed: float = 45.0, drill: int = 0) -> Candidate:
    decisive = MetricValue("rain_1h", station, observed, 30.0, T0 - dt.timedelta(minutes=5))
    other = MetricValue("rain_24h", station, 80.0, 100.0, T0 - dt.timedelta(minutes=5), complete=False)
    return Candidate(hazard_id, level, decisive, (decisive, other), drill)


def proposals(settings) -> list[tuple]:
    return sql(settings, "SELECT id, hazard_point_id, level, status FROM warning_proposal ORDER BY id")


def audits(settings, action: str) -> int:
    return sql(settings, "SELECT count(*) FROM audit_log WHERE entity = 'warning_proposal' AND action = :a",
               a=action)[0][0]


def test_raising_inserts_raises_refreshes_and_skips_what_is_warned_already(world):
    settings, ids, _, _, st = world
    counter = sql(settings, "SELECT value FROM change_counter")[0][0]
    [made] = call(settings, raise_proposals, [cand(ids["A"], "黄", st)], now=T0)
    assert made.action == "created"
    assert proposals(settings) == [(made.proposal_id, ids["A"], "黄", "待确认")]
    assert sql(settings, "SELECT value FROM change_counter")[0][0] > counter  # the duty view's counter moved
    evidence = json.loads(sql(settings, "SELECT evidence FROM warning_proposal")[0][0])
    assert [(e["metric"], e["station_code"], e["observed"], e["threshold"], e["complete"]) for e in evidence] == \
        [("rain_1h", "R1", 45.0, 30.0, True), ("rain_24h", "R1", 80.0, 100.0, False)]
    assert evidence[0]["ratio"] == 1.5 and evidence[0]["observed_at"].startswith("2026-12-07T07:55")

    [raised] = call(settings, raise_proposals, [cand(ids["A"], "橙", st)], now=T0 + dt.timedelta(minutes=10))
    assert (raised.action, raised.proposal_id) == ("raised", made.proposal_id)
    [same] = call(settings, raise_proposals, [cand(ids["A"], "橙", st, observed=50.0)])
    assert same.action == "refreshed"
    [lower] = call(settings, raise_proposals, [cand(ids["A"], "黄", st)])
    assert lower.action == "none"
    assert proposals(settings) == [(made.proposal_id, ids["A"], "橙", "待确认")]
    assert sql(settings, "SELECT observed, level_at > created_at FROM warning_proposal")[0] == (50.0, True)
    assert (audits(settings, "propose"), audits(settings, "raise")) == (1, 1)  # one row per proposal made or raised

    assert [c.action for c in call(settings, raise_proposals, [cand(ids["C"], "黄", st)])] == ["none"]  # 黄 already
    assert [c.action for c in call(settings, raise_proposals, [cand(ids["C"], "橙", st)])] == ["created"]
    # a drill's proposals are its own: the live one stays
    assert call(settings, raise_proposals, [cand(ids["A"], "黄", st, drill=3)])[0].action == "created"
    assert sql(settings, "SELECT count(*) FROM warning_proposal WHERE status = '待确认'")[0][0] == 3


def test_points_evaluated_again_below_the_threshold_lapse(world):
    """A point no longer a candidate keeps its open proposal while its decisive reading is recent (6 h by default):
    a slope stays dangerous after the rain, and a proposal must not vanish before the duty officer saw it."""
    settings, ids, _, _, st = world
    call(settings, raise_proposals, [cand(ids["A"], "黄", st), cand(ids["B"], "橙", st)])
    soon = call(settings, raise_proposals, [cand(ids["B"], "橙", st)], evaluated=[ids["A"], ids["B"]], now=T0)
    assert sorted(c.action for c in soon) == ["refreshed"]  # A's reading is minutes old: A stays open
    later = T0 + dt.timedelta(minutes=361)  # the readings are T0 − 5 min
    changes = call(settings, raise_proposals, [cand(ids["B"], "橙", st)], evaluated=[ids["A"], ids["B"]], now=later)
    assert sorted(c.action for c in changes) == ["lapsed", "refreshed"]
    assert [(h, s) for _, h, _, s in proposals(settings)] == [(ids["A"], "已失效"), (ids["B"], "待确认")]


def test_concurrent_raisers_leave_one_open_proposal_at_the_highest_level(world):
    settings, ids, _, _, st = world
    levels = ["黄", "橙", "红", "橙"]
    race(8, lambda i: call(settings, raise_proposals, [cand(ids["A"], levels[i % 4], st)]))
    assert [(h, lv, s) for _, h, lv, s in proposals(settings)] == [(ids["A"], "红", "待确认")]
    assert audits(settings, "propose") == 1


def _recipients(settings, warning_id: int) -> set[str]:
    return {r[0] for r in sql(settings, "SELECT name FROM warning_recipient WHERE warning_id = :w", w=warning_id)}


def test_confirming_warns_the_points_monitor_and_township_staff_and_raises_its_level(world):
    settings, ids, home, _, st = world
    [p] = call(settings, raise_proposals, [cand(ids["A"], "黄", st)])
    duty = principal_for(settings, "duty")
    decision = call_as(settings, duty, confirm, p.proposal_id)
    # the oracle: A's monitor (no other point within its zone) and every active township account of its township
    staff = {r[0] for r in sql(settings, "SELECT display_name FROM user_account WHERE role = 'township' AND "
                                         "township_code = :t AND NOT disabled", t=home)}
    assert staff and _recipients(settings, decision.warning_id) == {"王监测"} | staff
    assert sql(settings, "SELECT warning_level FROM hazard_point WHERE code = 'A'") == [("黄",)]
    row = sql(settings, "SELECT status, decided_by, warning_id, plan_id FROM warning_proposal")[0]
    assert row == ("已确认", duty.username, decision.warning_id, None)  # 黄: no plan
    assert sql(settings, "SELECT level, issued_by FROM warning WHERE id = :w", w=decision.warning_id) == \
        [("黄", duty.username)]
    assert "A滑坡" in sql(settings, "SELECT headline FROM warning")[0][0]
    assert audits(settings, "confirm") == 1
    # once warned at 黄, a 黄 candidate proposes nothing
    assert call(settings, raise_proposals, [cand(ids["A"], "黄", st)])[0].action == "none"


def _plan_people(settings, plan_id: int) -> tuple[int, int, int, list]:
    people, assigned, result = sql(settings, "SELECT people, assigned, result FROM evacuation_plan WHERE id = :p",
                                   p=plan_id)[0]
    demand = json.loads(result)["demand"]
    return people, assigned, sum(a["people"] for d in demand for a in d["assigned"]), demand


def test_an_orange_confirmation_prefills_a_plan_that_houses_the_threatened_people(world):
    settings, ids, _, _, st = world
    [p] = call(settings, raise_proposals, [cand(ids["A"], "橙", st)])
    decision = call_as(settings, principal_for(settings, "duty"), confirm, p.proposal_id)
    assert decision.plan_id is not None
    people, assigned, housed, demand = _plan_people(settings, decision.plan_id)
    assert (people, assigned, housed) == (5, 5, 5) and [d["id"] for d in demand] == [ids["A"]]
    assert sql(settings, "SELECT plan_id FROM warning_proposal") == [(decision.plan_id,)]
    # B threatens 25: the shelters hold 18, the plan says why the rest have no place
    [q] = call(settings, raise_proposals, [cand(ids["B"], "橙", st)])
    other = call(settings, confirm, q.proposal_id)
    people, assigned, housed, demand = _plan_people(settings, other.plan_id)
    assert (people, assigned, housed) == (25, 18, 18)
    assert demand[0]["unmet"] == 7 and demand[0]["unmet_code"]["code"] == "plan.unmet.full"


def test_red_is_the_commanders_to_confirm_and_a_rejection_needs_a_reason(world):
    settings, ids, _, _, st = world
    [p] = call(settings, raise_proposals, [cand(ids["A"], "红", st)])
    duty, commander = principal_for(settings, "duty"), principal_for(settings, "commander")
    with pytest.raises(Forbidden):
        call_as(settings, duty, confirm, p.proposal_id)
    with pytest.raises(Forbidden):
        call_as(settings, duty, reject, p.proposal_id, "误报")
    with pytest.raises(Forbidden):
        call_as(settings, principal_for(settings, "viewer"), confirm, p.proposal_id)
    with pytest.raises(FieldError) as empty:
        call_as(settings, commander, reject, p.proposal_id, "  ")
    assert empty.value.field == "reason" and "reason" in empty.value.reason
    assert proposals(settings)[0][3] == "待确认"  # nothing written by the refusals
    decision = call_as(settings, commander, confirm, p.proposal_id)
    assert decision.warning_id and decision.plan_id
    assert sql(settings, "SELECT warning_level FROM hazard_point WHERE code = 'A'") == [("红",)]
    with pytest.raises(Conflict):
        call_as(settings, commander, reject, p.proposal_id, "晚了")

    [q] = call(settings, raise_proposals, [cand(ids["B"], "黄", st)])
    call_as(settings, duty, reject, q.proposal_id, "雨量站故障")
    assert sql(settings, "SELECT status, reason, warning_id FROM warning_proposal WHERE id = :i", i=q.proposal_id) == \
        [("已驳回", "雨量站故障", None)]
    assert sql(settings, "SELECT warning_level FROM hazard_point WHERE code = 'B'") == [("无",)]
    # rejected: the same level is not proposed again for reject_quiet_min (60) minutes; a higher one is
    decided = sql(settings, "SELECT decided_at FROM warning_proposal WHERE id = :i", i=q.proposal_id)[0][0]
    decided = dt.datetime.fromisoformat(str(decided)).replace(tzinfo=dt.timezone.utc)
    assert call(settings, raise_proposals, [cand(ids["B"], "黄", st)],
                now=decided + dt.timedelta(minutes=59))[0].action == "none"
    assert call(settings, raise_proposals, [cand(ids["B"], "黄", st)],
                now=decided + dt.timedelta(minutes=61))[0].action == "created"
    assert call(settings, raise_proposals, [cand(ids["B"], "橙", st)])[0].action == "raised"


def test_two_confirms_at_once_issue_exactly_one_warning(world):
    settings, ids, _, _, st = world
    [p] = call(settings, raise_proposals, [cand(ids["A"], "橙", st)])
    duty = principal_for(settings, "duty")
    outcomes = race(4, lambda i: call_as(settings, duty, confirm, p.proposal_id))
    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused", "refused", "refused"]
    assert all(isinstance(v, Conflict) for kind, v in outcomes if kind == "refused")
    assert sql(settings, "SELECT count(*) FROM warning")[0][0] == 1
    assert sql(settings, "SELECT count(*) FROM evacuation_plan")[0][0] == 1


def test_a_red_proposal_unanswered_for_n_minutes_confirms_itself_once(world, caplog):
    settings, ids, home, _, st = world
    settings = dataclasses.replace(settings, monitoring=MonitoringRules(auto_confirm_red_min=30))
    call(settings, raise_proposals, [cand(ids["A"], "橙", st)], now=T0)
    call(settings, raise_proposals, [cand(ids["A"], "红", st)], now=T0 + dt.timedelta(minutes=20))  # red from here
    assert call(settings, auto_confirm_due, T0 + dt.timedelta(minutes=45)) == []  # red for 25 minutes only
    outcomes = race(3, lambda i: call(settings, auto_confirm_due, T0 + dt.timedelta(minutes=51)))
    decisions = [d for _, found in outcomes for d in found]
    assert len(decisions) == 1 and decisions[0].status == "自动确认" and decisions[0].warning_id
    assert sql(settings, "SELECT status, decided_by FROM warning_proposal") == [("自动确认", "system")]
    assert sql(settings, "SELECT actor FROM audit_log WHERE action = 'auto_confirm'") == [("system",)]
    assert sql(settings, "SELECT count(*) FROM warning")[0][0] == 1
    # one that cannot be carried out (no one to warn in its zone) stays open, and the batch that found it is kept
    call(settings, import_file, "hazards", csv_for("hazards", [_hazard("D", (108.60, 29.40), 2)]), "d.csv")
    lonely = sql(settings, "SELECT id FROM hazard_point WHERE code = 'D'")[0][0]
    call(settings, raise_proposals, [cand(lonely, "红", st)], now=T0)
    [kept] = call(settings, raise_proposals, [cand(ids["C"], "红", st)], now=T0 + dt.timedelta(minutes=40))
    assert kept.action == "created"
    assert sql(settings, "SELECT status FROM warning_proposal WHERE hazard_point_id = :h", h=lonely) == [("待确认",)]
    assert sql(settings, "SELECT township_code <> :t FROM hazard_point WHERE id = :h", t=home, h=lonely)[0][0]
    assert "recipient" in caplog.text  # refused by issue_warning: nobody to warn
    off = dataclasses.replace(settings, monitoring=MonitoringRules())  # 0: never
    call(off, raise_proposals, [cand(ids["B"], "红", st)], now=T0)
    assert call(off, auto_confirm_due, T0 + dt.timedelta(days=1)) == []


def test_township_staff_see_their_townships_proposals_only(world):
    settings, ids, home, away, st = world
    [p] = call(settings, raise_proposals, [cand(ids["A"], "橙", st)])
    mine = read(settings, open_proposals)
    assert [(v.id, v.hazard_name, v.threatened_people, v.level) for v in mine] == [(p.proposal_id, "A滑坡", 5, "橙")]
    assert mine[0].evidence[0].station_code == "R1" and not mine[0].evidence[1].complete
    home_p, away_p = principal_for(settings, "township", home), principal_for(settings, "township", away)
    assert [v.id for v in call_as(settings, home_p, open_proposals, write=False)] == [p.proposal_id]
    assert call_as(settings, away_p, open_proposals, write=False) == []
    with pytest.raises(Forbidden):
        call_as(settings, away_p, proposal_detail, p.proposal_id, write=False)
    with pytest.raises(Forbidden):
        call_as(settings, home_p, confirm, p.proposal_id)
    with pytest.raises(FieldError):
        read(settings, list_proposals, "whatever")


def test_the_audit_view_reads_each_proposal_step_as_a_sentence(world):
    from dashboard.components.audit_view import audit_sentence
    from services.data.audit_log import audit_entries
    settings, ids, _, _, st = world
    call(settings, raise_proposals, [cand(ids["A"], "黄", st)])
    [p] = call(settings, raise_proposals, [cand(ids["A"], "橙", st)])
    call(settings, confirm, p.proposal_id)
    [q] = call(settings, raise_proposals, [cand(ids["B"], "黄", st)])
    call(settings, reject, q.proposal_id, "雨量站故障")
    entries = [e for e in read(settings, audit_entries, limit=50) if e.entity == "warning_proposal"]
    zh = [audit_sentence(e, "12:00", "zh") for e in entries]
    en = [audit_sentence(e, "12:00", "en") for e in entries]
    assert any("驳回预警建议" in s and "雨量站故障" in s for s in zh)
    assert any("confirmed proposal" in s and "warning #" in s for s in en)
    assert any("raised proposal" in s and "orange" in s.lower() for s in en)
    assert len(en) == 5 and not [s for s in zh + en if "warning_proposal" in s]  # none fell back to the raw form
