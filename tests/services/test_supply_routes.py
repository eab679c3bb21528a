"""Supply routes on the sample, judged by independent computations: demand from the needs profile, payloads
from the vehicle rows, ETAs and lateness from networkx shortest paths on the same road graph."""
from __future__ import annotations

import json
import math
from fractions import Fraction

import networkx as nx
import numpy as np
import pytest
from sqlalchemy import select

from dashboard.app import create_app
from geo.distance import haversine_m
from geo.roads import ACCESS_SPEED_KMH
from services.db import read_session
from services.models import Depot, NeedsProfile, Shelter, SupplyItem, Vehicle
from services.roads.network import road_graph
from services.supply.needs import DEFAULT_NEEDS
from services.db.uow import unit_of_work
from services.supply.routes import RoutePlanRequest, available_trucks, load_route_inputs, solve_supply_routes
from tests.conftest import call, read, signed_in

UNLOADING_S = 20 * 60  # service time at each stop, as the planner documents
RELOADING_S = 20 * 60  # loading again at the depot between trips, as the planner documents


def plan_supply_routes(settings, req: RoutePlanRequest) -> dict:
    """As the edge plans: inputs read in a unit of work that is closed before the solve; the API's JSON."""
    with unit_of_work(settings) as uow:
        inputs = load_route_inputs(uow, req)
    return solve_supply_routes(settings, inputs).to_json()


class World:
    """What the database says, read directly: shelters, depots, vehicles, catalogue and needs profile."""

    def __init__(self, settings):
        with read_session(settings.database_url) as session:
            self.shelters = {s.id: s for s in session.scalars(select(Shelter))}
            self.depots = {d.id: d for d in session.scalars(select(Depot))}
            self.vehicles = {v.plate: v for v in session.scalars(select(Vehicle))}
            self.items = {i.code: i for i in session.scalars(select(SupplyItem))}
            row = session.scalars(select(NeedsProfile).order_by(NeedsProfile.version.desc())).first()
            session.expunge_all()
        self.needs = json.loads(row.entries) if row else DEFAULT_NEEDS

    def units(self, people: int, days: int) -> dict[str, int]:
        """Whole item units ``people`` need over ``days``, in exact arithmetic (first listed item per need)."""
        out: dict[str, int] = {}
        for need in self.needs:
            code, per_unit = next(iter(need["items"].items()))
            amount, per_unit = Fraction(str(need["amount"])), Fraction(str(per_unit))
            if need["basis"] == "person_day":
                total = amount * people * days
            elif need["basis"] == "person":
                total = amount * people
            else:  # one unit per N people
                total = Fraction(math.ceil(Fraction(people) / amount))
            out[code] = out.get(code, 0) + math.ceil(total / per_unit)
        return {code: n for code, n in out.items() if n > 0}


class Roads:
    """Travel seconds between points on the planner's roads, by networkx and a brute-force snap to any vertex
    (on the unsimplified graph: every vertex a node, so the planner's chains and attached points are checked)."""

    def __init__(self, settings):
        import json

        from geo.roads import from_features
        assert call(settings, road_graph, write=False).blocked.sum() == 0
        data = json.loads(settings.road_network_file.read_text(encoding="utf-8"))
        graph = from_features(data["features"], settings.road_speeds_kmh, simplify=False)
        self.graph, self.net = graph, nx.DiGraph()
        for a, b, w, closed in zip(graph.edge_from.tolist(), graph.edge_to.tolist(), graph.edge_seconds.tolist(),
                                   (~graph.usable).tolist()):
            if not closed and (not self.net.has_edge(a, b) or self.net[a][b]["w"] > w):
                self.net.add_edge(a, b, w=w)
        self.usable = np.array(sorted(self.net.nodes))
        self.scale = math.cos(math.radians(float(np.mean(graph.node_lat))))
        self._from: dict[int, dict] = {}

    def _snap(self, lon: float, lat: float) -> tuple[int, float]:
        g, ids = self.graph, self.usable
        d2 = ((g.node_lon[ids] - lon) * self.scale) ** 2 + (g.node_lat[ids] - lat) ** 2
        n = int(ids[np.argmin(d2)])
        return n, float(haversine_m(lon, lat, g.node_lon[n], g.node_lat[n]))

    def seconds(self, a: tuple[float, float], b: tuple[float, float]) -> float:
        (na, wa), (nb, wb) = self._snap(*a), self._snap(*b)
        if na not in self._from:
            self._from[na] = nx.single_source_dijkstra_path_length(self.net, na, weight="w")
        return (wa + wb) / (ACCESS_SPEED_KMH / 3.6) + self._from[na].get(nb, math.inf)


