"""值班态势 in two browsers: what one duty officer does, the other sees within seconds, without reloading."""
from __future__ import annotations

import json
import urllib.request

import pytest

from tests.browser.conftest import Recorder, sign_in


def _undo(base: str, made: list[str]) -> None:
    """Lift the warnings (POST …/lift) and closures (DELETE) a test made."""
    import urllib.request
    for path in made:
        lift = path.endswith("/lift")
        urllib.request.urlopen(urllib.request.Request(
            base + path, data=b"{}" if lift else None, method="POST" if lift else "DELETE",
            headers={"Content-Type": "application/json"} if lift else {}))


def post(base: str, path: str, body: dict) -> dict:
    import json
    import urllib.request
    request = urllib.request.Request(base + path, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.load(response)


pytestmark = pytest.mark.browser


def new_page(browser, served):
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    sign_in(page, served)
    page.recorder = Recorder()
    page.on("pageerror", lambda e: page.recorder.console_errors.append(str(e)))
    return context, page


def choose(page, dropdown_id: str, option: str) -> None:
    page.locator(f"#{dropdown_id}").click()
    page.get_by_role("listbox").get_by_text(option, exact=True).first.click()


def teams_out(page) -> int:
    return int(page.locator(".duty-card").nth(2).locator(".duty-value").inner_text().split()[0])  # "3 支"


def test_report_and_dispatch_in_one_browser_are_seen_in_the_other(browser, served):
    context_a, a = new_page(browser, served)
    context_b, b = new_page(browser, served)
    try:
        for page in (a, b):
            page.goto(served + "/duty")
            page.wait_for_selector(".duty-card")
        b.evaluate("() => { window.__notReloaded = true; }")
        out_before = teams_out(b)
        a.locator("#duty-title").fill("双浏览器测试滑坡")
        choose(a, "duty-township", "城西街道")
        a.locator("#duty-submit").click()
        a.wait_for_selector("#duty-message .ok")
        b.wait_for_function("() => document.querySelector('.duty-incident-table') &&"
                            " document.querySelector('.duty-incident-table').innerText.includes('双浏览器测试滑坡')",
                            timeout=10_000)
        a.locator("#duty-dispatch-incident").click()
        a.get_by_role("listbox").get_by_text("双浏览器测试滑坡", exact=False).first.click()
        a.locator(".duty-teams button").first.click()
        a.wait_for_selector(".duty-teams .ok")
        a.wait_for_function("() => document.querySelector('ol.duty-timeline').innerText.includes('派遣')",
                            timeout=10_000)  # the incident's timeline shows the order
        b.wait_for_function(f"() => parseInt(document.querySelectorAll('.duty-card')[2]"
                            f".querySelector('.duty-value').innerText) === {out_before + 1}", timeout=10_000)
        b.wait_for_function("() => document.querySelector('.duty-feed').innerText.includes('派遣')", timeout=10_000)
        a.wait_for_selector("#duty-orders button")
        a.locator("#duty-orders button", has_text="出发").first.click()
        b.wait_for_function("() => document.querySelector('#duty-orders').innerText.includes('：出发')", timeout=10_000)
        warning = post(served, "/api/v1/warnings", {"level": "红", "hazard_type": "地质灾害", "headline": "双浏览器预警",
                                                     "townships": ["500114112"], "include_hazard_monitors": False,
                                                     "recipients": [{"name": n} for n in ("甲", "乙", "丙")]})
        b.wait_for_function("() => document.querySelector('#duty-warnings').innerText.includes('0/3')", timeout=10_000)
        post(served, f"/api/v1/warnings/{warning['id']}/ack", {"recipient_id": warning["recipients"][0]["id"]})
        b.wait_for_function("() => document.querySelector('#duty-warnings').innerText.includes('1/3')", timeout=10_000)
        assert b.evaluate("() => window.__notReloaded") is True
        assert a.recorder.console_errors == [] and b.recorder.console_errors == []
    finally:
        context_a.close()
        context_b.close()


def test_issuing_a_warning_from_the_page(browser, served):
    context, page = new_page(browser, served)
    try:
        page.goto(served + "/duty")
        page.wait_for_selector(".duty-card")
        page.locator("#duty-w-headline").fill("页面发布的黄色预警")
        choose(page, "duty-w-townships", "水田乡")
        page.locator("#duty-w-people").fill("甲,乡长,13900000000\n乙,村支书")
        page.locator("#duty-w-issue").click()
        page.wait_for_selector("#duty-w-message .ok")
        page.wait_for_function("() => document.querySelector('#duty-warnings').innerText.includes('页面发布的黄色预警')",
                               timeout=10_000)
        assert page.recorder.console_errors == []
    finally:
        context.close()


def test_the_feed_is_live_for_warnings_acknowledgements_and_closures_and_filters_by_kind(browser, served):
    """The frozen feed: a warning, its 叫应 and a road closure made elsewhere appear at the top of the feed
    within seconds; unticking kinds leaves only the kinds chosen."""
    context, page = new_page(browser, served)
    made = []  # what this test adds to the shared database, lifted again so later tests see the map as it was
    try:
        page.goto(served + "/duty")
        page.wait_for_selector(".duty-card")
        warning = post(served, "/api/v1/warnings", {"level": "黄", "hazard_type": "地质灾害", "headline": "动态测试预警",
                                                     "townships": ["500114112"], "include_hazard_monitors": False,
                                                     "recipients": [{"name": "动态甲"}]})
        made.append(f"/api/v1/warnings/{warning['id']}/lift")
        page.wait_for_function("() => document.querySelector('.duty-feed li').innerText.includes('动态测试预警')",
                               timeout=10_000)
        post(served, f"/api/v1/warnings/{warning['id']}/ack", {"recipient_id": warning["recipients"][0]["id"]})
        page.wait_for_function("() => document.querySelector('.duty-feed li').innerText.includes('动态甲 已叫应')",
                               timeout=10_000)
        block = post(served, "/api/v1/roads/blocks", {"point": [108.7748, 29.5328], "reason": "动态测试塌方"})
        made.append(f"/api/v1/roads/blocks/{block['id']}")
        page.wait_for_function("() => document.querySelector('.duty-feed li').innerText.includes('动态测试塌方')",
                               timeout=10_000)
        for kind in ("事件", "巡查", "预警", "叫应", "转移"):
            page.locator(".duty-feed-kinds label", has_text=kind).first.click()
        page.wait_for_function("() => [...document.querySelectorAll('.duty-feed li')].every("
                               "li => li.classList.contains('feed-closure'))", timeout=10_000)
        assert "动态测试塌方" in page.locator(".duty-feed").inner_text()
        assert page.recorder.console_errors == []
    finally:
        context.close()
        _undo(served, made)


def test_the_incident_workflow_with_a_note_at_each_step_is_seen_live_in_the_other_browser(browser, served):
    """接报 → 核实 → 处置中 → 已结束 from the page, a note required at each step; another officer watching the same
    incident sees each step on its timeline without reloading."""
    incident = post(served, "/api/v1/incidents", {"title": "流程测试滑坡", "kind": "滑坡", "level": "Ⅳ",
                                                   "lon": 108.7748, "lat": 29.5328})
    context_a, a = new_page(browser, served)
    context_b, b = new_page(browser, served)
    try:
        for page in (a, b):
            page.goto(served + "/duty")
            page.wait_for_selector(".duty-card")
            page.locator("#duty-dispatch-incident").click()
            page.get_by_role("listbox").get_by_text(f"#{incident['id']} 流程测试滑坡", exact=False).first.click()
            page.wait_for_selector(".duty-stage.current")
        assert a.locator(".duty-stage.current").inner_text() == "1 接报"
        a.locator(".duty-step-button", has_text="核实").click()  # no note: refused, nothing moves
        a.wait_for_selector("#duty-step-message .short")
        assert a.locator(".duty-stage.current").inner_text() == "1 接报"
        for status, note in (("核实", "现场核实属实"), ("处置中", "救援队已到场"), ("已结束", "险情排除")):
            a.locator("#duty-step-note").fill(note)
            a.locator(".duty-step-button", has_text=status).click()
            a.wait_for_function(f"() => document.querySelector('.duty-stage.current').innerText.includes('{status}')",
                                timeout=10_000)
            b.wait_for_function(f"() => document.querySelector('.duty-detail-timeline li').innerText.includes('{note}')",
                                timeout=10_000)
            assert a.locator("#duty-step-note").input_value() == ""
        assert b.locator(".duty-step-button").count() == 0  # closed: no step left
        assert a.recorder.console_errors == [] and b.recorder.console_errors == []
    finally:
        context_a.close()
        context_b.close()


def test_the_ack_board_confirms_for_a_recipient_and_escalates_another_in_red(browser, served):
    warning = post(served, "/api/v1/warnings", {"level": "黄", "hazard_type": "地质灾害", "headline": "叫应板测试",
                                                 "townships": ["500114112"], "include_hazard_monitors": False,
                                                 "recipients": [{"name": "板甲"}, {"name": "板乙"}]})
    context, page = new_page(browser, served)
    try:
        page.goto(served + "/duty")
        page.wait_for_selector(".board-row")
        row = lambda name: page.locator(".board-row", has_text=name)  # noqa: E731
        row("板甲").get_by_role("button", name="代为确认").click()
        page.wait_for_function("() => [...document.querySelectorAll('.board-row')].some(li => "
                               "li.innerText.includes('板甲') && li.classList.contains('board-acknowledged'))",
                               timeout=10_000)
        row("板乙").get_by_role("button", name="升级").click()
        page.wait_for_function("() => [...document.querySelectorAll('.board-row')].some(li => "
                               "li.innerText.includes('板乙') && li.classList.contains('alarm') && "
                               "getComputedStyle(li).color === 'rgb(180, 35, 24)')", timeout=10_000)  # in red
        status = json.loads(urllib.request.urlopen(f"{served}/api/v1/warnings/{warning['id']}").read())
        assert {r["name"]: r["state"] for r in status["recipients"]}["板甲"] == "acknowledged"
        assert page.recorder.console_errors == []
    finally:
        context.close()


def test_a_handover_note_is_the_first_thing_the_next_officer_sees(browser, served):
    context_a, a = new_page(browser, served)
    context_b, b = new_page(browser, served)
    try:
        for page in (a, b):
            page.goto(served + "/duty")
            page.wait_for_selector(".duty-card")
        a.locator(".duty-handover-form summary").click()
        a.locator("#duty-handover-note").fill("交接测试：城西滑坡仍在处置")
        a.locator("#duty-handover-submit").click()
        a.wait_for_selector("#duty-handover-message .ok")
        b.wait_for_selector(".duty-handover.unread", timeout=10_000)  # live, without a reload
        assert "交接测试：城西滑坡仍在处置" in b.locator(".duty-handover.unread").inner_text()
        box = b.locator(".duty-handover.unread").bounding_box()
        assert box["y"] < b.locator(".duty-figures").bounding_box()["y"]  # above everything else
        b.get_by_role("button", name="已阅，接班").click()
        a.wait_for_function("() => document.querySelector('.duty-handover') && "
                            "!document.querySelector('.duty-handover.unread') && "
                            "document.querySelector('.duty-handover').innerText.includes('接班')", timeout=10_000)
        assert a.recorder.console_errors == [] and b.recorder.console_errors == []
    finally:
        context_a.close()
        context_b.close()


def test_a_new_incident_flashes_and_sounds_unless_muted(browser, served):
    context, page = new_page(browser, served)
    try:
        page.goto(served + "/duty")
        page.wait_for_selector(".duty-card")
        page.wait_for_function("() => window.qjDutySeen !== undefined", timeout=15_000)  # the baseline
        assert page.evaluate("() => window.qjDutyAlerts || 0") == 0  # opening the page is no alert
        post(served, "/api/v1/incidents", {"title": "提示音测试", "kind": "滑坡", "level": "Ⅳ",
                                           "lon": 108.7748, "lat": 29.5328})
        page.wait_for_function("() => document.body.classList.contains('duty-flash')", timeout=10_000)
        assert page.evaluate("() => window.qjDutyAlerts") == 1
        page.locator(".duty-mute label").click()  # muted: the flash, no tone
        page.wait_for_function("() => !document.body.classList.contains('duty-flash')", timeout=10_000)
        post(served, "/api/v1/incidents", {"title": "静音测试", "kind": "滑坡", "level": "Ⅳ",
                                           "lon": 108.7748, "lat": 29.5328})
        page.wait_for_function("() => document.body.classList.contains('duty-flash')", timeout=10_000)
        assert page.evaluate("() => window.qjDutyAlerts") == 1
        page.reload()  # the mute is remembered
        page.wait_for_selector(".duty-card")
        assert page.locator(".duty-mute input").is_checked()
        assert page.recorder.console_errors == []
    finally:
        context.close()
