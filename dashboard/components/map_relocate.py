"""一张图 修正位置: a user holding ``record.edit`` drags a record's point to its spot and saves it (audited; the location
becomes 坐标 and the township follows the point, services/data/locations.py ``move_record``).

The details panel of a point of a located layer offers the button; it puts a draggable marker (its own LayerGroup)
at the point and a box over the map with the hint, 保存位置 and 取消. The marker reports where it was dropped as its
``position`` (qj.relocateDragEnd, dashboard/assets/qj_map.js); saving writes it, redraws the layer and the panel.
Roles without ``record.edit`` get neither button nor box, and both callbacks are listed under that permission.
"""
from __future__ import annotations

import dash
import dash_leaflet as dl
from dash import ALL, Input, Output, State, callback, ctx, html

from dashboard import ids
from dashboard.auth.principal import current_principal
from dashboard.components.clicks import clicked_id
from dashboard.components.details import feature_panel, latest_patrols, supervision_record
from dashboard.components.map_layers import POINT_LAYER_ORDER, versioned_url
from dashboard.state import basemaps, settings
from geo.coords import from_wgs84, to_wgs84
from services.data.locations import LOCATED, move_record
from services.db.uow import unit_of_work
from services.errors import FieldError
from services.map.features import feature_details
from services.map.live import change_version
from services.text import t, term

_LAYERS = [layer for layer, _ in POINT_LAYER_ORDER]
_SHOWN, _HIDDEN = "map-relocate-box", "map-relocate-box hidden"
_PIN = {"type": ids.RELOCATE_PIN, "layer": ALL, "id": ALL}


def relocation_allowed() -> bool:
    principal = current_principal()
    return principal is not None and principal.may("record.edit")


def relocate_layer() -> list:
    """The LayerGroup the draggable marker is drawn in (over the other layers), for a user who may move points."""
    return [dl.LayerGroup(id=ids.RELOCATE_GROUP)] if relocation_allowed() else []


def relocate_box(lang: str) -> list:
    """Over the map while a point is corrected: what to do, save, cancel, and why a save was refused."""
    if not relocation_allowed():
        return []
    return [html.Div([html.P(id=ids.RELOCATE_HINT, className="relocate-hint"),
                      html.Div([html.Button(t("location.save", lang), id=ids.RELOCATE_SAVE, n_clicks=0,
                                            className="button-link relocate-save"),
                                html.Button(t("location.cancel", lang), id=ids.RELOCATE_CANCEL, n_clicks=0,
                                            className="button-link relocate-cancel")], className="relocate-actions"),
                      html.Div(id=ids.RELOCATE_MESSAGE, className="relocate-message")],
                     id=ids.RELOCATE_BOX, className=_HIDDEN)]


def _crs(key: str | None) -> str:
    basemap = next((b for b in basemaps() if b.key == key), None)
    return basemap.crs if basemap else "WGS84"


def start(_clicks, _cancel, basemap_key, lang):
    """修正位置 puts the draggable marker at the record's point (zoomed in); 取消 takes it away."""
    if ctx.triggered_id == ids.RELOCATE_CANCEL:
        return [], _HIDDEN, "", "", dash.no_update
    trigger = clicked_id()
    if trigger is None or trigger.get("layer") not in LOCATED:
        return dash.no_update, dash.no_update, dash.no_update, dash.no_update, dash.no_update
    layer, record_id = trigger["layer"], int(trigger["id"])
    with unit_of_work(settings()) as uow:
        details = feature_details(uow, layer, record_id)
    if details is None:
        return [], _HIDDEN, "", "", dash.no_update
    lon, lat = from_wgs84(details.lon, details.lat, _crs(basemap_key))
    pin = dl.Marker(id={"type": ids.RELOCATE_PIN, "layer": layer, "id": record_id}, position=[lat, lon],
                    draggable=True, autoPan=True, zIndexOffset=1_000_000, title=details.name,
                    eventHandlers={"dragend": {"variable": "qj.relocateDragEnd"}})
    return ([pin], _SHOWN, t("location.drag_hint", lang, name=details.name), "",
            {"center": [lat, lon], "zoom": 16, "transition": "flyTo"})


def _refused(exc: FieldError, lang: str) -> html.Span:
    return html.Span(t("location.not_saved", lang, reason=exc.reason if lang == "zh" else exc.reason_en),
                     className="short")


def save(_clicks, positions, basemap_key, lang, *urls):
    """Write the dropped position (WGS-84), then redraw the layer and show the record's details with what changed."""
    pins = ctx.states_list[0] if ctx.states_list else []
    if not _clicks or not pins or not positions or positions[0] is None:
        raise dash.exceptions.PreventUpdate
    layer, record_id = pins[0]["id"]["layer"], int(pins[0]["id"]["id"])
    lat, lon = positions[0]
    lon, lat = to_wgs84(float(lon), float(lat), _crs(basemap_key))
    keep = [dash.no_update] * (4 + len(_LAYERS))
    try:
        with unit_of_work(settings(), write=True) as uow:
            moved = move_record(uow, layer, record_id, lon, lat)
    except FieldError as exc:  # outside the district, gone meanwhile, refused: say why and keep the marker
        return [_refused(exc, lang), *keep]
    with unit_of_work(settings()) as uow:
        details = feature_details(uow, layer, record_id)
        patrols = latest_patrols(uow, layer, record_id)
        record = supervision_record(uow, layer, record_id)
        version = change_version(uow)
    if details is None:  # removed just after the move: nothing left to show
        return ["", [], _HIDDEN, [], "details-panel hidden", *keep[4:]]
    township = details.properties.get("township_name_en" if lang == "en" else "township_name") or moved.township_code
    done = html.P(t("location.moved", lang, name=details.name, township=township, quality=term(moved.quality, lang)),
                  className="relocate-done")
    refetch = [versioned_url(url, version) if name == layer else dash.no_update for name, url in zip(_LAYERS, urls)]
    panel = [done, *feature_panel(details, lang, patrols, relocatable=True, record=record)]
    return ["", [], _HIDDEN, panel, "details-panel", *refetch]


def register() -> None:
    """The callbacks of 修正位置; the map page calls this (Dash re-executes page modules per app)."""
    callback(Output(ids.RELOCATE_GROUP, "children"), Output(ids.RELOCATE_BOX, "className"),
             Output(ids.RELOCATE_HINT, "children"), Output(ids.RELOCATE_MESSAGE, "children", allow_duplicate=True),
             Output(ids.MAP, "viewport", allow_duplicate=True),
             Input({"type": ids.RELOCATE, "layer": ALL, "id": ALL}, "n_clicks"), Input(ids.RELOCATE_CANCEL, "n_clicks"),
             State(ids.BASEMAP, "value"), State(ids.MAP_LANG, "data"), prevent_initial_call=True)(start)
    callback([Output(ids.RELOCATE_MESSAGE, "children"), Output(ids.RELOCATE_GROUP, "children", allow_duplicate=True),
              Output(ids.RELOCATE_BOX, "className", allow_duplicate=True),
              Output(ids.DETAILS_BODY, "children", allow_duplicate=True),
              Output(ids.DETAILS, "className", allow_duplicate=True)] +
             [Output(ids.map_layer(layer), "url", allow_duplicate=True) for layer in _LAYERS],
             Input(ids.RELOCATE_SAVE, "n_clicks"), State(_PIN, "position"), State(ids.BASEMAP, "value"),
             State(ids.MAP_LANG, "data"), [State(ids.map_layer(layer), "url") for layer in _LAYERS],
             prevent_initial_call=True)(save)
