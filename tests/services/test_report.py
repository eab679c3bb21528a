"""The planners' report on both back-ends: the .docx opens with python-docx and the .xlsx with openpyxl, and
their tables hold the numbers the trends give for the same period (tests/services/trend_world.py)."""
from __future__ import annotations

import io

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn

from services.analysis import report as report_module
from services.analysis.period import quarter_period
from services.analysis.report import (
    Section,
    Table,
    build_report,
    draw_maps,
    register_section,
    report_filter,
)
from services.analysis.report_docx import report_docx
from services.analysis.report_xlsx import HEADER_ROW, report_xlsx
from services.analysis.trends import trends
from services.db.uow import unit_of_work
from services.errors import Forbidden
from services.text import t, term
from tests.conftest import prepared, BACKENDS, _cleanup, principal_for
from tests.services.trend_world import QUARTER, build_world


@pytest.fixture(scope="module", params=BACKENDS)
def world(request, tmp_path_factory):
    settings = prepared(request.param, tmp_path_factory.mktemp(f"report-{request.param}"), tmp_path_factory,
                        with_sample=False)
    build_world(settings)
    yield settings
    _cleanup(settings)


def made(settings, variant="general", lang="zh"):
    """The report (maps not drawn) and the trends of the same filter, from one unit of work."""
    with unit_of_work(settings) as uow:
        flt = report_filter(uow, quarter_period(settings, QUARTER), (), variant, lang)
        return build_report(uow, flt), trends(uow, flt)


def docx_tables(content: bytes) -> dict[str, list[list[str]]]:
    """Each table of the document by its caption (w:tblCaption), as rows of cell texts (header first)."""
    tables = {}
    for table in docx.Document(io.BytesIO(content)).tables:
        caption = table._tbl.tblPr.find(qn("w:tblCaption")).get(qn("w:val"))
        tables[caption] = [[cell.text for cell in row.cells] for row in table.rows]
    return tables


def xlsx_tables(content: bytes) -> dict[str, list[list]]:
    """Each table sheet of the workbook by its title (A1), as rows of values (header first)."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    return {sheet["A1"].value: [list(r) for r in sheet.iter_rows(min_row=HEADER_ROW, values_only=True)]
            for sheet in book.worksheets[1:]}


def shown(value) -> str:
    return "—" if value is None else f"{value:.1f}" if isinstance(value, float) else str(value)


def percent(share):
    return None if share is None else round(share * 100, 1)


def expected_rows(figures, lang="zh") -> dict[str, dict[str, list]]:
    """What each trends table must say, row label → values, computed here from the trends (not the report)."""
    incidents, warned, sent = figures.incidents, figures.warnings, figures.dispatch
    months = {m: [incidents.count(month=m, category=c.key) for c in incidents.by_category] + [incidents.count(month=m)]
              for m in incidents.months}
    levels = {term(f.level, lang): [f.warnings, f.recipients, f.acknowledged, f.in_time, f.pending,
                                    percent(f.in_time_share), f.median_ack_min, f.escalations] for f in warned.by_level}
    kinds = {term(f.team_kind, lang): [f.orders, f.arrived, f.median_arrival_min, f.mean_arrival_min,
                                       f.max_arrival_min] for f in sent.by_team_kind}
    days = {d.day: [d.moves, d.people, d.housed] for d in figures.moves.by_day if d.moves}
    return {t("report.table.incidents_by_month", lang): months, t("report.table.warnings_by_level", lang): levels,
            t("report.table.arrivals_by_team_kind", lang): kinds, t("report.table.moves_by_day", lang): days}


def test_the_word_tables_hold_the_numbers_of_the_trends(world):
    report, figures = made(world)
    assert report.title == f"{world.region.name_zh}2025年第三季度风险研判报告"
    assert [s.key for s in report.sections] == ["map", "distribution", "risk_index", "coverage", "trends"]
    tables = docx_tables(report_docx(report))
    assert len(tables) == 15  # distribution 3, risk index 2, coverage 4, trends 6
    for title, rows in expected_rows(figures).items():
        found = {row[0]: row[1:] for row in tables[title][1:]}
        for label, values in rows.items():
            assert found[label] == [shown(v) for v in values], (title, label)
    total = tables[t("report.table.warnings_by_level")][-1]
    assert total[:4] == ["合计", "6", "10", "7"] and total[6:8] == ["50.0", "14.5"]
    assert tables[t("report.table.incidents_by_month")][-1] == ["合计", "3", "2", "0", "0", "5"]


def test_the_workbook_holds_the_same_numbers_as_numbers(world):
    report, figures = made(world)
    tables = xlsx_tables(report_xlsx(report))
    assert set(tables) == {table.title for table in report.tables()}
    for title, rows in expected_rows(figures).items():
        found = {row[0]: row[1:] for row in tables[title][1:]}
        for label, values in rows.items():
            assert found[label][:len(values)] == values, (title, label)
    header = tables[t("report.table.arrivals_by_team_kind")][0]
    assert header[0] == "队伍类型"


def test_the_fire_variant_in_english(world):
    report, figures = made(world, "fire", "en")
    assert report.title.endswith("fire situation analysis, Q3 2025")
    assert [s.key for s in report.sections] == ["map", "fire_sites", "distribution", "risk_index", "coverage",
                                                "trends"]
    tables = docx_tables(report_docx(report))
    hazards = tables[t("report.table.fire_hazards", "en")]
    assert hazards[0][0] == "Warning level" and hazards[-1][:3] == ["Total", "1", "9"]
    assert tables[t("report.table.incidents_by_kind", "en")][-1] == ["Total", str(figures.incidents.total)]
    assert figures.incidents.total == 2
    for title, rows in expected_rows(figures, "en").items():
        found = {row[0]: row[1:] for row in tables[title][1:]}
        for label, values in rows.items():
            assert found[label] == [shown(v) for v in values], (title, label)


def test_the_map_and_charts_are_pictures_in_the_document(world):
    report, _ = made(world)
    undrawn = docx.Document(io.BytesIO(report_docx(report)))
    drawn = docx.Document(io.BytesIO(report_docx(draw_maps(report, world.export_render_limit_s))))
    charts = sum(len(s.figures) for s in report.sections) - 1
    assert charts == 4 and len(undrawn.inline_shapes) == charts and len(drawn.inline_shapes) == charts + 1
    pictures = [p for p in drawn.part.package.parts if p.content_type == "image/png"]
    assert all(p.blob.startswith(b"\x89PNG") for p in pictures) and max(len(p.blob) for p in pictures) > 100_000


def test_a_section_added_to_the_registry_takes_its_place(world, monkeypatch):
    monkeypatch.setattr(report_module, "SECTIONS", list(report_module.SECTIONS))

    def extra(uow, flt):
        return Section("extra", "附加", ["一句话"], [Table("extra", "附加表", ["名称", "数量"], [["甲", 3]])])
    register_section("extra", extra, before="trends")
    report, _ = made(world)
    assert [s.key for s in report.sections] == ["map", "distribution", "risk_index", "coverage", "extra", "trends"]
    assert docx_tables(report_docx(report))["附加表"] == [["名称", "数量"], ["甲", "3"]]


def test_only_planners_commanders_and_admins_make_reports(world):
    with unit_of_work(world, principal=principal_for(world, "viewer")) as uow:
        flt = report_filter(uow, quarter_period(world, QUARTER))
        with pytest.raises(Forbidden):
            build_report(uow, flt)
    with unit_of_work(world, principal=principal_for(world, "planner")) as uow:
        assert build_report(uow, report_filter(uow, quarter_period(world, QUARTER))).sections
