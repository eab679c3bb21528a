"""值班态势 alert: a short tone and a flash of the screen when a new incident is reported, a warning proposal (预警建议)
is made or raised, or a 叫应 becomes overdue;
the tone can be muted (remembered in the browser). All client-side: the server only says the newest incident's
number and how many recipients are overdue; the tone is made by the browser (Web Audio), no sound file.

The overdue count changes with time, not only with writes, so it is read every 10 seconds as well as whenever
the change counter moves.
"""
from __future__ import annotations

from dash import Input, Output, State, callback, clientside_callback, dcc, html

from dashboard.state import settings
from services import vocabulary
from services.db.uow import unit_of_work
from services.dispatch.incidents import list_incidents
from services.dispatch.warnings import active_warnings
from services.text import t

VERSION, ALERT, ALERT_TICK, MUTE, SINK = ("duty-version", "duty-alert", "duty-alert-tick", "duty-mute",
                                          "duty-alert-sink")

# Remembers what was seen; on more incidents or more overdue than last time: flash, and a tone unless muted.
# The first reading after the page opens only sets the baseline. window.qjDutyAlerts counts the tones (tests).
_ALERT_JS = """
function(data, muted) {
    if (!data) { return window.dash_clientside.no_update; }
    var seen = window.qjDutySeen;
    window.qjDutySeen = data;
    var proposed = (data.proposal || 0) > (seen && seen.proposal || 0) ||
        (data.proposal_rank || 0) > (seen && seen.proposal_rank || 0);
    if (!seen || !(data.incident > seen.incident || data.overdue > seen.overdue || proposed)) {
        return window.dash_clientside.no_update;
    }
    document.body.classList.remove('duty-flash');
    void document.body.offsetWidth;
    document.body.classList.add('duty-flash');
    setTimeout(function () { document.body.classList.remove('duty-flash'); }, 3000);
    var quiet = muted && muted.indexOf('mute') >= 0;
    if (!quiet) {
        window.qjDutyAlerts = (window.qjDutyAlerts || 0) + 1;
        try {
            var Ctx = window.AudioContext || window.webkitAudioContext;
            var audio = window.qjDutyAudio = window.qjDutyAudio || new Ctx();
            [0, 0.35].forEach(function (start) {
                var osc = audio.createOscillator(), gain = audio.createGain();
                osc.frequency.value = data.overdue > seen.overdue ? 660 : 880;
                gain.gain.setValueAtTime(0.2, audio.currentTime + start);
                gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + start + 0.3);
                osc.connect(gain); gain.connect(audio.destination);
                osc.start(audio.currentTime + start); osc.stop(audio.currentTime + start + 0.3);
            });
        } catch (e) { /* no audio device: the flash still shows */ }
    }
    return String(Date.now());
}
"""


def alert_controls(lang: str) -> html.Div:
    return html.Div([
        dcc.Store(id=ALERT), dcc.Interval(id=ALERT_TICK, interval=10_000),
        dcc.Checklist([{"label": t("duty.alert_mute", lang), "value": "mute"}], [], id=MUTE, persistence=True,
                      persistence_type="local", className="duty-mute"),
        html.Span(id=SINK, hidden=True),
    ], className="duty-alert")


def register() -> None:
    callback(Output(ALERT, "data"), Input(VERSION, "data"), Input(ALERT_TICK, "n_intervals"))(alert_state)
    clientside_callback(_ALERT_JS, Output(SINK, "children"), Input(ALERT, "data"), State(MUTE, "value"))


def alert_state(_version, _tick) -> dict:
    """The newest incident's number, how many recipients are overdue, the newest open warning proposal and the sum
    of the open proposals' levels (a raise moves it), in the reader's scope."""
    from services.monitoring.proposal_reads import open_proposals
    with unit_of_work(settings()) as uow:
        incidents = list_incidents(uow, active_only=True)
        overdue = sum(w["escalated"] for w in active_warnings(uow))
        proposals = open_proposals(uow) if uow.principal.may("monitoring.read") else []
    return {"incident": max((i["id"] for i in incidents), default=0), "overdue": overdue,
            "proposal": max((p.id for p in proposals), default=0),
            "proposal_rank": sum(vocabulary.WARNING_LEVELS.index(p.level) for p in proposals)}
