"""修正位置 in headless chromium at 1366 × 768: a planner opens a hollow 待核实 hazard point on 一张图, clicks 修正位置,
drags the marker to the spot and saves; the point is drawn solid where it was dropped, the record is 坐标 there and
the audit log has the relocate under the planner (checked in the database).

The point is imported here, placed from its township (白土乡, which no other browser test uses), so no other test
relies on it. The screenshot goes to the test's folder, and to docs/screenshots/map-relocate-1366.png when
QJ_SCREENSHOTS=1.
"""
from __future__ import annotations

import json
import os
import shutil

import pytest
from sqlalchemy import text

from config import ROOT
from tests.browser.conftest import SETTINGS, Recorder, sign_in
from tests.conftest import csv_for
from tests.services.test_geocode import hazard

pytestmark = pytest.mark.browser

CODE, NAME, TOWNSHIP = "BR-RELOC-1", "白土乡后槽滑坡（待核实）", "白土"
USER, PASSWORD = "reloc-planner", "relocate password 1"
PIN = "img.leaflet-marker-draggable"
# Where the draggable marker is now (WGS-84: no basemap is configured), read from the live Leaflet map.
PIN_AT = """() => { let at = null; window.qj.map.eachLayer(l => { if (l.dragging && l.options.draggable
    && l.dragging.enabled()) { const p = l.getLatLng(); at = [p.lng, p.lat]; } }); return at; }"""


def _prepare(base: str) -> int:
    """The planner's account and the hollow point (乡镇级, at 白土乡's seat); returns the point's id."""
    from services.accounts.users import create_user
    from services.data.imports import import_file
    from services.db.uow import unit_of_work
    row = {**hazard(CODE, township=TOWNSHIP), "名称": NAME}
    with unit_of_work(SETTINGS[base], write=True) as uow:
        create_user(uow, USER, role="planner", password=PASSWORD, display_name="规划员乙", must_change_password=False)
        import_file(uow, "hazards", csv_for("hazards", [row]), "待核实.csv")
    return _record(base)[0]


def _record(base: str) -> tuple:
    from services.db.uow import unit_of_work
    with unit_of_work(SETTINGS[base]) as uow:
        return uow.session.execute(text("SELECT id, location_quality, lon, lat FROM hazard_point WHERE code = :c"),
                                   {"c": CODE}).one()


def _relocations(base: str) -> list[tuple]:
    from services.db.uow import unit_of_work
    with unit_of_work(SETTINGS[base]) as uow:
        return list(uow.session.execute(text("SELECT actor, detail FROM audit_log WHERE action = 'relocate' AND "
                                             "entity = 'hazards' AND entity_key = :c"), {"c": CODE}))


def _open_point(pg, point_id: int, lon: float, lat: float) -> None:
    """Zoomed in on the point (nothing else under it), a click on its hollow symbol opens its details."""
    pg.wait_for_function("(id) => window.qj.map && window.qj.markers.hazards && window.qj.markers.hazards[id]",
                         arg=point_id, timeout=30_000)
    pg.evaluate("([lat, lon]) => window.qj.map.setView([lat, lon], 17, {animate: false})", [lat, lon])
    pg.wait_for_timeout(500)
    icon = pg.locator(".qj-marker.qj-hazards:has(.qj-glyph.approx)")
    assert icon.count() == 1
    icon.click()
    pg.wait_for_function("(name) => document.querySelector('.details-title')?.innerText === name", arg=NAME)


def _drag(pg, dx: int, dy: int) -> None:
    box = pg.locator(PIN).bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] - 4  # the pin's body, above its tip
    pg.mouse.move(x, y)
    pg.mouse.down()
    pg.mouse.move(x + dx / 2, y + dy / 2, steps=8)
    pg.mouse.move(x + dx, y + dy, steps=8)
    pg.mouse.up()


def test_a_planner_drags_a_hollow_point_to_its_spot(browser, served, tmp_path):
    point_id = _prepare(served)
    _, quality, lon, lat = _record(served)
    assert quality == "乡镇级"
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    pg = context.new_page()
    rec = Recorder()
    pg.on("console", lambda m: rec.console_errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: rec.console_errors.append(str(e)))
    sign_in(pg, served, USER, PASSWORD)
    pg.goto(served + "/")
    _open_point(pg, point_id, lon, lat)
    assert "定位精度乡镇级" in pg.locator("#map-details").inner_text().replace("\n", "").replace("\t", "")
    pg.locator(".relocate-button", has_text="修正位置").click()
    pg.wait_for_selector(PIN)
    pg.wait_for_selector("#map-relocate-box:not(.hidden)")
    assert NAME in pg.locator("#map-relocate-hint").inner_text()
    pg.wait_for_timeout(1500)  # the fly-to (zoom 16) settles
    _drag(pg, 140, 70)
    dropped = pg.evaluate(PIN_AT)
    assert dropped != pytest.approx([lon, lat], abs=1e-4), "the marker did not move"
    pg.wait_for_timeout(300)
    pg.screenshot(path=str(tmp_path / "map-relocate-1366.png"))
    if os.environ.get("QJ_SCREENSHOTS") == "1":
        shutil.copy(tmp_path / "map-relocate-1366.png", ROOT / "docs" / "screenshots" / "map-relocate-1366.png")
    pg.locator("#map-relocate-save").click()
    pg.wait_for_selector(".relocate-done")
    assert "定位精度：坐标" in pg.locator(".relocate-done").inner_text()
    pg.wait_for_selector(PIN, state="detached")
    pg.wait_for_selector("#map-relocate-box.hidden", state="attached")
    # The layer was fetched again: the point is drawn solid where it was dropped.
    pg.wait_for_function("(id) => { const m = window.qj.markers.hazards[id]; return m && m._map && m._icon"
                         " && !m._icon.querySelector('.approx'); }", arg=point_id, timeout=20_000)
    drawn = pg.evaluate("(id) => { const p = window.qj.markers.hazards[id].getLatLng(); return [p.lng, p.lat]; }",
                        point_id)
    _, quality, lon2, lat2 = _record(served)
    assert quality == "坐标"
    assert [lon2, lat2] == pytest.approx(dropped, abs=1e-6) and drawn == pytest.approx([lon2, lat2], abs=1e-9)
    (actor, detail), = _relocations(served)
    assert actor == USER and json.loads(detail)["from"] == "乡镇级"
    assert rec.console_errors == []
    context.close()
