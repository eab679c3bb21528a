"""What every /api/v1 blueprint shares: settings, the request's unit of work, JSON bodies, and error answers.

Services raise FieldError (or a subclass: NotFound, Conflict, Busy) for what the user must be told; one
app-wide handler turns it into {"error": code, "parameter", "reason", "reason_en"} with the exception's status
(400, 404, 409, 503). A database that cannot be reached answers 503 with a reason, never 500.
"""
from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app, jsonify, request
from sqlalchemy.exc import DataError, IntegrityError, InterfaceError, OperationalError

from config import Settings
from services.db.uow import UnitOfWork, unit_of_work
from services.errors import FieldError
from services.text import both

log = logging.getLogger(__name__)
JSON_TYPES = ("application/json",)


def app_settings() -> Settings:
    return current_app.config["QJ_SETTINGS"]


def bad(name: str, reason: str, reason_en: str, status: int = 400, code: str = "bad_parameter"):
    return jsonify({"error": code, "parameter": name, "reason": reason, "reason_en": reason_en}), status


@contextmanager
def unit(*, write: bool = False) -> Iterator[UnitOfWork]:
    """The request's one unit of work (a transaction: committed when the handler returns, else rolled back).

    The audit log names the signed-in user or the token's user (the guard sets it); no request names itself.
    """
    with unit_of_work(app_settings(), write=write) as uow:
        yield uow


def json_body() -> dict:
    """The request's JSON object; a state-changing request must send ``Content-Type: application/json``.

    Requiring JSON is what keeps another site's page from posting a form or text/plain to this API (a browser
    sends those across origins without asking); a JSON body from elsewhere needs a CORS preflight we never allow.
    """
    if request.mimetype not in JSON_TYPES:
        error = FieldError.of("Content-Type", "body.not_json")
        error.code = "unsupported_media_type"
        raise error
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise FieldError.of("body", "body.not_object")
    return body


def _status(exc: FieldError) -> int:
    if exc.code == "unsupported_media_type":
        return 415
    if exc.status == 400 and exc.field == "id":  # older services name a missing record's id
        return 404
    return exc.status


def register_error_answers(server: Flask) -> None:
    @server.errorhandler(FieldError)
    def _field_error(exc: FieldError):
        response, status = bad(exc.field, exc.reason, exc.reason_en, _status(exc), exc.code)
        if status == 429 and isinstance(exc.params.get("minutes"), int):  # a flood limit says when to come back
            response.headers["Retry-After"] = str(exc.params["minutes"] * 60)
        return response, status

    @server.errorhandler(OperationalError)
    @server.errorhandler(InterfaceError)
    def _database_unavailable(exc):
        log.warning("database unavailable: %s", exc.orig if hasattr(exc, "orig") else exc)
        key = "database.busy" if "locked" in str(exc).lower() else "database.unavailable"
        return bad("database", *both(key), 503, key.replace(".", "_"))

    @server.errorhandler(IntegrityError)
    def _integrity(exc):
        log.warning("integrity error answered 409: %s", exc.orig)
        return bad("body", *both("conflict"), 409, "conflict")

    @server.errorhandler(DataError)
    def _data_error(exc):
        log.warning("data error answered 400: %s", exc.orig)
        return bad("body", *both("data_error"), 400)
