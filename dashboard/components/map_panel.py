"""The map's side panel: search, filters, counts that follow the filters, choropleth choice and legends."""
from __future__ import annotations

from dash import dcc, html

from dashboard import ids
from dashboard.components.map_layers import ISOCHRONE_COLOURS, POINT_LAYER_ORDER
from dashboard.components.widgets import dropdown
from services import vocabulary
from services.map.basemaps import Basemap
from services.map.choropleth import FOUR_COLOUR, MEASURES, Choropleth
from services.supervision.map_flags import FLAGS as DANGER_FLAGS
from services.text import t, term_options

_FILTER_LABELS = {
    ("enterprises", "sector"): "map.filter_sector", ("enterprises", "category"): "map.filter_category",
    ("enterprises", "risk_level"): "map.filter_risk", ("hazards", "hazard_type"): "map.filter_hazard_type",
    ("hazards", "warning_level"): "map.filter_warning", ("shelters", "status"): "map.filter_shelter_status",
    ("enterprises", "danger"): "map.filter_danger",
}
_CHOICES = {
    ("enterprises", "sector"): tuple(vocabulary.ENTERPRISE_SECTORS), ("enterprises", "category"): vocabulary.ENTERPRISE_CATEGORIES,
    ("enterprises", "risk_level"): vocabulary.RISK_LEVELS, ("hazards", "hazard_type"): vocabulary.HAZARD_TYPES,
    ("hazards", "warning_level"): vocabulary.WARNING_LEVELS, ("shelters", "status"): vocabulary.SHELTER_STATUSES,
    ("enterprises", "danger"): DANGER_FLAGS,
}


def _options(key: tuple[str, str], lang: str) -> list[dict]:
    if key == ("enterprises", "danger"):  # codes, not stored vocabulary values: labelled by the catalogue
        return [{"label": t(f"map.danger_flag.{v}", lang), "value": v} for v in DANGER_FLAGS]
    return term_options(_CHOICES[key], lang)


def _dropdown(key: tuple[str, str], lang: str) -> html.Label:
    return html.Label([
        t(_FILTER_LABELS[key], lang),
        dropdown(_options(key, lang), [], lang=lang, id=ids.LAYER_FILTERS[key], multi=True,
                 placeholder=t("map.any", lang), className="filter-dropdown"),
    ], className="filter")


def _legend_rows(colours: dict[str, str], prefix: str, lang: str, square: bool = False) -> list:
    return [html.Div([html.Span(className="swatch square" if square else "swatch", style={"background": c}),
                      html.Span(t(f"{prefix}.{key}", lang))], className="legend-row") for key, c in colours.items()]


def legend(lang: str) -> html.Div:
    occupancy = {"open": "#2a9d8f", "nearly_full": "#f4a261", "full": "#d62828", "closed": "#8d99ae"}
    return html.Div([
        html.H4(t("map.legend_risk", lang)), *_legend_rows(vocabulary.RISK_COLOURS, "risk", lang),
        html.Div([html.Span(className="swatch ring-overdue"), html.Span(t("map.danger_flag.overdue", lang))],
                 className="legend-row"),
        html.Div([html.Span(className="swatch ring-major"), html.Span(t("map.danger_flag.major", lang))],
                 className="legend-row"),
        html.H4(t("map.legend_warning", lang)), *_legend_rows(vocabulary.WARNING_COLOURS, "warn", lang),
        html.H4(t("layer.shelters", lang)), *_legend_rows(occupancy, "occupancy", lang, square=True),
        html.P(t("map.legend_depot", lang), className="legend-note"),
        html.P(t("map.legend_team", lang), className="legend-note"),
        html.P(t("map.legend_glyphs", lang), className="legend-note"),
    ], className="legend-block")


def choropleth_legend(choropleth: Choropleth | None, lang: str) -> list:
    if not choropleth or not choropleth.breaks:
        return []
    if choropleth.measure == FOUR_COLOUR:  # one row per risk level, named
        rows = [html.Div([html.Span(className="swatch square", style={"background": vocabulary.RISK_COLOURS[lv]}),
                          html.Span(t(f"risk.{lv}", lang))], className="legend-row") for lv in vocabulary.RISK_LEVELS]
        return [html.H4(t(f"measure.{choropleth.measure}", lang)), *rows]
    lower, rows = 0.0, []
    for upper, colour in zip(choropleth.breaks, choropleth.colours):
        rows.append(html.Div([html.Span(className="swatch square", style={"background": colour}),
                              html.Span(f"{lower:g} – {upper:g}")], className="legend-row"))
        lower = upper
    return [html.H4(t(f"measure.{choropleth.measure}", lang)), *rows]


