"""The report as a Word document (.docx, python-docx): title, period and scope, then each section's heading,
sentences, figures and tables, numbered; each table carries its title as its caption (alt text) too.
"""
from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from services.analysis.report import Figure, Report, Table
from services.text import t

# Word finds these on Chinese Windows and WPS; elsewhere it substitutes its own CJK font.
EAST_ASIAN_FONT, EAST_ASIAN_HEADING_FONT = "SimSun", "SimHei"
FIGURE_WIDTH = Cm(16)
SAMPLE_RED = RGBColor(0xD6, 0x28, 0x28)


def cell_text(value, lang: str) -> str:
    """A table value as the document shows it: whole numbers as they are, others with one decimal."""
    if value is None:
        return t("report.none", lang)
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def _east_asian(style, font: str) -> None:
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), font)


def _set_styles(doc) -> None:
    normal = doc.styles["Normal"]
    normal.font.size = Pt(10.5)
    _east_asian(normal, EAST_ASIAN_FONT)
    for name in ("Title", "Heading 1", "Heading 2", "Caption"):
        _east_asian(doc.styles[name], EAST_ASIAN_HEADING_FONT)


def _caption_of(table, title: str) -> None:
    """The table's title as its caption (w:tblCaption): read by screen readers, and by a program finding it."""
    caption = OxmlElement("w:tblCaption")
    caption.set(qn("w:val"), title)
    table._tbl.tblPr.append(caption)


def _table(doc, table: Table, number: int, lang: str) -> None:
    doc.add_paragraph(t("report.table_caption", lang, n=number, title=table.title), style="Caption")
    grid = doc.add_table(rows=1, cols=len(table.header))
    grid.style = "Table Grid"
    _caption_of(grid, table.title)
    for cell, text in zip(grid.rows[0].cells, table.header):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for row in table.rows:
        cells = grid.add_row().cells
        for n, (cell, value) in enumerate(zip(cells, row)):
            cell.text = cell_text(value, lang)
            if n and not isinstance(value, str):
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if table.note:
        doc.add_paragraph(table.note).runs[0].italic = True


def _figure(doc, figure: Figure, number: int, lang: str) -> None:
    if not figure.png:  # a map that was not drawn (report.draw_maps was not called): say so, do not fail
        doc.add_paragraph(t("report.figure_missing", lang, caption=figure.caption))
        return
    doc.add_picture(io.BytesIO(figure.png), width=FIGURE_WIDTH)
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption = doc.add_paragraph(t("report.figure_caption", lang, n=number, caption=figure.caption), style="Caption")
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER


def report_docx(report: Report) -> bytes:
    """The report as .docx bytes."""
    doc, lang = Document(), report.lang
    _set_styles(doc)
    doc.core_properties.title = report.title
    doc.add_heading(report.title, level=0)
    for line in report.lines:
        doc.add_paragraph(line)
    if report.sample:
        doc.add_paragraph().add_run(t("export.sample_note", lang)).font.color.rgb = SAMPLE_RED
    tables = figures = 0
    for number, section in enumerate(report.sections, 1):
        doc.add_heading(t("report.section_heading", lang, n=number, title=section.title), level=1)
        for text in section.paragraphs:
            doc.add_paragraph(text)
        for figure in section.figures:
            figures += 1
            _figure(doc, figure, figures, lang)
        for table in section.tables:
            tables += 1
            _table(doc, table, tables, lang)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
