"""值班态势: the 预警建议 panel — each open warning proposal of 风险感知 with its point, township, proposed level in its
colour, the decisive reading and the other metrics, the people threatened, and 确认 (issue the warning) and 驳回 (with
a required reason). It redraws when the duty view's change counter moves (a new proposal shows within a poll).

A red proposal unanswered for ``auto_confirm_red_min`` minutes confirms itself: an open duty view checks every
``AUTO_CHECK_MS`` whether one is due (a count), and only then opens a writing unit that runs
``auto_confirm_due`` (as the system; safe however many views run it at once).
"""
from __future__ import annotations

import dash
from dash import ALL, Input, Output, State, callback, ctx, dcc, html

from dashboard.components.clicks import clicked_id
from dashboard.state import settings
from services import vocabulary
from services.clock import format_local
from services.db.uow import unit_of_work
from services.errors import FieldError
from services.monitoring.proposal_reads import ProposalView, open_proposals
from services.monitoring.proposals import auto_confirm_due, confirm, due_count, reject
from services.text import t, term

LANG, VERSION = "duty-lang", "duty-version"
PANEL, MESSAGE, AUTO, AUTO_TICK = "duty-proposals", "duty-proposals-message", "duty-proposals-auto", "duty-proposals-tick"
CONFIRM, REJECT, REASON = "duty-proposal-confirm", "duty-proposal-reject", "duty-proposal-reason"
AUTO_CHECK_MS = 15_000
ACTOR = t("duty.actor")


def proposals_panel(lang: str) -> list:
    """The panel's heading, its list (filled by the callback) and the message of the last decision."""
    return [html.H3(t("proposal.panel", lang)), html.Div(id=MESSAGE, className="hint"),
            html.Div(id=PANEL, className="duty-proposals"), dcc.Store(id=AUTO),
            dcc.Interval(id=AUTO_TICK, interval=AUTO_CHECK_MS)]


def register() -> None:
    callback(Output(PANEL, "children"), Input(VERSION, "data"), State(LANG, "data"))(show_proposals)
    callback(Output(MESSAGE, "children"), Input({"type": CONFIRM, "proposal": ALL}, "n_clicks"),
             Input({"type": REJECT, "proposal": ALL}, "n_clicks"), State({"type": REASON, "proposal": ALL}, "value"),
             State(LANG, "data"), prevent_initial_call=True)(decide)
    callback(Output(AUTO, "data"), Input(AUTO_TICK, "n_intervals"), prevent_initial_call=True)(auto_confirm)


def _local(at) -> str:
    return format_local(at, settings(), "%m-%d %H:%M")


def _reading(e, lang: str) -> str:
    common = {"metric": t(f"proposal.metric.{e.metric}", lang), "observed": f"{e.observed:g}",
              "threshold": f"{e.threshold:g}", "station": e.station_code or "", "time": _local(e.observed_at)}
    if e.metric.startswith("water_"):  # a level against a level: the difference in metres, not a ratio
        text = t("proposal.decisive_water", lang, diff=f"{e.observed - e.threshold:+.2f}", **common)
    else:
        text = t("proposal.decisive", lang, ratio=f"{e.ratio:.2f}", **common)
    return text + ("" if e.complete else t("proposal.incomplete", lang))


def proposal_body(p: ProposalView, lang: str) -> list:
    """What the duty view and the map's details show of a proposal: level, place, decisive reading, the rest."""
    township = p.township_name_en if lang == "en" and p.township_name_en else p.township_name
    decisive, *others = p.evidence or ()
    return [
        html.Div([html.Span(t("proposal.proposed", lang, level=term(p.level, lang)), className="proposal-level",
                            style={"background": p.colour}),
                  html.Strong(p.hazard_name, className="proposal-point")], className="proposal-head"),
        html.Div(t("proposal.where", lang, township=township, people=f"{p.threatened_people:,}",
                   current=term(p.current_level, lang)), className="hint"),
        html.Div(_reading(decisive, lang) if decisive else "", className="proposal-decisive"),
        html.Ul([html.Li(_reading(e, lang)) for e in others], className="proposal-others") if others else None,
        html.Div(t("proposal.since", lang, time=_local(p.level_at or p.created_at)), className="hint"),
    ]


