"""``/ack/<token>``: the personal 叫应 link a recipient gets by SMS — no account, one tap, on any phone.

Public (listed in dashboard/auth/routes.py): the token is the key, and it opens nothing but this one
confirmation. The form carries the CSRF token of the visitor's (anonymous) session.
"""
from __future__ import annotations

from html import escape

from flask import Blueprint, current_app, request
from flask_wtf.csrf import generate_csrf

from dashboard.auth.pages import STYLE
from services.dispatch.ack_links import acknowledge_by_link, link_view
from services.db.uow import unit_of_work
from services.errors import FieldError
from services.text import normalise_language, t, term

ack_pages = Blueprint("ack_pages", __name__)


def _render(lang: str, body: str, status: int = 200):
    html = (f'<!doctype html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex">'
            f'<title>{escape(t("ack.title", lang))}</title><style>{STYLE}.level{{font-size:18px;font-weight:700}}'
            f'</style></head><body><main>{body}</main></body></html>')
    return html, status, {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store",
                          "Referrer-Policy": "no-referrer"}


@ack_pages.route("/ack/<token>", methods=["GET", "POST"])
def ack_link(token: str):
    lang = normalise_language(request.values.get("lang"))
    settings = current_app.config["QJ_SETTINGS"]
    try:
        with unit_of_work(settings, write=request.method == "POST", actor="link") as uow:
            view = acknowledge_by_link(uow, token) if request.method == "POST" else link_view(uow, token)
    except FieldError as exc:
        if exc.status == 404:
            return _render(lang, f'<h1>{escape(t("ack.title", lang))}</h1><div class="error">'
                                 f'{escape(exc.reason_en if lang == "en" else exc.reason)}</div>', 404)
        with unit_of_work(settings) as uow:
            view = link_view(uow, token)
    head = (f'<h1>{escape(t("ack.title", lang))}</h1><p class="sub">{escape(t("ack.for", lang, name=view.recipient))}'
            f'</p><p class="level">{escape(term(view.level, lang))} · {escape(view.headline)}</p>'
            f'<p>{escape(view.area)}</p><p>{escape(t("ack.until", lang, until=view.valid_until))}</p>')
    if view.acknowledged_at:
        return _render(lang, head + f'<p role="status">{escape(t("ack.done", lang, at=view.acknowledged_at))}</p>')
    if not view.active:
        return _render(lang, head + f'<p role="status">{escape(t("ack.inactive", lang))}</p>')
    form = (f'<form method="post"><input type="hidden" name="csrf_token" value="{generate_csrf()}">'
            f'<input type="hidden" name="lang" value="{lang}">'
            f'<button type="submit">{escape(t("ack.button", lang))}</button></form>')
    return _render(lang, head + form)
