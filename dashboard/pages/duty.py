"""值班态势 (duty view): live figures, incidents, orders and the event feed (with hazard patrols); report and dispatch;
refreshes by itself.

A 1.5-second interval polls the change counter (the newest audit id); nothing is redrawn unless it moved,
so the map keeps its position and nothing flickers. The database is the truth for every server process.
"""
from __future__ import annotations

import re

import dash
import dash_leaflet as dl
from dash import ALL, Input, Output, State, callback, dcc, html
from flask import url_for

from dashboard.components.clicks import clicked_id
from dashboard.components.map_layers import boundary_layer
from dashboard.state import settings
from services import vocabulary
from services.clock import format_local, now_utc
from services.data.geography import township_list, township_seats
from services.db.uow import unit_of_work
from services.dispatch.duty import change_counter, duty_figures
from services.dispatch.feed import FEED_KINDS, duty_feed
from services.dispatch.incidents import (
    IncidentReport,
    change_status,
    incident_detail,
    list_incidents,
    report_incident,
)
from services.dispatch.orders import active_orders, advance_order, assign_team
from services.dispatch.recommendations import recommend_depots, recommend_teams
from services.dispatch.warnings import active_warnings
from services.errors import FieldError
from services.field.photos import photos_of
from services.text import normalise_language, t, term, term_options

dash.register_page(__name__, path="/duty", name=t("nav.duty"), order=3)

TICK, VERSION, LANG, FIGURES, INCIDENTS, FEED, POINTS = ("duty-tick", "duty-version", "duty-lang", "duty-figures",
                                                         "duty-incidents", "duty-feed", "duty-points")
F_TITLE, F_KIND, F_LEVEL, F_TOWNSHIP, F_SUBMIT, F_MESSAGE = ("duty-title", "duty-kind", "duty-level",
                                                            "duty-township", "duty-submit", "duty-message")
D_INCIDENT, D_TEAMS, D_ASSIGN = "duty-dispatch-incident", "duty-dispatch-teams", "duty-assign"
ORDERS, WARNINGS, ADVANCE = "duty-orders", "duty-warnings", "duty-advance"
FEED_FILTER = "duty-feed-kinds"
DETAIL, STEP, STEP_NOTE, STEP_MESSAGE = "duty-detail", "duty-step", "duty-step-note", "duty-step-message"
DETAIL_LOG = "duty-detail-log"
W_LEVEL, W_HEADLINE, W_TOWNSHIPS, W_PEOPLE, W_ISSUE, W_MESSAGE = ("duty-w-level", "duty-w-headline",
                                                                 "duty-w-townships", "duty-w-people", "duty-w-issue",
                                                                 "duty-w-message")


