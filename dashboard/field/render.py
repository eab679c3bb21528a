"""The HTML of the phone page: four sections (report, patrol, shelters, warnings), all text from the catalogue.

Small on purpose: no framework, one stylesheet and one script from /static, the map drawn by the vendored
Leaflet from the township's outline and roads embedded in the page as JSON.
"""
from __future__ import annotations

import json
from html import escape
from urllib.parse import urlencode

from flask_wtf.csrf import generate_csrf

from services import vocabulary
from services.clock import format_local
from services.text import t, term

SHORT_TIME = "%m-%d %H:%M"
TABS = (("report", "field.tab_report", "incident.report"), ("patrol", "field.tab_patrol", "hazard.patrol"),
        ("shelters", "field.tab_shelters", "occupancy.update"), ("warnings", "field.tab_warnings", None))
SCRIPT_TEXTS = ("field.js_sending", "field.js_reported", "field.js_photos_sent", "field.js_patrolled",
                "field.js_raised", "field.js_not_raised", "field.js_saved", "field.js_locating", "field.js_located",
                "field.js_tapped", "field.js_no_gps", "field.js_need_location", "field.js_too_many_photos",
                "field.js_network", "field.js_signed_out", "field.js_acked", "field.js_just_now", "field.shelter_line",
                "field.level_now", "field.no_location")


def _e(text) -> str:
    return escape(str(text), quote=True)


def _options(values, chosen, label) -> str:
    return "".join(f'<option value="{_e(v)}"{" selected" if v == chosen else ""}>{_e(label(v))}</option>'
                   for v in values)


def _field(label: str, control: str, cls: str = "") -> str:
    return f'<label class="m-field {cls}"><span>{_e(label)}</span>{control}</label>'


def _photos_input(settings, lang: str, form: str) -> str:
    limits = settings.photos
    label = t("field.photos", lang, max=limits.max_per_record, max_mb=f"{limits.max_bytes / 1048576:g}")
    # The native file button speaks the browser's language; this label speaks the page's.
    return (f'<div class="m-field"><span>{_e(label)}</span><label class="m-secondary m-file">'
            f'<input type="file" name="photos" id="{form}-photos" accept="image/jpeg,image/png,image/webp" multiple>'
            f'{_e(t("field.choose_photos", lang))}</label><span class="m-previews" id="{form}-previews"></span></div>')


def _report(settings, lang: str) -> str:
    kinds = "".join(f'<optgroup label="{_e(term(category, lang))}">'
                    + _options(kinds, None, lambda v: term(v, lang)) + "</optgroup>"
                    for category, kinds in vocabulary.INCIDENT_TYPES.items())
    levels = _options(vocabulary.INCIDENT_LEVELS, vocabulary.INCIDENT_LEVELS[-1],
                      lambda v: t("field.level_option", lang, level=v))
    counts = "".join(_field(t(f"field.{key}", lang), f'<input type="number" name="{name}" min="0" max="1000000" '
                                                     f'inputmode="numeric" value="0">', "m-count")
                     for key, name in (("dead", "dead"), ("injured", "injured"), ("missing", "missing"),
                                       ("affected", "people_affected")))
    return (f'<h2>{_e(t("field.report_heading", lang))}</h2><form id="report-form" class="m-form" novalidate>'
            + _field(t("field.incident_title", lang), f'<input name="title" id="report-title" maxlength="200" '
                                                     f'required placeholder="{_e(t("field.incident_title_hint", lang))}">')
            + '<div class="m-row">' + _field(t("field.kind", lang), f'<select name="kind">{kinds}</select>')
            + _field(t("field.level", lang), f'<select name="level">{levels}</select>') + "</div>"
            + f'<fieldset class="m-counts"><legend>{_e(t("field.counts", lang))}</legend>{counts}</fieldset>'
            + _field(t("field.note", lang), '<textarea name="description" rows="3" maxlength="4000"></textarea>')
            + f'<div class="m-field"><span>{_e(t("field.location", lang))}</span>'
            f'<div class="m-locate"><button type="button" id="report-gps" class="m-secondary">'
            f'{_e(t("field.use_gps", lang))}</button><span class="hint">{_e(t("field.tap_map", lang))}</span></div>'
            f'<div id="report-map" class="m-map" role="application"></div>'
            f'<output id="report-where" class="m-where">{_e(t("field.no_location", lang))}</output></div>'
            + _photos_input(settings, lang, "report")
            + f'<button type="submit" class="m-primary">{_e(t("field.send_report", lang))}</button>'
            f'<p class="m-msg" id="report-msg" role="status" aria-live="polite"></p></form>')


def _hazard_parts(settings, h, lang: str) -> tuple[str, str, str]:
    """What the select cannot show in 390 px: the point's kind and village, its level, its last patrol."""
    about = t("field.hazard_about", lang, kind=h.hazard_type, village=h.village or "")
    last = (t("field.last_patrol", lang, at=format_local(h.last_patrol_at, settings, SHORT_TIME))
            if h.last_patrol_at else t("field.never_patrolled", lang))
    return about, t("field.level_now", lang, level=term(h.warning_level, lang)), last


