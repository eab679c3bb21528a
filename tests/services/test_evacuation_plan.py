"""Evacuation plans end to end on a small hand-made road network: assignment, unmet demand, saving."""
from __future__ import annotations

import dataclasses
import io
import json

import openpyxl
import pytest

from services.data.imports import import_file
from services.evacuation.plans import (
    Scenario,
    ScenarioError,
    list_plans,
    load_plan,
    plan,
    plan_html,
    plan_workbook,
    save_plan,
)
from services.map.layers import township_codes
from tests.conftest import call, csv_for, read

Y = 29.53
# A road along latitude Y: S1 — A — B — S2, and a separate stub near C that joins nothing (a fragment: dropped
# from the routing network, so C has no road within 500 m, a reason of its own).
S1, A, B, S2, C = (108.770, Y), (108.775, Y), (108.785, Y), (108.790, Y), (108.760, 29.46)


def hazard(code: str, point, people: int, warning: str = "黄") -> dict:
    return {"隐患点编号": code, "名称": f"{code}滑坡", "灾害类型": "滑坡", "威胁户数": "2", "威胁人数": str(people),
            "威胁财产(万元)": "10", "稳定性": "不稳定", "影响半径(米)": "50", "预警等级": warning,
            "经度": str(point[0]), "纬度": str(point[1])}


def shelter(code: str, point, places: int) -> dict:
    return {"场所编号": code, "名称": f"场所{code}", "场所类型": "紧急", "场所级别": "Ⅲ", "依托设施": "学校",
            "有效面积(平方米)": "1000", "核定容量(人)": str(places), "已安置人数": "0", "不可用位数": "0", "状态": "开放",
            "有饭吃": "是", "有衣穿": "是", "有干净水": "是", "有住处": "是", "有医疗": "是",
            "经度": str(point[0]), "纬度": str(point[1])}


@pytest.fixture
def small_world(fresh, tmp_path):
    network = {"type": "FeatureCollection", "metadata": {"synthetic": True}, "features": [
        {"type": "Feature", "properties": {"class": "secondary", "name": "测试路"},
         "geometry": {"type": "LineString", "coordinates": [list(S1), list(A), list(B), list(S2)]}},
        {"type": "Feature", "properties": {"class": "track", "name": "断头路"},
         "geometry": {"type": "LineString", "coordinates": [list(C), [C[0] + 0.002, C[1]]]}},
    ]}
    path = tmp_path / "roads.geojson"
    path.write_text(json.dumps(network), encoding="utf-8")
    settings = dataclasses.replace(fresh, road_network_file=path)
    call(settings, import_file, "shelters", csv_for("shelters", [shelter("S1", S1, 8), shelter("S2", S2, 10)]), "s.csv")
    call(settings, import_file, "hazards", csv_for("hazards", [hazard("A", A, 5), hazard("B", B, 5), hazard("C", C, 4, "红")]),
                "h.csv")
    return settings


def test_people_go_to_the_nearer_shelter_within_capacity(small_world):
    result = read(small_world, plan, Scenario(max_travel_min=120))
    by_name = {d.name: d for d in result.demand}
    assert [(a.shelter_name, a.people) for a in by_name["A滑坡"].assigned] == [("场所S1", 5)]
    assert [(a.shelter_name, a.people) for a in by_name["B滑坡"].assigned] == [("场所S2", 5)]
    c = by_name["C滑坡"]
    assert c.unmet == 4 and c.unmet_reason.code == "plan.unmet.no_road"
    assert "500 米内没有道路" in c.unmet_reason.text("zh") and "no road within 500 m" in c.unmet_reason.text("en")
    totals = result.totals
    assert (totals.people, totals.assigned, totals.unmet) == (14, 10, 4)
    assert {s.name: s.remaining for s in result.shelters} == {"场所S1": 3, "场所S2": 5}
    assert result.road_network.synthetic is True
    row = next(d for d in result.to_json()["demand"] if d["name"] == "C滑坡")  # the API's JSON, as before
    assert row["unmet_reason"] == c.unmet_reason.text("zh") and row["unmet_reason_en"] == c.unmet_reason.text("en")
    assert row["unmet_code"] == {"code": "plan.unmet.no_road", "params": {"limit": "500"}}


def test_a_full_shelter_sends_the_rest_further(small_world):
    call(small_world, import_file, "hazards", csv_for("hazards", [hazard("A", A, 12)]), "h.csv")
    result = read(small_world, plan, Scenario(max_travel_min=120, warning_levels=["黄"]))
    a = next(d for d in result.demand if d.name == "A滑坡")
    assert sorted((x.shelter_name, x.people) for x in a.assigned) == [("场所S1", 8), ("场所S2", 4)]
    assert result.totals.unmet == 0
    for s in result.shelters:
        assert 0 <= s.remaining <= s.available_before


def test_scenario_selects_by_warning_level_and_checks_its_fields(small_world):
    only_red = read(small_world, plan, Scenario(warning_levels=["红"]))
    assert [d.name for d in only_red.demand] == ["C滑坡"]
    known = read(small_world, township_codes)
    for body, field_name in (({"warning_levels": ["紫"]}, "warning_levels"), ({"max_travel_min": 0}, "max_travel_min"),
                             ({"area": {"type": "Point", "coordinates": [0, 0]}}, "area"),
                             ({"townships": ["123"]}, "townships")):
        with pytest.raises(ScenarioError) as info:
            Scenario.from_json(body, known)
        assert info.value.field == field_name


