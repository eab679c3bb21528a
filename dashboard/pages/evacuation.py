"""疏散安置: places against the evacuation target, 五有 coverage and shortfalls, townships, shelters."""
from __future__ import annotations

import dash
from dash import Input, Output, State, callback, ctx, dcc, html

from dashboard.components.evacuation_views import (
    five_haves_figure,
    gauge,
    needs_table,
    shelter_table,
    township_table,
)
from dashboard.components.plan_views import (
    PLAN_DRAW,
    PLAN_FLOWS,
    PLAN_LEAFLET,
    PLAN_POINTS,
    plan_comparison,
    plan_layers,
    plan_map,
    plan_summary,
    plan_viewport,
    table_loader,
)
from services.text import normalise_language, t, term_options
from dashboard.auth.principal import current_principal
from dashboard.components.refused import page_may_show, refused_page
from dashboard.components.widgets import dropdown
from services.accounts.permissions import ROLES, allowed
from dashboard.state import settings
from services import vocabulary
from services.data.geography import township_list, township_names
from services.clock import format_local
from services.db.uow import UnitOfWork, unit_of_work
from services.errors import FieldError, Forbidden
from services.evacuation.moves import update_occupancy
from services.evacuation.plans import (
    Scenario,
    list_plans,
    load_plan,
    save_plan,
    what_if,
)
from services.evacuation.shelters import capacity_summary, shelter_capacities
from services.map.layers import township_codes
from services.supply.needs import supply_coverage

dash.register_page(__name__, path="/evacuation", name=t("nav.evacuation"), order=1)

EXCLUDE, PEOPLE, DAYS = "evac-exclude", "evac-people", "evac-days"
GAUGE, CHECK, FIVE, FIVE_TITLE, FIVE_CHECK = "evac-gauge", "evac-check", "evac-five", "evac-five-title", "evac-five-check"
NEEDS, TOWNSHIPS, SHELTERS = "evac-needs", "evac-townships", "evac-shelters"
PLAN_NAME, PLAN_TYPES, PLAN_LEVELS, PLAN_TOWNSHIPS, PLAN_MAX, PLAN_RUN, PLAN_SAVED, PLAN_MAP, PLAN_RESULT = (
    "plan-name", "plan-types", "plan-levels", "plan-townships", "plan-max", "plan-run", "plan-saved", "plan-map",
    "plan-result")
PLAN_COMPARE = "plan-compare"
PLAN_TRY, PLAN_SAVE_NOTE = "plan-try", "plan-save-note"  # 试算: compute and show, store nothing
FORM_SHELTER, FORM_VALUE, FORM_SAVE, FORM_MESSAGE, LANG = (
    "evac-form-shelter", "evac-form-value", "evac-form-save", "evac-form-message", "evac-lang")


def layout(lang: str | None = None, **_query) -> html.Div:
    lang = normalise_language(lang)
    if not page_may_show("/evacuation"):
        return refused_page("/evacuation", "evac.title", lang)
    s = settings()
    with unit_of_work(s) as uow:  # the shelters, townships and saved plans from one snapshot
        shelters = [{"label": f"{x.code} {x.name}" if x.status != vocabulary.SHELTER_CLOSED else
                     t("evac.closed_option", lang, code=x.code, name=x.name), "value": x.id}
                    for x in shelter_capacities(uow)]
        townships = [{"label": name if lang == "zh" else name_en, "value": code}
                     for code, name, name_en in township_list(uow)]
        saved = _plan_options(uow, lang)
    return html.Div([
        dcc.Store(id=LANG, data=lang),
        html.H2(t("evac.title", lang)),
        html.Div([
            dcc.Checklist([{"label": t("evac.exclude_unsafe", lang), "value": "exclude"}], [], id=EXCLUDE),
            html.Label([t("evac.people", lang), dcc.Input(id=PEOPLE, type="number", min=0, step=1,
                                                          value=s.region.evacuation_target_people, debounce=True)]),
            html.Label([t("evac.days", lang), dcc.Input(id=DAYS, type="number", min=1, max=60, step=1,
                                                        value=s.evacuation.supply_days, debounce=True)]),
        ], className="evac-controls"),
        html.Div(id=CHECK, className="evac-check"),
        html.Div([
            html.Div(dcc.Graph(id=GAUGE, config={"displayModeBar": False}), className="evac-card"),
            html.Div([html.H4(id=FIVE_TITLE), html.Div(id=FIVE_CHECK),
                      dcc.Graph(id=FIVE, config={"displayModeBar": False})], className="evac-card wide"),
        ], className="evac-cards"),
        html.Div(id=NEEDS),
        _plan_section(lang, townships, saved),
        html.H3(t("evac.update", lang)),
        html.Div([dropdown(shelters, None, lang=lang, id=FORM_SHELTER, className="evac-form-shelter"),
                  dcc.Input(id=FORM_VALUE, type="text", placeholder="0"),
                  html.Button(t("evac.save", lang), id=FORM_SAVE, n_clicks=0, className="button-link"),
                  html.Span(id=FORM_MESSAGE)], className="evac-form"),
        html.H3(t("evac.by_township", lang)), html.Div(id=TOWNSHIPS),
        html.H3(t("evac.shelters", lang)), html.Div(id=SHELTERS),
    ], className="data-page evac-page")


