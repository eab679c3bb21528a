"""值班态势 交接班: the last officer's handover note at the top of the page, first thing the next one sees, with
接班 (taken over, once); and the form to leave one at the end of a shift. Redrawn when the change counter moves.
"""
from __future__ import annotations

import dash
from dash import ALL, Input, Output, State, callback, ctx, dcc, html

from dashboard.components.clicks import clicked_id
from dashboard.state import settings
from services.clock import format_local
from services.db.uow import unit_of_work
from services.dispatch.handover import latest_handover, take_over, write_handover
from services.errors import FieldError
from services.text import t

LANG, VERSION = "duty-lang", "duty-version"
BANNER, READ, NOTE, SUBMIT, MESSAGE = ("duty-handover", "duty-handover-read", "duty-handover-note",
                                       "duty-handover-submit", "duty-handover-message")


def handover_panel(lang: str) -> html.Div:
    """The banner (filled by the callback) and, folded, the form to hand over."""
    return html.Div([
        html.Div(id=BANNER),
        html.Details([
            html.Summary(t("duty.handover.write", lang)),
            dcc.Textarea(id=NOTE, placeholder=t("duty.handover.hint", lang), maxLength=4000,
                         className="duty-people"),
            html.Button(t("duty.handover.submit", lang), id=SUBMIT, n_clicks=0, className="button-link"),
            html.Div(id=MESSAGE, className="hint"),
        ], className="duty-handover-form"),
    ], className="duty-handover-wrap")


def register() -> None:
    callback(Output(BANNER, "children"), Output(MESSAGE, "children"), Output(NOTE, "value"),
             Input(VERSION, "data"), Input({"type": READ, "id": ALL}, "n_clicks"), Input(SUBMIT, "n_clicks"),
             State(NOTE, "value"), State(LANG, "data"))(show_handover)


def _when(at) -> str:
    return format_local(at.isoformat(), settings(), "%m-%d %H:%M")


def show_handover(_version, _reads, _submit, note, lang):
    said, cleared = [], dash.no_update
    with unit_of_work(settings()) as uow:
        if not uow.principal.may("incident.manage"):
            return [], [], dash.no_update  # township staff and readers: no shift to hand over
    trigger = clicked_id()
    try:
        if trigger is not None:
            with unit_of_work(settings(), write=True) as uow:
                take_over(uow, int(trigger["id"]))
        elif ctx.triggered_id == SUBMIT:
            with unit_of_work(settings(), write=True) as uow:
                write_handover(uow, note or "")
            said, cleared = html.Span(t("duty.handover.saved", lang), className="ok"), ""
    except FieldError as exc:
        said = html.Span(exc.reason if lang == "zh" else exc.reason_en, className="short")
    with unit_of_work(settings()) as uow:
        h = latest_handover(uow)
    if h is None:
        return [], said, cleared
    head = t("duty.handover.from", lang, author=h.author, at=_when(h.written_at))
    if h.read_at is None:
        banner = html.Div([html.Div([html.Strong(head), html.Button(t("duty.handover.take_over", lang),
                                                                   id={"type": READ, "id": h.id}, n_clicks=0,
                                                                   className="button-link")],
                                    className="duty-handover-head"),
                           html.Div(h.note, className="duty-handover-note")], className="duty-handover unread")
    else:
        banner = html.Details([html.Summary(head + " · " + t("duty.handover.taken", lang, by=h.read_by or "",
                                                             at=_when(h.read_at))),
                               html.Div(h.note, className="duty-handover-note")], className="duty-handover")
    return [banner], said, cleared
