"""The report's trends section: incidents by month, category and township; warnings and 叫应 by level;
dispatch to arrival by team kind; evacuation moves by day — the figures of services/analysis/trends.py as tables,
charts and a few sentences.
"""
from __future__ import annotations

from services import vocabulary
from services.analysis import report_charts
from services.analysis.report import Figure, ReportFilter, Section, Table
from services.analysis.trends import AckFigures, ArrivalFigures, Trends, trends
from services.db.uow import UnitOfWork
from services.text import t, term


def trends_section(uow: UnitOfWork, flt: ReportFilter) -> Section:
    found, lang = trends(uow, flt), flt.lang
    tables = [incidents_by_month(found, lang), incidents_by_township(found, lang), incidents_by_kind(found, lang),
              warnings_by_level(found, lang), arrivals_by_team_kind(found, lang), moves_by_day(found, lang)]
    drawn = charts(found, lang) if flt.figures else []  # the workbook has no use for charts
    return Section("trends", t("report.section.trends", lang), summary(found, lang), tables, drawn)


def _share_percent(share: float | None) -> float | None:
    return None if share is None else round(share * 100, 1)


def _shown(value: float | None, lang: str) -> str:
    return t("report.none", lang) if value is None else f"{value:.1f}"


def summary(figures: Trends, lang: str) -> list[str]:
    """A sentence each on incidents, warnings, dispatch and moves."""
    incidents, warned, sent, moves = figures.incidents, figures.warnings.overall, figures.dispatch.overall, figures.moves
    top = max(incidents.by_category, key=lambda c: c.count)
    lines = [t("report.trends.incidents", lang, total=incidents.total, category=term(top.key, lang), count=top.count)
             if incidents.total else t("report.trends.no_incidents", lang)]
    lines.append(t("report.trends.warnings", lang, warnings=warned.warnings, recipients=warned.recipients,
                   share=_shown(_share_percent(warned.in_time_share), lang),
                   median=_shown(warned.median_ack_min, lang), escalations=warned.escalations,
                   raises=figures.warnings.patrol_raises)
                 if warned.warnings else t("report.trends.no_warnings", lang, raises=figures.warnings.patrol_raises))
    lines.append(t("report.trends.dispatch", lang, orders=sent.orders, arrived=sent.arrived,
                   median=_shown(sent.median_arrival_min, lang))
                 if sent.orders else t("report.trends.no_dispatch", lang))
    lines.append(t("report.trends.moves", lang, moves=moves.moves, people=moves.people, housed=moves.housed)
                 if moves.moves else t("report.trends.no_moves", lang))
    if figures.warnings.limit_min_by_level:
        limits = t("list.separator", lang).join(f"{term(level, lang)} {minutes}"
                                                 for level, minutes in figures.warnings.limit_min_by_level.items())
        lines.append(t("report.trends.limit_configured", lang, limits=limits))
    else:
        lines.append(t("report.trends.limit_own", lang))
    return lines


def incidents_by_month(figures: Trends, lang: str) -> Table:
    incidents = figures.incidents
    categories = [c.key for c in incidents.by_category]
    rows = [[month, *(incidents.count(month=month, category=c) for c in categories), incidents.count(month=month)]
            for month in incidents.months]
    rows.append([t("report.total", lang), *(c.count for c in incidents.by_category), incidents.total])
    return Table("incidents_by_month", t("report.table.incidents_by_month", lang),
                 [t("report.col.month", lang), *(term(c, lang) for c in categories), t("report.total", lang)], rows)


def incidents_by_township(figures: Trends, lang: str) -> Table:
    incidents = figures.incidents
    categories = [c.key for c in incidents.by_category]
    rows = [[town.township_name, *(incidents.count(township=town.township_code, category=c) for c in categories),
             town.count] for town in incidents.by_township]
    rows.append([t("report.total", lang), *(sum(r[n + 1] for r in rows) for n in range(len(categories))),
                 sum(r[-1] for r in rows)])
    return Table("incidents_by_township", t("report.table.incidents_by_township", lang),
                 [t("report.col.township", lang), *(term(c, lang) for c in categories), t("report.total", lang)], rows)


