"""The OpenAPI document of /api/v1, from the app's routes."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from config import Settings
from dashboard.api.support import app_settings
from services.data.specs import SPECS
from services.map.layers import POINT_LAYERS, VIEWS

openapi_api = Blueprint("openapi_api", __name__)


@openapi_api.get("/api/v1/openapi.json")
def openapi():
    doc = openapi_document(app_settings())
    # Every other endpoint of the app, from its routes: path parameters, methods and the handler's summary.
    for rule in current_app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        path = rule.rule.replace("<id:", "{").replace("<", "{").replace(">", "}")
        view = current_app.view_functions[rule.endpoint]
        summary = (view.__doc__ or rule.endpoint).strip().splitlines()[0]
        item = doc["paths"].setdefault(path, {})
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            params = [_path_parameter(rule, arg) for arg in sorted(rule.arguments)]
            operation = item.setdefault(method.lower(), {"summary": summary, "parameters": params,
                                                         "responses": dict(STANDARD_RESPONSES)})
            query_model = getattr(view, "qj_query", None)
            if query_model is not None and method == "GET":
                operation["parameters"] = params + query_parameters(query_model)
            model = getattr(view, "qj_body", None)
            if model is not None and method in ("POST", "PUT", "PATCH"):
                operation["requestBody"] = {"required": True, "content": {"application/json": {
                    "schema": _component(doc, model)}}}
    return jsonify(doc)


ERROR_REF = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
STANDARD_RESPONSES = {
    "200": {"description": "ok"}, "201": {"description": "created"},
    "400": {"description": "bad input: the parameter and the reason", **ERROR_REF},
    "404": {"description": "no such record", **ERROR_REF},
    "409": {"description": "the records refuse it now (no room, already done, changed meanwhile)", **ERROR_REF},
    "415": {"description": "a state-changing request that is not JSON", **ERROR_REF},
    "503": {"description": "database unreachable or service busy", **ERROR_REF},
}


def _path_parameter(rule, name: str) -> dict:
    converter = rule._converters.get(name)  # noqa: SLF001 — werkzeug keeps a rule's converters here
    if converter is not None and converter.__class__.__name__ == "RecordId":
        schema = {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}
    else:
        schema = {"type": "string"}
    return {"name": name, "in": "path", "required": True, "schema": schema}


def query_parameters(model) -> list[dict]:
    """``in: query`` parameters from a request model's fields: its schema per field, required as the model says."""
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    required = set(schema.get("required", ()))
    params = []
    for name, field_schema in schema.get("properties", {}).items():
        field_schema = dict(field_schema)
        field_schema.pop("title", None)
        description = field_schema.pop("description", None)
        options = [o for o in field_schema.pop("anyOf", []) if o.get("type") != "null"]  # absent, not null
        if options:
            field_schema.update(options[0] if len(options) == 1 else {"anyOf": options})
        if field_schema.get("default", 0) is None:
            field_schema.pop("default")
        param = {"name": name, "in": "query", "required": name in required, "schema": field_schema}
        if description:
            param["description"] = description
        params.append(param)
    return params


def _component(doc: dict, model) -> dict:
    """The model's JSON schema under components/schemas (its nested models too); a $ref to it."""
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    components = doc.setdefault("components", {}).setdefault("schemas", {})
    for name, nested in schema.pop("$defs", {}).items():
        components.setdefault(name, nested)
    components.setdefault(model.__name__, schema)
    return {"$ref": f"#/components/schemas/{model.__name__}"}


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
                                 "responses": {"200": {"description": "ok"},
                                               "503": {"description": "the database cannot be reached"}}}},
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
                    {"name": "view", "in": "query", "schema": {"type": "string", "enum": list(VIEWS)},
                     "description": "full (every field, the default) or map (what the map draws)"},
                    {"name": "q", "in": "query", "schema": {"type": "string", "maxLength": 100},
                     "description": "text in the name; the layer's vocabulary fields filter too (a,b,c)"},
                ],
                "responses": {"200": geojson, "400": error, "404": error, "503": error}}},
            "/api/v1/templates/{entity}.xlsx": {"get": {
                "summary": "Import template with Chinese headers",
                "parameters": [{"name": "entity", "in": "path", "required": True,
                                "schema": {"type": "string", "enum": list(SPECS)}}],
                "responses": {"200": {"description": "Excel workbook"}, "404": error}}},
            "/api/v1/records/{entity}.xlsx": {"get": {
                "summary": "Every record of the entity as an Excel workbook in its import format",
                "parameters": [{"name": "entity", "in": "path", "required": True,
                                "schema": {"type": "string", "enum": list(SPECS)}}],
                "responses": {"200": {"description": "Excel workbook"}, "404": error}}},
            "/api/v1/openapi.json": {"get": {"summary": "This document", "responses": {"200": {
                "description": "OpenAPI 3.1"}}}},
        },
        "components": {"schemas": {
            "FeatureCollection": {"type": "object", "required": ["type", "features"], "properties": {
                "type": {"const": "FeatureCollection"}, "features": {"type": "array", "items": {"type": "object"}}}},
            "Error": {"type": "object", "required": ["error", "reason", "reason_en"], "properties": {
                "error": {"type": "string"}, "parameter": {"type": "string"}, "reason": {"type": "string"},
                "reason_en": {"type": "string"}}},
        }},
    }


