"""The coverage and siting tabs of 分析研判 (their panels and callbacks; the page module was long enough).

Coverage (覆盖缺口) is drawn when its tab opens: gaps by road to shelters, teams against the 30-minute standard,
overflowing shelters, and the gap points on the map. Siting (选址分析) runs when asked: it reads in one unit of
work, closes it, then solves exactly in a solver slot (as the API does), and puts the proposed sites on the map.
"""
from __future__ import annotations

import dash
from dash import Input, Output, State, callback, dcc, html

from dashboard.auth.principal import current_principal
from dashboard.components import analysis_map as amap
from dashboard.components.analysis_views import table
from dashboard.state import settings
from services.analysis.coverage import SHELTER_GAP_MIN, CoverageQuery, coverage, gap_features
from services.analysis.report_coverage import coverage_tables, siting_table
from services.analysis.siting import SitingQuery, prepare, site_features, solve
from services.db.uow import unit_of_work
from services.errors import FieldError
from services.supply.solver_slots import PlannerBusy
from services.text import normalise_language, t

MODE, MINUTES, TABLES, SUMMARY = "an-cov-mode", "an-cov-minutes", "an-cov-tables", "an-cov-summary"
FACILITY, K, SITE_MINUTES, OBJECTIVE, SITE_MODE, SOURCES, RUN, RESULT = (
    "an-site-facility", "an-site-k", "an-site-minutes", "an-site-objective", "an-site-mode", "an-site-sources",
    "an-site-run", "an-site-result")
FACILITIES, OBJECTIVES, SITE_SOURCES = ("shelter", "team", "depot"), ("coverage", "p-median"), ("seats", "villages",
                                                                                                 "grid")


def _radio(component_id: str, options: list[tuple[str, str]], value: str) -> dcc.RadioItems:
    return dcc.RadioItems([{"label": label, "value": v} for v, label in options], value, id=component_id,
                          inline=True, className="an-radio")


def coverage_panel(lang: str) -> html.Div:
    modes = [(m, t(f"analysis.mode.{m}", lang)) for m in ("drive", "walk")]
    minutes = [(str(m), t("an.cov.within", lang, minutes=m)) for m in SHELTER_GAP_MIN]
    return html.Div([
        html.Div([html.Label([t("an.cov.mode", lang), _radio(MODE, modes, "drive")]),
                  html.Label([t("an.cov.minutes", lang), _radio(MINUTES, minutes, "30")])], className="an-controls"),
        html.P(id=SUMMARY, className="an-summary"), html.Div(id=TABLES)])


def siting_panel(lang: str) -> html.Div:
    principal = current_principal()
    allowed = principal is not None and principal.may("analysis.run")
    controls = html.Div([
        html.Label([t("an.site.facility", lang), _radio(FACILITY, [(f, t(f"analysis.facility.{f}", lang))
                                                                   for f in FACILITIES], "shelter")]),
        html.Label([t("an.site.k", lang), dcc.Input(id=K, type="number", min=1, max=20, step=1, value=3)]),
        html.Label([t("an.site.minutes", lang), dcc.Input(id=SITE_MINUTES, type="number", min=1, max=180, value=30)]),
        html.Label([t("an.site.objective", lang), _radio(OBJECTIVE, [(o, t(f"an.site.objective.{o}", lang))
                                                                     for o in OBJECTIVES], "coverage")]),
        html.Label([t("an.cov.mode", lang), _radio(SITE_MODE, [(m, t(f"analysis.mode.{m}", lang))
                                                               for m in ("drive", "walk")], "drive")]),
        html.Label([t("an.site.sources", lang), dcc.Checklist(
            [{"label": t(f"analysis.source.{s}", lang), "value": s} for s in SITE_SOURCES], ["seats", "villages"],
            id=SOURCES, inline=True, className="an-radio")]),
        html.Button(t("an.site.run", lang), id=RUN, n_clicks=0, className="button-link", disabled=not allowed),
    ], className="an-controls")
    hint = t("an.site.hint", lang) if allowed else t("an.site.not_allowed", lang)
    return html.Div([controls, html.P(hint, className="hint"),
                     dcc.Loading(html.Div(id=RESULT, role="status"), type="dot")])


