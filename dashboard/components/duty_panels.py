"""值班态势 panels: the chosen incident (its stages, a step with a note, its timeline, redrawn live) and the 叫应
board (each recipient's state, overdue in red, 代为确认 and 升级). ``register`` wires their callbacks; the page
module calls it, as Dash runs the page module once for each app it makes.
"""
from __future__ import annotations

import dash
from dash import ALL, Input, Output, State, callback, html
from flask import url_for

from dashboard.components.clicks import clicked_id
from dashboard.state import settings
from services import vocabulary
from services.clock import format_local
from services.db.uow import unit_of_work
from services.dispatch.ack_board import ack_board, escalate
from services.dispatch.incidents import change_status, incident_detail
from services.dispatch.warnings import active_warnings, role_text
from services.errors import FieldError
from services.field.photos import photos_of
from services.text import t

LANG, VERSION, D_INCIDENT, WARNINGS = "duty-lang", "duty-version", "duty-dispatch-incident", "duty-warnings"
DETAIL, STEP, STEP_NOTE, STEP_MESSAGE = "duty-detail", "duty-step", "duty-step-note", "duty-step-message"
DETAIL_LOG = "duty-detail-log"
B_ACK, B_ESCALATE = "duty-board-ack", "duty-board-escalate"
ACTOR = t("duty.actor")  # the audit's name when no one is signed in (the service takes the signed-in user)


def detail_panel(lang: str) -> html.Div:
    """The chosen incident: head and step buttons, the note, then its orders, timeline and photos."""
    from dash import dcc
    return html.Div([
        html.Div(id=DETAIL),
        html.Div([dcc.Input(id=STEP_NOTE, type="text", placeholder=t("duty.step_note_hint", lang),
                            maxLength=500, className="duty-step-note")], className="duty-step-form"),
        html.Div(id=STEP_MESSAGE, className="hint"),
        html.Div(id=DETAIL_LOG),
    ], className="duty-detail")


def register() -> None:
    callback(Output(DETAIL, "children"), Output(DETAIL_LOG, "children"), Output(STEP_MESSAGE, "children"),
             Output(STEP_NOTE, "value"),
             Input(D_INCIDENT, "value"), Input(VERSION, "data"), Input({"type": STEP, "status": ALL}, "n_clicks"),
             State(STEP_NOTE, "value"), State(LANG, "data"), prevent_initial_call=True)(show_detail)
    callback(Output(WARNINGS, "children", allow_duplicate=True),
             Input({"type": B_ACK, "warning": ALL, "recipient": ALL}, "n_clicks"),
             Input({"type": B_ESCALATE, "warning": ALL, "recipient": ALL}, "n_clicks"),
             State(LANG, "data"), prevent_initial_call=True)(board_action)


def local(iso: str) -> str:
    return format_local(iso, settings(), "%m-%d %H:%M")


def event_line(e: dict, lang: str) -> str:
    """A timeline event as the feed and the timeline show it, in the page's language."""
    return t("duty.event_row", lang, time=local(e["at"]), actor=e["actor"],
             text=e["text_en"] if lang == "en" else e["text"])


def message(exc: FieldError, lang: str) -> html.Span:
    return html.Span(exc.reason if lang == "zh" else exc.reason_en, className="short")


def show_detail(incident_id, _version, _clicks, note, lang):
    """The chosen incident: its state, the next steps of 接报 → 核实 → 处置中 → 已结束 (each with a note), its orders
    and its timeline; redrawn whenever the change counter moves, so another officer's step shows here too."""
    if not incident_id:
        return [], [], [], dash.no_update
    said, cleared, trigger = [], dash.no_update, clicked_id()
    if trigger is not None:
        if not (note or "").strip():
            said = html.Span(t("duty.step_note_required", lang), className="short")
        else:
            try:
                with unit_of_work(settings(), write=True, actor=ACTOR) as uow:
                    change_status(uow, int(incident_id), trigger["status"], note=note.strip())
                said, cleared = html.Span(t("duty.step_done", lang, status=trigger["status"]), className="ok"), ""
            except FieldError as exc:  # moved meanwhile, or not this user's to move: say so; the view shows now
                said = message(exc, lang)
    with unit_of_work(settings()) as uow:
        return (*_detail_view(uow, int(incident_id), lang), said, cleared)


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
              level=detail["level"], at=local(detail["occurred_at"]), reporter=detail["reporter"])
    counts = t("duty.incident_counts", lang, dead=detail["dead"], injured=detail["injured"],
               missing=detail["missing"], affected=detail["people_affected"])
    orders = [html.Li(t("duty.detail_order", lang, team=o["team"], status=o["status"])) for o in detail["orders"]]
    head = [html.H4(facts, className="duty-detail-title"), html.P(counts, className="hint"),
            html.Div(steps, className="duty-stages"),
            html.Div(buttons, className="duty-step-buttons") if buttons else None]
    return head, [
        html.Ul(orders, className="duty-timeline") if orders else None,
        html.H4(t("duty.timeline", lang)),
        html.Ol([html.Li(event_line(e, lang)) for e in reversed(detail["timeline"])],
                className="duty-timeline duty-detail-timeline"),
        *_photos(uow, incident_id, lang)]


