"""Two languages throughout: in English no Chinese on any page but the names the data gives; in Chinese no English
widget texts (the dropdown's own texts, the draw tool's tips and buttons).

The English scan reads every page after its data has loaded (the map with a feature's details open, the duty view
with an incident, a warning and a closure in its feed, a saved evacuation plan shown, supply routes planned), takes
out the names that come from the served database (people, enterprises, shelters, hazard points, depots, teams,
stations, villages, addresses, vehicle plates: collected from the database itself, not guessed) and fails on any
CJK character left.
Township names are not taken out: they have an English name and must be shown in it.
"""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.browser.conftest import SETTINGS
from tests.browser.test_duty_page import _undo, post

pytestmark = pytest.mark.browser

CJK = re.compile(r"[\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
LOAD_S = 60_000
# What the page shows, with the texts of SVG charts (plotly) and the hover titles of buttons and links.
PAGE_TEXT = """() => [document.body.innerText,
  ...[...document.querySelectorAll('svg text')].map(e => e.textContent),
  ...[...document.querySelectorAll('[title]')].map(e => e.getAttribute('title')),
  ...[...document.querySelectorAll('input[placeholder]')].map(e => e.getAttribute('placeholder'))].join('\\n')"""


def data_names(served: str) -> list[str]:
    """Every name and free text the served database holds that has no English form, longest first."""
    from services.db.uow import unit_of_work
    from services.models import (  # noqa: F401  (the models the names come from)
        Depot, Enterprise, HazardPoint, MonitoringStation, RescueTeam, Shelter, UserAccount, Vehicle, Village,
    )
    from services.dispatch.warnings import role_text
    from services.models.dispatch import Incident, IncidentEvent, Warning, WarningRecipient
    from services.models.roads import RoadBlock
    columns = [UserAccount.display_name, Vehicle.plate, Vehicle.driver_name, Village.name, HazardPoint.village,
               Enterprise.industrial_park, WarningRecipient.name, Incident.title, Warning.headline,
               RescueTeam.specialties, RescueTeam.equipment]  # incidents and warnings as their authors typed them
    for model in (Enterprise, HazardPoint, Shelter, Depot, RescueTeam, MonitoringStation):
        columns += [model.name, model.address, model.contact_person]
    columns.append(RoadBlock.reason)  # a closure's reason as the duty officer typed it
    names: set[str] = set()
    with unit_of_work(SETTINGS[served]) as uow:
        for column in columns:
            names.update(v for v in uow.session.scalars(select(column).distinct()) if v and CJK.search(v))
        # roles a person typed (乡长); the vocabulary's and the monitors' roles are rendered, so they are not exempt
        names.update(r for r in uow.session.scalars(select(WarningRecipient.role).distinct())
                     if r and CJK.search(r) and role_text(r, "en") == r)
        # notes typed at a step of an incident (a parameter kept as typed)
        names.update(p["note"] for p in uow.session.scalars(select(IncidentEvent.params))
                     if isinstance(p, dict) and isinstance(p.get("note"), str) and CJK.search(p["note"]))
    return sorted(names, key=len, reverse=True)


def chinese_left(text: str, names: list[str]) -> list[str]:
    """The lines of ``text`` that still hold CJK once the data's names are taken out."""
    for name in names:
        text = text.replace(name, "")
    return sorted({line.strip() for line in text.split("\n") if CJK.search(line)})


def _scan(page, names: list[str], where: str) -> list[str]:
    text = page.evaluate(PAGE_TEXT)
    switch = page.locator("#lang-switch").inner_text()  # the link to the other language is named in it
    return [f"{where}: {line}" for line in chinese_left(text.replace(switch, ""), names)]


def _open_map_details(page) -> None:
    """Click a hazard point (its marker, as a user does) and wait for its details."""
    page.wait_for_selector(".qj-hazards .qj-glyph", timeout=LOAD_S)
    page.locator(".qj-hazards").first.click(force=True)
    page.wait_for_selector("#map-details:not(.hidden) .details-title", timeout=LOAD_S)


def test_english_pages_show_no_chinese_but_names_from_the_data(page, served):
    names = data_names(served)
    assert len(names) > 1000 and not any(n in names for n in ("城西街道", "水田乡"))  # townships are not exempt
    made, found = [], []
    incident = post(served, "/api/v1/incidents", {"title": "Language scan landslide", "kind": "滑坡", "level": "Ⅳ",
                                                   "lon": 108.7748, "lat": 29.5328})
    made.append(f"/api/v1/incidents/{incident['id']}")
    warning = post(served, "/api/v1/warnings", {"level": "黄", "hazard_type": "地质灾害", "headline": "Language scan",
                                                 "townships": ["500114112"], "include_hazard_monitors": False,
                                                 "recipients": [{"name": "Lang Tester"}]})
    made.append(f"/api/v1/warnings/{warning['id']}/lift")
    block = post(served, "/api/v1/roads/blocks", {"point": [108.7748, 29.5328], "reason": "Language scan"})
    made.append(f"/api/v1/roads/blocks/{block['id']}")
    plan = post(served, "/api/v1/evacuation/plans", {"name": "Language scan plan", "townships": ["500114112",
                                                                                                "500114001"]})
    try:
        page.goto(served + "/?lang=en", timeout=LOAD_S)
        _open_map_details(page)
        page.wait_for_selector(".qj-label.township", timeout=LOAD_S)
        found += _scan(page, names, "map")

        page.goto(served + "/evacuation?lang=en", timeout=LOAD_S)
        page.wait_for_selector("#evac-shelters table, #evac-shelters .dash-table-container", timeout=LOAD_S)
        page.locator("#plan-saved").click()
        page.get_by_role("option", name=f"#{plan['id']}", exact=False).first.click()
        page.wait_for_selector("#plan-result table", timeout=LOAD_S)
        found += _scan(page, names, "evacuation")

        page.goto(served + "/supply?lang=en", timeout=LOAD_S)
        page.wait_for_selector("#sup-depots", timeout=LOAD_S)
        page.locator("#sup-seconds").fill("1")  # a quick solve: the scan needs its texts, not its best routes
        page.locator("#sup-run").click()
        page.wait_for_selector(".vehicle-table", timeout=LOAD_S)
        found += _scan(page, names, "supply")

        page.goto(served + "/duty?lang=en", timeout=LOAD_S)
        page.wait_for_function("() => document.querySelector('.duty-feed') &&"
                               " document.querySelector('.duty-feed').innerText.includes('Language scan')",
                               timeout=LOAD_S)
        page.locator("#duty-dispatch-incident").click()
        page.get_by_role("option", name=f"#{incident['id']}", exact=False).first.click()
        page.wait_for_selector(".duty-stage.current", timeout=LOAD_S)
        found += _scan(page, names, "duty")

        page.goto(served + "/analysis?lang=en", timeout=LOAD_S)
        page.wait_for_selector(".qj-label.township", timeout=LOAD_S)
        found += _scan(page, names, "analysis")

        page.goto(served + "/data?lang=en", timeout=LOAD_S)
        page.wait_for_selector("#data-audit tr, #data-audit li", timeout=LOAD_S)
        found += _scan(page, names, "data")

        page.goto(served + "/users?lang=en", timeout=LOAD_S)
        page.wait_for_selector("table, .dash-table-container", timeout=LOAD_S)
        found += _scan(page, names, "users")
    finally:
        post(served, f"/api/v1/incidents/{incident['id']}/status", {"status": "已结束", "note": "language scan"})
        _undo(served, made[1:])
    assert not found, f"{len(found)} lines with Chinese in English mode:\n" + "\n".join(found)


ENGLISH_WIDGET_TEXTS = ("Select All", "Select all", "Deselect All", "No options found", "No results", "Search",
                        "Draw a polygon", "Draw a rectangle", "Draw a circle", "Delete layers", "Cancel", "Finish",
                        "Click to start drawing", "Clear all", "Save", "Undo")


def _english_widget_texts(page) -> list[str]:
    text = page.evaluate(PAGE_TEXT)
    return sorted({w for w in ENGLISH_WIDGET_TEXTS if re.search(rf"\b{w}\b", text)})


def test_chinese_pages_show_no_english_widget_texts(page, served):
    found = []
    for path, multi in (("/", "#filter-sector"), ("/evacuation", "#plan-townships"),
                        ("/duty", "#duty-w-townships")):
        page.goto(served + path, timeout=LOAD_S)
        page.wait_for_selector(multi, timeout=LOAD_S)
        page.locator(multi).click()  # a multi-choice dropdown open: its select-all and search texts show
        page.keyboard.type("zzzz")  # and nothing matches: its no-match text shows
        page.wait_for_timeout(300)
        found += [f"{path} dropdown: {w}" for w in _english_widget_texts(page)]
        page.keyboard.press("Escape")
        draw = page.locator(".leaflet-draw-draw-polygon")
        if draw.count():
            draw.first.click()  # drawing: the tooltip under the cursor and the toolbar's actions show
            page.mouse.move(900, 500)
            page.wait_for_selector(".leaflet-draw-tooltip", timeout=LOAD_S)
            found += [f"{path} draw tool: {w}" for w in _english_widget_texts(page)]
            page.keyboard.press("Escape")
    assert not found, "\n".join(found)
