"""Tables of the risk distribution and the composite risk index, as the 分析研判 page shows them and as the report
prints them (one builder each, so the page, its Excel export and the Word report hold the same rows)."""
from __future__ import annotations

from services import vocabulary
from services.analysis.distribution import Distribution, Matrix, risk_distribution
from services.analysis.frames import AnalysisFilter
from services.analysis.report import ReportFilter, Section, Table
from services.analysis.risk_index import RiskIndex, risk_index
from services.db.uow import UnitOfWork
from services.text import t, term


def _name(row, lang: str) -> str:
    return row.name if lang == "zh" else row.name_en


def matrix_row_names(dist: Distribution, m: Matrix, lang: str) -> list[str]:
    names = {r.code: _name(r, lang) for r in dist.townships}
    return [names.get(code, code) for code in m.rows]


def matrix_table(dist: Distribution, m: Matrix, key: str, lang: str) -> Table:
    """A township × vocabulary matrix with its totals (columns with no count left out)."""
    keep = [j for j, total in enumerate(m.column_totals) if total]
    header = [t("an.col.township", lang), *(term(m.columns[j], lang) for j in keep), t("an.col.total", lang)]
    rows = [[name, *(m.counts[i][j] for j in keep), m.row_totals[i]]
            for i, name in enumerate(matrix_row_names(dist, m, lang))]
    rows.append([t("an.col.total", lang), *(m.column_totals[j] for j in keep), m.total])
    return Table(key, t(f"an.table.{key}", lang), header, rows)


def township_table(dist: Distribution, lang: str) -> Table:
    """Per township: enterprises by risk level, hazard points, people and property threatened, shelter places."""
    header = [t("an.col.township", lang), t("dist.measure.enterprises", lang),
              *(term(level, lang) for level in vocabulary.RISK_LEVELS), t("an.col.hidden_dangers", lang),
              t("dist.measure.hazards", lang), t("dist.measure.threatened_people", lang),
              t("dist.measure.threatened_households", lang), t("dist.measure.threatened_property_10k_yuan", lang),
              t("an.col.places", lang), t("dist.measure.places_per_1000", lang)]
    rows = [[_name(r, lang), r.enterprises.total, *(r.enterprises.by_risk_level.get(level, 0)
                                                    for level in vocabulary.RISK_LEVELS),
             r.enterprises.open_hidden_dangers, r.hazards.total, r.hazards.threatened_people,
             r.hazards.threatened_households, round(r.hazards.threatened_property_10k_yuan, 1),
             r.shelters.available_places, r.shelters.places_per_1000]
            for r in dist.townships]
    e, h, s = dist.totals_enterprises, dist.totals_hazards, dist.totals_shelters
    rows.append([t("an.col.total", lang), e.total, *(e.by_risk_level.get(level, 0) for level in vocabulary.RISK_LEVELS),
                 e.open_hidden_dangers, h.total, h.threatened_people, h.threatened_households,
                 round(h.threatened_property_10k_yuan, 1), s.available_places, s.places_per_1000])
    note = t("dist.population_sample", lang) if s.population_is_sample else ""
    return Table("townships", t("an.table.townships", lang), header, rows, note)


def distribution_tables(dist: Distribution, lang: str) -> list[Table]:
    return [township_table(dist, lang), matrix_table(dist, dist.township_sector, "township_sector", lang),
            matrix_table(dist, dist.township_hazard_type, "township_hazard", lang)]


def _move(value, lang: str) -> str:
    return t("an.move", lang, input=t(f"risk.input.{value.input}", lang), places=abs(value.pushes_up_by))


def ranking_table(index: RiskIndex, lang: str) -> Table:
    """The ranking with each factor and the input that moves the township most up and most down."""
    header = [t("an.col.rank", lang), t("an.col.township", lang), t("an.col.risk", lang),
              *(t(f"risk.factor.{f}", lang) for f in ("hazard", "exposure", "vulnerability", "capacity")),
              t("an.col.moves_up", lang), t("an.col.moves_down", lang)]
    rows = []
    for r in index.townships:
        up = max(r.inputs, key=lambda i: i.pushes_up_by, default=None)
        down = min(r.inputs, key=lambda i: i.pushes_up_by, default=None)
        rows.append([r.rank, _name(r, lang), round(r.risk, 4), round(r.hazard, 3), round(r.exposure, 3),
                     round(r.vulnerability, 3), round(r.capacity, 3),
                     _move(up, lang) if up and up.pushes_up_by > 0 else "—",
                     _move(down, lang) if down and down.pushes_up_by < 0 else "—"])
    return Table("risk_index", t("an.table.risk_index", lang), header, rows)


def method_table(index: RiskIndex, lang: str) -> Table:
    """The method beside the ranking: every input, its factor, weight and spread over the townships."""
    header = [t("an.col.factor", lang), t("an.col.input", lang), t("an.col.weight", lang), t("an.col.min", lang),
              t("an.col.median", lang), t("an.col.max", lang), t("an.col.how", lang)]
    rows = [[t(f"risk.factor.{i.factor}", lang), t(f"risk.input.{i.input}", lang), i.weight, round(i.min, 3),
             round(i.median, 3), round(i.max, 3),
             t(f"risk.input_doc.{i.input}", lang, radius_m=f"{index.monitoring_radius_m:g}")] for i in index.inputs]
    return Table("method", t("an.table.method", lang), header, rows)


def index_tables(index: RiskIndex, lang: str) -> list[Table]:
    return [ranking_table(index, lang), method_table(index, lang)]


def report_filter_of(flt: ReportFilter) -> AnalysisFilter:
    """The distribution's filter for a report: its townships; the fire variant keeps oil, gas, crowded places
    and forest-fire hazards."""
    if flt.fire:
        return AnalysisFilter(township=flt.townships, sector=vocabulary.FIRE_ENTERPRISE_SECTORS,
                              hazard_type=vocabulary.FIRE_HAZARD_TYPES)
    return AnalysisFilter(township=flt.townships)


def distribution_section(uow: UnitOfWork, flt: ReportFilter) -> Section:
    dist = risk_distribution(uow, report_filter_of(flt))
    e, h = dist.totals_enterprises, dist.totals_hazards
    lines = [t("an.report.distribution", flt.lang, enterprises=e.total,
               major=e.by_risk_level.get(vocabulary.RISK_MAJOR, 0),
               significant=e.by_risk_level.get(vocabulary.RISK_SIGNIFICANT, 0), hazards=h.total,
               people=h.threatened_people, households=h.threatened_households)]
    return Section("distribution", t("an.tab.distribution", flt.lang), lines, distribution_tables(dist, flt.lang))


def risk_index_section(uow: UnitOfWork, flt: ReportFilter) -> Section:
    index = risk_index(uow, flt.townships)
    lines = [t("risk.formula", flt.lang), t("risk.method", flt.lang, floor=index.floor,
                                             capacity_max=round(1 - index.floor, 4))]
    if index.leader:
        top = index.leader
        lines.append(t("an.report.top_risk", flt.lang, township=_name(top, flt.lang), risk=f"{top.risk:.3f}"))
    elif index.townships:
        lines.append(t("an.report.top_risk_tied", flt.lang, n=index.tied_at_top,
                       risk=f"{index.townships[0].risk:.3f}"))
    return Section("risk_index", t("an.tab.risk_index", flt.lang), lines, index_tables(index, flt.lang))
