"""The phone page at 390 × 844: a township user signs in, reports an incident with a photo at a tapped place,
records a patrol and acknowledges a warning with one tap; a duty officer in another browser sees the report, its
photo and the 叫应 on the duty view without reloading. The page's load is measured (bytes over the wire).

Screenshots go to the test's folder, and to docs/screenshots/phone-*.png when QJ_SCREENSHOTS=1.
"""
from __future__ import annotations

import io
import os
import shutil

import pytest
from PIL import Image

from config import ROOT
from tests.browser.conftest import SETTINGS, Recorder, sign_in
from tests.browser.test_duty_page import post

pytestmark = pytest.mark.browser

TOWNSHIP, TOWNSHIP_NAME = "500114107", "黑溪镇"  # no other browser test issues warnings there
PASSWORD = "field password 1"
PAGE_BUDGET_BYTES = 500_000
TITLE = "黑溪村后山滑坡（手机上报）"


def _accounts(base: str) -> None:
    from services.accounts.users import create_user
    from services.db.uow import unit_of_work
    with unit_of_work(SETTINGS[base], write=True) as uow:
        create_user(uow, "heixi-field", role="township", township_code=TOWNSHIP, password=PASSWORD,
                    display_name="黑溪镇值守", must_change_password=False)
        create_user(uow, "duty-field", role="duty", password=PASSWORD, display_name="值班员甲",
                    must_change_password=False)


def _photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (120, 90, 60)).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def _shoot(page, tmp_path, name: str) -> None:
    path = tmp_path / f"phone-{name}.png"
    page.wait_for_function("() => ![...document.querySelectorAll('form button')].some(b => b.disabled"
                           " && !b.classList.contains('m-ack'))")  # no request still under way
    page.evaluate("() => window.scrollTo(0, 0)")  # a full-page shot of a scrolled page misplaces the sticky tabs
    page.screenshot(path=str(path), full_page=True)  # 390 px wide, as long as the section
    if os.environ.get("QJ_SCREENSHOTS") == "1":
        shutil.copy(path, ROOT / "docs" / "screenshots" / path.name)


def test_a_township_user_reports_patrols_and_acknowledges_from_a_phone(browser, served, tmp_path):
    _accounts(served)
    warning = post(served, "/api/v1/warnings", {"level": "橙", "hazard_type": "地质灾害", "headline": "黑溪镇强降雨橙色预警",
                                                "townships": [TOWNSHIP], "include_hazard_monitors": False,
                                                "recipients": [{"name": "黑溪村支书"}]})
    duty_context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    phone_context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                        locale="zh-CN", permissions=["geolocation"],
                                        geolocation={"latitude": 29.6206, "longitude": 108.5408})
    try:
        duty = duty_context.new_page()
        duty.recorder = Recorder()
        duty.on("pageerror", lambda e: duty.recorder.console_errors.append(str(e)))
        sign_in(duty, served, "duty-field", PASSWORD)
        duty.goto(served + "/duty")
        duty.wait_for_selector(".duty-card")
        duty.evaluate("() => { window.__notReloaded = true; }")

        phone = phone_context.new_page()
        errors, loaded = [], []
        phone.on("pageerror", lambda e: errors.append(str(e)))
        phone.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        sign_in(phone, served, "heixi-field", PASSWORD)
        phone.on("requestfinished", lambda r: loaded.append((r.url, r.sizes())))
        phone.goto(served + "/m")
        phone.wait_for_load_state("networkidle")
        wire = sum(s["responseBodySize"] + s["responseHeadersSize"] for _, s in loaded)
        print(f"phone page load: {len(loaded)} requests, {wire:,} bytes over the wire")
        assert wire < PAGE_BUDGET_BYTES, loaded
        assert {url.split("/")[2] for url, _ in loaded} == {served.split("/")[2]}  # nothing from elsewhere
        assert TOWNSHIP_NAME in phone.inner_text("h1")
        # One warning waits for this user's 叫应: the page opens on it.
        assert phone.locator("#panel-warnings").is_visible()
        _shoot(phone, tmp_path, "warnings")

        phone.locator(".m-tab[data-tab=report]").tap()
        phone.locator("#report-gps").tap()
        phone.wait_for_function("() => document.querySelector('#report-where').innerText.includes('29.6206')")
        phone.fill("#report-title", TITLE)
        phone.fill("input[name=injured]", "2")
        phone.fill("textarea[name=description]", "后山出现拉裂缝，已疏散坡下 3 户")
        box = phone.locator("#report-map").bounding_box()  # the GPS centred the map on the township's seat
        phone.locator("#report-map").tap(position={"x": box["width"] / 2 + 40, "y": box["height"] / 2 + 30})
        phone.wait_for_function("() => document.querySelector('#report-where').innerText.includes(',')"
                                " && !document.querySelector('#report-where').innerText.includes('29.6206')")
        phone.set_input_files("#report-photos", files=[{"name": "slope.jpg", "mimeType": "image/jpeg",
                                                        "buffer": _photo()}])
        phone.wait_for_selector("#report-previews img")
        _shoot(phone, tmp_path, "report")
        phone.locator("#report-form button[type=submit]").tap()
        # once (make test, 2026-12-03) the answer took over 30 s with the other worker busy: not explained yet
        phone.wait_for_selector("#report-msg.ok", timeout=60_000)
        phone.wait_for_function("() => document.querySelector('#report-msg').innerText.includes('照片 1 张')")
        assert "尚未选择位置" in phone.inner_text("#report-where")  # the next report asks for its own place
        _shoot(phone, tmp_path, "report-sent")

        phone.locator(".m-tab[data-tab=patrol]").tap()
        phone.locator(".m-choice.state-2").tap()
        phone.select_option("#patrol-raise", "橙")
        phone.fill("input[name=crack_width_mm]", "15")
        phone.locator("#patrol-form button[type=submit]").tap()
        phone.wait_for_selector("#patrol-msg.ok")
        _shoot(phone, tmp_path, "patrol")
        phone.locator(".m-tab[data-tab=shelters]").tap()
        _shoot(phone, tmp_path, "shelters")

        phone.locator(".m-tab[data-tab=warnings]").tap()
        phone.locator(f"[data-ack='{warning['id']}']").tap()
        phone.wait_for_selector(f"article[data-warning='{warning['id']}'] .m-acked")
        assert phone.inner_text("#warning-badge") == "0"
        _shoot(phone, tmp_path, "warnings-acknowledged")
        phone.goto(served + "/m?lang=en#report")
        phone.wait_for_selector("#report-map .leaflet-interactive")
        assert "Report an incident" in phone.inner_text("#panel-report")
        _shoot(phone, tmp_path, "report-en")
        assert not errors, errors

        # The duty officer's view, never reloaded, shows the report, its photo and the 叫应 within seconds.
        duty.wait_for_function(f"() => document.querySelector('.duty-incident-table') && document.querySelector("
                               f"'.duty-incident-table').innerText.includes('{TITLE}')", timeout=10_000)
        duty.wait_for_function("() => document.querySelector('.duty-feed').innerText.includes('附照片 1 张')",
                               timeout=10_000)
        duty.wait_for_function("() => { const w = document.querySelector('#duty-warnings').innerText;"
                               " return w.includes('黑溪镇强降雨橙色预警') && w.includes('1/2'); }", timeout=10_000)
        assert duty.evaluate("() => window.__notReloaded") is True
        assert duty.recorder.console_errors == []
    finally:
        phone_context.close()
        duty_context.close()
