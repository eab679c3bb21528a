"""一张图: the district, townships and six point layers; filters, search, details, choropleth, drawn areas, 修正位置."""
from __future__ import annotations

import json
from urllib.parse import urlencode

import dash
import shapely
from shapely.geometry import shape
from dash import ALL, Input, Output, State, callback, ctx, dcc, html

from dashboard import ids
from dashboard.components.clicks import clicked_id
from dashboard.components.details import (
    area_panel,
    details_container,
    feature_panel,
    latest_patrols,
    supervision_record,
    radius_panel,
    search_results,
)
from dashboard.components.map_layers import (
    district_frame,
    EMPTY,
    ISOCHRONE_COLOURS,
    POINT_LAYER_ORDER,
    basemap_tiles,
    layer_url,
    map_component,
    point_hideout,
    versioned_url,
)
from dashboard.components.map_panel import choropleth_legend, isochrone_legend, side_panel
from dashboard.components.map_plan import plan_box, plan_overlay
from dashboard.components.map_plan import register as register_plan_layer
from dashboard.components.map_proposals import proposal_details, proposals_layer
from dashboard.components.map_proposals import register as register_proposals
from dashboard.components.map_radius import circle_layer
from dashboard.components.map_radius import register as register_spot_radius
from dashboard.components.map_relocate import register as register_relocate
from dashboard.components.map_relocate import relocate_box, relocate_layer, relocation_allowed
from dashboard.components.monitoring_chart import chart_section
from dashboard.components.monitoring_chart import register as register_chart
from services.text import normalise_language, t, term
from dashboard.state import basemaps, settings
from geo.coords import from_wgs84, geometry_to_wgs84, to_wgs84
from services import vocabulary
from services.data.geography import township_list
from services.db.uow import UnitOfWork, unit_of_work
from services.errors import FieldError
from services.map.area import area_from_geojson, summarise_area
from services.map.choropleth import MEASURES, choropleth
from services.map.features import feature_details
from services.map.live import change_version, live_overlays
from services.map.nearby import within_radius
from services.map.layers import (
    POINT_LAYERS,
    filtered_counts,
    parse_filter,
    threatened_people_total,
    township_codes,
    township_outline,
)
from services.map.search import search_features
from services.roads.closures import active_blocks, block_area, block_segment, lift_block
from services.roads.network import isochrones_geojson

dash.register_page(__name__, path="/", name=t("nav.map"), order=0)
register_plan_layer()  # the evacuation plan as a layer (plan.read)
register_spot_radius()  # 周边研判 from a free click, and the radius circle while a result is shown
register_relocate()  # 修正位置: drag a record's point to its spot (record.edit)
register_proposals()  # 风险感知: points with an open warning proposal pulse in its colour
register_chart()  # 风险感知: a station's or hazard point's readings chart, 24 h or 72 h

_LAYERS = [layer for layer, _ in POINT_LAYER_ORDER]
_FILTER_KEYS = list(ids.LAYER_FILTERS)


def layout(lang: str | None = None, **_query) -> html.Div:
    lang = normalise_language(lang)
    s = settings()
    with unit_of_work(s) as uow:  # the townships, counts and people threatened from one snapshot
        townships = [(code, name if lang == "zh" else name_en) for code, name, name_en in township_list(uow)]
        counts = filtered_counts(uow, {layer: parse_filter(layer, {}, set()) for layer in _LAYERS})
        threatened = threatened_people_total(uow)
    urls = {layer: layer_url(layer, {}) for layer in _LAYERS}
    return html.Div([
        dcc.Store(id=ids.MAP_LANG, data=lang),
        dcc.Store(id=ids.MAP_PICK),  # set by the overlap chooser (qj_map.js): {layer, id, at}
        dcc.Store(id=ids.MAP_VERSION), dcc.Interval(id=ids.MAP_TICK, interval=2000),  # live: polls a counter
        side_panel(lang, townships, counts, threatened, s.region.evacuation_target_people, basemaps()),
        html.Div([map_component(lang, urls, plan_overlay(lang), [circle_layer(), *relocate_layer(), proposals_layer()]),
                  details_container(lang), isochrone_legend(lang), *plan_box(lang), *relocate_box(lang)],
                 className="map-wrap"),
    ], className="map-page")


def _layer_args(township: str | None, values: list) -> dict[str, dict[str, str]]:
    args = {layer: ({"township": township} if township else {}) for layer in _LAYERS}
    for (layer, field_name), chosen in zip(_FILTER_KEYS, values):
        if chosen:
            args[layer][field_name] = ",".join(chosen)
    return args


