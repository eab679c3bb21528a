"""安全监管: the supervisors' and township staff's page — work lists (overdue, 挂牌督办, awaiting acceptance, cases
missing a step), one enterprise's record, and the forms of the closed loop (inspection with findings,
rectification, acceptance check, penalty). Every write goes through services/supervision, which checks the
permission and the township; the page only hides what a role cannot do.
"""
from __future__ import annotations

import datetime as dt

import dash
from dash import Input, Output, State, callback, ctx, dcc, html

from dashboard.auth.principal import current_principal
from dashboard.components import supervision_boards as boards
from dashboard.components import supervision_photo as photo
from dashboard.components.enterprise_picker import enterprise_options
from dashboard.components.enterprise_picker import register as searches_enterprises
from dashboard.components import supervision_reports_board as reports_board
from dashboard.components.supervision_views import record_panel, work_lists
from dashboard.components.widgets import dropdown
from dashboard.state import settings
from services import vocabulary
from services.clock import local_today
from services.db.uow import unit_of_work
from services.errors import FieldError
from services.supervision import dangers as D
from services.supervision.cases import flagged_cases
from services.supervision.enterprise_record import enterprise_record
from services.supervision.inspections import (
    Finding,
    InspectionInput,
    PenaltyInput,
    record_inspection,
    record_penalty,
)
from services.text import normalise_language, t, term, term_options

dash.register_page(__name__, path="/supervision", name=t("nav.supervision"), order=5)

LANG, VERSION, MESSAGE, LISTS = "safe-lang", "safe-version", "safe-message", "safe-lists"
ENTERPRISE, RECORD, DANGER = "safe-enterprise", "safe-record", "safe-danger"
BUTTONS = ("safe-save-inspection", "safe-rectify", "safe-submit", "safe-accept", "safe-save-penalty")
boards.register(LANG)
reports_board.register(boards.TABS, LANG)
photo.register(DANGER, VERSION, LANG, boards.refusal)
searches_enterprises(ENTERPRISE)
searches_enterprises(reports_board.FIRM)


def _may(permission: str) -> bool:
    principal = current_principal()
    return principal is not None and principal.may(permission)


def _field(label_key: str, component, lang: str) -> html.Label:
    return html.Label([t(label_key, lang), component], className="filter")


def _date(field_id: str, lang: str) -> dcc.Input:
    """A date typed as 2026-07-02 (a text box: dcc.Input of type date throws in the browser when its value is set),
    today on the deployment's calendar by default."""
    return dcc.Input(id=field_id, type="text", value=local_today(settings()).isoformat(), maxLength=10,
                     placeholder=t("safe.date_placeholder", lang), inputMode="numeric", className="date-input")


def _inspection_form(lang: str) -> html.Details:
    return html.Details([
        html.Summary(t("safe.form_inspection", lang)),
        _field("safe.f_inspected_on", _date("safe-inspected-on", lang), lang),
        _field("safe.f_inspectors", dcc.Input(id="safe-inspectors", maxLength=200), lang),
        _field("safe.f_department", dcc.Input(id="safe-department", maxLength=100), lang),
        _field("safe.f_items", dcc.Textarea(id="safe-items", maxLength=4000), lang),
        _field("safe.f_finding", dcc.Textarea(id="safe-finding", maxLength=4000), lang),
        _field("safe.f_level", dropdown(term_options(vocabulary.DANGER_LEVELS, lang), vocabulary.DANGER_ORDINARY,
                                        lang=lang, id="safe-finding-level", clearable=False), lang),
        _field("safe.f_deadline", _date("safe-finding-deadline", lang), lang),
        _field("safe.f_leader", dcc.Input(id="safe-finding-leader", maxLength=50), lang),
        html.Button(t("safe.save_inspection", lang), id=BUTTONS[0], n_clicks=0, className="button-link"),
    ], className="safe-form", open=True)


def _steps_form(lang: str, accept: bool) -> html.Details:
    check = [
        _field("safe.f_checked_by", dcc.Input(id="safe-checked-by", maxLength=100), lang),
        _field("safe.f_checked_on", _date("safe-checked-on", lang), lang),
        dcc.RadioItems([{"label": t("safe.passed", lang), "value": "pass"},
                        {"label": t("safe.failed", lang), "value": "fail"}], "pass", id="safe-passed"),
        html.Button(t("safe.accept", lang), id=BUTTONS[3], n_clicks=0, className="button-link"),
    ] if accept else [html.Div(_hidden(("safe-checked-by", "safe-checked-on", "safe-passed", BUTTONS[3])),
                               hidden=True)]
    return html.Details([
        html.Summary(t("safe.form_steps", lang)),
        _field("safe.f_danger", dropdown([], None, lang=lang, id=DANGER), lang),
        _field("safe.f_responsible", dcc.Input(id="safe-responsible", maxLength=50), lang),
        _field("safe.f_measures", dcc.Textarea(id="safe-measures", maxLength=4000), lang),
        _field("safe.f_funds", dcc.Input(id="safe-funds", inputMode="decimal", maxLength=20), lang),
        photo.photo_field(lang),
        html.Div([html.Button(t("safe.start_rectify", lang), id=BUTTONS[1], n_clicks=0, className="button-link"),
                  html.Button(t("safe.submit", lang), id=BUTTONS[2], n_clicks=0, className="button-link")],
                 className="button-row"),
        *check,
    ], className="safe-form", open=True)