def _gaps_with_labels(report, mode: str, minutes: float, lang: str) -> dict:
    gaps = gap_features(report, "shelter", mode, minutes)
    for f in gaps["features"]:
        p = f["properties"]
        time = t("analysis.unreachable", lang) if p["minutes"] is None else f"{p['minutes']:.0f}"
        p["label"] = t("an.cov.gap_label", lang, name=p["name"], people=p["people"], minutes=time)
    return gaps


def show_coverage(tab, townships, hazards, mode, minutes, lang):
    """Gaps by road (drawn when the coverage tab opens; the gap points stay on the map after)."""
    if tab != "coverage":
        return dash.no_update, dash.no_update, dash.no_update
    lang, mode, minutes = normalise_language(lang), mode or "drive", float(minutes or 30)
    try:
        with unit_of_work(settings()) as uow:
            report = coverage(uow, CoverageQuery(townships=tuple(townships or ()), hazard_types=tuple(hazards or ())))
    except FieldError as exc:
        return dash.no_update, html.Span(exc.reason if lang == "zh" else exc.reason_en, className="short"), \
            dash.no_update
    gaps = _gaps_with_labels(report, mode, minutes, lang)
    hazard_gaps = [f for f in gaps["features"] if f["properties"]["kind"] == "hazard"]
    summary = t("an.cov.summary", lang, n=len(hazard_gaps), people=sum(f["properties"]["people"] for f in hazard_gaps),
                minutes=f"{minutes:g}", mode=t(f"analysis.mode.{mode}", lang),
                villages=len(gaps["features"]) - len(hazard_gaps))
    return [table(x, lang) for x in coverage_tables(report, lang, mode)], summary, gaps


def run_siting(_runs, facility, k, minutes, objective, mode, sources, townships, hazards, lang):
    """Read in one unit, close it, solve exactly; the sites on the map and what each adds."""
    lang = normalise_language(lang)
    try:
        query = SitingQuery(facility=facility or "shelter", k=_whole(k, "k", 1, 20),
                            minutes=float(_whole(minutes, "minutes", 1, 180)), objective=objective or "coverage",
                            mode=mode or "drive", townships=tuple(townships or ()),
                            hazard_types=tuple(hazards or ()), candidates=tuple(sources or ()) or ("seats",))
        with unit_of_work(settings()) as uow:
            inputs = prepare(uow, query)
        result = solve(settings(), inputs)
    except (FieldError, PlannerBusy) as exc:
        return html.P(exc.reason if lang == "zh" else exc.reason_en, className="short"), dash.no_update
    b, a = result.before, result.after
    if not result.sites:  # nothing a new site would add (every sited site that adds nothing is dropped)
        summary = t("an.site.none", lang, minutes=f"{query.minutes:g}", covered=f"{b.covered_people:,}",
                    people=f"{result.demand_people:,}")
        return [html.P(summary, className="an-summary")], site_features(result)
    summary = t("an.site.summary", lang, k=len(result.sites), facility=t(f"analysis.facility.{facility}", lang),
                before=f"{b.covered_people:,}", after=f"{a.covered_people:,}", share=f"{a.covered_share:.1%}",
                people=f"{result.demand_people:,}", minutes=f"{query.minutes:g}",
                solver=result.solver, seconds=f"{result.solve_s:.2f}")
    return [html.P(summary, className="an-summary"), table(siting_table(result, lang), lang)], site_features(result)


def register() -> None:
    """Wire the tabs' callbacks; called by the page module, which Dash runs once for each app it makes."""
    callback(Output(TABLES, "children"), Output(SUMMARY, "children"), Output(amap.GAPS, "data"),
             Input("an-tabs", "value"), Input("an-township", "value"), Input("an-hazard", "value"),
             Input(MODE, "value"), Input(MINUTES, "value"), State("an-lang", "data"))(show_coverage)
    callback(Output(RESULT, "children"), Output(amap.SITES, "data"), Input(RUN, "n_clicks"),
             State(FACILITY, "value"), State(K, "value"), State(SITE_MINUTES, "value"), State(OBJECTIVE, "value"),
             State(SITE_MODE, "value"), State(SOURCES, "value"), State("an-township", "value"),
             State("an-hazard", "value"), State("an-lang", "data"), prevent_initial_call=True)(run_siting)


def _whole(value, name: str, low: int, high: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = None
    if number is None or not low <= number <= high or number != value:
        raise FieldError.of(name, "an.site.bad_number", name=name, low=low, high=high)
    return number
