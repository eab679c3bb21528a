"""The JSON API under /api/v1 (and /healthz): Flask blueprints and their request handling, no Dash needed.

Every handler reads through services/; bad parameters give 400 with a reason in Chinese and English.
"""
from __future__ import annotations

import time
from urllib.parse import urlsplit

from flask import Flask, g, jsonify, request
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import IntegerConverter, Map, Rule

from config import Settings
from dashboard.api.analysis import analysis_api
from dashboard.api.coverage import coverage_api
from dashboard.api.dispatch import incidents_api
from dashboard.api.evacuation import evacuation_api
from dashboard.api.exports import export
from dashboard.api.field import field_api
from dashboard.api.locations import locations_api
from dashboard.api.map import api
from dashboard.api.monitoring_controls import controls_api
from dashboard.api.models import GEOJSON
from dashboard.api.monitoring_readings import monitoring_readings_api
from dashboard.api.monitoring_rules import monitoring_rules_api
from dashboard.api.openapi import openapi_api
from dashboard.api.monitoring_proposals import monitoring_proposals_api
from dashboard.api.reports import reports_api
from dashboard.api.roads import roads_api
from dashboard.api.supervision import supervision_api
from dashboard.api.supervision_rankings import rankings_api
from dashboard.api.supervision_plans import supervision_plans_api
from dashboard.api.supervision_reports import supervision_reports_api
from dashboard.api.support import register_error_answers
from services.text import both, t


def register_api(server: Flask, settings: Settings) -> None:
    server.config["QJ_SETTINGS"] = settings
    server.json.ensure_ascii = False  # UTF-8 Chinese, half the bytes of \uXXXX escapes
    server.json.sort_keys = False  # sorting 20,000 features' keys costs more than it helps
    server.json.compact = True
    server.url_map.converters["id"] = RecordId
    register_error_answers(server)
    _compress_geojson(server)
    server.register_blueprint(api)
    server.register_blueprint(openapi_api)
    server.register_blueprint(evacuation_api)
    server.register_blueprint(export)
    server.register_blueprint(roads_api)
    server.register_blueprint(incidents_api)
    server.register_blueprint(field_api)
    server.register_blueprint(analysis_api)
    server.register_blueprint(reports_api)
    server.register_blueprint(coverage_api)
    server.register_blueprint(locations_api)
    server.register_blueprint(supervision_api)
    server.register_blueprint(rankings_api)
    server.register_blueprint(supervision_plans_api)
    server.register_blueprint(supervision_reports_api)
    server.register_blueprint(monitoring_readings_api)
    server.register_blueprint(monitoring_proposals_api)
    server.register_blueprint(controls_api)
    server.register_blueprint(monitoring_rules_api)

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

    @server.before_request
    def _same_origin_writes():
        return refuse_cross_origin()

    @server.before_request
    def _unknown_api_paths():
        return answer_unknown_api_path()

    @server.errorhandler(500)
    def _internal(_exc):  # never a stack trace to the user
        reason, reason_en = both("internal")
        return jsonify({"error": "internal", "reason": reason, "reason_en": reason_en}), 500


SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def _compress_geojson(server: Flask) -> None:
    """GeoJSON is served as application/geo+json (RFC 7946), which Flask-Compress does not know: add it.

    Dash sets Flask-Compress up before the API is registered, so the type joins its set rather than the config.
    """
    server.config["COMPRESS_MIMETYPES"] = [*server.config.get("COMPRESS_MIMETYPES", ()), GEOJSON]
    for hook in server.after_request_funcs.get(None, []):
        known = getattr(getattr(hook, "__self__", None), "compress_mimetypes_set", None)
        if isinstance(known, set):
            known.add(GEOJSON)


class RecordId(IntegerConverter):
    """``<id:name>``: a record id, 1 to 2³¹ − 1 (the integer columns of both back-ends); others are no route (404)."""

    def __init__(self, url_map):
        super().__init__(url_map, min=1, max=2**31 - 1)


def refuse_cross_origin():
    """A state-changing request (API or Dash callback) whose Origin (or Referer) is another site gets 403.

    Browsers send Origin with every cross-site POST; a request from a page of this app carries its own host.
    Together with JSON-only bodies this is the CSRF protection until accounts add a token (issue 10).
    """
    if request.method in SAFE_METHODS:
        return None
    origin, referer = request.headers.get("Origin"), request.headers.get("Referer")
    if origin is None and referer is None:
        return None  # not a browser (a script, a partner's server): nothing a page elsewhere can forge
    source = origin if origin is not None else referer
    if source == "null" or urlsplit(source).netloc != request.host:
        reason, reason_en = both("cross_origin")
        return jsonify({"error": "cross_origin", "parameter": "Origin", "reason": reason,
                        "reason_en": reason_en}), 403
    return None


def answer_unknown_api_path():
    """Under /api/ a path that is no API route answers 404 (405 for a wrong method) in JSON, never the Dash page."""
    path = request.path
    if not (path.startswith("/api/") or path == "/api"):
        return None
    if request.url_rule is not None and not request.url_rule.rule.startswith("/<"):
        return None  # an API route matched (Dash's catch-all is "/<path:path>")
    adapter = _api_map().bind("localhost")
    try:
        adapter.match(path, method=request.method)
    except MethodNotAllowed as exc:
        allowed = sorted(set(exc.valid_methods or ()) - {"HEAD", "OPTIONS"})
        reason, reason_en = both("api.method_not_allowed", path=path, method=request.method,
                                 allowed=t("list.separator").join(allowed),
                                 allowed_en=t("list.separator", "en").join(allowed))
        response = jsonify({"error": "method_not_allowed", "parameter": "method", "reason": reason,
                            "reason_en": reason_en})
        response.status_code, response.headers["Allow"] = 405, ", ".join(allowed)
        return response
    except NotFound:
        pass
    reason, reason_en = both("api.not_found", path=path)
    return jsonify({"error": "not_found", "parameter": "path", "reason": reason, "reason_en": reason_en}), 404


def _api_map() -> Map:
    """The app's API routes alone (without Dash's catch-all), to tell 404 from 405."""
    from flask import current_app
    cached = current_app.extensions.get("qj_api_map")
    if cached is None:
        rules = [Rule(r.rule, methods=r.methods, endpoint=r.endpoint) for r in current_app.url_map.iter_rules()
                 if r.rule.startswith("/api/")]
        cached = current_app.extensions["qj_api_map"] = Map(rules, converters=dict(current_app.url_map.converters))
    return cached