def layout(lang: str | None = None, **_query) -> html.Div:
    lang = normalise_language(lang)
    with unit_of_work(settings()) as uow:
        townships = [{"label": name, "value": code} for code, name, _ in township_list(uow)]
    return html.Div([
        dcc.Store(id=LANG, data=lang), dcc.Store(id=VERSION, data=-1),
        dcc.Interval(id=TICK, interval=1500),  # polls a counter; redraws only on change (goal: seen within 2 s)
        html.Div(id=FIGURES, className="duty-figures"),
        html.Div([
            html.Div([dl.Map([boundary_layer(lang), dl.GeoJSON(id=POINTS, data={"type": "FeatureCollection",
                                                                                  "features": []},
                                                               pointToLayer={"variable": "qj.incidentToLayer"})],
                             center=[29.47, 108.717], zoom=9.25, zoomSnap=0.25, className="plan-map",
                             attributionControl=False)], className="plan-map-wrap"),
            html.Div([
                html.H3(t("duty.report", lang)),
                html.Div([
                    dcc.Input(id=F_TITLE, type="text", placeholder=t("duty.title_hint", lang)),
                    dcc.Dropdown(term_options(vocabulary.INCIDENT_KINDS, lang), vocabulary.INCIDENT_KINDS[0],
                                 id=F_KIND, clearable=False),
                    dcc.Dropdown(_level_options(lang), vocabulary.INCIDENT_LEVELS[-1], id=F_LEVEL, clearable=False),
                    dcc.Dropdown(townships, None, id=F_TOWNSHIP, placeholder=t("map.township", lang)),
                    html.Button(t("duty.submit", lang), id=F_SUBMIT, n_clicks=0, className="button-link"),
                ], className="duty-form"),
                html.Div(id=F_MESSAGE, className="hint"),
                html.H3(t("duty.dispatch", lang)),
                dcc.Dropdown([], None, id=D_INCIDENT, placeholder=t("duty.choose_incident", lang)),
                html.Div([
                    html.Div(id=DETAIL),
                    html.Div([dcc.Input(id=STEP_NOTE, type="text", placeholder=t("duty.step_note_hint", lang),
                                        maxLength=500, className="duty-step-note")], className="duty-step-form"),
                    html.Div(id=STEP_MESSAGE, className="hint"),
                    html.Div(id=DETAIL_LOG),
                ], className="duty-detail"),
                html.Div(id=D_TEAMS, className="duty-teams"),
                html.H3(t("duty.incidents", lang)), html.Div(id=INCIDENTS),
                html.H3(t("duty.orders", lang)), html.Div(id=ORDERS, className="duty-teams"),
                html.H3(t("duty.warnings", lang)), html.Div(id=WARNINGS, className="duty-teams"),
                html.Div([
                    dcc.Dropdown(term_options(vocabulary.WARNING_COLOUR_LEVELS, lang), vocabulary.WARNING_YELLOW,
                                 id=W_LEVEL, clearable=False),
                    dcc.Input(id=W_HEADLINE, type="text", placeholder=t("duty.warning_headline", lang)),
                    dcc.Dropdown(townships, [], id=W_TOWNSHIPS, multi=True, placeholder=t("map.township", lang)),
                    html.Button(t("duty.issue", lang), id=W_ISSUE, n_clicks=0, className="button-link"),
                ], className="duty-form"),
                dcc.Textarea(id=W_PEOPLE, placeholder=t("duty.recipients_hint", lang), className="duty-people"),
                html.Div(id=W_MESSAGE, className="hint"),
                html.H3(t("duty.feed", lang)),
                dcc.Checklist([{"label": t(f"duty.feed_kind.{k}", lang), "value": k} for k in FEED_KINDS],
                              list(FEED_KINDS), id=FEED_FILTER, inline=True, className="duty-feed-kinds"),
                html.Ul(id=FEED, className="duty-feed"),
            ], className="plan-result"),
        ], className="plan-body"),
    ], className="data-page evac-page")


ACTOR = t("duty.actor")  # until accounts (issue 10) name the signed-in user


def _level_options(lang: str) -> list[dict]:
    return [{"label": t("duty.level", lang, level=v), "value": v} for v in vocabulary.INCIDENT_LEVELS]


def _local(iso: str) -> str:
    return format_local(iso, settings(), "%m-%d %H:%M")


def _event_line(e: dict, lang: str) -> str:
    """A timeline event as the feed and the timeline show it, in the page's language."""
    return t("duty.event_row", lang, time=_local(e["at"]), actor=e["actor"],
             text=e["text_en"] if lang == "en" else e["text"])


def feed_items(uow, limit: int = 30, lang: str = "zh", kinds=None) -> list:
    """The newest feed lines of the kinds chosen (incidents, patrols, warnings, 叫应, closures, moves), newest
    first; an alarm (a patrol that raised a level, an overdue 叫应) stands out in red."""
    lines = duty_feed(uow, kinds=kinds, limit=limit)
    items = [html.Li(t("duty.event_row", lang, time=_local(line.at.isoformat()),
                       actor=line.actor or t("duty.feed_system", lang), text=line.text(lang)),
                     className=("feed-raised" if line.alarm else "feed-line") + f" feed-{line.kind}")
             for line in lines]
    return items or [html.Li(t("duty.feed_empty", lang), className="hint")]


def _message(exc: FieldError, lang: str) -> html.Span:
    return html.Span(exc.reason if lang == "zh" else exc.reason_en, className="short")