@callback(
    [Output(ids.map_layer(layer), "url") for layer in _LAYERS] +
    [Output(ids.layer_count(layer), "children") for layer in _LAYERS] + [Output(ids.FIGURE_THREATENED, "children")],
    Input(ids.FILTER_TOWNSHIP, "value"), [Input(ids.LAYER_FILTERS[k], "value") for k in _FILTER_KEYS],
    State(ids.MAP_LANG, "data"), prevent_initial_call=True,
)
def _filter(township, *values_and_lang):
    *values, lang = values_and_lang
    args = _layer_args(township, values)
    with unit_of_work(settings()) as uow:
        known = township_codes(uow)
        filters = {layer: parse_filter(layer, args[layer], known) for layer in _LAYERS}
        counts = filtered_counts(uow, filters)
        threatened = threatened_people_total(uow, filters["hazards"])
    return ([layer_url(layer, args[layer]) for layer in _LAYERS] +
            [t("map.count", lang, n=counts[layer]) for layer in _LAYERS] + [f"{threatened:,}"])


@callback(
    Output(ids.EXPORT_HTML, "href"), Output(ids.EXPORT_PNG, "href"),
    Input(ids.FILTER_TOWNSHIP, "value"), [Input(ids.LAYER_FILTERS[k], "value") for k in _FILTER_KEYS],
    Input(ids.CHOROPLETH, "value"), Input(ids.LAYERS_CONTROL, "overlays"), State(ids.MAP_LANG, "data"),
)
def _export_links(township, *rest):
    *values, measure, overlays, lang = rest
    query = {"lang": lang}
    if overlays is not None:
        names = {t(f"layer.{layer}", lang): layer for layer in _LAYERS}
        query["layers"] = ",".join(names[n] for n in overlays if n in names)
    if township:
        query["township"] = township
    for (layer, field_name), chosen in zip(_FILTER_KEYS, values):
        if chosen:
            query[f"{layer}.{field_name}"] = ",".join(chosen)
    if measure:
        query["choropleth"] = measure
    encoded = urlencode(query)
    return f"/api/v1/export/map.html?{encoded}", f"/api/v1/export/map.png?{encoded}"


@callback(Output(ids.LAYER_FILTERS[("enterprises", "category")], "options"),
          Input(ids.LAYER_FILTERS[("enterprises", "sector")], "value"), State(ids.MAP_LANG, "data"))
def _categories(sectors, lang):
    chosen = sectors or list(vocabulary.ENTERPRISE_SECTORS)
    return [{"label": term(c, lang), "value": c} for s in chosen for c in vocabulary.ENTERPRISE_SECTORS[s]]


def _display_crs(key: str | None) -> str:
    basemap = next((b for b in basemaps() if b.key == key), None)
    return basemap.crs if basemap else "WGS84"


@callback(Output(ids.map_layer("townships"), "hideout"), Output(ids.CHOROPLETH_LEGEND, "children"),
          Input(ids.CHOROPLETH, "value"), Input(ids.BASEMAP, "value"), State(ids.MAP_LANG, "data"),
          prevent_initial_call=True)
def _choropleth(measure, basemap_key, lang):
    data = None
    if measure in MEASURES:
        with unit_of_work(settings()) as uow:
            data = choropleth(uow, measure)
    hideout = {"lang": lang, "crs": _display_crs(basemap_key), **(data.to_json() if data else {})}
    return hideout, choropleth_legend(data, lang)


@callback([Output(ids.BASEMAP_GROUP, "children"), Output(ids.map_layer("boundary"), "hideout"),
           Output(ids.map_layer("roads"), "hideout")] +
          [Output(ids.map_layer(layer), "hideout") for layer in _LAYERS],
          Input(ids.BASEMAP, "value"), State(ids.MAP_LANG, "data"), prevent_initial_call=True)
def _basemap(key, lang):
    basemap = next((b for b in basemaps() if b.key == key), None)
    crs = basemap.crs if basemap else "WGS84"
    return [basemap_tiles(basemap), {"lang": lang, "crs": crs}, {"lang": lang, "crs": crs}] + [
        point_hideout(layer, crs, lang) for layer in _LAYERS]


@callback(Output(ids.SEARCH_RESULTS, "children"), Input(ids.SEARCH_INPUT, "value"), State(ids.MAP_LANG, "data"),
          prevent_initial_call=True)
