"""The permission matrix, derived from the app's own route map and callback map, for every role.

A route or callback missing from dashboard/auth/{routes,callbacks}.py fails here; for each listed route every
role is refused (403) or let through (anything but 401/403) exactly as services/accounts/permissions.py says.
Anonymous requests get 401 under /api and a sign-in redirect for pages; a browser session's state-changing
request without the CSRF token is refused.
"""
from __future__ import annotations

import re

import pytest

from dashboard.app import create_app
from dashboard.auth.callbacks import CALLBACK_PERMISSIONS, first_output_id
from dashboard.auth.routes import CALLBACK_ENDPOINT, DASH_PAGE_ENDPOINTS, PUBLIC, ROUTE_PERMISSIONS
from services.accounts.permissions import PERMISSIONS, ROLES, allowed
from tests.conftest import TEST_PASSWORD, account, signed_in

HOME = "500114001"
SCOPE_ERRORS = ("permission.other_township", "permission.other_enterprise", "permission.staff_only")
# Path arguments that reach each handler, and queries that make the expensive ones refuse quickly (400) once
# the guard has let the request through: the matrix tests the guard, not the renderers.
ARGUMENTS = {"layer": "shelters", "entity": "shelters", "measure": "hazards", "id": "1", "key": "none",
             "z": "1", "x": "1", "y": "1", "ext": "png"}
PROBE_QUERY = {"export.map_png_download": "?bbox=x", "export.map_html_download": "?bbox=x",
               "roads_api.isochrones": "?lon=x", "api.search": "?q=x"}


@pytest.fixture(scope="module")
def app(seeded):
    application = create_app(seeded)
    application.server.test_client().get("/_dash-dependencies")  # registers the pages' callbacks
    return application


def _api_rules(app):
    return [r for r in app.server.url_map.iter_rules()
            if r.endpoint not in PUBLIC and r.endpoint not in DASH_PAGE_ENDPOINTS and r.endpoint in ROUTE_PERMISSIONS]


def test_every_route_and_callback_is_in_the_table(app):
    endpoints = {r.endpoint for r in app.server.url_map.iter_rules()}
    unlisted = endpoints - PUBLIC - DASH_PAGE_ENDPOINTS - {CALLBACK_ENDPOINT} - set(ROUTE_PERMISSIONS)
    assert not unlisted, f"routes without a permission: {sorted(unlisted)}"
    assert not set(ROUTE_PERMISSIONS) - endpoints, "permissions for routes that do not exist"
    callbacks = {first_output_id(key) for key in app.callback_map}
    assert not callbacks - set(CALLBACK_PERMISSIONS), f"callbacks without a permission: {callbacks - set(CALLBACK_PERMISSIONS)}"
    assert not set(CALLBACK_PERMISSIONS) - callbacks, "permissions for callbacks that do not exist"
    named = set(ROUTE_PERMISSIONS.values()) | set(CALLBACK_PERMISSIONS.values())
    assert named <= set(PERMISSIONS), named - set(PERMISSIONS)