def check_payloads(world: World, result: dict) -> None:
    """Each vehicle carries no more kg and m³ on a trip than its row says (item lines × catalogue unit weights)."""
    for vehicle, trip in ((v, n) for v in result["vehicles"] for n in sorted({s["trip"] for s in v["stops"]})):
        row = world.vehicles[vehicle["plate"]]
        lines = [i for s in vehicle["stops"] if s["trip"] == trip for i in s["items"]]
        kg = sum(i["quantity"] * world.items[i["code"]].unit_weight_kg for i in lines)
        m3 = sum(i["quantity"] * world.items[i["code"]].unit_volume_m3 for i in lines)
        slack_kg = sum(0.05 * world.items[i["code"]].unit_weight_kg for i in lines)  # quantities shown to 0.1
        slack_m3 = sum(0.05 * world.items[i["code"]].unit_volume_m3 for i in lines)
        assert kg <= row.payload_kg + slack_kg, f"{vehicle['plate']} carries {kg:.0f} kg > {row.payload_kg}"
        assert m3 <= row.volume_m3 + slack_m3, f"{vehicle['plate']} carries {m3:.2f} m³ > {row.volume_m3}"


def check_etas_and_lateness(world: World, roads: Roads, result: dict) -> int:
    """Every stop's ETA is the road time from the depot through the earlier stops plus their unloading (and, on a
    later trip, the way back to the depot and reloading; a stop that may not start before ``ready_s`` waits for it),
    and ``late`` says whether the arrival is after the stop's latest arrival. Returns how many stops are late."""
    late = 0
    for vehicle in result["vehicles"]:
        depot = world.depots[world.vehicles[vehicle["plate"]].depot_id]
        here, clock_s, trip = (depot.lon, depot.lat), 0.0, 1
        for stop in vehicle["stops"]:
            if stop["trip"] != trip:
                assert stop["trip"] == trip + 1, vehicle["plate"]
                clock_s += roads.seconds(here, (depot.lon, depot.lat)) + RELOADING_S
                here, trip = (depot.lon, depot.lat), stop["trip"]
            shelter = world.shelters[stop["shelter_id"]]
            clock_s += roads.seconds(here, (shelter.lon, shelter.lat))
            arrival_s = clock_s
            clock_s = max(clock_s, stop["ready_s"] or 0)
            assert stop["eta_s"] == pytest.approx(clock_s, abs=2), (vehicle["plate"], stop["name"])
            assert isinstance(stop["late"], bool)
            if stop["latest_s"] is None:
                assert stop["late"] is False
            elif abs(arrival_s - stop["latest_s"]) > 1:
                assert stop["late"] is (arrival_s > stop["latest_s"]), (vehicle["plate"], stop["name"])
            late += stop["late"]
            clock_s += UNLOADING_S
            here = (shelter.lon, shelter.lat)
    return late


def delivered_units(result: dict) -> dict[int, dict[str, float]]:
    out: dict[int, dict[str, float]] = {}
    for stop in (s for v in result["vehicles"] for s in v["stops"]):
        for item in stop["items"]:
            out.setdefault(stop["shelter_id"], {}).setdefault(item["code"], 0.0)
            out[stop["shelter_id"]][item["code"]] += item["quantity"]
    return out


def test_every_housed_shelter_gets_exactly_its_needs_within_payloads_and_on_time(seeded):
    world, roads = World(seeded), Roads(seeded)
    result = plan_supply_routes(seeded, RoutePlanRequest(seconds=1))
    housed = {i: s for i, s in world.shelters.items() if s.occupancy_people > 0}
    assert housed and not result["unserved"]
    delivered = delivered_units(result)
    assert set(delivered) == set(housed)
    for shelter_id, shelter in housed.items():
        stops = sum(1 for v in result["vehicles"] for s in v["stops"] if s["shelter_id"] == shelter_id)
        expected = world.units(shelter.occupancy_people, 1)
        assert delivered[shelter_id].keys() == expected.keys(), shelter.name
        for code, units in expected.items():
            assert delivered[shelter_id][code] == pytest.approx(units, abs=0.05 * stops + 1e-9), (shelter.name, code)
    check_payloads(world, result)
    check_etas_and_lateness(world, roads, result)
    for vehicle in result["vehicles"]:
        assert vehicle["kg"] == pytest.approx(sum(stop["kg"] for stop in vehicle["stops"]), abs=len(vehicle["stops"]))


