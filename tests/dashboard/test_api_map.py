"""The map's API on both back-ends: vocabulary filters, the slim map view, details, search, areas, choropleth."""
from __future__ import annotations

import math

import pytest
from shapely.geometry import Point, shape

from dashboard.app import create_app
from tests.conftest import signed_in
from geo.distance import haversine_m


@pytest.fixture(scope="module")
def client(seeded):
    return signed_in(create_app(seeded).server.test_client(), seeded)


def features(client, url: str) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["features"]


def test_vocabulary_filters_select_exactly_the_matching_features(client):
    everything = features(client, "/api/v1/layers/enterprises")
    chosen = features(client, "/api/v1/layers/enterprises?risk_level=重大,较大&sector=危险化学品")
    expected = {f["id"] for f in everything
                if f["properties"]["risk_level"] in ("重大", "较大") and f["properties"]["sector"] == "危险化学品"}
    assert {f["id"] for f in chosen} == expected and expected
    warned = features(client, "/api/v1/layers/hazards?warning_level=红,橙")
    assert warned and {f["properties"]["warning_level"] for f in warned} <= {"红", "橙"}


def test_filter_values_outside_the_vocabulary_are_refused(client):
    response = client.get("/api/v1/layers/enterprises?risk_level=特大")
    assert response.status_code == 400 and response.get_json()["parameter"] == "risk_level"
    response = client.get("/api/v1/layers/hazards?risk_level=重大")  # a field of another layer
    assert response.status_code == 400 and response.get_json()["parameter"] == "risk_level"


def test_map_view_is_slim_but_carries_what_the_map_draws(client):
    full = client.get("/api/v1/layers/enterprises").data
    slim = features(client, "/api/v1/layers/enterprises?view=map")
    assert set(slim[0]["properties"]) == {"id", "name", "township_name", "risk_level", "sector", "category", "layer",
                                          "location_quality",  # a point placed from its address is drawn hollow
                                          "danger_flag"}  # an overdue or major open hidden danger: a ring
    assert len(client.get("/api/v1/layers/enterprises?view=map").data) < len(full) / 1.8
    shelters = features(client, "/api/v1/layers/shelters?view=map")
    for f in shelters:
        p = f["properties"]
        assert 0 <= p["available_places"] <= p["capacity_people"]
        assert p["occupancy_class"] in ("open", "nearly_full", "full", "closed")
    assert any(f["properties"]["below_minimum"] or f["properties"]["expired"]
               for f in features(client, "/api/v1/layers/depots?view=map"))


def test_feature_details_have_labels_township_and_the_truly_nearest_shelter(client):
    hazard = features(client, "/api/v1/layers/hazards")[7]
    body = client.get(f"/api/v1/features/hazards/{hazard['properties']['id']}").get_json()
    labels = {f["label"]: f["value"] for f in body["fields"]}
    assert labels["隐患点编号"] == hazard["properties"]["code"]
    assert labels["乡镇街道"] == hazard["properties"]["township_name"]
    lon, lat = hazard["geometry"]["coordinates"]
    shelters = features(client, "/api/v1/layers/shelters")
    best = min(shelters, key=lambda s: haversine_m(lon, lat, *s["geometry"]["coordinates"]))
    nearest = next(n for n in body["nearby"] if n["kind"] == "shelter")
    assert nearest["name"] == best["properties"]["name"]
    assert nearest["distance_m"] == pytest.approx(haversine_m(lon, lat, *best["geometry"]["coordinates"]), abs=1)
    assert client.get("/api/v1/features/hazards/999999").status_code == 404


def test_search_finds_by_name_credit_code_and_township(client):
    enterprise = features(client, "/api/v1/layers/enterprises")[3]["properties"]
    for text in (enterprise["name"], enterprise["credit_code"]):
        hits = client.get(f"/api/v1/search?q={text}").get_json()["hits"]
        assert any(h["layer"] == "enterprises" and h["id"] == enterprise["id"] for h in hits)
    hits = client.get("/api/v1/search?q=濯水镇").get_json()["hits"]
    assert hits and all(h["township_name"] == "濯水镇" or "濯水镇" in h["name"] for h in hits)
    assert client.get("/api/v1/search?q=").status_code == 400


