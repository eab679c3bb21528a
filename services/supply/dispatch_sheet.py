"""The supply dispatch workbook (物资调度单): one sheet per vehicle with its stops, loads and arrival times.

Names come from the data (shelters, depots, plates), so every cell is written as text, never as a formula.
"""
from __future__ import annotations

import io

import openpyxl

from services.data.spreadsheet import append_row, sheet_title


def items_text(stop: dict) -> str:
    """The items unloaded at a stop, e.g. ``大米 200袋、饮用水 50箱``."""
    return "、".join(f"{x['name']} {x['quantity']:g}{x['unit']}" for x in stop["items"])


def clock_text(seconds: float) -> str:
    """A duration as hours:minutes, e.g. ``1:05``."""
    return f"{int(seconds // 3600)}:{int(seconds % 3600 // 60):02d}"


def dispatch_workbook(plan: dict) -> bytes:
    """The .xlsx of a supply route plan (``services.supply.routes.plan_supply_routes``)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for v in plan["vehicles"]:
        sheet = book.create_sheet(sheet_title(v["plate"]))
        append_row(sheet, ["车牌", v["plate"], "车型", v["kind"], "出发储备库", v["depot"]])
        append_row(sheet, ["装载(千克)", v["kg"], "里程(公里)", round(v["distance_m"] / 1000, 1), "用时",
                           clock_text(v["duration_s"])])
        append_row(sheet, [])
        append_row(sheet, ["顺序", "避难场所", "紧急物资", "物资", "卸货(千克)", "体积(立方米)", "预计到达(出发后)"])
        for k, s in enumerate(v["stops"], start=1):
            append_row(sheet, [k, s["name"], "是" if s["critical"] else "", items_text(s), s["kg"], s["m3"],
                               clock_text(s["eta_s"])])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
