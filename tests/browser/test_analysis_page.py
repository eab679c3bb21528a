"""分析研判 in a browser: open it, filter a township and see the cards, charts and map change, read the tabs
(coverage gaps, a siting run whose sites appear on the map), download the report; offline (every request to 127.0.0.1) and without errors in the console."""
from __future__ import annotations

import io

import pytest
from docx import Document

pytestmark = pytest.mark.browser

READY = "() => document.querySelectorAll('.an-graph .main-svg').length >= 5 && window.qj.rendered.townships >= 30"


SHADED = ("() => Array.from(document.querySelectorAll('.leaflet-overlay-pane path'))"
          ".map(p => p.getAttribute('fill')).filter(f => f && f !== '#ffffff').length >= 30")


def choose(page, dropdown: str, option: str) -> None:
    """Pick ``option`` in a (multi) dropdown as a user does: open it, type to search, take the option."""
    page.locator(f"#{dropdown}").click()
    page.keyboard.type(option)
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")


def tab(page, label: str) -> None:
    page.locator(".an-tabs .tab", has_text=label).click()


def _card(page, index: int) -> str:
    return page.locator("#an-cards .an-card-value").nth(index).inner_text()


def _bars(page) -> int:
    """Bars drawn in the township × risk-level chart (one per township and level that has enterprises)."""
    return page.locator("#an-fig-township .bars path").count()


def test_a_planner_filters_a_township_reads_the_tabs_and_downloads_the_report(page, served, tmp_path):
    page.goto(f"{served}/analysis")
    page.wait_for_function(READY, timeout=60_000)
    # every township carries a class colour once the first refresh has answered; the cards and charts are read after
    page.wait_for_function(SHADED, timeout=60_000)
    enterprises, bars = _card(page, 0), _bars(page)
    page.screenshot(path=str(tmp_path / "analysis.png"))

    choose(page, "an-township", "城东街道")
    page.wait_for_function(f"() => document.querySelector('#an-cards .an-card-value').innerText !== '{enterprises}'",
                           timeout=30_000)
    assert int(_card(page, 0).replace(",", "")) < int(enterprises.replace(",", ""))
    page.wait_for_function(f"() => document.querySelectorAll('#an-fig-township .bars path').length < {bars}")
    assert "城东街道" in page.locator("#an-tables-dist").inner_text()

    tab(page, "综合风险指数")
    assert "指标与权重" in page.locator("#an-tables-risk").inner_text()
    tab(page, "覆盖缺口")
    page.wait_for_selector("#an-cov-tables .dash-spreadsheet")
    assert "隐患点" in page.locator("#an-cov-summary").inner_text()
    tab(page, "选址分析")
    choose(page, "an-township", "石会镇")  # 城东街道 is covered already; a rural town is not
    page.click("#an-site-run")
    page.wait_for_selector("#an-site-result .an-summary", timeout=60_000)
    summary = page.locator("#an-site-result .an-summary").inner_text()
    sites = int(summary.split("新增 ")[1].split(" ")[0])
    assert sites >= 1, summary
    page.wait_for_function(f"() => document.querySelectorAll('.qj-glyph.site').length === {sites}")
    page.screenshot(path=str(tmp_path / "siting.png"))
    tab(page, "趋势")
    page.wait_for_selector("#an-fig-incidents .main-svg")
    tab(page, "研判报告")
    link = page.locator("#an-report-docx")
    assert "townships=500114001" in link.get_attribute("href")
    with page.expect_download() as got:
        link.click()
    document = Document(io.BytesIO(open(got.value.path(), "rb").read()))
    assert any("城东街道" in cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert not page.recorder.console_errors, page.recorder.console_errors
    assert page.recorder.hosts <= {served.split("/")[2]}


def test_the_dropdowns_speak_the_pages_language(page, served):
    """Dash draws "Select All" and "No options found" in English unless told: in Chinese mode none is seen."""
    page.goto(f"{served}/analysis")
    page.wait_for_function(READY, timeout=60_000)
    page.locator("#an-sector").click()
    listbox = page.get_by_role("listbox").first
    listbox.wait_for()
    text = page.locator(".dash-dropdown-content, [role=listbox]").first.inner_text()
    assert "Select All" not in text and "全选" in page.content()
    page.keyboard.type("不存在的行业")
    assert "No options found" not in page.content() and "没有匹配的选项" in page.content()


def test_the_classes_reach_the_townships_however_slow_the_outlines(page, served):
    """dash-leaflet drops a hideout that arrives while a GeoJSON's url is loading: with the outlines by url and a
    slow answer (a loaded server), the first refresh's classes were lost and every township stayed white."""
    def slow(route):
        page.wait_for_timeout(4000)
        route.continue_()
    page.route("**/api/v1/townships*", slow)
    page.goto(f"{served}/analysis")
    page.wait_for_function(READY, timeout=60_000)
    page.wait_for_function(SHADED, timeout=60_000)
