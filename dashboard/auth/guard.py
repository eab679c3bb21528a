"""The guard in front of every request: who is asking (session or bearer token), what the route needs, CSRF.

Each Flask endpoint is listed in ``dashboard/auth/routes.py`` and each Dash callback (by its output) in
``dashboard/auth/callbacks.py`` with the permission it needs; a route or callback missing from them is
refused (and fails tests/dashboard/test_permissions.py). Anonymous requests get 401 under /api and /_dash, a
redirect to the sign-in page elsewhere. State-changing requests from a browser session carry Flask-WTF's CSRF
token (forms: a hidden field; Dash: the ``_csrf_token`` cookie, which dash-renderer sends as ``X-CSRFToken``);
bearer-token requests carry no cookie and so cannot be forged by another site. A state-changing browser request
whose Origin (or, without one, Referer) names another site is refused before the token is looked at.
"""
from __future__ import annotations

import time
from urllib.parse import urlsplit

from flask import current_app, g, has_request_context, jsonify, redirect, request, session
from flask_login import current_user, logout_user
from flask_wtf.csrf import CSRFError

from dashboard.auth.callbacks import callback_permission
from dashboard.auth.routes import PUBLIC, PUBLIC_JSON, ROUTE_PERMISSIONS, page_permission
from services.accounts.permissions import Principal
from services.accounts.tokens import principal_for_token
from services.db.uow import unit_of_work
from services.text import both

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
READ_ANY = "map.read"
SEEN_REFRESH_S = 60
ANONYMOUS = Principal(0, "anonymous", "anonymous", "viewer", via="anonymous")


def required_permission() -> str | None:
    """The permission the current request needs; None for public endpoints; "" when nothing lists it."""
    endpoint = request.endpoint or ""
    if endpoint in PUBLIC or endpoint.endswith(".static") or request.path.startswith("/_dash-component-suites/"):
        return None
    if request.path == "/_dash-update-component":
        return callback_permission(request.get_json(silent=True))
    page = page_permission(request.path, endpoint)
    if page is not None:
        return page
    if request.routing_exception is not None:
        return READ_ANY  # no such route (or method): Flask answers 404/405 to someone signed in
    return ROUTE_PERMISSIONS.get(endpoint, "")


def _answer(status: int, code: str, **params):
    reason, reason_en = both(code, **params)
    return jsonify({"error": "unauthorised" if status == 401 else "forbidden", "parameter": "permission",
                    "reason": reason, "reason_en": reason_en}), status


def _machine_request() -> bool:
    return request.path.startswith(("/api/", "/_dash-", "/healthz")) or request.is_json


def _principal_from_token(settings) -> Principal | None | bool:
    header = request.headers.get("Authorization", "")
    if not header:
        return False
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    with unit_of_work(settings, write=False) as uow:
        return principal_for_token(uow, token.strip())


def _principal_from_session(settings) -> Principal | None:
    if not current_user.is_authenticated:
        return None
    seen = session.get("qj_seen", 0)
    now = int(time.time())
    if now - seen > settings.accounts.idle_timeout_min * 60:
        logout_user()
        session.clear()
        return None
    if now - seen > SEEN_REFRESH_S:
        session["qj_seen"] = now
    return current_user.principal


def _adopt(principal: Principal | None) -> None:
    """The request acts as ``principal`` (handlers read it from ``g``; units of work through the provider)."""
    g.qj_principal = principal


def principal_of_request() -> Principal | None:
    """What services/accounts/context.py asks: the principal of the request being served, if any."""
    return g.get("qj_principal") if has_request_context() else None


def _check_origin() -> None:
    """Refuse a state-changing browser request sent from another site (Origin, else Referer, against Host).

    A proxy in front of the app must pass the Host header through (nginx ``proxy_set_header Host $host``).
    """
    origin = request.headers.get("Origin")
    claimed = origin if origin is not None else request.headers.get("Referer")
    if not claimed:
        return  # neither header (a non-browser client): the token check decides
    parts = urlsplit(claimed)
    if claimed == "null" or (parts.scheme, parts.netloc) != (request.scheme, request.host):
        raise CSRFError("cross-origin request")


def _protect() -> None:
    _check_origin()
    current_app.extensions["csrf"].protect()  # raises CSRFError, answered by csrf_refused


def guard():
    """before_request: resolve the principal, refuse what the table does not allow, check CSRF."""
    settings = current_app.config["QJ_SETTINGS"]
    permission = required_permission()
    unsafe = request.method not in SAFE_METHODS
    if permission is None:  # public: nobody needs to be looked up (the sign-in form still carries its token)
        if unsafe and request.endpoint in PUBLIC_JSON:
            _check_origin()  # JSON only (the handler refuses other bodies): no session token to ask for
        elif unsafe:
            _protect()
        _adopt(None)
        return None
    token_principal = _principal_from_token(settings)
    if token_principal is None:
        return _answer(401, "permission.token_invalid")
    principal = token_principal or _principal_from_session(settings)
    if principal is None:
        if settings.accounts.anonymous_read and permission == "map.read" and request.method in SAFE_METHODS:
            _adopt(ANONYMOUS)
            return None
        if _machine_request():
            return _answer(401, "permission.sign_in_required")
        return redirect(f"/login?next={request.full_path.rstrip('?')}")
    if unsafe and principal.via != "token":
        _protect()  # a browser session: same origin, and the form field or Dash's X-CSRFToken
    if session.get("qj_must_change") and principal.via == "session" and not _machine_request() \
            and request.endpoint != "auth_pages.password":
        return redirect("/account/password")
    if not permission or not principal.may(permission):
        return _answer(403, "permission.denied", permission=permission or request.endpoint, role=principal.role)
    _adopt(principal)
    return None


def csrf_refused(exc: CSRFError):
    reason, reason_en = both("permission.csrf")
    return jsonify({"error": "csrf", "parameter": "csrf_token", "reason": reason, "reason_en": reason_en,
                    "detail": exc.description}), 400
