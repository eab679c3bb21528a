"""分析研判 (analysis): where risk concentrates by township and sector, the composite risk index, with filters,
a map of classes and density, charts and tables that export (PNG from each chart, Excel of every table)."""
from __future__ import annotations

import io

import dash
from dash import Input, Output, State, callback, dcc, html
from openpyxl import Workbook
from openpyxl.styles import Font

from dashboard.components import analysis_map as amap
from dashboard.components import analysis_views as views
from dashboard.components.refused import page_may_show, refused_page
from dashboard.state import settings
from services import vocabulary
from services.analysis.density import DENSITY_MEASURES
from services.analysis.distribution import CHOROPLETH_MEASURES, risk_distribution, township_measure
from services.analysis.frames import parse_filter
from services.analysis.risk_index import risk_index
from services.data.geography import township_list
from services.db.uow import unit_of_work
from services.errors import FieldError
from services.map.layers import sample_in_use, township_codes
from services.text import normalise_language, t, term_options

dash.register_page(__name__, path="/analysis", name=t("nav.analysis"), order=4)

LANG, TOWNSHIP, SECTOR, RISK, HAZARD, WARNING = ("an-lang", "an-township", "an-sector", "an-risk", "an-hazard",
                                                 "an-warning")
MEASURE, SCHEME, DENSITY_MEASURE, CARDS, MESSAGE = "an-measure", "an-scheme", "an-density-measure", "an-cards", "an-message"
FIG_TOWNSHIP, FIG_SECTOR, FIG_HAZARD, FIG_WARNING, FIG_RISK = ("an-fig-township", "an-fig-sector", "an-fig-hazard",
                                                               "an-fig-warning", "an-fig-risk")
TABLES_DIST, TABLES_RISK, EXPORT, DOWNLOAD = "an-tables-dist", "an-tables-risk", "an-export", "an-download"
GOOD_IS_HIGH = {"places_per_1000"}
RISK_MEASURE = "risk"  # the composite index, shaded like the distribution's measures
FIGURES = (FIG_TOWNSHIP, FIG_SECTOR, FIG_HAZARD, FIG_WARNING, FIG_RISK)


def _choice(label_key: str, options: list, value, component_id: str, lang: str, multi: bool = True):
    return html.Label([t(label_key, lang), dcc.Dropdown(options, value, id=component_id, multi=multi,
                                                        clearable=multi, placeholder=t("an.all", lang))])


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
            html.Div([amap.analysis_map(lang), html.Div(id=amap.LEGEND, className="an-legend")],
                     className="an-map-wrap"),
            html.Div(_graph(FIG_RISK, lang), className="an-panel an-risk-panel"),
        ], className="an-row"),
        dcc.Tabs([
            dcc.Tab(label=t("an.tab.distribution", lang), children=[
                html.Div([html.Div(_graph(FIG_TOWNSHIP, lang), className="an-panel wide"),
                          html.Div(_graph(FIG_SECTOR, lang), className="an-panel")], className="an-row"),
                html.Div([html.Div(_graph(FIG_HAZARD, lang), className="an-panel wide"),
                          html.Div(_graph(FIG_WARNING, lang), className="an-panel")], className="an-row"),
                html.Div(id=TABLES_DIST)]),
            dcc.Tab(label=t("an.tab.risk_index", lang), children=[
                html.P([html.B(t("risk.formula", lang)), " ", html.Span(id="an-method-note")], className="hint"),
                html.Div(id=TABLES_RISK)]),
        ], className="an-tabs"),
    ], className="data-page an-page")


def _read(uow, townships, sectors, levels, hazards, warnings, scheme):
    """The distribution and the index under the filters, from one unit of work (FieldError for a bad filter)."""
    flt = parse_filter({"township": townships or [], "sector": sectors or [], "risk_level": levels or [],
                        "hazard_type": hazards or [], "warning_level": warnings or []}, township_codes(uow))
    return risk_distribution(uow, flt, scheme=scheme or "natural_breaks"), risk_index(uow, flt.township)


def _tables(dist, index, lang: str) -> tuple[list, list]:
    dist_tables = [views.township_data(dist, lang),
                   views.matrix_data(dist, dist.township_sector, "an.table.township_sector", lang),
                   views.matrix_data(dist, dist.township_hazard_type, "an.table.township_hazard", lang)]
    return dist_tables, [views.risk_index_data(index, lang), views.method_data(index, lang)]


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
          km2=f"{dist.density.cell_area_km2:g}"), density_classes, amap.ramp(density_classes), lang)
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
            dist, index = _read(uow, townships, sectors, levels, hazards, warnings, scheme)
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


def workbook_bytes(tables: list[views.TableData], lang: str) -> bytes:
    """One sheet per table, headers bold, as the page showed them."""
    book = Workbook()
    book.remove(book.active)
    for data in tables:
        sheet = book.create_sheet(t(data.key, lang)[:31])
        sheet.append(data.headers)
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


@callback(Output(DOWNLOAD, "data"), Input(EXPORT, "n_clicks"),
          State(TOWNSHIP, "value"), State(SECTOR, "value"), State(RISK, "value"), State(HAZARD, "value"),
          State(WARNING, "value"), State(SCHEME, "value"), State(LANG, "data"), prevent_initial_call=True)
def _export(_clicks, townships, sectors, levels, hazards, warnings, scheme, lang):
    lang = normalise_language(lang)
    try:
        with unit_of_work(settings()) as uow:
            dist, index = _read(uow, townships, sectors, levels, hazards, warnings, scheme)
    except FieldError:
        return dash.no_update
    dist_tables, risk_tables = _tables(dist, index, lang)
    return dcc.send_bytes(workbook_bytes(dist_tables + risk_tables, lang), t("an.file.tables", lang) + ".xlsx")
