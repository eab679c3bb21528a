"""A drill (演练) in a browser: ``python app.py drill`` replays the sample storm into a copy of the served sample and
serves the copy. Its duty view says 演练, lists every open proposal the replay raised, confirms an
orange one (the warning shows with its 叫应 count, which a recipient's acknowledgement moves), and the live app's
database never sees any of it."""
from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
import threading
import time

import pytest
from sqlalchemy import text

from config import ROOT
from dashboard.components.duty_proposals import MAX_CARDS
from services.db import get_engine
from tests.browser.conftest import BROWSER_USER, SERVED, SETTINGS, TOKENS, _free_port
from tests.browser.test_duty_page import new_page, post

pytestmark = pytest.mark.browser


def _count(settings, sql: str, **params) -> int:
    with get_engine(settings.database_url).connect() as conn:
        return conn.execute(text(sql), params).scalar()


@pytest.fixture(scope="module")
def drill(served, tmp_path_factory):
    """``python app.py drill`` in its own process, on a copy of the served app's database: the sample storm at 3600 ×
    real time, then served (one Dash app per process, as in production)."""
    from services.accounts.tokens import issue_token
    from services.db.uow import unit_of_work
    live = SETTINGS[served]
    folder = tmp_path_factory.mktemp("drill-served")
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": live.database_url, "QJ_INSTANCE_DIR": str(folder), "PYTHONUNBUFFERED": "1"}
    storm = folder / "storm-18h.csv"  # the storm's first 18 hours (both cells): a loaded machine replays it in time
    with (ROOT / "data" / "sample" / "monitoring" / "storm.csv").open(encoding="utf-8-sig") as fh:
        storm.write_text("".join(line for n, line in enumerate(fh) if n == 0 or line.split(",")[1] < "2026-07-02T14"),
                         encoding="utf-8-sig")
    process = subprocess.Popen([sys.executable, "app.py", "drill", "--name", "browser", "--speed", "3600",
                                "--readings", str(storm), "--port", str(port)], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    said = []
    try:
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:  # the replay's last line says it is over
            line = process.stdout.readline()
            said.append(line)
            if "Drill replay finished" in line or process.poll() is not None:
                break
        assert any("Drill replay finished" in line for line in said), "".join(said)
        threading.Thread(target=process.stdout.read, daemon=True).start()  # keep the pipe from filling
        settings = dataclasses.replace(live, database_url=f"sqlite:///{folder / 'drill-browser.sqlite3'}",
                                       drill="browser", instance_dir=folder)
        with unit_of_work(settings, write=True) as uow:
            token, _ = issue_token(uow, BROWSER_USER, "drill browser test")  # tokens are not copied into a drill
        url = f"http://127.0.0.1:{port}"
        SERVED.add(url)
        TOKENS[url], SETTINGS[url] = token, settings
        yield url, settings, live
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_a_drill_runs_the_chain_on_its_copy_only(browser, drill):
    url, settings, live = drill
    live_warnings = _count(live, "SELECT count(*) FROM warning")
    live_proposals = _count(live, "SELECT count(*) FROM warning_proposal")  # other tests' own, if any
    open_proposals = _count(settings, "SELECT count(*) FROM warning_proposal WHERE status = '待确认'")
    assert open_proposals >= 10
    context, page = new_page(browser, url)
    try:
        page.goto(url + "/duty")
        assert page.locator(".drill-badge").inner_text() == "演练 · browser"
        page.wait_for_selector(".proposal-card")
        assert page.locator(".proposal-summary").get_attribute("data-open") == str(open_proposals)
        assert page.locator(".proposal-card").count() == min(open_proposals, MAX_CARDS)  # the rest counted
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
    assert _count(live, "SELECT count(*) FROM warning_proposal") == live_proposals
