"""The report's tables as an Excel workbook (.xlsx, openpyxl): a summary sheet (title, period, scope, the list of
tables), then one sheet per table — its title in A1, the header in row 2, the rows below, numbers as numbers.
"""
from __future__ import annotations

import io

import openpyxl
from openpyxl.styles import Font

from services.analysis.report import Report
from services.data.spreadsheet import append_row, sheet_title, write_text
from services.text import t

HEADER_ROW = 2  # where each table sheet's header is (its title is in row 1)


def _column_widths(sheet, header: list[str]) -> None:
    for n, text in enumerate(header, 1):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(n)].width = max(10, min(40, 2 * len(text) + 2))


def report_xlsx(report: Report) -> bytes:
    """The report's tables as .xlsx bytes (figures and sentences are the Word document's)."""
    lang = report.lang
    book = openpyxl.Workbook()
    summary = book.active
    summary.title = sheet_title(t("report.sheet_summary", lang))
    write_text(summary, 1, 1, report.title).font = Font(bold=True, size=14)
    for n, line in enumerate(report.lines, 2):
        write_text(summary, n, 1, line)
    row = len(report.lines) + 2
    if report.sample:
        write_text(summary, row, 1, t("export.sample_note", lang)).font = Font(color="D62828")
        row += 1
    write_text(summary, row + 1, 1, t("report.sheet_contents", lang)).font = Font(bold=True)
    used = {summary.title}
    for number, table in enumerate(report.tables(), 1):
        name = sheet_title(f"{number} {table.title}")
        while name in used:  # two titles alike in their first 31 characters
            name = sheet_title(f"{number} {table.key}")
        used.add(name)
        write_text(summary, row + 1 + number, 1, name)
        write_text(summary, row + 1 + number, 2, table.title)
        sheet = book.create_sheet(name)
        write_text(sheet, 1, 1, table.title).font = Font(bold=True)
        append_row(sheet, table.header)
        for cell in sheet[HEADER_ROW]:
            cell.font = Font(bold=True)
        for values in table.rows:
            append_row(sheet, values)
        if table.note:
            append_row(sheet, [])
            append_row(sheet, [table.note])
        sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=2)
        _column_widths(sheet, table.header)
    summary.column_dimensions["A"].width = 40
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
