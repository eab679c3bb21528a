"""The map of 分析研判: townships shaded by a measure's classes, the hexagon density surface, proposed sites."""
from __future__ import annotations

import dash_leaflet as dl
from dash import html

from dashboard.components.map_layers import district_frame, boundary_layer
from services.analysis.classes import ValueClass
from services.text import t

MAP, TOWNSHIPS, DENSITY, SITES, GAPS, LEGEND = ("an-map", "an-townships", "an-density", "an-sites", "an-gaps",
                                                "an-legend")
RAMP = ("#fff5eb", "#fdd0a2", "#fdae6b", "#fd8d3c", "#e6550d", "#a63603", "#7f2704", "#5a1c02", "#3d1301")
GOOD_RAMP = ("#f7fcf5", "#c7e9c0", "#a1d99b", "#74c476", "#41ab5d", "#238b45", "#006d2c", "#00441b", "#002910")
EMPTY = {"type": "FeatureCollection", "features": []}


def ramp(classes: list[ValueClass], good_is_high: bool = False) -> list[str]:
    """One colour per class, light to dark (green when more is better)."""
    colours = GOOD_RAMP if good_is_high else RAMP
    n = len(classes)
    if n <= 1:
        return list(colours[2:3]) * n
    step = (len(colours) - 1) / (n - 1)
    return [colours[round(i * step)] for i in range(n)]


def township_hideout(values: dict[str, float | None], classes: list[ValueClass], lang: str,
                     good_is_high: bool = False) -> dict:
    """What qj.townshipStyle reads: values by code, the classes' upper bounds and their colours."""
    return {"lang": lang, "crs": "WGS84", "values": values, "breaks": [c.upper for c in classes],
            "colours": ramp(classes, good_is_high)}


def density_hideout(measure: str, classes: list[ValueClass]) -> dict:
    return {"measure": measure, "uppers": [c.upper for c in classes], "colours": ramp(classes)}


def legend(title: str, classes: list[ValueClass], colours: list[str], lang: str, note: str = "") -> list:
    """A legend of the classes (label and count of townships or cells in each)."""
    if not classes:
        return [html.Div(title, className="an-legend-title"), html.Div(t("an.legend.none", lang))]
    rows = [html.Div([html.Span(className="an-swatch", style={"background": colour}),
                      html.Span(t("an.legend.row", lang, label=c.label, n=c.count))])
            for c, colour in zip(classes, colours)]
    return [html.Div(title, className="an-legend-title"), *rows, *([html.Div(note, className="hint")] if note else [])]


def analysis_map(lang: str, townships_data: dict) -> dl.Map:
    """The map; the townships' outlines come with the layout (about 55 kB), not by ``url``: dash-leaflet 1.1.3's
    GeoJSON drops any property change that arrives while its url is still loading (``updateGeojson`` returns while
    busy and draws the fetched data with the props of the moment it started), so classes that the first refresh sends
    before a slow fetch ends were lost and the townships stayed white."""
    townships = dl.GeoJSON(data=townships_data, id=TOWNSHIPS, hideout={"lang": lang, "crs": "WGS84"},
                           style={"variable": "qj.townshipStyle"}, onEachFeature={"variable": "qj.townshipOnEach"},
                           coordsToLatLng={"variable": "qj.coordsToLatLng"})
    density = dl.GeoJSON(id=DENSITY, data=EMPTY, hideout={"measure": "", "uppers": [], "colours": []},
                         style={"variable": "qj.hexStyle"})
    gaps = dl.GeoJSON(id=GAPS, data=EMPTY, pointToLayer={"variable": "qj.gapToLayer"})
    sites = dl.GeoJSON(id=SITES, data=EMPTY, pointToLayer={"variable": "qj.siteToLayer"})
    overlays = [dl.Overlay(boundary_layer(lang), name=t("layer.boundary", lang), checked=True),
                dl.Overlay(townships, name=t("an.layer.townships", lang), checked=True),
                dl.Overlay(density, name=t("an.layer.density", lang), checked=False),
                dl.Overlay(gaps, name=t("an.layer.gaps", lang), checked=True),
                dl.Overlay(sites, name=t("an.layer.sites", lang), checked=True)]
    # dash-leaflet's LayersControl tracks the checked overlays in ``overlays`` (unset, unchecking one fails)
    return dl.Map(id=MAP, children=[dl.LayersControl(overlays, collapsed=False, position="topright",
                                                     overlays=[o.name for o in overlays if o.checked]),
                                    dl.ScaleControl(position="bottomleft", imperial=False)],
                  **district_frame(), zoom=9.5, zoomSnap=0.25, maxZoom=16,
                  className="qj-map an-map")