def _hazard_option(settings, h, lang: str) -> str:
    about, _, last = _hazard_parts(settings, h, lang)
    return (f'<option value="{h.id}" data-level="{_e(h.warning_level)}" data-about="{_e(about)}" '
            f'data-last="{_e(last)}">{_e(h.name)}</option>')


def _patrol(settings, lang: str, view) -> str:
    heading = f'<h2>{_e(t("field.patrol_heading", lang))}</h2>'
    if not view.hazards:
        return heading + f'<p class="hint">{_e(t("field.no_hazards", lang))}</p>'
    hazards = "".join(_hazard_option(settings, h, lang) for h in view.hazards)
    states = "".join(f'<label class="m-choice state-{i}"><input type="radio" name="state" value="{_e(s)}"'
                     f'{" checked" if i == 0 else ""}><span>{_e(term(s, lang))}</span></label>'
                     for i, s in enumerate(vocabulary.PATROL_STATES))
    raise_to = (f'<option value="">{_e(t("field.no_raise", lang))}</option>'
                + _options(vocabulary.WARNING_COLOUR_LEVELS, None, lambda v: term(v, lang)))
    return (heading + '<form id="patrol-form" class="m-form" novalidate>'
            + _field(t("field.hazard", lang), f'<select name="hazard_id" id="patrol-hazard">{hazards}</select>'
                                             f'<span class="hint" id="patrol-hazard-hint">'
                                             f'{_e(" · ".join(_hazard_parts(settings, view.hazards[0], lang)))}</span>')
            + f'<fieldset class="m-states"><legend>{_e(t("field.state", lang))}</legend>{states}</fieldset>'
            + _field(t("field.crack", lang), '<input type="number" name="crack_width_mm" min="0" max="10000" '
                                            'step="0.1" inputmode="decimal">')
            + _field(t("field.raise", lang), f'<select name="raise_to" id="patrol-raise" disabled>{raise_to}</select>'
                                            f'<span class="hint">{_e(t("field.raise_hint", lang))}</span>')
            + _field(t("field.note", lang), '<textarea name="note" rows="3" maxlength="2000"></textarea>')
            + _photos_input(settings, lang, "patrol")
            + f'<button type="submit" class="m-primary">{_e(t("field.send_patrol", lang))}</button>'
            f'<p class="m-msg" id="patrol-msg" role="status" aria-live="polite"></p></form>')


def _shelters(lang: str, view) -> str:
    heading = f'<h2>{_e(t("field.shelters_heading", lang))}</h2>'
    if not view.shelters:
        return heading + f'<p class="hint">{_e(t("field.no_shelters", lang))}</p>'
    rows = "".join(
        f'<form class="m-shelter" data-shelter="{s.id}" novalidate><div class="m-shelter-name">{_e(s.name)}</div>'
        f'<div class="hint m-shelter-line">{_e(t("field.shelter_line", lang, capacity=s.capacity_people, free=s.available_places, status=s.status))}</div>'
        f'<div class="m-shelter-edit"><label><span>{_e(t("field.housed", lang))}</span>'
        f'<input type="number" name="occupancy_people" min="0" inputmode="numeric" value="{s.occupancy_people}">'
        f'</label><button type="submit" class="m-secondary">{_e(t("field.save", lang))}</button></div>'
        f'<p class="m-msg" role="status" aria-live="polite"></p></form>' for s in view.shelters)
    return heading + rows


def warnings_html(settings, principal, lang: str, warnings) -> str:
    """The warnings list (also served alone at /m/warnings for the script to swap in)."""
    if not warnings:
        return f'<p class="hint" data-unacknowledged="0">{_e(t("field.no_warnings", lang))}</p>'
    may_ack = principal.may("warning.acknowledge")
    cards, waiting = [], 0
    for w in warnings:
        if w.recipient_id is None:
            action = f'<p class="hint">{_e(t("field.not_recipient", lang))}</p>'
        elif w.acknowledged_at:
            action = (f'<p class="m-acked ok">✓ {_e(t("field.acked_at", lang, at=format_local(w.acknowledged_at, settings, SHORT_TIME)))}</p>')
        else:
            waiting += 1
            action = (f'<button type="button" class="m-ack" data-ack="{w.id}"{"" if may_ack else " disabled"}>'
                      f'{_e(t("field.ack", lang))}</button>')
        colour = vocabulary.WARNING_COLOURS.get(w.level, "#7f8c8d")
        cards.append(
            f'<article class="m-warning" style="border-left-color:{colour}" data-warning="{w.id}">'
            f'<h3>{_e(t("field.warning_title", lang, level=w.level, hazard=w.hazard_type))}</h3>'
            f'<p class="m-headline">{_e(w.headline)}</p><p class="hint">{_e(w.area_description)}</p>'
            f'<p class="hint">{_e(t("field.valid_until", lang, at=format_local(w.valid_until, settings, SHORT_TIME)))}'
            f' · {_e(t("field.acked_count", lang, acked=w.acknowledged, total=w.recipients_total))}</p>{action}'
            f'</article>')
    return f'<div data-unacknowledged="{waiting}">{"".join(cards)}</div>'


