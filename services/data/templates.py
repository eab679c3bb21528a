"""Downloadable Excel import templates: the header row, and a sheet explaining every column (cells as text)."""
from __future__ import annotations

import io

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill

from services.data.specs import CRS_HEADER, CRS_HEADER_EN, Column, EntitySpec
from services.data.spreadsheet import append_row, write_text
from services.text import CATALOGUE, both, t


def describe(column: Column, lang: str = "zh") -> str:
    """What a column holds, in ``lang``: its kind, whether it must be filled, its choices and its range."""
    if column.kind == "decimal":
        kind = t("import.template.kind.decimal", lang, decimals=column.decimals)
    else:
        key = f"import.template.kind.{column.kind}"
        kind = t(key, lang) if key in CATALOGUE else column.kind
    parts = [kind, t("import.template.required" if column.required else "import.template.optional", lang)]
    if column.choices:
        parts.append(t("import.template.choices", lang, choices=t("list.separator").join(column.choices),
                       choices_en=t("list.separator", "en").join(column.choices)))
    if column.minimum is not None or column.maximum is not None:
        parts.append(t("import.template.range", lang, low=column.minimum if column.minimum is not None else "",
                       high=column.maximum if column.maximum is not None else ""))
    return t("import.template.separator", lang).join(parts)


def template_xlsx(spec: EntitySpec, lang: str = "zh") -> io.BytesIO:
    """An .xlsx with the import headers (first sheet) and a notes sheet (说明) describing every column in ``lang``;
    returned rewound. The headers are the file format, Chinese in either language."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = spec.title_zh
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for i, col in enumerate(spec.columns, start=1):
        cell = write_text(sheet, 1, i, col.header)
        cell.font, cell.fill = bold, fill
        cell.comment = Comment(describe(col, lang), "template")
        sheet.column_dimensions[cell.column_letter].width = max(12, len(col.header) * 2 + 4)
    notes = book.create_sheet(t("import.template.notes", lang))
    append_row(notes, [t("import.template.column", lang), "English", t("import.template.description", lang)])
    for col in spec.columns:
        append_row(notes, [col.header, col.header_en, describe(col, lang)])
    if spec.has_location:
        append_row(notes, [])
        append_row(notes, [CRS_HEADER, CRS_HEADER_EN, t("import.template.crs", lang)])
    append_row(notes, [*both("import.template.validation"), t("import.template.validation_note", lang)])
    for letter, width in (("A", 18), ("B", 24), ("C", 80)):
        notes.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer
