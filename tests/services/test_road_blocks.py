"""Road closures on a small network: segments, areas, hazard zones; routes and matrices honour them at once."""
from __future__ import annotations

import dataclasses
import json

import pytest
from sqlalchemy import select

from dashboard.app import create_app
from services.data.imports import import_file
from services.db import read_session
from services.models import AuditLog
from services.roads.closures import (
    BlockError,
    active_blocks,
    block_area,
    block_segment,
    lift_block,
)
from services.roads.network import base_graph, road_graph
from tests.conftest import csv_for

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
    client = create_app(town).server.test_client()
    assert route(client).get_json()["via"] == ["北线"]
    response = client.post("/api/v1/roads/blocks", json={"point": [108.775, 29.5321], "reason": "塌方", "actor": "值班员"})
    assert response.status_code == 201
    block_id = response.get_json()["id"]
    body = route(client).get_json()
    assert body["via"] == ["南线"] and body["blocked_edges"] == 2
    assert client.get("/api/v1/roads/blocks").get_json()["blocks"][0]["reason"] == "塌方"
    assert client.delete(f"/api/v1/roads/blocks/{block_id}").status_code == 200
    assert route(client).get_json()["via"] == ["北线"]
    with read_session(town.database_url) as session:
        actions = [(a.action, a.actor) for a in session.scalars(select(AuditLog).where(AuditLog.entity == "road"))]
    assert actions == [("block", "值班员"), ("lift", "api")]


def test_an_area_closing_both_roads_makes_the_target_unreachable(town):
    client = create_app(town).server.test_client()
    area = {"type": "Polygon", "coordinates": [[[108.784, 29.52], [108.786, 29.52], [108.786, 29.54],
                                                [108.784, 29.54], [108.784, 29.52]]]}
    block_area(town, area, "洪水漫路", actor="duty")
    response = route(client)
    assert response.status_code == 400 and response.get_json()["parameter"] == "to"
    matrix = client.post("/api/v1/routes/matrix", json={"sources": [list(W)], "targets": [list(E), list(N)]})
    seconds = matrix.get_json()["seconds"][0]
    assert seconds[0] is None and seconds[1] is not None


def test_red_and_orange_hazard_zones_close_roads_when_asked(town):
    hazard = {"隐患点编号": "H1", "名称": "北线滑坡", "灾害类型": "滑坡", "威胁户数": "1", "威胁人数": "3",
              "威胁财产(万元)": "1", "稳定性": "不稳定", "影响半径(米)": "150", "预警等级": "红",
              "经度": str(N[0]), "纬度": str(N[1])}
    import_file(town, "hazards", csv_for("hazards", [hazard]), "h.csv")
    client = create_app(town).server.test_client()
    assert route(client).get_json()["via"] == ["北线"]
    assert route(client, hazard_blocks=True).get_json()["via"] == ["南线"]
    assert road_graph(town, hazard_blocks=True).blocked.sum() > 0 and road_graph(town).blocked.sum() == 0
    assert route(client, hazard_blocks="yes").status_code == 400


def test_bad_blocks_are_refused_with_the_field(town):
    graph = base_graph(town)
    with pytest.raises(BlockError) as info:
        block_segment(town, graph, 108.60, 29.30, "远处", actor="x")
    assert info.value.field == "point"
    with pytest.raises(BlockError) as info:
        block_segment(town, graph, *N, "  ", actor="x")
    assert info.value.field == "reason"
    with pytest.raises(BlockError) as info:
        block_area(town, {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}, "x", actor="x")
    assert info.value.field == "area"
    with pytest.raises(BlockError):
        lift_block(town, 12345, actor="x")
    assert active_blocks(town) == []


def test_isochrones_grow_with_time_and_shrink_with_a_closure(town):
    from shapely.geometry import Point, shape
    client = create_app(town).server.test_client()
    body = client.get(f"/api/v1/routes/isochrones?lon={W[0]}&lat={W[1]}&minutes=1,2,10").get_json()
    areas = [shape(f["geometry"]) for f in body["features"]]
    assert areas[0].area <= areas[1].area <= areas[2].area
    assert areas[2].contains(Point(E)) and not areas[0].contains(Point(E))
    area = {"type": "Polygon", "coordinates": [[[108.784, 29.52], [108.786, 29.52], [108.786, 29.54],
                                                [108.784, 29.54], [108.784, 29.52]]]}
    block_area(town, area, "洪水", actor="duty")
    closed = client.get(f"/api/v1/routes/isochrones?lon={W[0]}&lat={W[1]}&minutes=10").get_json()
    assert not shape(closed["features"][0]["geometry"]).contains(Point(E))
    assert client.get("/api/v1/routes/isochrones?lon=x&lat=1").status_code == 400
    assert client.get(f"/api/v1/routes/isochrones?lon={W[0]}&lat={W[1]}&minutes=999").status_code == 400


def test_road_speeds_are_configurable(town):
    slow_track = dataclasses.replace(town, road_speeds_kmh={"track": 150, "primary": 5})
    client = create_app(slow_track).server.test_client()
    assert route(client).get_json()["via"] == ["南线"]  # the track is now the fast way
