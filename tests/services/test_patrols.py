"""Patrols of hazard points (巡查) on both back-ends: township scope, raise-only levels, and two raises at once.

Outcomes are read back by direct SQL (the hazard's level, the patrol rows, the audit rows), not from the service.
"""
from __future__ import annotations

import json
import math

import pytest
from sqlalchemy import text

from services.data.imports import import_file
from services.db import read_session
from services.errors import FieldError, Forbidden
from services.field.patrols import PatrolReport, patrols_of, record_patrol
from tests.conftest import call, call_as, csv_for, principal_for
from tests.services.test_concurrency import race

HOME, AWAY = "500114001", "500114002"  # 城东街道, 城南街道
SEATS = {HOME: (108.7869, 29.5251), AWAY: (108.78149, 29.52086)}
DANGER, CHANGED, NORMAL = "危险", "异常", "正常"


def _rows(settings, sql: str, **params):
    with read_session(settings.database_url) as session:
        return session.execute(text(sql), params).all()


def _one(settings, sql: str, **params):
    return _rows(settings, sql, **params)[0][0]


@pytest.fixture
def hazards(fresh):
    """One hazard point in each of two townships, both at level 黄 (the import places them by coordinates)."""
    rows = [{"隐患点编号": f"H-{code}", "名称": f"测试滑坡{code[-1]}", "灾害类型": "滑坡", "威胁户数": "3",
             "威胁人数": "10", "威胁财产(万元)": "1", "稳定性": "不稳定", "影响半径(米)": "50", "预警等级": "黄",
             "经度": str(lon), "纬度": str(lat)} for code, (lon, lat) in SEATS.items()]
    call(fresh, import_file, "hazards", csv_for("hazards", rows), "h.csv")
    ids = {code: _one(fresh, "SELECT id FROM hazard_point WHERE code = :c", c=f"H-{code}") for code in SEATS}
    assert _one(fresh, "SELECT township_code FROM hazard_point WHERE id = :i", i=ids[HOME]) == HOME
    return fresh, ids


def _level(settings, hazard_id: int) -> str:
    return _one(settings, "SELECT warning_level FROM hazard_point WHERE id = :i", i=hazard_id)


def _count(settings, table: str) -> int:
    return _one(settings, f"SELECT count(*) FROM {table}")


def test_township_staff_patrol_their_own_hazard_points_only(hazards):
    settings, ids = hazards
    staff = principal_for(settings, "township", HOME)
    done = call_as(settings, staff, record_patrol, ids[HOME], PatrolReport(state=CHANGED, crack_width_mm=3.5,
                                                                           note="坡脚有新裂缝"))
    row = _rows(settings, "SELECT hazard_id, actor, state, crack_width_mm, note, level_before, raised_to "
                          "FROM hazard_patrol WHERE id = :i", i=done.id)[0]
    assert tuple(row) == (ids[HOME], staff.username, CHANGED, 3.5, "坡脚有新裂缝", "黄", None)
    with pytest.raises(Forbidden) as refused:
        call_as(settings, staff, record_patrol, ids[AWAY], PatrolReport(state=DANGER, raise_to="红"))
    assert refused.value.code == "permission.other_township"
    assert _count(settings, "hazard_patrol") == 1 and _level(settings, ids[AWAY]) == "黄"
    with pytest.raises(Forbidden):  # duty officers hold no hazard.patrol
        call_as(settings, principal_for(settings, "duty"), record_patrol, ids[HOME], PatrolReport(state=NORMAL))
    assert [p.id for p in call_as(settings, staff, patrols_of, ids[HOME], write=False)] == [done.id]
    with pytest.raises(Forbidden):
        call_as(settings, staff, patrols_of, ids[AWAY], write=False)


def test_a_patrol_raises_a_level_and_never_lowers_one(hazards):
    settings, ids = hazards
    staff = principal_for(settings, "township", HOME)
    up = call_as(settings, staff, record_patrol, ids[HOME], PatrolReport(state=DANGER, raise_to="橙"))
    assert (up.level_before, up.raised_to, up.level_now) == ("黄", "橙", "橙") and _level(settings, ids[HOME]) == "橙"
    down = call_as(settings, staff, record_patrol, ids[HOME], PatrolReport(state=DANGER, raise_to="蓝"))
    same = call_as(settings, staff, record_patrol, ids[HOME], PatrolReport(state=CHANGED, raise_to="橙"))
    assert (down.raised_to, down.level_now, same.raised_to) == (None, "橙", None)
    assert _level(settings, ids[HOME]) == "橙"
    raises = _rows(settings, "SELECT actor, detail FROM audit_log WHERE action = 'raise_level' ORDER BY id")
    assert [(a, json.loads(d)["from"], json.loads(d)["to"]) for a, d in raises] == [(staff.username, "黄", "橙")]
    assert _count(settings, "hazard_patrol") == 3


@pytest.mark.parametrize(("report", "field"), [
    (PatrolReport(state=NORMAL, raise_to="红"), "raise_to"),     # found nothing: nothing to raise
    (PatrolReport(state="塌了"), "state"),
    (PatrolReport(state=DANGER, raise_to="紫"), "raise_to"),
    (PatrolReport(state=DANGER, crack_width_mm=-1), "crack_width_mm"),
    (PatrolReport(state=DANGER, crack_width_mm=math.nan), "crack_width_mm"),
    (PatrolReport(state=DANGER, crack_width_mm=20_000), "crack_width_mm"),
    (PatrolReport(state=DANGER, note="长" * 2001), "note"),
])
def test_a_wrong_patrol_is_refused_naming_the_field_and_writes_nothing(hazards, report, field):
    settings, ids = hazards
    with pytest.raises(FieldError) as refused:
        call(settings, record_patrol, ids[HOME], report)
    assert refused.value.field == field and refused.value.reason and refused.value.reason_en
    assert _count(settings, "hazard_patrol") == 0 and _level(settings, ids[HOME]) == "黄"


def test_raises_at_once_end_at_the_highest_level_with_every_raise_audited_in_order(hazards):
    settings, ids = hazards
    asked = ["橙", "红", "橙", "蓝", "红", "黄", "橙", "黄"]
    outcomes = race(len(asked), lambda i: call(settings, record_patrol, ids[HOME],
                                               PatrolReport(state=DANGER, raise_to=asked[i]), actor=f"p{i}"))
    assert all(kind == "ok" for kind, _ in outcomes)
    assert _level(settings, ids[HOME]) == "红"
    assert _count(settings, "hazard_patrol") == len(asked)
    chain = [json.loads(d) for (d,) in _rows(settings, "SELECT detail FROM audit_log WHERE action = 'raise_level' "
                                                       "ORDER BY id")]
    rank = ["无", "蓝", "黄", "橙", "红"]
    # Each raise starts where the previous one ended and goes up: no raise was lost or applied over a stale level.
    assert chain and chain[0]["from"] == "黄" and chain[-1]["to"] == "红"
    for before, after in zip(chain, chain[1:]):
        assert after["from"] == before["to"]
    assert all(rank.index(c["to"]) > rank.index(c["from"]) for c in chain)
    raised = {r[0] for r in _rows(settings, "SELECT raised_to FROM hazard_patrol WHERE raised_to IS NOT NULL")}
    assert raised == {c["to"] for c in chain}
