"""一张图 in headless chromium: the saved evacuation plan as a layer (flows drawn one line per flow of the plan's
GeoJSON), and 周边研判 from a free click with its circle (radius in metres) and the API's figures."""
from __future__ import annotations

import json
import re
import urllib.request

import pytest
from sqlalchemy import text

from services.db import get_engine
from tests.browser.conftest import SETTINGS

pytestmark = pytest.mark.browser

POINT_LAYERS = ("灾害隐患点", "企业", "救援队伍", "物资储备库", "应急避难场所")


def _get(base: str, path: str) -> dict:
    with urllib.request.urlopen(base + path) as response:
        return json.load(response)


def _save_plan(base: str, name: str) -> int:
    body = json.dumps({"name": name, "max_travel_min": 60}).encode()
    request = urllib.request.Request(base + "/api/v1/evacuation/plans", data=body, method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.load(response)["id"]


def _drop_plan(base: str, plan_id: int) -> None:
    """Undo: the shared database loses the plan this test saved (plans have no delete route)."""
    with get_engine(SETTINGS[base].database_url).begin() as conn:
        conn.execute(text("DELETE FROM evacuation_plan WHERE id = :id"), {"id": plan_id})


def _open(page, base: str):
    page.goto(base + "/")
    page.wait_for_selector(".leaflet-control-layers-overlays label", timeout=60_000)
    page.wait_for_function("() => window.qj && window.qj.map && window.qj.rendered.townships === 30",
                           timeout=60_000)
    return page.locator(".leaflet-control-layers-overlays label")


def test_the_saved_plan_is_a_layer_with_a_line_per_flow(page, served):
    plan_id = _save_plan(served, "图层测试方案")
    try:
        features = _get(served, f"/api/v1/evacuation/plans/{plan_id}.geojson")["features"]
        flows = sum(1 for f in features if f["properties"]["kind"] == "flow")
        points = len(features) - flows
        assert flows > 100  # the whole district: hundreds of lines
        control = _open(page, served)
        overlay = control.filter(has_text="疏散方案（已保存）").locator("input")
        assert not overlay.is_checked()  # off by default
        assert page.locator("path.qj-plan-flow").count() == 0
        overlay.check()
        page.wait_for_function(f"() => document.querySelectorAll('path.qj-plan-flow').length === {flows}",
                               timeout=60_000)
        assert page.locator("path.qj-plan-point").count() == points
        box = page.locator("#map-plan-box")
        assert box.is_visible() and "图层测试方案" in box.inner_text() and "未能安置" in box.inner_text()
        overlay.uncheck()
        page.wait_for_function("() => document.querySelectorAll('path.qj-plan-flow').length === 0", timeout=20_000)
        box.wait_for(state="hidden", timeout=20_000)  # the box follows the overlay via a server callback
        assert page.recorder.console_errors == []
    finally:
        _drop_plan(served, plan_id)


def test_a_free_click_shows_what_lies_within_the_radius_and_its_circle(page, served):
    control = _open(page, served)
    for name in POINT_LAYERS:  # an empty spot: no symbol where the click lands
        control.filter(has_text=name).locator("input").uncheck()
    at = page.evaluate("() => { const p = window.qj.map.latLngToContainerPoint([29.5251, 108.7869]);"
                       " const r = window.qj.map.getContainer().getBoundingClientRect();"
                       " return [r.left + p.x, r.top + p.y]; }")
    page.mouse.click(at[0], at[1])
    page.wait_for_selector(".details-panel:not(.hidden) .spot-title", timeout=30_000)
    lon, lat = map(float, re.findall(r"\d+\.\d+", page.locator(".spot-title").inner_text()))
    assert abs(lon - 108.7869) < 0.01 and abs(lat - 29.5251) < 0.01
    assert page.locator(".qj-radius-circle").count() == 0  # no radius chosen yet
    page.locator(".radius-button", has_text="3 公里").click()
    page.wait_for_selector(".radius-title", timeout=30_000)
    page.wait_for_selector("path.qj-radius-circle", timeout=20_000)
    circle = page.evaluate("() => { const c = Object.values(window.qj.map._layers).find(l => l.getRadius &&"
                           " l.options.className === 'qj-radius-circle');"
                           " return c && [c.getRadius(), c.getLatLng().lng, c.getLatLng().lat]; }")
    assert circle[0] == 3000 and abs(circle[1] - lon) < 1e-6 and abs(circle[2] - lat) < 1e-6
    api = _get(served, f"/api/v1/nearby?lon={lon}&lat={lat}&radius_m=3000")
    shown = page.locator("#map-details").inner_text()
    assert f"隐患点 {api['hazards']} 处，受威胁 {api['threatened_people']:,} 人" in shown
    assert f"有空位的避难场所 {api['shelters_with_room']} 处，空位 {api['free_places']:,} 个" in shown
    assert f"其中危险化学品 {api['hazardous_chemicals']} 家" in shown
    page.locator("#map-details-close").click()
    page.wait_for_function("() => document.querySelectorAll('path.qj-radius-circle').length === 0", timeout=20_000)
    assert page.recorder.console_errors == []