def incidents_by_kind(figures: Trends, lang: str) -> Table:
    rows = [[term(k.key, lang), k.count] for k in figures.incidents.by_kind]
    rows.append([t("report.total", lang), figures.incidents.total])
    return Table("incidents_by_kind", t("report.table.incidents_by_kind", lang),
                 [t("report.col.kind", lang), t("report.col.incidents", lang)], rows)


def _ack_row(label: str, f: AckFigures) -> list:
    return [label, f.warnings, f.recipients, f.acknowledged, f.in_time, f.pending,
            _share_percent(f.in_time_share), f.median_ack_min, f.escalations]


def warnings_by_level(figures: Trends, lang: str) -> Table:
    rows = [_ack_row(term(f.level, lang), f) for f in figures.warnings.by_level]
    rows.append(_ack_row(t("report.total", lang), figures.warnings.overall))
    header = [t(f"report.col.{name}", lang) for name in (
        "level", "warnings", "recipients", "acknowledged", "in_time", "pending", "in_time_share", "median_ack_min",
        "escalations")]
    return Table("warnings_by_level", t("report.table.warnings_by_level", lang), header, rows,
                 t("report.note.warnings", lang, raises=figures.warnings.patrol_raises))


def _arrival_row(label: str, f: ArrivalFigures) -> list:
    return [label, f.orders, f.arrived, f.median_arrival_min, f.mean_arrival_min, f.max_arrival_min]


def arrivals_by_team_kind(figures: Trends, lang: str) -> Table:
    rows = [_arrival_row(term(f.team_kind, lang), f) for f in figures.dispatch.by_team_kind]
    rows.append(_arrival_row(t("report.total", lang), figures.dispatch.overall))
    header = [t(f"report.col.{name}", lang) for name in (
        "team_kind", "orders", "arrived", "median_arrival_min", "mean_arrival_min", "max_arrival_min")]
    return Table("arrivals_by_team_kind", t("report.table.arrivals_by_team_kind", lang), header, rows)


def moves_by_day(figures: Trends, lang: str) -> Table:
    """The days with moves (the chart shows every day)."""
    moves = figures.moves
    rows = [[d.day, d.moves, d.people, d.housed] for d in moves.by_day if d.moves]
    rows.append([t("report.total", lang), moves.moves, moves.people, moves.housed])
    header = [t(f"report.col.{name}", lang) for name in ("day", "moves", "people_moved", "housed")]
    return Table("moves_by_day", t("report.table.moves_by_day", lang), header, rows)


def charts(figures: Trends, lang: str) -> list[Figure]:
    """The charts that have something to show: incidents by month, 叫应 in time, arrival times, moves by day."""
    drawn = []
    incidents = figures.incidents
    if incidents.total:
        series = {term(c.key, lang): [incidents.count(month=m, category=c.key) for m in incidents.months]
                  for c in incidents.by_category if c.count}
        drawn.append(Figure(t("report.chart.incidents", lang), report_charts.stacked_bars(
            incidents.months, series, title=t("report.chart.incidents", lang), ylabel=t("report.col.incidents", lang))))
    due = [f for f in figures.warnings.by_level if f.in_time_share is not None]
    if due:
        drawn.append(Figure(t("report.chart.in_time", lang), report_charts.bars(
            [term(f.level, lang) for f in due], [_share_percent(f.in_time_share) for f in due],
            title=t("report.chart.in_time", lang), xlabel=t("report.col.in_time_share", lang),
            colours=[vocabulary.WARNING_COLOURS[f.level] for f in due], xmax=110)))
    arrived = [f for f in figures.dispatch.by_team_kind if f.median_arrival_min is not None]
    if arrived:
        drawn.append(Figure(t("report.chart.arrival", lang), report_charts.bars(
            [term(f.team_kind, lang) for f in arrived], [f.median_arrival_min for f in arrived],
            title=t("report.chart.arrival", lang), xlabel=t("report.col.median_arrival_min", lang))))
    if figures.moves.moves:
        days = figures.moves.by_day
        drawn.append(Figure(t("report.chart.moves", lang), report_charts.daily(
            [d.day for d in days], [d.people for d in days], title=t("report.chart.moves", lang),
            ylabel=t("report.col.people_moved", lang))))
    return drawn
