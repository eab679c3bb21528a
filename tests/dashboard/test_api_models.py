"""Request models of the road, route, evacuation, map and export routes: the 400 names the field, the
OpenAPI document carries the bodies and the query parameters, and the solver's time limit has a ceiling."""
from __future__ import annotations

import dataclasses

import pytest

from dashboard.app import create_app
from tests.conftest import signed_in


@pytest.fixture(scope="module")
def client(seeded):
    return signed_in(create_app(seeded).server.test_client(), seeded)


@pytest.mark.parametrize(("url", "body", "field_name"), [
    ("/api/v1/routes/plan", {"days": 0}, "days"),
    ("/api/v1/routes/plan", {"demands": {"5": {"kg": -1}}}, "demands.5.kg"),
    ("/api/v1/routes/plan", {"hazard_blocks": "yes"}, "hazard_blocks"),
    ("/api/v1/routes/plan", {"seconds": float("nan")}, "seconds"),  # Flask reads NaN; the model refuses it
    ("/api/v1/routes/plan", {"shelter_ids": [0]}, "shelter_ids.0"),
    ("/api/v1/routes/matrix", {"sources": [[200, 0]], "targets": [[108.7, 29.5]]}, "sources.0.0"),
    ("/api/v1/routes/matrix", {"sources": [[108.7, 29.5]]}, "targets"),
    ("/api/v1/routes/route", {"from": [108.7, 29.5], "to": [108.7, 95]}, "to.1"),
    ("/api/v1/roads/blocks", {"point": [108.7, 29.5], "reason": "x" * 201}, "reason"),
    ("/api/v1/roads/blocks", {"point": [108.7, 29.5], "speed": 3}, "speed"),
    ("/api/v1/evacuation/plans", {"max_travel_min": 0}, "max_travel_min"),
    ("/api/v1/evacuation/plans", {"hazard_types": ["地震"]}, "hazard_types.0"),
    ("/api/v1/evacuation/plans", {"exclude_unsafe": "1"}, "exclude_unsafe"),
    ("/api/v1/area", {"geometry": None}, "type"),
])
def test_a_bad_body_is_refused_naming_its_field(client, url, body, field_name):
    import json
    response = client.post(url, data=json.dumps(body), headers={"Content-Type": "application/json"})
    assert response.status_code == 400, response.get_data(as_text=True)[:300]
    answer = response.get_json()
    assert answer["parameter"] == field_name, answer
    assert answer["reason"] and answer["reason_en"]


@pytest.mark.parametrize(("url", "field_name"), [
    ("/api/v1/routes/isochrones?lat=29.5", "lon"),
    ("/api/v1/routes/isochrones?lon=108.7&lat=95", "lat"),
    ("/api/v1/routes/isochrones?lon=108.7&lat=29.5&minutes=0", "minutes"),
    ("/api/v1/routes/isochrones?lon=108.7&lat=29.5&hazard_blocks=maybe", "hazard_blocks"),
    ("/api/v1/supplies/coverage?days=0", "days"),
    ("/api/v1/supplies/coverage?people=many", "people"),
    ("/api/v1/evacuation/capacity?exclude_unsafe=2", "exclude_unsafe"),
    ("/api/v1/search?q=" + "x" * 101, "q"),
    ("/api/v1/search?q=%20%20", "q"),
    ("/api/v1/export/map.html?dpi=20", "dpi"),
    ("/api/v1/export/map.html?lang=fr", "lang"),
])
def test_a_bad_query_parameter_is_refused_naming_it(client, url, field_name):
    response = client.get(url)
    assert response.status_code == 400, response.get_data(as_text=True)[:300]
    assert response.get_json()["parameter"] == field_name


def test_the_document_has_the_bodies_and_the_query_parameters(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    for path in ("/api/v1/routes/plan", "/api/v1/routes/matrix", "/api/v1/routes/route", "/api/v1/roads/blocks",
                 "/api/v1/evacuation/plans", "/api/v1/area"):
        assert "$ref" in doc["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"], path
    params = {p["name"]: p for p in doc["paths"]["/api/v1/routes/isochrones"]["get"]["parameters"]}
    assert params["lon"]["in"] == "query" and params["lon"]["required"] is True
    assert params["lon"]["schema"]["maximum"] == 180 and params["minutes"]["required"] is False
    coverage = {p["name"]: p for p in doc["paths"]["/api/v1/supplies/coverage"]["get"]["parameters"]}
    assert coverage["days"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 365}  # absent, never null
    for path in ("/api/v1/search", "/api/v1/evacuation/capacity", "/api/v1/export/map.png"):
        assert all(p["in"] == "query" for p in doc["paths"][path]["get"]["parameters"]), path
    layer = {p["name"] for p in doc["paths"]["/api/v1/layers/{layer}"]["get"]["parameters"]}
    assert {"layer", "township", "bbox"} <= layer


def test_the_solver_time_limit_is_capped_by_the_deployment(seeded, monkeypatch):
    from services.supply import routes
    asked: list[float] = []
    from services.supply.route_plan import RoutePlan, RouteTotals
    empty = RoutePlan(True, False, (), (), RouteTotals(0, 0, 0))
    monkeypatch.setattr(routes, "solve_supply_routes",
                        lambda settings, inputs: asked.append(inputs.request.seconds) or empty)
    settings = dataclasses.replace(seeded, route_solver=dataclasses.replace(seeded.route_solver, max_seconds=1.5))
    response = signed_in(create_app(settings).server.test_client(), settings).post("/api/v1/routes/plan", json={"seconds": 60})
    assert response.status_code == 200 and asked == [1.5]


def test_a_success_must_go_through_the_declared_model_and_status():
    """The wrapper refuses what would bypass the document: a JSON Response of a model route, a wrong status."""
    from flask import Flask, Response, jsonify

    from dashboard.api.models import XLSX, responds
    from dashboard.api.models.roads import Lifted
    app = Flask(__name__)
    handlers = {
        "/bypass": responds(Lifted)(lambda: jsonify({"lifted": 1})),
        "/wrong-status": responds(None, 201, media_type=XLSX)(lambda: Response(b"x", mimetype=XLSX)),
        "/wrong-type": responds(None, media_type=XLSX)(lambda: Response(b"x", mimetype="text/plain")),
        "/refusal": responds(Lifted)(lambda: (jsonify({"error": "x"}), 404)),
        "/fine": responds(Lifted, 201)(lambda: {"lifted": 1}),
    }
    for url, handler in handlers.items():
        app.add_url_rule(url, url, handler)
    client = app.test_client()
    for url in ("/bypass", "/wrong-status", "/wrong-type"):
        assert client.get(url).status_code == 500, url
    assert client.get("/refusal").status_code == 404
    fine = client.get("/fine")
    assert fine.status_code == 201 and fine.get_json() == {"lifted": 1}