def _penalty_form(lang: str) -> html.Details:
    return html.Details([
        html.Summary(t("safe.form_penalty", lang)),
        _field("safe.f_decision_no", dcc.Input(id="safe-decision-no", maxLength=60), lang),
        _field("safe.f_penalty_type", dropdown(term_options(vocabulary.PENALTY_TYPES, lang), vocabulary.PENALTY_FINE,
                                               lang=lang, id="safe-penalty-type", clearable=False), lang),
        _field("safe.f_amount", dcc.Input(id="safe-amount", inputMode="decimal", maxLength=20), lang),
        _field("safe.f_decided_on", _date("safe-decided-on", lang), lang),
        html.Button(t("safe.save_penalty", lang), id=BUTTONS[4], n_clicks=0, className="button-link"),
    ], className="safe-form")


def _hidden(ids_: tuple[str, ...]) -> list:
    """Stand-ins for the inputs of a form the role cannot use, so the page's one callback keeps its inputs."""
    return [html.Button(id=i, n_clicks=0) if i in BUTTONS else dcc.Dropdown(id=i) if i in DROPDOWNS
            else dcc.Input(id=i, type="hidden") for i in ids_]


DROPDOWNS = (DANGER, "safe-finding-level", "safe-penalty-type")  # their stand-ins keep the props callbacks use
INSPECTION_IDS = ("safe-inspected-on", "safe-inspectors", "safe-department", "safe-items", "safe-finding",
                  "safe-finding-level", "safe-finding-deadline", "safe-finding-leader", BUTTONS[0])
PENALTY_IDS = ("safe-decision-no", "safe-penalty-type", "safe-amount", "safe-decided-on", BUTTONS[4])
STEP_IDS = (DANGER, "safe-responsible", "safe-measures", "safe-funds", BUTTONS[1], BUTTONS[2], "safe-checked-by",
            "safe-checked-on", "safe-passed", BUTTONS[3])


TAB_VALUES = ("work", "milestones", "rankings", "campaigns", "reports")


def layout(lang: str | None = None, enterprise: str | None = None, tab: str | None = None, **_query) -> html.Div:
    lang = normalise_language(lang)
    chosen = int(enterprise) if enterprise and enterprise.isdigit() else None
    with unit_of_work(settings()) as uow:
        options = enterprise_options(uow, chosen=chosen)
    write, report = _may("supervision.write"), _may("danger.report")
    forms = [_inspection_form(lang) if write else html.Div(_hidden(INSPECTION_IDS), hidden=True),
             _steps_form(lang, accept=write) if report else html.Div(_hidden(STEP_IDS) + photo.stand_in(), hidden=True),
             _penalty_form(lang) if write else html.Div(_hidden(PENALTY_IDS), hidden=True)]
    work = html.Div([
        html.Section([html.H3(t("safe.lists", lang)), html.Div(id=LISTS)], className="safe-lists"),
        html.Section([
            html.H3(t("safe.enterprise", lang)),
            dropdown(options, chosen if any(o["value"] == chosen for o in options) else None, lang=lang, id=ENTERPRISE,
                     placeholder=t("safe.pick_enterprise", lang)),
            html.Div(id=RECORD, className="safe-record"),
        ], className="safe-enterprise"),
        html.Section([html.H3(t("safe.forms", lang)), html.P(t("safe.who_writes", lang), className="hint"), *forms],
                     className="safe-forms"),
    ], className="safe-work")
    tabs = [dcc.Tab(label=t("safe.tab.work", lang), value="work", children=[work]),
            dcc.Tab(label=t("safe.tab.milestones", lang), value="milestones", children=[boards.milestones_panel(lang)]),
            dcc.Tab(label=t("safe.tab.rankings", lang), value="rankings", children=[boards.rankings_panel(lang)]),
            dcc.Tab(label=t("safe.tab.campaigns", lang), value="campaigns", children=[boards.campaigns_panel(lang, write=write)]),
            dcc.Tab(label=t("safe.tab.reports", lang), value="reports",
                    children=[reports_board.reports_panel(lang, write=write, firms=options)])]
    return html.Div([
        dcc.Store(id=LANG, data=lang), dcc.Store(id=VERSION, data=0),
        html.H2(t("safe.title", lang)), html.P(t("safe.intro", lang), className="hint"),
        html.Div(id=MESSAGE, className="import-result", role="status"),
        dcc.Tabs(tabs, id=boards.TABS, value=tab if tab in TAB_VALUES else "work", className="an-tabs safe-tabs",
                 mobile_breakpoint=0),
    ], className="data-page supervision-page")


