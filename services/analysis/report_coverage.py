"""Tables of the coverage gaps by road and of a siting run, as the 分析研判 page shows them and as the report prints
them (the report's coverage section is the district's gaps, teams against the 30-minute standard and overflow)."""
from __future__ import annotations

from services.analysis.coverage import SHELTER_GAP_MIN, CoverageQuery, CoverageReport, coverage
from services.analysis.report import ReportFilter, Section, Table
from services.analysis.siting import SitingResult
from services.db.uow import UnitOfWork
from services.text import t


def _minutes(value: float | None, lang: str) -> float | str:
    return t("analysis.unreachable", lang) if value is None else round(value, 1)


def _listed(values: tuple[str, ...], lang: str, limit: int = 12) -> str:
    """The first ``limit`` values, separated as the language writes lists, with an ellipsis for the rest."""
    shown = t("list.separator", lang).join(values[:limit])
    return shown + ("…" if len(values) > limit else "")


def gap_totals_table(report: CoverageReport, lang: str) -> Table:
    """The district: people of each kind beyond 15 / 30 / 60 min of a shelter, walking and driving."""
    header = [t("an.col.kind", lang), t("an.col.mode", lang), t("an.col.points", lang),
              t("analysis.label.people", lang),
              *(t("analysis.label.beyond", lang, minutes=m) for m in SHELTER_GAP_MIN),
              t("analysis.label.unreachable_people", lang)]
    rows = [[t(f"analysis.kind.{g.kind}", lang), t(f"analysis.mode.{g.mode}", lang), g.points, g.people,
             *(getattr(g, f"beyond_{m}_min") for m in SHELTER_GAP_MIN), g.unreachable_people]
            for g in report.shelter_gap_totals]
    return Table("gap_totals", t("an.table.gap_totals", lang), header, rows,
                 t("analysis.sample_note", lang) if report.is_sample else "")


def gap_township_table(report: CoverageReport, lang: str, mode: str = "drive") -> Table:
    """Per township: people threatened (hazard points) beyond each time of a shelter, by ``mode``."""
    header = [t("an.col.township", lang), t("analysis.label.people", lang),
              *(t("analysis.label.beyond", lang, minutes=m) for m in SHELTER_GAP_MIN),
              t("analysis.label.unreachable_people", lang)]
    rows = [[g.township_name, g.people, *(getattr(g, f"beyond_{m}_min") for m in SHELTER_GAP_MIN),
             g.unreachable_people] for g in report.shelter_gaps if g.kind == "hazard" and g.mode == mode]
    return Table("gap_townships", t("an.table.gap_townships", lang, mode=t(f"analysis.mode.{mode}", lang)),
                 header, rows)


def team_standard_table(report: CoverageReport, lang: str) -> Table:
    """Townships against 地面救援30分钟到达: hazard points a standby team reaches by road within the standard."""
    header = [t("an.col.township", lang), t("an.col.points", lang), t("an.col.within", lang),
              t("an.col.unreachable_points", lang),
              t("an.col.worst", lang), t("analysis.label.meets_standard", lang), t("analysis.label.late_points", lang)]
    rows = [[s.township_name, s.hazard_points, s.within_standard, s.unreachable, _minutes(s.worst_minutes, lang),
             t("an.yes" if s.meets_standard else "an.no", lang), _listed(s.late_points, lang)]
            for s in report.team_standard]
    return Table("team_standard", t("an.table.team_standard", lang, minutes=report.team_standard_minutes),
                 header, rows)


def overflow_table(report: CoverageReport, lang: str) -> Table:
    """Hazard points whose nearest shelter (by road, driving) cannot hold their people."""
    header = [t("an.col.hazard", lang), t("an.col.township", lang), t("analysis.label.people", lang),
              t("analysis.label.nearest", lang), t("analysis.label.free_places", lang),
              t("analysis.label.short_people", lang)]
    rows = [[o.name, o.township_name, o.people, o.shelter_name, o.free_places, o.short_people]
            for o in report.overflow if o.mode == "drive"]
    return Table("overflow", t("an.table.overflow", lang), header, rows)


def coverage_tables(report: CoverageReport, lang: str, mode: str = "drive") -> list[Table]:
    return [gap_totals_table(report, lang), gap_township_table(report, lang, mode), team_standard_table(report, lang),
            overflow_table(report, lang)]


def siting_table(result: SitingResult, lang: str) -> Table:
    """Each proposed site in order, with what it adds and the score with it and those before it."""
    header = [t("analysis.label.rank", lang), t("analysis.label.site", lang), t("an.col.township", lang),
              t("analysis.label.adds_people", lang), t("analysis.label.covered_people", lang),
              t("analysis.label.covered_share", lang), t("analysis.label.person_minutes_change", lang)]
    rows = [[s.rank, s.candidate.name if lang == "zh" else s.candidate.name_en, s.candidate.township_name or "",
             s.adds_covered_people, s.after.covered_people, f"{s.after.covered_share:.1%}",
             round(s.person_minutes_change)] for s in result.sites]
    b = result.before
    rows.insert(0, ["", t("analysis.label.before", lang), "", "", b.covered_people, f"{b.covered_share:.1%}", ""])
    note = "" if result.optimal else t("analysis.not_proven", lang)
    return Table("siting", t("an.table.siting", lang), header, rows, note)


def coverage_section(uow: UnitOfWork, flt: ReportFilter) -> Section:
    report = coverage(uow, CoverageQuery(townships=flt.townships))
    drive = next((g for g in report.shelter_gap_totals if g.kind == "hazard" and g.mode == "drive"), None)
    failing = [s.township_name for s in report.team_standard if not s.meets_standard]
    lines = []
    if drive is not None:
        lines.append(t("an.report.coverage", flt.lang, people=drive.people, beyond=drive.beyond_30_min,
                       unreachable=drive.unreachable_people))
    lines.append(t("an.report.teams", flt.lang, minutes=report.team_standard_minutes, n=len(failing),
                   names=_listed(tuple(failing), lang=flt.lang, limit=30) or "—"))
    return Section("coverage", t("an.tab.coverage", flt.lang), lines, coverage_tables(report, flt.lang))
