"""Parsing and checking one cell of an import file; every problem becomes a RowError naming row and column.

Messages exist in Chinese and English; the row number is the one a spreadsheet shows (header = 1).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from services.data.specs import FALSE_CELLS, TRUE_CELLS, Column
from services.text import both, t



@dataclass(frozen=True)
class RowError:
    """One problem in an import file: spreadsheet row, column header and reason."""

    row: int
    column: str
    reason: str
    reason_en: str
    code: str = ""

    def __str__(self) -> str:
        return t("import.row_message", row=self.row, column=self.column, reason=self.reason)

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "code": self.code, "reason": self.reason,
                "reason_en": self.reason_en,
                "message": str(self)}


def row_error(row: int, column: str, code: str, **params) -> RowError:
    """A problem of an import file from its code (``import.<code>`` in the catalogue) and parameters."""
    zh, en = both("import." + code, **params)
    return RowError(row, column, zh, en, code)


class CellError(ValueError):
    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


_CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_PHONE = re.compile(r"^\+?[0-9][0-9\- ]{5,18}[0-9]$")


def credit_check_char(first17: str) -> str:
    """The 18th character of a 统一社会信用代码 (GB 32100-2015)."""
    total = sum(_CREDIT_CHARS.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS))
    return _CREDIT_CHARS[(31 - total % 31) % 31]


# A number as people type it: plain ("1500", "-3.5", "1e3") or with thousands separators in groups of three
# ("1,500", "12,345.6"). float() alone would take "1_000"; stripping every comma would make "1,5" fifteen.
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_GROUPED_NUMBER = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")
# C0 control characters other than tab, line feed and carriage return: invisible, refused by PostgreSQL (NUL)
# and by XML (so by every .xlsx the app writes back).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _digits(text: str, integer: bool) -> str:
    """The number as Python reads it ("1,500" → "1500"); raises CellError for anything else ("1,5", "1_000")."""
    if _GROUPED_NUMBER.fullmatch(text):
        return text.replace(",", "")
    if _PLAIN_NUMBER.fullmatch(text):
        return text
    raise CellError("not_integer" if integer else "not_number", value=text)


def _in_range(value, text: str, column: Column) -> None:
    if (column.minimum is not None and value < column.minimum) or (
            column.maximum is not None and value > column.maximum):
        raise CellError("range", value=text, minimum=_fmt(column.minimum), maximum=_fmt(column.maximum))


def _decimal(text: str, column: Column) -> Decimal:
    """A counted quantity exactly as written (0.1 is one tenth), with at most ``column.decimals`` places."""
    value = Decimal(_digits(text, False))
    _in_range(value, text, column)  # before the places: 1e-999999 is a range problem only if below the minimum
    if value != 0 and value.normalize().as_tuple().exponent < -column.decimals:
        raise CellError("decimals", value=text, decimals=column.decimals)
    return value.quantize(Decimal(1).scaleb(-column.decimals)) + 0  # + 0: no "-0.000"


def _number(text: str, integer: bool, column: Column):
    text_digits = _digits(text, integer)
    # Excel keeps 15 significant digits and openpyxl writes 16, so a value is kept as Excel would keep it:
    # then an exported file reads back to the very same number.
    value = float(f"{float(text_digits):.15g}")
    if value in (float("inf"), float("-inf")):
        raise CellError("not_number", value=text)
    if integer:
        if value != int(value):
            raise CellError("not_integer", value=text)
        value = int(value)
    _in_range(value, text, column)
    return value


def _fmt(v) -> str:
    if v is None:
        return "∞"
    return str(int(v)) if float(v).is_integer() else str(v)


def parse_cell(column: Column, raw) -> object:
    """The typed value of one cell, or None for an empty optional cell; raises CellError."""
    if isinstance(raw, (dt.datetime, dt.date)) and column.kind == "date":
        return raw.date() if isinstance(raw, dt.datetime) else raw
    text = "" if raw is None else (_plain_number(raw, column) if isinstance(raw, float) else str(raw)).strip()
    if text == "":
        if column.required:
            raise CellError("required")
        return None
    control = _CONTROL.search(text)
    if control:
        raise CellError("control_char", char=f"U+{ord(control.group()):04X}", position=control.start() + 1)
    kind = column.kind
    if kind in ("int", "float", "lon", "lat"):
        return _number(text, kind == "int", column)
    if kind == "decimal":
        return _decimal(text, column)
    if kind == "bool":
        key = text.lower()
        if key in TRUE_CELLS:
            return True
        if key in FALSE_CELLS:
            return False
        raise CellError("bool", value=text)
    if kind == "choice":
        if text not in column.choices:
            raise CellError("choice", value=text, choices=t("list.separator").join(column.choices),
                            choices_en=t("list.separator", "en").join(column.choices))
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


def _plain_number(value: float, column: Column) -> str:
    if value.is_integer():
        return str(int(value))
    # A workbook's number cell is a double; as a quantity it is the decimal Excel shows (15 significant digits),
    # so 0.1 + 0.2 computed in a sheet (0.30000000000000004) reads as 0.3.
    return f"{value:.15g}" if column.kind == "decimal" else repr(value)