def isochrone_legend(lang: str) -> html.Div:
    """The key of the road-time bands, over the map while they are shown, with the button that clears them."""
    rows, lower = [], 0
    for minutes, colour in ISOCHRONE_COLOURS.items():
        rows.append(html.Div([html.Span(className="swatch square", style={"background": colour}),
                              html.Span(t("map.iso_band", lang, low=lower, high=minutes))], className="legend-row"))
        lower = minutes
    return html.Div([html.Div(id=ids.ISOCHRONE_MESSAGE, className="hint iso-message"),
                     html.H4(t("map.iso_legend", lang)), *rows,
                     html.Button(t("map.iso_clear", lang), id=ids.ISOCHRONE_CLEAR, n_clicks=0,
                                 className="button-link iso-clear")],
                    id=ids.ISOCHRONE_LEGEND, className="iso-legend hidden")


def basemap_choice(lang: str, basemaps: list[Basemap]) -> html.Label:
    options = [{"label": t("map.basemap_offline", lang), "value": ""}] + [
        {"label": t("paren", lang, text=b.name, inner=b.crs), "value": b.key} for b in basemaps]
    hint = [] if basemaps else [html.Span(t("map.basemap_hint", lang), className="hint")]
    return html.Label([t("map.basemap", lang), dropdown(options, "", lang=lang, id=ids.BASEMAP, clearable=False,
                                                        className="filter-dropdown"), *hint], className="filter")


def side_panel(lang: str, townships: list[tuple[str, str]], counts: dict[str, int], threatened: int,
               target: int, basemaps: list[Basemap]) -> html.Aside:
    count_rows = [html.Div([html.Span(t(f"layer.{layer}", lang)),
                            html.Span(t("map.count", lang, n=counts[layer]), className="count",
                                      id=ids.layer_count(layer))], className="count-row")
                  for layer, _ in reversed(POINT_LAYER_ORDER)]
    measures = [{"label": t("map.choropleth_none", lang), "value": ""}] + [
        {"label": t(f"measure.{m}", lang), "value": m} for m in MEASURES]
    return html.Aside([
        dcc.Input(id=ids.SEARCH_INPUT, type="search", placeholder=t("map.search", lang), debounce=0.4,
                  className="search-input", autoComplete="off"),
        html.Div(id=ids.SEARCH_RESULTS, className="search-results"),
        html.H3(t("map.panel_title", lang)),
        html.Div(count_rows, className="counts"),
        html.Div([html.Div([html.Span(t("map.threatened", lang)),
                            html.Strong(f"{threatened:,}", id=ids.FIGURE_THREATENED)], className="figure"),
                  html.Div(t("map.target", lang, n=target), className="figure-note")], className="figures"),
        html.H3(t("map.filters", lang)),
        html.Label([t("map.township", lang), dropdown(
            [{"label": name, "value": code} for code, name in townships], None, lang=lang, id=ids.FILTER_TOWNSHIP,
            placeholder=t("map.all_townships", lang), className="filter-dropdown")], className="filter"),
        *(_dropdown(key, lang) for key in ids.LAYER_FILTERS),
        html.Label([t("map.choropleth", lang), dropdown(measures, "", lang=lang, id=ids.CHOROPLETH, clearable=False,
                                                       className="filter-dropdown")], className="filter"),
        html.Div(id=ids.CHOROPLETH_LEGEND, className="legend-block"),
        basemap_choice(lang, basemaps),
        html.H3(t("map.blocks", lang)),
        dcc.Checklist([{"label": t("map.block_mode", lang), "value": "on"}], [], id=ids.BLOCK_MODE,
                      className="block-mode"),
        dcc.Input(id=ids.BLOCK_REASON, type="text", value=t("map.block_reason_default", lang),
                  placeholder=t("map.block_reason", lang), className="search-input"),
        html.Button(t("map.block_area", lang), id=ids.BLOCK_AREA, n_clicks=0, className="button-link block-area"),
        html.Div(id=ids.BLOCK_MESSAGE, className="hint"),
        html.Div(id=ids.BLOCK_LIST, className="block-list"),
        html.Div([html.A(t("map.export_html", lang), id=ids.EXPORT_HTML, href="/api/v1/export/map.html",
                         className="button-link"),
                  html.A(t("map.export_png", lang), id=ids.EXPORT_PNG, href="/api/v1/export/map.png",
                         className="button-link")], className="export-links"),
        legend(lang),
        html.P(t("map.boundary_source", lang), className="source-note"),
    ], id=ids.MAP_PANEL, className="side-panel")
