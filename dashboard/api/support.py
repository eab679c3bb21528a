"""What every /api/v1 blueprint shares: the deployment's settings, JSON bodies, and error answers.

Services raise FieldError (or a subclass) for bad input; one app-wide handler turns it into
400 {"error", "parameter", "reason", "reason_en"} (404 when the field is the record's id).
"""
from __future__ import annotations

from flask import Flask, current_app, jsonify, request

from config import Settings
from services.errors import FieldError


def app_settings() -> Settings:
    return current_app.config["QJ_SETTINGS"]


def bad(name: str, reason: str, reason_en: str, status: int = 400):
    return jsonify({"error": "bad_parameter", "parameter": name, "reason": reason, "reason_en": reason_en}), status


def json_body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise FieldError("body", "请求体应为 JSON 对象", "body must be a JSON object")
    return body


def register_error_answers(server: Flask) -> None:
    @server.errorhandler(FieldError)
    def _field_error(exc: FieldError):
        return bad(exc.field, exc.reason, exc.reason_en, 404 if exc.field == "id" else 400)
