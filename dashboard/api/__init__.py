"""The JSON API under /api/v1 (and /healthz): Flask blueprints and their request handling, no Dash needed.

Every handler reads through services/; bad parameters give 400 with a reason in Chinese and English.
"""
from __future__ import annotations

import time

from flask import Flask, g, jsonify

from config import Settings
from dashboard.api.dispatch import incidents_api
from dashboard.api.evacuation import evacuation_api
from dashboard.api.exports import export
from dashboard.api.map import api
from dashboard.api.openapi import openapi_api
from dashboard.api.roads import roads_api
from dashboard.api.support import register_error_answers


def register_api(server: Flask, settings: Settings) -> None:
    server.config["QJ_SETTINGS"] = settings
    server.json.ensure_ascii = False  # UTF-8 Chinese, half the bytes of \uXXXX escapes
    server.json.sort_keys = False  # sorting 20,000 features' keys costs more than it helps
    server.json.compact = True
    register_error_answers(server)
    server.register_blueprint(api)
    server.register_blueprint(openapi_api)
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


