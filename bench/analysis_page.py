"""Benchmark: the 分析研判 page drawn with every chart, in headless chromium, on the sample database.

Serves the app on SQLite seeded with the sample, signs in, then opens /analysis ``--repeat`` times, each in a new
browser context (empty cache), and measures from navigation start until the indicator cards, the five charts of
the first view and the 30 shaded townships are drawn; also the slowest server callback of the load. Then one
filter change (a township) until the cards change. Target (issue 11): under 2 s.

    python bench/analysis_page.py [--repeat 5]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import clean_env, emit, free_port, print_machine, run_app, served_app, sign_in  # noqa: E402
from page_load import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

DRAWN = ("() => document.querySelectorAll('#an-cards .an-card').length >= 7 && "
         "document.querySelectorAll('.an-graph .main-svg').length >= 5 && window.qj && "
         "window.qj.rendered.townships >= 30")
LIMIT_S = 2.0


def _callbacks(page) -> float:
    """The slowest /_dash-update-component of the load, in ms (request start to response end)."""
    return page.evaluate("() => Math.max(0, ...performance.getEntriesByType('resource')"
                         ".filter(e => e.name.includes('_dash-update-component')).map(e => e.duration))")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright
    print_machine()
    with tempfile.TemporaryDirectory(prefix="qj_bench_an_") as tmp:
        env = clean_env(DATABASE_URL=f"sqlite:///{tmp}/an.sqlite3", PORT=str(free_port()))
        run_app(["seed"], env)
        with served_app(env, Path(tmp) / "serve.log") as base, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            drawn, slowest, filtered = [], [], []
            for _ in range(args.repeat):
                context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
                page = context.new_page()
                sign_in(page, base)
                start = time.perf_counter()
                page.goto(base + "/analysis")
                page.wait_for_function(DRAWN, timeout=60_000)
                drawn.append((time.perf_counter() - start) * 1000)
                slowest.append(_callbacks(page))
                before = page.locator("#an-cards .an-card-value").first.inner_text()
                page.locator("#an-township").click()
                page.keyboard.type("城东街道")
                start = time.perf_counter()
                page.get_by_role("option", name="城东街道", exact=True).click()
                page.wait_for_function("(v) => document.querySelector('#an-cards .an-card-value').innerText !== v",
                                       arg=before, timeout=30_000)
                filtered.append((time.perf_counter() - start) * 1000)
                context.close()
            browser.close()
    result = {"drawn_ms": [round(x) for x in drawn], "drawn_median_ms": round(statistics.median(drawn)),
              "slowest_callback_ms": round(statistics.median(slowest)),
              "filter_median_ms": round(statistics.median(filtered)), "limit_ms": LIMIT_S * 1000}
    print(f"page drawn (cards, 5 charts, 30 townships shaded): median {result['drawn_median_ms']} ms "
          f"(runs {result['drawn_ms']}); slowest callback median {result['slowest_callback_ms']} ms; "
          f"a township filter until the cards change: median {result['filter_median_ms']} ms")
    emit(result)


if __name__ == "__main__":
    main()
