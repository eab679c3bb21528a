"""What a user sees in headless chromium on 一张图: layers, switching, filters, details, search, drawing."""
from __future__ import annotations

import json
import re
import urllib.parse
import urllib.request

import pytest

pytestmark = pytest.mark.browser

UNCLUSTERED = ("hazards", "shelters", "depots", "teams")
# Sum of what the map shows for enterprises: single markers plus the numbers on cluster badges.
ENTERPRISES_ON_MAP = """() => document.querySelectorAll('.qj-marker.qj-enterprises').length +
    [...document.querySelectorAll('.qj-cluster')].reduce((n, e) => n + parseInt(e.textContent, 10), 0)"""


def get_json(base: str, path: str) -> dict:
    with urllib.request.urlopen(base + path) as response:
        return json.load(response)


def api_count(base: str, layer: str, **params) -> int:
    query = urllib.parse.urlencode(params)
    return len(get_json(base, f"/api/v1/layers/{layer}?{query}")["features"])


def on_map(page, layer: str) -> int:
    return page.locator(f".qj-marker.qj-{layer}").count()


def wait_on_map(page, layer: str, expected: int) -> None:
    page.wait_for_function(f"() => document.querySelectorAll('.qj-marker.qj-{layer}').length === {expected}",
                           timeout=20_000)


def open_map(page, base: str) -> dict:
    counts = get_json(base, "/healthz")["counts"]
    page.goto(base + "/")
    for layer in UNCLUSTERED:
        wait_on_map(page, layer, counts[layer])
    page.wait_for_function(f"() => ({ENTERPRISES_ON_MAP})() === {counts['enterprises']}", timeout=20_000)
    return counts


def test_map_draws_district_townships_and_every_layer_offline(page, served, tmp_path):
    counts = open_map(page, served)
    page.wait_for_function("() => window.qj.rendered.boundary === 1 && window.qj.rendered.neighbours === 4"
                           " && window.qj.rendered.townships === 30")
    labels = page.locator(".qj-label.township").all_inner_texts()
    assert len(labels) == 30 and "城西街道" in labels and "濯水镇" in labels
    assert page.locator(".app-title").inner_text() == "黔江区应急一张图"
    assert page.locator(".sample-badge").inner_text() == "示例数据"
    for layer in ("hazards", "shelters", "enterprises"):
        assert page.locator(f"#count-{layer}").inner_text() == f"{counts[layer]} 处"
    page.screenshot(path=str(tmp_path / "map.png"))
    assert page.recorder.console_errors == []
    assert page.recorder.hosts == {served.split("/")[2]}, "a request left 127.0.0.1"
    assert page.recorder.failed == []


def test_each_layer_switches_off_and_on(page, served):
    counts = open_map(page, served)
    control = page.locator(".leaflet-control-layers-overlays label")
    control.filter(has_text="监测站点").locator("input").check()
    wait_on_map(page, "stations", counts["stations"])
    for name, layer in (("灾害隐患点", "hazards"), ("应急避难场所", "shelters"), ("物资储备库", "depots"),
                        ("救援队伍", "teams"), ("监测站点", "stations")):
        control.filter(has_text=name).locator("input").uncheck()
        wait_on_map(page, layer, 0)
        control.filter(has_text=name).locator("input").check()
        wait_on_map(page, layer, counts[layer])
    control.filter(has_text="企业").locator("input").uncheck()
    page.wait_for_function(f"() => ({ENTERPRISES_ON_MAP})() === 0")
    control.filter(has_text="乡镇街道").locator("input").uncheck()
    page.wait_for_function("() => document.querySelectorAll('.qj-label.township').length === 0")
    assert page.recorder.console_errors == []


def click_first_clear(locator) -> None:
    """Click the first of the markers that no other symbol covers (as a user would pick one)."""
    for i in range(locator.count()):
        try:
            locator.nth(i).click(timeout=1500)
            return
        except Exception:  # noqa: BLE001 — covered by a neighbour; try the next one
            continue
    raise AssertionError("every marker is covered by another symbol")


def choose(page, dropdown_id: str, option: str) -> None:
    page.locator(f"#{dropdown_id}").click()
    page.get_by_role("listbox").get_by_text(option, exact=True).first.click()
    page.keyboard.press("Escape")


