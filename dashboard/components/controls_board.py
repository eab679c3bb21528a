"""值班态势 熔断管控: from a warning in force, the controls 禁、停、撤、疏 it calls for (the preview by action), issued by
the commander as an order; each order's sites with their contact and a tick as each confirms, progress per action,
the list as Word or Excel, and closing it. Redrawn when the duty page's change counter moves.

The callbacks are listed by what they show (dashboard/auth/callbacks.py); every write is checked again by
services/monitoring/controls.py (controls.issue, controls.confirm and the township).
"""
from __future__ import annotations

import dash
from dash import ALL, Input, Output, State, callback, ctx, html

from dashboard.components.clicks import clicked_id
from dashboard.components.widgets import dropdown
from dashboard.state import settings
from services import vocabulary as v
from services.clock import format_local
from services.db.uow import unit_of_work
from services.dispatch.warnings import active_warnings
from services.errors import FieldError
from services.monitoring import control_reads
from services.monitoring.controls import ControlRequest, close_order, confirm_item, issue_controls, preview_controls
from services.text import t, term, term_options

LANG, VERSION = "duty-lang", "duty-version"
WARNING, LEVEL, PREVIEW, ISSUE = "duty-ctrl-warning", "duty-ctrl-level", "duty-ctrl-preview", "duty-ctrl-issue"
PREVIEW_OUT, ORDERS, MESSAGE = "duty-ctrl-preview-out", "duty-ctrl-orders", "duty-ctrl-message"
TICK, CLOSE = "duty-ctrl-tick", "duty-ctrl-close"
PREVIEW_ROWS = 30  # per action in the preview; the order lists every item
OPEN_ROWS = 40  # an order's action with at most this many items is shown open
API = "/api/v1/monitoring/controls"


def controls_panel(lang: str) -> html.Div:
    """The board: choose a warning (and a level), preview, issue; then the orders with their items."""
    return html.Div([
        html.H3(t("ctrl.title", lang)),
        html.Div([
            dropdown([], None, lang=lang, id=WARNING, placeholder=t("ctrl.choose_warning", lang)),
            dropdown(term_options(v.WARNING_COLOUR_LEVELS, lang), None, lang=lang, id=LEVEL,
                     placeholder=t("ctrl.level_of_warning", lang)),
            html.Button(t("ctrl.preview", lang), id=PREVIEW, n_clicks=0, className="button-link"),
            html.Button(t("ctrl.issue", lang), id=ISSUE, n_clicks=0, className="button-link ctrl-issue"),
        ], className="duty-form ctrl-form"),
        html.Div(id=MESSAGE, className="hint"),
        html.Div(id=PREVIEW_OUT, className="ctrl-preview"),
        html.Div(id=ORDERS, className="ctrl-orders"),
    ], className="ctrl-board")


def register() -> None:
    callback(Output(PREVIEW_OUT, "children"), Input(PREVIEW, "n_clicks"), State(WARNING, "value"),
             State(LEVEL, "value"), State(LANG, "data"), prevent_initial_call=True)(show_preview)
    # The writes answer with a message only: the orders are redrawn when the change counter moves (a redraw of
    # the same callback would discard a pending write's answer)
    callback(Output(MESSAGE, "children"), Input(ISSUE, "n_clicks"), Input({"type": TICK, "id": ALL}, "n_clicks"),
             Input({"type": CLOSE, "id": ALL}, "n_clicks"), State(WARNING, "value"), State(LEVEL, "value"),
             State(LANG, "data"), prevent_initial_call=True)(act)
    callback(Output(ORDERS, "children"), Output(WARNING, "options"), Input(VERSION, "data"),
             State(LANG, "data"))(show_orders)


def _reason(exc: FieldError, lang: str) -> html.Span:
    return html.Span(exc.reason if lang == "zh" else exc.reason_en, className="short")


def _request(warning_id, level) -> ControlRequest:
    return ControlRequest(level=level or None, warning_id=int(warning_id) if warning_id else None)


def _kind(sector, category, lang: str) -> str:
    return " / ".join(term(p, lang) for p in (sector, category) if p)


def _what(i, lang: str) -> str:
    if i.action == v.CONTROL_EVACUATE:
        return t("controls.people", lang, people=i.people or 0)
    if i.layer == "roads":
        return t("controls.roads_through", lang, roads=i.detail or t("controls.roads_unnamed", lang))
    return _kind(i.sector, i.category, lang)


def _contact(i) -> str:
    return " ".join(p for p in (i.contact_person, i.contact_phone) if p)


def show_preview(_clicks, warning_id, level, lang):
    if not warning_id:
        return html.Span(t("ctrl.choose_warning", lang), className="short")
    try:
        with unit_of_work(settings()) as uow:
            p = preview_controls(uow, _request(warning_id, level))
    except FieldError as exc:
        return _reason(exc, lang)
    if not p.items:
        return html.P(t("ctrl.preview_none", lang, level=p.level), className="hint")
    blocks = [html.P(t("ctrl.preview_head", lang, level=p.level, area=p.area_description, n=len(p.items),
                       people=p.people), className="ctrl-head")]
    if p.sample:
        blocks.append(html.P(t("export.sample", lang), className="ctrl-sample"))
    for action in v.CONTROL_ACTIONS:
        items = [i for i in p.items if i.action == action]
        if not items:
            continue
        rows = [html.Li([html.Span(i.name, className="ctrl-name"), html.Span(_what(i, lang), className="ctrl-what"),
                         html.Span(i.township_name, className="ctrl-town"),
                         html.Span(_contact(i), className="ctrl-contact")])
                for i in items[:PREVIEW_ROWS]]
        if len(items) > PREVIEW_ROWS:
            rows.append(html.Li(t("ctrl.more", lang, n=len(items) - PREVIEW_ROWS), className="hint"))
        blocks.append(html.Details([html.Summary(t("ctrl.action_count", lang, action=t(f"controls.action.{action}",
                                                                                       lang), n=len(items))),
                                    html.Ul(rows, className="ctrl-list")],
                                   open=action in (v.CONTROL_BAN, v.CONTROL_EVACUATE)))
    return blocks