def _parts(parts: list[tuple[str, int]], lang: str) -> list:
    """A card's figures, each with what it is: 已转移 0 · 已安置 92 · 空余床位 100,866 · 转移目标 3,000."""
    return [html.Span([html.Span(t(f"duty.part.{key}", lang), className="duty-part-label"),
                       html.Span(t("duty.part.unit", lang, n=f"{n:,}"), className="duty-part-value")],
                      className=f"duty-part duty-part-{key}") for key, n in parts]


def _figures(f: dict, lang: str) -> list:
    by_level = " · ".join(t("duty.level_count", lang, level=k, n=v) for k, v in f["incidents_by_level"].items())
    cards = [(t("duty.incidents_active", lang), by_level),
             (t("duty.waiting", lang), t("duty.waiting_value", lang, waiting=f["recipients_waiting"],
                                         overdue=f["recipients_escalated"])),
             (t("duty.teams_out", lang), t("duty.teams_value", lang, n=f["teams_out"])),
             (t("duty.evacuated", lang), _parts([("moved", f["people_moved"]), ("housed", f["people_evacuated"]),
                                                 ("free", f["places_free"]), ("target", f["target_people"])], lang))]
    return [html.Div([html.Div(label, className="duty-label"), html.Div(value, className="duty-value")],
                     className="duty-card" + (" alarm" if i == 1 and f["recipients_escalated"] else ""))
            for i, (label, value) in enumerate(cards)]


def _orders(uow, lang: str) -> list:
    rows = [html.Div([html.Span(t("duty.order_row", lang, id=o["id"], team=o["team"], incident=o["incident"],
                                  status=o["status"]) +
                                (t("duty.order_eta", lang, minutes=f"{o['eta_s'] / 60:.0f}") if o["eta_s"] else "")),
                      html.Span([html.Button(term(status, lang), id={"type": ADVANCE, "order": o["id"],
                                                                     "status": status}, n_clicks=0)
                                 for status in o["next"]])], className="block-row")
            for o in active_orders(uow)]
    return rows or [html.P(t("duty.no_orders", lang), className="hint")]


def _warnings(uow, lang: str) -> list:
    rows = []
    for w in active_warnings(uow):
        rows.append(html.Div([html.Span(t("duty.warning_row", lang, level=w["level"], headline=w["headline"])),
                              html.Span(f"{t('duty.acked', lang)} {w['acknowledged']}/{w['recipients_total']}" +
                                        (f" · {t('duty.escalated', lang)} {w['escalated']}" if w["escalated"] else ""),
                                        className="short" if w["escalated"] else "")],
                             className="block-row" + (" alarm" if w["escalated"] else "")))
        if uow.principal.may("warning.issue"):
            rows.append(_messages(uow, w["id"], lang))
    return rows or [html.P(t("duty.no_warnings", lang), className="hint")]


def _messages(uow, warning_id: int, lang: str) -> html.Details:
    """Each recipient's message and personal link, to read out by phone to whoever has not confirmed."""
    from services.dispatch.ack_links import recipient_messages
    items = [html.Li([html.Strong(f"{m.name} {m.phone or ''}"), " ",
                      html.Span(t("duty.acked_mark", lang) if m.acknowledged else t("duty.waiting_mark", lang),
                                className="ok" if m.acknowledged else "short"),
                      html.Div(m.text, className="ack-text"), html.A(m.link, href=m.link, className="ack-link")])
             for m in recipient_messages(uow, warning_id, lang)]
    return html.Details([html.Summary(t("duty.messages", lang)), html.Ul(items, className="ack-list")],
                        className="ack-messages")


@callback(Output(ORDERS, "children", allow_duplicate=True), Input({"type": ADVANCE, "order": ALL, "status": ALL},
                                                                 "n_clicks"),
          State(LANG, "data"), prevent_initial_call=True)
def _advance(_clicks, lang):
    trigger, note = clicked_id(), []
    if trigger is not None:
        try:
            with unit_of_work(settings(), write=True, actor=ACTOR) as uow:
                advance_order(uow, int(trigger["order"]), trigger["status"])
        except FieldError as exc:  # e.g. someone else moved it first: say so; the list shows where it is now
            note = [html.P(_message(exc, lang))]
    with unit_of_work(settings()) as uow:
        return note + _orders(uow, lang)


