"""The JSON API under /api/v1 (and /healthz), served by the Flask app under Dash.

Every handler reads through services/; bad parameters give 400 with a reason in Chinese and English.
"""
from __future__ import annotations

import time

from flask import Blueprint, Flask, current_app, g, jsonify, request, send_file

from config import Settings
from dashboard.api_evacuation import evacuation_api
from dashboard.api_incidents import incidents_api
from dashboard.api_roads import roads_api
from dashboard.api_support import app_settings, bad, register_error_answers
from dashboard.export_routes import export
from services.import_specs import SPECS
from services.layers import (
    POINT_LAYERS, VIEWS, boundary_geojson, entity_counts, parse_filter, point_layer, township_codes,
    townships_geojson,
)
from services.templates import template_xlsx

api = Blueprint("api", __name__)


@api.get("/healthz")
def healthz():
    settings = app_settings()
    return jsonify({"status": "ok", "database": settings.database_kind,
                    "region": {"adcode": settings.region.adcode, "name": settings.region.name_zh},
                    "counts": entity_counts(settings)})


@api.get("/api/v1/townships")
def townships():
    return jsonify(townships_geojson(app_settings()))


@api.get("/api/v1/boundary")
def boundary():
    return jsonify(boundary_geojson(app_settings()))


@api.get("/api/v1/layers/<layer>")
def layer(layer: str):
    if layer not in POINT_LAYERS:
        return bad("layer", f"未知图层“{layer}”（可选：{'、'.join(POINT_LAYERS)}）",
                    f"unknown layer '{layer}' (one of: {', '.join(POINT_LAYERS)})", 404)
    view = request.args.get("view", "full")
    if view not in VIEWS:
        return bad("view", f"“{view}” 不是可用的视图（full 或 map）", f"view must be one of {', '.join(VIEWS)}")
    settings = app_settings()
    flt = parse_filter(layer, request.args, township_codes(settings))
    return jsonify(point_layer(settings, layer, flt, view))


@api.get("/api/v1/templates/<entity>.xlsx")
def template(entity: str):
    if entity not in SPECS:
        return bad("entity", f"未知数据类型“{entity}”", f"unknown entity '{entity}'", 404)
    return send_file(template_xlsx(SPECS[entity]), as_attachment=True,
                     download_name=f"{entity}_template.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@api.get("/api/v1/openapi.json")
def openapi():
    doc = openapi_document(app_settings())
    # Every other endpoint of the app, from its routes: path parameters, methods and the handler's summary.
    for rule in current_app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        path = rule.rule.replace("<int:", "{").replace("<", "{").replace(">", "}")
        view = current_app.view_functions[rule.endpoint]
        summary = (view.__doc__ or rule.endpoint).strip().splitlines()[0]
        item = doc["paths"].setdefault(path, {})
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            params = [{"name": arg, "in": "path", "required": True, "schema": {"type": "string"}}
                      for arg in sorted(rule.arguments)]
            item.setdefault(method.lower(), {"summary": summary, "parameters": params,
                                             "responses": {"200": {"description": "ok"},
                                                           "400": {"description": "bad input, with a reason"}}})
    return jsonify(doc)


def openapi_document(settings: Settings) -> dict:
    geojson = {"description": "GeoJSON FeatureCollection (WGS-84)",
               "content": {"application/geo+json": {"schema": {"$ref": "#/components/schemas/FeatureCollection"}}}}
    error = {"description": "bad parameter, with a reason",
             "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": f"{settings.region.name_zh}应急一张图 API", "version": "1.0.0",
                 "description": "Risks and emergency resources of one county; all coordinates WGS-84 (EPSG:4326)."},
        "paths": {
            "/healthz": {"get": {"summary": "Status, database kind and counts per entity",
                                 "responses": {"200": {"description": "ok"}}}},
            "/api/v1/townships": {"get": {"summary": "Townships (乡镇街道) with official codes", "responses": {
                "200": geojson}}},
            "/api/v1/boundary": {"get": {"summary": "District boundary and neighbouring counties",
                                         "responses": {"200": geojson}}},
            "/api/v1/layers/{layer}": {"get": {
                "summary": "One point layer",
                "parameters": [
                    {"name": "layer", "in": "path", "required": True,
                     "schema": {"type": "string", "enum": list(POINT_LAYERS)}},
                    {"name": "township", "in": "query", "schema": {"type": "string", "pattern": "^[0-9]{9}$"},
                     "description": "official 9-digit township code"},
                    {"name": "bbox", "in": "query", "schema": {"type": "string"},
                     "description": "minlon,minlat,maxlon,maxlat in WGS-84"},
                ],
                "responses": {"200": geojson, "400": error, "404": error}}},
            "/api/v1/templates/{entity}.xlsx": {"get": {
                "summary": "Import template with Chinese headers",
                "parameters": [{"name": "entity", "in": "path", "required": True,
                                "schema": {"type": "string", "enum": list(SPECS)}}],
                "responses": {"200": {"description": "Excel workbook"}, "404": error}}},
            "/api/v1/openapi.json": {"get": {"summary": "This document", "responses": {"200": {
                "description": "OpenAPI 3.1"}}}},
        },
        "components": {"schemas": {
            "FeatureCollection": {"type": "object", "required": ["type", "features"], "properties": {
                "type": {"const": "FeatureCollection"}, "features": {"type": "array", "items": {"type": "object"}}}},
            "Error": {"type": "object", "properties": {
                "error": {"type": "string"}, "parameter": {"type": "string"}, "reason": {"type": "string"},
                "reason_en": {"type": "string"}}},
        }},
    }


