"""一张图: hazard points with an open warning proposal (预警建议) pulse in the proposed colour (a ring drawn under the
point by dashboard/assets/qj_proposals.js, animated by qj_proposals.css), redrawn when the map's change counter
moves; the details panel of such a point shows the proposal and its readings (``proposal_details``)."""
from __future__ import annotations

import dash_leaflet as dl
from dash import Input, Output, State, callback, html

from dashboard import ids
from dashboard.components.duty_proposals import proposal_body
from dashboard.state import basemaps, settings
from services.db.uow import unit_of_work
from services.errors import Forbidden
from services.monitoring.proposal_reads import open_proposal_of, open_proposals
from services.text import t, term

LAYER = "map-layer-proposals"
EMPTY = {"type": "FeatureCollection", "features": []}


def proposals_layer() -> dl.GeoJSON:
    """The pulsing rings, drawn above the point layers; they take no clicks (the point under them does)."""
    return dl.GeoJSON(id=LAYER, data=EMPTY, pointToLayer={"variable": "qj.proposalToLayer"},
                      coordsToLatLng={"variable": "qj.coordsToLatLng"}, hideout={"crs": "WGS84"})


def _features(uow, lang: str) -> dict:
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
         "properties": {"id": p.id, "hazard_id": p.hazard_point_id, "level": p.level, "colour": p.colour,
                        "tip": f"{p.hazard_name} · {t('proposal.proposed', lang, level=term(p.level, lang))}"}}
        for p in open_proposals(uow)]}


def register() -> None:
    """The rings' callback; the map page calls this (Dash re-executes page modules per app)."""
    callback(Output(LAYER, "data"), Output(LAYER, "hideout"), Input(ids.MAP_VERSION, "data"),
             Input(ids.BASEMAP, "value"), State(ids.MAP_LANG, "data"))(pulse)


def pulse(_version, basemap_key, lang):
    """The open proposals' points (township staff: their township's) in the basemap's coordinates."""
    basemap = next((b for b in basemaps() if b.key == basemap_key), None)
    with unit_of_work(settings()) as uow:
        return _features(uow, lang or "zh"), {"crs": basemap.crs if basemap else "WGS84"}


def proposal_details(uow, layer: str, feature_id: int, lang: str) -> list:
    """The open proposal of a hazard point for its details panel (nothing for other layers or without one)."""
    if layer != "hazards" or not uow.principal.may("monitoring.read"):
        return []
    try:
        found = open_proposal_of(uow, feature_id)
    except Forbidden:
        return []
    if found is None:
        return []
    return [html.Div([html.H4(t("proposal.map_title", lang)), *proposal_body(found, lang)],
                     className="proposal-card details-proposal", style={"borderLeftColor": found.colour},
                     **{"data-proposal": str(found.id)})]