def test_small_pickups_split_the_loads_and_never_carry_more_than_their_payload(seeded):
    world, roads = World(seeded), Roads(seeded)
    pickups = [v.id for v in world.vehicles.values() if v.kind == "皮卡" and v.depot_id and v.status == "可用"]
    result = plan_supply_routes(seeded, RoutePlanRequest(seconds=1, days=3, vehicle_ids=pickups))
    heaviest = max(world.vehicles[v["plate"]].payload_kg for v in result["vehicles"])
    carried = {}
    for stop in (s for v in result["vehicles"] for s in v["stops"]):
        carried[stop["shelter_id"]] = carried.get(stop["shelter_id"], 0) + stop["kg"]
    assert max(carried.values()) > heaviest  # the case needs more than one pickup-load per shelter
    check_payloads(world, result)
    check_etas_and_lateness(world, roads, result)
    for shelter_id, shelter in world.shelters.items():  # carried or reported, kilo for kilo
        if shelter.occupancy_people <= 0:
            continue
        need_kg = sum(n * world.items[code].unit_weight_kg
                      for code, n in world.units(shelter.occupancy_people, 3).items())
        left = sum(u["kg"] for u in result["unserved"] if u["shelter_id"] == shelter_id)
        parts = sum(1 for v in result["vehicles"] for s in v["stops"] if s["shelter_id"] == shelter_id) + \
            sum(1 for u in result["unserved"] if u["shelter_id"] == shelter_id)
        assert carried.get(shelter_id, 0) + left == pytest.approx(need_kg, abs=parts), shelter.name


def test_lateness_is_told_truthfully_whether_or_not_the_plan_is_feasible(seeded):
    world, roads = World(seeded), Roads(seeded)
    housed = sorted(i for i, s in world.shelters.items() if s.occupancy_people > 0)
    windows = {housed[0]: 1, **{i: 600 for i in housed[1:]}}  # one minute cannot be met; ten hours can
    result = plan_supply_routes(seeded, RoutePlanRequest(seconds=1, critical_within_hours=None,
                                                         latest_arrival_min=windows))
    check_etas_and_lateness(world, roads, result)  # every flag, feasible plan or not
    check_payloads(world, result)
    stops = [s for v in result["vehicles"] for s in v["stops"]]
    assert stops and all(s["latest_s"] == 36_000 and not s["late"] for s in stops if s["shelter_id"] != housed[0])
    on_time = [s for s in stops if s["shelter_id"] == housed[0] and not s["late"]]
    assert not on_time, "a stop that cannot be reached in a minute is marked on time"
    skipped = [u for u in result["unserved"] if u["shelter_id"] == housed[0]]
    assert all(u["reason"].startswith("时限内无法送达") and u["reason_en"].startswith("cannot arrive in time")
               and u["reason_code"]["code"] == "sup.unserved.window" for u in skipped)
    assert skipped or any(s["late"] for s in stops)


def test_the_needs_profile_and_catalogue_are_read_once_per_plan_not_per_shelter(seeded):
    from sqlalchemy import event

    from services.db import get_engine
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    ids = sorted(World(seeded).shelters)
    engine = get_engine(seeded.database_url)
    event.listen(engine, "before_cursor_execute", count)
    try:
        plan_supply_routes(seeded, RoutePlanRequest(seconds=0.5, shelter_ids=ids[:1]))
        one = len(statements)
        statements.clear()
        plan_supply_routes(seeded, RoutePlanRequest(seconds=0.5, shelter_ids=ids[:12]))
        twelve = len(statements)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert twelve == one, f"{twelve - one} more queries for 11 more shelters"


