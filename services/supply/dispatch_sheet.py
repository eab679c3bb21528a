"""The supply dispatch workbook (物资调度单): one sheet per vehicle with its stops, loads and arrival times.

Names come from the data (shelters, depots, plates), so every cell is written as text, never as a formula;
headers come from the catalogue (services/text/exports.py, ``export.sheet.*``) in the reader's language.
"""
from __future__ import annotations

import io

import openpyxl

from services.data.spreadsheet import append_row, sheet_title
from services.text import t, term


def items_text(stop: dict, lang: str = "zh") -> str:
    """The items unloaded at a stop, e.g. ``大米 200袋、饮用水 50箱``."""
    return t("list.separator", lang).join(t("export.sheet.item", lang, name=x["name"], quantity=f"{x['quantity']:g}",
                                            unit=x["unit"]) for x in stop["items"])


def clock_text(seconds: float) -> str:
    """A duration as hours:minutes, e.g. ``1:05``."""
    return f"{int(seconds // 3600)}:{int(seconds % 3600 // 60):02d}"


def _headers(lang: str, *keys: str) -> list[str]:
    return [t(f"export.sheet.{key}", lang) for key in keys]


def dispatch_workbook(plan: dict, lang: str = "zh") -> bytes:
    """The .xlsx of a supply route plan (``services.supply.routes.plan_supply_routes``)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    plate, kind, depot, kg, km, duration = _headers(lang, "plate", "kind", "depot", "kg", "km", "duration")
    yes = t("export.sheet.yes", lang)
    for v in plan["vehicles"]:
        sheet = book.create_sheet(sheet_title(v["plate"]))
        append_row(sheet, [plate, v["plate"], kind, term(v["kind"], lang), depot, v["depot"]])
        append_row(sheet, [kg, v["kg"], km, round(v["distance_m"] / 1000, 1), duration, clock_text(v["duration_s"])])
        append_row(sheet, [])
        append_row(sheet, _headers(lang, "order", "shelter", "critical", "items", "unload_kg", "m3", "eta"))
        for k, s in enumerate(v["stops"], start=1):
            append_row(sheet, [k, s["name"], yes if s["critical"] else "", items_text(s, lang), s["kg"], s["m3"],
                               clock_text(s["eta_s"])])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
