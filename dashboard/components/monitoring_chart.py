"""The readings chart of a station or a hazard point (风险感知, issue 15 point 5): one panel per reading kind, the
readings (rain as bars) and the rule's rolling sums and rates as lines, thresholds as dashed horizontal lines; in the
details panel of 一张图 with a 24 h / 72 h choice. Times are shown in the deployment's zone (services/clock.py).

The figure draws only bar and scatter traces, both in the vendored partial plotly.js (dashboard/app.py), so the chart
needs no network; its series come from services/monitoring/charts.py.
"""
from __future__ import annotations

import plotly.graph_objects as go
from dash import MATCH, Input, Output, State, callback, dcc, html
from dash.exceptions import PreventUpdate
from plotly.subplots import make_subplots

from dashboard import ids
from dashboard.state import settings
from services.clock import to_local
from services.db.uow import unit_of_work
from services.errors import FieldError, Forbidden, NotFound
from services.monitoring.charts import HOURS, Chart, chart_series
from services.text import t, term

GRAPH, HOURS_CHOICE = "map-chart", "map-chart-hours"  # pattern ids: {"type": …, "subject": …, "code": …}
FONT = "system-ui, -apple-system, 'Microsoft YaHei', 'PingFang SC', sans-serif"
STATION_COLOURS = ("#1d3557", "#2a9d8f", "#8338ec", "#6c757d")
ROLE_DASH = {"reading": "solid", "sum_1h": "solid", "sum_3h": "dot", "sum_24h": "dash", "rate_24h": "dot"}
RAIN_BAR = "#8ecae6"
THRESHOLD_COLOURS = {"rain_1h": "#f4a261", "rain_3h": "#e76f51", "rain_24h": "#d62828", "water_warning": "#f4a261",
                     "water_guarantee": "#d62828", "displacement_rate": "#d62828", "crack_width": "#e76f51"}
PANEL_PX, AXIS_PX, LEGEND_ROW_PX = 140, 58, 17  # a panel, the time axis under the last, a legend entry
FRAME_PX = 8 + AXIS_PX


def _local(times, s) -> list:
    return [to_local(at, s).replace(tzinfo=None) for at in times]


def _line_name(chart: Chart, line, lang: str) -> str:
    name = t(f"chart.line.{line.role}", lang, kind=term(line.kind, lang))
    return t("chart.of_station", lang, station=line.station, name=name) if chart.subject == "hazard" else name


def _threshold_name(chart: Chart, x, lang: str) -> str:
    key = "chart.threshold_of" if x.station and chart.subject == "hazard" else "chart.threshold_own"
    return t(key, lang, metric=term(x.metric, lang), value=f"{x.value:g}", unit=x.unit, station=x.station or "")


