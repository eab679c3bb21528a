"""一张图's evacuation plan layer through Dash's callback endpoint, on both back-ends: off, it asks for nothing; on,
it draws the newest saved plan (or the one picked) from the plan's GeoJSON route, with the legend of that plan;
township staff get neither the layer nor its callback (plan.read)."""
from __future__ import annotations

import json

import pytest

from dashboard import ids
from dashboard.app import create_app
from services.evacuation.plans import Scenario, list_plans, save_plan
from tests.conftest import BACKENDS, _cleanup, call, make_settings, read, setup_database, signed_in

LAYER_ON = ["区界", "疏散方案（已保存）"]


@pytest.fixture(scope="module", params=BACKENDS)
def sample(request, tmp_path_factory):
    settings = make_settings(request.param, tmp_path_factory.mktemp(f"map-plan-{request.param}"))
    setup_database(settings, with_sample=True)
    call(settings, save_plan, Scenario(name="城西", townships=["500114001"], max_travel_min=60))
    call(settings, save_plan, Scenario(name="正阳", townships=["500114003"], max_travel_min=60))
    yield settings
    _cleanup(settings)


@pytest.fixture(scope="module")
def app(sample):
    application = create_app(sample)
    application.server.test_client().get("/_dash-dependencies")
    return application


def _press(app, client, overlays, chosen=None, status: int = 200):
    key = next(k for k in app.callback_map if k.lstrip(".").startswith("map-layer-plan.url"))
    outputs = [{"id": o.split(".")[0], "property": o.split(".")[1]} for o in key.strip(".").split("...")]
    body = {"output": key, "outputs": outputs,
            "inputs": [{"id": ids.LAYERS_CONTROL, "property": "overlays", "value": overlays},
                       {"id": "map-plan-pick", "property": "value", "value": chosen},
                       {"id": ids.BASEMAP, "property": "value", "value": ""}],
            "state": [{"id": ids.MAP_LANG, "property": "data", "value": "zh"}],
            "changedPropIds": [f"{ids.LAYERS_CONTROL}.overlays"]}
    answer = client.post("/_dash-update-component", json=body)
    assert answer.status_code == status, answer.get_data(as_text=True)[:300]
    return answer.get_json()["response"] if status == 200 else None


def _client(app, sample, role: str, township: str | None = None):
    return signed_in(app.server.test_client(), sample, role, township)


def test_the_layer_draws_the_newest_plan_and_the_one_picked(app, sample):
    client = _client(app, sample, "planner")
    off = _press(app, client, ["区界"])
    assert off["map-layer-plan"]["url"] is None and "hidden" in off["map-plan-box"]["className"]
    plans = read(sample, list_plans)
    on = _press(app, client, LAYER_ON)
    assert on["map-layer-plan"]["url"] == f"/api/v1/evacuation/plans/{plans[0].id}.geojson"
    assert on["map-plan-pick"]["value"] == plans[0].id and "hidden" not in on["map-plan-box"]["className"]
    assert [o["value"] for o in on["map-plan-pick"]["options"]] == [p.id for p in plans]
    picked = _press(app, client, LAYER_ON, plans[1].id)
    assert picked["map-layer-plan"]["url"] == f"/api/v1/evacuation/plans/{plans[1].id}.geojson"
    features = json.loads(client.get(picked["map-layer-plan"]["url"]).get_data())["features"]
    largest = max(f["properties"]["people"] for f in features if f["properties"]["kind"] == "flow")
    assert f"转移 {largest:,} 人" in json.dumps(picked["map-plan-legend"]["children"], ensure_ascii=False)


def test_township_staff_get_no_plan_layer(app, sample):
    client = _client(app, sample, "township", "500114001")
    _press(app, client, LAYER_ON, status=403)
    body = {"output": ".._pages_content.children..._pages_store.data..",
            "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
            "inputs": [{"id": "_pages_location", "property": "pathname", "value": "/"},
                       {"id": "_pages_location", "property": "search", "value": "?lang=zh"}],
            "changedPropIds": ["_pages_location.pathname"], "state": []}
    page = client.post("/_dash-update-component", json=body).get_data(as_text=True)
    assert "map-layer-plan" not in page and "map-plan-box" not in page
    duty = _client(app, sample, "duty").post("/_dash-update-component", json=body).get_data(as_text=True)
    assert "map-layer-plan" in duty and "map-plan-box" in duty
