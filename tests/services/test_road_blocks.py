"""Road closures on a small network: segments, areas, hazard zones; routes and matrices honour them at once."""
from __future__ import annotations

import dataclasses
import json

import pytest
from sqlalchemy import func, select

from dashboard.app import create_app
from services.data.imports import import_file
from services.db import read_session
from services.errors import Conflict, NotFound
from services.models import AuditLog, RoadBlock
from services.roads.closures import (
    BlockError,
    active_blocks,
    block_area,
    block_segment,
    lift_block,
)
from services.roads.network import road_graph
from tests.conftest import call, csv_for, signed_in

# Two ways from W to E in the city: a fast northern road and a slow southern one.
W, N, E, S = (108.770, 29.530), (108.780, 29.534), (108.790, 29.530), (108.780, 29.526)


@pytest.fixture
def town(fresh, tmp_path):
    network = {"type": "FeatureCollection", "metadata": {"synthetic": True}, "features": [
        {"type": "Feature", "properties": {"class": "primary", "name": "北线"},
         "geometry": {"type": "LineString", "coordinates": [list(W), list(N), list(E)]}},
        {"type": "Feature", "properties": {"class": "track", "name": "南线"},
         "geometry": {"type": "LineString", "coordinates": [list(W), list(S), list(E)]}},
    ]}
    path = tmp_path / "roads.geojson"
    path.write_text(json.dumps(network), encoding="utf-8")
    return dataclasses.replace(fresh, road_network_file=path)


def route(client, **extra):
    return client.post("/api/v1/routes/route", json={"from": list(W), "to": list(E), **extra})


def test_a_blocked_segment_reroutes_and_lifting_restores(town):
    client = signed_in(create_app(town).server.test_client(), town)
    assert route(client).get_json()["via"] == ["北线"]
    named = client.post("/api/v1/roads/blocks", json={"point": [108.775, 29.5321], "reason": "塌方", "actor": "值班员"})
    assert named.status_code == 400 and named.get_json()["parameter"] == "actor"  # nobody names who acts
    response = client.post("/api/v1/roads/blocks", json={"point": [108.775, 29.5321], "reason": "塌方"})
    assert response.status_code == 201
    block_id = response.get_json()["id"]
    body = route(client).get_json()
    assert body["via"] == ["南线"] and body["blocked_edges"] == 2
    assert client.get("/api/v1/roads/blocks").get_json()["blocks"][0]["reason"] == "塌方"
    assert client.delete(f"/api/v1/roads/blocks/{block_id}").status_code == 200
    assert route(client).get_json()["via"] == ["北线"]
    with read_session(town.database_url) as session:
        actions = [(a.action, a.actor) for a in session.scalars(select(AuditLog).where(AuditLog.entity == "road"))]
    assert actions == [("block", "t-admin-all"), ("lift", "t-admin-all")]  # the signed-in user


def test_an_area_closing_both_roads_makes_the_target_unreachable(town):
    client = signed_in(create_app(town).server.test_client(), town)
    area = {"type": "Polygon", "coordinates": [[[108.784, 29.52], [108.786, 29.52], [108.786, 29.54],
                                                [108.784, 29.54], [108.784, 29.52]]]}
    call(town, block_area, area, "洪水漫路", actor="duty")
    response = route(client)
    assert response.status_code == 400 and response.get_json()["parameter"] == "to"
    matrix = client.post("/api/v1/routes/matrix", json={"sources": [list(W)], "targets": [list(E), list(N)]})
    seconds = matrix.get_json()["seconds"][0]
    assert seconds[0] is None and seconds[1] is not None


def test_red_and_orange_hazard_zones_close_roads_when_asked(town):
    hazard = {"隐患点编号": "H1", "名称": "北线滑坡", "灾害类型": "滑坡", "威胁户数": "1", "威胁人数": "3",
              "威胁财产(万元)": "1", "稳定性": "不稳定", "影响半径(米)": "150", "预警等级": "红",
              "经度": str(N[0]), "纬度": str(N[1])}
    call(town, import_file, "hazards", csv_for("hazards", [hazard]), "h.csv")
    client = signed_in(create_app(town).server.test_client(), town)
    assert route(client).get_json()["via"] == ["北线"]
    assert route(client, hazard_blocks=True).get_json()["via"] == ["南线"]
    assert call(town, road_graph, hazard_blocks=True, write=False).blocked.sum() > 0
    assert call(town, road_graph, write=False).blocked.sum() == 0
    assert route(client, hazard_blocks="yes").status_code == 400


def test_bad_blocks_are_refused_with_the_field(town):
    with pytest.raises(BlockError) as info:
        call(town, block_segment, 108.60, 29.30, "远处", actor="x")
    assert info.value.field == "point"
    with pytest.raises(BlockError) as info:
        call(town, block_segment, *N, "  ", actor="x")
    assert info.value.field == "reason"
    with pytest.raises(BlockError) as info:
        call(town, block_area, {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}, "x", actor="x")
    assert info.value.field == "area"
    with pytest.raises(NotFound) as info:
        call(town, lift_block, 12345, actor="x")
    assert info.value.code == "road.block_not_active"
    assert call(town, active_blocks, write=False) == []


def test_a_closed_place_cannot_be_closed_again_until_it_is_lifted(town):
    client = signed_in(create_app(town).server.test_client(), town)
    click = {"point": [108.775, 29.5321], "reason": "塌方"}
    first = client.post("/api/v1/roads/blocks", json=click)
    assert first.status_code == 201
    beside = client.post("/api/v1/roads/blocks", json={**click, "point": [108.7752, 29.5323], "reason": "又塌"})
    assert beside.status_code == 409  # the same segment, clicked a few metres away
    answer = beside.get_json()
    assert (answer["error"], answer["parameter"]) == ("road.already_closed", "point")
    assert f"#{first.get_json()['id']}" in answer["reason"] and "塌方" in answer["reason_en"]
    area = {"type": "Polygon", "coordinates": [[[108.784, 29.52], [108.786, 29.52], [108.786, 29.54],
                                                [108.784, 29.54], [108.784, 29.52]]]}
    assert call(town, block_area, area, "洪水").kind == "area"
    with pytest.raises(Conflict):
        call(town, block_area, {"type": "Feature", "properties": {}, "geometry": area}, "洪水")  # same polygon
    assert client.delete(f"/api/v1/roads/blocks/{first.get_json()['id']}").status_code == 200
    assert client.delete(f"/api/v1/roads/blocks/{first.get_json()['id']}").status_code == 404
    assert client.post("/api/v1/roads/blocks", json=click).status_code == 201  # lifted: it may be closed again
    with read_session(town.database_url) as session:
        rows = session.execute(select(RoadBlock.active, RoadBlock.actor)).all()
        lifts = session.scalars(select(AuditLog.actor).where(AuditLog.action == "lift")).all()
    assert sorted(rows) == [(False, "t-admin-all"), (True, "t-admin-all"), (True, "test")] and lifts == ["t-admin-all"]


def test_closures_are_written_only_when_their_unit_of_work_commits(town):
    from services.db.uow import unit_of_work
    with pytest.raises(RuntimeError):
        with unit_of_work(town, write=True, actor="duty") as uow:
            block = block_segment(uow, 108.775, 29.5321, "塌方")
            assert [b.id for b in active_blocks(uow)] == [block.id]  # seen inside the unit
            raise RuntimeError("the caller fails after the service returned")
    with read_session(town.database_url) as session:
        assert session.scalar(select(func.count()).select_from(RoadBlock)) == 0
        assert session.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.entity == "road")) == 0


def test_isochrones_grow_with_time_and_shrink_with_a_closure(town):
    from shapely.geometry import Point, shape
    client = signed_in(create_app(town).server.test_client(), town)
    body = client.get(f"/api/v1/routes/isochrones?lon={W[0]}&lat={W[1]}&minutes=1,2,10").get_json()
    areas = [shape(f["geometry"]) for f in body["features"]]
    assert areas[0].area <= areas[1].area <= areas[2].area
    assert areas[2].contains(Point(E)) and not areas[0].contains(Point(E))
    area = {"type": "Polygon", "coordinates": [[[108.784, 29.52], [108.786, 29.52], [108.786, 29.54],
                                                [108.784, 29.54], [108.784, 29.52]]]}
    call(town, block_area, area, "洪水", actor="duty")
    closed = client.get(f"/api/v1/routes/isochrones?lon={W[0]}&lat={W[1]}&minutes=10").get_json()
    assert not shape(closed["features"][0]["geometry"]).contains(Point(E))
    assert client.get("/api/v1/routes/isochrones?lon=x&lat=1").status_code == 400
    assert client.get(f"/api/v1/routes/isochrones?lon={W[0]}&lat={W[1]}&minutes=999").status_code == 400


def test_road_speeds_are_configurable(town):
    slow_track = dataclasses.replace(town, road_speeds_kmh={"track": 150, "primary": 5})
    client = signed_in(create_app(slow_track).server.test_client(), slow_track)
    assert route(client).get_json()["via"] == ["南线"]  # the track is now the fast way


# A 4 × 4 grid of streets (rows fast, columns slow) for judging routes against an independent oracle.
GRID_LON, GRID_LAT = [round(108.770 + 0.004 * i, 6) for i in range(4)], [round(29.530 + 0.004 * j, 6) for j in range(4)]


