"""周边研判 on the map page, through Dash's callback endpoint: a radius button in a feature's details shows what
lies within it, with the service's figures, in either language."""
from __future__ import annotations

import json

import pytest

from dashboard import ids
from dashboard.components.details import RADIUS_ROWS
from dashboard.app import create_app
from services.map.nearby import within_radius
from tests.conftest import read, signed_in

CITY = (108.7869, 29.5251)


def _wire(d: dict) -> str:
    return json.dumps(d, sort_keys=True, separators=(",", ":")) if isinstance(d, dict) else d


def press_radius(app, client, km: int, lang: str, name: str = "测试点") -> list:
    key = next(k for k in app.callback_map if k.lstrip(".").startswith(ids.DETAILS_BODY + ".")
               and "@" not in k)  # the details callback, not the free click's (allow_duplicate outputs)
    spec = app.callback_map[key]
    button = {"type": ids.RADIUS, "lon": CITY[0], "lat": CITY[1], "km": km}
    shown = [{"type": "H3", "namespace": "dash_html_components",
              "props": {"children": name, "className": "details-title", "data-name": name}}]
    values = {f"{ids.MAP_LANG}.data": lang, f"{ids.DETAILS_BODY}.children": shown}

    def item(d):
        if isinstance(d["id"], dict) or d["id"].startswith("{"):
            pattern = json.loads(d["id"]) if isinstance(d["id"], str) else d["id"]
            if pattern.get("type") == ids.RADIUS:
                return [{"id": button, "property": "n_clicks", "value": 1}]
            return []
        return {"id": d["id"], "property": d["property"], "value": values.get(f"{d['id']}.{d['property']}")}

    outputs = [{"id": o.split(".")[0], "property": o.split(".")[1]} for o in key.strip(".").split("...")]
    body = {"output": key, "outputs": outputs, "inputs": [item(d) for d in spec["inputs"]],
            "state": [item(d) for d in spec["state"]], "changedPropIds": [_wire(button) + ".n_clicks"]}
    answer = client.post("/_dash-update-component", json=body)
    assert answer.status_code == 200, answer.get_data(as_text=True)[:500]
    response = answer.get_json()["response"]
    assert response[ids.DETAILS]["className"] == "details-panel"
    return response[ids.DETAILS_BODY]["children"]


@pytest.fixture(scope="module")
def app(seeded):
    return create_app(seeded)


def test_three_km_around_a_point_shows_the_services_figures(app, seeded):
    client = signed_in(app.server.test_client(), seeded)
    client.get("/_dash-dependencies")
    shown = json.dumps(press_radius(app, client, 3, "zh"), ensure_ascii=False)
    s = read(seeded, within_radius, *CITY, 3000)
    assert "测试点 周边 3 公里" in shown
    assert f"隐患点 {s.hazards} 处，受威胁 {s.threatened_people:,} 人" in shown
    assert f"其中危险化学品 {s.hazardous_chemicals} 家" in shown
    assert f"有空位的避难场所 {s.shelters_with_room} 处，空位 {s.free_places:,} 个" in shown
    listed = s.teams[:RADIUS_ROWS] + s.depots[:RADIUS_ROWS] + s.enterprises[:RADIUS_ROWS] + s.shelters[:RADIUS_ROWS]
    assert listed and all(f.name in shown for f in listed)  # the first of each list, nearest or riskiest first


def test_in_english_the_panel_reads_in_english(app, seeded):
    client = signed_in(app.server.test_client(), seeded)
    client.get("/_dash-dependencies")
    shown = json.dumps(press_radius(app, client, 1, "en", "Spot"), ensure_ascii=False)
    s = read(seeded, within_radius, *CITY, 1000)
    assert "Within 1 km of Spot" in shown and f"{s.hazards} hazard points" in shown
