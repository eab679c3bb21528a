"""What a user sees in headless chromium: the map with the district and layers, the language switch, imports."""
from __future__ import annotations

import json
import urllib.request

import pytest

pytestmark = pytest.mark.browser

DEFAULT_LAYERS = ("enterprises", "hazards", "shelters", "depots", "teams")


def healthz(base: str) -> dict:
    with urllib.request.urlopen(f"{base}/healthz") as response:
        return json.load(response)


def wait_rendered(page, layer: str, expected: int) -> None:
    page.wait_for_function(f"() => window.qj && window.qj.rendered['{layer}'] === {expected}", timeout=20_000)


def test_map_draws_district_townships_and_point_layers_offline(page, served, tmp_path):
    counts = healthz(served)["counts"]
    page.goto(served + "/")
    for layer in DEFAULT_LAYERS:
        wait_rendered(page, layer, counts[layer])
    wait_rendered(page, "boundary", 1)
    wait_rendered(page, "neighbours", 4)
    wait_rendered(page, "townships", 30)
    labels = page.locator(".qj-label.township").all_inner_texts()
    assert len(labels) == 30 and "城西街道" in labels and "濯水镇" in labels
    assert page.locator(".app-title").inner_text() == "黔江区应急一张图"
    assert page.locator(".sample-badge").inner_text() == "示例数据"
    overlay_names = page.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    assert [n.strip() for n in overlay_names][:3] == ["区界", "乡镇街道（近似边界）", "监测站点"]
    assert page.locator("#count-enterprises").inner_text() == f"{counts['enterprises']} 处"
    page.screenshot(path=str(tmp_path / "map.png"))
    assert page.recorder.console_errors == []
    assert page.recorder.hosts == {served.split("/")[2]}, "a request left 127.0.0.1"
    assert page.recorder.failed == []


def test_switching_on_a_layer_draws_it(page, served):
    counts = healthz(served)["counts"]
    page.goto(served + "/")
    wait_rendered(page, "enterprises", counts["enterprises"])
    visible = "(layer) => window.qj.visibleCount(layer)"
    assert page.evaluate(visible, "stations") == 0
    assert page.evaluate(visible, "enterprises") == counts["enterprises"]
    control = page.locator(".leaflet-control-layers-overlays label")
    control.filter(has_text="监测站点").locator("input").check()
    page.wait_for_function(f"() => window.qj.visibleCount('stations') === {counts['stations']}")
    control.filter(has_text="企业").locator("input").uncheck()
    page.wait_for_function("() => window.qj.visibleCount('enterprises') === 0")


def test_language_switch_to_english_and_back(page, served):
    page.goto(served + "/")
    page.locator("#lang-switch").click()
    page.wait_for_function("() => document.querySelector('.app-title').innerText.includes('Emergency Map')")
    assert page.locator(".nav-link.active").inner_text() == "Risk map"
    assert "Enterprises" in page.locator(".side-panel").inner_text()
    page.wait_for_function("() => [...document.querySelectorAll('.qj-label.township')]"
                           ".some(e => e.innerText === 'Zhuoshui Town')")
    assert "Xianfeng County" in page.locator(".qj-label.neighbour").all_inner_texts()
    page.locator("#lang-switch").click()
    page.wait_for_function("() => document.querySelector('.app-title').innerText === '黔江区应急一张图'")


def test_uploading_a_file_with_a_bad_row_shows_row_column_reason_and_writes_nothing(page, served, tmp_path):
    before = healthz(served)["counts"]["shelters"]
    header = open("data/sample/shelters.csv", encoding="utf-8-sig").read().splitlines()[:3]
    fields = header[2].split(",")
    fields[header[0].split(",").index("有效面积(平方米)")] = "很大"
    bad = tmp_path / "shelters_bad.csv"
    bad.write_text("\n".join([header[0], header[1].replace("QJ-SH-", "NEW-SH-"), ",".join(fields)]) + "\n",
                   encoding="utf-8")
    page.goto(served + "/data")
    page.locator("#data-entity").click()
    page.get_by_text("应急避难场所", exact=True).click()
    page.set_input_files("#data-upload input[type=file]", str(bad))
    page.wait_for_selector(".import-error")
    assert "未写入任何数据" in page.locator(".import-error").inner_text()
    assert page.locator(".data-table.errors tbody tr").all_inner_texts() == ["3\t有效面积(平方米)\t“很大” 不是数字"]
    assert healthz(served)["counts"]["shelters"] == before
    assert page.recorder.console_errors == []
