"""Benchmark: the map with a large load (20,000 extra enterprises, 2,000 extra hazard points by default).

Builds a SQLite database with the sample plus bench/synthetic_load.py's rows, serves it, and in headless
chromium measures, each run in a fresh browser context:
- first map paint: navigation start until every hazard marker is on the map and the enterprise markers
  plus the numbers on their cluster badges add up to the total (all of the district is in view);
- the page payload: bytes transferred (compressed) for everything the page loaded;
- a filter change (township = 城西街道): time from choosing it until the map shows exactly that township's
  hazards, and the app time the server spent on the requests it caused (Server-Timing headers).

    python bench/map_scale.py [--enterprises 20000] [--hazards 2000] [--repeat 5]
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (  # noqa: E402
    sign_in,
    ROOT,
    clean_env,
    emit,
    free_port,
    http_get,
    print_machine,
    served_app,
)
from page_load import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

ON_MAP = """([hazards, enterprises]) =>
  document.querySelectorAll('.qj-marker.qj-hazards').length === hazards &&
  document.querySelectorAll('.qj-marker.qj-enterprises').length +
  [...document.querySelectorAll('.qj-cluster')].reduce((n, e) => n + parseInt(e.textContent, 10), 0) === enterprises"""
TOWNSHIP = ("500114003", "城西街道")


def _server_ms(response) -> float:
    timing = response.headers.get("server-timing", "")
    return float(timing.split("dur=")[1]) if "dur=" in timing else 0.0


def _one_run(browser, base: str, totals: dict[str, int], expected_filtered: int) -> dict:
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    sign_in(page, base)
    responses, hosts = [], set()
    page.on("request", lambda r: hosts.add(urllib.parse.urlsplit(r.url).hostname))
    page.on("requestfinished", lambda r: responses.append(r))
    started = time.perf_counter()
    page.goto(base + "/")
    page.wait_for_function(ON_MAP, arg=[totals["hazards"], totals["enterprises"]], timeout=120_000)
    first_paint_s = time.perf_counter() - started
    payload = sum(r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"] for r in responses)
    before = len(responses)
    with page.expect_response(lambda r: "/api/v1/layers/hazards" in r.url, timeout=60_000):
        page.locator("#filter-township").click()
        started = time.perf_counter()
        page.get_by_role("listbox").get_by_text(TOWNSHIP[1], exact=True).click()
    page.wait_for_function(f"() => document.querySelectorAll('.qj-marker.qj-hazards').length === {expected_filtered}",
                           timeout=60_000)
    filter_s = time.perf_counter() - started
    caused = [r.response() for r in responses[before:] if r.response() is not None]
    server_ms = [_server_ms(r) for r in caused]
    context.close()
    return {"first_paint_s": first_paint_s, "payload_bytes": payload, "filter_browser_s": filter_s,
            "filter_server_ms_sum": sum(server_ms), "filter_server_ms_max": max(server_ms, default=0.0),
            "filter_requests": len(caused), "hosts": sorted(h for h in hosts if h)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=20000)
    parser.add_argument("--hazards", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print_machine()
    from playwright.sync_api import sync_playwright
    with tempfile.TemporaryDirectory(prefix="qj_scale_") as tmp:
        env = clean_env(DATABASE_URL=f"sqlite:///{tmp}/scale.sqlite3", PORT=str(free_port()))
        import subprocess
        started = time.perf_counter()
        subprocess.run([sys.executable, str(ROOT / "bench" / "synthetic_load.py"), "--enterprises",
                        str(args.enterprises), "--hazards", str(args.hazards)], env=env, check=True, cwd=ROOT)
        print(f"database built in {time.perf_counter() - started:.1f} s")
        with served_app(env, Path(tmp) / "serve.log") as base:
            totals = json.loads(http_get(base + "/healthz")[1])["counts"]
            filtered = json.loads(http_get(base + f"/api/v1/layers/hazards?view=map&township={TOWNSHIP[0]}")[1])
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                runs = [_one_run(browser, base, totals, len(filtered["features"])) for _ in range(args.repeat)]
                browser.close()
    result = {"enterprises": totals["enterprises"], "hazards": totals["hazards"], "runs": len(runs)}
    for key in ("first_paint_s", "payload_bytes", "filter_browser_s", "filter_server_ms_sum", "filter_server_ms_max"):
        values = [r[key] for r in runs]
        result[key] = {"median": round(statistics.median(values), 3), "max": round(max(values), 3)}
    result["filter_requests"] = runs[0]["filter_requests"]
    result["hosts"] = sorted({h for r in runs for h in r["hosts"]})
    emit(result)
    if result["hosts"] != ["127.0.0.1"]:
        sys.exit(f"requests left 127.0.0.1: {result['hosts']}")


if __name__ == "__main__":
    main()
