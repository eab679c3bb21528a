"""The monthly bulletin (月通报) of enforcement and hidden-danger rectification, as Word (.docx) and Excel (.xlsx):
the title with the region and month, the month's totals in a sentence, the rankings by sector and by township, and
the list of 重大隐患 overdue at the month's end (挂牌督办); marked 示例数据 when sample records are counted.

The figures are services/supervision/rankings.py's; the documents are written by the report writers of
services/analysis (report_docx, report_xlsx), so the bulletin looks like the planners' reports and its tables carry
their titles as captions (Word) and in A1 of their sheets (Excel).
"""
from __future__ import annotations

import calendar

from sqlalchemy import select

from services.analysis.report import Report, Section, Table
from services.analysis.report_docx import report_docx
from services.analysis.report_xlsx import report_xlsx
from services.clock import format_local, now_utc
from services.db.uow import UnitOfWork
from services.errors import FieldError
from services.models import Township
from services.supervision.rankings import (
    Figures,
    MajorOverdue,
    Month,
    Rankings,
    major_overdue,
    monthly_rankings,
)
from services.text import t, term
from services.vocabulary import DANGER_CLOSED

LANGUAGES = ("zh", "en")
MAJOR_LISTED = 200  # the overdue 重大隐患 listed in the documents; the count says how many more there are
FIGURE_COLUMNS = ("inspections", "found", "closed", "in_time", "share", "overdue", "penalties", "yuan")


def percent(share: float | None) -> float | None:
    return None if share is None else round(share * 100, 1)


def figure_cells(f: Figures) -> list:
    """A row's figures as the tables show them: counts, the share in per cent (one decimal), the yuan exact."""
    return [f.inspections, f.dangers_found, f.dangers_closed, f.closed_in_time, percent(f.in_time_share),
            f.overdue, f.penalties, f.penalty_yuan]


def _month_words(m: Month, lang: str) -> dict:
    return {"year": m.starts_on.year, "month": m.starts_on.month, "month_en": calendar.month_name[m.starts_on.month]}


def _ranking_table(r: Rankings, lang: str) -> Table:
    header = [t("ranking.col.rank", lang), t(f"ranking.col.{r.by}", lang)] + \
        [t(f"ranking.col.{c}", lang) for c in FIGURE_COLUMNS]
    rows = [[row.rank, row.name_en if lang == "en" else row.name, *figure_cells(row)] for row in r.rows]
    rows.append([t("ranking.col.total", lang), "", *figure_cells(r.totals)])
    return Table(r.by, t(f"ranking.table_{r.by}", lang, **_month_words(r.month, lang)), header, rows)


def ranking_table(uow: UnitOfWork, month: str, by: str, lang: str, *, township_code: str | None = None) -> Table:
    """The month's ranking by ``by`` (sector, township, department) as the bulletin's tables show it."""
    return _ranking_table(monthly_rankings(uow, month, by, township_code=township_code), lang)


def _status(d: MajorOverdue, lang: str) -> str:
    if d.status == DANGER_CLOSED and d.closed_on is not None:
        return t("ranking.status_closed_on", lang, day=d.closed_on.isoformat())
    return term(d.status, lang)


def _major_section(m: Month, count: int, listed: list[MajorOverdue], towns: dict, lang: str) -> Section:
    title = t("ranking.section_major", lang)
    if not count:
        return Section("major", title, [t("ranking.major_none", lang, as_of=m.as_of.isoformat())])
    header = [t(f"ranking.col.{c}", lang) for c in ("code", "enterprise", "township", "sector", "found_on",
                                                     "deadline", "days_overdue", "leader", "status")]
    rows = [[d.code, d.enterprise, towns.get(d.township_code, d.township_code), term(d.sector, lang),
             d.found_on.isoformat(), d.deadline.isoformat(), d.days_overdue, d.supervising_leader or "",
             _status(d, lang)] for d in listed]
    note = t("ranking.major_more", lang, more=count - len(listed)) if count > len(listed) else ""
    table = Table("major", t("ranking.table_major", lang, as_of=m.as_of.isoformat()), header, rows, note)
    return Section("major", title, [t("ranking.major_count", lang, as_of=m.as_of.isoformat(), count=count)],
                   [table])


def _summary(r: Rankings, major_count: int, scope_words: dict, lang: str) -> str:
    f, share = r.totals, percent(r.totals.in_time_share)
    return t("ranking.summary", lang, **_month_words(r.month, lang), **scope_words, inspections=f.inspections,
             found=f.dangers_found, closed=f.dangers_closed, in_time=f.closed_in_time,
             share=t("ranking.share_none", lang) if share is None else f"{share:.1f}%",
             as_of=r.month.as_of.isoformat(), overdue=f.overdue, major_overdue=major_count, penalties=f.penalties,
             yuan=f"{f.penalty_yuan:.2f}")


def _scope_words(scope: str | None, towns: dict, towns_en: dict) -> dict:
    if scope is None:
        return {"scope": t("ranking.scope_region", "zh"), "scope_en": t("ranking.scope_region", "en")}
    return {"scope": towns[scope], "scope_en": towns_en[scope]}


def bulletin(uow: UnitOfWork, month: str, lang: str = "zh", *, township_code: str | None = None) -> Report:
    """The bulletin of ``month`` (2026-07) in ``lang``, for the whole county or one township."""
    if lang not in LANGUAGES:
        raise FieldError.of("lang", "supervision.one_of", values=t("list.separator").join(LANGUAGES),
                            values_en=", ".join(LANGUAGES))
    by_sector = monthly_rankings(uow, month, "sector", township_code=township_code)
    by_township = monthly_rankings(uow, month, "township", township_code=township_code)
    m, scope = by_sector.month, by_sector.township_code
    names = uow.session.execute(select(Township.code, Township.name, Township.name_en)).all()
    towns, towns_en = {c: n for c, n, _ in names}, {c: e for c, _, e in names}
    words = _scope_words(scope, towns, towns_en)
    major_count, listed = major_overdue(uow, m.key, township_code=scope, limit=MAJOR_LISTED)
    major = _major_section(m, major_count, listed, towns_en if lang == "en" else towns, lang)
    region = uow.settings.region.name_en if lang == "en" else uow.settings.region.name_zh
    title = t("ranking.bulletin_title", lang, region=region, **_month_words(m, lang))
    lines = [t("ranking.line_scope", lang, **words),
             t("ranking.line_period", lang, starts=m.starts_on.isoformat(), ends=m.ends_on.isoformat(),
               as_of=m.as_of.isoformat()),
             t("ranking.line_made", lang, time=format_local(now_utc(), uow.settings))]
    sections = [Section("summary", t("ranking.section_summary", lang), [_summary(by_sector, major_count, words, lang)]),
                Section("sector", t("ranking.section_sector", lang), [t("ranking.rule", lang)],
                        [_ranking_table(by_sector, lang)]),
                Section("township", t("ranking.section_township", lang), [], [_ranking_table(by_township, lang)]),
                major]
    return Report(title, lines, by_sector.sample, lang, sections)


def bulletin_docx(report: Report) -> bytes:
    return report_docx(report)


def bulletin_xlsx(report: Report) -> bytes:
    return report_xlsx(report)
