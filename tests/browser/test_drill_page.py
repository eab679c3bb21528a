"""A drill (演练) in a browser: the sample storm replayed into a copy of the served sample, the copy served as
``python app.py drill`` serves it. Its duty view says 演练, lists every open proposal the replay raised, confirms an
orange one (the warning shows with its 叫应 count, which a recipient's acknowledgement moves), and the live app's
database never sees any of it."""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
import threading

import pytest
from sqlalchemy import text

from config import ROOT
from dashboard.app import create_app
from services.clock import shift_for_tests
from services.db import get_engine
from dashboard.cli_monitoring import deliver_batch as deliver
from services.monitoring.drills import load_readings, prepare_drill
from services.monitoring.replay import run, schedule
from tests.browser.conftest import BROWSER_USER, SERVED, SETTINGS, TOKENS, _free_port
from tests.browser.test_duty_page import new_page, post

pytestmark = pytest.mark.browser


def _count(settings, sql: str, **params) -> int:
    with get_engine(settings.database_url).connect() as conn:
        return conn.execute(text(sql), params).scalar()


@pytest.fixture(scope="module")
def drill(served, tmp_path_factory):
    from waitress import create_server

    from services.accounts.tokens import issue_token
    from services.db.uow import unit_of_work
    live = SETTINGS[served]
    folder = tmp_path_factory.mktemp("drill-served")
    settings = prepare_drill(dataclasses.replace(live, instance_dir=folder), "browser")
    readings = load_readings(ROOT / "data" / "sample" / "monitoring" / "storm.csv", settings)
    first = min(r.at for r in readings)
    batches = schedule([r for r in readings if r.at <= first + dt.timedelta(hours=18)],
                       dt.datetime.now(dt.timezone.utc), speed=3600, every_min=30)
    clock = [0.0]
    try:
        run(batches, lambda b: deliver(settings, b), clock=lambda: clock[0],
            sleep=lambda s: clock.__setitem__(0, clock[0] + s))
    finally:
        shift_for_tests(dt.timedelta(0))  # the live app in this process goes on in real time
    with unit_of_work(settings, write=True) as uow:
        token, _ = issue_token(uow, BROWSER_USER, "drill browser test")  # tokens are not copied into a drill
    port = _free_port()
    server = create_server(create_app(settings).server, host="127.0.0.1", port=port, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    url = f"http://127.0.0.1:{port}"
    SERVED.add(url)
    TOKENS[url], SETTINGS[url] = token, settings
    yield url, settings, live
    server.close()
    get_engine(settings.database_url).dispose()


def test_a_drill_runs_the_chain_on_its_copy_only(browser, drill):
    url, settings, live = drill
    live_warnings = _count(live, "SELECT count(*) FROM warning")
    open_proposals = _count(settings, "SELECT count(*) FROM warning_proposal WHERE status = '待确认'")
    assert open_proposals >= 10 and _count(live, "SELECT count(*) FROM warning_proposal") == 0
    context, page = new_page(browser, url)
    try:
        page.goto(url + "/duty")
        assert page.locator(".drill-badge").inner_text() == "演练 · browser"
        page.wait_for_selector(".proposal-card")
        assert page.locator(".proposal-card").count() == open_proposals
        orange = page.locator(".proposal-card", has=page.locator(".proposal-level", has_text="橙")).first
        name = orange.locator(".proposal-point").inner_text()
        orange.locator(".proposal-confirm").click()
        page.wait_for_selector("#duty-proposals-message .ok", timeout=15000)
        said = page.locator("#duty-proposals-message").inner_text()
        warning = int(re.search(r"#(\d+)", said).group(1))
        total = _count(settings, "SELECT count(*) FROM warning_recipient WHERE warning_id = :w", w=warning)
        row = page.locator("#duty-warnings .block-row", has_text=name).first
        row.wait_for(timeout=8000)
        assert f"已叫应 0/{total}" in row.inner_text()
        first = _count(settings, "SELECT min(id) FROM warning_recipient WHERE warning_id = :w", w=warning)
        post(url, f"/api/v1/warnings/{warning}/ack", {"recipient_id": first})
        page.wait_for_function(f"() => [...document.querySelectorAll('#duty-warnings .block-row')].some("
                               f"r => r.innerText.includes('已叫应 1/{total}'))", timeout=8000)
        assert not page.recorder.console_errors
    finally:
        context.close()
    assert _count(live, "SELECT count(*) FROM warning") == live_warnings  # the live system never heard of it
    assert _count(live, "SELECT count(*) FROM reading") == 0