def chart_figure(chart: Chart, s, lang: str) -> go.Figure:
    """The figure of ``chart``: a note "no readings in the last N h" when the window holds none. Rain per interval
    is drawn as bars on its own (right-hand) axis: 5-minute amounts would vanish beside a 24 h sum."""
    kinds = chart.kinds
    rows = max(len(kinds), 1)
    fig = make_subplots(rows=rows, cols=1, shared_xaxes=True, vertical_spacing=0.12 / rows,
                        specs=[[{"secondary_y": kind == "rainfall"}] for kind in kinds] or [[{}]])
    colours = {code: STATION_COLOURS[i % len(STATION_COLOURS)]
               for i, code in enumerate(dict.fromkeys(line.station for line in chart.lines))}
    shown = 0
    for line in chart.lines:
        if line.kind not in kinds or not line.times:
            continue
        row, x = kinds.index(line.kind) + 1, _local(line.times, s)
        name, hover = _line_name(chart, line, lang), "%{x|%m-%d %H:%M} %{y:.2f} " + line.unit
        bars = line.kind == "rainfall" and line.role == "reading"
        if bars:
            trace = go.Bar(x=x, y=list(line.values), name=name, marker_color=RAIN_BAR, hovertemplate=hover)
        else:
            trace = go.Scatter(x=x, y=list(line.values), name=name, mode="lines", hovertemplate=hover,
                               line={"color": colours[line.station], "dash": ROLE_DASH[line.role], "width": 1.6})
        fig.add_trace(trace, row=row, col=1, **({"secondary_y": bars} if line.kind == "rainfall" else {}))
        shown += 1
    span = _local([chart.start, chart.end], s)
    for x in chart.thresholds:
        if x.kind not in kinds:
            continue
        fig.add_trace(go.Scatter(x=span, y=[x.value, x.value], name=_threshold_name(chart, x, lang), mode="lines",
                                 hoverinfo="name", line={"color": THRESHOLD_COLOURS[x.metric], "dash": "dash",
                                                         "width": 1.2}), row=kinds.index(x.kind) + 1, col=1,
                      **({"secondary_y": False} if x.kind == "rainfall" else {}))
        shown += 1
    small = {"size": 10}
    for i, kind in enumerate(kinds, start=1):
        unit = next(line.unit for line in chart.lines if line.kind == kind and line.role == "reading")
        title = {"text": t("chart.axis", lang, kind=term(kind, lang), unit=unit), "font": small}
        if kind == "rainfall":
            fig.update_yaxes(title=title, row=i, col=1, secondary_y=False, rangemode="tozero")
            fig.update_yaxes(title={"text": t("chart.interval_axis", lang), "font": small}, row=i, col=1,
                             secondary_y=True, rangemode="tozero", showgrid=False)
        else:
            fig.update_yaxes(title=title, row=i, col=1)
    fig.update_xaxes(range=span, tickformat="%H:%M\n%m-%d", gridcolor="#eef0f3")
    fig.update_xaxes(title={"text": t("chart.time", lang, zone=getattr(s, "timezone", "")), "font": small},
                     row=rows, col=1)
    if chart.empty:
        fig.add_annotation(text=t("chart.none", lang, hours=chart.hours), showarrow=False, x=0.5, y=0.5,
                           xref="paper", yref="paper", font={"color": "#5c677d"})
        fig.update_yaxes(visible=False)
    legend_px = LEGEND_ROW_PX * shown
    fig.update_layout(height=FRAME_PX + PANEL_PX * rows + legend_px,
                      margin={"l": 48, "r": 44 if "rainfall" in kinds else 8, "t": 8, "b": AXIS_PX + legend_px},
                      font={"family": FONT, "size": 11}, paper_bgcolor="white", plot_bgcolor="white",
                      barmode="overlay", showlegend=not chart.empty,
                      legend={"orientation": "h", "x": 0, "y": 0, "yref": "container", "yanchor": "bottom",
                              "font": small})
    return fig


def _figure(subject: str, code: str, hours: int, lang: str) -> go.Figure:
    key = "station_code" if subject == "station" else "hazard_code"
    s = settings()
    with unit_of_work(s) as uow:
        return chart_figure(chart_series(uow, **{key: code}, hours=hours), s, lang)


def chart_section(uow, layer: str, code: str | None, lang: str) -> list:
    """The chart for the details of a station or a hazard point (nothing for other layers, without monitoring.read,
    or for a point the reader may not see)."""
    subject = {"stations": "station", "hazards": "hazard"}.get(layer)
    if subject is None or not code or not uow.principal.may("monitoring.read"):
        return []
    key = "station_code" if subject == "station" else "hazard_code"
    try:
        figure = chart_figure(chart_series(uow, **{key: code}, hours=HOURS[0]), uow.settings, lang)
    except (Forbidden, NotFound):
        return []
    match = {"subject": subject, "code": code}
    choice = dcc.RadioItems(id={"type": HOURS_CHOICE, **match}, value=HOURS[0], inline=True,
                            options=[{"label": t("chart.hours_choice", lang, hours=h), "value": h} for h in HOURS],
                            className="chart-hours")
    return [html.Div([html.H4(t("chart.title", lang), className="chart-title"), choice,
                      dcc.Graph(id={"type": GRAPH, **match}, figure=figure, className="details-chart",
                                config={"displayModeBar": False, "responsive": True})],
                     className="details-chart-box")]


def register() -> None:
    """The window's choice redraws its chart; the map page calls this (Dash re-executes page modules per app)."""
    callback(Output({"type": GRAPH, "subject": MATCH, "code": MATCH}, "figure"),
             Input({"type": HOURS_CHOICE, "subject": MATCH, "code": MATCH}, "value"),
             State({"type": HOURS_CHOICE, "subject": MATCH, "code": MATCH}, "id"),
             State(ids.MAP_LANG, "data"), prevent_initial_call=True)(redraw)


def redraw(hours, match, lang):
    lang = lang or "zh"
    try:
        return _figure(match["subject"], match["code"], int(hours), lang)
    except (FieldError, KeyError, TypeError, ValueError):  # a tampered choice: keep the chart shown
        raise PreventUpdate
