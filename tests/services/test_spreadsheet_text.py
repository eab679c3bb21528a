"""Workbooks written from data hold text, never live formulas: plans, dispatch sheets and import templates.

Each workbook is reopened with openpyxl (data_only=False, so a formula would show as one) and every cell
is checked: no data type "f", the hostile name read back as the very same string, numbers still numbers.
"""
from __future__ import annotations

import io

import openpyxl
import pytest

from config import load_settings
from services.data.specs import Column, EntitySpec
from services.data.spreadsheet import append_row, sheet_title
from services.data.templates import template_xlsx
from services.evacuation.plans import plan_workbook
from services.supply.dispatch_sheet import dispatch_workbook

HOSTILE = ['=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "=1+1", "\t=1"]


def cells(content: bytes) -> list:
    book = openpyxl.load_workbook(io.BytesIO(content), data_only=False)
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def assert_all_text(content: bytes, expected: list[str]) -> list:
    found = cells(content)
    assert [c.coordinate for c in found if c.data_type == "f"] == []
    values = [c.value for c in found]
    for text in expected:
        assert text in values, text
    for c in found:
        if isinstance(c.value, str) and c.value[:1] in "=+-@\t":
            assert c.quotePrefix, c.coordinate  # Excel keeps such a cell text even when it is edited
    return found


def hostile_plan(names: list[str]):
    import datetime as dt

    from services.evacuation.plan_result import (
        Assignment,
        DemandRow,
        PlanResult,
        PlanShelter,
        PlanTotals,
        RoadNetworkUsed,
        SavedPlan,
    )
    from services.evacuation.scenario import Scenario
    demand = tuple(DemandRow(i, n, "城西街道", 108.7, 29.5, 10 + i,
                             (Assignment(i, names[-1 - i], 10 + i, 600, (108.7, 29.5), None, ()),), 0, None)
                   for i, n in enumerate(names))
    shelters = tuple(PlanShelter(i, n, n, 108.7, 29.5, 50, 10, 40) for i, n in enumerate(names))
    return SavedPlan(1, names[0], dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc), "x", PlanResult(
        Scenario(), RoadNetworkUsed(True, 0, 0, 0), PlanTotals(len(names), 100, 100, 0, 600, 600), demand, shelters))


def test_the_evacuation_plan_workbook_writes_names_as_text():
    found = assert_all_text(plan_workbook(hostile_plan(HOSTILE), load_settings()), HOSTILE)
    assert 600.0 / 60 in [c.value for c in found]  # travel minutes stay a number
    assert {c.data_type for c in found if isinstance(c.value, int)} == {"n"}


def test_the_dispatch_workbook_writes_names_and_plates_as_text():
    from services.supply.route_plan import RoutePlan, RouteTotals, Stop, StopItem, VehicleRoute
    stops = tuple(Stop(i, n, 100.5, 1.2, 3900, None, False, i == 0, (StopItem("X", "=1+2", "袋", 2.0),))
                  for i, n in enumerate(HOSTILE))
    plan = RoutePlan(True, False, (VehicleRoute("=渝A:1234?", "@货车", "-库", stops, 300, 12_345, 5400),), (),
                     RouteTotals(12_345, 5400, 300))
    content = dispatch_workbook(plan)
    found = assert_all_text(content, HOSTILE + ["=渝A:1234?", "@货车", "-库", "=1+2 2袋", "1:05"])
    assert 100.5 in [c.value for c in found] and 12.3 in [c.value for c in found]
    assert openpyxl.load_workbook(io.BytesIO(content)).sheetnames == ["=渝A_1234_"]


def test_an_import_template_writes_its_headers_and_notes_as_text():
    spec = EntitySpec("x", "=表", "X", (Column("=SUM(A1:A9)", "a", "choice", choices=("-1", "+2"), header_en="@a"),),
                      id_field="a", has_location=False)
    assert_all_text(template_xlsx(spec).getvalue(), ["=SUM(A1:A9)", "@a"])


def test_append_row_keeps_numbers_and_blanks_and_cleans_characters_xml_cannot_hold():
    book = openpyxl.Workbook()
    append_row(book.active, [1, 2.5, None, "", "a\x00b", "=x"])
    buffer = io.BytesIO()
    book.save(buffer)
    row = next(openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active.iter_rows(values_only=True))
    assert row[:2] == (1, 2.5) and row[2] is None and row[4] == "a\ufffdb" and row[5] == "=x"


@pytest.mark.parametrize("text, title", [("城西街道", "城西街道"), ("渝A:1/2*[3]?", "渝A_1_2__3__"), ("x" * 40, "x" * 31),
                                         ("", "-")])
def test_sheet_titles_from_data_are_valid(text, title):
    assert sheet_title(text) == title
    openpyxl.Workbook().create_sheet(sheet_title(text))
