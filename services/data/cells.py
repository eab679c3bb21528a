"""Parsing and checking one cell of an import file; every problem becomes a RowError naming row and column.

Messages exist in Chinese and English; the row number is the one a spreadsheet shows (header = 1).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from services.data.specs import Column

_MESSAGES: dict[str, tuple[str, str]] = {
    "required": ("不能为空", "is required"),
    "not_number": ("“{value}” 不是数字", "'{value}' is not a number"),
    "not_integer": ("“{value}” 不是整数", "'{value}' is not a whole number"),
    "range": ("{value} 超出范围（{minimum}～{maximum}）", "{value} is out of range ({minimum} to {maximum})"),
    "too_long": ("长度超过 {max_length} 个字符", "is longer than {max_length} characters"),
    "choice": ("“{value}” 不是允许的值（可选：{choices}）", "'{value}' is not allowed (one of: {choices})"),
    "bool": ("“{value}” 应为 是 或 否", "'{value}' must be 是 or 否 (yes/no)"),
    "date": ("“{value}” 不是日期（应为 YYYY-MM-DD）", "'{value}' is not a date (YYYY-MM-DD)"),
    "phone": ("“{value}” 不是电话号码", "'{value}' is not a phone number"),
    "credit_format": ("“{value}” 不是18位统一社会信用代码", "'{value}' is not an 18-character credit code"),
    "credit_check": ("“{value}” 校验位错误（应为 {expected}）",
                     "'{value}' has a wrong check character (expected {expected})"),
    "township": ("“{value}” 不是本区的乡镇街道", "'{value}' is not a township of this district"),
    "outside": ("点位 ({lon}, {lat}) 不在{region}范围内", "point ({lon}, {lat}) lies outside {region}"),
    "duplicate": ("“{value}” 与第{other}行重复", "'{value}' repeats row {other}"),
    "category": ("类别“{value}”不属于行业“{sector}”", "category '{value}' does not belong to sector '{sector}'"),
    "unknown_ref": ("“{value}” 在{what}中不存在", "'{value}' does not exist among {what_en}"),
    "missing_column": ("缺少列“{value}”", "column '{value}' is missing"),
    "empty_file": ("文件中没有数据行", "the file has no data rows"),
    "unreadable": ("无法读取文件：{value}", "cannot read the file: {value}"),
    "crs": ("未知坐标系“{value}”（可选：WGS84、GCJ02、BD09）", "unknown coordinate system '{value}'"),
}


@dataclass(frozen=True)
class RowError:
    """One problem in an import file: spreadsheet row, column header and reason."""

    row: int
    column: str
    reason: str
    reason_en: str

    def __str__(self) -> str:
        return f"第{self.row}行 {self.column}: {self.reason}"

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "reason": self.reason, "reason_en": self.reason_en,
                "message": str(self)}


def row_error(row: int, column: str, code: str, **params) -> RowError:
    zh, en = _MESSAGES[code]
    return RowError(row, column, zh.format(**params), en.format(**params))


class CellError(ValueError):
    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


_CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_PHONE = re.compile(r"^\+?[0-9][0-9\- ]{5,18}[0-9]$")
_TRUE = {"是", "有", "y", "yes", "true", "1", "√"}
_FALSE = {"否", "无", "n", "no", "false", "0", "×"}


def credit_check_char(first17: str) -> str:
    """The 18th character of a 统一社会信用代码 (GB 32100-2015)."""
    total = sum(_CREDIT_CHARS.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS))
    return _CREDIT_CHARS[(31 - total % 31) % 31]


def _number(text: str, integer: bool, column: Column):
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        raise CellError("not_integer" if integer else "not_number", value=text) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise CellError("not_number", value=text)
    if integer:
        if value != int(value):
            raise CellError("not_integer", value=text)
        value = int(value)
    if (column.minimum is not None and value < column.minimum) or (
            column.maximum is not None and value > column.maximum):
        raise CellError("range", value=text, minimum=_fmt(column.minimum), maximum=_fmt(column.maximum))
    return value


def _fmt(v) -> str:
    if v is None:
        return "∞"
    return str(int(v)) if float(v).is_integer() else str(v)


def parse_cell(column: Column, raw) -> object:
    """The typed value of one cell, or None for an empty optional cell; raises CellError."""
    if isinstance(raw, (dt.datetime, dt.date)) and column.kind == "date":
        return raw.date() if isinstance(raw, dt.datetime) else raw
    text = "" if raw is None else (_plain_number(raw) if isinstance(raw, float) else str(raw)).strip()
    if text == "":
        if column.required:
            raise CellError("required")
        return None
    kind = column.kind
    if kind in ("int", "float", "lon", "lat"):
        return _number(text, kind == "int", column)
    if kind == "bool":
        key = text.lower()
        if key in _TRUE:
            return True
        if key in _FALSE:
            return False
        raise CellError("bool", value=text)
    if kind == "choice":
        if text not in column.choices:
            raise CellError("choice", value=text, choices="、".join(column.choices))
        return text
    if kind == "date":
        try:
            return dt.date.fromisoformat(text[:10].replace("/", "-"))
        except ValueError:
            raise CellError("date", value=text) from None
    if kind == "phone":
        if not _PHONE.match(text):
            raise CellError("phone", value=text)
        return text
    if kind == "credit_code":
        code = text.upper()
        if len(code) != 18 or any(c not in _CREDIT_CHARS for c in code):
            raise CellError("credit_format", value=text)
        expected = credit_check_char(code[:17])
        if code[17] != expected:
            raise CellError("credit_check", value=text, expected=expected)
        return code
    if len(text) > column.max_length:
        raise CellError("too_long", max_length=column.max_length)
    return text


def _plain_number(value: float) -> str:
    return str(int(value)) if value.is_integer() else repr(value)
