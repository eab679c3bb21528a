"""一张图: the evacuation plan as a layer (off by default) — the latest saved plan or a chosen one, drawn from
``/api/v1/evacuation/plans/<id>.geojson`` with the 疏散安置 page's styling (flow width by people; shelters, housed,
partly housed and unhoused hazard points), and a box with the plan picker and its legend while the layer is on.

County-wide plans need ``plan.read``: the page leaves layer and box out for township staff, and the callback is
listed under that permission (dashboard/auth/callbacks.py).
"""
from __future__ import annotations

import dash_leaflet as dl
from dash import Input, Output, State, callback, html

from dashboard import ids
from dashboard.auth.principal import current_principal
from dashboard.components.plan_views import plan_legend
from dashboard.components.widgets import dropdown
from dashboard.state import basemaps, settings
from services.clock import format_local
from services.db.uow import unit_of_work
from services.evacuation.plan_geojson import largest_flow
from services.evacuation.plans import list_plans, load_plan
from services.text import t

LAYER, BOX, PICK, LEGEND = "map-layer-plan", "map-plan-box", "map-plan-pick", "map-plan-legend"
_SHOWN, _HIDDEN = "map-plan-box", "map-plan-box hidden"


def plan_layer_allowed() -> bool:
    principal = current_principal()
    return principal is not None and principal.may("plan.read")


def plan_overlay(lang: str) -> list:
    """The layers control's entry for the plan (unchecked), or nothing for a role without ``plan.read``."""
    if not plan_layer_allowed():
        return []
    layer = dl.GeoJSON(id=LAYER, url=None, hideout={"crs": "WGS84", "lang": lang},
                       style={"variable": "qj.mapPlanStyle"}, pointToLayer={"variable": "qj.mapPlanPoint"},
                       onEachFeature={"variable": "qj.mapPlanTip"}, coordsToLatLng={"variable": "qj.coordsToLatLng"})
    return [dl.Overlay(layer, name=t("layer.plan", lang), checked=False)]


def plan_box(lang: str) -> list:
    """Over the map while the layer is on: which plan is drawn (newest first) and what its lines and dots mean."""
    if not plan_layer_allowed():
        return []
    return [html.Div([html.H4(t("map.plan_title", lang)),
                      dropdown([], None, lang=lang, id=PICK, clearable=False, className="map-plan-pick"),
                      html.Div(id=LEGEND)], id=BOX, className=_HIDDEN)]


def _options(uow, lang: str) -> list[dict]:
    return [{"label": t("plan.saved_option", lang, id=p.id, name=p.name, time=format_local(p.created_at, uow.settings),
                        author=p.made_by(lang)), "value": p.id} for p in list_plans(uow)]


def show_plan(overlays, chosen, basemap_key, lang):
    """The plan layer's URL and styling inputs, the box's look, the picker's plans and choice, and the legend."""
    basemap = next((b for b in basemaps() if b.key == basemap_key), None)
    hideout = {"crs": basemap.crs if basemap else "WGS84", "lang": lang}
    if t("layer.plan", lang) not in (overlays or []):
        return None, hideout, _HIDDEN, [], None, []
    with unit_of_work(settings()) as uow:  # the picker's plans and the legend's widths from one snapshot
        options = _options(uow, lang)
        known = {o["value"] for o in options}
        chosen = chosen if chosen in known else (options[0]["value"] if options else None)
        saved = load_plan(uow, int(chosen)) if chosen else None
    if saved is None:
        return None, hideout, _SHOWN, options, None, html.P(t("map.plan_none", lang), className="hint")
    url = f"/api/v1/evacuation/plans/{saved.id}.geojson"
    return url, hideout, _SHOWN, options, saved.id, plan_legend(lang, largest_flow(saved))


def register() -> None:
    """The plan layer's callback; the map page calls this (Dash re-executes page modules per app)."""
    callback(Output(LAYER, "url"), Output(LAYER, "hideout"), Output(BOX, "className"), Output(PICK, "options"),
             Output(PICK, "value"), Output(LEGEND, "children"),
             Input(ids.LAYERS_CONTROL, "overlays"), Input(PICK, "value"), Input(ids.BASEMAP, "value"),
             State(ids.MAP_LANG, "data"), prevent_initial_call=True)(show_plan)
