"""The report's own sections besides the trends: the district map (the map export's print layout) and, in the
fire variant, the fire-risk objects (oil, gas and crowded-place enterprises by risk level; forest-fire hazard
points by warning level).
"""
from __future__ import annotations

import shapely
from sqlalchemy import func, select

from services import vocabulary
from services.analysis.report import Figure, ReportFilter, Section, Table
from services.db.uow import UnitOfWork
from services.map.export_html import ExportRequest, collect_view
from services.map.layers import LayerFilter
from services.models import Enterprise, HazardPoint, Township
from services.text import t, term

MAP_DPI = 120  # A4 landscape at 120 dpi: 1403 × 992 px, sharp at the page's width
MAP_PAD = 0.05  # a chosen township's frame widened by 5 % of its size on each side


def _map_filters(flt: ReportFilter) -> tuple[dict[str, LayerFilter], str | None]:
    """The layers the report's map shows (and its choropleth measure), by variant."""
    township = flt.townships[0] if len(flt.townships) == 1 else None
    if flt.fire:
        return {"enterprises": LayerFilter(township, where={"sector": vocabulary.FIRE_ENTERPRISE_SECTORS}),
                "hazards": LayerFilter(township, where={"hazard_type": vocabulary.FIRE_HAZARD_TYPES}),
                "teams": LayerFilter(township, where={"kind": vocabulary.FIRE_TEAM_KINDS})}, None
    major = (vocabulary.RISK_MAJOR, vocabulary.RISK_SIGNIFICANT)
    return {"enterprises": LayerFilter(township, where={"risk_level": major}), "hazards": LayerFilter(township),
            "shelters": LayerFilter(township)}, "threatened_people"


def _frame(uow: UnitOfWork, flt: ReportFilter) -> tuple[float, float, float, float] | None:
    """The chosen townships' bounds, padded (None: the whole district)."""
    if not flt.townships:
        return None
    areas = list(uow.session.scalars(select(Township.geom).where(Township.code.in_(flt.townships))))
    minlon, minlat, maxlon, maxlat = shapely.total_bounds(areas)
    pad_x, pad_y = (maxlon - minlon) * MAP_PAD, (maxlat - minlat) * MAP_PAD
    return float(minlon - pad_x), float(minlat - pad_y), float(maxlon + pad_x), float(maxlat + pad_y)


def map_section(uow: UnitOfWork, flt: ReportFilter) -> Section | None:
    """The map of the report's townships (the map export's print layout, drawn by report.draw_maps); None when
    the report draws no figures."""
    if not flt.figures:
        return None
    filters, measure = _map_filters(flt)
    view = collect_view(uow, ExportRequest(filters, measure, flt.lang, _frame(uow, flt), "a4", MAP_DPI))
    kind = "fire" if flt.fire else "general"
    return Section("map", t("report.section.map", flt.lang), [t(f"report.map_text.{kind}", flt.lang)], [],
                   [Figure(t(f"report.map_caption.{kind}", flt.lang), map_view=view)])


def _in_townships(stmt, model, flt: ReportFilter):
    return stmt.where(model.township_code.in_(flt.townships)) if flt.townships else stmt


def fire_enterprises(uow: UnitOfWork, flt: ReportFilter) -> Table:
    """Oil, gas and crowded-place enterprises by category and risk level."""
    stmt = select(Enterprise.sector, Enterprise.category, Enterprise.risk_level, func.count()).where(
        Enterprise.sector.in_(vocabulary.FIRE_ENTERPRISE_SECTORS)).group_by(
        Enterprise.sector, Enterprise.category, Enterprise.risk_level)
    counts = {(s, c, r): n for s, c, r, n in uow.session.execute(_in_townships(stmt, Enterprise, flt))}
    lang, levels = flt.lang, vocabulary.RISK_LEVELS
    rows = []
    for sector in vocabulary.FIRE_ENTERPRISE_SECTORS:
        for category in vocabulary.ENTERPRISE_SECTORS[sector]:
            cells = [counts.get((sector, category, level), 0) for level in levels]
            rows.append([term(sector, lang), term(category, lang), *cells, sum(cells)])
    rows.append([t("report.total", lang), "", *(sum(r[n + 2] for r in rows) for n in range(len(levels) + 1))])
    header = [t("report.col.sector", lang), t("report.col.category", lang), *(term(v, lang) for v in levels),
              t("report.total", lang)]
    return Table("fire_enterprises", t("report.table.fire_enterprises", lang), header, rows)


def fire_hazards(uow: UnitOfWork, flt: ReportFilter) -> Table:
    """Forest-fire hazard points by warning level, with the people and households they threaten."""
    stmt = select(HazardPoint.warning_level, func.count(), func.coalesce(func.sum(HazardPoint.threatened_people), 0),
                  func.coalesce(func.sum(HazardPoint.threatened_households), 0)).where(
        HazardPoint.hazard_type.in_(vocabulary.FIRE_HAZARD_TYPES)).group_by(HazardPoint.warning_level)
    found = {level: (n, int(people), int(households))
             for level, n, people, households in uow.session.execute(_in_townships(stmt, HazardPoint, flt))}
    lang = flt.lang
    rows = [[term(level, lang), *found.get(level, (0, 0, 0))] for level in vocabulary.WARNING_LEVELS]
    rows.append([t("report.total", lang), *(sum(r[n] for r in rows) for n in (1, 2, 3))])
    header = [t(f"report.col.{name}", lang) for name in ("warning_level", "hazard_points", "threatened_people",
                                                          "threatened_households")]
    return Table("fire_hazards", t("report.table.fire_hazards", lang), header, rows)


def fire_sites_section(uow: UnitOfWork, flt: ReportFilter) -> Section | None:
    """The fire variant's objects of fire risk; None in the general report."""
    if not flt.fire:
        return None
    enterprises, hazards = fire_enterprises(uow, flt), fire_hazards(uow, flt)
    sites, major = enterprises.rows[-1][-1], enterprises.rows[-1][2]
    points, people = hazards.rows[-1][1], hazards.rows[-1][2]
    text = t("report.fire.summary", flt.lang, sites=sites, major=major, points=points, people=people)
    return Section("fire_sites", t("report.section.fire_sites", flt.lang), [text], [enterprises, hazards])
