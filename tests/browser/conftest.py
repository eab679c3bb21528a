"""A served app (waitress in a thread, seeded SQLite) and a headless chromium page that records what it did."""
from __future__ import annotations

import dataclasses
import json
import math
import shutil
import socket
import struct
import threading
import urllib.request
import zlib
from dataclasses import dataclass, field

import pytest

from dashboard.app import create_app
from tests.conftest import prepared, require

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


BROWSER_USER, BROWSER_PASSWORD = "browser-admin", "browser password 1"
SERVED: set[str] = set()  # base URLs of apps served here, where the page signs in before its first visit
TOKENS: dict[str, str] = {}  # base URL -> the browser admin's API token, for the tests' own API calls
SETTINGS: dict = {}  # base URL -> the settings it serves (to create the accounts a test signs in with)


class _Bearer(urllib.request.BaseHandler):
    """The tests' urllib calls to a served app carry its API token (a script client, like a township app)."""

    def http_request(self, req):
        for base, token in TOKENS.items():
            if req.full_url.startswith(base + "/"):
                req.add_unredirected_header("Authorization", f"Bearer {token}")
        return req


urllib.request.install_opener(urllib.request.build_opener(_Bearer()))


def _serve(settings):
    from waitress import create_server

    from services.accounts.tokens import issue_token
    from services.accounts.users import create_user
    from services.data.seed import setup_database
    from services.db.uow import unit_of_work
    setup_database(settings, with_sample=True)
    with unit_of_work(settings, write=True) as uow:
        create_user(uow, BROWSER_USER, role="admin", password=BROWSER_PASSWORD, must_change_password=False)
        token, _ = issue_token(uow, BROWSER_USER, "browser tests")
    port = _free_port()
    server = create_server(create_app(settings).server, host="127.0.0.1", port=port, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    SERVED.add(f"http://127.0.0.1:{port}")
    TOKENS[f"http://127.0.0.1:{port}"] = token
    SETTINGS[f"http://127.0.0.1:{port}"] = settings
    return server, f"http://127.0.0.1:{port}"


def sign_in(pg, base: str, user: str = BROWSER_USER, password: str = BROWSER_PASSWORD, goto=None) -> None:
    """Sign in through the app's own sign-in page, as a person would."""
    (goto or pg.goto)(f"{base}/login?next=/healthz")
    pg.fill("#username", user)
    pg.fill("#password", password)
    with pg.expect_navigation():
        pg.click("button[type=submit]")


@pytest.fixture(scope="session")
def served(tmp_path_factory):
    """Base URL of the app serving a seeded SQLite database, with no basemap configured."""
    server, url = _serve(prepared("sqlite", tmp_path_factory.mktemp("served"), tmp_path_factory, with_sample=True))
    yield url
    server.close()


def _png(rgb: tuple[int, int, int], size: int = 256) -> bytes:
    """A solid-colour PNG tile, written by hand (no imaging library needed)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    row = b"\x00" + bytes(rgb) * size
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(row * size)) +
            chunk(b"IEND", b""))


def write_tiles(folder, bounds=(106.8, 28.4, 110.6, 30.6), zooms=range(8, 13)) -> int:
    """Slippy-map tiles covering ``bounds`` (lon/lat) at ``zooms``; returns how many were written."""
    def tile_xy(lon, lat, z):
        n = 2 ** z
        y = (1 - math.log(math.tan(math.radians(lat)) + 1 / math.cos(math.radians(lat))) / math.pi) / 2 * n
        return int((lon + 180) / 360 * n), int(y)
    count = 0
    for z in zooms:
        (x0, y1), (x1, y0) = tile_xy(bounds[0], bounds[1], z), tile_xy(bounds[2], bounds[3], z)
        for x in range(x0, x1 + 1):
            for y in range(y0, y1 + 1):
                path = folder / str(z) / str(x) / f"{y}.png"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(_png((200 + (x + y) % 2 * 30, 225, 205)))
                count += 1
    return count


@pytest.fixture(scope="session")
def served_with_tiles(tmp_path_factory):
    """The app with two basemaps from one local tile folder: one declared WGS-84, one GCJ-02."""
    root = tmp_path_factory.mktemp("tiles")
    write_tiles(root / "tiles")
    config = root / "basemaps.json"
    config.write_text(json.dumps([
        {"key": "local", "name": "本地瓦片", "folder": "tiles", "crs": "WGS84", "max_zoom": 12},
        {"key": "local-gcj", "name": "本地瓦片(GCJ)", "folder": "tiles", "crs": "GCJ02", "max_zoom": 12},
    ], ensure_ascii=False), encoding="utf-8")
    settings = dataclasses.replace(prepared("sqlite", root, tmp_path_factory, with_sample=True), basemaps_file=config)
    server, url = _serve(settings)
    yield url
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
    original, signed = pg.goto, set()

    def goto(url, **kwargs):
        base = "/".join(url.split("/")[:3])
        if base in SERVED and base not in signed:
            sign_in(pg, base, goto=original)
            signed.add(base)
        return original(url, **kwargs)

    pg.goto = goto
    yield pg
    if request.node.rep_call.failed if hasattr(request.node, "rep_call") else False:
        pg.screenshot(path=str(tmp_path / "failure.png"))
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