def test_area_query_counts_what_lies_inside_a_circle(client):
    centre, radius = (108.78, 29.53), 3000.0
    body = client.post("/api/v1/area", json={"type": "Feature", "properties": {"radius": radius},
                                             "geometry": {"type": "Point", "coordinates": list(centre)}}).get_json()
    inside = [f for f in features(client, "/api/v1/layers/hazards")
              if haversine_m(*centre, *f["geometry"]["coordinates"]) < radius - 30]
    near_edge = [f for f in features(client, "/api/v1/layers/hazards")
                 if abs(haversine_m(*centre, *f["geometry"]["coordinates"]) - radius) <= 30]
    assert len(inside) <= body["hazards"] <= len(inside) + len(near_edge)
    assert body["area_km2"] == pytest.approx(math.pi * 3.0 ** 2, rel=0.01)
    enterprises = sum(body["enterprises_by_risk"].values())
    assert enterprises > 0 and body["shelters"] > 0
    assert client.post("/api/v1/area", json={"type": "LineString", "coordinates": [[0, 0], [1, 1]]}).status_code == 400


def test_polygon_area_matches_a_point_in_polygon_count(client):
    polygon = {"type": "Polygon", "coordinates": [[[108.70, 29.40], [108.85, 29.40], [108.85, 29.55],
                                                   [108.70, 29.55], [108.70, 29.40]]]}
    body = client.post("/api/v1/area", json=polygon).get_json()
    area = shape(polygon)
    expected = [f for f in features(client, "/api/v1/layers/hazards")
                if area.contains(Point(f["geometry"]["coordinates"]))]
    assert body["hazards"] == len(expected)
    assert body["threatened_people"] == sum(f["properties"]["threatened_people"] for f in expected)


def test_area_summary_tests_points_in_one_vectorised_call(seeded, client, monkeypatch):
    """shapely.contains_xy on the coordinate arrays, no shapely Point per feature (issue 9: hot paths)."""
    import shapely

    from services.map.area import polygon_from_geojson, summarise_area
    ring = [[108.70, 29.40], [108.85, 29.40], [108.85, 29.55], [108.70, 29.55], [108.70, 29.40]]
    area = polygon_from_geojson({"type": "Polygon", "coordinates": [ring]}, "area")
    expected = [f for f in features(client, "/api/v1/layers/enterprises")
                if area.contains(Point(f["geometry"]["coordinates"]))]  # the oracle, one Point at a time

    def no_points(*_args, **_kwargs):
        raise AssertionError("a shapely Point per feature")
    monkeypatch.setattr(shapely, "points", no_points)
    monkeypatch.setattr(shapely, "Point", no_points)
    from tests.conftest import read
    summary = read(seeded, summarise_area, area)
    assert sum(summary.enterprises_by_risk.values()) == len(expected) > 0


def test_choropleth_values_and_breaks(client):
    body = client.get("/api/v1/choropleth/threatened_people").get_json()
    hazards = features(client, "/api/v1/layers/hazards")
    by_code: dict[str, int] = {}
    for f in hazards:
        code = f["properties"]["township_code"]
        by_code[code] = by_code.get(code, 0) + f["properties"]["threatened_people"]
    assert {k: v for k, v in body["values"].items() if v} == by_code
    assert body["breaks"] == sorted(body["breaks"]) and body["breaks"][-1] == max(by_code.values())
    assert len(body["colours"]) == len(body["breaks"])
    assert client.get("/api/v1/choropleth/nonsense").status_code == 404