def _card(p: ProposalView, lang: str, may_decide: bool, may_red: bool) -> html.Div:
    controls = []
    if may_decide:
        key = {"proposal": p.id}
        if p.level == vocabulary.WARNING_RED and not may_red:
            controls = [html.Span(t("proposal.commander_only", lang), className="short")]
        else:
            controls = [html.Button(t("proposal.confirm", lang), id={"type": CONFIRM, **key}, n_clicks=0,
                                    className="button-link proposal-confirm"),
                        dcc.Input(id={"type": REASON, **key}, type="text", maxLength=500,
                                  placeholder=t("proposal.reason_hint", lang), className="proposal-reason"),
                        html.Button(t("proposal.reject", lang), id={"type": REJECT, **key}, n_clicks=0,
                                    className="proposal-reject")]
    return html.Div([*proposal_body(p, lang), html.Div(controls, className="proposal-controls")],
                    className="proposal-card", style={"borderLeftColor": p.colour},
                    **{"data-proposal": str(p.id), "data-level": p.level})


# The cards drawn at once: in a storm a hundred points may wait, and the page's redraw grows with its cards (every
# card's controls are pattern-matching components): the first ones, red first, and a line counting the rest, which
# follow as those are decided (their points pulse on 一张图). bench/proposal_latency.py measured 3.7 s at 96 cards.
MAX_CARDS = 30


def show_proposals(_version, lang):
    """The open proposals, red first (township staff: their township's); buttons for those who may decide."""
    with unit_of_work(settings()) as uow:
        rows = open_proposals(uow)
        may_decide, may_red = uow.principal.may("warning.issue"), uow.principal.may("warning.confirm_red")
    if not rows:
        return [html.P(t("proposal.none", lang), className="hint")]
    by_level = {level: sum(p.level == level for p in rows) for level in reversed(vocabulary.WARNING_COLOUR_LEVELS)}
    counts = t("list.separator", lang).join(t("proposal.count_level", lang, level=term(level, lang), n=n)
                                             for level, n in by_level.items() if n)
    summary = html.P(t("proposal.summary", lang, n=len(rows), levels=counts), className="proposal-summary",
                     **{"data-open": str(len(rows))})
    more = [html.P(t("proposal.more", lang, n=len(rows) - MAX_CARDS), className="hint")] \
        if len(rows) > MAX_CARDS else []
    return [summary, *(_card(p, lang, may_decide, may_red) for p in rows[:MAX_CARDS]), *more]


def decide(_confirms, _rejects, reasons, lang):
    """确认 or 驳回 the clicked proposal; the panel and the warnings redraw at the next poll (the counter moved)."""
    trigger = clicked_id()
    if trigger is None:
        raise dash.exceptions.PreventUpdate
    proposal_id = int(trigger["proposal"])
    typed = {item["id"]["proposal"]: item.get("value") for item in ctx.states_list[0]}
    try:
        with unit_of_work(settings(), write=True, actor=ACTOR) as uow:
            if trigger["type"] == CONFIRM:
                decision = confirm(uow, proposal_id)
            else:
                decision = reject(uow, proposal_id, typed.get(proposal_id))
    except FieldError as exc:
        return html.Span(exc.reason if lang == "zh" else exc.reason_en, className="short")
    if trigger["type"] == REJECT:
        return html.Span(t("proposal.rejected", lang, id=proposal_id), className="ok")
    send(decision.warning_id)
    with unit_of_work(settings()) as uow:
        from services.dispatch.warnings import warning_status
        status = warning_status(uow, decision.warning_id) if decision.warning_id else None
    said = t("proposal.confirmed", lang, id=proposal_id, warning=decision.warning_id or "",
             recipients=status["recipients_total"] if status else 0)
    if decision.plan_id:
        said += t("proposal.planned", lang, plan=decision.plan_id, assigned=decision.plan_assigned,
                  people=decision.plan_people)
    return html.Span(said, className="ok")


def send(warning_id: int | None) -> None:
    """After the commit: the warning's messages to the configured SMS/voice gateway (none by default)."""
    if not warning_id:
        return
    from services.dispatch.ack_links import recipient_messages
    from services.dispatch.gateway import deliver
    with unit_of_work(settings()) as uow:
        deliver(uow.settings, warning_id, recipient_messages(uow, warning_id))


def auto_confirm(_tick):
    """Confirm the red proposals past their wait (configuration), if any is due; returns how many were."""
    s = settings()
    if s.monitoring.auto_confirm_red_min <= 0:
        raise dash.exceptions.PreventUpdate
    with unit_of_work(s) as uow:
        if not due_count(uow):
            raise dash.exceptions.PreventUpdate
    with unit_of_work(s, write=True, actor=ACTOR) as uow:
        decisions = auto_confirm_due(uow)
    for d in decisions:
        send(d.warning_id)
    return len(decisions)
