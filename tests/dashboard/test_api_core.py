"""What every API request shares: JSON 404/405 under /api/, 503 when the database is down, same-origin writes,
bounded ids, and a server that keeps answering with many connections open."""
from __future__ import annotations

import dataclasses
import socket
import threading
import time
import urllib.request

import pytest

from dashboard.app import create_app
from tests.conftest import signed_in


@pytest.fixture(scope="module")
def client(seeded):
    return signed_in(create_app(seeded).server.test_client(), seeded)


@pytest.mark.parametrize(("method", "path", "status"), [
    ("GET", "/api/v1/orders", 405), ("DELETE", "/api/v1/incidents", 405), ("PUT", "/api/v1/warnings/1/ack", 405),
    ("GET", "/api/v1/nothing-here", 404), ("GET", "/api/v2/layers/shelters", 404), ("POST", "/api/v1/", 404),
    ("GET", "/api/v1/incidents/0", 404), ("GET", "/api/v1/incidents/99999999999999999999", 404),
    ("GET", "/api/v1/features/shelters/-1", 404),
])
def test_unknown_api_paths_and_methods_answer_json_not_the_dash_page(client, method, path, status):
    answer = client.open(path, method=method)
    assert answer.status_code == status and answer.is_json, answer.data[:200]
    assert answer.get_json()["reason"] and answer.get_json()["reason_en"]
    if status == 405:
        assert "POST" in answer.headers["Allow"] or "GET" in answer.headers["Allow"]


def test_pages_outside_the_api_still_serve_dash(client):
    assert b"<!DOCTYPE html>" in client.get("/duty").data


def test_writes_from_another_site_are_refused_api_and_dash_callbacks(client):
    body = {"incident_id": 1, "team_id": 1}
    for headers in ({"Origin": "http://evil.example"}, {"Referer": "http://evil.example/page"}, {"Origin": "null"}):
        assert client.post("/api/v1/orders", json=body, headers=headers).status_code == 403
        assert client.post("/_dash-update-component", json={}, headers=headers).status_code == 403
    form = client.post("/api/v1/orders", data=body)  # what a cross-site form can send without a preflight
    assert form.status_code == 415 and form.get_json()["parameter"] == "Content-Type"


def _unreachable(seeded, tmp_path, kind: str):
    url = ("postgresql+psycopg://postgres@127.0.0.1:9/nowhere" if kind == "postgresql"
           else f"sqlite:///{tmp_path}/no/such/dir/db.sqlite3")
    client = create_app(dataclasses.replace(seeded, database_url=url)).server.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = "Bearer qj_any"  # checking it needs the database: 503 too
    return client


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_database_outage_answers_503_with_a_reason_and_healthz_says_so(seeded, tmp_path, kind):
    down = _unreachable(seeded, tmp_path, kind)
    health = down.get("/healthz")
    assert health.status_code == 503 and health.get_json()["status"] == "unavailable"
    for answer in (down.get("/api/v1/incidents"), down.get("/api/v1/layers/shelters"),
                   down.post("/api/v1/orders", json={"incident_id": 1, "team_id": 1})):
        assert answer.status_code == 503, answer.data[:300]
        assert answer.get_json()["error"] == "database_unavailable" and answer.get_json()["reason"]


def test_the_event_feed_refuses_what_is_not_a_change_number(client):
    for since in ("-1", "abc", "9" * 30, "1.5", "²", "١"):  # digits to str.isdigit(), not to int() (or not ASCII)
        answer = client.get(f"/api/v1/events?since={since}")
        assert answer.status_code == 400 and answer.get_json()["parameter"] == "since"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_server_answers_while_150_connections_are_open(seeded):
    """Waitress's defaults (100 connections) stalled requests 15–31 s beyond about 100 open live views."""
    from waitress.server import create_server

    from app import waitress_options
    settings = dataclasses.replace(seeded, port=_free_port())
    options = waitress_options(settings)
    server = create_server(create_app(settings).server, **options)
    def serve() -> None:
        try:
            server.run()
        except OSError:  # close() below pulls the sockets from under the loop; that is how the test ends
            pass

    threading.Thread(target=serve, daemon=True).start()
    idle = []
    try:
        for _ in range(150):
            idle.append(socket.create_connection(("127.0.0.1", settings.port), timeout=5))
        time.sleep(0.3)
        started = time.perf_counter()
        with urllib.request.urlopen(f"http://127.0.0.1:{settings.port}/healthz", timeout=10) as answer:
            assert answer.status == 200
        assert time.perf_counter() - started < 3
    finally:
        for s in idle:
            s.close()
        server.close()


def test_the_openapi_document_has_every_route_and_method_of_the_app(client):
    """Walked from the app's URL map (independently of how the document is built): nothing missing."""
    doc = client.get("/api/v1/openapi.json").get_json()
    app = client.application
    expected = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/"):
            path = rule.rule
            for name in rule.arguments:
                path = path.replace(f"<id:{name}>", "{" + name + "}").replace(f"<{name}>", "{" + name + "}")
            expected |= {(path, m.lower()) for m in rule.methods - {"HEAD", "OPTIONS"}}
    documented = {(path, m) for path, item in doc["paths"].items() for m in item}
    assert expected <= documented, sorted(expected - documented)


def test_documented_request_bodies_are_what_the_handlers_accept(client):
    import jsonschema_rs  # comes with schemathesis (a dev dependency)
    doc = client.get("/api/v1/openapi.json").get_json()
    schema = {"$ref": "#/components/schemas/OrderCreate", "components": doc["components"]}
    validator = jsonschema_rs.Draft202012Validator(schema)
    assert validator.is_valid({"incident_id": 1, "team_id": 2})
    for wrong in ({"incident_id": 1}, {"incident_id": 1, "team_id": 2, "x": 1}, {"incident_id": 0, "team_id": 2},
                  {"incident_id": "1", "team_id": 2}):
        assert not validator.is_valid(wrong)
        assert client.post("/api/v1/orders", json=wrong).status_code == 400
