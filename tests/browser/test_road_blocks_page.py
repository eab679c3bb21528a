"""Closing a road from the map: click it, see it drawn red and listed, and routes avoid it; lift it again."""
from __future__ import annotations

import json
import urllib.request

import pytest

pytestmark = pytest.mark.browser


def post(base: str, path: str, body: dict) -> dict:
    request = urllib.request.Request(base + path, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def test_click_a_road_to_close_it_and_lift_it(page, served):
    with urllib.request.urlopen(served + "/api/v1/roads") as response:
        road = next(f for f in json.load(response)["features"] if f["properties"]["class"] == "motorway")
    (lon1, lat1), (lon2, lat2) = road["geometry"]["coordinates"][:2]
    lon, lat = (lon1 + lon2) / 2, (lat1 + lat2) / 2
    page.goto(served + "/")
    page.wait_for_function("() => window.qj && window.qj.rendered.roads > 0")
    control = page.locator(".leaflet-control-layers-overlays label")
    for name in ("企业", "灾害隐患点", "应急避难场所", "救援队伍", "物资储备库", "乡镇街道"):
        control.filter(has_text=name).locator("input").uncheck()
    page.locator("#map-block-mode input").check()
    page.locator("#map-block-reason").fill("高速塌方")
    # Put the road's midpoint under the mouse: ask Leaflet where it is on the screen.
    point = page.evaluate("""([lat, lon]) => {
        const el = document.querySelector('#map');
        const p = window.qj.map.latLngToContainerPoint([lat, lon]);
        const r = el.getBoundingClientRect();
        return [r.left + p.x, r.top + p.y];
    }""", [lat, lon])
    page.mouse.click(point[0], point[1])
    page.wait_for_selector(".block-row")
    assert "高速塌方" in page.locator(".block-list").inner_text()
    page.wait_for_function("() => document.querySelectorAll('#map path[stroke=\"#d62828\"]').length > 0")
    with urllib.request.urlopen(served + "/api/v1/roads/blocks") as response:
        blocks = json.load(response)["blocks"]
    assert [b["reason"] for b in blocks] == ["高速塌方"]
    page.locator(".block-row button").click()
    page.wait_for_function("() => document.querySelectorAll('.block-row').length === 0")
    with urllib.request.urlopen(served + "/api/v1/roads/blocks") as response:
        assert json.load(response)["blocks"] == []
    assert page.recorder.console_errors == []
