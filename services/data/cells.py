"""Parsing and checking one cell of an import file; every problem becomes a RowError naming row and column.

Messages exist in Chinese and English; the row number is the one a spreadsheet shows (header = 1).
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from services.data.specs import (
    CELL_UNITS,
    DATE_MARKS,
    DMS_MARKS,
    FALSE_CELLS,
    HEMISPHERES,
    TRUE_CELLS,
    WEST_OR_SOUTH,
    Column,
)
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


_WITH_UNIT = re.compile(r"(?P<number>[+-]?[\d.,]+(?:[eE][+-]?\d+)?)\s*(?P<unit>[^\d\s.,+-][^\d]*)")
_HEADER_UNIT = re.compile(r"[(\uff08]([^()\uff08\uff09]+)[)\uff09]\s*$")  # half- or full-width brackets


def column_unit(column: Column) -> str | None:
    """The unit a column's header names at its end (``威胁财产(万元)`` → 万元), if it is one of ``CELL_UNITS``."""
    found = _HEADER_UNIT.search(column.header)
    return found.group(1).strip() if found and found.group(1).strip() in CELL_UNITS else None


def _without_unit(text: str, integer: bool, column: Column) -> str:
    """A number written with its unit (``11人``, ``3.5万元``) as a number in the column's unit (a 万元 column takes
    ``35000元`` as 3.5); a unit of another dimension than the column's, or an unknown one, is refused."""
    found = _WITH_UNIT.fullmatch(text)
    if not found:
        raise CellError("not_integer" if integer else "not_number", value=text)
    unit = found.group("unit").strip()
    if unit not in CELL_UNITS:  # not a unit at all ("108.9x"): a number typed wrong
        raise CellError("not_integer" if integer else "not_number", value=text)
    dimension, factor = CELL_UNITS[unit]
    expected = column_unit(column)
    if expected is None:  # a header without a unit: only counts (人, 户, 个 …) read as the plain number
        if dimension != "count":
            raise CellError("unit_unknown", value=text, unit=unit)
        return _digits(found.group("number"), integer)
    expected_dimension, expected_factor = CELL_UNITS[expected]
    if dimension != expected_dimension:
        raise CellError("unit_mismatch", value=text, unit=unit, expected=expected)
    number = float(_digits(found.group("number"), False)) * factor / expected_factor
    return repr(round(number, 9))


def _numeric_text(text: str) -> str:
    """Full-width digits, signs and points as ASCII (NFKC), thousands separators kept for ``_digits`` to check."""
    return unicodedata.normalize("NFKC", text).strip()  # the ideographic space becomes a space too


_HEMISPHERE_WORDS = "|".join(map(re.escape, HEMISPHERES))
_HEMISPHERE = re.compile(rf"^({_HEMISPHERE_WORDS})\s*|\s*({_HEMISPHERE_WORDS})$")
_DMS_MARK = re.compile(rf"[{re.escape(DMS_MARKS)}]|\d\s*[dms]\b|\d:\d")
_DMS_REST = re.compile(rf"[{re.escape(DMS_MARKS)}dms:\s]")


def _degrees(text: str) -> str | None:
    """Degrees-minutes-seconds as decimal degrees (``108°46′14.5″``, ``108°46'14.5"``, ``108度46分14.5秒``,
    ``E108d46m14.5s``, ``108:46:14.5``; a hemisphere letter or 东经/北纬 at either end); None if it is not one."""
    if not _DMS_MARK.search(text):
        return None
    sign, body = 1, text.strip()
    for mark in _HEMISPHERE.findall(body):
        if any(m in WEST_OR_SOUTH for m in mark if m):
            sign = -1
    body = _HEMISPHERE.sub("", body)
    parts = re.findall(r"\d+(?:\.\d+)?", body)
    rest = re.sub(r"\d+(?:\.\d+)?", "", body)
    if not 1 <= len(parts) <= 3 or _DMS_REST.sub("", rest):
        raise CellError("dms", value=text)
    degrees, minutes, seconds = (float(p) for p in (parts + ["0", "0"])[:3])
    if minutes >= 60 or seconds >= 60 or (len(parts) > 1 and not degrees.is_integer()):
        raise CellError("dms", value=text)
    return repr(round(sign * (degrees + minutes / 60 + seconds / 3600), 9))


_YEAR, _MONTH, _DAY = DATE_MARKS
_DATE = re.compile(rf"(\d{{4}})\s*[-/.{_YEAR}]\s*(\d{{1,2}})\s*[-/.{_MONTH}]\s*(\d{{1,2}})\s*{_DAY}?(?:[ T].*)?")
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # day 0 of Excel's 1900 date system (which counts a 29 February 1900)


def _date(text: str) -> dt.date:
    """2026-07-02, 2026/7/2, 2026.07.02, 2026年7月2日 (a time after it is ignored), or an Excel day serial."""
    found = _DATE.fullmatch(text)
    try:
        if found:
            return dt.date(*(int(g) for g in found.groups()))
        if re.fullmatch(r"\d{5}(\.0+)?", text) and 20000 <= float(text) <= 80000:  # 1954-10-03 … 2119-01-08
            return _EXCEL_EPOCH + dt.timedelta(days=int(float(text)))
    except ValueError:
        pass
    raise CellError("date", value=text)


def _phone(text: str) -> str:
    """A phone number as offices type it, in one form: full-width digits, spaces, dots, dashes and parentheses
    dropped; a landline keeps one dash after its area code (010 and 02x: three digits, others four)."""
    digits = re.sub(r"[\s().\-]", "", text)
    if not re.fullmatch(r"\+?\d{6,20}", digits):
        raise CellError("phone", value=text)
    if digits.startswith("0") and 10 <= len(digits) <= 12:
        area = 3 if digits.startswith(("010", "02")) else 4
        return f"{digits[:area]}-{digits[area:]}"
    return digits


def phone_number(text: str) -> str:
    """A phone number typed anywhere (a form as well as a cell) in the importer's one form (``_phone``, full-width
    digits read as ASCII); CellError("phone") when it is not one."""
    return _phone(_numeric_text(text))


def _in_range(value, text: str, column: Column) -> None:
    if (column.minimum is not None and value < column.minimum) or (
            column.maximum is not None and value > column.maximum):
        raise CellError("range", value=text, minimum=_fmt(column.minimum), maximum=_fmt(column.maximum))


def _decimal(text: str, column: Column) -> Decimal:
    """A counted quantity exactly as written (0.1 is one tenth), with at most ``column.decimals`` places."""
    try:
        written = _digits(text, False)
    except CellError:
        written = _without_unit(text, False, column)
    value = Decimal(written)
    _in_range(value, text, column)  # before the places: 1e-999999 is a range problem only if below the minimum
    if value != 0 and value.normalize().as_tuple().exponent < -column.decimals:
        raise CellError("decimals", value=text, decimals=column.decimals)
    return value.quantize(Decimal(1).scaleb(-column.decimals)) + 0  # + 0: no "-0.000"


def _number(text: str, integer: bool, column: Column):
    try:
        text_digits = _digits(text, integer)
    except CellError:
        if column.kind in ("lon", "lat"):  # a coordinate has no unit, but it may be in degrees-minutes-seconds
            text_digits = _degrees(text)
            if text_digits is None:
                raise
        else:
            text_digits = _without_unit(text, integer, column)
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
    if kind in ("int", "float", "decimal", "lon", "lat", "date", "phone", "credit_code"):
        text = _numeric_text(text)
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
        return _date(text)
    if kind == "phone":
        return _phone(text)
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
