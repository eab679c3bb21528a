"""Basemaps in the browser: none by default; a local tile folder when configured; overlays shifted for GCJ-02."""
from __future__ import annotations

import json
import urllib.request

import pytest

from geo.coords import wgs84_to_gcj02

pytestmark = pytest.mark.browser


def choose_basemap(page, name: str) -> None:
    page.locator("#map-basemap").click()
    page.get_by_role("listbox").get_by_text(name, exact=True).click()


def hazards(base: str) -> list[dict]:
    with urllib.request.urlopen(base + "/api/v1/layers/hazards?view=map") as response:
        return json.load(response)["features"]


def marker_latlng(page, feature_id: int) -> list[float]:
    return page.evaluate("(id) => { const m = window.qj.markers.hazards[id].getLatLng(); return [m.lng, m.lat]; }",
                         feature_id)


def test_no_tile_is_requested_by_default(page, served):
    page.goto(served + "/")
    page.wait_for_function("() => document.querySelectorAll('.qj-marker.qj-hazards').length > 0")
    assert not any("/tiles/" in h for h in page.recorder.hosts)
    assert page.locator(".leaflet-tile").count() == 0


def test_local_tile_folder_basemap_draws_tiles_from_this_server(page, served_with_tiles):
    page.on("response", lambda r: page.recorder.failed.append(r.url) if r.status >= 400 else None)
    page.goto(served_with_tiles + "/")
    page.wait_for_function("() => document.querySelectorAll('.qj-marker.qj-hazards').length > 0")
    choose_basemap(page, "本地瓦片（WGS84）")
    page.wait_for_function("() => document.querySelectorAll('.leaflet-tile-loaded').length >= 4")
    assert page.recorder.hosts == {served_with_tiles.split("/")[2]}
    assert page.recorder.failed == []
    assert page.recorder.console_errors == []


def test_gcj02_basemap_shifts_overlays_by_the_gcj_offset(page, served_with_tiles):
    features = hazards(served_with_tiles)
    page.goto(served_with_tiles + "/")
    page.wait_for_function(f"() => document.querySelectorAll('.qj-marker.qj-hazards').length === {len(features)}")
    sample = features[:5]
    for f in sample:
        assert marker_latlng(page, f["properties"]["id"]) == pytest.approx(f["geometry"]["coordinates"], abs=1e-9)
    choose_basemap(page, "本地瓦片(GCJ)（GCJ02）")
    first = sample[0]
    expected = wgs84_to_gcj02(*first["geometry"]["coordinates"])
    page.wait_for_function(
        "([id, lon]) => Math.abs(window.qj.markers.hazards[id].getLatLng().lng - lon) < 1e-7",
        arg=[first["properties"]["id"], expected[0]])
    for f in sample:
        assert marker_latlng(page, f["properties"]["id"]) == pytest.approx(
            wgs84_to_gcj02(*f["geometry"]["coordinates"]), abs=1e-9)
    choose_basemap(page, "离线矢量底图（默认）")
    page.wait_for_function(
        "([id, lon]) => Math.abs(window.qj.markers.hazards[id].getLatLng().lng - lon) < 1e-9",
        arg=[first["properties"]["id"], first["geometry"]["coordinates"][0]])