def _photos(uow, incident_id: int, lang: str) -> list:
    """The incident's photos as thumbnails; each opens the full photo in a new tab (both routes check the reader)."""
    photos = photos_of(uow, "incident", incident_id)
    if not photos:
        return []
    links = [html.A(html.Img(src=url_for("field_api.photo_thumbnail", photo_id=p.id),
                             alt=t("duty.photo_alt", lang, n=n), className="duty-thumb"),
                    href=url_for("field_api.photo", photo_id=p.id), target="_blank", rel="noopener",
                    title=t("duty.photo_open", lang, by=p.uploaded_by, at=local(p.uploaded_at)))
             for n, p in enumerate(photos, 1)]
    return [html.H4(t("duty.photos", lang, n=len(photos))), html.Div(links, className="duty-photos")]


def warnings_view(uow, lang: str) -> list:
    """Each warning in force with its 叫应 count; for those who issue warnings, each recipient's state (overdue in
    red) with 代为确认 (confirmed by phone) and 升级 (escalate), and the messages to read out."""
    rows = []
    boards = {b.warning_id: b for b in ack_board(uow)} if uow.principal.may("warning.issue") else {}
    for w in active_warnings(uow):
        rows.append(html.Div([html.Span(t("duty.warning_row", lang, level=w["level"], headline=w["headline"])),
                              html.Span(f"{t('duty.acked', lang)} {w['acknowledged']}/{w['recipients_total']}" +
                                        (f" · {t('duty.escalated', lang)} {w['escalated']}" if w["escalated"] else ""),
                                        className="short" if w["escalated"] else "")],
                             className="block-row" + (" alarm" if w["escalated"] else "")))
        if w["id"] in boards:
            rows.append(_board(boards[w["id"]], lang))
            rows.append(_messages(uow, w["id"], lang))
    return rows or [html.P(t("duty.no_warnings", lang), className="hint")]


def _board(board, lang: str) -> html.Ul:
    """One warning's recipients, the overdue first."""
    items = []
    for r in board.recipients:
        state = t(f"duty.board_state.{r.state}", lang, at=local(r.acknowledged_at.isoformat() if r.acknowledged_at
                                                                  else (r.escalated_at or r.deadline).isoformat()),
                  by=r.escalated_by or "", deadline=local(r.deadline.isoformat()))
        key = {"warning": board.warning_id, "recipient": r.id}
        controls = [] if r.state == "acknowledged" else [
            html.Button(t("duty.board_ack", lang), id={"type": B_ACK, **key}, n_clicks=0,
                        title=t("duty.board_ack_tip", lang))]
        if r.state in ("waiting", "overdue"):
            controls.append(html.Button(t("duty.board_escalate", lang), id={"type": B_ESCALATE, **key}, n_clicks=0,
                                        title=t("duty.board_escalate_tip", lang)))
        items.append(html.Li([html.Span(t("duty.board_person", lang, name=r.name, role=role_text(r.role, lang), phone=r.phone or ""),
                                        className="board-person"),
                              html.Span(state, className="board-state"), html.Span(controls, className="board-controls")],
                             className=f"board-row board-{r.state}" + (" alarm" if r.alarm else "")))
    return html.Ul(items, className="ack-board")


def board_action(_acks, _escalations, lang):
    """代为确认 or 升级 one recipient; the board redraws with where everyone is now."""
    from services.dispatch.warnings import acknowledge
    trigger, note = clicked_id(), []
    if trigger is not None:
        action = acknowledge if trigger["type"] == B_ACK else escalate
        try:
            with unit_of_work(settings(), write=True, actor=ACTOR) as uow:
                action(uow, int(trigger["warning"]), int(trigger["recipient"]))
        except FieldError as exc:  # confirmed or escalated meanwhile, or the warning ended: say so
            note = [html.P(message(exc, lang))]
    with unit_of_work(settings()) as uow:
        return note + warnings_view(uow, lang)


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