def register_api(server: Flask, settings: Settings) -> None:
    server.config["QJ_SETTINGS"] = settings
    server.json.ensure_ascii = False  # UTF-8 Chinese, half the bytes of \uXXXX escapes
    server.json.sort_keys = False  # sorting 20,000 features' keys costs more than it helps
    server.json.compact = True
    register_error_answers(server)
    server.register_blueprint(api)
    server.register_blueprint(evacuation_api)
    server.register_blueprint(export)
    server.register_blueprint(roads_api)
    server.register_blueprint(incidents_api)

    @server.before_request
    def _start_clock():
        g.qj_started = time.perf_counter()

    @server.after_request
    def _server_timing(response):
        # Server-Timing lets the browser (and bench/) see time spent in the app, apart from the network.
        started = g.get("qj_started")
        if started is not None:
            response.headers["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
        return response

    @server.errorhandler(500)
    def _internal(_exc):  # never a stack trace to the user
        return jsonify({"error": "internal", "reason": "服务器内部错误，已记录", "reason_en": "internal error"}), 500


@api.get("/api/v1/features/<layer>/<int:feature_id>")
def feature(layer: str, feature_id: int):
    from services.features import feature_details
    if layer not in POINT_LAYERS:
        return bad("layer", f"未知图层“{layer}”", f"unknown layer '{layer}'", 404)
    details = feature_details(app_settings(), layer, feature_id)
    if details is None:
        return bad("id", f"{layer} 中没有编号 {feature_id}", f"no {layer} with id {feature_id}", 404)
    return jsonify({
        "layer": details.layer, "id": details.id, "name": details.name, "lon": details.lon, "lat": details.lat,
        "fields": [{"field": f, "label": zh, "label_en": en, "value": v} for f, zh, en, v in details.fields],
        "nearby": [{"kind": n.kind, "id": n.id, "name": n.name, "distance_m": n.distance_m,
                    "distance_kind": "straight_line"} for n in details.nearby],
    })


@api.get("/api/v1/search")
def search():
    from services.search import search_features
    text = (request.args.get("q") or "").strip()
    if not text or len(text) > 100:
        return bad("q", "查询词应为1到100个字", "q must be 1 to 100 characters")
    return jsonify({"hits": [hit.__dict__ for hit in search_features(app_settings(), text)]})


@api.get("/api/v1/choropleth/<measure>")
def choropleth_measure(measure: str):
    from services.township_stats import MEASURES, choropleth
    if measure not in MEASURES:
        return bad("measure", f"未知指标“{measure}”（可选：{'、'.join(MEASURES)}）",
                    f"unknown measure '{measure}' (one of: {', '.join(MEASURES)})", 404)
    return jsonify(choropleth(app_settings(), measure))


@api.post("/api/v1/area")
def area():
    from dataclasses import asdict

    from services.area_query import area_from_geojson, summarise_area
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return bad("body", "请求体应为 GeoJSON（多边形，或带 properties.radius 米数的点）",
                    "body must be GeoJSON: a polygon, or a point with properties.radius in metres")
    try:
        geometry = area_from_geojson(body if body and body.get("type") == "Feature" else
                                     {"type": "Feature", "geometry": body, "properties": {}})
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        return bad("body", f"请求体应为多边形或带半径（米）的点的 GeoJSON：{exc}",
                    f"body must be a GeoJSON polygon, or a point with properties.radius in metres: {exc}")
    return jsonify(asdict(summarise_area(app_settings(), geometry)))

