"""周边研判 from a free click, through Dash's callback endpoint and the API: a click on an empty spot opens that
spot's radius buttons (not while closing roads); the circle is drawn with the radius in metres exactly while a radius
result is shown; ``GET /api/v1/nearby`` answers the service's figures and refuses bad input with 400."""
from __future__ import annotations

import json

import pytest

from dashboard import ids
from dashboard.app import create_app
from services.map.nearby import within_radius
from tests.conftest import read, signed_in
from tests.dashboard.test_map_radius import CITY, press_radius


@pytest.fixture(scope="module")
def app(seeded):
    application = create_app(seeded)
    application.server.test_client().get("/_dash-dependencies")
    return application


def _call(app, client, first_output: str, values: dict, changed: str, status: int = 200):
    key = next(k for k in app.callback_map if k.lstrip(".").startswith(first_output + ".")
               and changed.split(".")[0] in json.dumps(app.callback_map[k]["inputs"]))
    spec = app.callback_map[key]
    item = lambda d: {"id": d["id"], "property": d["property"], "value": values.get(f"{d['id']}.{d['property']}")}
    outputs = [{"id": o.split(".")[0], "property": o.split(".")[1].split("@")[0]} for o in key.strip(".").split("...")]
    body = {"output": key, "outputs": outputs if len(outputs) > 1 else outputs[0],
            "inputs": [item(d) for d in spec["inputs"]], "state": [item(d) for d in spec["state"]],
            "changedPropIds": [changed]}
    answer = client.post("/_dash-update-component", json=body)
    assert answer.status_code == status, answer.get_data(as_text=True)[:300]
    return answer.get_json()["response"] if status == 200 else None


def test_a_free_click_offers_the_radius_of_that_spot_unless_closing_roads(app, seeded):
    client = signed_in(app.server.test_client(), seeded)
    click = {"latlng": {"lat": CITY[1], "lng": CITY[0]}}
    values = {f"{ids.MAP}.clickData": click, f"{ids.MAP_LANG}.data": "zh"}
    answer = _call(app, client, ids.DETAILS_BODY, values, f"{ids.MAP}.clickData")
    shown = json.dumps(answer[ids.DETAILS_BODY]["children"], ensure_ascii=False)
    assert answer[ids.DETAILS]["className"] == "details-panel"
    assert f"所选位置 {CITY[0]:.5f}, {CITY[1]:.5f}" in shown
    buttons = [json.loads(json.dumps(c)) for c in answer[ids.DETAILS_BODY]["children"]
               if c["props"].get("className") == "radius-buttons"][0]["props"]["children"][1:]
    assert [b["props"]["id"]["km"] for b in buttons] == [1, 3, 5, 10]
    assert {(b["props"]["id"]["lon"], b["props"]["id"]["lat"]) for b in buttons} == {CITY}
    closing = _call(app, client, ids.DETAILS_BODY, {**values, f"{ids.BLOCK_MODE}.value": ["on"]},
                    f"{ids.MAP}.clickData")
    assert closing == {}  # nothing to update: the click closes a road instead


def test_the_circle_is_drawn_while_a_radius_result_is_shown(app, seeded):
    client = signed_in(app.server.test_client(), seeded)
    shown = press_radius(app, client, 3, "zh")
    circle = _call(app, client, "map-radius-circle", {f"{ids.DETAILS_BODY}.children": shown},
                   f"{ids.DETAILS_BODY}.children")["map-radius-circle"]["children"]
    assert len(circle) == 1 and circle[0]["type"] == "Circle"
    assert circle[0]["props"]["radius"] == 3000 and circle[0]["props"]["center"] == [CITY[1], CITY[0]]
    cleared = _call(app, client, "map-radius-circle", {f"{ids.DETAILS_BODY}.children": []},
                    f"{ids.DETAILS_BODY}.children")["map-radius-circle"]["children"]
    assert cleared == []


def test_the_nearby_api_answers_the_services_figures_and_refuses_bad_input(app, seeded):
    client = signed_in(app.server.test_client(), seeded, "viewer")
    answer = client.get(f"/api/v1/nearby?lon={CITY[0]}&lat={CITY[1]}&radius_m=3000")
    assert answer.status_code == 200, answer.get_data(as_text=True)
    s = read(seeded, within_radius, *CITY, 3000)
    got = answer.get_json()
    assert (got["hazards"], got["threatened_people"], got["shelters_with_room"], got["free_places"],
            got["hazardous_chemicals"]) == (s.hazards, s.threatened_people, s.shelters_with_room, s.free_places,
                                            s.hazardous_chemicals)
    assert [t["id"] for t in got["teams"]] == [t.id for t in s.teams]
    for bad in ("lon=108.78&lat=29.52&radius_m=10", "lat=29.52&radius_m=1000", "lon=x&lat=29.5&radius_m=1000"):
        refused = client.get(f"/api/v1/nearby?{bad}")
        assert refused.status_code == 400 and refused.get_json()["parameter"] in ("radius_m", "lon"), bad
