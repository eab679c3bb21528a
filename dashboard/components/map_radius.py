"""一张图 周边研判 from anywhere: a click on an empty spot of the map offers the radius buttons (and road-time
isochrones) for that spot, and while a radius result is shown its circle (dl.Circle, radius in metres) is drawn on
the map; closing the panel or opening something else removes it.

The circle follows the panel: it is drawn from the chosen radius button of the shown panel, so it exists exactly
while a radius result is on screen, whatever opened it (a feature's details or a free click).
"""
from __future__ import annotations

import dash
import dash_leaflet as dl
from dash import Input, Output, State, callback, html

from dashboard import ids
from dashboard.components.details import radius_buttons
from dashboard.state import basemaps
from geo.coords import from_wgs84, to_wgs84
from services.text import t

CIRCLE = "map-radius-circle"  # a LayerGroup over the map holding the circle of the radius shown


def circle_layer() -> dl.LayerGroup:
    return dl.LayerGroup(id=CIRCLE)


def _crs(key: str | None) -> str:
    basemap = next((b for b in basemaps() if b.key == key), None)
    return basemap.crs if basemap else "WGS84"


def spot_panel(lon: float, lat: float, lang: str) -> list:
    """The details panel of a spot clicked on the map (WGS-84): what can be asked about a place with no feature."""
    name = t("map.spot", lang, lon=f"{lon:.5f}", lat=f"{lat:.5f}")
    return [html.Div(t("map.spot_layer", lang), className="details-layer"),
            html.H3(name, className="details-title spot-title", **{"data-name": name}),
            radius_buttons(lon, lat, lang),
            html.Button(t("map.isochrones", lang), id={"type": ids.ISOCHRONE, "lon": lon, "lat": lat}, n_clicks=0,
                        className="button-link iso-button")]


def open_spot(click, block_mode, basemap_key, lang):
    """A free click (no feature under it) opens the spot's panel, unless the click is closing a road."""
    if block_mode or not click or "latlng" not in click:
        return dash.no_update, dash.no_update
    lon, lat = to_wgs84(click["latlng"]["lng"], click["latlng"]["lat"], _crs(basemap_key))
    return spot_panel(round(lon, 5), round(lat, 5), lang), "details-panel"


def _chosen_radius(node) -> dict | None:
    """The id of the chosen radius button in a panel's children ({type, lon, lat, km}), or None."""
    if isinstance(node, list):
        return next((found for found in map(_chosen_radius, node) if found), None)
    if not isinstance(node, dict):
        return None
    props = node.get("props") or {}
    key = props.get("id")
    if isinstance(key, dict) and key.get("type") == ids.RADIUS and "chosen" in str(props.get("className", "")):
        return key
    return _chosen_radius(props.get("children"))


def draw_circle(shown, basemap_key):
    """The circle of the radius result shown in the panel, in the basemap's coordinates; nothing otherwise."""
    chosen = _chosen_radius(shown)
    if chosen is None:
        return []
    lon, lat = from_wgs84(float(chosen["lon"]), float(chosen["lat"]), _crs(basemap_key))
    return [dl.Circle(center=[lat, lon], radius=float(chosen["km"]) * 1000, interactive=False,
                      className="qj-radius-circle", color="#0b2545", weight=2, dashArray="6 4",
                      fillColor="#3a86ff", fillOpacity=0.08)]


def register() -> None:
    """The callbacks of 周边研判 from the map; the map page calls this (Dash re-executes page modules per app)."""
    callback(Output(ids.DETAILS_BODY, "children", allow_duplicate=True),
             Output(ids.DETAILS, "className", allow_duplicate=True),
             Input(ids.MAP, "clickData"), State(ids.BLOCK_MODE, "value"), State(ids.BASEMAP, "value"),
             State(ids.MAP_LANG, "data"), prevent_initial_call=True)(open_spot)
    callback(Output(CIRCLE, "children"), Input(ids.DETAILS_BODY, "children"), State(ids.BASEMAP, "value"),
             prevent_initial_call=True)(draw_circle)