def _data(settings, lang: str, view, basemaps) -> str:
    wgs = next((b for b in basemaps if b.crs == "WGS84"), None)
    data = {"lang": lang, "csrf": generate_csrf(), "township": view.code, "outline": view.outline,
            "roads": view.roads, "colours": vocabulary.WARNING_COLOURS,
            "levels": list(vocabulary.WARNING_LEVELS), "normal": vocabulary.PATROL_NORMAL,
            "hazards": [{"id": h.id, "name": h.name, "lon": h.lon, "lat": h.lat, "level": h.warning_level}
                        for h in view.hazards],
            "shelters": [{"id": s.id, "name": s.name, "lon": s.lon, "lat": s.lat} for s in view.shelters],
            "basemap": {"url": wgs.url, "max_zoom": wgs.max_zoom, "subdomains": wgs.subdomains} if wgs else None,
            "max_photos": settings.photos.max_per_record, "max_bytes": settings.photos.max_bytes,
            "labels": {v: term(v, lang) for v in vocabulary.WARNING_LEVELS + vocabulary.SHELTER_STATUSES},
            "texts": {key: t(key, lang) for key in SCRIPT_TEXTS}}
    # A name in the data must not end the script element: "<" is written as its JSON escape.
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def _header(settings, principal, lang: str, view, townships) -> str:
    name = view.name if lang == "zh" else view.name_en
    other = "en" if lang == "zh" else "zh"
    query = {"lang": other} | ({} if principal.scoped else {"township": view.code})
    chooser = ""
    if townships:
        options = "".join(f'<option value="{code}"{" selected" if code == view.code else ""}>'
                          f'{_e(zh if lang == "zh" else en)}</option>' for code, zh, en in townships)
        chooser = (f'<form method="get" action="/m" class="m-chooser"><input type="hidden" name="lang" value="{lang}">'
                   f'<label><span>{_e(t("field.choose_township", lang))}</span><select name="township">{options}'
                   f'</select></label><button type="submit" class="m-secondary">{_e(t("field.show", lang))}</button>'
                   f'</form>')
    return (f'<header class="m-head"><h1>{_e(t("field.for_township", lang, township=name))}</h1>'
            f'<div class="m-account"><span class="account-name">{_e(principal.display_name)}</span>'
            f'<a href="/?lang={lang}">{_e(t("nav.map", lang))}</a>'
            f'<a href="/m?{urlencode(query)}" id="m-lang">{_e(t("app.language", lang))}</a>'
            f'<form method="post" action="/logout"><input type="hidden" name="csrf_token" value="{generate_csrf()}">'
            f'<button type="submit" class="m-link">{_e(t("auth.sign_out", lang))}</button></form></div>'
            f'</header>{chooser}')


def page_html(settings, principal, lang: str, view, warnings, townships, basemaps) -> str:
    sections = {"report": lambda: _report(settings, lang), "patrol": lambda: _patrol(settings, lang, view),
                "shelters": lambda: _shelters(lang, view),
                "warnings": lambda: (f'<h2>{_e(t("field.warnings_heading", lang))}</h2><div id="warning-list">'
                                     f'{warnings_html(settings, principal, lang, warnings)}</div>')}
    shown = [(key, label) for key, label, permission in TABS if permission is None or principal.may(permission)]
    waiting = sum(1 for w in warnings if w.recipient_id is not None and not w.acknowledged_at)
    tabs = "".join(f'<a href="#{key}" class="m-tab" data-tab="{key}">{_e(t(label, lang))}'
                   + (f' <span class="m-badge" id="warning-badge">{waiting}</span>' if key == "warnings" else "")
                   + "</a>" for key, label in shown)
    body = "".join(f'<section id="panel-{key}" class="m-panel">{sections[key]()}</section>' for key, _ in shown)
    return (f'<!doctype html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width,initial-scale=1">'
            f'<title>{_e(t("field.title", lang))}</title>'
            f'<link rel="stylesheet" href="/static/vendor/leaflet/leaflet.css">'
            f'<link rel="stylesheet" href="/static/field.css"></head><body>'
            + _header(settings, principal, lang, view, townships)
            + f'<nav class="m-tabs">{tabs}</nav><main>{body}</main>'
            f'<script type="application/json" id="m-data">{_data(settings, lang, view, basemaps)}</script>'
            f'<script src="/static/vendor/leaflet/leaflet.js"></script><script src="/static/field.js"></script>'
            f'</body></html>')
