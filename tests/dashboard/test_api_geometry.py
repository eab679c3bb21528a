"""Drawn areas from users, on SQLite and PostGIS: every endpoint that takes one refuses a bad polygon with 400
naming its field, and stores nothing; a circle (point + radius) is accepted where a polygon is.
"""
from __future__ import annotations

import json
import math

import pytest
from sqlalchemy import text

from dashboard.app import create_app
from services.db import get_engine
from services.evacuation.plans import Scenario, ScenarioError
from services.map.area import MAX_VERTICES, polygon_from_geojson
from tests.conftest import prepared, BACKENDS, _cleanup, signed_in

BOW_TIE = [[108.70, 29.50], [108.80, 29.60], [108.80, 29.50], [108.70, 29.60], [108.70, 29.50]]  # crosses at the middle
SQUARE = [[108.76, 29.52], [108.79, 29.52], [108.79, 29.55], [108.76, 29.55], [108.76, 29.52]]


def _ring(n: int) -> list[list[float]]:
    ring = [[108.77 + 0.01 * math.cos(2 * math.pi * i / n), 29.53 + 0.01 * math.sin(2 * math.pi * i / n)]
            for i in range(n)]
    return [*ring, ring[0]]


# name → (GeoJSON text, since NaN and Infinity are not JSON a client can send with json=; words in reason_en)
BAD = {
    "bow_tie": (json.dumps({"type": "Polygon", "coordinates": [BOW_TIE]}), "intersects itself at (lon, lat) "
                                                                            "(108.750000, 29.550000)"),
    "empty": (json.dumps({"type": "Polygon", "coordinates": []}), "empty"),
    "nan": (json.dumps({"type": "Polygon", "coordinates": [[[108.7, 29.5], [108.8, 29.5], [108.8, float("nan")],
                                                            [108.7, 29.5]]]}), "finite"),
    "infinity": (json.dumps({"type": "Polygon", "coordinates": [[[108.7, 29.5], [float("inf"), 29.5],
                                                                 [108.8, 29.6], [108.7, 29.5]]]}), "finite"),
    "out_of_range": (json.dumps({"type": "Polygon", "coordinates": [[[108.7, 29.5], [108.8, 95.0], [108.8, 29.6],
                                                                     [108.7, 29.5]]]}), "lat ±90"),
    "20000_vertices": (json.dumps({"type": "Polygon", "coordinates": [_ring(20_000)]}), "too many vertices"),
    "line": (json.dumps({"type": "LineString", "coordinates": [[108.7, 29.5], [108.8, 29.6]]}), "not LineString"),
    "feature_without_geometry": (json.dumps({"type": "Feature", "properties": {}, "geometry": None}), "polygon"),
    "point_without_radius": (json.dumps({"type": "Point", "coordinates": [108.77, 29.53]}), "radius"),
}


def _wrap(endpoint: str, geometry_json: str) -> tuple[str, str, str]:
    """(url, request body, field the answer must name) with the bad geometry where the endpoint takes an area."""
    if endpoint == "area":
        return "/api/v1/area", geometry_json, "body"
    if endpoint == "warnings":
        return "/api/v1/warnings", ('{"level": "黄", "hazard_type": "地质灾害", "headline": "圈选预警", '
                                    '"recipients": [{"name": "值班员"}], "polygon": %s}' % geometry_json), "polygon"
    if endpoint == "blocks":
        return "/api/v1/roads/blocks", '{"reason": "塌方", "area": %s}' % geometry_json, "area"
    return "/api/v1/evacuation/plans", '{"name": "圈选", "area": %s}' % geometry_json, "area"


@pytest.fixture(scope="module", params=BACKENDS)
def empty(request, tmp_path_factory):
    """Geography and catalogue only; nothing here may be written by a refused request."""
    settings = prepared(request.param, tmp_path_factory.mktemp(f"geometry-{request.param}"), tmp_path_factory,
                        with_sample=False)
    yield settings
    _cleanup(settings)


@pytest.fixture(scope="module")
def client(empty):
    return signed_in(create_app(empty).server.test_client(), empty)


def _stored(settings) -> tuple[int, int, int]:
    with get_engine(settings.database_url).connect() as conn:
        return tuple(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
                     for table in ("warning", "road_block", "evacuation_plan"))


@pytest.mark.parametrize("case", BAD)
@pytest.mark.parametrize("endpoint", ["area", "warnings", "blocks", "plans"])
def test_a_bad_area_is_refused_with_its_field_and_nothing_is_stored(empty, client, endpoint, case):
    geometry_json, words = BAD[case]
    url, body, field_name = _wrap(endpoint, geometry_json)
    before = _stored(empty)
    response = client.post(url, data=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400, response.get_data()[:300]
    answer = response.get_json()
    assert answer["parameter"] == field_name and answer["reason"]
    assert words in answer["reason_en"]
    assert _stored(empty) == before


@pytest.mark.parametrize("endpoint", ["area", "warnings", "blocks"])
def test_a_good_polygon_and_a_circle_are_accepted(empty, client, endpoint):
    circle = {"type": "Feature", "properties": {"radius": 800},
              "geometry": {"type": "Point", "coordinates": [108.775, 29.532]}}
    for geometry in ({"type": "Polygon", "coordinates": [SQUARE]}, circle):
        url, body, _ = _wrap(endpoint, json.dumps(geometry))
        response = client.post(url, data=body, headers={"Content-Type": "application/json"})
        assert response.status_code in (200, 201), response.get_data()[:300]


def test_polygon_check_bounds_and_the_scenario_takes_circles():
    assert polygon_from_geojson({"type": "Polygon", "coordinates": [_ring(MAX_VERTICES - 1)]}, "area").is_valid
    for radius in (0, 0.5, 100_001, float("nan"), "500", True, None):
        with pytest.raises(ValueError, match="radius"):
            polygon_from_geojson({"type": "Feature", "properties": {"radius": radius},
                                  "geometry": {"type": "Point", "coordinates": [108.77, 29.53]}}, "area")
    scenario = Scenario.from_json({"area": {"type": "Feature", "properties": {"radius": 1000},
                                            "geometry": {"type": "Point", "coordinates": [108.77, 29.53]}}}, set())
    assert scenario.area["type"] == "Polygon"  # what _demand reads: the circle as a polygon
    with pytest.raises(ScenarioError) as info:
        Scenario.from_json({"area": {"type": "Polygon", "coordinates": [BOW_TIE]}}, set())
    assert info.value.field == "area" and "108.75" in info.value.reason
