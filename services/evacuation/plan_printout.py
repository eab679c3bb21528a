"""A saved evacuation plan on paper: an Excel workbook (a summary, a sheet per township) and a printable page.

Every heading comes from the catalogue in the reader's language; times are shown in the deployment's zone
(services/clock.py), never as stored UTC. Names come from the data: workbook cells are written as text (never
formulas) and page text is escaped.
"""
from __future__ import annotations

import io
from html import escape

from config import Settings
from services.clock import format_local, local_zone
from services.evacuation.plan_result import OBJECTIVE_KEY, DemandRow, SavedPlan
from services.text import drill_marked, t

_PAGE_STYLE = ("body{font-family:'Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:16mm;color:#111}"
               "table{border-collapse:collapse;width:100%;font-size:11pt;margin-bottom:8mm}"
               "th,td{border:1px solid #999;padding:3px 6px;text-align:left}th{background:#eee}"
               ".note{color:#555;font-size:10pt}.totals{font-weight:bold}h2{page-break-after:avoid}"
               "@page{size:A4;margin:12mm}")


def _township(code: str | None, name: str, names: dict[str, str] | None) -> str:
    """A township as the reader reads it: by its code (or, in plans saved before codes were kept, its stored name)
    in ``names`` (services.data.geography.township_names), else as stored."""
    names = names or {}
    return names.get(code or "", names.get(name, name))


def _by_township(saved: SavedPlan, names: dict[str, str] | None = None) -> list[tuple[str, list[DemandRow]]]:
    groups: dict[str, list[DemandRow]] = {}
    for d in saved.plan.demand:
        groups.setdefault(_township(d.township_code, d.township_name, names), []).append(d)
    return sorted(groups.items())


def _minutes(seconds) -> str:
    return "—" if seconds is None else f"{seconds / 60:.1f}"


def _reason(d: DemandRow, lang: str) -> str:
    return d.unmet_reason.text(lang) if d.unmet_reason else ""


def plan_workbook(saved: SavedPlan, settings: Settings, lang: str = "zh",
                  townships: dict[str, str] | None = None) -> bytes:
    """The plan as an Excel workbook: a summary sheet, then one sheet per township of the demand points.

    Every cell goes through ``append_row``: a name from the data is text, never a live formula.
    """
    import openpyxl
    from openpyxl.styles import Font

    from services.data.spreadsheet import append_row, sheet_title

    plan, totals = saved.plan, saved.plan.totals
    book = openpyxl.Workbook()
    summary = book.active
    summary.title = sheet_title(t("plan_print.summary_sheet", lang))
    append_row(summary, [t("plan.col_plan", lang), drill_marked(saved.name, settings, lang)])
    append_row(summary, [t("plan_print.made", lang, zone=str(local_zone(settings))),
                         format_local(saved.created_at, settings)])
    append_row(summary, [t("plan_print.author", lang), saved.made_by(lang)])
    append_row(summary, [t("plan_print.objective", lang), t(OBJECTIVE_KEY, lang)])
    for key in ("demand_points", "people", "assigned", "unmet"):
        append_row(summary, [t(f"plan_print.{key}", lang), getattr(totals, key)])
    for key in ("max_travel_s", "mean_travel_s"):  # minutes, as on the page and the sheets below
        seconds = getattr(totals, key)
        append_row(summary, [t(f"plan_print.{key}", lang), "" if seconds is None else round(seconds / 60, 1)])
    if plan.road_network.synthetic:
        append_row(summary, [t("plan_print.network", lang), t("plan.synthetic", lang)])
    append_row(summary, [])
    append_row(summary, [t(k, lang) for k in ("plan.col_shelter", "evac.col_township", "plan_print.available_before",
                                              "plan_print.arrivals", "plan_print.remaining")])
    for s in plan.shelters:
        append_row(summary, [s.name, _township(s.township_code, s.township_name, townships), s.available_before,
                             s.arrivals, s.remaining])
    heads = ("plan.col_hazard", "plan_print.people_to_move", "plan.col_shelter", "plan.col_people",
             "plan.col_minutes", "plan.unmet_title", "plan.col_reason")
    for township, rows in _by_township(saved, townships):
        sheet = book.create_sheet(sheet_title(township))
        append_row(sheet, [t(k, lang) for k in heads])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for d in rows:
            for k, a in enumerate(d.assigned or (None,)):
                first = k == 0
                append_row(sheet, [d.name if first else "", d.people if first else "",
                                   a.shelter_name if a else "", a.people if a else "",
                                   round(a.travel_s / 60, 1) if a else "", d.unmet if first else "",
                                   _reason(d, lang) if first else ""])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def plan_html(saved: SavedPlan, settings: Settings, lang: str = "zh", townships: dict[str, str] | None = None) -> str:
    """A printable page of the plan (A4, tables per township); every text from data is escaped."""
    plan, totals = saved.plan, saved.plan.totals
    sep = t("list.separator", lang)
    made = t("plan_print.made_by", lang, time=format_local(saved.created_at, settings),
             zone=str(local_zone(settings)), actor=saved.made_by(lang))
    figures = t("plan.totals", lang, points=totals.demand_points, people=f"{totals.people:,}",
                assigned=f"{totals.assigned:,}", unmet=f"{totals.unmet:,}", max=_minutes(totals.max_travel_s),
                mean=_minutes(totals.mean_travel_s))
    parts = [f"<h1>{escape(saved.name)}</h1>", f"<p>{escape(made)}</p>", f"<p class='totals'>{escape(figures)}</p>",
             f"<p class='note'>{escape(t(OBJECTIVE_KEY, lang))}</p>"]
    if plan.road_network.synthetic:
        parts.append(f"<p class='note'>{escape(t('plan.synthetic', lang))}</p>")
    heads = "".join(f"<th>{escape(t(k, lang))}</th>" for k in (
        "plan.col_hazard", "plan_print.people_to_move", "plan.col_shelter", "plan.col_people", "plan.col_minutes",
        "plan_print.via", "plan.unmet_title"))
    for township, rows in _by_township(saved, townships):
        body = []
        for d in rows:
            unmet = t("plan_print.unmet_cell", lang, unmet=d.unmet, reason=_reason(d, lang)) if d.unmet else ""
            for a in d.assigned or (None,):
                body.append("<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in (
                    d.name, d.people, a.shelter_name if a else "—", a.people if a else "—",
                    _minutes(a.travel_s) if a else "—", sep.join(a.via) if a else "", unmet)) + "</tr>")
        parts.append(f"<h2>{escape(township)}</h2><table><thead><tr>{heads}</tr></thead>"
                     f"<tbody>{''.join(body)}</tbody></table>")
    return (f"<!DOCTYPE html><html lang='{'en' if lang == 'en' else 'zh-CN'}'><head><meta charset='utf-8'>"
            f"<title>{escape(saved.name)}</title><style>{_PAGE_STYLE}</style></head><body>{''.join(parts)}</body></html>")