def test_plans_are_saved_with_their_inputs_and_export_to_excel(small_world):
    saved = call(small_world, save_plan, Scenario(name="汛期演练", max_travel_min=90), actor="planner")
    again = read(small_world, load_plan, saved.id)
    assert again.name == "汛期演练" and again.actor == "planner" and again.plan.scenario.max_travel_min == 90
    assert again.plan == saved.plan  # stored and read back, reasons and all
    assert again.to_json()["totals"] == saved.to_json()["totals"]
    assert read(small_world, list_plans)[0].id == saved.id
    book = openpyxl.load_workbook(io.BytesIO(plan_workbook(again, small_world)))
    assert book.sheetnames[0] == "汇总" and len(book.sheetnames) >= 2
    assert read(small_world, load_plan, 999) is None
    page = plan_html(again, small_world)
    assert "汛期演练" in page and "场所S1" in page and "测试路" in page and "示例路网" in page
    english = plan_html(again, small_world, "en")
    assert "Not housed" in english and "no road within 500 m: cannot be routed" in english
    assert openpyxl.load_workbook(io.BytesIO(plan_workbook(again, small_world, "en"))).sheetnames[0] == "Summary"


def test_routes_follow_the_roads_and_blocked_roads_are_not_used(small_world):
    from services.roads.closures import block_segment, lift_block
    result = read(small_world, plan, Scenario(max_travel_min=120))
    a = next(d for d in result.demand if d.name == "A滑坡").assigned[0]
    assert a.route[0] == A and a.route[-1] == S1 and a.via == ("测试路",)
    middle = ((A[0] + S1[0]) / 2, Y + 0.0003)  # a click 33 m beside the road between S1 and A
    block = call(small_world, block_segment, *middle, "滑坡堵路", actor="duty")
    rerouted = read(small_world, plan, Scenario(max_travel_min=120))
    a = next(d for d in rerouted.demand if d.name == "A滑坡")
    assert [x.shelter_name for x in a.assigned] == ["场所S2"]
    assert rerouted.road_network.blocked_edges == 2
    call(small_world, lift_block, block.id, actor="duty")
    restored = read(small_world, plan, Scenario(max_travel_min=120))
    assert restored.totals == result.totals and restored.road_network.blocked_edges == 0


def _inside(x: float, y: float, ring: list) -> bool:
    """Ray casting: an independent point-in-polygon for the oracle."""
    inside = False
    for (x1, y1), (x2, y2) in zip(ring[:-1], ring[1:]):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def test_a_drawn_area_selects_exactly_the_hazard_points_inside_it_in_one_vectorised_call(seeded, monkeypatch):
    import shapely
    from sqlalchemy import select

    from services.db import read_session
    from services.models import HazardPoint
    ring = [[108.60, 29.30], [108.85, 29.30], [108.85, 29.45], [108.72, 29.45], [108.72, 29.70], [108.60, 29.70],
            [108.60, 29.30]]  # an L, so that a bounding-box shortcut would be caught
    with read_session(seeded.database_url) as session:
        expected = {h.id for h in session.scalars(select(HazardPoint))
                    if h.threatened_people > 0 and _inside(h.lon, h.lat, ring)}
    calls, real = [], shapely.contains_xy
    monkeypatch.setattr(shapely, "contains_xy", lambda *a, **k: calls.append(1) or real(*a, **k))
    result = read(seeded, plan, Scenario(area={"type": "Polygon", "coordinates": [ring]}))
    assert expected and {d.id for d in result.demand} == expected
    assert calls == [1]  # one call for all the points, no loop over shapely Points


def _printed_plan(created_at):
    from services.evacuation.plan_result import (
        Assignment,
        DemandRow,
        PlanResult,
        PlanShelter,
        PlanTotals,
        RoadNetworkUsed,
        SavedPlan,
    )
    from services.text.reasons import Reason
    rows = (DemandRow(1, "A滑坡", "城西街道", *A, 5, (Assignment(1, "场所S1", 5, 300, S1, None, ("测试路",)),), 0, None),
            DemandRow(2, "C滑坡", "城西街道", *C, 4, (), 4, Reason("plan.unmet.full")))
    return SavedPlan(7, "夜间演练", created_at, "planner", PlanResult(
        Scenario(), RoadNetworkUsed(False, 4, 6, 0), PlanTotals(2, 9, 5, 4, 300, 300), rows,
        (PlanShelter(1, "场所S1", "城西街道", *S1, 8, 5, 3),)))


def test_printed_plans_show_the_local_time_never_utc():
    import datetime as dt

    from config import load_settings
    made = dt.datetime(2026, 11, 24, 6, 5, tzinfo=dt.timezone.utc)  # 14:05 in Asia/Shanghai, 12:05 in Urumqi
    for zone, local in (("Asia/Shanghai", "2026-11-24 14:05"), ("Asia/Urumqi", "2026-11-24 12:05")):
        settings = dataclasses.replace(load_settings(), timezone=zone)
        saved = _printed_plan(made)
        page = plan_html(saved, settings)
        book = openpyxl.load_workbook(io.BytesIO(plan_workbook(saved, settings)))
        texts = [str(c.value) for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value]
        for printed in (page, "\n".join(texts)):
            assert local in printed and zone in printed
            assert "06:05" not in printed and "UTC" not in printed and "+00:00" not in printed
        assert "可达的避难场所已无空位" in page  # the coded reason, rendered
        assert "the shelters within reach have no places left" in plan_html(saved, settings, "en")
    saved = _printed_plan(made)
    assert type(saved).from_json(saved.to_json()) == saved  # what the page keeps and reads back
