"""``/report``: 有奖举报 — the public's report form (no account), and ``/report/lookup``: a report's outcome by
its reference. Plain server-rendered HTML (no JavaScript), Chinese or (``?lang=en``) English, laid out for a 390 px
phone; the form is multipart (an optional photo) and carries the CSRF token of the visitor's anonymous session.

Public (dashboard/auth/routes.py). The body is capped before the guard reads the form (``cap_report_body``): a
larger one is answered 413 with the form and a message, as is every refusal (a field, the flood limit, the photo)
— the service writes nothing unless the whole report is stored. Success redirects (303) to the lookup page, which
shows the reference to keep, so reloading it sends nothing twice.
"""
from __future__ import annotations

from html import escape
from urllib.parse import urlencode

from flask import Blueprint, current_app, redirect, request
from flask_wtf.csrf import CSRFError, generate_csrf
from werkzeug.exceptions import RequestEntityTooLarge

from dashboard.auth.pages import STYLE
from services.accounts.permissions import PUBLIC_VISITOR
from services.data.geography import township_list
from services.db.uow import unit_of_work
from services.errors import FieldError
from services.field.photos import Upload
from services.supervision.reports import PublicOutcome, ReportInput, lookup_report, submit_report
from services.text import normalise_language, t, term

report_pages = Blueprint("report_pages", __name__)
HEADERS = {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store", "Referrer-Policy": "no-referrer",
           "X-Content-Type-Options": "nosniff"}
MULTIPART_OVERHEAD_BYTES = 256 * 1024  # part headers and the text fields, beyond the photo
TEXT_FIELDS = ("description", "enterprise_name", "place", "township_code", "contact")
LABELS = {"description": "report.field.description", "enterprise_name": "report.field.enterprise_name",
          "place": "report.field.place", "township_code": "report.field.township", "contact": "report.field.contact",
          "photo": "report.field.photo_label"}
EXTRA_STYLE = """main{max-width:560px;margin:4vh auto}textarea,select{width:100%;box-sizing:border-box;font-size:16px;
padding:10px;border:1px solid #b8c2cc;border-radius:4px;background:#fff;font-family:inherit}textarea{min-height:8em}
input[type=file]{padding:8px;font-size:15px}.hint{color:#5b6b7a;font-size:13px;margin:4px 0 0}
.ok{background:#e8f5e9;color:#1b5e20;padding:12px;border-radius:4px;margin:0 0 16px}
.ref{display:block;font-size:22px;font-weight:700;letter-spacing:1px;margin:6px 0;word-break:break-all}
dl{margin:16px 0}dt{color:#5b6b7a;font-size:13px;margin-top:10px}dd{margin:2px 0 0;white-space:pre-wrap}
.links{margin-top:18px;font-size:15px}h2{font-size:17px;margin:8px 0}[aria-invalid=true]{border-color:#c62828}
@media (max-width:600px){main{margin:0;border-radius:0;box-shadow:none;padding:20px 16px}}"""


def _lang() -> str:
    return normalise_language(request.values.get("lang"))


def body_cap() -> int:
    """The most a report's form may be: one photo at the configured size and the text fields."""
    return current_app.config["QJ_SETTINGS"].photos.max_bytes + MULTIPART_OVERHEAD_BYTES


def cap_report_body() -> None:
    """before_request, installed ahead of the guard (whose CSRF check parses the form): the report form's cap."""
    if request.endpoint == "report_pages.report_form" and request.method == "POST":
        request.max_content_length = body_cap()


def _page(lang: str, body: str, status: int = 200, switch: dict | None = None, headers: dict | None = None):
    settings = current_app.config["QJ_SETTINGS"]
    region = settings.region.name_zh if lang == "zh" else settings.region.name_en
    other = urlencode({**(switch or {}), "lang": "en" if lang == "zh" else "zh"})
    html = (f'<!doctype html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex">'
            f'<title>{escape(t("report.title", lang))}</title><style>{STYLE}{EXTRA_STYLE}</style></head><body><main>'
            f'<a class="lang" href="?{escape(other)}">{escape(t("app.language", lang))}</a>'
            f'<h1>{escape(t("app.title", lang, region=region))}</h1>'
            f'<p class="sub">{escape(t("report.title", lang))}</p>'
            f'{body}</main></body></html>')
    return html, status, {**HEADERS, **(headers or {})}


