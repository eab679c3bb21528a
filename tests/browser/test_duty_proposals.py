"""值班态势's 预警建议 panel in a browser: a proposal the rule makes appears without a reload, 驳回 without a reason is
refused with the field named, 确认 issues the warning, which shows with its 叫应 count; 一张图 pulses the point."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import text

from services.db.uow import unit_of_work
from services.monitoring.proposals import raise_proposals
from services.monitoring.types import Candidate, MetricValue
from tests.browser.conftest import SETTINGS
from tests.browser.test_duty_page import _undo, new_page, post

pytestmark = pytest.mark.browser


def propose(settings, level: str = "黄", skip: int = 0) -> tuple[int, int, str, str]:
    """A proposal as the rule would make it, for a point not yet warned that has a monitor; (proposal, point id,
    point name, its level before)."""
    with unit_of_work(settings, write=True) as uow:
        station = uow.session.execute(text("SELECT min(id) FROM monitoring_station")).scalar()
        hazard, name, before = uow.session.execute(text(
            "SELECT id, name, warning_level FROM hazard_point WHERE warning_level IN ('无', '蓝') AND contact_person "
            "IS NOT NULL AND id NOT IN (SELECT hazard_point_id FROM warning_proposal) ORDER BY id "
            "LIMIT 1 OFFSET :s"), {"s": skip}).one()
        reading = MetricValue("rain_1h", station, 33.0, 30.0, dt.datetime.now(dt.timezone.utc))
        [made] = raise_proposals(uow, [Candidate(hazard, level, reading, (reading,))])
    return made.proposal_id, hazard, name, before


def restore(settings, hazard: int, level: str) -> None:
    with unit_of_work(settings, write=True) as uow:
        uow.session.execute(text("UPDATE hazard_point SET warning_level = :l WHERE id = :h"), {"l": level, "h": hazard})


def test_a_proposal_appears_is_confirmed_and_its_warning_shows_its_acknowledgement_count(browser, served):
    settings = SETTINGS[served]
    context, page = new_page(browser, served)
    made = []
    try:
        page.goto(served + "/duty")
        page.wait_for_selector(".duty-card")
        page.wait_for_function("() => window.qjDutySeen !== undefined")  # the alert's baseline is read
        page.evaluate("() => { window.__notReloaded = true; }")
        proposal, hazard, name, before = propose(settings)
        card = page.locator(f".proposal-card[data-proposal='{proposal}']")
        card.wait_for(timeout=6000)  # the next poll of the change counter (1.5 s), no reload
        page.wait_for_function("() => (window.qjDutyAlerts || 0) >= 1", timeout=6000)  # a tone and a flash
        assert name in card.inner_text() and "33" in card.inner_text() and "1.10" in card.inner_text()

        card.locator(".proposal-reject").click()
        page.wait_for_selector("#duty-proposals-message .short")
        assert "reason" in page.locator("#duty-proposals-message").inner_text()  # the field is named

        card.locator(".proposal-confirm").click()
        page.wait_for_selector("#duty-proposals-message .ok", timeout=10000)
        said = page.locator("#duty-proposals-message").inner_text()
        warning = int(re.search(r"#(\d+)", said).group(1))
        made.append(f"/api/v1/warnings/{warning}/lift")
        with unit_of_work(settings) as uow:
            total = uow.session.execute(text("SELECT count(*) FROM warning_recipient WHERE warning_id = :w"),
                                        {"w": warning}).scalar()
        assert total > 0 and f"{total} 人待叫应" in said
        row = page.locator("#duty-warnings .block-row", has_text=name)
        row.first.wait_for(timeout=6000)
        assert f"已叫应 0/{total}" in row.first.inner_text()
        with unit_of_work(settings) as uow:
            first = uow.session.execute(text("SELECT min(id) FROM warning_recipient WHERE warning_id = :w"),
                                        {"w": warning}).scalar()
        post(served, f"/api/v1/warnings/{warning}/ack", {"recipient_id": first})  # one recipient's 叫应
        page.wait_for_function(f"() => [...document.querySelectorAll('#duty-warnings .block-row')].some("
                               f"r => r.innerText.includes('已叫应 1/{total}'))", timeout=6000)
        page.wait_for_function(f"() => !document.querySelector(\".proposal-card[data-proposal='{proposal}']\")",
                               timeout=6000)  # decided: off the panel
        assert page.evaluate("() => window.__notReloaded === true")
        assert not page.recorder.console_errors
    finally:
        _undo(served, made)
        if made:
            restore(settings, hazard, before)
        context.close()


def test_the_map_pulses_a_point_with_an_open_proposal_in_its_colour(browser, served):
    settings = SETTINGS[served]
    context, page = new_page(browser, served)
    proposal = None
    try:
        page.goto(served + "/")
        page.wait_for_selector(".leaflet-container")
        proposal, hazard, _, _ = propose(settings, "橙", skip=1)
        ring = page.locator(f".qj-pulse[data-hazard='{hazard}']")
        ring.wait_for(timeout=8000)  # the map's live poll (2 s)
        colour = ring.evaluate("el => getComputedStyle(el, '::before').borderTopColor")
        assert colour == "rgb(240, 127, 18)"  # 橙 #f07f12
        assert ring.evaluate("el => getComputedStyle(el, '::before').animationName") == "qj-pulse"
        # the point's details (picked as the overlap chooser picks) show the proposal and its reading
        page.evaluate("h => window.dash_clientside.set_props('map-pick', {data: {layer: 'hazards', id: h, "
                      "at: Date.now()}})", hazard)
        details = page.locator(f"#map-details .details-proposal[data-proposal='{proposal}']")
        details.wait_for(timeout=8000)
        assert "建议橙色预警" in details.inner_text() and "1小时雨量" in details.inner_text()
    finally:
        if proposal is not None:
            with unit_of_work(settings, write=True) as uow:
                from services.monitoring.proposals import reject
                reject(uow, proposal, "browser test")
        context.close()
