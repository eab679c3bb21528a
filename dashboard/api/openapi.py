"""The OpenAPI document of /api/v1, generated from the app's routes and their declarations.

Each route declares its path and query parameters (@path, @query), its request body (@body) and its answers
(@responds: the success status, model and media type, and the error statuses it can give); nothing of the
document is written by hand but the titles.
"""
from __future__ import annotations

from flask import Blueprint, Flask, current_app

from config import Settings
from dashboard.api.models import JSON, Answer, Error, responds
from dashboard.api.models.map import OpenAPIDocument
from dashboard.api.support import app_settings
from services.text import t

openapi_api = Blueprint("openapi_api", __name__)

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
SUCCESS_TEXT = {200: "ok", 201: "created"}
ERROR_TEXT = {
    400: "bad input: the parameter and the reason",
    401: "nobody is signed in: a session cookie or `Authorization: Bearer <token>` is needed",
    403: "the signed-in role or township may not do this, or a write came from another site's page",
    405: "the path names no record this method takes (an id out of range on a path other methods share)",
    413: "the body is larger than the route accepts",
    404: "no such record (or no such choice in the path)",
    409: "the records refuse it now (no room, already done, changed meanwhile)",
    415: "a state-changing request whose body is not of the declared media type",
    429: "too many requests from this address for now: the reason says the limit and when to try again",
    503: "the database cannot be reached or is busy, or the service is busy: try again later",
}
from dashboard.auth.routes import PUBLIC  # noqa: E402 — the endpoints anyone may call (no 401)

TEXT_SCHEMAS = {"text/html": {"type": "string"}}  # a file type not listed here is binary


def documented(rule) -> bool:
    return rule.rule.startswith("/api/v1/") or rule.rule == "/healthz"


@openapi_api.get("/api/v1/openapi.json")
@responds(OpenAPIDocument)
def openapi():
    """This document (OpenAPI 3.1)."""
    cached = current_app.extensions.get("qj_openapi")
    if cached is None:  # routes are fixed once the app serves: build the document once
        cached = current_app.extensions["qj_openapi"] = openapi_document(app_settings(), current_app)
    return cached


def openapi_document(settings: Settings, app: Flask) -> dict:
    doc = {
        "openapi": "3.1.0",
        "info": {"title": t("api.title", region=settings.region.name_zh), "version": "1.0.0",
                 "description": "Risks and emergency resources of one county; all coordinates WGS-84 (EPSG:4326)."},
        "paths": {},
        "components": {"schemas": {}, "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer", "description": "an API token (`app.py users token NAME`)"},
            "session": {"type": "apiKey", "in": "cookie", "name": "qj_session",
                        "description": "a signed-in browser; state-changing requests also send X-CSRFToken"}}},
    }
    for rule in sorted((r for r in app.url_map.iter_rules() if documented(r)), key=lambda r: r.rule):
        view = app.view_functions[rule.endpoint]
        item = doc["paths"].setdefault(openapi_path(rule.rule), {})
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            item[method.lower()] = _operation(doc, rule, view, method)
    _add_links(doc)
    return doc


def _add_links(doc: dict) -> None:
    """From each answer that names a record (``links`` of @responds) to every operation taking it in its path."""
    takers = [(operation["operationId"], {p["name"] for p in operation["parameters"] if p["in"] == "path"})
              for item in doc["paths"].values() for operation in item.values()]
    for item in doc["paths"].values():
        for operation in item.values():
            for parameter, field_name in operation.pop("x-qj-links", {}).items():
                status = next(code for code in operation["responses"] if code < "400")
                links = operation["responses"][status].setdefault("links", {})
                for operation_id, names in takers:
                    if names == {parameter}:
                        links[operation_id.replace(".", "_")] = {
                            "operationId": operation_id, "parameters": {parameter: f"$response.body#/{field_name}"}}


def openapi_path(rule: str) -> str:
    """``/api/v1/incidents/<id:incident_id>`` → ``/api/v1/incidents/{incident_id}``."""
    return rule.replace("<id:", "{").replace("<", "{").replace(">", "}")


