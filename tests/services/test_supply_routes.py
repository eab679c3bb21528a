"""Supply routes on the sample: every demanded kilo is carried or reported, trucks within payload, closures."""
from __future__ import annotations

import pytest

from dashboard.app import create_app
from services.supply.routes import RoutePlanRequest, plan_supply_routes, shelter_demand


def test_needs_of_housed_people_become_loads_within_each_trucks_payload(seeded):
    result = plan_supply_routes(seeded, RoutePlanRequest(seconds=1))
    assert result["feasible"]
    client = create_app(seeded).server.test_client()
    shelters = {s["id"]: s for s in client.get("/api/v1/evacuation/capacity").get_json()["shelters"]}
    housed = {i: s for i, s in shelters.items() if s["occupancy_people"] > 0}
    delivered: dict[int, float] = {}
    for vehicle in result["vehicles"]:
        assert vehicle["kg"] == pytest.approx(sum(stop["kg"] for stop in vehicle["stops"]), abs=len(vehicle["stops"]))
        etas = [stop["eta_s"] for stop in vehicle["stops"]]
        assert etas == sorted(etas) and etas[0] > 0
        for stop in vehicle["stops"]:
            delivered[stop["shelter_id"]] = delivered.get(stop["shelter_id"], 0) + stop["kg"]
    served_or_reported = set(delivered) | {u["shelter_id"] for u in result["unserved"]}
    assert served_or_reported == set(housed)
    for shelter_id, kg in delivered.items():
        expected, _ = shelter_demand(seeded, housed[shelter_id]["occupancy_people"], 1)
        assert kg == pytest.approx(expected, abs=2 * len(result["vehicles"]))


def test_typed_demand_and_api_validation(seeded):
    client = create_app(seeded).server.test_client()
    shelter = client.get("/api/v1/evacuation/capacity").get_json()["shelters"][0]
    body = client.post("/api/v1/routes/plan", json={"shelter_ids": [shelter["id"]], "seconds": 1,
                                                    "demands": {str(shelter["id"]): {"kg": 900, "m3": 2}}}).get_json()
    stops = [s for v in body["vehicles"] for s in v["stops"]]
    assert [s["shelter_id"] for s in stops] == [shelter["id"]] * len(stops)
    assert sum(s["kg"] for s in stops) == pytest.approx(900, abs=len(stops))
    for bad in ({"days": 0}, {"seconds": 999}, {"colour": 1}, {"shelter_ids": [999999]},
                {"demands": {"1": {"kg": -5}}}, {"shelter_ids": "abc"}):
        response = client.post("/api/v1/routes/plan", json=bad)
        assert response.status_code == 400, bad
        assert response.get_json()["reason"]


def test_blocking_the_only_road_to_a_shelter_leaves_it_unserved_with_the_reason(fresh, tmp_path):
    import dataclasses
    import json

    from services.data.imports import import_file
    from services.roads.closures import block_segment, lift_block
    from services.roads.network import base_graph
    from tests.conftest import csv_for
    depot_at, shelter_at = (108.770, 29.530), (108.790, 29.530)
    network = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"class": "secondary"},
               "geometry": {"type": "LineString", "coordinates": [list(depot_at), [108.780, 29.530],
                                                                  list(shelter_at)]}}]}
    path = tmp_path / "roads.geojson"
    path.write_text(json.dumps(network), encoding="utf-8")
    settings = dataclasses.replace(fresh, road_network_file=path)
    import_file(settings, "depots", csv_for("depots", [{"储备库编号": "D1", "名称": "测试库", "级别": "区级",
                "库容(立方米)": "100", "经度": str(depot_at[0]), "纬度": str(depot_at[1])}]), "d.csv")
    import_file(settings, "vehicles", csv_for("vehicles", [{"车牌号": "渝H00001", "车辆类型": "货车",
                "所属储备库编号": "D1", "载重(千克)": "5000", "容积(立方米)": "20", "状态": "可用"}]), "v.csv")
    import_file(settings, "shelters", csv_for("shelters", [{"场所编号": "S1", "名称": "测试场所", "场所类型": "紧急",
                "场所级别": "Ⅲ", "依托设施": "学校", "有效面积(平方米)": "600", "已安置人数": "40", "不可用位数": "0",
                "状态": "开放", "有饭吃": "是", "有衣穿": "是", "有干净水": "是", "有住处": "是", "有医疗": "是",
                "经度": str(shelter_at[0]), "纬度": str(shelter_at[1])}]), "s.csv")
    served = plan_supply_routes(settings, RoutePlanRequest(seconds=0.5))
    assert {s["name"] for v in served["vehicles"] for s in v["stops"]} == {"测试场所"} and not served["unserved"]
    block = block_segment(settings, base_graph(settings), 108.785, 29.5302, "桥梁垮塌", actor="duty")
    cut = plan_supply_routes(settings, RoutePlanRequest(seconds=0.5))
    assert cut["vehicles"] == [] and [(u["name"], u["reason"]) for u in cut["unserved"]] == [
        ("测试场所", "道路阻断或不通，无法到达")]
    lift_block(settings, block.id, actor="duty")
    again = plan_supply_routes(settings, RoutePlanRequest(seconds=0.5))
    assert {s["name"] for v in again["vehicles"] for s in v["stops"]} == {"测试场所"}


def test_critical_items_arrive_first_and_stops_carry_item_lines(seeded):
    result = plan_supply_routes(seeded, RoutePlanRequest(seconds=1, critical_within_hours=3))
    stops = [s for v in result["vehicles"] for s in v["stops"]]
    critical = [s for s in stops if s["critical"]]
    assert critical and all(s["latest_s"] == 3 * 3600 for s in critical)
    if result["feasible"]:
        assert not any(s["late"] for s in stops)
    names = {item["name"] for s in critical for item in s["items"]}
    assert "瓶装饮用水" in names and "棉被" not in names
    others = [item["name"] for s in stops if not s["critical"] for item in s["items"]]
    assert "棉被" in others


def test_a_fleet_too_small_reports_what_it_cannot_carry(seeded):
    client = create_app(seeded).server.test_client()
    shelters = client.get("/api/v1/evacuation/capacity").get_json()["shelters"][:6]
    huge = {str(s["id"]): {"kg": 4000, "m3": 10} for s in shelters}
    body = client.post("/api/v1/routes/plan", json={"shelter_ids": [s["id"] for s in shelters], "seconds": 1,
                                                    "demands": huge, "shift_hours": 1}).get_json()
    carried = sum(v["kg"] for v in body["vehicles"])
    left = sum(u["kg"] for u in body["unserved"])
    assert carried + left == pytest.approx(6 * 4000, abs=10)
    assert left > 0 and all(u["reason"].startswith("运力不足") for u in body["unserved"])
    for v in body["vehicles"]:
        assert v["duration_s"] <= 3600


def test_only_the_chosen_vehicles_drive(seeded):
    from services.supply.routes import available_trucks
    chosen = [vehicle_id for vehicle_id, _ in available_trucks(seeded)[:2]]
    result = plan_supply_routes(seeded, RoutePlanRequest(seconds=1, vehicle_ids=chosen))
    plates = {label.split()[0] for vehicle_id, label in available_trucks(seeded) if vehicle_id in chosen}
    assert {v["plate"] for v in result["vehicles"]} <= plates
    client = create_app(seeded).server.test_client()
    assert client.post("/api/v1/routes/plan", json={"vehicle_ids": [999999]}).status_code == 400