def test_typed_demand_and_api_validation(seeded):
    client = signed_in(create_app(seeded).server.test_client(), seeded)
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
    from tests.conftest import csv_for
    depot_at, shelter_at = (108.770, 29.530), (108.790, 29.530)
    network = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"class": "secondary"},
               "geometry": {"type": "LineString", "coordinates": [list(depot_at), [108.780, 29.530],
                                                                  list(shelter_at)]}}]}
    path = tmp_path / "roads.geojson"
    path.write_text(json.dumps(network), encoding="utf-8")
    settings = dataclasses.replace(fresh, road_network_file=path)
    call(settings, import_file, "depots", csv_for("depots", [{"储备库编号": "D1", "名称": "测试库", "级别": "区级",
                "库容(立方米)": "100", "经度": str(depot_at[0]), "纬度": str(depot_at[1])}]), "d.csv")
    call(settings, import_file, "vehicles", csv_for("vehicles", [{"车牌号": "渝H00001", "车辆类型": "货车",
                "所属储备库编号": "D1", "载重(千克)": "5000", "容积(立方米)": "20", "状态": "可用"}]), "v.csv")
    call(settings, import_file, "shelters", csv_for("shelters", [{"场所编号": "S1", "名称": "测试场所", "场所类型": "紧急",
                "场所级别": "Ⅲ", "依托设施": "学校", "有效面积(平方米)": "600", "已安置人数": "40", "不可用位数": "0",
                "状态": "开放", "有饭吃": "是", "有衣穿": "是", "有干净水": "是", "有住处": "是", "有医疗": "是",
                "经度": str(shelter_at[0]), "纬度": str(shelter_at[1])}]), "s.csv")
    served = plan_supply_routes(settings, RoutePlanRequest(seconds=0.5))
    assert {s["name"] for v in served["vehicles"] for s in v["stops"]} == {"测试场所"} and not served["unserved"]
    block = call(settings, block_segment, 108.785, 29.5302, "桥梁垮塌", actor="duty")
    cut = plan_supply_routes(settings, RoutePlanRequest(seconds=0.5))
    assert cut["vehicles"] == [] and [(u["name"], u["reason"], u["reason_code"]) for u in cut["unserved"]] == [
        ("测试场所", "道路阻断或不通，无法到达", {"code": "sup.unserved.unreachable", "params": {}})]
    call(settings, lift_block, block.id, actor="duty")
    again = plan_supply_routes(settings, RoutePlanRequest(seconds=0.5))
    assert {s["name"] for v in again["vehicles"] for s in v["stops"]} == {"测试场所"}


def test_critical_items_have_their_window_and_come_first_on_each_stop(seeded):
    result = plan_supply_routes(seeded, RoutePlanRequest(seconds=1, critical_within_hours=3))
    stops = [s for v in result["vehicles"] for s in v["stops"]]
    with_critical = [s for s in stops if any(i["critical"] for i in s["items"])]
    assert with_critical and all(s["latest_s"] == 3 * 3600 for s in with_critical)
    check_etas_and_lateness(World(seeded), Roads(seeded), result)
    flags = {item["name"]: item["critical"] for s in stops for item in s["items"]}
    assert flags["瓶装饮用水"] is True and flags["棉被"] is False
    for s in stops:  # ★ first: no critical line after a non-critical one
        marks = [i["critical"] for i in s["items"]]
        assert marks == sorted(marks, reverse=True), s["name"]


def test_a_fleet_too_small_reports_what_it_cannot_carry(seeded):
    client = signed_in(create_app(seeded).server.test_client(), seeded)
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
    trucks = read(seeded, available_trucks)
    chosen = [vehicle_id for vehicle_id, _ in trucks[:2]]
    result = plan_supply_routes(seeded, RoutePlanRequest(seconds=1, vehicle_ids=chosen))
    plates = {label.split()[0] for vehicle_id, label in trucks if vehicle_id in chosen}
    assert {v["plate"] for v in result["vehicles"]} <= plates
    client = signed_in(create_app(seeded).server.test_client(), seeded)
    assert client.post("/api/v1/routes/plan", json={"vehicle_ids": [999999]}).status_code == 400


def test_the_solve_holds_no_database_connection(seeded, monkeypatch):
    """The API reads the inputs in a unit of work and closes it before PyVRP runs (up to 60 s)."""
    from services.db import get_engine
    from services.supply import routes
    real, open_during_solve = routes.solve_deliveries, []

    def watched(problem, seconds, **options):
        open_during_solve.append(get_engine(seeded.database_url).pool.checkedout())
        return real(problem, seconds, **options)

    monkeypatch.setattr(routes, "solve_deliveries", watched)
    response = signed_in(create_app(seeded).server.test_client(), seeded).post("/api/v1/routes/plan", json={"seconds": 0.5})
    assert response.status_code == 200 and open_during_solve == [0]
    # and the oracle that this watch can see a connection: one held open by hand is counted
    with unit_of_work(seeded) as uow:
        uow.session.execute(select(1))
        assert get_engine(seeded.database_url).pool.checkedout() == 1
