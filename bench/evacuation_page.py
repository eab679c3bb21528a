"""Benchmark: a whole-district evacuation plan on the 疏散安置 page, from the click to the drawn result.

Serves the app on SQLite seeded with the sample, signs in, opens /evacuation and clicks 计算方案 with no filter
(every hazard point of the district) ``--repeat`` times, each time measuring from the click until the totals,
the assignment table and the flows on the map are drawn; also the server callback (request start to response
end) and the size of its answer, and the API computing the same plan (POST /api/v1/evacuation/plans).
Target (issue 12): under 1 s in the page.

    python bench/evacuation_page.py [--repeat 5]
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import TOKENS, clean_env, emit, free_port, print_machine, run_app, served_app, sign_in  # noqa: E402
from page_load import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

LIMIT_S = 1.0
# Drawn: the totals of the plan with id > previous, its assignment rows, and flow lines on the map.
DRAWN = ("(before) => { const t = document.querySelector('.plan-totals');"
         " const s = document.querySelector('#plan-saved'); if (!t || !s || s.innerText === before) return false;"
         " return document.querySelectorAll('.plan-rows .dash-cell, .plan-rows td').length > 0 &&"
         " document.querySelectorAll('#plan-map path.leaflet-interactive').length > 0; }")


def _callback(page) -> tuple[float, float]:
    """The last /_dash-update-component: duration (ms) and transferred size (kB)."""
    return tuple(page.evaluate(
        "() => { const e = performance.getEntriesByType('resource').filter(x => x.name.includes("
        "'_dash-update-component')).pop(); return e ? [e.duration, (e.encodedBodySize || e.transferSize) / 1024]"
        " : [0, 0]; }"))


def _api_plan(base: str, timings: list[float]) -> int:
    """POST the same whole-district plan to the API (the admin's token); its time appended; its hazard points."""
    request = urllib.request.Request(base + "/api/v1/evacuation/plans", data=json.dumps({}).encode(),
                                     headers={"Content-Type": "application/json",
                                              "Authorization": f"Bearer {TOKENS[base]}"}, method="POST")
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:
        body = json.load(response)
    timings.append((time.perf_counter() - start) * 1000)
    totals = body.get("totals") or body.get("plan", {}).get("totals") or {}
    return int(totals.get("demand_points", 0))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright
    print_machine()
    with tempfile.TemporaryDirectory(prefix="qj_bench_evac_") as tmp:
        env = clean_env(DATABASE_URL=f"sqlite:///{tmp}/evac.sqlite3", PORT=str(free_port()))
        run_app(["seed"], env)
        with served_app(env, Path(tmp) / "serve.log") as base, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
            page = context.new_page()
            sign_in(page, base)
            page.goto(base + "/evacuation")
            page.wait_for_selector("#evac-check.ok, #evac-check.short", timeout=60_000)
            drawn, server, sizes, api, points = [], [], [], [], 0
            for _ in range(args.repeat):
                before = page.locator("#plan-saved").inner_text()
                start = time.perf_counter()
                page.locator("#plan-run").click()
                page.wait_for_function(DRAWN, arg=before, timeout=120_000)
                drawn.append((time.perf_counter() - start) * 1000)
                took, size = _callback(page)
                server.append(took)
                sizes.append(size)
                points = _api_plan(base, api)
            context.close()
            browser.close()
    result = {"drawn_ms": [round(x) for x in drawn], "drawn_median_ms": round(statistics.median(drawn)),
              "callback_median_ms": round(statistics.median(server)),
              "callback_kb": round(statistics.median(sizes)), "api_median_ms": round(statistics.median(api)),
              "hazard_points": points, "limit_ms": LIMIT_S * 1000}
    print(f"whole-district plan ({points} hazard points), click → drawn: median {result['drawn_median_ms']} ms "
          f"(runs {result['drawn_ms']}); its callback median {result['callback_median_ms']} ms, "
          f"{result['callback_kb']} kB; the API computing the same plan: median {result['api_median_ms']} ms")
    emit(result)


if __name__ == "__main__":
    main()
