"""The 安全监管 page's 群众举报 board: the public's reports (有奖举报) as staff work them — the list by state with
the photo, the verdict (属实 becomes a hidden danger of the enterprise chosen; 不属实 / 重复 closed with the answer
the reporter reads) and the reward (待发放 with its amount, 已发放, withdrawn). The services
(services/supervision/report_review.py) check supervision.write and the township; the board only hides the forms."""
from __future__ import annotations

import datetime as dt

from dash import Input, Output, State, callback, ctx, dcc, html, no_update
from dash.dash_table import DataTable

from dashboard.components.analysis_views import FONT
from dashboard.components.supervision_boards import refusal
from dashboard.components.widgets import dropdown
from dashboard.state import settings
from services import vocabulary
from services.clock import format_local, local_today
from services.db.uow import unit_of_work
from services.errors import FieldError
from services.supervision.report_review import Verification, list_reports, set_reward, verify_report
from services.text import t, term, term_options

BOARD, FILTER, MESSAGE = "safe-reports", "safe-report-filter", "safe-report-message"
PICK, VERDICT, FIRM, LEVEL, DEADLINE, LEADER, OUTCOME, VERIFY = (
    "safe-report-pick", "safe-report-verdict", "safe-report-firm", "safe-report-level", "safe-report-deadline",
    "safe-report-leader", "safe-report-outcome", "safe-report-verify")
REWARD_PICK, REWARD_STEP, REWARD_AMOUNT, REWARD = (
    "safe-reward-pick", "safe-reward-step", "safe-reward-amount", "safe-reward-save")
FILTERS = ("pending", "reward_due", "verified", "all")
DROPDOWNS = (PICK, VERDICT, FIRM, LEVEL, REWARD_PICK, REWARD_STEP)
FIELDS = (PICK, VERDICT, FIRM, LEVEL, DEADLINE, LEADER, OUTCOME, REWARD_PICK, REWARD_STEP, REWARD_AMOUNT)


def _field(key: str, component, lang: str) -> html.Label:
    return html.Label([t(key, lang), component], className="filter")


def _forms(lang: str, firms: list[dict]) -> list:
    week = (local_today(settings()) + dt.timedelta(days=7)).isoformat()
    verify = html.Details([
        html.Summary(t("safe.rep.verify", lang)),
        _field("safe.rep.report", dropdown([], None, lang=lang, id=PICK), lang),
        _field("safe.rep.verdict", dropdown(term_options(vocabulary.REPORT_VERDICTS, lang), vocabulary.REPORT_TRUE,
                                            lang=lang, id=VERDICT, clearable=False), lang),
        _field("safe.f_enterprise", dropdown(firms, None, lang=lang, id=FIRM), lang),
        _field("safe.f_level", dropdown(term_options(vocabulary.DANGER_LEVELS, lang), vocabulary.DANGER_ORDINARY,
                                        lang=lang, id=LEVEL, clearable=False), lang),
        _field("safe.f_deadline", dcc.Input(id=DEADLINE, value=week, maxLength=10,
                                            placeholder=t("safe.date_placeholder", lang)), lang),
        _field("safe.f_leader", dcc.Input(id=LEADER, maxLength=50), lang),
        _field("safe.rep.outcome", dcc.Textarea(id=OUTCOME, maxLength=1000), lang),
        html.Div(html.Button(t("safe.rep.verify_button", lang), id=VERIFY, n_clicks=0, className="button-link"),
                 className="button-row"),
    ], className="safe-form", open=True)
    reward = html.Details([
        html.Summary(t("safe.rep.reward", lang)),
        _field("safe.rep.report", dropdown([], None, lang=lang, id=REWARD_PICK), lang),
        _field("safe.rep.reward_step", dropdown(term_options(vocabulary.REWARD_STATUSES[1:] + vocabulary.REWARD_STATUSES[:1],
                                                             lang), vocabulary.REWARD_DUE, lang=lang, id=REWARD_STEP,
                                                clearable=False), lang),
        _field("safe.rep.amount", dcc.Input(id=REWARD_AMOUNT, inputMode="decimal", maxLength=20), lang),
        html.Div(html.Button(t("safe.rep.reward_button", lang), id=REWARD, n_clicks=0, className="button-link"),
                 className="button-row"),
    ], className="safe-form", open=True)
    return [verify, reward]


def _stand_ins() -> html.Div:
    """What the callbacks read when the role may not verify: the same ids, hidden."""
    return html.Div([html.Button(id=VERIFY, n_clicks=0), html.Button(id=REWARD, n_clicks=0),
                     *[dcc.Dropdown(id=i) if i in DROPDOWNS else dcc.Input(id=i, type="hidden")
                       for i in FIELDS]], hidden=True)


