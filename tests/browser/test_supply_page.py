"""The supply page as a dispatcher uses it: ★ critical items listed first at every stop, the driver on each
vehicle, and after planning again the change summary per truck (nothing changed: every truck keeps its route)."""
from __future__ import annotations

from services.text import t


def _items_critical_first(cell_text: str) -> bool:
    marks = [x.strip().startswith("★") for x in cell_text.split(t("list.separator", "zh")) if x.strip()]
    return bool(marks) and marks == sorted(marks, reverse=True)


def test_supply_page_lists_critical_items_first_and_the_changes_after_a_replan(page, served):
    page.goto(served + "/supply", timeout=60_000)
    page.locator("#sup-seconds").fill("1")
    page.locator("#sup-run").click()
    page.wait_for_selector(".vehicle-table", timeout=60_000)
    cells = page.locator(".vehicle-table td.stop-items").all_inner_texts()
    assert cells and all(_items_critical_first(c) for c in cells), cells
    assert any(c.strip().startswith("★") for c in cells)
    drivers = page.locator(".vehicle-driver").all_inner_texts()
    assert len(drivers) == page.locator(".vehicle-table").count()
    assert all(d.startswith("驾驶员") and t("sup.unknown", "zh") not in d for d in drivers)
    page.locator("#sup-run").click()  # plan again with nothing changed
    page.wait_for_selector(".plan-changes", timeout=60_000)
    rows = page.locator(".plan-changes tbody tr")
    assert rows.count() == len(drivers)
    assert page.locator(".plan-changes tbody tr.change-same").count() == rows.count()
    summary = page.locator(".plan-changes-block p").inner_text()
    assert summary.startswith(f"{rows.count()} 辆车路线不变")
    assert page.recorder.console_errors == []
