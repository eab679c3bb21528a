"""值班态势 in headless chromium: a 叫应 that becomes overdue flashes the page and sounds the tone (counted in
window.qjDutyAlerts, not heard), and once muted only flashes. Time passing is played by moving the warning's issue
time back in the shared database; the warnings are lifted at the end."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import update

from services.clock import now_utc
from services.db.uow import unit_of_work
from services.models.dispatch import Warning
from tests.browser.conftest import SETTINGS
from tests.browser.test_duty_page import _undo, new_page, post

pytestmark = pytest.mark.browser
FLASHING = "() => document.body.classList.contains('duty-flash')"


def _warning(base: str, headline: str) -> int:
    return post(base, "/api/v1/warnings", {"level": "黄", "hazard_type": "地质灾害", "headline": headline,
                                            "townships": ["500114112"], "include_hazard_monitors": False,
                                            "recipients": [{"name": "超时甲"}], "ack_timeout_min": 1})["id"]


def _overdue(base: str, warning_id: int) -> None:
    """Five minutes pass for this warning: its one-minute 叫应 deadline is behind it."""
    with unit_of_work(SETTINGS[base], write=True) as uow:
        uow.session.execute(update(Warning).where(Warning.id == warning_id)
                            .values(issued_at=now_utc() - dt.timedelta(minutes=5)))


def test_an_overdue_acknowledgement_flashes_and_sounds_unless_muted(browser, served):
    made: list[str] = []
    context, page = new_page(browser, served)
    try:
        first = _warning(served, "超时叫应测试")
        made.append(f"/api/v1/warnings/{first}/lift")
        page.goto(served + "/duty", timeout=60_000)
        page.wait_for_selector(".duty-card", timeout=60_000)
        page.wait_for_function("() => window.qjDutySeen !== undefined", timeout=30_000)  # the baseline
        assert page.evaluate("() => window.qjDutySeen.overdue") >= 0
        assert page.evaluate("() => window.qjDutyAlerts || 0") == 0 and not page.evaluate(FLASHING)
        _overdue(served, first)
        page.wait_for_function(FLASHING, timeout=30_000)  # within a tick of the alert's 10 s timer
        assert page.evaluate("() => window.qjDutyAlerts") == 1  # the tone was played (or attempted)
        page.locator(".duty-mute label").click()  # muted: the flash, no tone
        page.wait_for_function(f"() => !({FLASHING})()", timeout=15_000)
        second = _warning(served, "静音超时测试")
        made.append(f"/api/v1/warnings/{second}/lift")
        page.wait_for_timeout(500)
        _overdue(served, second)
        page.wait_for_function(FLASHING, timeout=30_000)
        assert page.evaluate("() => window.qjDutyAlerts") == 1
        page.locator(".duty-mute label").click()  # unmuted again for the next test (the choice is remembered)
        assert page.recorder.console_errors == []
    finally:
        _undo(served, made)
        context.close()
