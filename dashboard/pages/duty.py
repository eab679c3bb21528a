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

from dashboard.components import controls_board
from dashboard.components import duty_alert as alert
from dashboard.components import duty_handover as handover
from dashboard.components import duty_panels as panels
from dashboard.components import duty_proposals as proposals
from dashboard.components.clicks import clicked_id
from dashboard.components.duty_panels import ACTOR, local, message, warnings_view
from dashboard.components.map_layers import district_frame, boundary_layer
from dashboard.components.widgets import dropdown
from dashboard.state import settings
from services import vocabulary
from services.clock import now_utc
from services.data.geography import township_list, township_seats
from services.db.uow import unit_of_work
from services.dispatch.duty import change_counter, duty_figures
from services.dispatch.feed import FEED_KINDS, duty_feed
from services.dispatch.incidents import (
    IncidentReport,
    incident_detail,
    list_incidents,
    report_incident,
)
from services.dispatch.orders import active_orders, advance_order, assign_team
from services.dispatch.recommendations import recommend_depots, recommend_teams
from services.errors import FieldError
from services.text import normalise_language, t, term, term_options

dash.register_page(__name__, path="/duty", name=t("nav.duty"), order=3)
panels.register()  # the incident detail and the 叫应 board
handover.register()  # 交接班, first on the page
alert.register()  # a tone and a flash on a new incident or an overdue 叫应
proposals.register()  # 预警建议 of 风险感知: confirm or reject
controls_board.register()  # 熔断管控 禁停撤疏 from a warning in force

TICK, VERSION, LANG, FIGURES, INCIDENTS, FEED, POINTS = ("duty-tick", "duty-version", "duty-lang", "duty-figures",
                                                         "duty-incidents", "duty-feed", "duty-points")
F_TITLE, F_KIND, F_LEVEL, F_TOWNSHIP, F_SUBMIT, F_MESSAGE = ("duty-title", "duty-kind", "duty-level",
                                                            "duty-township", "duty-submit", "duty-message")
D_INCIDENT, D_TEAMS, D_ASSIGN = "duty-dispatch-incident", "duty-dispatch-teams", "duty-assign"
ORDERS, WARNINGS, ADVANCE = "duty-orders", "duty-warnings", "duty-advance"
FEED_FILTER = "duty-feed-kinds"
W_LEVEL, W_HEADLINE, W_TOWNSHIPS, W_PEOPLE, W_ISSUE, W_MESSAGE = ("duty-w-level", "duty-w-headline",
                                                                 "duty-w-townships", "duty-w-people", "duty-w-issue",
                                                                 "duty-w-message")


def layout(lang: str | None = None, **_query) -> html.Div:
    lang = normalise_language(lang)
    with unit_of_work(settings()) as uow:
        townships = [{"label": name if lang == "zh" else name_en, "value": code}
                     for code, name, name_en in township_list(uow)]
    return html.Div([
        dcc.Store(id=LANG, data=lang), dcc.Store(id=VERSION, data=-1),
        dcc.Interval(id=TICK, interval=1500),  # polls a counter; redraws only on change (goal: seen within 2 s)
        html.Div([handover.handover_panel(lang), alert.alert_controls(lang)], className="duty-top"),
        html.Div(id=FIGURES, className="duty-figures"),
        html.Div([
            html.Div([dl.Map([boundary_layer(lang), dl.GeoJSON(id=POINTS, data={"type": "FeatureCollection",
                                                                                  "features": []},
                                                               pointToLayer={"variable": "qj.incidentToLayer"})],
                             **district_frame(), zoom=9.25, zoomSnap=0.25,
                             className="plan-map",
                             attributionControl=False)], className="plan-map-wrap"),
            # the work beside the map: what to do (report, dispatch) and what is going on (incidents, orders,
            # warnings, feed); two columns on a wide screen, one below the other on a laptop
            html.Div([html.Div([
                html.H3(t("duty.report", lang)),
                html.Div([
                    dcc.Input(id=F_TITLE, type="text", placeholder=t("duty.title_hint", lang)),
                    dropdown(term_options(vocabulary.INCIDENT_KINDS, lang), vocabulary.INCIDENT_KINDS[0], lang=lang,
                             id=F_KIND, clearable=False),
                    dropdown(_level_options(lang), vocabulary.INCIDENT_LEVELS[-1], lang=lang, id=F_LEVEL,
                             clearable=False),
                    dropdown(townships, None, lang=lang, id=F_TOWNSHIP, placeholder=t("map.township", lang)),
                    html.Button(t("duty.submit", lang), id=F_SUBMIT, n_clicks=0, className="button-link"),
                ], className="duty-form"),
                html.Div(id=F_MESSAGE, className="hint"),
                html.H3(t("duty.dispatch", lang)),
                dropdown([], None, lang=lang, id=D_INCIDENT, placeholder=t("duty.choose_incident", lang)),
                panels.detail_panel(lang),
                html.Div(id=D_TEAMS, className="duty-teams"),
            ], className="plan-result duty-act"), html.Div([
                *proposals.proposals_panel(lang),
                html.H3(t("duty.incidents", lang)), html.Div(id=INCIDENTS),
                html.H3(t("duty.orders", lang)), html.Div(id=ORDERS, className="duty-teams"),
                html.H3(t("duty.warnings", lang)), html.Div(id=WARNINGS, className="duty-teams"),
                html.Div([
                    dropdown(term_options(vocabulary.WARNING_COLOUR_LEVELS, lang), vocabulary.WARNING_YELLOW,
                             lang=lang, id=W_LEVEL, clearable=False),
                    dcc.Input(id=W_HEADLINE, type="text", placeholder=t("duty.warning_headline", lang)),
                    dropdown(townships, [], lang=lang, id=W_TOWNSHIPS, multi=True, placeholder=t("map.township", lang)),
                    html.Button(t("duty.issue", lang), id=W_ISSUE, n_clicks=0, className="button-link"),
                ], className="duty-form"),
                dcc.Textarea(id=W_PEOPLE, placeholder=t("duty.recipients_hint", lang), className="duty-people"),
                html.Div(id=W_MESSAGE, className="hint"),
                controls_board.controls_panel(lang),
                html.H3(t("duty.feed", lang)),
                dcc.Checklist([{"label": t(f"duty.feed_kind.{k}", lang), "value": k} for k in FEED_KINDS],
                              list(FEED_KINDS), id=FEED_FILTER, inline=True, className="duty-feed-kinds"),
                html.Ul(id=FEED, className="duty-feed"),
            ], className="plan-result duty-watch")], className="duty-side"),
        ], className="plan-body"),
    ], className="data-page evac-page work-page duty-page")