def test_evacuation_and_coverage_endpoints(client, seeded):
    body = client.get("/api/v1/evacuation/capacity").get_json()
    assert body["target_people"] == seeded.region.evacuation_target_people
    assert body["available_places"] == sum(s["available_places"] for s in body["shelters"] if s["status"] != "关闭")
    assert body["meets_target"] == (body["available_places"] >= body["target_people"])
    strict = client.get("/api/v1/evacuation/capacity?exclude_unsafe=1").get_json()
    assert strict["available_places"] <= body["available_places"]
    assert client.get("/api/v1/evacuation/capacity?exclude_unsafe=maybe").status_code == 400
    coverage = client.get("/api/v1/supplies/coverage?people=1000&days=2").get_json()
    assert (coverage["people"], coverage["days"]) == (1000, 2)
    assert set(coverage["by_have"]) == {"food", "clothing", "water", "shelter", "medical"}
    assert client.get("/api/v1/supplies/coverage?days=0").status_code == 400
    assert {n["have"] for n in client.get("/api/v1/supplies/profile").get_json()["needs"]} == set(coverage["by_have"])
    assert client.post("/api/v1/shelters/999999/occupancy", json={"occupancy_people": 1}).status_code == 404


def test_evacuation_plan_api_saves_and_returns_plans(client):
    response = client.post("/api/v1/evacuation/plans", json={"name": "红橙预警", "warning_levels": ["红", "橙"],
                                                              "max_travel_min": 90})
    assert response.status_code == 201
    body = response.get_json()
    people = sum(f["properties"]["threatened_people"] for f in
                 features(client, "/api/v1/layers/hazards?warning_level=红,橙"))
    assert body["totals"]["people"] == people
    assert body["totals"]["assigned"] + body["totals"]["unmet"] == people
    for d in body["demand"]:
        assert sum(a["people"] for a in d["assigned"]) + d["unmet"] == d["people"]
        assert all(a["travel_s"] <= 90 * 60 for a in d["assigned"])
    assert client.get(f"/api/v1/evacuation/plans/{body['id']}").get_json()["totals"] == body["totals"]
    xlsx = client.get(f"/api/v1/evacuation/plans/{body['id']}.xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    assert client.post("/api/v1/evacuation/plans", json={"warning_levels": ["紫"]}).status_code == 400
    for bad in ({"colour": 1}, {"townships": 500114003}, {"exclude_unsafe": "yes"}, [1, 2]):
        assert client.post("/api/v1/evacuation/plans", json=bad).status_code == 400, bad
    assert client.get("/api/v1/evacuation/plans/999999").status_code == 404


def test_needs_profile_can_be_revised_through_the_api(client):
    profile = client.get("/api/v1/supplies/profile").get_json()
    needs = [dict(n, amount=n["amount"] * 2) if n["key"] == "rice" else n for n in profile["needs"]]
    response = client.post("/api/v1/supplies/profile", json={"needs": needs, "note": "双倍大米"})
    assert response.status_code == 201
    version = response.get_json()["version"]
    assert version == profile["version"] + 1
    assert client.get("/api/v1/supplies/coverage").get_json()["profile_version"] == version
    bad = client.post("/api/v1/supplies/profile", json={"needs": [{"key": "x", "have": "joy"}]})
    assert bad.status_code == 400 and bad.get_json()["parameter"] == "needs.0.have"
    assert client.get("/api/v1/supplies/profile").get_json()["version"] == version


def test_the_import_template_speaks_the_language_asked_for(client):
    import io

    import openpyxl
    for lang, notes in (("zh", "说明"), ("en", "Notes")):
        answer = client.get(f"/api/v1/templates/hazards.xlsx?lang={lang}")
        assert answer.status_code == 200
        assert openpyxl.load_workbook(io.BytesIO(answer.data)).sheetnames[1] == notes
    assert openpyxl.load_workbook(io.BytesIO(client.get("/api/v1/templates/hazards.xlsx").data)).sheetnames[1] == "说明"
    refused = client.get("/api/v1/templates/hazards.xlsx?lang=de")
    assert refused.status_code == 400 and "lang" in refused.get_data(as_text=True)