def _search(text, lang):
    text = (text or "").strip()[:100]
    if not text:
        return search_results([], text, lang)
    with unit_of_work(settings()) as uow:
        hits = search_features(uow, text)
    return search_results(hits, text, lang)


@callback(
    Output(ids.DETAILS_BODY, "children"), Output(ids.DETAILS, "className"), Output(ids.MAP, "viewport"),
    [Input(ids.map_layer(layer), "clickData") for layer in _LAYERS],
    Input({"type": ids.SEARCH_HIT, "layer": ALL, "id": ALL}, "n_clicks"),
    Input(ids.DRAW, "geojson"), Input(ids.DETAILS_CLOSE, "n_clicks"), Input(ids.MAP_PICK, "data"),
    Input({"type": ids.RADIUS, "lon": ALL, "lat": ALL, "km": ALL}, "n_clicks"), State(ids.DETAILS_BODY, "children"),
    State(ids.BASEMAP, "value"), State(ids.MAP_LANG, "data"), prevent_initial_call=True,
)
def _details(*args):
    lang, crs = args[-1], _display_crs(args[-2])
    trigger = ctx.triggered_id
    hidden = ([], "details-panel hidden", dash.no_update)
    if trigger == ids.DETAILS_CLOSE:
        return hidden
    if trigger == ids.DRAW:
        features = (args[len(_LAYERS) + 1] or {}).get("features") or []
        if not features:
            return hidden
        try:
            geometry = area_from_geojson(features[-1])
        except (KeyError, TypeError, ValueError):
            return hidden
        if crs != "WGS84":  # drawn over a GCJ-02 basemap: back to WGS-84 before querying
            geometry = geometry_to_wgs84(geometry, crs)
        with unit_of_work(settings()) as uow:
            summary = summarise_area(uow, geometry)
        return area_panel(summary, lang), "details-panel", dash.no_update
    if isinstance(trigger, dict) and trigger.get("type") == ids.RADIUS:
        if clicked_id() is None:
            return dash.no_update, dash.no_update, dash.no_update
        return _radius(trigger, args[-3], lang), "details-panel", dash.no_update
    if isinstance(trigger, dict) and trigger.get("type") == ids.SEARCH_HIT:
        if clicked_id() is None:  # the hits were redrawn (search changed or cleared), nothing was clicked
            return dash.no_update, dash.no_update, dash.no_update
        layer, feature_id, fly = trigger["layer"], int(trigger["id"]), True
        if layer == "townships":  # zoomed to and outlined by _township_focus
            return hidden
    elif trigger == ids.MAP_PICK:  # one of several overlapping symbols, chosen in the chooser
        picked = args[len(_LAYERS) + 3] or {}
        if picked.get("layer") not in POINT_LAYERS or not str(picked.get("id", "")).isdigit():
            return dash.no_update, dash.no_update, dash.no_update
        layer, feature_id, fly = picked["layer"], int(picked["id"]), False
    elif isinstance(trigger, str) and trigger.removeprefix("map-layer-") in _LAYERS:
        clicked = args[_LAYERS.index(trigger.removeprefix("map-layer-"))]
        props = (clicked or {}).get("properties") or {}
        if props.get("cluster") or "id" not in props:
            return dash.no_update, dash.no_update, dash.no_update
        layer, feature_id, fly = props["layer"], int(props["id"]), False
    else:
        return dash.no_update, dash.no_update, dash.no_update
    if layer not in POINT_LAYERS:
        return hidden
    with unit_of_work(settings()) as uow:
        details = feature_details(uow, layer, feature_id)
    if details is None:
        return hidden
    lon, lat = from_wgs84(details.lon, details.lat, crs)
    viewport = {"center": [lat, lon], "zoom": 15, "transition": "flyTo"} if fly else dash.no_update
    with unit_of_work(settings()) as uow:
        patrols = latest_patrols(uow, layer, feature_id)
        record = supervision_record(uow, layer, feature_id)
        proposal = proposal_details(uow, layer, feature_id, lang)
        proposal += chart_section(uow, layer, details.properties.get("code"), lang)
    return feature_panel(details, lang, patrols, relocation_allowed(), record, proposal), "details-panel", viewport


