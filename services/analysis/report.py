"""The planners' report (风险研判报告, and its fire variant 火灾形势分析研判): sections of paragraphs, tables and
figures for a period and townships, written as Word (report_docx.py) and Excel (report_xlsx.py).

A section is made by a builder ``build(uow, flt) -> Section | None`` (None: nothing to say for this filter).
SECTIONS lists the builders in the report's order, by dotted path (imported when a report is made, so a
builder's module may import this one). To add one (distribution, risk index, coverage), add a line::

    ("distribution", "services.analysis.distribution:report_section"),

Tables are a header and rows of plain values (str, int, float or None; a float is shown with one decimal);
figures are PNG bytes, or a map view (services/map/export_html.MapView) that ``draw_maps`` renders after the
unit of work has closed, in the export worker with its time limit, as the map export does.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field

from services.analysis.period import Period
from services.analysis.trends import TrendFilter, township_names, trend_filter
from services.clock import format_local, now_utc
from services.db.uow import UnitOfWork
from services.errors import FieldError
from services.map.export_html import MapView
from services.map.layers import sample_in_use
from services.text import drill_marked, t

LANGUAGES = ("zh", "en")


@dataclass(frozen=True)
class Table:
    """A table of the report; ``key`` (ASCII, unique in the report) names it where a title is too long."""

    key: str
    title: str
    header: list[str]
    rows: list[list]
    note: str = ""


@dataclass(frozen=True)
class Figure:
    caption: str
    png: bytes = b""
    map_view: MapView | None = None  # a map still to draw (draw_maps), instead of ``png``


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)


@dataclass(frozen=True)
class ReportFilter(TrendFilter):
    """What the report covers (period, townships, variant), the language it is written in, and whether it
    draws figures (the workbook holds only the tables: its builders may skip charts and maps)."""

    lang: str = "zh"
    figures: bool = True


@dataclass(frozen=True)
class Report:
    title: str
    lines: list[str]  # period, scope, when it was made
    sample: bool      # sample (synthetic) records are in the database: the report says so
    lang: str
    sections: list[Section]

    def tables(self) -> list[Table]:
        return [table for section in self.sections for table in section.tables]


SectionBuilder = Callable[[UnitOfWork, ReportFilter], "Section | None"]
SECTIONS: list[tuple[str, str | SectionBuilder]] = [
    ("map", "services.analysis.report_sections:map_section"),
    ("fire_sites", "services.analysis.report_sections:fire_sites_section"),  # the fire variant only
    ("distribution", "services.analysis.report_risk:distribution_section"),
    ("risk_index", "services.analysis.report_risk:risk_index_section"),
    ("coverage", "services.analysis.report_coverage:coverage_section"),
    ("trends", "services.analysis.report_trends:trends_section"),
]


def register_section(key: str, builder: str | SectionBuilder, *, before: str | None = None) -> None:
    """Put ``builder`` (a callable or "module:function") in the report as section ``key`` (replacing one of
    that key), before section ``before`` or last."""
    SECTIONS[:] = [(k, b) for k, b in SECTIONS if k != key]
    keys = [k for k, _ in SECTIONS]
    SECTIONS.insert(keys.index(before) if before in keys else len(SECTIONS), (key, builder))


def section_builder(builder: str | SectionBuilder) -> SectionBuilder:
    if callable(builder):
        return builder
    module, _, name = builder.partition(":")
    return getattr(importlib.import_module(module), name)


def report_filter(uow: UnitOfWork, period: Period, townships=(), variant: str = "general",
                  lang: str = "zh", *, figures: bool = True) -> ReportFilter:
    """A checked report filter; raises FieldError naming the parameter at fault."""
    if lang not in LANGUAGES:
        raise FieldError.of("lang", "report.lang_invalid", value=lang)
    checked = trend_filter(uow, period, townships, variant)
    return ReportFilter(checked.period, checked.townships, checked.variant, lang, figures)


def report_title(uow: UnitOfWork, flt: ReportFilter) -> str:
    region = uow.settings.region.name_en if flt.lang == "en" else uow.settings.region.name_zh
    kind = "fire" if flt.fire else "general"
    if flt.period.quarter:
        year, number = flt.period.quarter.split("Q")
        return t(f"report.title_quarter.{kind}", flt.lang, region=region, year=year,
                 quarter=t(f"report.quarter.{number}", flt.lang))
    return t(f"report.title.{kind}", flt.lang, region=region)


def scope_text(uow: UnitOfWork, flt: ReportFilter) -> str:
    """The townships covered, by name (the whole district when none was chosen)."""
    if not flt.townships:
        return t("report.scope_all", flt.lang)
    names = township_names(uow)
    return t("list.separator", flt.lang).join(names.get(code, code) for code in flt.townships)


def period_text(flt: ReportFilter, settings) -> str:
    return t("report.period", flt.lang, since=format_local(flt.period.since, settings),
             until=format_local(flt.period.until, settings), zone=flt.period.timezone)


def build_report(uow: UnitOfWork, flt: ReportFilter, *, now: dt.datetime | None = None) -> Report:
    """The report of ``flt``: every registered section that has something to say, from one snapshot.

    Maps are left as views: call ``draw_maps`` once the unit of work has closed.
    """
    uow.principal.require("analysis.run")
    settings = uow.settings
    lines = [period_text(flt, settings), t("report.scope", flt.lang, scope=scope_text(uow, flt)),
             t("report.made", flt.lang, time=format_local(now or now_utc(), settings))]
    sections = [s for _, build in list(SECTIONS) if (s := section_builder(build)(uow, flt)) is not None]
    return Report(drill_marked(report_title(uow, flt), uow.settings, flt.lang), lines, sample_in_use(uow), flt.lang,
                  sections)


def draw_maps(report: Report, limit_s: float) -> Report:
    """The report with each map view drawn as PNG, in the export worker within ``limit_s`` seconds each
    (raises services.map.render_worker.RenderTimeout past it)."""
    # the worker process only when drawing
    from services.map.render_worker import render_view_limited

    def drawn(figure: Figure) -> Figure:
        if figure.map_view is None:
            return figure
        return Figure(figure.caption, render_view_limited(figure.map_view, limit_s))
    return dataclasses.replace(report, sections=[
        dataclasses.replace(s, figures=[drawn(f) for f in s.figures]) for s in report.sections])
