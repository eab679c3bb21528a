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
    "duplicate_header": ("列名“{value}”出现两次（{first_letter}列和{second_letter}列，即第{first}列和第{second}列），"
                         "无法确定使用哪一列",
                         "column '{value}' appears twice (columns {first_letter} and {second_letter}, positions "
                         "{first} and {second}): which one holds the data is unclear"),
    "control_char": ("含有不可见的控制字符 {char}（第{position}个字符），请删除后重新导入",
                     "contains the invisible control character {char} (character {position}): remove it"),
    "empty_file": ("文件中没有数据行", "the file has no data rows"),
    "too_large": ("文件大小 {size_mb} MB，超过 {max_mb} MB 的上限，请拆分后分批导入",
                  "the file is {size_mb} MB, over the {max_mb} MB limit: split it and import the parts"),
    "unpacked_too_large": ("工作簿解压后有 {size_mb} MB，超过 {max_mb} MB 的上限，请拆分后分批导入",
                           "the workbook unpacks to {size_mb} MB, over the {max_mb} MB limit: split it and "
                           "import the parts"),
    "compression_ratio": ("工作簿部件“{part}”的压缩比异常（{ratio}:1），文件已损坏或被恶意构造，未导入",
                          "workbook part '{part}' is compressed {ratio}:1, which no real sheet is: refused as "
                          "damaged or hostile"),
    "too_many_rows": ("数据超过 {max_rows} 行的上限，请拆分后分批导入",
                      "more than {max_rows} data rows: split the file and import the parts"),
    "not_xlsx": ("文件不是有效的 Excel 工作簿（.xlsx），或已损坏；请用 Excel 或 WPS 打开后另存为 .xlsx 再导入",
                 "the file is not a valid Excel workbook (.xlsx), or it is damaged: open it in Excel or WPS and "
                 "save it as .xlsx"),
    "encrypted": ("工作簿设有打开密码（已加密），无法读取；请在 Excel 或 WPS 中取消密码后另存为 .xlsx 再导入",
                  "the workbook is password-protected (encrypted): remove the password in Excel or WPS and save "
                  "it as .xlsx"),
    "old_excel": ("这是旧版 Excel（.xls）或 WPS 表格（.et）文件，无法直接读取；请另存为 .xlsx 后再导入",
                  "this is an old Excel (.xls) or WPS (.et) file: save it as .xlsx and import that"),
    "no_sheet": ("工作簿中没有工作表", "the workbook has no worksheet"),
    "binary": ("文件不是文本格式的 CSV（含二进制内容）；请上传 .xlsx，或 UTF-8 编码的 CSV",
               "the file is not a text CSV (it holds binary data): upload an .xlsx or a UTF-8 CSV"),
    "encoding": ("无法识别文件的文字编码；请将 CSV 保存为 UTF-8 或 GBK 编码",
                 "the text encoding is not recognised: save the CSV as UTF-8 or GBK"),
    "bad_csv": ("CSV 格式有误（第{line}行附近，如引号不成对或单元格过长）；请用 Excel 或 WPS 打开后重新保存",
                "the CSV is malformed near line {line} (unbalanced quotes or an over-long cell): open it in "
                "Excel or WPS and save it again"),
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


# A number as people type it: plain ("1500", "-3.5", "1e3") or with thousands separators in groups of three
# ("1,500", "12,345.6"). float() alone would take "1_000"; stripping every comma would make "1,5" fifteen.
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_GROUPED_NUMBER = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")
# C0 control characters other than tab, line feed and carriage return: invisible, refused by PostgreSQL (NUL)
# and by XML (so by every .xlsx the app writes back).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _number(text: str, integer: bool, column: Column):
    if _GROUPED_NUMBER.fullmatch(text):
        text_digits = text.replace(",", "")
    elif _PLAIN_NUMBER.fullmatch(text):
        text_digits = text
    else:
        raise CellError("not_integer" if integer else "not_number", value=text)
    # Excel keeps 15 significant digits and openpyxl writes 16, so a value is kept as Excel would keep it:
    # then an exported file reads back to the very same number.
    value = float(f"{float(text_digits):.15g}")
    if value in (float("inf"), float("-inf")):
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
    control = _CONTROL.search(text)
    if control:
        raise CellError("control_char", char=f"U+{ord(control.group()):04X}", position=control.start() + 1)
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