def act(_issue, _ticks, _closes, warning_id, level, lang):
    """The write the click asks for (issue, tick, close) and what came of it."""
    trigger = clicked_id()
    try:
        if trigger is not None and trigger.get("type") == TICK:
            with unit_of_work(settings(), write=True) as uow:
                block = confirm_item(uow, int(trigger["id"]))
            return html.Span(t("ctrl.ticked_road" if block else "ctrl.ticked", lang, block=block or ""),
                             className="ok")
        if trigger is not None and trigger.get("type") == CLOSE:
            with unit_of_work(settings(), write=True) as uow:
                lifted = close_order(uow, int(trigger["id"]))
            return html.Span(t("ctrl.closed", lang, id=trigger["id"], n=len(lifted)), className="ok")
        if ctx.triggered_id == ISSUE:
            if not warning_id:
                return html.Span(t("ctrl.choose_warning", lang), className="short")
            with unit_of_work(settings(), write=True) as uow:
                order_id = issue_controls(uow, _request(warning_id, level))
            return html.Span(t("ctrl.issued", lang, id=order_id), className="ok")
    except FieldError as exc:
        return _reason(exc, lang)
    return dash.no_update


def show_orders(_version, lang):
    """The open orders with their items (township staff: their township's), and the warnings to choose from."""
    with unit_of_work(settings()) as uow:
        may_issue, may_confirm = uow.principal.may("controls.issue"), uow.principal.may("controls.confirm")
        warnings = active_warnings(uow) if uow.principal.may("warning.issue") else []
        orders = [control_reads.order_detail(uow, o.id) for o in control_reads.list_orders(uow, open_only=True)]
    options = [{"label": t("ctrl.warning_option", lang, id=w["id"], level=w["level"], headline=w["headline"]),
                "value": w["id"]} for w in warnings]
    shown = [_order(o, lang, may_issue, may_confirm) for o in orders]
    return shown or [html.P(t("ctrl.no_orders", lang), className="hint")], options


def _progress(summary, lang: str) -> list:
    return [html.Span(t("ctrl.progress_part", lang, action=a, done=p["confirmed"], total=p["total"]),
                      className="ctrl-part" + (" done" if p["confirmed"] == p["total"] else ""))
            for a, p in summary.progress.items() if p["total"]]


def _item(i, lang: str, may_confirm: bool) -> html.Li:
    if i.confirmed_at is not None:
        state = html.Span(t("ctrl.confirmed", lang, at=format_local(i.confirmed_at, settings(), "%m-%d %H:%M"),
                            by=i.confirmed_by or ""), className="ok")
    elif may_confirm:
        state = html.Button(t("ctrl.tick", lang), id={"type": TICK, "id": i.id}, n_clicks=0,
                            className="ctrl-tick", title=t("ctrl.tick_tip", lang))
    else:
        state = html.Span(t("ctrl.waiting", lang), className="hint")
    return html.Li([html.Span(i.name + (f" ({t('export.sample', lang)})" if i.is_sample else ""),
                              className="ctrl-name"),
                    html.Span(_what(i, lang), className="ctrl-what"),
                    html.Span(i.township_name, className="ctrl-town"),
                    html.A(_contact(i), href=f"tel:{i.contact_phone}", className="ctrl-contact")
                    if i.contact_phone else html.Span(_contact(i), className="ctrl-contact"),
                    html.Span(state, className="ctrl-state")],
                   className="ctrl-item" + (" confirmed" if i.confirmed_at else ""))


def _order(o, lang: str, may_issue: bool, may_confirm: bool) -> html.Details:
    s = o.summary
    head = t("ctrl.order_head", lang, id=s.id, level=s.level, area=s.area_description, done=s.confirmed,
             total=s.total)
    links = [html.A(t("ctrl.docx", lang), href=f"{API}/{s.id}.docx?lang={lang}", className="button-link"),
             html.A(t("ctrl.xlsx", lang), href=f"{API}/{s.id}.xlsx?lang={lang}", className="button-link"),
             html.A(t("ctrl.print", lang), href=f"{API}/{s.id}.html?lang={lang}", target="_blank",
                    className="button-link")]
    if may_issue:
        links.append(html.Button(t("ctrl.close", lang), id={"type": CLOSE, "id": s.id}, n_clicks=0,
                                 className="ctrl-close", title=t("ctrl.close_tip", lang)))
    sections = []
    for action in v.CONTROL_ACTIONS:
        items = [i for i in o.items if i.action == action]
        if items:
            done = sum(1 for i in items if i.confirmed_at is not None)
            sections.append(html.Details([
                html.Summary(t("ctrl.action_progress", lang, action=t(f"controls.action.{action}", lang), done=done,
                               total=len(items))),
                html.Ul([_item(i, lang, may_confirm) for i in items], className="ctrl-list")],
                open=len(items) <= OPEN_ROWS))  # a redraw keeps a short list open for the next tick
    return html.Details([html.Summary([html.Span(head, className="ctrl-head"), *_progress(s, lang)]),
                         html.Div(links, className="ctrl-links"), *sections],
                        open=True, className="ctrl-order", id=f"ctrl-order-{s.id}")
