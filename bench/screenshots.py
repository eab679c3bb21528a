"""Screenshots for docs/screenshots/ (headless chromium, the sample database): the map's views at 1920×1080, then
every page in both languages at 1920×1080 and 1366×768, named {page}-{lang}-{width}.png (map-zh-1920.png,
duty-en-1366.png, ...), after a little activity (an incident, a warning, a closure) so the duty view has content.

    python bench/screenshots.py          (make screenshots)
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, clean_env, free_port, run_app, served_app, sign_in  # noqa: E402
from duty_screenshots import activity  # noqa: E402
from page_load import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
READY = "() => document.querySelectorAll('.qj-marker.qj-hazards').length > 0 && window.qj.rendered.townships === 30"
ANALYSIS_READY = ("() => document.querySelectorAll('.an-graph .main-svg').length >= 5 && "
                  "window.qj.rendered.townships >= 30")


SIZES = ((1920, 1080), (1366, 768))
LANGUAGES = ("zh", "en")


def _supply_plan(page, _incident_id: int) -> None:
    page.locator("#sup-seconds").fill("3")
    page.locator("#sup-run").click()
    page.wait_for_selector(".plan-totals", timeout=60_000)


def _duty_incident(page, incident_id: int) -> None:
    page.locator("#duty-dispatch-incident").click()
    page.get_by_role("listbox").get_by_text(f"#{incident_id} ", exact=False).first.click()
    page.wait_for_selector(".duty-stage.current", timeout=60_000)


# name, path, what shows the page is drawn (a selector or a function), what to do before the picture
PAGES = (("map", "/", READY, None),
         ("evacuation", "/evacuation", "#evac-check.ok, #evac-check.short", None),
         ("supply", "/supply", ".plan-map.leaflet-container", _supply_plan),
         ("duty", "/duty", ".duty-card", _duty_incident),
         ("analysis", "/analysis", ANALYSIS_READY, None),
         ("supervision", "/supervision", "#safe-lists h4", None),
         ("data", "/data", ".upload-box", None),
         ("users", "/users", ".users-page table", None),
         ("field", "/m", ".m-tabs", None))


def every_page(browser, base: str, incident_id: int) -> None:
    """Each page in each language at each size: {page}-{lang}-{width}.png."""
    for lang in LANGUAGES:
        for width, height in SIZES:
            page = browser.new_page(viewport={"width": width, "height": height})
            sign_in(page, base)
            for name, path, ready, step in PAGES:
                page.goto(f"{base}{path}?lang={lang}")
                if ready.startswith("()"):
                    page.wait_for_function(ready, timeout=60_000)
                else:
                    page.wait_for_selector(ready, timeout=60_000)
                if step is not None:
                    step(page, incident_id)
                page.wait_for_timeout(1200)  # tiles, charts and the maps' fit-to-bounds settle
                page.screenshot(path=str(OUT / f"{name}-{lang}-{width}.png"))
            page.close()


def choose(page, dropdown: str, option: str) -> None:
    page.locator(f"#{dropdown}").click()
    page.get_by_role("listbox").get_by_text(option, exact=True).click()


def analysis(page, base: str, name: str, tabs: bool = True) -> None:
    """分析研判: the first view, then (at full size) the coverage, siting and trend tabs."""
    page.goto(base + "/analysis")
    page.wait_for_function(ANALYSIS_READY, timeout=60_000)
    page.wait_for_timeout(1200)
    page.screenshot(path=str(OUT / f"{name}.png"))
    if not tabs:
        return
    page.locator(".an-tabs .tab", has_text="覆盖缺口").click()
    page.wait_for_selector("#an-cov-tables .dash-spreadsheet", timeout=60_000)
    page.locator(".an-tabs").scroll_into_view_if_needed()
    page.wait_for_timeout(1000)
    page.screenshot(path=str(OUT / f"{name}_coverage.png"))
    page.locator(".an-tabs .tab", has_text="选址分析").click()
    page.locator("#an-site-run").click()
    page.wait_for_selector("#an-site-result .an-summary", timeout=60_000)
    page.wait_for_timeout(1000)
    page.screenshot(path=str(OUT / f"{name}_siting.png"))


def main() -> None:
    from playwright.sync_api import sync_playwright
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="qj_shots_") as tmp:
        env = clean_env(DATABASE_URL=f"sqlite:///{tmp}/shots.sqlite3", PORT=str(free_port()))
        run_app(["seed"], env)
        with served_app(env, Path(tmp) / "serve.log") as base, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1920, "height": 1080})
            sign_in(page, base)
            page.goto(base + "/")
            page.wait_for_function(READY, timeout=60_000)
            page.wait_for_timeout(800)
            page.screenshot(path=str(OUT / "map_default.png"))
            choose(page, "map-choropleth", "受威胁人数")
            page.wait_for_selector("#map-choropleth-legend .legend-row")
            page.wait_for_timeout(800)
            page.screenshot(path=str(OUT / "map_choropleth_threatened.png"))
            page.locator("#map-search").fill("濯水古镇")
            page.locator(".search-hit").first.click()
            page.wait_for_selector(".details-panel:not(.hidden) .details-title")
            page.wait_for_timeout(3500)  # the fly-to animation takes about 2 s
            page.screenshot(path=str(OUT / "map_details_search.png"))
            page.goto(base + "/evacuation")
            page.wait_for_selector("#evac-check.ok, #evac-check.short")
            page.wait_for_timeout(800)
            page.screenshot(path=str(OUT / "evacuation.png"), full_page=True)
            page.locator("#plan-run").click()
            page.wait_for_selector(".plan-totals", timeout=60_000)
            page.locator(".plan-section").scroll_into_view_if_needed()
            page.wait_for_timeout(1500)
            page.screenshot(path=str(OUT / "evacuation_plan.png"))
            page.goto(base + "/supply")
            page.locator("#sup-seconds").fill("3")
            page.locator("#sup-run").click()
            page.wait_for_selector(".plan-totals", timeout=60_000)
            page.wait_for_timeout(1500)
            page.screenshot(path=str(OUT / "supply_routes.png"))
            page.goto(base + "/duty")
            page.wait_for_selector(".duty-card")
            page.wait_for_timeout(1000)
            page.screenshot(path=str(OUT / "duty.png"))
            page.goto(base + "/?lang=en")
            page.wait_for_function(READY, timeout=60_000)
            page.wait_for_timeout(800)
            page.screenshot(path=str(OUT / "map_english.png"))
            analysis(page, base, "analysis")
            laptop = browser.new_page(viewport={"width": 1366, "height": 768})
            sign_in(laptop, base)
            analysis(laptop, base, "analysis_1366", tabs=False)
            laptop.close()
            every_page(browser, base, activity(base))
            browser.close()
    print("\n".join(str(p.relative_to(ROOT)) for p in sorted(OUT.glob("*.png"))))


if __name__ == "__main__":
    main()
