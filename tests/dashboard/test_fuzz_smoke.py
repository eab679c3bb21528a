"""A few schemathesis cases per operation of the JSON API, in the normal suite: a future 5xx fails ``make test``.

The whole fuzz (tens of thousands of cases, both back-ends) is bench/fuzz_api.py; this is its smoke test.
"""
from __future__ import annotations

import dataclasses

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from dashboard.app import create_app
from services.data.seed import setup_database
from tests.conftest import BACKENDS, _cleanup, make_settings, token_for


@pytest.fixture(scope="module", params=BACKENDS)
def api_schema(request, tmp_path_factory):
    """The document of an app on its own sample database (the cases write: the shared ``seeded`` stays clean)."""
    base = make_settings(request.param, tmp_path_factory.mktemp(f"fuzz-{request.param}"))
    # Bounded the way a deployment bounds it (QJ_ROUTE_SOLVER_MAX_S): a plan solves for at most half a second.
    app_settings = dataclasses.replace(base, route_solver=dataclasses.replace(base.route_solver, max_seconds=0.5))
    setup_database(app_settings, with_sample=True)
    headers = {"Authorization": f"Bearer {token_for(app_settings)}"}  # an admin: every operation is allowed
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", create_app(app_settings).server, headers=headers)
    schema.qj_headers = headers
    yield schema
    _cleanup(app_settings)


def _fuzz(operation) -> None:
    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def check(case):
        response = case.call(headers=operation.schema.qj_headers)
        case.validate_response(response, checks=[not_a_server_error])
    check()


EXAMPLES = 4


def test_no_operation_answers_a_server_error(api_schema):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 40  # every route is in the document
    failed = {}
    for operation in operations:
        try:
            _fuzz(operation)
        except Exception as exc:  # noqa: BLE001 — collect every operation's failure, then report them together
            failed[operation.label] = f"{type(exc).__name__}: {str(exc)[:500]}"
    assert not failed, failed