def _error(message: str | None) -> str:
    return f'<div class="error" role="alert">{escape(message)}</div>' if message else ""


def _input(lang: str, name: str, values: dict, bad: str | None, kind: str = "text", extra: str = "") -> str:
    invalid = ' aria-invalid="true" autofocus' if bad == name else ""
    return (f'<label for="{name}">{escape(t(LABELS[name], lang))}</label><input id="{name}" name="{name}" '
            f'type="{kind}" value="{escape(values.get(name, ""))}"{extra}{invalid}>')


def _townships(lang: str, chosen: str, bad: str | None) -> str:
    with unit_of_work(current_app.config["QJ_SETTINGS"]) as uow:
        rows = township_list(uow)
    options = [f'<option value="">{escape(t("report.field.township_any", lang))}</option>'] + [
        f'<option value="{r.code}"{" selected" if r.code == chosen else ""}>'
        f'{escape(r.name_en if lang == "en" else r.name)}</option>' for r in rows]
    invalid = ' aria-invalid="true"' if bad == "township_code" else ""
    return (f'<label for="township_code">{escape(t(LABELS["township_code"], lang))}</label>'
            f'<select id="township_code" name="township_code"{invalid}>{"".join(options)}</select>')


def _form(lang: str, values: dict, message: str | None = None, bad: str | None = None, status: int = 200,
          headers: dict | None = None):
    limits = current_app.config["QJ_SETTINGS"].public_reports
    max_mb = f"{current_app.config['QJ_SETTINGS'].photos.max_bytes / 1048576:g}"
    invalid = ' aria-invalid="true" autofocus' if bad == "description" else ""
    body = (f'<p>{escape(t("report.intro", lang))}</p>{_error(message)}'
            f'<form method="post" action="/report" enctype="multipart/form-data">'
            f'<input type="hidden" name="csrf_token" value="{generate_csrf()}">'
            f'<input type="hidden" name="lang" value="{lang}">'
            f'<label for="description">{escape(t(LABELS["description"], lang))}</label>'
            f'<textarea id="description" name="description" required minlength="{limits.min_description_chars}" '
            f'maxlength="{limits.max_description_chars}" aria-describedby="description-hint"{invalid}>'
            f'{escape(values.get("description", ""))}</textarea>'
            f'<p class="hint" id="description-hint">{escape(t("report.field.description_hint", lang))}</p>'
            f'{_input(lang, "enterprise_name", values, bad, extra=" maxlength=200")}'
            f'{_input(lang, "place", values, bad, extra=" maxlength=200")}'
            f'{_townships(lang, values.get("township_code", ""), bad)}'
            f'{_input(lang, "contact", values, bad, "tel", " maxlength=40 inputmode=tel autocomplete=tel")}'
            f'<label for="photo">{escape(t("report.field.photo", lang, max_mb=max_mb))}</label>'
            f'<input id="photo" name="photo" type="file" accept="image/jpeg,image/png,image/webp"'
            f'{" aria-invalid=true" if bad == "photo" else ""}>'
            f'<button type="submit">{escape(t("report.submit_button", lang))}</button></form>'
            f'<p class="hint">{escape(t("report.privacy", lang))}</p>'
            f'<p class="links"><a href="/report/lookup?lang={lang}">{escape(t("report.lookup_link", lang))}</a></p>')
    return _page(lang, body, status, headers=headers)


def _upload() -> Upload | None:
    """The form's photo; a file input left empty sends a part with no name and no bytes: no photo."""
    sent = request.files.get("photo")
    if sent is None:
        return None
    data = sent.read()
    return Upload(sent.filename or "", data) if data or sent.filename else None


def _refusal(lang: str, exc: FieldError) -> str:
    reason = exc.reason_en if lang == "en" else exc.reason
    if exc.field in LABELS:  # "at most 200 characters" says which field only with its label
        return t("report.field_reason", lang, field=t(LABELS[exc.field], lang), reason=reason)
    return reason