@callback(Output(LISTS, "children"), Input(VERSION, "data"), State(LANG, "data"))
def _lists(_version, lang):
    with unit_of_work(settings()) as uow:
        overdue = D.list_dangers(uow, status="overdue", limit=50)
        major = D.list_dangers(uow, status="major", limit=50)
        submitted = D.list_dangers(uow, status=vocabulary.DANGER_SUBMITTED, limit=50)
        cases = flagged_cases(uow, limit=50)
    return work_lists(overdue, major, submitted, cases, lang)


@callback(Output(RECORD, "children"), Output(DANGER, "options"), Input(ENTERPRISE, "value"), Input(VERSION, "data"),
          State(LANG, "data"))
def _record(enterprise_id, _version, lang):
    if not enterprise_id:
        return html.P(t("safe.need_enterprise", lang), className="hint"), []
    with unit_of_work(settings()) as uow:
        record = enterprise_record(uow, int(enterprise_id))
    options = [{"label": f"{d.code} · {term(d.status, lang)} · {d.description[:30]}", "value": d.id}
               for d in record.open_dangers]
    return record_panel(record, lang), options


def _day(value, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value or ""))
    except ValueError:
        raise FieldError.of(name, "safe.date_bad") from None


def _save_inspection(uow, firm: int, v: dict) -> str:
    finding = (v["finding"] or "").strip()
    findings = (Finding(description=finding, deadline=_day(v["finding_deadline"], "deadline"), level=v["level"],
                        supervising_leader=v["leader"] or ""),) if finding else ()
    items = tuple(line for line in (v["items"] or "").splitlines() if line.strip())
    row = record_inspection(uow, InspectionInput(enterprise_id=firm, inspected_on=_day(v["inspected_on"], "inspected_on"),
                                                 inspectors=v["inspectors"] or "", department=v["department"] or "",
                                                 items=items, findings=findings))
    return t("safe.saved_inspection", v["lang"], code=row.code, n=len(row.danger_ids))


def _save_step(uow, button: str, v: dict) -> str:
    if not v["danger"]:
        raise FieldError.of("danger_id", "supervision.required")
    danger_id = int(v["danger"])
    if button == BUTTONS[1]:
        row = D.start_rectification(uow, danger_id, responsible_person=v["responsible"] or "",
                                    measures=v["measures"] or "", funds_yuan=v["funds"])
    elif button == BUTTONS[2]:
        row = D.submit_for_acceptance(uow, danger_id)
    else:
        row = D.accept_check(uow, danger_id, passed=v["passed"] == "pass", checked_by=v["checked_by"] or "",
                             checked_on=_day(v["checked_on"], "checked_on"))
    return t("safe.saved_step", v["lang"], code=row.code, status=row.status)


def _save_penalty(uow, firm: int, v: dict) -> str:
    row = record_penalty(uow, PenaltyInput(enterprise_id=firm, decision_no=v["decision_no"] or "",
                                           penalty_type=v["penalty_type"], amount_yuan=v["amount"],
                                           decided_on=_day(v["decided_on"], "decided_on")))
    return t("safe.saved_penalty", v["lang"], number=row.decision_no)


FORM_STATE = {"inspected_on": "safe-inspected-on", "inspectors": "safe-inspectors", "department": "safe-department",
              "items": "safe-items", "finding": "safe-finding", "level": "safe-finding-level",
              "finding_deadline": "safe-finding-deadline", "leader": "safe-finding-leader", "danger": DANGER,
              "responsible": "safe-responsible", "measures": "safe-measures", "funds": "safe-funds",
              "checked_by": "safe-checked-by", "checked_on": "safe-checked-on", "passed": "safe-passed",
              "decision_no": "safe-decision-no", "penalty_type": "safe-penalty-type", "amount": "safe-amount",
              "decided_on": "safe-decided-on"}
_PROPS = {"safe-finding-level": "value", DANGER: "value", "safe-passed": "value", "safe-penalty-type": "value"}


@callback(Output(MESSAGE, "children"), Output(VERSION, "data"),
          [Input(b, "n_clicks") for b in BUTTONS], State(ENTERPRISE, "value"), State(VERSION, "data"),
          State(LANG, "data"), [State(i, _PROPS.get(i, "value")) for i in FORM_STATE.values()],
          prevent_initial_call=True)
def _write(*args):
    """Every form's button: one write through a service, in one unit of work; the refusal named, nothing kept."""
    clicks, (firm, version, lang), values = args[:len(BUTTONS)], args[len(BUTTONS):len(BUTTONS) + 3], args[-len(FORM_STATE):]
    button = ctx.triggered_id
    if button not in BUTTONS or not any(clicks):
        return dash.no_update, dash.no_update
    v = dict(zip(FORM_STATE, values), lang=lang)
    try:
        with unit_of_work(settings(), write=True) as uow:
            if button in (BUTTONS[0], BUTTONS[4]) and not firm:
                raise FieldError.of("enterprise_id", "safe.need_enterprise")
            if button == BUTTONS[0]:
                message = _save_inspection(uow, int(firm), v)
            elif button == BUTTONS[4]:
                message = _save_penalty(uow, int(firm), v)
            else:
                message = _save_step(uow, button, v)
    except FieldError as exc:
        return boards.refusal(exc, lang), dash.no_update
    return html.Span(message, className="ok"), (version or 0) + 1
