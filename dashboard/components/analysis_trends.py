"""The trends tab of 分析研判: incidents per month, 叫应 in time, dispatch to arrival, moves per day (plotly), over
the tables the report prints (services/analysis/report_trends.py)."""
from __future__ import annotations

import plotly.graph_objects as go

from dashboard.components.analysis_views import HAZARD_COLOURS, styled
from services import vocabulary
from services.analysis.trends import Trends
from services.text import t, term


def incidents_figure(found: Trends, lang: str) -> go.Figure:
    incidents = found.incidents
    bars = [go.Bar(name=term(c.key, lang), x=incidents.months,
                   y=[incidents.count(month=m, category=c.key) for m in incidents.months],
                   marker_color=HAZARD_COLOURS[i % len(HAZARD_COLOURS)])
            for i, c in enumerate(incidents.by_category) if c.count]
    fig = go.Figure(bars)
    if not bars:
        fig.add_annotation(text=t("an.trend.none", lang), showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    return styled(fig, 300, t("report.chart.incidents", lang), barmode="stack", xaxis={"type": "category"})


def in_time_figure(found: Trends, lang: str) -> go.Figure:
    due = [f for f in found.warnings.by_level if f.in_time_share is not None]
    fig = go.Figure(go.Bar(x=[term(f.level, lang) for f in due], y=[round(f.in_time_share * 100, 1) for f in due],
                           text=[f"{f.in_time}/{f.recipients - f.pending}" for f in due], textposition="auto",
                           marker_color=[vocabulary.WARNING_COLOURS[f.level] for f in due]))
    if not due:
        fig.add_annotation(text=t("an.trend.none", lang), showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    return styled(fig, 300, t("report.chart.in_time", lang), yaxis={"range": [0, 105], "ticksuffix": "%"})


def arrival_figure(found: Trends, lang: str) -> go.Figure:
    arrived = [f for f in found.dispatch.by_team_kind if f.median_arrival_min is not None]
    fig = go.Figure(go.Bar(x=[f.median_arrival_min for f in arrived], y=[term(f.team_kind, lang) for f in arrived],
                           orientation="h", marker_color="#1d3557",
                           text=[f"{f.median_arrival_min:.0f}" for f in arrived], textposition="auto"))
    if not arrived:
        fig.add_annotation(text=t("an.trend.none", lang), showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    return styled(fig, 300, t("report.chart.arrival", lang), margin={"l": 120, "r": 10, "t": 40, "b": 30})


def moves_figure(found: Trends, lang: str) -> go.Figure:
    days = found.moves.by_day
    fig = go.Figure([go.Scatter(x=[d.day for d in days], y=[d.people for d in days], mode="lines",
                                name=t("report.col.people_moved", lang), line={"color": "#2a9d8f"}),
                     go.Scatter(x=[d.day for d in days], y=[d.housed for d in days], mode="lines",
                                name=t("report.col.housed", lang), line={"color": "#e76f51"})])
    return styled(fig, 300, t("report.chart.moves", lang))
