"""Downloadable Excel import templates: the header row, and a sheet explaining every column (cells as text)."""
from __future__ import annotations

import io

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill

from services.data.specs import Column, EntitySpec
from services.data.spreadsheet import append_row, write_text

_KIND_ZH = {
    "text": "文本", "int": "整数", "float": "数字", "date": "日期 YYYY-MM-DD", "bool": "是/否", "choice": "选项",
    "lon": "经度（度）", "lat": "纬度（度）", "credit_code": "18位统一社会信用代码", "phone": "电话",
    "township": "乡镇街道名称或9位代码（可空：按坐标自动判定）",
}


def describe(column: Column) -> str:
    kind = f"数字（最多 {column.decimals} 位小数）" if column.kind == "decimal" else _KIND_ZH.get(column.kind, column.kind)
    parts = [kind, "必填" if column.required else "选填"]
    if column.choices:
        parts.append("可选值：" + "、".join(column.choices))
    if column.minimum is not None or column.maximum is not None:
        parts.append(f"范围：{column.minimum if column.minimum is not None else ''}～"
                     f"{column.maximum if column.maximum is not None else ''}")
    return "；".join(parts)


def template_xlsx(spec: EntitySpec) -> io.BytesIO:
    """An .xlsx with the import headers (first sheet) and a 说明 sheet; returned rewound."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = spec.title_zh
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for i, col in enumerate(spec.columns, start=1):
        cell = write_text(sheet, 1, i, col.header)
        cell.font, cell.fill = bold, fill
        cell.comment = Comment(describe(col), "template")
        sheet.column_dimensions[cell.column_letter].width = max(12, len(col.header) * 2 + 4)
    notes = book.create_sheet("说明")
    append_row(notes, ["列名", "English", "说明"])
    for col in spec.columns:
        append_row(notes, [col.header, col.header_en, describe(col)])
    if spec.has_location:
        append_row(notes, [])
        append_row(notes, ["坐标系", "CRS", "导入时声明：WGS84（含 CGCS2000）、GCJ02（高德/腾讯）或 BD09（百度）"])
    append_row(notes, ["整体校验", "Validation", "任一行有误则整份文件不导入，并列出行号、列名和原因"])
    for letter, width in (("A", 18), ("B", 24), ("C", 80)):
        notes.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer
