"""分析研判 (analysis): where risk concentrates by township and sector, the composite risk index, with filters,
a map of classes and density, charts and tables that export (PNG from each chart, Excel of every table)."""
from __future__ import annotations

import io

import dash
from dash import Input, Output, State, callback, dcc, html
from openpyxl import Workbook
from openpyxl.styles import Font

from dashboard.components.widgets import dropdown
from dashboard.auth.principal import current_principal
from dashboard.components import analysis_coverage as coverage_views
from dashboard.components import analysis_map as amap
from dashboard.components import analysis_trends as trend_views
from dashboard.components import analysis_views as views
from dashboard.components.refused import page_may_show, refused_page
from dashboard.state import settings
from services import vocabulary
from services.analysis.density import DENSITY_MEASURES
from services.analysis.distribution import CHOROPLETH_MEASURES, risk_distribution, township_measure
from services.analysis.frames import parse_filter
from services.analysis.period import current_quarter, resolve_period
from services.analysis.report_risk import distribution_tables, index_tables
from services.analysis.report_trends import (
    arrivals_by_team_kind,
    incidents_by_kind,
    incidents_by_month,
    incidents_by_township,
    moves_by_day,
    warnings_by_level,
)
from services.analysis.risk_index import risk_index
from services.analysis.snapshot_cache import remembered
from services.analysis.trends import trend_filter, trends
from services.data.geography import township_list
from services.clock import now_utc
from services.db.uow import unit_of_work
from services.map.layers import townships_geojson
from services.errors import FieldError
from services.map.layers import sample_in_use, township_codes
from services.text import normalise_language, t, term_options

dash.register_page(__name__, path="/analysis", name=t("nav.analysis"), order=4)
coverage_views.register()  # the coverage and siting tabs' callbacks

LANG, TOWNSHIP, SECTOR, RISK, HAZARD, WARNING = ("an-lang", "an-township", "an-sector", "an-risk", "an-hazard",
                                                 "an-warning")
MEASURE, SCHEME, DENSITY_MEASURE, CARDS, MESSAGE = "an-measure", "an-scheme", "an-density-measure", "an-cards", "an-message"
FIG_TOWNSHIP, FIG_SECTOR, FIG_HAZARD, FIG_WARNING, FIG_RISK = ("an-fig-township", "an-fig-sector", "an-fig-hazard",
                                                               "an-fig-warning", "an-fig-risk")
TABLES_DIST, TABLES_RISK, EXPORT, DOWNLOAD = "an-tables-dist", "an-tables-risk", "an-export", "an-download"
PERIOD, DATES, VARIANT, TREND_MESSAGE, TABLES_TREND = "an-period", "an-dates", "an-variant", "an-trend-message", \
    "an-tables-trend"
FIG_INCIDENTS, FIG_IN_TIME, FIG_ARRIVAL, FIG_MOVES = ("an-fig-incidents", "an-fig-in-time", "an-fig-arrival",
                                                      "an-fig-moves")
REPORT_DOCX, REPORT_XLSX, REPORT_NOTE = "an-report-docx", "an-report-xlsx", "an-report-note"
TREND_FIGURES = (FIG_INCIDENTS, FIG_IN_TIME, FIG_ARRIVAL, FIG_MOVES)
TABS = "an-tabs"
GOOD_IS_HIGH = {"places_per_1000"}
RISK_MEASURE = "risk"  # the composite index, shaded like the distribution's measures
FIGURES = (FIG_TOWNSHIP, FIG_SECTOR, FIG_HAZARD, FIG_WARNING, FIG_RISK)


def _choice(label_key: str, options: list, value, component_id: str, lang: str, multi: bool = True):
    return html.Label([t(label_key, lang), dropdown(options, value, lang=lang, id=component_id, multi=multi,
                                                        clearable=multi, placeholder=t("an.all", lang))])


def _periods(lang: str) -> list[dict]:
    """The last 24 h, 7 and 30 days, this quarter and the five before it, or dates of one's own."""
    year, number = map(int, current_quarter(settings()).split("Q"))
    quarters = []
    for _ in range(6):
        quarters.append({"label": t("an.period.quarter", lang, year=year, quarter=number),
                         "value": f"quarter:{year}Q{number}"})
        year, number = (year, number - 1) if number > 1 else (year - 1, 4)
    return [{"label": t(f"an.period.{kind}", lang), "value": kind} for kind in ("24h", "7d", "30d")] + quarters + \
        [{"label": t("an.period.custom", lang), "value": "custom"}]


def _filters(lang: str, townships: list[dict]) -> html.Div:
    measures = [{"label": t("an.measure.risk", lang), "value": RISK_MEASURE}] + \
        [{"label": t(f"dist.measure.{m}", lang), "value": m} for m in CHOROPLETH_MEASURES]
    density = [{"label": t(f"dist.measure.{m}", lang), "value": m} for m in DENSITY_MEASURES]
    schemes = [{"label": t(f"dist.scheme.{s}", lang), "value": s} for s in ("quantiles", "natural_breaks")]
    return html.Div([
        _choice("an.township", townships, [], TOWNSHIP, lang),
        _choice("an.sector", term_options(tuple(vocabulary.ENTERPRISE_SECTORS), lang), [], SECTOR, lang),
        _choice("an.risk_level", term_options(vocabulary.RISK_LEVELS, lang), [], RISK, lang),
        _choice("an.hazard_type", term_options(vocabulary.HAZARD_TYPES, lang), [], HAZARD, lang),
        _choice("an.warning_level", term_options(vocabulary.WARNING_LEVELS, lang), [], WARNING, lang),
        _choice("an.measure", measures, RISK_MEASURE, MEASURE, lang, multi=False),
        _choice("an.scheme", schemes, "natural_breaks", SCHEME, lang, multi=False),
        _choice("an.density", density, "threatened_people", DENSITY_MEASURE, lang, multi=False),
        _choice("an.period", _periods(lang), f"quarter:{current_quarter(settings())}", PERIOD, lang, multi=False),
        html.Label([t("an.dates", lang), dcc.DatePickerRange(id=DATES, display_format="YYYY-MM-DD",
                                                             start_date_placeholder_text=t("an.since", lang),
                                                             end_date_placeholder_text=t("an.until", lang),
                                                             disabled=True, clearable=True)]),
        _choice("an.variant", [{"label": t(f"an.variant.{v}", lang), "value": v} for v in ("general", "fire")],
                "general", VARIANT, lang, multi=False),
    ], className="an-filters")


def _graph(component_id: str, lang: str) -> dcc.Graph:
    name = component_id.removeprefix("an-fig-")  # the PNG is named for what it shows
    return dcc.Graph(id=component_id, config=views.graph_config(t(f"an.file.{name}", lang)), className="an-graph")


def layout(lang: str | None = None, **_query) -> html.Div:
    lang = normalise_language(lang)
    if not page_may_show("/analysis"):
        return refused_page("/analysis", "an.title", lang)
    with unit_of_work(settings()) as uow:
        townships = [{"label": name if lang == "zh" else name_en, "value": code}
                     for code, name, name_en in township_list(uow)]
        sample = sample_in_use(uow)
        outlines = townships_geojson(uow)
    return html.Div([
        dcc.Store(id=LANG, data=lang), dcc.Download(id=DOWNLOAD),
        html.Div([html.H2(t("an.title", lang)),
                  *([html.Span(t("an.sample", lang), className="sample-note")] if sample else []),
                  html.Button(t("an.export", lang), id=EXPORT, n_clicks=0, className="button-link an-export")],
                 className="an-head"),
        _filters(lang, townships),
        html.Div(id=MESSAGE, role="status"),
        html.Div(id=CARDS, className="an-cards"),
        html.Div([
            html.Div([amap.analysis_map(lang, outlines), html.Div(id=amap.LEGEND, className="an-legend")],
                     className="an-map-wrap"),
            html.Div(_graph(FIG_RISK, lang), className="an-panel an-risk-panel"),
        ], className="an-row"),
        dcc.Tabs([
            dcc.Tab(label=t("an.tab.distribution", lang), value="distribution", children=[
                html.Div([html.Div(_graph(FIG_TOWNSHIP, lang), className="an-panel wide"),
                          html.Div(_graph(FIG_SECTOR, lang), className="an-panel")], className="an-row"),
                html.Div([html.Div(_graph(FIG_HAZARD, lang), className="an-panel wide"),
                          html.Div(_graph(FIG_WARNING, lang), className="an-panel")], className="an-row"),
                html.Div(id=TABLES_DIST)]),
            dcc.Tab(label=t("an.tab.risk_index", lang), value="risk_index", children=[
                html.P([html.B(t("risk.formula", lang)), " ", html.Span(id="an-method-note")], className="hint"),
                html.Div(id=TABLES_RISK)]),
            dcc.Tab(label=t("an.tab.coverage", lang), value="coverage",
                    children=[coverage_views.coverage_panel(lang)]),
            dcc.Tab(label=t("an.tab.siting", lang), value="siting", children=[coverage_views.siting_panel(lang)]),
            dcc.Tab(label=t("an.tab.trends", lang), value="trends", children=[
                html.Div(id=TREND_MESSAGE, role="status"),
                html.Div([html.Div(_graph(FIG_INCIDENTS, lang), className="an-panel wide"),
                          html.Div(_graph(FIG_IN_TIME, lang), className="an-panel")], className="an-row"),
                html.Div([html.Div(_graph(FIG_ARRIVAL, lang), className="an-panel"),
                          html.Div(_graph(FIG_MOVES, lang), className="an-panel wide")], className="an-row"),
                html.Div(id=TABLES_TREND)]),
            dcc.Tab(label=t("an.tab.report", lang), value="report", children=[_report_panel(lang)]),
        ], id=TABS, value="distribution", className="an-tabs"),
    ], className="data-page an-page")


def _report_panel(lang: str) -> html.Div:
    principal = current_principal()
    allowed = principal is not None and principal.may("analysis.run")
    hidden = {} if allowed else {"display": "none"}  # the route refuses them too (analysis.run)
    links = [html.A(t("an.report.docx", lang), id=REPORT_DOCX, className="button-link", href="", style=hidden),
             html.A(t("an.report.xlsx", lang), id=REPORT_XLSX, className="button-link", href="", style=hidden)]
    return html.Div([html.P(t("an.report.what", lang), className="hint"), html.Div(links, className="plan-links"),
                     html.P(id=REPORT_NOTE, className="hint")],
                    className="an-report")


def _read(uow, townships, sectors, levels, hazards, warnings, scheme, density_measure=None):
    """The distribution and the index under the filters, from one unit of work (FieldError for a bad filter)."""
    flt = parse_filter({"township": townships or [], "sector": sectors or [], "risk_level": levels or [],
                        "hazard_type": hazards or [], "warning_level": warnings or []}, township_codes(uow))
    classed = (density_measure,) if density_measure in DENSITY_MEASURES else DENSITY_MEASURES
    uow.principal.require("analysis.read")  # before a remembered answer is handed out
    scheme = scheme or "natural_breaks"
    return (remembered(uow, "distribution", lambda: risk_distribution(uow, flt, scheme=scheme, density_classed=classed),
                       flt, scheme, classed),
            remembered(uow, "risk_index", lambda: risk_index(uow, flt.township), flt.township))


def _tables(dist, index, lang: str) -> tuple[list, list]:
    return distribution_tables(dist, lang), index_tables(index, lang)


def _period(value: str | None, since: str | None, until: str | None):
    """The period of the selector (a kind, ``quarter:2026Q4``, or custom dates); PeriodError names the field."""
    kind, _, quarter = (value or "30d").partition(":")
    if kind == "custom":
        return resolve_period(settings(), "custom", since=_day(since, "since"), until=_day(until, "until"))
    return resolve_period(settings(), kind, quarter=quarter or None)


def _day(value: str | None, name: str):
    import datetime as dt
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        raise FieldError.of(name, "period.date_invalid", value=value) from None


def _trend_tables(found, lang: str) -> list:
    return [incidents_by_month(found, lang), incidents_by_township(found, lang), incidents_by_kind(found, lang),
            warnings_by_level(found, lang), arrivals_by_team_kind(found, lang), moves_by_day(found, lang)]


def _map_outputs(dist, index, measure: str, density_measure: str, lang: str):
    if measure == RISK_MEASURE:
        values = {r.code: r.risk for r in index.townships}
        classes, good = index.classes, False
    else:
        measure = measure if measure in CHOROPLETH_MEASURES else "threatened_people"
        values = {r.code: township_measure(r, measure) for r in dist.townships}
        classes, good = dist.classes.get(measure, []), measure in GOOD_IS_HIGH
    hideout = amap.township_hideout(values, classes, lang, good)
    density_measure = density_measure if density_measure in DENSITY_MEASURES else "threatened_people"
    density_classes = dist.density.classes.get(density_measure, [])
    title = t("an.measure.risk", lang) if measure == RISK_MEASURE else t(f"dist.measure.{measure}", lang)
    legend = amap.legend(title, classes, hideout["colours"], lang) + amap.legend(
        t("an.legend.density", lang, measure=t(f"dist.measure.{density_measure}", lang),
          km2=f"{dist.density.cell_area_km2:.1f}"), density_classes, amap.ramp(density_classes), lang)
    return (hideout, legend, {"type": "FeatureCollection", "features": dist.density.features},
            amap.density_hideout(density_measure, density_classes))


@callback(
    Output(CARDS, "children"), Output(MESSAGE, "children"), Output(amap.TOWNSHIPS, "hideout"),
    Output(amap.LEGEND, "children"), Output(amap.DENSITY, "data"), Output(amap.DENSITY, "hideout"),
    *(Output(f, "figure") for f in FIGURES), Output(TABLES_DIST, "children"), Output(TABLES_RISK, "children"),
    Output("an-method-note", "children"),
    Input(TOWNSHIP, "value"), Input(SECTOR, "value"), Input(RISK, "value"), Input(HAZARD, "value"),
    Input(WARNING, "value"), Input(MEASURE, "value"), Input(SCHEME, "value"), Input(DENSITY_MEASURE, "value"),
    State(LANG, "data"),
)
def _refresh(townships, sectors, levels, hazards, warnings, measure, scheme, density_measure, lang):
    lang = normalise_language(lang)
    try:
        with unit_of_work(settings()) as uow:  # every figure of the page from one snapshot
            dist, index = _read(uow, townships, sectors, levels, hazards, warnings, scheme, density_measure)
    except FieldError as exc:
        message = html.P(exc.reason if lang == "zh" else exc.reason_en, className="short")
        return (dash.no_update, message, *([dash.no_update] * (len(FIGURES) + 7)))
    dist_tables, risk_tables = _tables(dist, index, lang)
    figures = (views.township_risk_figure(dist, lang), views.sector_treemap(dist, lang),
               views.hazard_figure(dist, lang), views.warning_figure(dist, lang), views.risk_index_figure(index, lang))
    method = t("risk.method", lang, floor=index.floor, capacity_max=round(1 - index.floor, 4))
    return (views.indicators(dist, index, lang), "", *_map_outputs(dist, index, measure, density_measure, lang),
            *figures, [views.table(d, lang) for d in dist_tables], [views.table(d, lang) for d in risk_tables],
            method)


def workbook_bytes(tables: list, lang: str) -> bytes:
    """One sheet per table, headers bold, as the page showed them."""
    book = Workbook()
    book.remove(book.active)
    for data in tables:
        sheet = book.create_sheet(_sheet_name(data.title, book.sheetnames))
        sheet.append(data.header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in data.rows:
            sheet.append(row)
        for column in sheet.columns:
            sheet.column_dimensions[column[0].column_letter].width = max(
                10, min(40, max(len(str(c.value or "")) for c in column) * 1.6))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_name(title: str, taken: list[str]) -> str:
    """At most 31 characters, none of []:*?/\\, and not one already in the book."""
    name = "".join(" " if c in "[]:*?/\\" else c for c in title)[:31] or "Sheet"
    n = 2
    while name in taken:
        name = f"{name[:28]}({n})"
        n += 1
    return name


@callback(Output(DOWNLOAD, "data"), Input(EXPORT, "n_clicks"),
          State(TOWNSHIP, "value"), State(SECTOR, "value"), State(RISK, "value"), State(HAZARD, "value"),
          State(WARNING, "value"), State(SCHEME, "value"), State(PERIOD, "value"), State(DATES, "start_date"),
          State(DATES, "end_date"), State(VARIANT, "value"), State(LANG, "data"), prevent_initial_call=True)
def _export(_clicks, townships, sectors, levels, hazards, warnings, scheme, period, since, until, variant, lang):
    """Every table of the page under its filters, one sheet each (the charts save themselves as PNG)."""
    lang = normalise_language(lang)
    try:
        with unit_of_work(settings()) as uow:
            dist, index = _read(uow, townships, sectors, levels, hazards, warnings, scheme)
            found = trends(uow, trend_filter(uow, _period(period, since, until), tuple(townships or ()),
                                             variant or "general"))
    except FieldError:
        return dash.no_update
    dist_tables, risk_tables = _tables(dist, index, lang)
    tables = dist_tables + risk_tables + _trend_tables(found, lang)
    return dcc.send_bytes(workbook_bytes(tables, lang), t("an.file.tables", lang) + ".xlsx")


@callback(*(Output(f, "figure") for f in TREND_FIGURES), Output(TABLES_TREND, "children"),
          Output(TREND_MESSAGE, "children"),
          Input(TABS, "value"), Input(TOWNSHIP, "value"), Input(PERIOD, "value"), Input(DATES, "start_date"),
          Input(DATES, "end_date"), Input(VARIANT, "value"), State(LANG, "data"))
def _trends(tab, townships, period, since, until, variant, lang):
    """The trends of the period, drawn when their tab is open (the first view needs none of it)."""
    if tab != "trends":
        return (*([dash.no_update] * (len(TREND_FIGURES) + 1)), dash.no_update)
    lang = normalise_language(lang)
    try:
        chosen = _period(period, since, until)
        with unit_of_work(settings()) as uow:
            found = trends(uow, trend_filter(uow, chosen, tuple(townships or ()), variant or "general"), now=now_utc())
    except FieldError as exc:
        return (*([dash.no_update] * (len(TREND_FIGURES) + 1)), _period_message(exc, lang))
    figures = (trend_views.incidents_figure(found, lang), trend_views.in_time_figure(found, lang),
               trend_views.arrival_figure(found, lang), trend_views.moves_figure(found, lang))
    return (*figures, [views.table(x, lang) for x in _trend_tables(found, lang)], "")


def _period_message(exc: FieldError, lang: str) -> html.P:
    return html.P(f"{exc.field}: {exc.reason if lang == 'zh' else exc.reason_en}", className="short")


@callback(Output(REPORT_DOCX, "href"), Output(REPORT_XLSX, "href"), Output(REPORT_NOTE, "children"),
          Output(DATES, "disabled"),
          Input(TOWNSHIP, "value"), Input(PERIOD, "value"), Input(DATES, "start_date"), Input(DATES, "end_date"),
          Input(VARIANT, "value"), State(LANG, "data"))
def _report_links(townships, period, since, until, variant, lang):
    """The report's downloads for the chosen period, townships and focus (the route checks them again)."""
    lang = normalise_language(lang)
    custom = (period or "") == "custom"
    try:
        chosen = _period(period, since, until)
    except FieldError as exc:
        return "", "", _period_message(exc, lang), not custom
    principal = current_principal()
    note = "" if principal is not None and principal.may("analysis.run") else t("an.report.not_allowed", lang)
    query = _report_query(chosen, townships, variant, lang)
    return f"/api/v1/analysis/report.docx?{query}", f"/api/v1/analysis/report.xlsx?{query}", note, not custom


def _report_query(chosen, townships, variant, lang: str) -> str:
    from urllib.parse import urlencode
    args = {"period": chosen.kind, "variant": variant or "general", "lang": lang}
    if chosen.kind == "quarter":
        args["quarter"] = chosen.quarter
    elif chosen.kind == "custom":
        args |= {"since": chosen.since.isoformat(), "until": chosen.until.isoformat()}
    if townships:
        args["townships"] = ",".join(townships)
    return urlencode(args)
