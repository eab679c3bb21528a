"""Screenshots of 值班态势 for docs/screenshots/ (headless chromium, the sample database, a little activity):
duty_{zh,en}_{1920,1366}.png with an incident chosen (its steps and timeline), a warning and a closure in the feed.

    python bench/duty_screenshots.py
"""
from __future__ import annotations

import json
import sys
import tempfile
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, clean_env, free_port, run_app, served_app, sign_in  # noqa: E402
from page_load import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def post(base: str, path: str, body: dict) -> dict:
    request = urllib.request.Request(base + path, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def activity(base: str) -> int:
    """An incident moved to 核实 with a note, a warning with one of two 叫应, a closure: what a shift looks like."""
    incident = post(base, "/api/v1/incidents", {"title": "城西街道示例滑坡", "kind": "滑坡", "level": "Ⅲ",
                                                "lon": 108.7748, "lat": 29.5328, "people_affected": 40})
    post(base, f"/api/v1/incidents/{incident['id']}/status", {"status": "核实", "note": "现场核实，裂缝扩大"})
    warning = post(base, "/api/v1/warnings", {"level": "橙", "hazard_type": "地质灾害", "headline": "城西暴雨地灾预警",
                                              "townships": ["500114002"], "include_hazard_monitors": False,
                                              "recipients": [{"name": "示例甲"}, {"name": "示例乙"}]})
    post(base, f"/api/v1/warnings/{warning['id']}/ack", {"recipient_id": warning["recipients"][0]["id"]})
    post(base, "/api/v1/roads/blocks", {"point": [108.7748, 29.5328], "reason": "示例塌方"})
    return incident["id"]


def shoot(browser, base: str, incident_id: int, lang: str, width: int, height: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": height})
    sign_in(page, base)
    page.goto(f"{base}/duty?lang={lang}")
    page.wait_for_selector(".duty-card")
    page.locator("#duty-dispatch-incident").click()
    page.get_by_role("listbox").get_by_text(f"#{incident_id} ", exact=False).first.click()
    page.wait_for_selector(".duty-stage.current")
    page.wait_for_timeout(1200)
    page.screenshot(path=str(OUT / f"duty_{lang}_{width}.png"))
    page.locator("#duty-warnings").scroll_into_view_if_needed()  # the 叫应 board and the feed, lower in the panel
    page.wait_for_timeout(400)
    page.screenshot(path=str(OUT / f"duty_{lang}_{width}_board.png"))
    page.close()


def main() -> None:
    from playwright.sync_api import sync_playwright
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="qj_duty_shots_") as tmp:
        env = clean_env(DATABASE_URL=f"sqlite:///{tmp}/shots.sqlite3", PORT=str(free_port()))
        run_app(["seed"], env)
        with served_app(env, Path(tmp) / "serve.log") as base, sync_playwright() as p:
            incident_id = activity(base)
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for lang in ("zh", "en"):
                for width, height in ((1920, 1080), (1366, 768)):
                    shoot(browser, base, incident_id, lang, width, height)
            browser.close()
    print("\n".join(str(p.relative_to(ROOT)) for p in sorted(OUT.glob("duty_*.png"))))


if __name__ == "__main__":
    main()