@callback(Output(VERSION, "data"), Output(FIGURES, "children"), Output(INCIDENTS, "children"),
          Output(FEED, "children"), Output(POINTS, "data"), Output(D_INCIDENT, "options"),
          Output(ORDERS, "children"), Output(WARNINGS, "children"),
          Input(TICK, "n_intervals"), State(VERSION, "data"), State(LANG, "data"), State(FEED_FILTER, "value"),
          State(D_INCIDENT, "value"))
def _refresh(_tick, version, lang, kinds=None, chosen=None):
    with unit_of_work(settings()) as uow:  # one snapshot: every figure below agrees with the others
        return _redraw(uow, version, lang, kinds, chosen)


@callback(Output(FEED, "children", allow_duplicate=True), Input(FEED_FILTER, "value"), State(LANG, "data"),
          prevent_initial_call=True)
def _filter_feed(kinds, lang):
    with unit_of_work(settings()) as uow:
        return feed_items(uow, lang=lang, kinds=kinds or [])


def _redraw(uow, version, lang, kinds=None, chosen=None):
    current = change_counter(uow)
    if current == version:
        raise dash.exceptions.PreventUpdate  # nothing changed: no redraw, no flicker
    incidents = list_incidents(uow, active_only=True)
    rows = [html.Tr([html.Td(f"#{i['id']}"), html.Td(i["title"]), html.Td(term(i["kind"], lang)),
                     html.Td(t("duty.level", lang, level=i["level"])), html.Td(term(i["status"], lang)),
                     html.Td(_local(i["occurred_at"]))]) for i in incidents]
    table = html.Table(html.Tbody(rows), className="data-table duty-incident-table") if rows else \
        html.P(t("duty.none", lang), className="hint")
    feed = feed_items(uow, lang=lang, kinds=kinds)
    points = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [i["lon"], i["lat"]]},
         "properties": {"title": i["title"], "level": i["level"]}} for i in incidents]}
    options = [{"label": f"#{i['id']} {i['title']}", "value": i["id"]} for i in incidents]
    if chosen and all(i["id"] != chosen for i in incidents):  # closed while chosen: its detail stays in view
        closed = incident_detail(uow, int(chosen))
        if closed is not None:
            options.append({"label": t("duty.closed_option", lang, id=closed["id"], title=closed["title"],
                                       status=closed["status"]), "value": closed["id"]})
    return (current, _figures(duty_figures(uow), lang), table, feed, points, options, _orders(uow, lang),
            _warnings(uow, lang))


@callback(Output(F_MESSAGE, "children"), Input(F_SUBMIT, "n_clicks"),
          State(F_TITLE, "value"), State(F_KIND, "value"), State(F_LEVEL, "value"), State(F_TOWNSHIP, "value"),
          State(LANG, "data"), prevent_initial_call=True)
def _report(_clicks, title, kind, level, township, lang):
    s = settings()
    with unit_of_work(s) as uow:
        seat = next(((lon, lat) for code, lon, lat in township_seats(uow) if code == township), None)
    if seat is None:
        return html.Span(t("duty.need_township", lang), className="short")
    try:
        with unit_of_work(s, write=True, actor=ACTOR) as uow:
            incident_id = report_incident(uow, IncidentReport(title=title or "", kind=kind, level=level, lon=seat[0],
                                                              lat=seat[1], occurred_at=now_utc(), reporter=ACTOR))
    except FieldError as exc:
        return _message(exc, lang)
    return html.Span(t("duty.reported", lang, id=incident_id), className="ok")


@callback(Output(D_TEAMS, "children"), Input(D_INCIDENT, "value"),
          Input({"type": D_ASSIGN, "team": ALL}, "n_clicks"), State(LANG, "data"), prevent_initial_call=True)
def _dispatch(incident_id, _clicks, lang):
    if not incident_id:
        return []
    s, message, trigger = settings(), None, clicked_id()
    with unit_of_work(s) as uow:  # road times once per click: the ETA of the chosen team and the list shown
        teams = recommend_teams(uow, int(incident_id), limit=50)
    if trigger is not None:
        chosen = int(trigger["team"])
        try:
            with unit_of_work(s, write=True, actor=ACTOR) as uow:
                eta = next((tm["travel_s"] for tm in teams if tm["team_id"] == chosen), None)
                assign_team(uow, int(incident_id), chosen, eta_s=eta)
            message = html.P(t("duty.dispatched", lang), className="ok")
            teams = [tm for tm in teams if tm["team_id"] != chosen]  # busy now
        except FieldError as exc:
            message = html.P(_message(exc, lang))
    with unit_of_work(s) as uow:
        return _dispatch_view(uow, int(incident_id), teams[:5], message, lang)


def _minutes(travel_s: float | None, lang: str) -> str:
    return "" if travel_s is None else t("duty.minutes", lang, minutes=f"{travel_s / 60:.0f}")


def _dispatch_view(uow, incident_id: int, teams: list[dict], message, lang: str) -> list:
    rows = [html.Div([html.Span(t("duty.team_row", lang, name=tm["name"], kind=tm["kind"], members=tm["members"])
                                + (" ★" if tm["specialty_match"] else "") + _minutes(tm["travel_s"], lang)),
                      html.Button(t("duty.assign", lang), id={"type": D_ASSIGN, "team": tm["team_id"]}, n_clicks=0)],
                     className="block-row") for tm in teams]
    depots = [html.Li(t("duty.depot_row", lang, name=d["name"], n=d["vehicles_available"]) +
                      _minutes(d["travel_s"], lang)) for d in recommend_depots(uow, incident_id)]
    rows.append(html.Div([html.H4(t("duty.depots", lang)), html.Ul(depots, className="duty-timeline")]))
    return ([message] if message else []) + (rows or [html.P(t("duty.no_team", lang), className="hint")])


def _photos(uow, incident_id: int, lang: str) -> list:
    """The incident's photos as thumbnails; each opens the full photo in a new tab (both routes check the reader)."""
    photos = photos_of(uow, "incident", incident_id)
    if not photos:
        return []
    links = [html.A(html.Img(src=url_for("field_api.photo_thumbnail", photo_id=p.id),
                             alt=t("duty.photo_alt", lang, n=n), className="duty-thumb"),
                    href=url_for("field_api.photo", photo_id=p.id), target="_blank", rel="noopener",
                    title=t("duty.photo_open", lang, by=p.uploaded_by, at=_local(p.uploaded_at)))
             for n, p in enumerate(photos, 1)]
    return [html.H4(t("duty.photos", lang, n=len(photos))), html.Div(links, className="duty-photos")]


@callback(Output(W_MESSAGE, "children"), Input(W_ISSUE, "n_clicks"), State(W_LEVEL, "value"),
          State(W_HEADLINE, "value"), State(W_TOWNSHIPS, "value"), State(W_PEOPLE, "value"), State(LANG, "data"),
          prevent_initial_call=True)
def _issue(_clicks, level, headline, townships, people, lang):
    """A warning to the people listed (姓名,职务,电话 a line: name, role, phone) and the monitors of hazard points in
    the area."""
    from services.dispatch.warnings import WarningRequest, issue_warning
    recipients = []
    for line in (people or "").splitlines():
        parts = [p.strip() for p in re.split(r"[,\uff0c]", line)]  # ASCII or full-width commas
        if parts and parts[0]:
            role = parts[1] if len(parts) > 1 and parts[1] else vocabulary.RECIPIENT_RESPONSIBLE
            recipients.append({"name": parts[0], "role": role, "phone": parts[2] if len(parts) > 2 else None})
    try:
        with unit_of_work(settings(), write=True, actor=ACTOR) as uow:
            request = WarningRequest(level=level, hazard_type=vocabulary.WARNING_DEFAULT_HAZARD,
                                     headline=headline or "", townships=townships or [], recipients=recipients)
            warning_id = issue_warning(uow, request)
    except FieldError as exc:
        return _message(exc, lang)
    _send(warning_id)
    return html.Span(t("duty.issued", lang, id=warning_id), className="ok")


def _send(warning_id: int) -> None:
    """After the commit: the messages to the configured SMS/voice gateway (none is configured by default)."""
    from services.dispatch.ack_links import recipient_messages
    from services.dispatch.gateway import deliver
    with unit_of_work(settings()) as uow:
        deliver(uow.settings, warning_id, recipient_messages(uow, warning_id))


@callback(Output(DETAIL, "children"), Output(DETAIL_LOG, "children"), Output(STEP_MESSAGE, "children"),
          Output(STEP_NOTE, "value"),
          Input(D_INCIDENT, "value"), Input(VERSION, "data"), Input({"type": STEP, "status": ALL}, "n_clicks"),
          State(STEP_NOTE, "value"), State(LANG, "data"), prevent_initial_call=True)
def _detail(incident_id, _version, _clicks, note, lang):
    """The chosen incident: its state, the next steps of 接报 → 核实 → 处置中 → 已结束 (each with a note), its orders
    and its timeline; redrawn whenever the change counter moves, so another officer's step shows here too."""
    if not incident_id:
        return [], [], [], dash.no_update
    message, cleared, trigger = [], dash.no_update, clicked_id()
    if trigger is not None:
        if not (note or "").strip():
            message = html.Span(t("duty.step_note_required", lang), className="short")
        else:
            try:
                with unit_of_work(settings(), write=True, actor=ACTOR) as uow:
                    change_status(uow, int(incident_id), trigger["status"], note=note.strip())
                message, cleared = html.Span(t("duty.step_done", lang, status=trigger["status"]), className="ok"), ""
            except FieldError as exc:  # moved meanwhile, or not this user's to move: say so; the view shows now
                message = _message(exc, lang)
    with unit_of_work(settings()) as uow:
        return (*_detail_view(uow, int(incident_id), lang), message, cleared)


def _detail_view(uow, incident_id: int, lang: str) -> tuple[list, list]:
    """The head (facts, stages, step buttons: above the note) and the log (orders, timeline, photos: below it)."""
    detail = incident_detail(uow, incident_id)
    if detail is None:
        return [html.P(t("duty.incident_gone", lang, id=incident_id), className="hint")], []
    status = detail["status"]
    steps = [html.Span(t("duty.step", lang, n=n, status=s),
                       className="duty-stage" + (" done" if n < vocabulary.INCIDENT_STATUSES.index(status) + 1 else "")
                       + (" current" if s == status else ""))
             for n, s in enumerate(vocabulary.INCIDENT_STATUSES, 1)]
    buttons = [html.Button(t("duty.step_to", lang, status=s), id={"type": STEP, "status": s}, n_clicks=0,
                           className="duty-step-button" + (" closing" if s == vocabulary.INCIDENT_CLOSED else ""))
               for s in vocabulary.INCIDENT_TRANSITIONS[status]] if uow.principal.may("incident.manage") else []
    facts = t("duty.incident_facts", lang, id=detail["id"], title=detail["title"], kind=detail["kind"],
              level=detail["level"], at=_local(detail["occurred_at"]), reporter=detail["reporter"])
    counts = t("duty.incident_counts", lang, dead=detail["dead"], injured=detail["injured"],
               missing=detail["missing"], affected=detail["people_affected"])
    orders = [html.Li(t("duty.detail_order", lang, team=o["team"], status=o["status"])) for o in detail["orders"]]
    head = [html.H4(facts, className="duty-detail-title"), html.P(counts, className="hint"),
            html.Div(steps, className="duty-stages"),
            html.Div(buttons, className="duty-step-buttons") if buttons else None]
    return head, [
        html.Ul(orders, className="duty-timeline") if orders else None,
        html.H4(t("duty.timeline", lang)),
        html.Ol([html.Li(_event_line(e, lang)) for e in reversed(detail["timeline"])],
                className="duty-timeline duty-detail-timeline"),
        *_photos(uow, incident_id, lang)]
