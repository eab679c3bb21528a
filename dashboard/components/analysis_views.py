"""Figures and tables of 分析研判: indicators, risk by township and sector, the matrices, the risk-index ranking.

Tables are the report's own (services/analysis/report_risk.py, report_trends.py), so what the planner sees, downloads
as Excel and reads in the Word report are the same rows. Charts are plotly figures; their mode bar saves a PNG.
"""
from __future__ import annotations

import plotly.graph_objects as go
from dash import dash_table, html

from services import vocabulary
from services.analysis.distribution import Distribution
from services.analysis.report import Table
from services.analysis.report_risk import matrix_row_names
from services.analysis.risk_index import RiskIndex
from services.text import t, term

FONT = "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"
WARNING_COLOURS = vocabulary.WARNING_COLOURS
HAZARD_COLOURS = ("#8c510a", "#bf812d", "#dfc27d", "#80cdc1", "#35978f", "#01665e", "#3288bd", "#d53e4f")


def graph_config(filename: str) -> dict:
    """Mode bar with the PNG download only (drawn in the browser, offline), named for the figure."""
    return {"displaylogo": False, "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
            "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2}}


def styled(fig: go.Figure, height: int, title: str, **extra) -> go.Figure:
    base = {"height": height, "title": {"text": title, "font": {"size": 14}, "x": 0.01},
            "margin": {"l": 50, "r": 10, "t": 40, "b": 40}, "font": {"family": FONT, "size": 12},
            "paper_bgcolor": "white", "plot_bgcolor": "white", "legend": {"orientation": "h", "y": -0.18}}
    fig.update_layout(**(base | extra))
    return fig


def _name(row, lang: str) -> str:
    return row.name if lang == "zh" else row.name_en


def indicators(dist: Distribution, index: RiskIndex, lang: str) -> list[html.Div]:
    """The headline figures of the current filter, each a labelled card."""
    e, h, s = dist.totals_enterprises, dist.totals_hazards, dist.totals_shelters
    top = index.townships[0] if index.townships else None
    cards = [
        ("an.card.enterprises", f"{e.total:,}", t("an.card.enterprises_sub", lang,
                                                   major=e.by_risk_level.get(vocabulary.RISK_MAJOR, 0),
                                                   significant=e.by_risk_level.get(vocabulary.RISK_SIGNIFICANT, 0))),
        ("an.card.hidden_dangers", f"{e.open_hidden_dangers:,}", ""),
        ("an.card.hazards", f"{h.total:,}", t("an.card.hazards_sub", lang,
                                              orange=h.by_warning_level.get(vocabulary.WARNING_ORANGE, 0),
                                              red=h.by_warning_level.get(vocabulary.WARNING_RED, 0))),
        ("an.card.threatened", f"{h.threatened_people:,}", t("an.card.threatened_sub", lang,
                                                             households=f"{h.threatened_households:,}")),
        ("an.card.property", f"{h.threatened_property_10k_yuan:,.0f}", t("risk.unit.10k_yuan", lang)),
        ("an.card.places", "—" if s.places_per_1000 is None else f"{s.places_per_1000:,.1f}",
         t("dist.population_sample", lang) if s.population_is_sample else ""),
        ("an.card.top_risk", _name(index.leader, lang) if index.leader else "—",
         t("an.card.top_risk_sub", lang, risk=f"{top.risk:.3f}") if index.leader else
         t("an.card.top_risk_tied", lang, n=index.tied_at_top, risk=f"{top.risk:.3f}") if top else ""),
    ]
    return [html.Div([html.Div(t(key, lang), className="an-card-label"), html.Div(value, className="an-card-value"),
                      html.Div(sub, className="an-card-sub")], className="an-card") for key, value, sub in cards]


def township_risk_figure(dist: Distribution, lang: str) -> go.Figure:
    """Enterprises per township, stacked by risk level."""
    names = [_name(r, lang) for r in dist.townships]
    fig = go.Figure([go.Bar(name=term(level, lang), x=names, y=[r.enterprises.by_risk_level.get(level, 0)
                                                                 for r in dist.townships],
                            marker_color=vocabulary.RISK_COLOURS[level]) for level in vocabulary.RISK_LEVELS])
    return styled(fig, 330, t("an.fig.township_risk", lang), barmode="stack", xaxis={"tickangle": -45})


def sector_treemap(dist: Distribution, lang: str) -> go.Figure:
    """Enterprises by sector, then risk level (area = count)."""
    ids, labels, parents, values, colours = [], [], [], [], []
    for row in dist.sectors:
        if not row.enterprises.total:
            continue
        ids.append(row.sector)
        labels.append(term(row.sector, lang))
        parents.append("")
        values.append(row.enterprises.total)
        colours.append("#e9edf2")
        for level in vocabulary.RISK_LEVELS:
            n = row.enterprises.by_risk_level.get(level, 0)
            if n:
                ids.append(f"{row.sector}/{level}")
                labels.append(term(level, lang))
                parents.append(row.sector)
                values.append(n)
                colours.append(vocabulary.RISK_COLOURS[level])
    fig = go.Figure(go.Treemap(ids=ids, labels=labels, parents=parents, values=values, branchvalues="total",
                               marker={"colors": colours}, textinfo="label+value"))
    return styled(fig, 330, t("an.fig.sector_treemap", lang), margin={"l": 5, "r": 5, "t": 40, "b": 5})


def hazard_figure(dist: Distribution, lang: str) -> go.Figure:
    """Hazard points per township, stacked by hazard type."""
    m = dist.township_hazard_type
    names = matrix_row_names(dist, m, lang)
    fig = go.Figure([go.Bar(name=term(col, lang), x=names, y=[row[j] for row in m.counts],
                            marker_color=HAZARD_COLOURS[j % len(HAZARD_COLOURS)])
                     for j, col in enumerate(m.columns) if m.column_totals[j]])
    return styled(fig, 330, t("an.fig.township_hazards", lang), barmode="stack", xaxis={"tickangle": -45})


def warning_figure(dist: Distribution, lang: str) -> go.Figure:
    """Hazard points by warning level (the colour of the level)."""
    levels = vocabulary.WARNING_LEVELS
    counts = [dist.totals_hazards.by_warning_level.get(level, 0) for level in levels]
    fig = go.Figure(go.Bar(x=[term(level, lang) for level in levels], y=counts, text=counts, textposition="auto",
                           marker_color=[WARNING_COLOURS.get(level, "#bdbdbd") for level in levels]))
    return styled(fig, 330, t("an.fig.warning_levels", lang))


def risk_index_figure(index: RiskIndex, lang: str) -> go.Figure:
    """The ranking: risk per township, highest first, with the four factors in the hover."""
    rows = index.townships
    hover = [t("an.hover.factors", lang, hazard=f"{r.hazard:.2f}", exposure=f"{r.exposure:.2f}",
               vulnerability=f"{r.vulnerability:.2f}", capacity=f"{r.capacity:.2f}") for r in rows]
    fig = go.Figure(go.Bar(x=[r.risk for r in rows], y=[_name(r, lang) for r in rows], orientation="h",
                           hovertext=hover, marker_color="#b2182b"))
    return styled(fig, 452, t("an.fig.risk_index", lang), yaxis={"autorange": "reversed", "tickfont": {"size": 11}},
                   margin={"l": 96, "r": 10, "t": 36, "b": 24})


def table(data: Table, lang: str) -> html.Div:
    """A titled table: one DataTable (sortable, with its own Excel export), since thousands of html.Td
    components would cost the browser seconds to lay out."""
    columns = [{"name": h, "id": f"c{i}", "type": "numeric" if _numeric(data, i) else "text"}
               for i, h in enumerate(data.header)]
    rows = [{f"c{i}": value for i, value in enumerate(row)} for row in data.rows]
    grid = dash_table.DataTable(
        data=rows, columns=columns, sort_action="native", export_format="xlsx", export_headers="display",
        page_action="none", fixed_rows={"headers": True} if len(rows) > 15 else {},
        style_table={"maxHeight": "460px", "overflowY": "auto", "overflowX": "auto"},
        style_cell={"fontFamily": FONT, "fontSize": 12, "padding": "4px 8px", "whiteSpace": "normal",
                    "height": "auto", "minWidth": "60px", "maxWidth": "420px", "textAlign": "left"},
        style_cell_conditional=[{"if": {"column_type": "numeric"}, "textAlign": "right"}],
        style_header={"backgroundColor": "#eef2f7", "fontWeight": "bold"},
        # the table's export button says "Export" whatever the language: its text is drawn from the catalogue
        css=[{"selector": ".export", "rule": "margin: 0 0 4px; font-size: 0; cursor: pointer;"},
             {"selector": ".export::after", "rule": f"content: '{t('an.export_table', lang)}'; font-size: 12px;"}])
    return html.Div([html.H4(data.title), grid, *([html.P(data.note, className="hint")] if data.note else [])],
                    className="an-table-wrap")


def _numeric(data: Table, column: int) -> bool:
    values = [row[column] for row in data.rows[:-1] or data.rows if row[column] not in ("—", None)]
    return bool(values) and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)