@pytest.fixture
def grid_town(fresh, tmp_path):
    rows = [[[x, y] for x in GRID_LON] for y in GRID_LAT]
    cols = [[[x, y] for y in GRID_LAT] for x in GRID_LON]
    features = [{"type": "Feature", "properties": {"class": "primary", "name": f"横{j}"},
                 "geometry": {"type": "LineString", "coordinates": row}} for j, row in enumerate(rows)]
    features += [{"type": "Feature", "properties": {"class": "track", "name": f"纵{i}"},
                  "geometry": {"type": "LineString", "coordinates": col}} for i, col in enumerate(cols)]
    path = tmp_path / "grid.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return dataclasses.replace(fresh, road_network_file=path), features


def _oracle(features, closed_areas, closed_points):
    """The network rebuilt from the file with shapely and networkx, minus what the closures cover."""
    import networkx as nx
    from shapely.geometry import LineString, Point, shape

    from geo.distance import haversine_m
    from geo.roads import DEFAULT_SPEEDS_KMH
    segments = []
    for f in features:
        coords = [tuple(c) for c in f["geometry"]["coordinates"]]
        segments += [(a, b, f["properties"]["class"]) for a, b in zip(coords[:-1], coords[1:])]
    closed = {i for i, (a, b, _) in enumerate(segments)
              if any(shape(area).intersects(LineString([a, b])) for area in closed_areas)}
    for p in closed_points:  # a segment block closes the one segment nearest the click
        closed.add(min(range(len(segments)), key=lambda i: LineString(segments[i][:2]).distance(Point(p))))
    net = nx.DiGraph()
    for i, (a, b, road_class) in enumerate(segments):
        if i not in closed:
            seconds = haversine_m(*a, *b) / (DEFAULT_SPEEDS_KMH[road_class] / 3.6)
            net.add_edge(a, b, w=float(seconds))
            net.add_edge(b, a, w=float(seconds))
    return net


def _oracle_seconds(net, start, end):
    """Walk to the nearest open node, drive, walk from the nearest open node; None if no road joins them."""
    import networkx as nx

    from geo.distance import haversine_m
    from geo.roads import ACCESS_SPEED_KMH
    near = lambda p: min(net.nodes, key=lambda n: haversine_m(*p, *n))  # noqa: E731
    a, b = near(start), near(end)
    if not nx.has_path(net, a, b):
        return None, None
    walk = (haversine_m(*start, *a) + haversine_m(*end, *b)) / (ACCESS_SPEED_KMH / 3.6)
    return walk + nx.shortest_path_length(net, a, b, weight="w"), net


@pytest.mark.parametrize("closures", [
    {"areas": [], "points": []},
    {"areas": [], "points": [(108.772, 29.5301), (108.776, 29.5341)]},
    {"areas": [{"type": "Polygon", "coordinates": [[[108.7735, 29.529], [108.7745, 29.529], [108.7745, 29.5385],
                                                    [108.7735, 29.5385], [108.7735, 29.529]]]}], "points": []},
    {"areas": [{"type": "Polygon", "coordinates": [[[108.7735, 29.529], [108.7825, 29.529], [108.7825, 29.5335],
                                                    [108.7735, 29.5335], [108.7735, 29.529]]]}],
     "points": [(108.7806, 29.536)]},
])
def test_routes_and_matrices_match_a_networkx_oracle_of_the_open_roads(grid_town, closures):
    settings, features = grid_town
    client = signed_in(create_app(settings).server.test_client(), settings)
    for p in closures["points"]:
        assert client.post("/api/v1/roads/blocks", json={"point": list(p), "reason": "塌方"}).status_code == 201
    for area in closures["areas"]:
        assert client.post("/api/v1/roads/blocks", json={"area": area, "reason": "洪水"}).status_code == 201
    net = _oracle(features, closures["areas"], closures["points"])
    points = [(108.7702, 29.5299), (108.7818, 29.5421), (108.7741, 29.5382), (108.7822, 29.5302)]
    sources, targets = points[:2], points
    matrix = client.post("/api/v1/routes/matrix", json={"sources": sources, "targets": targets}).get_json()
    for i, start in enumerate(sources):
        for j, end in enumerate(targets):
            expected, _ = _oracle_seconds(net, start, end)
            got = matrix["seconds"][i][j]
            assert (got is None) == (expected is None), (start, end)
            if expected is not None:
                assert got == pytest.approx(expected, abs=0.15)
            body = route(client, **{"from": list(start), "to": list(end)})
            if expected is None:
                assert body.status_code == 400
                continue
            trip = body.get_json()
            nodes = [tuple(c) for c in trip["geometry"]["coordinates"][1:-1]]
            assert all(net.has_edge(a, b) for a, b in zip(nodes[:-1], nodes[1:])), "the route used a closed road"
            assert trip["seconds"] == pytest.approx(expected, abs=0.15)