def _plan_options(uow: UnitOfWork, lang: str) -> list[dict]:
    return [{"label": t("plan.saved_option", lang, id=p.id, name=p.name, time=format_local(p.created_at, uow.settings),
                        author=p.made_by(lang)), "value": p.id} for p in list_plans(uow)]


def _may_save() -> bool:
    principal = current_principal()
    return principal is not None and principal.may("plan.save")


def _run_buttons(lang: str) -> list:
    """试算 for everyone who sees the page; 计算并保存 only for roles holding ``plan.save`` (hidden, not refused)."""
    save = html.Button(t("plan.run", lang), id=PLAN_RUN, n_clicks=0, className="button-link plan-run",
                       disabled=not _may_save(), hidden=not _may_save())
    return [html.Button(t("plan.try", lang), id=PLAN_TRY, n_clicks=0, className="button-link plan-try"), save]


def _save_note(lang: str) -> list:
    """Why there is no save button, for a role that may read plans but not save them."""
    principal = current_principal()
    if principal is None or _may_save():
        return []
    savers = t("list.separator", lang).join(t(f"role.{r}", lang) for r in ROLES if allowed(r, "plan.save"))
    return [html.P(t("plan.save_needs_role", lang, role=t(f"role.{principal.role}", lang), savers=savers),
                   id=PLAN_SAVE_NOTE, className="hint plan-save-note")]


def _plan_section(lang: str, townships: list[dict], saved: list[dict]) -> html.Div:
    return html.Div([
        html.H3(t("plan.title", lang)),
        html.Div([
            html.Label([t("plan.name", lang), dcc.Input(id=PLAN_NAME, type="text", value=t("plan.title", lang))]),
            html.Label([t("plan.hazard_types", lang), dropdown(term_options(vocabulary.HAZARD_TYPES, lang), [], lang=lang, id=PLAN_TYPES,
                                                                   multi=True)]),
            html.Label([t("plan.warning_levels", lang), dropdown(term_options(vocabulary.WARNING_LEVELS, lang), [], lang=lang, id=PLAN_LEVELS,
                                                                     multi=True)]),
            html.Label([t("plan.townships", lang), dropdown(townships, [], lang=lang, id=PLAN_TOWNSHIPS, multi=True)]),
            html.Label([t("plan.max_travel", lang), dcc.Input(id=PLAN_MAX, type="number", min=1, max=600, value=60)]),
            *_run_buttons(lang),
        ], className="plan-form"),
        html.P(t("plan.area_hint", lang), className="hint"), *_save_note(lang),
        html.Div([html.Label([t("plan.saved_plans", lang), dropdown(saved, None, lang=lang, id=PLAN_SAVED)],
                             className="plan-saved"),
                  html.Label([t("plan.compare", lang), dropdown(saved, None, lang=lang, id=PLAN_COMPARE)],
                             className="plan-saved")], className="plan-pickers"),
        html.Div([html.Div(plan_map(lang), id=PLAN_MAP, className="plan-map-wrap evac-plan-map"),
                  html.Div(id=PLAN_RESULT, className="plan-result")], className="plan-body"), table_loader(),
    ], className="plan-section")


@callback(Output(PLAN_LEAFLET, "viewport"), Output(PLAN_FLOWS, "data"), Output(PLAN_POINTS, "data"),
          Output("plan-legend-wrap", "children"), Output(PLAN_RESULT, "children"), Output(PLAN_SAVED, "options"),
          Output(PLAN_SAVED, "value"), Output(PLAN_COMPARE, "options"),
          Input(PLAN_RUN, "n_clicks"), Input(PLAN_SAVED, "value"), Input(PLAN_COMPARE, "value"),
          State(PLAN_NAME, "value"), State(PLAN_TYPES, "value"), State(PLAN_LEVELS, "value"),
          State(PLAN_TOWNSHIPS, "value"), State(PLAN_MAX, "value"), State(EXCLUDE, "value"), State(PLAN_DRAW, "geojson"),
          State(LANG, "data"), Input(PLAN_TRY, "n_clicks"), prevent_initial_call=True)