def test_filters_change_counts_and_map(page, served):
    open_map(page, served)
    choose(page, "filter-township", "濯水镇")
    expected = {layer: api_count(served, layer, township="500114112") for layer in ("hazards", "enterprises")}
    page.wait_for_function(f"() => document.querySelector('#count-hazards').innerText === '{expected['hazards']} 处'")
    wait_on_map(page, "hazards", expected["hazards"])
    assert page.locator("#count-enterprises").inner_text() == f"{expected['enterprises']} 处"
    choose(page, "filter-risk", "较大")
    both = api_count(served, "enterprises", township="500114112", risk_level="较大")
    page.wait_for_function(f"() => document.querySelector('#count-enterprises').innerText === '{both} 处'")
    page.wait_for_function(f"() => ({ENTERPRISES_ON_MAP})() === {both}", timeout=20_000)
    assert 0 < both < expected["enterprises"]


def test_clicking_a_shelter_and_an_enterprise_shows_their_details(page, served):
    open_map(page, served)
    control = page.locator(".leaflet-control-layers-overlays label")
    for name in ("灾害隐患点", "企业", "救援队伍", "物资储备库"):  # clear the way to the shelters
        control.filter(has_text=name).locator("input").uncheck()
    click_first_clear(page.locator(".qj-marker.qj-shelters"))
    page.wait_for_selector(".details-panel:not(.hidden) .details-title")
    panel = page.locator("#map-details")
    assert "场所编号" in panel.inner_text() and "可用位数" in panel.inner_text()
    assert "最近储备库" in panel.inner_text() and "非道路距离" in panel.inner_text()
    control.filter(has_text="应急避难场所").locator("input").uncheck()
    control.filter(has_text="企业").locator("input").check()
    choose(page, "filter-risk", "重大")
    # the filtered layer has replaced the unfiltered one: every enterprise marker drawn is a 重大 one (22 px)
    page.wait_for_function("() => { const m = Array.from(document.querySelectorAll('.qj-marker.qj-enterprises'));"
                           " return m.length > 0 && m.every(e => e.style.width === '22px'); }")
    click_first_clear(page.locator(".qj-marker.qj-enterprises"))
    page.wait_for_function("() => document.querySelector('#map-details').innerText.includes('统一社会信用代码')")
    assert "重大" in panel.inner_text()


def test_search_flies_to_a_feature_and_opens_it(page, served):
    open_map(page, served)
    page.locator("#map-search").fill("濯水古镇")
    page.locator(".search-hit").first.click()
    page.wait_for_function("() => document.querySelector('#map-details').innerText.includes('古镇古寨')")
    page.wait_for_function("() => !document.querySelector('.qj-map').classList.contains('qj-zoom-low')")


def test_drawing_a_polygon_lists_what_is_inside(page, served):
    open_map(page, served)
    page.locator(".leaflet-draw-draw-polygon").click()
    box = page.locator("#map").bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    corners = [(-180, -160), (180, -160), (180, 160), (-180, 160)]
    for dx, dy in corners + corners[:1]:  # back to the first vertex closes the polygon
        page.mouse.click(cx + dx, cy + dy)
        page.wait_for_timeout(250)
    page.wait_for_selector(".details-panel:not(.hidden) .area-items")
    text = page.locator("#map-details").inner_text()
    assert "圈选范围内" in text and "平方公里" in text
    assert page.locator(".area-items tr").count() > 0
    assert page.recorder.console_errors == []


def test_language_switch_to_english_and_back(page, served):
    page.goto(served + "/")
    page.locator("#lang-switch").click()
    page.wait_for_function("() => document.querySelector('.app-title').innerText.includes('Emergency Map')")
    assert page.locator(".nav-link.active").inner_text() == "Risk map"
    assert "Enterprises" in page.locator(".side-panel").inner_text()
    page.wait_for_function("() => [...document.querySelectorAll('.qj-label.township')]"
                           ".some(e => e.innerText === 'Zhuoshui Town')")
    page.wait_for_function("() => [...document.querySelectorAll('.qj-label.neighbour')]"
                           ".some(e => e.innerText === 'Xianfeng County')")
    page.locator("#lang-switch").click()
    page.wait_for_function("() => document.querySelector('.app-title').innerText === '黔江区应急一张图'")


def test_export_follows_the_filters_and_downloads_an_offline_map(page, served, tmp_path):
    open_map(page, served)
    choose(page, "filter-risk", "重大")
    page.locator(".leaflet-control-layers-overlays label").filter(has_text="监测站点").locator("input").check()
    page.wait_for_function("() => document.querySelector('#map-export-html').href.includes('stations')")
    href = page.locator("#map-export-html").get_attribute("href")
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(href).query)
    assert query["enterprises.risk_level"] == ["重大"] and "stations" in query["layers"][0].split(",")
    with page.expect_download() as download:
        page.locator("#map-export-html").click()
    path = tmp_path / "map.html"
    download.value.save_as(path)
    html = path.read_text(encoding="utf-8")
    assert "示例数据" in html
    assert not re.search(r'<(script|link|img)[^>]*(src|href)="(https?:)?//', html), "the export loads from the web"
    assert html.count("L.circleMarker(") >= api_count(served, "enterprises", risk_level="重大")


