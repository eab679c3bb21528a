"""A few schemathesis cases per operation of the JSON API, in the normal suite: a future 5xx, or an answer whose
status, media type or JSON does not match the OpenAPI document, fails ``make test``.

The whole fuzz (tens of thousands of cases, both back-ends) is bench/fuzz_api.py; this is its smoke test.
"""
from __future__ import annotations

import dataclasses

import pytest
import schemathesis
from flask import jsonify
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from dashboard.app import create_app
from tests.conftest import prepared, BACKENDS, _cleanup, token_for


@pytest.fixture(scope="module", params=BACKENDS)
def api_schema(request, tmp_path_factory):
    """The document of an app on its own sample database (the cases write: the shared ``seeded`` stays clean)."""
    base = prepared(request.param, tmp_path_factory.mktemp(f"fuzz-{request.param}"), tmp_path_factory, with_sample=True)
    # Bounded the way a deployment bounds it (QJ_ROUTE_SOLVER_MAX_S): a plan solves for at most half a second.
    app_settings = dataclasses.replace(base, route_solver=dataclasses.replace(base.route_solver, max_seconds=0.5))
    headers = {"Authorization": f"Bearer {token_for(app_settings)}"}  # an admin: every operation is allowed
    server = create_app(app_settings).server
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", server, headers=headers)
    schema.qj_headers = headers
    yield schema, server
    _cleanup(app_settings)


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = {GenerationMode.POSITIVE: 4, GenerationMode.NEGATIVE: 2}


def _fuzz(operation) -> None:
    for mode, examples in EXAMPLES.items():
        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case):
            response = case.call(headers={"Accept-Encoding": "identity", **operation.schema.qj_headers})  # the WSGI client does not unzip
            case.validate_response(response, checks=CHECKS)
        try:
            check()
        except Unsatisfiable:
            if mode is GenerationMode.POSITIVE:
                raise  # (an operation without parameters or body has no invalid input to make)


def _failures(schema, only: str = "") -> dict:
    failed = {}
    for operation in (result.ok() for result in schema.get_all_operations()):
        if only not in operation.label:
            continue
        try:
            _fuzz(operation)
        except BaseException as exc:  # noqa: BLE001 — schemathesis raises an exception group of every failure
            if isinstance(exc, KeyboardInterrupt):
                raise
            failed[operation.label] = f"{type(exc).__name__}: {str(exc)[:500]}"
    return failed


def test_no_operation_answers_a_server_error_or_off_the_document(api_schema):
    schema, _server = api_schema
    assert len(list(schema.get_all_operations())) > 40  # every route is in the document
    failed = _failures(schema)
    assert not failed, failed


def test_an_answer_off_the_document_fails_the_smoke_run(api_schema, monkeypatch):
    """A handler that answers a renamed field outside its model: the response-schema check names it."""
    schema, server = api_schema
    monkeypatch.setitem(server.view_functions, "api.search", lambda: jsonify({"hits": [{"label": "x"}]}))
    failed = _failures(schema, "GET /api/v1/search")
    assert "GET /api/v1/search" in failed and "schema" in failed["GET /api/v1/search"].lower(), failed
