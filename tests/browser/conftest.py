"""A served app (waitress in a thread, seeded SQLite) and a headless chromium page that records what it did."""
from __future__ import annotations

import shutil
import socket
import threading
from dataclasses import dataclass, field

import pytest

from dashboard.app import create_app
from tests.conftest import make_settings, require

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def served(tmp_path_factory):
    """Base URL of the app serving a seeded SQLite database."""
    from waitress import create_server

    from services.seed import setup_database
    settings = make_settings("sqlite", tmp_path_factory.mktemp("served"))
    setup_database(settings, with_sample=True)
    port = _free_port()
    server = create_server(create_app(settings).server, host="127.0.0.1", port=port, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.close()


@pytest.fixture(scope="session")
def browser():
    require(CHROMIUM is not None, "chromium is not installed (apt install chromium)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@dataclass
class Recorder:
    console_errors: list[str] = field(default_factory=list)
    hosts: set[str] = field(default_factory=set)
    failed: list[str] = field(default_factory=list)


@pytest.fixture
def page(browser, request, tmp_path):
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    pg = context.new_page()
    rec = Recorder()
    pg.on("console", lambda m: rec.console_errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: rec.console_errors.append(str(e)))
    pg.on("request", lambda r: rec.hosts.add(r.url.split("/")[2]) if "://" in r.url else None)
    pg.on("requestfailed", lambda r: rec.failed.append(r.url))
    pg.recorder = rec
    yield pg
    if request.node.rep_call.failed if hasattr(request.node, "rep_call") else False:
        pg.screenshot(path=str(tmp_path / "failure.png"))
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
