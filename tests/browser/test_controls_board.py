"""熔断管控 on the duty page in a browser: from a warning in force, preview the controls, issue them, tick a site off,
download the list; at a laptop's and a phone's width."""
from __future__ import annotations

import json
import os
import urllib.request

import pytest

from tests.browser.conftest import Recorder, _serve, sign_in
from tests.conftest import prepared

pytestmark = pytest.mark.browser
HOME = "500114004"
SHOTS = os.environ.get("QJ_SCREENSHOTS")  # a folder to keep the screenshots in (they are looked at, not compared)


@pytest.fixture(scope="module")
def own_server(tmp_path_factory):
    """An app of its own: the orders made here do not reach the other browser tests' duty pages."""
    server, url = _serve(prepared("sqlite", tmp_path_factory.mktemp("controls-served"), tmp_path_factory,
                                  with_sample=True))
    yield url
    server.close()


def _post(base: str, path: str, body: dict) -> dict:
    request = urllib.request.Request(base + path, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def _page(browser, base: str, width: int, height: int):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    sign_in(page, base)
    page.recorder = Recorder()
    page.on("pageerror", lambda e: page.recorder.console_errors.append(str(e)))
    return context, page


def _choose(pg, dropdown: str, typed: str) -> None:
    """As tests/browser/test_supervision_page.py chooses: search, click the option, wait until it shows."""
    # near the top of the screen: its list opens below it in a fixed layer, which scrolling the page cannot reach
    pg.locator(f"#{dropdown}").evaluate("el => el.scrollIntoView({block: 'start'})")
    pg.locator(f"#{dropdown}").click()
    pg.locator(".dash-dropdown-content .dash-dropdown-search").fill(typed)
    # a DOM click: the list may open past the screen's edge while the duty page redraws (geometry-free, as a tap)
    pg.locator(".dash-dropdown-content").get_by_role("option").filter(has_text=typed).first.dispatch_event("click")
    pg.keyboard.press("Escape")
    pg.wait_for_function("([id, x]) => (document.getElementById(id)?.innerText || '').includes(x)",
                         arg=[dropdown, typed])


def _shoot(page, name: str, tmp_path, selector: str) -> None:
    """The screen as the user sees it with ``selector`` scrolled to the top."""
    page.locator(selector).evaluate("(e) => e.scrollIntoView({block: 'start'})")
    page.evaluate("() => window.scrollBy(0, -70)")  # below the sticky header
    page.screenshot(path=os.path.join(SHOTS or str(tmp_path), name))


@pytest.mark.parametrize("width, height", [(1366, 768), (390, 844)])
def test_preview_issue_tick_and_download_on_the_duty_page(browser, own_server, width, height, tmp_path):
    headline = f"熔断测试 {width}"
    warning = _post(own_server, "/api/v1/warnings", {"level": "红", "hazard_type": "地质灾害", "headline": headline,
                                                     "townships": [HOME]})
    context, page = _page(browser, own_server, width, height)
    try:
        page.goto(own_server + "/duty")
        page.wait_for_selector(".ctrl-board")
        page.wait_for_function("() => document.querySelector('.ctrl-orders') !== null")
        _choose(page, "duty-ctrl-warning", headline)
        page.locator("#duty-ctrl-preview").click()
        page.wait_for_selector(".ctrl-preview details", timeout=40_000)
        preview = _post(own_server, "/api/v1/monitoring/controls/preview", {"warning_id": warning["id"]})
        head = page.locator(".ctrl-preview .ctrl-head").inner_text()
        assert f"共 {len(preview['items'])} 项" in head and f"撤离 {preview['people']} 人" in head
        assert page.locator(".ctrl-preview .ctrl-sample").count() == 1  # 示例数据
        _shoot(page, f"controls-preview-{width}.png", tmp_path, ".ctrl-board")
        page.locator("#duty-ctrl-issue").click()
        page.wait_for_selector("#duty-ctrl-message .ok", timeout=40_000)
        order_id = int(page.locator("#duty-ctrl-message .ok").inner_text().split()[-1])
        order = page.locator(f"#ctrl-order-{order_id}")
        # redrawn when the change counter moves: the page's 1.5 s poll, then the board's callback (slow on a busy
        # 2-core machine)
        order.wait_for(timeout=40_000)
        assert f"已确认 0/{len(preview['items'])}" in order.locator("summary").first.inner_text()
        order.locator(".ctrl-tick").first.click()
        page.wait_for_function(f"() => document.querySelector('#ctrl-order-{order_id} summary').innerText"
                               f".includes('已确认 1/{len(preview['items'])}')", timeout=40_000)
        _shoot(page, f"controls-order-{width}.png", tmp_path, f"#ctrl-order-{order_id}")
        page.wait_for_function(f"() => document.querySelector('#ctrl-order-{order_id} .ctrl-item.confirmed')")
        for suffix, magic in (("docx", b"PK"), ("xlsx", b"PK")):
            href = order.locator(f"a[href$='.{suffix}?lang=zh']").get_attribute("href")
            with urllib.request.urlopen(own_server + href) as response:
                assert response.status == 200 and response.read(2) == magic
        assert not page.recorder.console_errors
        scroll = page.evaluate("() => document.documentElement.scrollWidth")
        assert scroll <= width + 1, scroll  # nothing wider than the screen
    finally:
        context.close()