def _url(rule) -> str:
    def fill(match):
        name = match.group(1).split(":")[-1]
        return ARGUMENTS.get(name, ARGUMENTS["id"] if name.endswith("_id") else "x")
    return re.sub(r"<([^>]+)>", fill, rule.rule)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_may_use_exactly_the_routes_the_table_gives_it(app, seeded, role):
    township = HOME if role == "township" else None
    client = signed_in(app.server.test_client(), seeded, role, township)
    wrong = []
    for rule in _api_rules(app):
        permission = ROUTE_PERMISSIONS[rule.endpoint]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            url = _url(rule) + PROBE_QUERY.get(rule.endpoint, "")
            body = {"qj_probe": 1} if method in ("POST", "PUT", "PATCH") else None
            answer = client.open(url, method=method, json=body)
            status = answer.status_code
            # Refused for the role: the guard's "forbidden" or a service's "permission.denied"; a township user may
            # also be refused a record of another township ("permission.other_township"), and an enterprise's
            # account another enterprise's record or figures across enterprises: that is scope, not role.
            error = (answer.get_json(silent=True) or {}).get("error") if status == 403 else None
            refused_for_role = error in ("forbidden", "permission.denied")
            expected_refusal = not allowed(role, permission)
            if expected_refusal != refused_for_role or status == 401 or (status == 403 and not refused_for_role
                                                                        and error not in SCOPE_ERRORS):
                wrong.append(f"{method} {url} ({permission}) -> {status}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_may_run_the_callbacks_the_table_gives_it(app, seeded, role):
    township = HOME if role == "township" else None
    client = signed_in(app.server.test_client(), seeded, role, township)
    for key in app.callback_map:
        permission = CALLBACK_PERMISSIONS[first_output_id(key)]
        status = client.post("/_dash-update-component", json={"output": key, "outputs": [], "inputs": [],
                                                               "changedPropIds": []}).status_code
        assert (status == 403) == (not allowed(role, permission)), (key, permission, status)


def test_anonymous_requests_are_refused_or_sent_to_sign_in(app):
    client = app.server.test_client()
    for rule in _api_rules(app):
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            api = rule.rule.startswith("/api/")
            answer = client.open(_url(rule), method=method, json={} if method != "GET" and api else None)
            if api:
                assert answer.status_code == 401, (method, rule.rule, answer.status_code)
                assert answer.get_json()["reason_en"] == "please sign in"
            else:  # a page (the password form) or a map tile: to the sign-in page
                assert answer.status_code == 302 and "/login?next=" in answer.headers["Location"], rule.rule
    for page in ("/", "/duty", "/data?lang=en"):
        answer = client.get(page)
        assert answer.status_code == 302 and answer.headers["Location"].startswith("/login?next=/")
    assert client.get("/healthz").status_code == 200
    assert client.get("/login").status_code == 200
    assert client.post("/_dash-update-component", json={"output": "shell-header.children"}).status_code == 401


def _session(app, seeded, role="duty"):
    """A browser-like client signed in through the sign-in form; returns it and its CSRF token."""
    name = account(seeded, role)
    client = app.server.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    answer = client.post("/login", data={"username": name, "password": TEST_PASSWORD, "csrf_token": token,
                                         "next": "/healthz"})
    assert answer.status_code == 302 and answer.headers["Location"].startswith("/healthz")
    cookie = client.get("/").headers.get("Set-Cookie", "")
    csrf = re.search(r"_csrf_token=([^;]+)", cookie).group(1)
    return client, csrf


def test_a_session_write_needs_the_csrf_token_and_a_signed_in_page_gets_it(app, seeded):
    client, csrf = _session(app, seeded)
    body = {"incident_id": 999999, "team_id": 1}
    assert client.post("/api/v1/orders", json=body).get_json()["error"] == "csrf"
    assert client.post("/api/v1/orders", json=body, headers={"X-CSRFToken": "forged"}).get_json()["error"] == "csrf"
    answer = client.post("/api/v1/orders", json=body, headers={"X-CSRFToken": csrf})
    assert answer.status_code == 404  # through the guard and the CSRF check: no such incident


def test_sign_in_without_the_form_token_is_refused(app, seeded):
    name = account(seeded, "viewer")
    answer = app.server.test_client().post("/login", data={"username": name, "password": TEST_PASSWORD})
    assert answer.status_code == 400 and answer.get_json()["error"] == "csrf"


def test_signing_out_ends_the_session(app, seeded):
    client, csrf = _session(app, seeded, "viewer")
    assert client.get("/api/v1/townships").status_code == 200
    assert client.post("/logout", data={"csrf_token": csrf}).status_code == 302
    assert client.get("/api/v1/townships").status_code == 401


def test_an_idle_session_must_sign_in_again(app, seeded):
    client, _ = _session(app, seeded, "viewer")
    assert client.get("/api/v1/townships").status_code == 200
    with client.session_transaction() as state:
        state["qj_seen"] -= seeded.accounts.idle_timeout_min * 60 + 1
    assert client.get("/api/v1/townships").status_code == 401


def test_a_first_sign_in_with_a_given_password_leads_to_the_password_page(app, seeded):
    from services.accounts.users import create_user
    from tests.conftest import call
    call(seeded, create_user, "newcomer", role="viewer", password="initial password 1", must_change_password=True)
    client = app.server.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").get_data(as_text=True)).group(1)
    answer = client.post("/login", data={"username": "newcomer", "password": "initial password 1",
                                         "csrf_token": token, "next": "/duty"})
    assert answer.headers["Location"].startswith("/account/password")
    assert client.get("/duty").headers["Location"] == "/account/password"  # no page before the change
    form = client.get("/account/password").get_data(as_text=True)  # signing in began a new session: a new token
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    answer = client.post("/account/password", data={"current_password": "initial password 1",
                                                    "new_password": "my own password 2",
                                                    "new_password_again": "my own password 2", "csrf_token": token,
                                                    "next": "/duty"})
    assert answer.status_code == 302 and answer.headers["Location"].startswith("/duty")
    assert client.get("/duty").status_code == 200


def test_anonymous_reading_of_the_map_is_a_setting_and_never_writes(seeded):
    import dataclasses
    open_map = dataclasses.replace(seeded, accounts=dataclasses.replace(seeded.accounts, anonymous_read=True))
    client = create_app(open_map).server.test_client()
    assert client.get("/api/v1/townships").status_code == 200
    assert client.get("/api/v1/incidents").status_code == 401  # records are not the map
    assert client.post("/api/v1/roads/blocks", json={"point": [108.77, 29.53], "reason": "x"}).status_code == 401
    assert create_app(seeded).server.test_client().get("/api/v1/townships").status_code == 401  # the default


def test_a_cross_origin_post_is_refused_even_with_the_token(app, seeded):
    client, csrf = _session(app, seeded)
    body = {"incident_id": 999999, "team_id": 1}
    for headers in ({"Origin": "http://evil.example"}, {"Origin": "null"},
                    {"Referer": "http://evil.example/page"}, {"Origin": "https://localhost"}):
        answer = client.post("/api/v1/orders", json=body, headers={"X-CSRFToken": csrf, **headers})
        assert answer.status_code == 400 and answer.get_json()["error"] == "csrf", headers
    same = client.post("/api/v1/orders", json=body, headers={"X-CSRFToken": csrf, "Origin": "http://localhost"})
    assert same.status_code == 404  # same origin: through to the service (no such incident)
    referred = client.post("/api/v1/orders", json=body,
                           headers={"X-CSRFToken": csrf, "Referer": "http://localhost/duty"})
    assert referred.status_code == 404
