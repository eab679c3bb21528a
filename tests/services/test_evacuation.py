"""Evacuation capacity and 五有 coverage on both back-ends, with small hand-checked cases."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import select

from geo.distance import haversine_m
from services.data.cells import credit_check_char
from services.data.imports import import_file
from services.db import read_session
from services.errors import FieldError
from services.evacuation.moves import evacuation_progress, record_move, update_occupancy
from services.evacuation.shelters import capacity_summary
from services.models import AuditLog
from services.supply.needs import (
    DEFAULT_NEEDS,
    ProfileError,
    current_profile,
    save_profile,
    supply_coverage,
)
from tests.conftest import call, csv_for, read, signed_in

CITY = (108.7748, 29.5328)  # inside 城西街道


def shelter(code: str, lon: float, lat: float, area: float, declared: str = "", occupancy: int = 0) -> dict:
    return {"场所编号": code, "名称": f"测试场所{code}", "场所类型": "固定(短期)", "场所级别": "Ⅲ", "依托设施": "学校",
            "有效面积(平方米)": str(area), "核定容量(人)": declared, "已安置人数": str(occupancy), "不可用位数": "0",
            "状态": "开放", "有饭吃": "是", "有衣穿": "是", "有干净水": "是", "有住处": "是", "有医疗": "是",
            "经度": str(lon), "纬度": str(lat)}


@pytest.fixture
def two_shelters(fresh):
    """S1 declares 100 places; S2, 1 km west, has 300 m² (200 places at 1.5 m²) and a gas station 500 m west."""
    call(fresh, import_file, "shelters", csv_for("shelters", [shelter("S1", CITY[0], CITY[1], 50, "100"),
                                                     shelter("S2", CITY[0] - 0.01, CITY[1], 300)]), "s.csv")
    station_lon = CITY[0] - 0.01 - 500 / (111_320 * 0.8701)  # about 500 m west of S2
    body = "91500114MA0000001"
    call(fresh, import_file, "enterprises", csv_for("enterprises", [{
        "统一社会信用代码": body + credit_check_char(body), "企业名称": "测试加油站", "行业": "成品油", "类别": "加油站",
        "规模": "其他", "风险等级": "一般", "两单两卡": "已完成",
        "经度": f"{station_lon:.6f}", "纬度": str(CITY[1])}]), "e.csv")
    return fresh


def test_capacity_against_the_target_by_hand(two_shelters):
    summary = read(two_shelters, capacity_summary)
    by_code = {s.code: s for s in summary.shelters}
    assert (by_code["S1"].capacity_people, by_code["S2"].capacity_people) == (100, 200)
    assert summary.available_places == 300 and summary.target_people == 3000
    assert not summary.meets_target and summary.shortfall_people == 2700
    assert by_code["S1"].unsafe_reasons == ()
    (reason,) = by_code["S2"].unsafe_reasons
    assert reason.code == "shelter.unsafe.plant" and reason.params["name"] == "测试加油站"
    assert "测试加油站" in reason.text("zh") and "测试加油站" in reason.text("en") and "1000 m" in reason.text("en")
    record = by_code["S2"].to_json()  # the API's record: the Chinese text as always, English and code beside it
    assert record["unsafe_reasons"] == [reason.text("zh")] and record["unsafe_reasons_en"] == [reason.text("en")]
    assert record["unsafe_codes"] == [{"code": "shelter.unsafe.plant", "params": dict(reason.params)}]
    strict = read(two_shelters, capacity_summary, exclude_unsafe=True)
    assert strict.available_places == 100 and strict.shelters_counted == 1
    chengxi = next(t for t in summary.townships if t.name == "城西街道")
    assert (chengxi.shelters, chengxi.available_places) == (2, 300)


def test_area_per_person_is_configurable_per_shelter_type(two_shelters):
    rules = dataclasses.replace(two_shelters.evacuation, area_per_person_by_type={"固定(短期)": 3.0})
    settings = dataclasses.replace(two_shelters, evacuation=rules)
    by_code = {s.code: s for s in read(settings, capacity_summary).shelters}
    assert (by_code["S1"].capacity_people, by_code["S2"].capacity_people) == (100, 100)
    from services.map.layers import (
        point_layer,  # the map and the choropleth follow the same rule
    )
    on_map = {f["properties"]["name"]: f["properties"]["capacity_people"]
              for f in read(settings, point_layer, "shelters", view="map").to_geojson()["features"]}
    assert on_map == {"测试场所S1": 100, "测试场所S2": 100}


def test_occupancy_updates_change_the_figures_and_are_audited(two_shelters):
    s1 = next(s for s in read(two_shelters, capacity_summary).shelters if s.code == "S1")
    updated = call(two_shelters, update_occupancy, s1.id, "60", actor="乡镇值班员")
    assert updated.available_places == 40
    assert read(two_shelters, capacity_summary).available_places == 240
    with read_session(two_shelters.database_url) as session:
        row = session.scalars(select(AuditLog).where(AuditLog.entity == "shelter_occupancy")).one()
    assert (row.actor, row.entity_key) == ("乡镇值班员", "S1")
    for bad, reason in (("abc", "不是整数"), ("-1", "不能为负数"), ("101", "超过容量 100")):
        with pytest.raises(FieldError) as info:
            call(two_shelters, update_occupancy, s1.id, bad, actor="x")
        assert info.value.field == "occupancy_people" and reason in info.value.reason
    assert read(two_shelters, capacity_summary).available_places == 240


def test_five_haves_coverage_by_hand(fresh):
    call(fresh, import_file, "depots", csv_for("depots", [{"储备库编号": "D1", "名称": "测试库", "级别": "区级",
                                                  "库容(立方米)": "100", "经度": str(CITY[0]), "纬度": str(CITY[1])}]), "d.csv")
    stock = [("FOOD-RICE", 1000, ""), ("FOOD-RICE", 5000, "2020-01-01"), ("WATER-BOTTLED", 100, ""),
             ("CLOTH-QUILT", 50, ""), ("CLOTH-SET", 100, ""), ("SHELTER-TENT", 100, ""),
             ("SHELTER-TOILET", 5, ""), ("SHELTER-FAMILYKIT", 20, ""), ("MED-KIT100", 1, "")]
    call(fresh, import_file, "stock", csv_for("stock", [{"储备库编号": "D1", "物资编码": c, "数量": str(q), "最低库存": "0",
                                                "有效期至": e} for c, q, e in stock]), "s.csv")
    c = read(fresh, supply_coverage, people=100, days=2, today=dt.date(2026, 11, 25))
    needs = {n.key: n for n in c.needs}
    assert needs["rice"].required == 80 and needs["rice"].available == 1000  # the expired 5000 kg do not count
    assert needs["water"].required == 3000 and needs["water"].available == pytest.approx(1320)
    assert needs["water"].days_of_autonomy == pytest.approx(0.88)
    assert needs["water"].shortfall[0].quantity == 128  # ceil(1680 L / 13.2 L a box)
    assert needs["quilt"].coverage == pytest.approx(0.5)
    assert needs["toilet"].required == 5 and needs["toilet"].coverage == 1.0
    assert c.by_have == pytest.approx({"food": 1.0, "clothing": 0.5, "water": 0.44, "shelter": 1.0, "medical": 1.0})
    assert not c.guaranteed


def test_needs_profile_is_versioned_and_validated(fresh):
    assert read(fresh, current_profile)[0] == 0
    richer = [dict(n, amount=20) if n["key"] == "water" else n for n in DEFAULT_NEEDS]
    assert call(fresh, save_profile, richer, actor="planner", note="water 20 L") == 1
    version, needs = read(fresh, current_profile)
    assert version == 1 and next(n for n in needs if n["key"] == "water")["amount"] == 20
    assert read(fresh, supply_coverage, people=10, days=1).profile_version == 1
    bad = [dict(DEFAULT_NEEDS[0], items={"NOPE": 1})]
    with pytest.raises(ProfileError, match="item NOPE is not in the supply catalogue"):
        call(fresh, save_profile, bad, actor="planner")
    assert read(fresh, current_profile)[0] == 1


def test_sample_district_check_is_consistent(seeded):
    summary = read(seeded, capacity_summary)
    open_places = sum(s.available_places for s in summary.shelters if s.status != "关闭")
    assert summary.available_places == open_places
    assert summary.meets_target == (open_places >= 3000)
    for s in summary.shelters:
        for reason in s.unsafe_reasons:
            assert "米" in reason.text("zh") and " m" in reason.text("en")
    assert haversine_m(0, 0, 0, 1) == pytest.approx(111_195, rel=1e-3)


def test_field_reports_of_people_moved_feed_the_capacity_figures(two_shelters):
    from dashboard.app import create_app
    call(two_shelters, import_file, "hazards", csv_for("hazards", [{
        "隐患点编号": "H1", "名称": "测试滑坡", "灾害类型": "滑坡", "威胁户数": "4", "威胁人数": "12",
        "威胁财产(万元)": "1", "稳定性": "不稳定", "影响半径(米)": "50", "预警等级": "橙",
        "经度": str(CITY[0]), "纬度": str(CITY[1] + 0.005)}]), "h.csv")
    s1 = next(s for s in read(two_shelters, capacity_summary).shelters if s.code == "S1")
    call(two_shelters, record_move, 1, 5, actor="村干部")                    # moved, not yet housed
    call(two_shelters, record_move, 1, "7", shelter_id=s1.id, actor="场所")  # moved and housed in S1
    progress = call(two_shelters, evacuation_progress, write=False)
    assert progress["hazards"] == [{"hazard_id": 1, "name": "测试滑坡", "threatened": 12, "moved": 12}]
    assert progress["totals"] == {"moved": 12, "housed_by_moves": 7}
    assert read(two_shelters, capacity_summary).available_places == 300 - 7
    with pytest.raises(FieldError) as info:
        call(two_shelters, record_move, 1, 200, shelter_id=s1.id, actor="x")
    assert info.value.field == "people" and "只剩 93 个空位" in info.value.reason and info.value.status == 409
    client = signed_in(create_app(two_shelters).server.test_client(), two_shelters)
    assert client.post("/api/v1/evacuation/moves", json={"hazard_id": 1, "people": 0}).status_code == 400
    assert client.post("/api/v1/evacuation/moves", json={"hazard_id": 99, "people": 1}).status_code == 404
    assert client.post("/api/v1/evacuation/moves", json={"hazard_id": 1, "people": 2}).get_json()["moved"] == 14
    assert client.get("/api/v1/evacuation/progress").get_json()["totals"]["moved"] == 14


def test_a_closed_shelter_has_no_free_places_and_takes_no_occupancy(two_shelters):
    from sqlalchemy import text
    with read_session(two_shelters.database_url) as session:
        session.execute(text("UPDATE shelter SET status = '关闭', occupancy_people = 10 WHERE code = 'S1'"))
        session.commit()
    summary = read(two_shelters, capacity_summary)
    s1 = next(s for s in summary.shelters if s.code == "S1")
    assert (s1.capacity_people, s1.occupancy_people, s1.available_places) == (100, 10, 0)
    assert summary.available_places == 200 and summary.shelters_counted == 1  # S2 only
    with pytest.raises(FieldError) as info:
        call(two_shelters, update_occupancy, s1.id, "20", actor="x")
    assert info.value.field == "occupancy_people" and "已关闭" in info.value.reason
    assert "closed" in info.value.reason_en
    with read_session(two_shelters.database_url) as session:  # nothing written, nothing audited
        assert session.execute(text("SELECT occupancy_people FROM shelter WHERE code = 'S1'")).scalar() == 10
        assert session.execute(text("SELECT count(*) FROM audit_log WHERE entity = 'shelter_occupancy'")).scalar() == 0


def test_the_checked_number_of_people_is_the_one_asked_for(two_shelters):
    assert read(two_shelters, capacity_summary).target_people == 3000  # the district's target by default
    enough = read(two_shelters, capacity_summary, target_people=300)
    assert (enough.target_people, enough.meets_target, enough.shortfall_people) == (300, True, 0)
    short = read(two_shelters, capacity_summary, target_people=301)
    assert (short.meets_target, short.shortfall_people) == (False, 1)


def test_every_shelters_figures_add_up_from_the_database(seeded):
    from sqlalchemy import text
    summary = read(seeded, capacity_summary)
    with read_session(seeded.database_url) as session:
        rows = {r.code: r for r in session.execute(text(
            "SELECT code, status, occupancy_people, blocked_places FROM shelter"))}
    assert len(summary.shelters) == len(rows) and any(r.status == "关闭" for r in rows.values())
    for s in summary.shelters:
        row = rows[s.code]
        assert (s.occupancy_people, s.blocked_places) == (row.occupancy_people, row.blocked_places)
        expected = 0 if row.status == "关闭" else max(0, s.capacity_people - row.occupancy_people - row.blocked_places)
        assert s.available_places == expected, s.code
    open_rows = [s for s in summary.shelters if s.status != "关闭"]
    assert summary.available_places == sum(s.available_places for s in open_rows)
    for tw in summary.townships:
        mine = [s for s in open_rows if s.township_code == tw.code]
        assert tw.available_places == sum(s.available_places for s in mine)
        assert tw.blocked_places == sum(s.blocked_places for s in mine)