def _operation(doc: dict, rule, view, method: str) -> dict:
    answer: Answer | None = getattr(view, "qj_answer", None)
    if answer is None:
        raise LookupError(f"{rule.rule} declares no answer (@responds)")
    lines = (view.__doc__ or rule.endpoint).strip().splitlines()
    operation = {"operationId": rule.endpoint, "summary": lines[0].strip(), "tags": [rule.endpoint.split(".")[0]]}
    if len(lines) > 1 and " ".join(lines[1:]).strip():
        operation["description"] = " ".join(line.strip() for line in lines[1:]).strip()
    operation["parameters"] = _path_parameters(rule, getattr(view, "qj_path", None))
    query_model = getattr(view, "qj_query", None)
    if query_model is not None:
        operation["parameters"] += parameters(query_model, "query")
    if method not in SAFE_METHODS and hasattr(view, "qj_body"):
        model, media_type = view.qj_body, view.qj_body_type
        schema = _component(doc, model, "validation") if model is not None else {"type": "string"}
        operation["requestBody"] = {"required": True, "content": {media_type: {"schema": schema}}}
    public = rule.endpoint in PUBLIC
    operation["responses"] = _responses(doc, answer, method, public=public)
    operation["security"] = [] if public else [{"bearer": []}, {"session": []}]
    if answer.links:
        operation["x-qj-links"] = answer.links  # resolved once every operation is known (_add_links)
    return operation


def _responses(doc: dict, answer: Answer, method: str, public: bool = False) -> dict:
    if answer.model is not None:
        content = {"schema": _component(doc, answer.model, "serialization")}
    elif answer.media_type in TEXT_SCHEMAS:
        content = {"schema": TEXT_SCHEMAS[answer.media_type]}
    elif answer.media_type.endswith("xml"):
        content = {}  # XML: the media type says it (schemas of JSON do not describe XML)
    else:
        content = {"schema": {"type": "string", "format": "binary"}}
    description = next(iter((getattr(answer.model, "__doc__", None) or "").strip().splitlines()), "")
    responses = {str(answer.status): {"description": description or SUCCESS_TEXT[answer.status],
                                      "content": {answer.media_type: content}}}
    errors = dict(answer.errors)
    if not public:
        errors.setdefault(401, None)  # the guard (dashboard/auth): anonymous requests
        errors.setdefault(403, None)  # the permission table, township scope, and the same-origin rule of writes
    elif method not in SAFE_METHODS:
        errors.setdefault(403, None)
    for status in sorted(errors):
        schema = _component(doc, errors[status] or Error, "serialization")
        responses[str(status)] = {"description": ERROR_TEXT[status], "content": {JSON: {"schema": schema}}}
    return responses


def _path_parameters(rule, model) -> list[dict]:
    """Every argument of the rule: from the route's @path model, else from its converter."""
    declared = {p["name"]: p for p in parameters(model, "path")} if model is not None else {}
    params = []
    for name in sorted(rule.arguments):
        converter = rule._converters.get(name)  # noqa: SLF001 — werkzeug keeps a rule's converters here
        if name in declared:
            params.append(declared[name])
        elif converter is not None and converter.__class__.__name__ == "RecordId":
            params.append({"name": name, "in": "path", "required": True,
                           "schema": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}})
        else:
            params.append({"name": name, "in": "path", "required": True, "schema": {"type": "string"}})
    return params


def parameters(model, where: str) -> list[dict]:
    """``in: query`` (or ``path``) parameters from a model's fields: its schema per field, required as it says."""
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
        param = {"name": name, "in": where, "required": where == "path" or name in required, "schema": field_schema}
        if description:
            param["description"] = description
        params.append(param)
    return params


def _component(doc: dict, model, mode: str) -> dict:
    """The model's JSON schema under components/schemas (its nested models too); a $ref to it.

    Request models are described as they are read (``validation``), answers as they are written
    (``serialization``); two different models of one name would overwrite each other, so that is an error.
    """
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}", mode=mode)
    components = doc["components"]["schemas"]
    for name, nested in [*schema.pop("$defs", {}).items(), (model.__name__, schema)]:
        if components.setdefault(name, nested) != nested:
            raise ValueError(f"two schemas named {name} in the OpenAPI document")
    return {"$ref": f"#/components/schemas/{model.__name__}"}