def _radius(trigger: dict, shown, lang: str) -> list:
    """Everything within the chosen km of the feature whose details are shown (its name from the panel)."""
    props = [c.get("props", {}) for c in shown or [] if isinstance(c, dict)]
    name = next((p.get("data-name") or p.get("children") for p in props if "details-title" in
                 str(p.get("className", ""))), "")
    with unit_of_work(settings()) as uow:
        summary = within_radius(uow, float(trigger["lon"]), float(trigger["lat"]), float(trigger["km"]) * 1000)
    return radius_panel(summary, str(name), lang)


@callback(Output(ids.map_layer("outline"), "data"), Output(ids.map_layer("outline"), "hideout"),
          Output(ids.MAP, "viewport", allow_duplicate=True),
          Input(ids.FILTER_TOWNSHIP, "value"),
          Input({"type": ids.SEARCH_HIT, "layer": "townships", "id": ALL}, "n_clicks"),
          State(ids.BASEMAP, "value"), prevent_initial_call=True)
def _township_focus(chosen, _hits, basemap_key):
    """Choosing a township (filter or search hit) zooms to it and outlines it; no township: the whole district."""
    crs = _display_crs(basemap_key)
    if ctx.triggered_id == ids.FILTER_TOWNSHIP:
        code = chosen
    elif clicked_id() is not None:
        code = str(ctx.triggered_id["id"])
    else:  # the hits were redrawn, nothing was clicked
        return dash.no_update, dash.no_update, dash.no_update
    with unit_of_work(settings()) as uow:
        outline = township_outline(uow, code)
    if outline is None:
        return EMPTY, {"crs": crs}, {"bounds": district_frame()["bounds"], "transition": "flyToBounds"}
    minlon, minlat, maxlon, maxlat = outline.bounds
    (x0, y0), (x1, y1) = from_wgs84(minlon, minlat, crs), from_wgs84(maxlon, maxlat, crs)
    return ({"type": "FeatureCollection", "features": [outline.feature]}, {"crs": crs},
            {"bounds": [[y0, x0], [y1, x1]], "transition": "flyToBounds"})


def _blocks_view(uow: UnitOfWork, lang: str) -> tuple[dict, list]:
    blocks = active_blocks(uow)
    badges = [{"type": "Feature", "properties": {"id": b.id, "reason": b.reason, "badge": True},
               "geometry": json.loads(shapely.to_geojson(shape(b.geometry).point_on_surface()))}
              for b in blocks]  # the badge shows a closure at district zoom, where a segment is a few pixels
    data = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": b.geometry, "properties": {"id": b.id, "reason": b.reason}} for b in blocks
    ] + badges}
    rows = [html.Div([html.Span(f"#{b.id} {t(f'map.block_kind.{b.kind}', lang)} · {b.reason}"),
                      html.Button(t("map.block_lift", lang), id={"type": ids.BLOCK_LIFT, "id": b.id}, n_clicks=0)],
                     className="block-row") for b in blocks]
    return data, rows or [html.Span(t("map.block_none", lang), className="hint")]


def _drawn_area(drawn, basemap_key) -> dict:
    """The last drawn shape as a WGS-84 GeoJSON Feature (geometry None when nothing is drawn)."""
    features = (drawn or {}).get("features") or []
    geometry = geometry_to_wgs84(area_from_geojson(features[-1]), _display_crs(basemap_key)) if features else None
    return {"type": "Feature", "properties": {},
            "geometry": json.loads(shapely.to_geojson(geometry)) if geometry is not None else None}


@callback(
    Output(ids.map_layer("blocks"), "data"), Output(ids.BLOCK_LIST, "children"), Output(ids.BLOCK_MESSAGE, "children"),
    Input(ids.MAP, "clickData"), Input(ids.BLOCK_AREA, "n_clicks"),
    Input({"type": ids.BLOCK_LIFT, "id": ALL}, "n_clicks"),
    State(ids.BLOCK_MODE, "value"), State(ids.BLOCK_REASON, "value"), State(ids.DRAW, "geojson"),
    State(ids.BASEMAP, "value"), State(ids.MAP_LANG, "data"),
)
def _road_blocks(click, _area, _lifts, mode, reason, drawn, basemap_key, lang):
    s, trigger, message = settings(), ctx.triggered_id, ""
    try:
        if trigger == ids.MAP and mode and click:
            lat, lon = click["latlng"]["lat"], click["latlng"]["lng"]
            lon, lat = to_wgs84(lon, lat, _display_crs(basemap_key))
            with unit_of_work(s, write=True) as uow:
                block = block_segment(uow, lon, lat, reason)
            message = t("map.block_added", lang, reason=block.reason)
        elif trigger == ids.BLOCK_AREA:
            area = _drawn_area(drawn, basemap_key)
            with unit_of_work(s, write=True) as uow:
                block = block_area(uow, area, reason)
            message = t("map.block_added", lang, reason=block.reason)
        elif isinstance(trigger, dict) and trigger.get("type") == ids.BLOCK_LIFT and clicked_id():
            with unit_of_work(s, write=True) as uow:
                lift_block(uow, int(trigger["id"]))
    except (FieldError, ValueError, KeyError, TypeError) as exc:
        if isinstance(exc, FieldError):
            message = html.Span(exc.reason if lang == "zh" else exc.reason_en, className="short")
        else:  # the drawn shape could not be read as an area
            message = html.Span(t("map.draw_hint", lang), className="short")
    with unit_of_work(s) as uow:
        data, rows = _blocks_view(uow, lang)
    return data, rows, message


