"""Signing in and guarding every request: Flask-Login sessions, bearer tokens, Flask-WTF CSRF, the permission table.

``install_auth(app, settings)`` is called by the app factory before the API is registered, so the guard runs
before every other request hook.
"""
from __future__ import annotations

from datetime import timedelta

from flask import Flask, g, request, session
from flask_login import LoginManager
from flask_wtf.csrf import CSRFError, CSRFProtect, generate_csrf

from config import Settings
from dashboard.auth.ack import ack_pages
from dashboard.auth.guard import csrf_refused, guard, principal_of_request
from dashboard.auth.pages import auth_pages
from dashboard.auth.principal import SignedIn
from dashboard.auth.report import cap_report_body, report_pages
from services.accounts.context import install_principal_provider
from services.accounts.keys import app_secret
from services.accounts.signin import current_principal
from services.db.uow import unit_of_work

CSRF_COOKIE = "_csrf_token"  # the name dash-renderer reads and sends back as X-CSRFToken


def secret_key(settings: Settings) -> str:
    """SECRET_KEY, or a random key kept in instance/secret-key (mode 0600) so sessions survive a restart."""
    return app_secret(settings)


def install_auth(server: Flask, settings: Settings) -> None:
    rules = settings.accounts
    server.config.update(
        SECRET_KEY=secret_key(settings),
        SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax", SESSION_COOKIE_SECURE=rules.secure_cookies,
        SESSION_COOKIE_NAME="qj_session", PERMANENT_SESSION_LIFETIME=timedelta(minutes=rules.idle_timeout_min),
        REMEMBER_COOKIE_HTTPONLY=True, REMEMBER_COOKIE_SAMESITE="Lax",
        WTF_CSRF_CHECK_DEFAULT=False,  # the guard calls protect() for session requests, not for bearer tokens
        WTF_CSRF_TIME_LIMIT=None,      # valid for the session: a duty view stays open for a whole shift
        WTF_CSRF_HEADERS=["X-CSRFToken"],
    )
    csrf = CSRFProtect(server)
    server.extensions["csrf"] = csrf
    manager = LoginManager(server)
    manager.session_protection = "basic"

    @manager.user_loader
    def _load(user_key: str):
        try:
            user_id, epoch = (int(part) for part in user_key.split(":"))
        except ValueError:
            return None
        with unit_of_work(settings, write=False) as uow:
            principal = current_principal(uow, user_id, epoch)
        return SignedIn(principal, epoch) if principal is not None else None

    install_principal_provider(principal_of_request)
    server.register_blueprint(auth_pages)
    server.register_blueprint(ack_pages)
    server.register_blueprint(report_pages)
    server.before_request(cap_report_body)  # ahead of the guard, whose CSRF check parses the form
    server.before_request(guard)
    server.register_error_handler(CSRFError, csrf_refused)

    @server.after_request
    def _csrf_cookie(response):
        # A signed-in browser gets the CSRF token as a cookie readable by dash-renderer (not HttpOnly).
        if g.get("qj_principal") is not None and g.qj_principal.via == "session" and request.method == "GET" \
                and response.mimetype == "text/html":
            response.set_cookie(CSRF_COOKIE, generate_csrf(), samesite="Lax", secure=rules.secure_cookies,
                                httponly=False)
        session.permanent = True
        return response