def test_a_depot_shows_what_it_reaches_in_15_30_60_minutes(page, served):
    open_map(page, served)
    control = page.locator(".leaflet-control-layers-overlays label")
    for name in ("灾害隐患点", "企业", "救援队伍", "应急避难场所"):
        control.filter(has_text=name).locator("input").uncheck()
    click_first_clear(page.locator(".qj-marker.qj-depots"))
    page.locator(".iso-button").click()
    page.wait_for_function("() => window.qj.map && Object.values(window.qj.map._layers).filter("
                           "l => l.feature && l.feature.properties && l.feature.properties.minutes).length === 3")
    assert page.locator(".iso-message").inner_text() == "已显示 15 / 30 / 60 分钟道路可达范围"
    legend = page.locator("#map-isochrone-legend")
    assert legend.is_visible() and legend.locator(".legend-row").all_inner_texts() == [
        "0–15 分钟", "15–30 分钟", "30–60 分钟"]
    fills = page.evaluate("() => Object.values(window.qj.map._layers).filter(l => l.feature && l.feature.properties"
                          " && l.feature.properties.minutes).map(l => [l.feature.properties.minutes, l.options.fillColor])")
    assert len({colour for _, colour in fills}) == 3, fills  # one distinct colour per band
    swatches = legend.locator(".swatch").evaluate_all("els => els.map(e => getComputedStyle(e).backgroundColor)")
    assert len(set(swatches)) == 3
    legend.locator(".iso-clear").click()
    page.wait_for_function("() => Object.values(window.qj.map._layers).filter("
                           "l => l.feature && l.feature.properties && l.feature.properties.minutes).length === 0")
    assert not legend.is_visible()
    assert page.recorder.console_errors == []


OUTLINED = """(code) => Object.values(window.qj.map._layers).some(l => l.feature && l.feature.properties
    && l.feature.properties.code === code && !('kind' in l.feature.properties)
    && l.getBounds().contains(window.qj.map.getCenter()))"""


def test_choosing_a_township_zooms_to_it_and_outlines_it(page, served):
    open_map(page, served)
    start = page.evaluate("() => window.qj.map.getZoom()")
    choose(page, "filter-township", "濯水镇")
    page.wait_for_function(OUTLINED, arg="500114112", timeout=20_000)
    page.wait_for_function(f"() => window.qj.map.getZoom() >= {start + 1}")
    page.locator("#filter-township .dash-dropdown-clear, #filter-township [aria-label*='Clear']").first.click()
    page.wait_for_function(f"() => window.qj.map.getZoom() <= {start + 0.5}", timeout=20_000)
    page.wait_for_function("() => !Object.values(window.qj.map._layers).some(l => l.feature && l.feature.properties"
                           " && l.feature.properties.code && !('kind' in l.feature.properties))")
    page.locator("#map-search").fill("lishui")  # by pinyin: 黎水镇
    page.locator(".search-hit").filter(has_text="黎水镇").first.click()
    page.wait_for_function(OUTLINED, arg="500114109", timeout=20_000)
    assert page.recorder.console_errors == []