def _level_options(lang: str) -> list[dict]:
    return [{"label": t("duty.level", lang, level=v), "value": v} for v in vocabulary.INCIDENT_LEVELS]


def feed_items(uow, limit: int = 30, lang: str = "zh", kinds=None) -> list:
    """The newest feed lines of the kinds chosen (incidents, patrols, warnings, 叫应, closures, moves), newest
    first; an alarm (a patrol that raised a level, an overdue 叫应) stands out in red."""
    lines = duty_feed(uow, kinds=kinds, limit=limit)
    items = [html.Li(t("duty.event_row", lang, time=local(line.at.isoformat()),
                       actor=line.actor or t("duty.feed_system", lang), text=line.text(lang)),
                     className=("feed-raised" if line.alarm else "feed-line") + f" feed-{line.kind}")
             for line in lines]
    return items or [html.Li(t("duty.feed_empty", lang), className="hint")]


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
            note = [html.P(message(exc, lang))]
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
                     html.Td(local(i["occurred_at"]))]) for i in incidents]
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
            warnings_view(uow, lang))


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
        return message(exc, lang)
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
            message = html.P(message(exc, lang))
    with unit_of_work(s) as uow:
        return _dispatch_view(uow, int(incident_id), teams[:5], message, lang)


def _minutes(travel_s: float | None, lang: str) -> str:
    return "" if travel_s is None else t("duty.minutes", lang, minutes=f"{travel_s / 60:.0f}")


def _dispatch_view(uow, incident_id: int, teams: list[dict], message, lang: str) -> list:
    rows = [html.Div([html.Span([t("duty.team_row", lang, name=tm["name"], kind=tm["kind"], members=tm["members"])
                                 + (" ★" if tm["specialty_match"] else "") + _minutes(tm["travel_s"], lang),
                                 html.Span(t(tm["reason_code"], lang, **tm["reason_params"]),
                                           className="team-reason")]),
                      html.Button(t("duty.assign", lang), id={"type": D_ASSIGN, "team": tm["team_id"]}, n_clicks=0)],
                     className=f"block-row team-{tm['fit']}") for tm in teams]
    depots = [html.Li(t("duty.depot_row", lang, name=d["name"], n=d["vehicles_available"]) +
                      _minutes(d["travel_s"], lang)) for d in recommend_depots(uow, incident_id)]
    rows.append(html.Div([html.H4(t("duty.depots", lang)), html.Ul(depots, className="duty-timeline")]))
    return ([message] if message else []) + (rows or [html.P(t("duty.no_team", lang), className="hint")])


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
        return message(exc, lang)
    _send(warning_id)
    return html.Span(t("duty.issued", lang, id=warning_id), className="ok")


def _send(warning_id: int) -> None:
    """After the commit: the messages to the configured SMS/voice gateway (none is configured by default)."""
    from services.dispatch.ack_links import recipient_messages
    from services.dispatch.gateway import deliver
    with unit_of_work(settings()) as uow:
        deliver(uow.settings, warning_id, recipient_messages(uow, warning_id))
