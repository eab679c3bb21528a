"""What the 安全监管 page shows: the work lists (tables) and one enterprise's record. Data is passed as text."""
from __future__ import annotations

from dash import html
from dash.dash_table import DataTable
from flask import url_for

from dashboard.components.analysis_views import FONT
from services.supervision.dangers import DangerRow
from services.supervision.enterprise_record import EnterpriseRecord
from services.text import t, term

TABLE_STYLE = {"style_table": {"overflowX": "auto"}, "style_cell": {"textAlign": "left", "whiteSpace": "normal",
                                                                    "height": "auto", "fontSize": "14px",
                                                                    "fontFamily": FONT, "minWidth": "56px"},
               "style_header": {"fontWeight": "600"}, "page_size": 10,
               # codes and dates on one line: YH-2026-000050, 2026-01-18
               "style_cell_conditional": [{"if": {"column_id": c}, "whiteSpace": "nowrap"}
                                          for c in ("code", "deadline", "found_on", "status", "level")]}


def _table(table_id: str, columns: list[tuple[str, str]], rows: list[dict], lang: str) -> html.Div | DataTable:
    if not rows:
        return html.P(t("safe.list_empty", lang), className="hint")
    return DataTable(id=table_id, columns=[{"name": t(key, lang), "id": field} for field, key in columns],
                     data=rows, sort_action="native", **TABLE_STYLE)


def _danger_rows(rows: list[DangerRow], lang: str) -> list[dict]:
    return [{"code": d.code, "enterprise": d.enterprise, "level": term(d.level, lang), "status": term(d.status, lang),
             "deadline": d.deadline, "days_overdue": d.days_overdue, "leader": d.supervising_leader or "",
             "description": d.description, "found_on": d.found_on, "source": term(d.source, lang)} for d in rows]


def danger_table(table_id: str, rows: list[DangerRow], lang: str, *, leader: bool = False) -> html.Div | DataTable:
    columns = [("code", "safe.col_code"), ("enterprise", "safe.col_enterprise"), ("level", "safe.col_level"),
               ("status", "safe.col_status"), ("deadline", "safe.col_deadline")]
    columns += [("leader", "safe.col_leader")] if leader else [("days_overdue", "safe.col_days_overdue")]
    return _table(table_id, columns + [("description", "safe.col_description")], _danger_rows(rows, lang), lang)


def cases_table(table_id: str, cases: list[dict], lang: str) -> html.Div | DataTable:
    rows = [{"code": c["code"], "enterprise": c["enterprise"], "deadline": c["oldest_deadline"],
             "missing": t("list.separator", lang).join(sorted({t(f"safe.missing.{d['missing']}", lang)
                                                               for d in c["dangers"]})),
             "dangers": t("list.separator", lang).join(d["code"] for d in c["dangers"])} for c in cases]
    columns = [("code", "safe.col_code"), ("enterprise", "safe.col_enterprise"), ("deadline", "safe.col_deadline"),
               ("missing", "safe.col_missing"), ("dangers", "safe.open_dangers")]
    return _table(table_id, columns, rows, lang)


def work_lists(overdue, major, submitted, cases, lang: str) -> list:
    """The four lists with their counts (the counts are the services' totals, not the rows shown)."""
    return [
        html.H4(t("safe.list_overdue", lang, n=overdue[0])), danger_table("safe-overdue", overdue[1], lang),
        html.H4(t("safe.list_major", lang, n=major[0])), danger_table("safe-major", major[1], lang, leader=True),
        html.H4(t("safe.list_submitted", lang, n=submitted[0])), danger_table("safe-submitted", submitted[1], lang),
        html.H4(t("safe.list_cases", lang, n=len(cases))), cases_table("safe-cases", cases, lang),
    ]


def danger_photos(dangers: list[DangerRow], lang: str) -> list:
    """The photos of each danger that has some (隐患照片) as small thumbnails; each opens the full photo in a new tab
    (both routes check the reader: services/field/photos.py)."""
    rows = []
    for d in dangers:
        if not d.photo_ids:
            continue
        links = [html.A(html.Img(src=url_for("field_api.photo_thumbnail", photo_id=p), className="duty-thumb",
                                 alt=t("safe.danger_photo_alt", lang, code=d.code, n=n)),
                        href=url_for("field_api.photo", photo_id=p), target="_blank", rel="noopener")
                 for n, p in enumerate(d.photo_ids, 1)]
        rows.append(html.Li([html.Span(t("safe.danger_photos_of", lang, code=d.code, n=len(d.photo_ids))),
                             html.Div(links, className="duty-photos")]))
    return [html.H4(t("safe.danger_photos", lang)), html.Ul(rows, className="safe-danger-photos")] if rows else []


def record_panel(r: EnterpriseRecord, lang: str) -> list:
    how = t("safe.level_by_department" if r.risk_level_by_department or not r.risk_points else "safe.level_by_points",
            lang)
    cards = [html.Li(t("label_value", lang, label=term(card, lang), value=term(status, lang)))
             for card, status in r.cards.items()]
    points = [{"name": p.name, "kind": term(p.kind, lang), "method": term(p.method, lang), "score": f"{p.score:g}",
               "level": term(p.level, lang), "tier": term(p.control_tier, lang)} for p in r.risk_points]
    inspections = [{"code": i.code, "on": i.inspected_on, "by": i.inspectors, "n": len(i.danger_ids)}
                   for i in r.inspections]
    penalties = [{"no": p.decision_no, "type": term(p.penalty_type, lang), "amount": p.amount_yuan or "",
                  "on": p.decided_on} for p in r.penalties]
    return [
        html.H3(r.name, className="record-title"),
        html.P(t("safe.record_level", lang, level=r.risk_level, how=how), className="record-level"),
        html.P(t("safe.record_summary", lang, open=r.open_hidden_dangers, cards=r.duty_card_status,
                 penalties=r.penalties_count, total=r.penalties_total_yuan)),
        *([html.P(t("safe.record_pilot", lang), className="hint")] if r.duty_pilot else []),
        html.H4(t("safe.cards", lang)), html.Ul(cards, className="record-cards"),
        html.H4(t("safe.risk_points", lang)),
        _table("safe-record-points", [("name", "safe.col_name"), ("kind", "safe.col_kind"), ("method", "safe.col_method"),
                                      ("score", "safe.col_score"), ("level", "safe.col_level"), ("tier", "safe.col_tier")],
               points, lang),
        html.H4(t("safe.open_dangers", lang)), danger_table("safe-record-dangers", r.open_dangers, lang),
        *danger_photos(r.open_dangers, lang),
        html.H4(t("safe.inspections", lang)),
        _table("safe-record-inspections", [("code", "safe.col_code"), ("on", "safe.col_inspected_on"),
                                           ("by", "safe.col_inspectors"), ("n", "safe.col_findings")], inspections, lang),
        html.H4(t("safe.penalties", lang)),
        _table("safe-record-penalties", [("no", "safe.col_decision"), ("type", "safe.col_type"),
                                         ("amount", "safe.col_amount"), ("on", "safe.col_decided_on")], penalties, lang),
    ]
