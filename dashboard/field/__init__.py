"""The phone page for township staff at ``/m``: server-rendered HTML and one small script (static/field.js).

No Dash on this page: it loads in well under 500 kB on a village's mobile network. The script calls the JSON
API with the session cookie and the CSRF token (``X-CSRFToken``); everything it shows is rendered here, from
the text catalogue, in Chinese or (``?lang=en``) English.
"""
from __future__ import annotations

from flask import Blueprint, current_app, request

from dashboard.auth.principal import current_principal
from dashboard.field.render import page_html, warnings_html
from services.data.geography import township_list
from services.db.uow import unit_of_work
from services.field.township import township_view, township_warnings
from services.text import normalise_language

field_page = Blueprint("field_page", __name__)
HTML = {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"}


def _township(uow) -> str:
    """Township staff: their own township; everyone else: the one asked for (``?township=``), else the first."""
    principal = current_principal()
    if principal.scoped:
        return principal.township_code
    asked = request.args.get("township", "")
    codes = [row.code for row in township_list(uow)]
    return asked if asked in codes else codes[0]


@field_page.get("/m")
def page():
    lang = normalise_language(request.args.get("lang"))
    settings = current_app.config["QJ_SETTINGS"]
    with unit_of_work(settings) as uow:
        code = _township(uow)
        view = township_view(uow, code)
        warnings = township_warnings(uow, code)
        townships = [] if current_principal().scoped else township_list(uow)
    basemaps = current_app.config.get("QJ_BASEMAPS") or []
    return page_html(settings, current_principal(), lang, view, warnings, townships, basemaps), 200, HTML


@field_page.get("/m/warnings")
def warnings_fragment():
    """The warnings section alone: what the page's script swaps in when it polls or after a 叫应."""
    lang = normalise_language(request.args.get("lang"))
    settings = current_app.config["QJ_SETTINGS"]
    with unit_of_work(settings) as uow:
        warnings = township_warnings(uow, _township(uow))
    return warnings_html(settings, current_principal(), lang, warnings), 200, HTML
