"""The JSON API under /api/v1 (and /healthz), served by the Flask app under Dash.

Every handler reads through services/; bad parameters give 400 with a reason in Chinese and English.
"""
from __future__ import annotations

from flask import Blueprint, Flask, current_app, jsonify, request, send_file

from config import Settings
from services.import_specs import SPECS
from services.layers import (
    POINT_LAYERS, BadParameter, boundary_geojson, entity_counts, parse_filter, point_layer, township_codes,
    townships_geojson,
)
from services.templates import template_xlsx

api = Blueprint("api", __name__)


def _settings() -> Settings:
    return current_app.config["QJ_SETTINGS"]


def _bad(name: str, reason: str, reason_en: str, status: int = 400):
    return jsonify({"error": "bad_parameter", "parameter": name, "reason": reason, "reason_en": reason_en}), status


@api.errorhandler(BadParameter)
def _bad_parameter(exc: BadParameter):
    return _bad(exc.name, exc.reason, exc.reason_en)


@api.get("/healthz")
def healthz():
    settings = _settings()
    return jsonify({"status": "ok", "database": settings.database_kind,
                    "region": {"adcode": settings.region.adcode, "name": settings.region.name_zh},
                    "counts": entity_counts(settings)})


@api.get("/api/v1/townships")
def townships():
    return jsonify(townships_geojson(_settings()))


@api.get("/api/v1/boundary")
def boundary():
    return jsonify(boundary_geojson(_settings()))


@api.get("/api/v1/layers/<layer>")
def layer(layer: str):
    if layer not in POINT_LAYERS:
        return _bad("layer", f"未知图层“{layer}”（可选：{'、'.join(POINT_LAYERS)}）",
                    f"unknown layer '{layer}' (one of: {', '.join(POINT_LAYERS)})", 404)
    unknown = set(request.args) - {"township", "bbox"}
    if unknown:
        name = sorted(unknown)[0]
        return _bad(name, f"不支持的参数“{name}”", f"unsupported parameter '{name}'")
    settings = _settings()
    flt = parse_filter(request.args.get("township"), request.args.get("bbox"), township_codes(settings))
    return jsonify(point_layer(settings, layer, flt))


@api.get("/api/v1/templates/<entity>.xlsx")
def template(entity: str):
    if entity not in SPECS:
        return _bad("entity", f"未知数据类型“{entity}”", f"unknown entity '{entity}'", 404)
    return send_file(template_xlsx(SPECS[entity]), as_attachment=True,
                     download_name=f"{entity}_template.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@api.get("/api/v1/openapi.json")
def openapi():
    return jsonify(openapi_document(_settings()))


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
    server.register_blueprint(api)

    @server.errorhandler(500)
    def _internal(_exc):  # never a stack trace to the user
        return jsonify({"error": "internal", "reason": "服务器内部错误，已记录", "reason_en": "internal error"}), 500