def reports_panel(lang: str, *, write: bool, firms: list[dict]) -> html.Div:
    options = [{"label": t(f"safe.rep.filter.{f}", lang), "value": f} for f in FILTERS]
    return html.Div([
        html.Div(_field("safe.rep.show", dropdown(options, "pending", lang=lang, id=FILTER, clearable=False), lang),
                 className="safe-board-filters"),
        html.Div(id=MESSAGE, className="import-result", role="status"),
        html.Div(id=BOARD),
        html.Div(_forms(lang, firms), className="safe-forms") if write else _stand_ins(),
    ], className="safe-board")


def _table(rows, lang: str) -> list:
    columns = [("reference", "safe.rep.col_reference"), ("submitted", "safe.rep.col_submitted"),
               ("about", "safe.col_enterprise"), ("description", "safe.col_description"),
               ("status", "safe.col_status"), ("danger", "safe.rep.col_danger"), ("reward", "safe.rep.col_reward"),
               ("photo", "safe.rep.col_photo")]
    data = [{"reference": r.reference, "submitted": format_local(dt.datetime.fromisoformat(r.submitted_at), settings()),
             "about": " · ".join(x for x in (r.enterprise_name, r.place) if x), "description": r.description,
             "status": term(r.status, lang), "danger": r.danger_code or "",
             "reward": term(r.reward_status, lang) + (f" {r.reward_yuan}" if r.reward_yuan else ""),
             "photo": f"[{t('safe.rep.photo', lang)}](/api/v1/supervision/reports/{r.id}/photo)" if r.has_photo else ""}
            for r in rows]
    return [DataTable(data=data, columns=[{"name": t(k, lang), "id": c, **({"presentation": "markdown"}
                                                                          if c == "photo" else {})}
                                          for c, k in columns],
                      page_size=20, sort_action="native", markdown_options={"link_target": "_blank"},
                      style_table={"overflowX": "auto"},
                      style_cell={"textAlign": "left", "whiteSpace": "normal", "height": "auto", "fontSize": 12,
                                  "fontFamily": FONT, "minWidth": "72px", "maxWidth": "420px"})]


def _label(r) -> str:
    return f"{r.reference} · {r.description[:24]}"


def _day(value, name: str) -> dt.date | None:
    if not str(value or "").strip():
        return None
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise FieldError.of(name, "safe.date_bad") from None


def _write(button: str, v: dict, lang: str) -> str:
    with unit_of_work(settings(), write=True) as uow:
        if button == VERIFY:
            if not v[PICK]:
                raise FieldError.of("report", "supervision.required")
            row = verify_report(uow, int(v[PICK]), Verification(
                status=v[VERDICT], outcome=v[OUTCOME] or "", enterprise_id=int(v[FIRM]) if v[FIRM] else None,
                deadline=_day(v[DEADLINE], "deadline"), level=v[LEVEL] or vocabulary.DANGER_ORDINARY,
                supervising_leader=v[LEADER] or ""))
            return t("safe.rep.verified", lang, reference=row.reference, status=term(row.status, lang),
                     danger=row.danger_code or "—")
        if not v[REWARD_PICK]:
            raise FieldError.of("report", "supervision.required")
        amount = v[REWARD_AMOUNT] if v[REWARD_STEP] == vocabulary.REWARD_DUE else None
        row = set_reward(uow, int(v[REWARD_PICK]), v[REWARD_STEP], amount)
        return t("safe.rep.rewarded", lang, reference=row.reference, status=term(row.reward_status, lang))


def register(tabs: str, lang_store: str) -> None:
    @callback(Output(MESSAGE, "children"), Output(BOARD, "children"), Output(PICK, "options"),
              Output(REWARD_PICK, "options"), Input(tabs, "value"), Input(FILTER, "value"), Input(VERIFY, "n_clicks"),
              Input(REWARD, "n_clicks"), State(lang_store, "data"), [State(i, "value") for i in FIELDS])
    def _reports(tab, shown, _verify, _reward, lang, *values):
        if tab != "reports":
            return no_update, [], no_update, no_update
        message = no_update
        if ctx.triggered_id in (VERIFY, REWARD):
            try:
                message = html.Span(_write(ctx.triggered_id, dict(zip(FIELDS, values)), lang), className="ok")
            except FieldError as exc:
                message = refusal(exc, lang)
        try:
            with unit_of_work(settings()) as uow:
                total, rows = list_reports(uow, status=shown if shown in FILTERS else "pending", limit=200)
                _, pending = list_reports(uow, status="pending", limit=200)
                _, true = list_reports(uow, status=vocabulary.REPORT_TRUE, limit=200)
        except FieldError as exc:
            return message, html.P(exc.reason_en if lang == "en" else exc.reason, className="error"), [], []
        head = html.P(t("safe.rep.count", lang, n=total), className="hint")
        body = _table(rows, lang) if rows else [html.P(t("safe.list_empty", lang), className="hint")]
        return (message, [head, *body], [{"label": _label(r), "value": r.id} for r in pending],
                [{"label": f"{_label(r)} · {term(r.reward_status, lang)}", "value": r.id} for r in true])
