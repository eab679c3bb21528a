"""Screenshots of 疏散安置 for docs/screenshots/ (headless chromium, the sample database): the page and a
whole-district plan, in Chinese and English, at 1920×1080 and 1366×768.

    python bench/screenshots_evacuation.py
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, clean_env, free_port, run_app, served_app, sign_in  # noqa: E402
from page_load import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
SIZES = ((1920, 1080, ""), (1366, 768, "_1366"))


def main() -> None:
    from playwright.sync_api import sync_playwright
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="qj_shots_evac_") as tmp:
        env = clean_env(DATABASE_URL=f"sqlite:///{tmp}/shots.sqlite3", PORT=str(free_port()))
        run_app(["seed"], env)
        with served_app(env, Path(tmp) / "serve.log") as base, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for lang, tag in (("zh", ""), ("en", "_en")):
                for width, height, size in SIZES:
                    context = browser.new_context(viewport={"width": width, "height": height})
                    page = context.new_page()
                    sign_in(page, base)
                    page.goto(f"{base}/evacuation?lang={lang}")
                    page.wait_for_selector("#evac-check.ok, #evac-check.short", timeout=60_000)
                    page.wait_for_timeout(800)
                    page.screenshot(path=str(OUT / f"evacuation{tag}{size}.png"))
                    page.locator("#plan-run").click()
                    page.wait_for_selector(".plan-rows .dash-cell", timeout=60_000)
                    page.evaluate("() => document.querySelector('.plan-pickers').scrollIntoView()")
                    page.wait_for_timeout(1500)
                    page.screenshot(path=str(OUT / f"evacuation_plan{tag}{size}.png"))
                    context.close()
            browser.close()


if __name__ == "__main__":
    main()