def test_a_closure_shows_at_district_zoom(page, served):
    roads = get_json(served, "/api/v1/roads")["features"]
    road = next(f for f in roads if f["properties"]["class"] in ("trunk", "primary"))
    (lon1, lat1), (lon2, lat2) = road["geometry"]["coordinates"][:2]
    request = urllib.request.Request(served + "/api/v1/roads/blocks", method="POST",
                                     data=json.dumps({"point": [(lon1 + lon2) / 2, (lat1 + lat2) / 2],
                                                      "reason": "塌方测试"}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        block = json.load(response)
    try:
        open_map(page, served)
        assert "qj-zoom-low" in page.locator("#map").get_attribute("class")
        page.wait_for_selector(".qj-marker.qj-blocks")
        badge = page.locator(".qj-marker.qj-blocks").first.bounding_box()
        assert badge["width"] >= 16 and badge["height"] >= 16
        page.locator(".qj-marker.qj-blocks").first.hover()
        page.wait_for_function("() => [...document.querySelectorAll('.qj-tip')].some(e => e.innerText === '塌方测试')")
    finally:
        urllib.request.urlopen(urllib.request.Request(f"{served}/api/v1/roads/blocks/{block['id']}", method="DELETE"))



def test_every_search_state_works_and_townships_are_found_by_pinyin(page, served):
    """Typing, clearing, blanks, an unknown word and a township's pinyin: results or a note, never a server error."""
    server_errors = []
    page.on("response", lambda r: server_errors.append(r.url) if r.status >= 500 else None)
    open_map(page, served)
    search = page.locator("#map-search")
    search.fill("濯水")
    page.wait_for_selector(".search-hit")
    for text in ("", "   ", "濯水古镇", "", "没有这个名字xyz"):
        search.fill(text)
        page.wait_for_timeout(900)  # past the 0.4 s debounce and the answer
    assert "没有这个名字xyz" in page.locator(".search-none").inner_text()
    search.fill("zhuoshui")
    page.wait_for_function("() => [...document.querySelectorAll('.search-hit .hit-name')]"
                           ".some(e => e.innerText === '濯水镇')")
    search.fill("")
    page.wait_for_timeout(900)
    assert page.locator(".search-hit").count() == 0
    assert server_errors == [] and page.recorder.console_errors == []


# On-screen pairs where the centre of a ``top`` symbol lies inside an ``under`` symbol, and how many of those
# centres another symbol covers (what a click there would open instead).
COVERED = """(sel) => {
  const out = {pairs: 0, wrong: 0, first: null};
  const tops = [...document.querySelectorAll(sel.top)], unders = [...document.querySelectorAll(sel.under)];
  for (const a of tops) {
    const ra = a.getBoundingClientRect(), cx = ra.left + ra.width / 2, cy = ra.top + ra.height / 2;
    if (!ra.width || cx < 300 || cy < 60 || cx > innerWidth - 10 || cy > innerHeight - 10) continue;
    for (const b of unders) {
      const rb = b.getBoundingClientRect();
      if (a === b || !(cx > rb.left && cx < rb.right && cy > rb.top && cy < rb.bottom)) continue;
      out.pairs++;
      const hit = document.elementFromPoint(cx, cy), marker = hit && hit.closest('.qj-marker');
      if (marker !== a) { out.wrong++; } else if (!out.first) { out.first = [cx, cy]; }
    }
  }
  return out;
}"""
RESOURCES = ".qj-marker.qj-shelters, .qj-marker.qj-depots, .qj-marker.qj-teams"


def test_resources_draw_above_enterprise_clusters_and_warned_hazards_above_quiet_ones(page, served):
    open_map(page, served)
    page.evaluate("() => window.qj.map.setView([29.5251, 108.7869], 13, {animate: false})")  # the city, zoom 13
    page.wait_for_timeout(800)
    resources = page.evaluate(COVERED, {"top": RESOURCES, "under": ".qj-cluster-icon"})
    assert resources["pairs"] > 0 and resources["wrong"] == 0, resources
    hazards = page.evaluate(COVERED, {"top": ".qj-marker.qj-hazards:not(:has(.quiet))",
                                      "under": ".qj-marker.qj-hazards:has(.quiet), .qj-cluster-icon"})
    assert hazards["wrong"] == 0, hazards
    zoom = page.evaluate("() => window.qj.map.getZoom()")
    page.mouse.click(*resources["first"])  # on a shelter, depot or team over a cluster: it opens, no zoom
    page.wait_for_selector(".details-panel:not(.hidden) .details-title")
    assert page.locator(".details-layer").inner_text() in ("应急避难场所", "物资储备库", "救援队伍")
    assert page.evaluate("() => window.qj.map.getZoom()") == zoom
    assert page.recorder.console_errors == []


def test_a_click_on_overlapping_symbols_offers_a_chooser(page, served):
    open_map(page, served)
    page.evaluate("() => window.qj.map.setView([29.5251, 108.7869], 12.5, {animate: false})")
    page.wait_for_timeout(800)
    stack = page.evaluate(COVERED, {"top": ".qj-marker:not(.qj-cluster-icon):not(.qj-blocks)",
                                    "under": ".qj-marker:not(.qj-cluster-icon):not(.qj-blocks)"})
    assert stack["first"], stack
    page.mouse.click(*stack["first"])
    page.wait_for_selector(".qj-chooser .qj-chooser-item")
    items = page.locator(".qj-chooser-item")
    assert 2 <= items.count() <= 8 and page.locator(".qj-chooser-title").inner_text() == "此处有多个要素，请选择："
    last = items.nth(items.count() - 1)
    name, layer = last.locator(".qj-chooser-name").inner_text(), last.locator(".qj-chooser-layer").inner_text()
    last.click()
    page.wait_for_function("(name) => document.querySelector('.details-title') && "
                           "document.querySelector('.details-title').innerText === name", arg=name)
    assert page.locator(".details-layer").inner_text() == layer
    page.wait_for_function("() => !document.querySelector('.qj-chooser')")  # closed (after its fade)
    assert page.recorder.console_errors == []


def test_a_feature_shows_everything_within_a_few_km(page, served):
    open_map(page, served)
    control = page.locator(".leaflet-control-layers-overlays label")
    for name in ("灾害隐患点", "企业", "救援队伍", "物资储备库"):
        control.filter(has_text=name).locator("input").uncheck()
    click_first_clear(page.locator(".qj-marker.qj-shelters"))
    page.wait_for_selector(".details-panel:not(.hidden) .radius-button")
    name = page.locator(".details-title").inner_text()
    page.locator(".radius-button", has_text="3 公里").click()
    page.wait_for_selector(".radius-title")
    assert page.locator(".radius-title").inner_text() == f"{name} 周边 3 公里"
    text = page.locator("#map-details").inner_text()
    assert "受威胁" in text and "危险化学品" in text and "空位" in text and name in text  # itself, 0 km away
    page.locator(".radius-button", has_text="10 公里").click()
    page.wait_for_function("(name) => document.querySelector('.radius-title').innerText === name + ' 周边 10 公里'",
                           arg=name)
    assert page.recorder.console_errors == []


def test_the_map_is_live_and_keeps_the_users_view(page, served):
    open_map(page, served)
    page.evaluate("() => window.qj.map.setView([29.40, 108.74], 12, {animate: false})")
    page.wait_for_timeout(500)
    before = page.evaluate("() => [window.qj.map.getCenter().lat, window.qj.map.getCenter().lng, window.qj.map.getZoom()]")
    request = urllib.request.Request(served + "/api/v1/incidents", method="POST", headers={
        "Content-Type": "application/json"}, data=json.dumps({
            "title": "实时测试事件", "kind": "滑坡", "level": "Ⅲ", "lon": 108.74, "lat": 29.40}).encode())
    with urllib.request.urlopen(request) as response:
        incident = json.load(response)
    try:
        page.wait_for_selector(".qj-marker.qj-incidents", timeout=15_000)  # no reload
        after = page.evaluate("() => [window.qj.map.getCenter().lat, window.qj.map.getCenter().lng,"
                              " window.qj.map.getZoom()]")
        assert after == pytest.approx(before, abs=1e-6)
        assert page.recorder.console_errors == []
    finally:  # the served database is shared with the other browser tests: leave it as it was
        from sqlalchemy import create_engine, text

        from tests.browser.conftest import SETTINGS
        engine = create_engine(SETTINGS[served].database_url)
        with engine.begin() as c:
            c.execute(text("DELETE FROM incident_event WHERE incident_id = :i"), {"i": incident["id"]})
            c.execute(text("DELETE FROM incident WHERE id = :i"), {"i": incident["id"]})
        engine.dispose()


def test_a_filter_chosen_while_a_layer_is_still_loading_is_the_one_drawn(page, served):
    """dash-leaflet 1.1.3's GeoJSON ignores a new url that arrives while the previous one is loading: on a slow
    answer the map kept drawing every hazard point while the filter said 濯水镇 (and the count agreed with the filter)."""
    counts = open_map(page, served)
    expected = api_count(served, "hazards", township="500114112", hazard_type="滑坡")
    assert 0 < expected < api_count(served, "hazards", hazard_type="滑坡") < counts["hazards"]
    slow = {"n": 0}

    def delayed(route):
        slow["n"] += 1
        if slow["n"] == 1:
            page.wait_for_timeout(4000)  # the first answer after the filter takes its time
        route.continue_()
    page.route("**/api/v1/layers/hazards*", delayed)
    choose(page, "filter-hazard-type", "滑坡")  # a first change: its hazard layer answer is slow …
    page.wait_for_timeout(500)
    choose(page, "filter-township", "濯水镇")  # … and the user narrows further before it arrived
    page.wait_for_function(f"() => document.querySelector('#count-hazards').innerText === '{expected} 处'")
    wait_on_map(page, "hazards", expected)
    page.wait_for_timeout(4500)  # the slow first answer has come and gone: the map still shows the last choice
    assert on_map(page, "hazards") == expected
