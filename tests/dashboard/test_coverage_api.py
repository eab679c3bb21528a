"""GET /api/v1/analysis/coverage and POST /api/v1/analysis/siting: answers equal the services', bad parameters are
400 naming the parameter, the permissions hold, and both operations are in the OpenAPI document."""
from __future__ import annotations

import pytest

from dashboard.app import create_app
from services.analysis.coverage import CoverageQuery, coverage
from services.analysis.siting import SitingQuery, site
from tests.conftest import read, signed_in


@pytest.fixture(scope="module")
def app(seeded):
    return create_app(seeded).server


@pytest.fixture(scope="module")
def planner(app, seeded):
    return signed_in(app.test_client(), seeded, "planner")


def test_coverage_answers_what_the_service_computes(planner, seeded):
    answer = planner.get("/api/v1/analysis/coverage?townships=500114110,500114114&kinds=hazard&hazard_types=滑坡,崩塌")
    assert answer.status_code == 200
    data = answer.get_json()
    expected = read(seeded, coverage, CoverageQuery(("500114110", "500114114"), ("滑坡", "崩塌"), ("hazard",)))
    assert data["shelter_gap_totals"] == list(expected.to_json()["shelter_gap_totals"])
    assert [p["code"] for p in data["points"]] == [p.code for p in expected.points]
    assert {p["township_code"] for p in data["points"]} <= {"500114110", "500114114"}
    assert data["is_sample"] is True and data["query"]["kinds"] == ["hazard"]


@pytest.mark.parametrize("query, parameter", [
    ("townships=5001", "townships"), ("townships=500114999", "townships"), ("hazard_types=火山", "hazard_types"),
    ("kinds=hazard,farm", "kinds"), ("hazard_blocks=perhaps", "hazard_blocks"), ("radius=3", "radius"),
])
def test_bad_coverage_parameters_are_400_naming_the_parameter(planner, query, parameter):
    answer = planner.get(f"/api/v1/analysis/coverage?{query}")
    assert answer.status_code == 400
    body = answer.get_json()
    assert body["parameter"] == parameter and body["reason"] and body["reason_en"]


def test_siting_answers_what_the_service_computes(planner, seeded):
    body = {"facility": "team", "k": 2, "minutes": 30, "objective": "coverage", "townships": ["500114110"]}
    answer = planner.post("/api/v1/analysis/siting", json=body)
    assert answer.status_code == 200
    data = answer.get_json()
    expected = read(seeded, site, SitingQuery(facility="team", k=2, minutes=30, townships=("500114110",)))
    assert [s["candidate"]["ref"] for s in data["sites"]] == [s.candidate.ref for s in expected.sites]
    assert data["after"] == expected.to_json()["after"] and data["optimal"] is True
    median = planner.post("/api/v1/analysis/siting", json={**body, "objective": "p-median", "mode": "walk"})
    assert median.status_code == 200 and median.get_json()["query"]["mode"] == "walk"


@pytest.mark.parametrize("body, parameter", [
    ({"k": 0}, "k"), ({"k": 21}, "k"), ({"k": "3"}, "k"), ({"minutes": 0.5}, "minutes"), ({"minutes": 181}, "minutes"),
    ({"facility": "hospital"}, "facility"), ({"objective": "fastest"}, "objective"), ({"mode": "fly"}, "mode"),
    ({"townships": ["12"]}, "townships.0"), ({"townships": ["500114999"]}, "townships"),
    ({"candidates": []}, "candidates"), ({"candidates": ["schools"]}, "candidates.0"),
    ({"candidates": ["points"]}, "points"), ({"points": [[200, 10]]}, "points.0.0"),
    ({"grid_spacing_m": 100}, "grid_spacing_m"), ({"capacity_people": 0}, "capacity_people"),
    ({"time_limit_s": 600}, "time_limit_s"), ({"actor": "x"}, "actor"),
])
def test_bad_siting_parameters_are_400_naming_the_parameter(planner, body, parameter):
    answer = planner.post("/api/v1/analysis/siting", json=body)
    assert answer.status_code == 400, answer.get_json()
    assert answer.get_json()["parameter"] == parameter


def test_siting_needs_json_and_the_run_permission(app, seeded, planner):
    assert planner.post("/api/v1/analysis/siting", data="k=3").status_code == 415
    viewer = signed_in(app.test_client(), seeded, "viewer")
    assert viewer.get("/api/v1/analysis/coverage?kinds=hazard").status_code == 200
    refused = viewer.post("/api/v1/analysis/siting", json={})
    assert refused.status_code == 403
    township = signed_in(app.test_client(), seeded, "township", "500114003")
    assert township.get("/api/v1/analysis/coverage").status_code == 403


def test_both_operations_are_documented_with_their_parameters(planner):
    doc = planner.get("/api/v1/openapi.json").get_json()
    get = doc["paths"]["/api/v1/analysis/coverage"]["get"]
    assert {p["name"] for p in get["parameters"]} >= {"townships", "hazard_types", "kinds", "hazard_blocks"}
    post = doc["paths"]["/api/v1/analysis/siting"]["post"]
    assert set(post["responses"]) >= {"200", "400", "415", "503"}
    schema = doc["components"]["schemas"]["SitingBody"]["properties"]
    assert schema["k"]["maximum"] == 20 and schema["minutes"]["maximum"] == 180
    assert set(schema["objective"]["enum"]) == {"coverage", "p-median"}