ISOCHRONE_MINUTES = list(ISOCHRONE_COLOURS)
_LEGEND_SHOWN, _LEGEND_FAILED, _LEGEND_HIDDEN = "iso-legend", "iso-legend failed", "iso-legend hidden"


@callback(Output(ids.map_layer("isochrones"), "data"), Output(ids.ISOCHRONE_MESSAGE, "children"),
          Output(ids.ISOCHRONE_LEGEND, "className"),
          Input({"type": ids.ISOCHRONE, "lon": ALL, "lat": ALL}, "n_clicks"), Input(ids.ISOCHRONE_CLEAR, "n_clicks"),
          State(ids.MAP_LANG, "data"), prevent_initial_call=True)
def _isochrones(clicks, _clear, lang):
    if ctx.triggered_id == ids.ISOCHRONE_CLEAR:
        return EMPTY, "", _LEGEND_HIDDEN
    trigger = clicked_id()
    if trigger is None:
        return dash.no_update, dash.no_update, dash.no_update
    minutes = " / ".join(str(m) for m in ISOCHRONE_MINUTES)
    try:
        with unit_of_work(settings()) as uow:
            data = isochrones_geojson(uow, float(trigger["lon"]), float(trigger["lat"]), ISOCHRONE_MINUTES)
    except FieldError as exc:  # the point is cut off from the open roads: say why instead of an empty layer
        return EMPTY, t("map.iso_failed", lang, reason=exc.reason if lang == "zh" else exc.reason_en), _LEGEND_FAILED
    if all(not (f["geometry"] or {}).get("coordinates") for f in data["features"]):
        return EMPTY, t("map.iso_empty", lang, minutes=minutes), _LEGEND_FAILED
    data["features"].sort(key=lambda f: -f["properties"]["minutes"])  # the nearest band drawn last, on top
    return data, t("map.iso_shown", lang, minutes=minutes), _LEGEND_SHOWN


_LIVE_LAYERS = ("hazards", "teams", "shelters", "depots")  # warning levels, positions, occupancy change


@callback([Output(ids.MAP_VERSION, "data"), Output(ids.map_layer("incidents"), "data"),
           Output(ids.map_layer("warnings"), "data"),
           Output(ids.map_layer("blocks"), "data", allow_duplicate=True),
           Output(ids.BLOCK_LIST, "children", allow_duplicate=True)] +
          [Output(ids.map_layer(layer), "url", allow_duplicate=True) for layer in _LIVE_LAYERS],
          Input(ids.MAP_TICK, "n_intervals"),
          [State(ids.MAP_VERSION, "data"), State(ids.MAP_LANG, "data")] +
          [State(ids.map_layer(layer), "url") for layer in _LIVE_LAYERS], prevent_initial_call="initial_duplicate")
def _live(_tick, version, lang, *urls):
    """Redraw incidents, warning areas and closures, and refetch the changing point layers, when the change
    counter moved; the user's view (centre, zoom, panel) is not touched."""
    with unit_of_work(settings()) as uow:
        if version is not None and change_version(uow) == version:
            raise dash.exceptions.PreventUpdate  # nothing changed: no redraw, no refetch
        live = live_overlays(uow)
        blocks, rows = _blocks_view(uow, lang)
    refetch = [dash.no_update] * len(_LIVE_LAYERS) if version is None else [
        versioned_url(url, live.version) for url in urls]  # on the first tick the layers have just been read
    return [live.version, live.incidents, live.warnings, blocks, rows, *refetch]
