"""A 熔断 order printed: Word (.docx) and Excel (.xlsx) through the report writers of services/analysis, so the
controls list looks like the other reports — the title, the area and who issued it, then one table per action
(禁停撤疏) with each site's contact and a column to tick; marked 示例数据 when sample records are listed."""
from __future__ import annotations

import html

from services import vocabulary as v
from services.analysis.report import Report, Section, Table
from services.analysis.report_docx import report_docx
from services.analysis.report_xlsx import report_xlsx
from services.clock import format_local, now_utc
from services.db.uow import UnitOfWork
from services.errors import FieldError
from services.monitoring.control_reads import ItemRecord, OrderDetail, order_detail
from services.text import drill_marked, t, term

LANGUAGES = ("zh", "en")
COLUMNS = ("no", "name", "kind", "township", "contact", "phone", "what", "confirmed", "note")


def _kind(i: ItemRecord, lang: str) -> str:
    parts = [term(p, lang) for p in (i.sector, i.category) if p]
    return " / ".join(parts)


def _what(i: ItemRecord, lang: str) -> str:
    if i.action == v.CONTROL_EVACUATE:
        return t("controls.people", lang, people=i.people or 0)
    if i.layer == "roads":
        return t("controls.roads_through", lang, roads=i.detail or t("controls.roads_unnamed", lang))
    return ""


def _confirmed(i: ItemRecord, settings, lang: str) -> str:
    if i.confirmed_at is None:
        return t("controls.box", lang)
    return t("controls.confirmed_by", lang, at=format_local(i.confirmed_at, settings), by=i.confirmed_by or "")


def _table(action: str, items: list[ItemRecord], settings, lang: str) -> Table:
    header = [t(f"controls.col.{c}", lang) for c in COLUMNS]
    rows = [[n, i.name + (f" ({t('export.sample', lang)})" if i.is_sample else ""), _kind(i, lang),
             i.township_name, i.contact_person or "", i.contact_phone or "", _what(i, lang),
             _confirmed(i, settings, lang), i.note or ""] for n, i in enumerate(items, 1)]
    done = sum(1 for i in items if i.confirmed_at is not None)
    return Table(f"action_{v.CONTROL_ACTIONS.index(action)}", t(f"controls.action.{action}", lang), header, rows,
                 t("controls.progress", lang, confirmed=done, total=len(items)))


def order_report(detail: OrderDetail, settings, lang: str = "zh") -> Report:
    s = detail.summary
    region = settings.region.name_en if lang == "en" else settings.region.name_zh
    title = drill_marked(t("controls.doc_title", lang, region=region, level=s.level, id=s.id), settings, lang)
    lines = [t("controls.line_area", lang, area=s.area_description),
             t("controls.line_issued", lang, at=format_local(s.created_at, settings), by=s.created_by,
               hazard=s.hazard_type),
             t("controls.line_progress", lang, confirmed=s.confirmed, total=s.total),
             t("controls.line_made", lang, at=format_local(now_utc(), settings))]
    if s.warning_id is not None:
        lines.insert(1, t("controls.line_warning", lang, id=s.warning_id))
    if s.drill_id:
        lines.insert(0, t("controls.line_drill", lang, drill=s.drill_id))
    if s.closed_at is not None:
        lines.append(t("controls.line_closed", lang, at=format_local(s.closed_at, settings), by=s.closed_by or ""))
    sections = []
    for action in v.CONTROL_ACTIONS:
        items = [i for i in detail.items if i.action == action]
        if items:
            sections.append(Section(f"action_{v.CONTROL_ACTIONS.index(action)}", t(f"controls.action.{action}", lang),
                                    [t(f"controls.action_doc.{action}", lang)], [_table(action, items, settings, lang)]))
    return Report(title, lines, s.sample, lang, sections)


def _lang(lang: str) -> str:
    if lang not in LANGUAGES:
        raise FieldError.of("lang", "controls.lang", values=", ".join(LANGUAGES))
    return lang


def order_docx(uow: UnitOfWork, order_id: int, lang: str = "zh") -> bytes:
    """The order's controls list as .docx bytes (township staff: their township's items)."""
    return report_docx(order_report(order_detail(uow, order_id), uow.settings, _lang(lang)))


def order_html(uow: UnitOfWork, order_id: int, lang: str = "zh") -> str:
    """The order's controls list as a page to print: the same title, lines and tables as the documents."""
    report = order_report(order_detail(uow, order_id), uow.settings, _lang(lang))
    e = html.escape
    parts = [f"<!doctype html><html lang=\"{'zh-CN' if lang == 'zh' else 'en'}\"><head><meta charset=\"utf-8\">",
             f"<title>{e(report.title)}</title><style>{_PRINT_CSS}</style></head><body>", f"<h1>{e(report.title)}</h1>"]
    parts += [f"<p>{e(line)}</p>" for line in report.lines]
    if report.sample:
        parts.append(f"<p class=\"sample\">{e(t('export.sample_note', lang))}</p>")
    for section in report.sections:
        parts.append(f"<h2>{e(section.title)}</h2>" + "".join(f"<p>{e(p)}</p>" for p in section.paragraphs))
        for table in section.tables:
            head = "".join(f"<th>{e(str(h))}</th>" for h in table.header)
            rows = "".join("<tr>" + "".join(f"<td>{e(str(c))}</td>" for c in row) + "</tr>" for row in table.rows)
            parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
                         f"<p class=\"note\">{e(table.note)}</p>")
    return "".join(parts) + "</body></html>"


_PRINT_CSS = ("body{font-family:sans-serif;margin:16px;font-size:13px}table{border-collapse:collapse;width:100%}"
              "th,td{border:1px solid #999;padding:3px 5px;text-align:left;vertical-align:top}"
              "thead{display:table-header-group}tr{page-break-inside:avoid}.sample{color:#d62828;font-weight:600}"
              ".note{color:#555}@page{size:A4 landscape;margin:12mm}")


def order_xlsx(uow: UnitOfWork, order_id: int, lang: str = "zh") -> bytes:
    """The order's controls list as .xlsx bytes: a summary sheet, then one sheet per action."""
    return report_xlsx(order_report(order_detail(uow, order_id), uow.settings, _lang(lang)))
