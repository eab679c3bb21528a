"""Figures and tables of the evacuation page: capacity gauge, 五有 bars, needs, township and shelter tables."""
from __future__ import annotations

import plotly.graph_objects as go
from dash import html

from services.text import label, t
from services.evacuation.shelters import CapacitySummary
from services.supply.needs import SupplyCoverage
from services.vocabulary import FIVE_HAVES

_GREEN, _RED, _AMBER = "#2a9d8f", "#d62828", "#f4a261"


def gauge_top(available: int, target: int) -> float:
    """The gauge's full scale: the target sits at a quarter of it or more, so its mark is always seen.

    Places far beyond the target fill the dial (the number above it says how many); places below it are drawn
    against twice the target.
    """
    if target <= 0:
        return max(available, 1) * 1.15
    return max(target * 2, min(available * 1.1, target * 4))


def gauge(summary: CapacitySummary, lang: str) -> go.Figure:
    available, target = summary.available_places, summary.target_people
    top = gauge_top(available, target)
    ticks = sorted({0, target, round(top)})  # the dial's end says "+" when the places run beyond it
    fig = go.Figure(go.Indicator(
        mode="gauge+number", value=available, number={"valueformat": ",d"},
        title={"text": t("evac.gauge", lang) + "<br><span style='font-size:0.8em;color:#0b2545'>" +
               t("evac.gauge_target", lang, target=f"{target:,}") + "</span>", "font": {"size": 16}},
        gauge={"axis": {"range": [0, top], "tickvals": ticks, "ticktext": [
                   f"{v:,}+" if v == ticks[-1] and available > top else f"{v:,}" for v in ticks]},
               "bar": {"color": _GREEN if summary.meets_target else _RED},
               "steps": [{"range": [0, target], "color": "#fde2e1"}] if target else [],
               "threshold": {"line": {"color": "#0b2545", "width": 6}, "thickness": 1, "value": target}}))
    fig.update_layout(height=250, margin={"l": 40, "r": 40, "t": 70, "b": 16}, paper_bgcolor="white")
    return fig


def five_haves_figure(coverage: SupplyCoverage, lang: str) -> go.Figure:
    values = [round(coverage.by_have[h] * 100, 1) for h in FIVE_HAVES]
    fig = go.Figure(go.Bar(
        x=values, y=[t(f"have.{h}", lang) for h in FIVE_HAVES], orientation="h", text=[f"{v:g}%" for v in values],
        textposition="auto", marker_color=[_GREEN if v >= 100 else (_AMBER if v >= 60 else _RED) for v in values]))
    fig.update_layout(height=230, margin={"l": 90, "r": 20, "t": 10, "b": 30}, xaxis={"range": [0, 100],
                      "ticksuffix": "%"}, yaxis={"autorange": "reversed"}, paper_bgcolor="white", plot_bgcolor="white")
    return fig


def _table(headers: list[str], rows: list[list], class_name: str = "data-table") -> html.Table:
    return html.Table([html.Thead(html.Tr([html.Th(h) for h in headers])),
                       html.Tbody([html.Tr([html.Td(c) for c in r]) for r in rows])], className=class_name)


def _num(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 10 or float(value).is_integer() else f"{value:,.1f}"


def needs_table(coverage: SupplyCoverage, lang: str) -> html.Table:
    rows = []
    for n in coverage.needs:
        procure = t("list.semicolon", lang).join(
            t("evac.shortfall", lang, name=label("item", s.code, s.name, lang), quantity=f"{s.quantity:,}",
              unit=label("unit", s.unit, s.unit, lang),
              kg=f"{s.weight_kg:,.0f}", m3=f"{s.volume_m3:,.1f}") for s in n.shortfall) or "—"
        rows.append([t(f"have.{n.have}", lang), label("need", n.key, n.label, lang), _num(n.required), _num(n.available),
                     html.Span(f"{min(n.coverage, 9.99) * 100:.0f}%", className="ok" if n.coverage >= 1 else "short"),
                     "—" if n.days_of_autonomy is None else f"{n.days_of_autonomy:.1f}", procure])
    headers = [t("evac.five_haves", lang), t("evac.need", lang), t("evac.required", lang), t("evac.available", lang),
               t("evac.coverage", lang), t("evac.autonomy", lang), t("evac.procure", lang)]
    return _table(headers, rows, "data-table needs-table")


def township_table(summary: CapacitySummary, lang: str, townships: dict[str, str] | None = None) -> html.Table:
    """Places by township; ``townships`` names them in the reader's language by code (services.data.geography)."""
    townships = townships or {}
    rows = [[townships.get(tw.code, tw.name), tw.shelters, f"{tw.capacity_people:,}", f"{tw.occupancy_people:,}", f"{tw.blocked_places:,}",
             f"{tw.available_places:,}"] for tw in summary.townships]
    return _table([t(k, lang) for k in ("evac.col_township", "evac.col_shelters", "evac.col_capacity",
                                        "evac.col_occupancy", "evac.col_blocked", "evac.col_available")], rows,
                  "data-table township-table")


def shelter_table(summary: CapacitySummary, lang: str, townships: dict[str, str] | None = None) -> html.Table:
    townships = townships or {}
    rows = [[s.code, s.name, townships.get(s.township_code, s.township_name), f"{s.capacity_people:,}", f"{s.occupancy_people:,}",
             f"{s.blocked_places:,}", f"{s.available_places:,}", t(f"occupancy.{s.occupancy_class}", lang),
             html.Span(t("list.semicolon", lang).join(r.text(lang) for r in s.unsafe_reasons), className="short")
             if s.unsafe_reasons else
             html.Span(t("evac.safe", lang), className="ok")] for s in summary.shelters]
    headers = [t(k, lang) for k in ("evac.col_code", "evac.col_name", "evac.col_township", "evac.col_capacity",
                                    "evac.col_occupancy", "evac.col_blocked", "evac.col_available", "evac.col_status", "evac.col_safety")]
    return _table(headers, rows, "data-table shelter-table")
