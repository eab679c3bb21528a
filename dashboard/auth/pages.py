"""Sign-in, sign-out and password change: small server-rendered pages (no JavaScript), Chinese and English.

They work on any phone and before the Dash bundle loads; every form carries Flask-WTF's CSRF token.
"""
from __future__ import annotations

import time
from html import escape
from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, request, session
from flask_login import login_user, logout_user
from flask_wtf.csrf import generate_csrf

from dashboard.auth.principal import SignedIn, current_principal
from services.accounts.signin import sign_in
from services.accounts.users import change_password
from services.db.uow import unit_of_work
from services.errors import FieldError
from services.text import normalise_language, t

auth_pages = Blueprint("auth_pages", __name__)

STYLE = """body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;background:#f4f6f8;margin:0;color:#1b2733}
main{max-width:360px;margin:12vh auto;padding:28px 24px;background:#fff;border-radius:8px;
box-shadow:0 1px 4px rgba(0,0,0,.12)}h1{font-size:20px;margin:0 0 4px}p.sub{color:#5b6b7a;margin:0 0 20px}
label{display:block;font-size:14px;margin:14px 0 4px}input{width:100%;box-sizing:border-box;font-size:16px;
padding:10px;border:1px solid #b8c2cc;border-radius:4px}button{width:100%;margin-top:20px;padding:12px;
font-size:16px;background:#c62828;color:#fff;border:0;border-radius:4px}.error{background:#fdecea;color:#8a1c1c;
padding:10px;border-radius:4px;margin-top:12px}.lang{display:block;text-align:right;font-size:14px}"""


def _lang() -> str:
    return normalise_language(request.values.get("lang"))


def _safe_next(value: str | None) -> str:
    """Only a path of this site (never another host) to go back to after signing in."""
    if not value or not value.startswith("/") or value.startswith("//") or urlsplit(value).netloc:
        return "/"
    return value


