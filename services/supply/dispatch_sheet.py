"""The supply dispatch sheets (物资调度单): one per vehicle with its stops, loads and arrival times, as a workbook
(a sheet per vehicle) or a printable page (a page per vehicle), headings from the catalogue.

Names come from the data (shelters, depots, plates), so every cell is written as text, never as a formula, and
every text on the page is escaped; headings come from the catalogue (services/text/exports.py, ``export.sheet.*``)
in the reader's language.
"""
from __future__ import annotations

import io
from html import escape

import openpyxl

from services.data.spreadsheet import append_row, sheet_title
from services.supply.route_plan import RoutePlan, Stop
from services.text import label, t, term

_PAGE_STYLE = ("body{font-family:'Noto Sans CJK SC','Microsoft YaHei',sans-serif}section{page-break-after:always}"
               "table{border-collapse:collapse;width:100%}th,td{border:1px solid #999;padding:4px 6px;text-align:left}"
               "td:last-child{width:18%}@page{size:A4;margin:12mm}")


def items_text(stop: Stop, lang: str = "zh") -> str:
    """The items unloaded at a stop, e.g. ``大米 200袋、饮用水 50箱``."""
    return t("list.separator", lang).join(t("export.sheet.item", lang, name=label("item", x.code, x.name, lang),
                                            quantity=f"{x.quantity:g}", unit=label("unit", x.unit, x.unit, lang))
                                          for x in stop.items)


def clock_text(seconds: float) -> str:
    """A duration as hours:minutes, e.g. ``1:05``."""
    return f"{int(seconds // 3600)}:{int(seconds % 3600 // 60):02d}"


def _headers(lang: str, *keys: str) -> list[str]:
    return [t(f"export.sheet.{key}", lang) for key in keys]


def dispatch_workbook(plan: RoutePlan, lang: str = "zh") -> bytes:
    """The .xlsx of a supply route plan (``services.supply.routes.solve_supply_routes``)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    plate, kind, depot, kg, km, duration = _headers(lang, "plate", "kind", "depot", "kg", "km", "duration")
    yes = t("export.sheet.yes", lang)
    for v in plan.vehicles:
        sheet = book.create_sheet(sheet_title(v.plate))
        append_row(sheet, [plate, v.plate, kind, term(v.kind, lang), depot, v.depot])
        append_row(sheet, [kg, v.kg, km, round(v.distance_m / 1000, 1), duration, clock_text(v.duration_s)])
        append_row(sheet, [])
        append_row(sheet, _headers(lang, "order", "shelter", "critical", "items", "unload_kg", "m3", "eta"))
        for k, s in enumerate(v.stops, start=1):
            append_row(sheet, [k, s.name, yes if s.critical else "", items_text(s, lang), s.kg, s.m3,
                               clock_text(s.eta_s)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def dispatch_html(plan: RoutePlan, lang: str = "zh") -> str:
    """The dispatch sheets as one printable page, a page per vehicle, with a column to sign on receipt."""
    heads = "".join(f"<th>{escape(t(f'export.sheet.{k}', lang))}</th>"
                    for k in ("order", "shelter", "items", "kg_short", "eta_short", "signed"))
    pages = []
    for v in plan.vehicles:
        rows = "".join(
            f"<tr><td>{k}</td><td>{escape(s.name)}{' ★' if s.critical else ''}</td><td>{escape(items_text(s, lang))}"
            f"</td><td>{s.kg:,}</td><td>{clock_text(s.eta_s)}</td><td></td></tr>"
            for k, s in enumerate(v.stops, start=1))
        summary = t("export.sheet.summary", lang, kind=v.kind, depot=v.depot, kg=f"{v.kg:,}",
                    km=f"{v.distance_m / 1000:.1f}", time=clock_text(v.duration_s))
        pages.append(f"<section><h1>{escape(t('export.sheet.heading', lang, plate=v.plate))}</h1>"
                     f"<p>{escape(summary)}</p><table><thead><tr>{heads}</tr></thead><tbody>{rows}</tbody></table>"
                     "</section>")
    return (f"<!DOCTYPE html><html lang='{'en' if lang == 'en' else 'zh-CN'}'><head><meta charset='utf-8'>"
            f"<title>{escape(t('export.sheet.title', lang))}</title><style>{_PAGE_STYLE}</style></head>"
            f"<body>{''.join(pages)}</body></html>")
