"""一张图: the district, its townships and the five point layers on an offline map."""
from __future__ import annotations

import dash
import dash_leaflet as dl
from dash import html

from dashboard import ids
from dashboard.i18n import normalise_language, t
from dashboard.state import settings
from services import domain
from services.layers import entity_counts, threatened_people_total

dash.register_page(__name__, path="/", name="一张图", order=0)

# (layer key, checked by default); drawing order bottom → top.
POINT_LAYER_ORDER = (("stations", False), ("enterprises", True), ("hazards", True), ("teams", True),
                     ("depots", True), ("shelters", True))
_FIXED_COLOURS = {"shelters": "#2dc653", "depots": "#7209b7", "teams": "#c77dff", "stations": "#61a5c2"}


def _point_layer(layer: str) -> dl.GeoJSON:
    colours = {"enterprises": domain.RISK_COLOURS, "hazards": domain.WARNING_COLOURS}.get(layer, {})
    return dl.GeoJSON(
        id=ids.map_layer(layer), url=f"/api/v1/layers/{layer}",
        pointToLayer={"variable": "qj.pointToLayer"},
        hideout={"colours": colours, "colour": _FIXED_COLOURS.get(layer)},
    )


def _map(lang: str) -> dl.Map:
    base = [
        dl.Overlay(dl.GeoJSON(url="/api/v1/boundary", style={"variable": "qj.boundaryStyle"},
                              onEachFeature={"variable": "qj.boundaryOnEach"}, id=ids.map_layer("boundary"),
                              hideout={"lang": lang}),
                   name=t("layer.boundary", lang), checked=True),
        dl.Overlay(dl.GeoJSON(url="/api/v1/townships", style={"variable": "qj.townshipStyle"},
                              onEachFeature={"variable": "qj.townshipOnEach"}, id=ids.map_layer("townships"),
                              hideout={"lang": lang}),
                   name=t("layer.townships", lang), checked=True),
    ]
    points = [dl.Overlay(_point_layer(layer), name=t(f"layer.{layer}", lang), checked=checked)
              for layer, checked in POINT_LAYER_ORDER]
    return dl.Map(
        id=ids.MAP, children=[dl.LayersControl(base + points, collapsed=False, position="topright"),
                              dl.ScaleControl(position="bottomleft", imperial=False)],
        bounds=[[29.07, 108.48], [29.88, 108.96]], center=[29.47, 108.717], zoom=10.5,
        preferCanvas=True, zoomSnap=0.25,
        attributionControl=False, className="qj-map",
    )


def _legend_rows(title: str, colours: dict[str, str], label_prefix: str, lang: str) -> html.Div:
    rows = [html.Div([html.Span(className="swatch", style={"background": colour}),
                      html.Span(t(f"{label_prefix}.{level}", lang))], className="legend-row")
            for level, colour in colours.items()]
    return html.Div([html.H4(title), *rows], className="legend-block")


def _panel(lang: str) -> html.Aside:
    s = settings()
    counts = entity_counts(s)
    rows = [html.Div([html.Span(t(f"layer.{layer}", lang)),
                      html.Span(t("map.count", lang, n=counts[layer]), className="count",
                                id=f"count-{layer}")], className="count-row")
            for layer, _ in reversed(POINT_LAYER_ORDER)]
    figures = html.Div([
        html.Div([html.Span(t("map.threatened", lang)),
                  html.Strong(f"{threatened_people_total(s):,}", id="figure-threatened")], className="figure"),
        html.Div(t("map.target", lang, n=s.region.evacuation_target_people), className="figure-note"),
    ], className="figures")
    warning_levels = {k: v for k, v in domain.WARNING_COLOURS.items()}
    return html.Aside([
        html.H3(t("map.panel_title", lang)),
        html.Div(rows, className="counts"),
        figures,
        _legend_rows(t("map.legend_risk", lang), domain.RISK_COLOURS, "risk", lang),
        _legend_rows(t("map.legend_warning", lang), warning_levels, "warn", lang),
        html.P(t("map.no_tiles", lang), className="source-note"),
        html.P(t("map.boundary_source", lang), className="source-note"),
    ], id=ids.MAP_PANEL, className="side-panel")


def layout(lang: str | None = None, **_query) -> html.Div:
    lang = normalise_language(lang)
    return html.Div([_panel(lang), html.Div(_map(lang), className="map-wrap")], className="map-page")