def _plan(_runs, saved_id, compare_id, name, types, levels, townships, max_min, exclude, drawn, lang, _tries):
    run, trying = ctx.triggered_id == PLAN_RUN, ctx.triggered_id == PLAN_TRY
    try:  # one unit: a run saves its plan in it, and what is shown comes from the same snapshot
        with unit_of_work(settings(), write=run) as uow:
            tried = None
            if run or trying:
                drawn_features = (drawn or {}).get("features") or []
                scenario = Scenario.from_json({
                    "name": name or t("plan.title", lang), "hazard_types": types or [], "warning_levels": levels or [],
                    "townships": townships or [], "max_travel_min": max_min, "exclude_unsafe": bool(exclude),
                    "area": drawn_features[-1]["geometry"] if drawn_features else None}, township_codes(uow))
                if run:
                    saved_id = save_plan(uow, scenario).id
                else:  # 试算: shown, not stored; the saved plans' picker lets go of its choice
                    tried, saved_id = what_if(uow, scenario), None
            plan = tried or (load_plan(uow, int(saved_id)) if saved_id else None)
            other = load_plan(uow, int(compare_id)) if compare_id else None
            options = _plan_options(uow, lang)
            names = township_names(uow, lang)
    except FieldError as exc:  # a bad scenario, or a refusal (a save by a role without plan.save): said, not a 403
        reason = exc.reason if lang == "zh" else exc.reason_en
        message = html.P(reason if isinstance(exc, Forbidden) else f"{exc.field}: {reason}", className="short")
        return (*[dash.no_update] * 4, message, dash.no_update, dash.no_update, dash.no_update)
    result = plan_summary(plan, lang, settings(), townships=names)
    if plan and other:
        result = [plan_comparison([plan, other], lang), *result]
    viewport = plan_viewport(plan) if ctx.triggered_id != PLAN_COMPARE else None
    return (viewport or dash.no_update, *plan_layers(plan, lang), result, options, saved_id, options)


def _save(shelter_id, value, lang) -> html.Span:
    if shelter_id is None:
        return html.Span(t("evac.choose_shelter", lang), className="short")
    try:
        with unit_of_work(settings(), write=True) as uow:
            shelter = update_occupancy(uow, int(shelter_id), value)
    except FieldError as exc:
        return html.Span(exc.reason if lang == "zh" else exc.reason_en, className="short")
    return html.Span(t("evac.saved", lang, name=shelter.name, n=shelter.occupancy_people), className="ok")


@callback(
    Output(GAUGE, "figure"), Output(CHECK, "children"), Output(CHECK, "className"), Output(FIVE_TITLE, "children"),
    Output(FIVE_CHECK, "children"), Output(FIVE, "figure"), Output(NEEDS, "children"), Output(TOWNSHIPS, "children"),
    Output(SHELTERS, "children"), Output(FORM_MESSAGE, "children"),
    Input(EXCLUDE, "value"), Input(PEOPLE, "value"), Input(DAYS, "value"), Input(FORM_SAVE, "n_clicks"),
    State(FORM_SHELTER, "value"), State(FORM_VALUE, "value"), State(LANG, "data"),
)
def _refresh(exclude, people, days, _saves, shelter_id, value, lang):
    message = _save(shelter_id, value, lang) if ctx.triggered_id == FORM_SAVE else dash.no_update
    s = settings()
    people = s.region.evacuation_target_people if people in (None, "") else max(0, int(people))
    days = s.evacuation.supply_days if days in (None, "") else min(60, max(1, int(days)))
    with unit_of_work(s) as uow:  # every figure of the page from one snapshot
        summary = capacity_summary(uow, exclude_unsafe=bool(exclude), target_people=people)
        coverage = supply_coverage(uow, people, days)
        names = township_names(uow, lang)
    if summary.meets_target:
        check = t("evac.meets", lang, target=f"{summary.target_people:,}", available=f"{summary.available_places:,}",
                  n=summary.shelters_counted)
    else:
        check = t("evac.short", lang, target=f"{summary.target_people:,}", available=f"{summary.available_places:,}",
                  gap=f"{summary.shortfall_people:,}")
    five_check = html.Span(t("evac.guaranteed" if coverage.guaranteed else "evac.not_guaranteed", lang),
                           className="ok" if coverage.guaranteed else "short")
    return (gauge(summary, lang), ("✔ " if summary.meets_target else "✘ ") + check,
            "evac-check ok" if summary.meets_target else "evac-check short",
            t("evac.five", lang, people=f"{coverage.people:,}", days=coverage.days, version=coverage.profile_version),
            five_check, five_haves_figure(coverage, lang), needs_table(coverage, lang),
            township_table(summary, lang, names), shelter_table(summary, lang, names), message)