def _page(lang: str, title_key: str, fields: list[tuple[str, str, str]], action: str, error: str | None = None,
          status: int = 200, hidden: dict | None = None):
    settings = current_app.config["QJ_SETTINGS"]
    region = settings.region.name_zh if lang == "zh" else settings.region.name_en
    other = "en" if lang == "zh" else "zh"
    inputs = "".join(
        f'<label for="{name}">{escape(t(label, lang))}</label>'
        f'<input id="{name}" name="{name}" type="{kind}" required autocomplete="{_autocomplete(name)}">'
        for name, label, kind in fields)
    extra = {"csrf_token": generate_csrf(), "lang": lang, **(hidden or {})}
    hidden_inputs = "".join(f'<input type="hidden" name="{k}" value="{escape(str(v))}">' for k, v in extra.items())
    message = f'<div class="error" role="alert">{escape(error)}</div>' if error else ""
    body = (f'<!doctype html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width,initial-scale=1"><title>{escape(t(title_key, lang))}'
            f'</title><style>{STYLE}</style></head><body><main>'
            f'<a class="lang" href="?lang={other}">{escape(t("app.language", lang))}</a>'
            f'{_drill_band(settings, lang)}'
            f'<h1>{escape(t("app.title", lang, region=region))}</h1><p class="sub">{escape(t(title_key, lang))}</p>'
            f'<form method="post" action="{action}">{hidden_inputs}{inputs}'
            f'<button type="submit">{escape(t(title_key + "_button", lang))}</button></form>{message}'
            f'{_report_link(lang) if action == "/login" else ""}</main></body></html>')
    return body, status, {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"}


def _drill_band(settings, lang: str) -> str:
    """A drill's sign-in says 演练 before anything else, as its pages do (dashboard/components/shell.py)."""
    if not settings.drill:
        return ""
    return (f'<p role="note" style="background:#d7191c;color:#fff;padding:6px 10px;border-radius:4px;margin:0 0 12px;'
            f'font-weight:700" title="{escape(t("app.drill_hint", lang))}">'
            f'{escape(t("app.drill", lang, name=settings.drill))}</p>')


def _report_link(lang: str) -> str:
    """The public's way in to 有奖举报 (dashboard/auth/report.py), which needs no account."""
    return (f'<p class="sub" style="margin-top:18px"><a href="/report?lang={lang}">'
            f'{escape(t("report.sign_in_link", lang))}</a></p>')


def _autocomplete(name: str) -> str:
    return {"username": "username", "password": "current-password", "current_password": "current-password"}.get(
        name, "new-password")


SIGN_IN_FIELDS = [("username", "auth.username", "text"), ("password", "auth.password", "password")]
PASSWORD_FIELDS = [("current_password", "auth.current_password", "password"),
                   ("new_password", "auth.new_password", "password"),
                   ("new_password_again", "auth.new_password_again", "password")]


@auth_pages.route("/login", methods=["GET", "POST"])
def login():
    lang = _lang()
    target = _safe_next(request.values.get("next"))
    if request.method == "GET":
        return _page(lang, "auth.sign_in", SIGN_IN_FIELDS, "/login", hidden={"next": target})
    settings = current_app.config["QJ_SETTINGS"]
    with unit_of_work(settings, write=True, actor="anonymous") as uow:
        result = sign_in(uow, request.form.get("username", ""), request.form.get("password", ""),
                         remote=request.remote_addr)
    if not result.ok:
        params = {"seconds": result.retry_after_s, "minutes": max(1, (result.retry_after_s + 59) // 60)}
        status = 429 if result.code in ("account.too_many_attempts", "account.locked") else 401
        body, _, headers = _page(lang, "auth.sign_in", SIGN_IN_FIELDS, "/login", t(result.code, lang, **params),
                                 hidden={"next": target})
        if result.retry_after_s:
            headers["Retry-After"] = str(result.retry_after_s)
        return body, status, headers
    if target == "/" and result.principal.scoped:
        target = "/m"  # township staff work from a phone: their page unless they asked for another
    session.clear()  # a new session on sign-in: no fixation of an earlier one
    login_user(SignedIn(result.principal, result.session_epoch))
    session["qj_seen"] = int(time.time())
    session["qj_lang"] = lang
    if result.must_change_password:
        session["qj_must_change"] = True
        return redirect(f"/account/password?lang={lang}&next={target}")
    return redirect(_with_lang(target, lang))


def _with_lang(path: str, lang: str) -> str:
    if "lang=" in path:
        return path
    return f"{path}{'&' if '?' in path else '?'}lang={lang}"


@auth_pages.post("/logout")
def logout():
    lang = session.get("qj_lang", "zh")
    logout_user()
    session.clear()
    return redirect(f"/login?lang={lang}")


@auth_pages.route("/account/password", methods=["GET", "POST"])
def password():
    lang = _lang()
    target = _safe_next(request.values.get("next"))
    principal = current_principal()
    if request.method == "GET":
        return _page(lang, "auth.change_password", PASSWORD_FIELDS, "/account/password", hidden={"next": target})
    settings = current_app.config["QJ_SETTINGS"]
    form = request.form
    if form.get("new_password", "") != form.get("new_password_again", ""):
        return _page(lang, "auth.change_password", PASSWORD_FIELDS, "/account/password",
                     t("auth.passwords_differ", lang), 400, hidden={"next": target})
    try:
        with unit_of_work(settings, write=True, actor=principal.actor) as uow:
            epoch = change_password(uow, principal.username, form.get("current_password", ""),
                                    form.get("new_password", ""))
    except FieldError as exc:
        return _page(lang, "auth.change_password", PASSWORD_FIELDS, "/account/password",
                     exc.reason_en if lang == "en" else exc.reason, 400, hidden={"next": target})
    login_user(SignedIn(principal, epoch))  # this session stays signed in; every other one ends
    session.pop("qj_must_change", None)
    return redirect(_with_lang(target, lang))