@report_pages.route("/report", methods=["GET", "POST"])
def report_form():
    lang = _lang()
    if request.method == "GET":
        return _form(lang, {})
    values = {name: request.form.get(name, "") for name in TEXT_FIELDS}
    try:
        data = ReportInput(**values, photo=_upload())
        with unit_of_work(current_app.config["QJ_SETTINGS"], write=True, principal=PUBLIC_VISITOR) as uow:
            sent = submit_report(uow, data, sender=request.remote_addr)
    except FieldError as exc:
        minutes = exc.params.get("minutes")
        headers = {"Retry-After": str(minutes * 60)} if exc.status == 429 and isinstance(minutes, int) else None
        return _form(lang, values, _refusal(lang, exc), exc.field, exc.status, headers)
    return redirect(f"/report/lookup?{urlencode({'ref': sent.reference, 'lang': lang, 'received': 1})}", 303)


@report_pages.errorhandler(RequestEntityTooLarge)
def _too_large(_exc):
    max_mb = f"{body_cap() / 1048576:.0f}"
    return _form(_lang_of_refused(), {}, t("report.body_too_large", _lang_of_refused(), max_mb=max_mb), "photo", 413)


@report_pages.errorhandler(CSRFError)
def _expired(_exc):
    return _form(_lang_of_refused(), {}, t("report.form_expired", _lang_of_refused()), None, 400)


def _lang_of_refused() -> str:
    """The language of a request whose body was not read (too large, refused): from its query string only."""
    return normalise_language(request.args.get("lang"))


def _outcome(lang: str, seen: PublicOutcome) -> str:
    rows = [("report.result.status", term(seen.status, lang)), ("report.result.submitted", seen.submitted_on)]
    if seen.verified_on:
        rows.append(("report.result.verified", seen.verified_on))
    rows.append(("report.result.outcome", seen.outcome or (t("report.result.pending", lang)
                                                          if seen.verified_on is None else "")))
    if seen.danger_status:
        rows.append(("report.result.danger", term(seen.danger_status, lang)))
    reward = term(seen.reward_status, lang) if seen.reward_yuan is None else t(
        "report.result.reward_amount", lang, status=seen.reward_status, amount=seen.reward_yuan)
    rows.append(("report.result.reward", reward))
    items = "".join(f"<dt>{escape(t(key, lang))}</dt><dd>{escape(value)}</dd>" for key, value in rows if value)
    return f'<dl aria-label="{escape(seen.reference)}">{items}</dl>'


@report_pages.get("/report/lookup")
def report_lookup():
    lang = _lang()
    typed = request.args.get("ref", "").strip()[:60]
    received, result, message, status = request.args.get("received") == "1", "", None, 200
    if typed:
        try:
            with unit_of_work(current_app.config["QJ_SETTINGS"], principal=PUBLIC_VISITOR) as uow:
                seen = lookup_report(uow, typed)
        except FieldError as exc:
            message, status, received = (exc.reason_en if lang == "en" else exc.reason), exc.status, False
        else:
            typed, result = seen.reference, _outcome(lang, seen)
    banner = (f'<div class="ok" role="status">{escape(t("report.received", lang))}<br>'
              f'{escape(t("report.your_reference", lang))}<output class="ref">{escape(typed)}</output>'
              f'{escape(t("report.keep_reference", lang))}</div>') if received and result else ""
    body = (f'{banner}<h2>{escape(t("report.lookup_title", lang))}</h2>{_error(message)}{result}'
            f'<form method="get" action="/report/lookup"><input type="hidden" name="lang" value="{lang}">'
            f'<label for="ref">{escape(t("report.lookup_field", lang))}</label>'
            f'<input id="ref" name="ref" type="text" required maxlength="60" autocapitalize="characters" '
            f'spellcheck="false" value="{escape(typed)}" placeholder="JB-2026-XXXXX-XXXXX">'
            f'<button type="submit">{escape(t("report.lookup_button", lang))}</button></form>'
            f'<p class="links"><a href="/report?lang={lang}">{escape(t("report.new_link", lang))}</a></p>')
    return _page(lang, body, status, switch={"ref": typed} if typed else None)
