"""The JSON API on a seeded database, on SQLite and PostGIS: codes, layers inside the district, filters."""
from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest
import shapely
from shapely.geometry import Point, box, shape

from config import ROOT
from dashboard.app import create_app
from tests.conftest import signed_in
from geo.boundaries import package_file
from services.data.specs import SPECS

LAYERS = ("enterprises", "hazards", "shelters", "depots", "teams", "stations")


@pytest.fixture(scope="module")
def client(seeded):
    return signed_in(create_app(seeded).server.test_client(), seeded)


@pytest.fixture(scope="module")
def district(client):
    features = client.get("/api/v1/boundary").get_json()["features"]
    geom = shape(next(f for f in features if f["properties"]["role"] == "district")["geometry"])
    shapely.prepare(geom)
    return geom


def sample_rows(entity: str) -> int:
    with (ROOT / "data" / "sample" / f"{entity}.csv").open(encoding="utf-8-sig") as fh:
        return sum(1 for _ in csv.DictReader(fh))


def test_healthz_reports_ok_database_and_counts(client, seeded):
    body = client.get("/healthz").get_json()
    assert body["status"] == "ok"
    assert body["database"] == seeded.database_kind
    for layer in LAYERS:
        assert body["counts"][layer] == sample_rows(layer)
    assert body["counts"]["townships"] == 30


def test_townships_have_the_30_official_codes(client):
    with (ROOT / "data" / "townships.csv").open(encoding="utf-8") as fh:
        official = {r["code"]: r["name"] for r in csv.DictReader(fh)}
    features = client.get("/api/v1/townships").get_json()["features"]
    assert {f["properties"]["code"]: f["properties"]["name"] for f in features} == official
    assert len(official) == 30
    assert all(f["properties"]["approximate"] for f in features)


def test_every_feature_of_every_layer_lies_inside_the_district(client, district):
    for layer in LAYERS:
        features = client.get(f"/api/v1/layers/{layer}").get_json()["features"]
        assert len(features) == sample_rows(layer)
        points = shapely.points([f["geometry"]["coordinates"] for f in features])
        outside = [f["properties"]["name"] for f, ok in zip(features, shapely.contains(district, points)) if not ok]
        assert outside == [], f"{layer}: {outside[:5]}"


def test_township_polygons_tile_the_district(client, district):
    polygons = [shape(f["geometry"]) for f in client.get("/api/v1/townships").get_json()["features"]]
    union = shapely.union_all(polygons)
    assert abs(union.area - district.area) / district.area < 1e-4
    assert sum(p.area for p in polygons) == pytest.approx(district.area, rel=1e-4)


def test_township_filter_partitions_a_layer(client):
    total = len(client.get("/api/v1/layers/enterprises").get_json()["features"])
    codes = [f["properties"]["code"] for f in client.get("/api/v1/townships").get_json()["features"]]
    per_township = 0
    for code in codes:
        features = client.get(f"/api/v1/layers/enterprises?township={code}").get_json()["features"]
        assert {f["properties"]["township_code"] for f in features} <= {code}
        per_township += len(features)
    assert per_township == total


def test_bbox_filter_returns_exactly_the_points_in_the_box(client):
    everything = client.get("/api/v1/layers/hazards").get_json()["features"]
    bounds = (108.6, 29.3, 108.8, 29.5)
    area = box(*bounds)
    expected = {f["id"] for f in everything if area.intersects(Point(f["geometry"]["coordinates"]))}
    got = client.get("/api/v1/layers/hazards?bbox=" + ",".join(map(str, bounds))).get_json()["features"]
    assert {f["id"] for f in got} == expected
    assert 0 < len(expected) < len(everything)


@pytest.mark.parametrize("url, status, parameter", [
    ("/api/v1/layers/enterprises?bbox=1,2,3", 400, "bbox"),
    ("/api/v1/layers/enterprises?bbox=108.9,29,108.6,29.5", 400, "bbox"),
    ("/api/v1/layers/enterprises?bbox=a,b,c,d", 400, "bbox"),
    ("/api/v1/layers/enterprises?township=999", 400, "township"),
    ("/api/v1/layers/enterprises?colour=red", 400, "colour"),
    ("/api/v1/layers/volcanoes", 404, "layer"),
])
def test_bad_parameters_get_a_reason(client, url, status, parameter):
    response = client.get(url)
    assert response.status_code == status
    body = response.get_json()
    assert body["parameter"] == parameter and body["reason"] and body["reason_en"]


def test_boundary_is_wgs84_not_the_gcj02_source(client, district):
    raw = shape(json.loads(package_file("500114").read_text(encoding="utf-8")))
    # GCJ-02 shifts Qianjiang by about 500 m, mostly eastward; the served outline must be shifted back.
    dx_m = (raw.centroid.x - district.centroid.x) * 96_800
    dy_m = (raw.centroid.y - district.centroid.y) * 110_900
    assert 300 < (dx_m ** 2 + dy_m ** 2) ** 0.5 < 800
    features = client.get("/api/v1/boundary").get_json()["features"]
    assert {f["properties"]["role"] for f in features} == {"district", "neighbour"}
    assert {f["properties"]["crs"] for f in features} == {"WGS84"}
    assert len(features) == 5


def test_openapi_document_lists_the_endpoints(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    for path in ("/healthz", "/api/v1/townships", "/api/v1/boundary", "/api/v1/layers/{layer}"):
        assert path in doc["paths"]


def test_import_template_has_the_chinese_headers(client):
    response = client.get("/api/v1/templates/hazards.xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).worksheets[0]
    assert [c.value for c in sheet[1]] == SPECS["hazards"].headers
    assert client.get("/api/v1/templates/nothing.xlsx").status_code == 404
