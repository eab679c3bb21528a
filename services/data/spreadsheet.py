"""Reading import files safely (size caps before parsing, each kind of unreadable file named) and writing
workbook cells from data as plain text, never as formulas.

A workbook is read sheet by sheet (the data sheet may follow an instruction sheet), merged ranges filled with their
value (a township merged over ten rows names each of them), .xls / WPS .et / .ods / .xlsb through calamine.

Every workbook the app writes from data (plans, dispatch sheets, templates, record exports) appends its rows
with ``append_row``: a name such as ``=HYPERLINK(...)`` or ``=cmd|' /C calc'!A0`` stays a string in Excel/WPS.
"""
from __future__ import annotations

import codecs
import csv
import io
import logging
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass

import openpyxl
import python_calamine
from openpyxl.utils.cell import range_boundaries
from openpyxl.xml.functions import iterparse
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.workbook.child import INVALID_TITLE_REGEX
from openpyxl.worksheet.worksheet import Worksheet

from config import ImportLimits
from services.data.headers import is_blank, is_note_row

_LOG = logging.getLogger(__name__)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"          # compound file: .xls, .et, encrypted .xlsx
_ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")  # MS-OFFCRYPTO: an encrypted OOXML package
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"7z\xbc\xaf", b"Rar!")
_OLD_FORMATS = (".xls", ".et", ".ett")
_CALAMINE_ZIP_PARTS = ("xl/workbook.bin", "content.xml")  # .xlsb, .ods: zip packages openpyxl does not read
_MERGE_TAG = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}mergeCell"
_RATIO_CHECK_BYTES = 1024 * 1024
# Title, note and instruction rows a sheet may hold besides its data before the row cap refuses it (the cap on
# data rows proper is checked once the header is found: services/data/imports.py).
LAYOUT_ROWS_ALLOWED = 50
# Characters a spreadsheet turns into a formula (OWASP "CSV injection"); such strings also get Excel's
# quote prefix, so editing the cell in Excel keeps it text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class UnreadableFile(Exception):
    """The file cannot be read as a table; ``code`` and ``params`` name a message of services.data.cells."""

    def __init__(self, code: str, row: int = 1, **params):
        super().__init__(code)
        self.code = code
        self.row = row
        self.params = params


@dataclass(frozen=True)
class Sheet:
    """One worksheet as read: its name and its rows, ``rows[i]`` being the sheet's row ``i + 1`` (a CSV file is
    one sheet, its records numbered as Excel shows them when it opens the file)."""

    name: str
    rows: tuple[list, ...]


def read_sheets(content: bytes, filename: str, limits: ImportLimits) -> list[Sheet]:
    """Every worksheet of a .csv, .xlsx, .xls, .et, .ods or .xlsb file, judged by its bytes more than its name.

    Raises UnreadableFile for a file over a cap, an encrypted or unreadable workbook, a damaged one, binary data
    or undecodable text; nothing is parsed before the size caps are checked.
    """
    if len(content) > limits.max_upload_bytes:
        raise UnreadableFile("too_large", size_mb=_mb(len(content)), max_mb=_mb(limits.max_upload_bytes))
    name = filename.lower()
    if content.startswith(_ZIP_MAGIC):
        return _read_zip(content, limits)
    if content.startswith(_OLE_MAGIC):
        if _ENCRYPTION_STREAM in content:
            raise UnreadableFile("encrypted")
        return _read_calamine(content, limits)
    if name.endswith(_OLD_FORMATS):
        raise UnreadableFile("old_excel")
    if name.endswith((".xlsx", ".xlsm", ".ods", ".xlsb")):
        raise UnreadableFile("not_xlsx")
    return [Sheet(filename, tuple(_read_csv(content, limits)))]


def _read_zip(content: bytes, limits: ImportLimits) -> list[Sheet]:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            _check_zip(archive, limits)
            names = set(archive.namelist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError,
            RuntimeError):  # a damaged directory can claim a zip version or an encryption zipfile does not do
        raise UnreadableFile("not_xlsx") from None
    if names.intersection(_CALAMINE_ZIP_PARTS) and "xl/workbook.xml" not in names:
        return _read_calamine(content, limits)
    return _read_xlsx(content, limits)


def _mb(size_bytes: int) -> str:
    return f"{size_bytes / 1024 / 1024:.1f}"


def _check_zip(archive: zipfile.ZipFile, limits: ImportLimits) -> None:
    """Refuse an archive whose members unpack past the cap or at a ratio no real sheet has."""
    members = archive.infolist()
    if any(m.flag_bits & 0x1 for m in members):
        raise UnreadableFile("encrypted")
    unpacked = sum(m.file_size for m in members)
    if unpacked > limits.max_unpacked_bytes:
        raise UnreadableFile("unpacked_too_large", size_mb=_mb(unpacked), max_mb=_mb(limits.max_unpacked_bytes))
    for m in members:
        ratio = m.file_size / max(m.compress_size, 1)
        if m.file_size > _RATIO_CHECK_BYTES and ratio > limits.max_compression_ratio:
            raise UnreadableFile("compression_ratio", part=m.filename, ratio=round(ratio))


def _read_xlsx(content: bytes, limits: ImportLimits) -> list[Sheet]:
    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 — openpyxl fails in many ways on a damaged or foreign package
        _LOG.info("not a readable .xlsx", exc_info=True)
        raise UnreadableFile("not_xlsx") from None
    try:
        if not book.worksheets:
            raise UnreadableFile("no_sheet")
        sheets = []
        for sheet in book.worksheets:
            sheet.reset_dimensions()  # read-only mode trusts <dimension>, which writers often get wrong
            rows = _capped(sheet.iter_rows(values_only=True), limits)
            fill_merged(rows, _xlsx_merged_ranges(book, sheet))
            sheets.append(Sheet(sheet.title, tuple(rows)))
        return sheets
    except UnreadableFile:
        raise
    except Exception:  # noqa: BLE001 — a damaged sheet part (bad XML, bad CRC) is the user's file, not our fault
        _LOG.info("damaged .xlsx sheet", exc_info=True)
        raise UnreadableFile("not_xlsx") from None
    finally:
        book.close()


def _xlsx_merged_ranges(book, sheet) -> list[tuple[int, int, int, int]]:
    """The merged ranges of a read-only sheet (0-based first row, first column, last row, last column): read-only
    mode does not keep them, so the sheet's part is streamed once more for its <mergeCell ref="A5:A14"/>."""
    ranges = []
    with book._archive.open(sheet._worksheet_path) as part:  # noqa: SLF001 — the part the sheet was read from
        for _event, element in iterparse(part):
            if element.tag == _MERGE_TAG and element.get("ref"):
                min_col, min_row, max_col, max_row = range_boundaries(element.get("ref"))
                ranges.append((min_row - 1, min_col - 1, max_row - 1, max_col - 1))
            element.clear()
    return ranges


def _read_calamine(content: bytes, limits: ImportLimits) -> list[Sheet]:
    """.xls, WPS .et (the same BIFF8 compound file), .ods and .xlsb; anything calamine cannot open is named as a
    workbook to save as .xlsx."""
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(content))
        sheets = []
        for name in book.sheet_names:
            sheet = book.get_sheet_by_name(name)
            rows = _capped(([None if c == "" else c for c in row] for row in sheet.to_python(skip_empty_area=False)),
                           limits)
            fill_merged(rows, [(r1, c1, r2, c2) for (r1, c1), (r2, c2) in (sheet.merged_cell_ranges or ())])
            sheets.append(Sheet(name, tuple(rows)))
    except UnreadableFile:
        raise
    except Exception:  # noqa: BLE001 — calamine raises its own errors and ValueError for foreign files
        _LOG.info("unreadable old-format workbook", exc_info=True)
        raise UnreadableFile("old_excel") from None
    if not sheets:
        raise UnreadableFile("no_sheet")
    return sheets


def fill_merged(rows: list[list], ranges: Iterable[tuple[int, int, int, int]]) -> None:
    """Give every cell of a merged range the value of its first cell, in place (0-based inclusive bounds).

    Below its first row a range fills only rows that hold data of their own (a note such as 填表人：… is none), so a
    township merged down past the last record adds no record; the fill never widens the sheet past its widest row (a range A1:XFD1048576 is no
    bomb).
    """
    if not rows:
        return
    width = max(len(r) for r in rows)
    budget = 2 * len(rows) * width  # real ranges never overlap: more writes than this is a crafted file
    own_data = [not is_blank(r) and not is_note_row(r) for r in rows]
    for r1, c1, r2, c2 in ranges:
        if r1 >= len(rows) or c1 >= len(rows[r1]) or rows[r1][c1] is None or str(rows[r1][c1]).strip() == "":
            continue
        value, last_col = rows[r1][c1], min(c2, width - 1)
        for r in range(r1, min(r2, len(rows) - 1) + 1):
            if r > r1 and not own_data[r]:
                continue
            budget -= last_col + 1 - c1
            if budget < 0:
                raise UnreadableFile("merged_cells")
            row = rows[r]
            if len(row) <= last_col:
                row.extend([None] * (last_col + 1 - len(row)))
            for c in range(c1, last_col + 1):
                row[c] = value


def _capped(rows: Iterable, limits: ImportLimits) -> list[list]:
    """The rows as lists, refusing the file once more than ``max_data_rows`` non-blank data rows are seen."""
    out: list[list] = []
    filled = 0
    for row in rows:
        row = list(row)
        out.append(row)
        if any(c is not None and str(c).strip() != "" for c in row):
            filled += 1
            if filled > limits.max_data_rows + 1 + LAYOUT_ROWS_ALLOWED:  # + the header, titles and notes
                raise UnreadableFile("too_many_rows", row=len(out), max_rows=limits.max_data_rows)
    return out


def _read_csv(content: bytes, limits: ImportLimits) -> list[list]:
    if _looks_binary(content):
        raise UnreadableFile("binary")
    text = _decode(content)
    sample = text[:4096].split("\n", 1)[0]
    delimiter = "\t" if "\t" in sample and "," not in sample else ","  # Excel's "Unicode text" is tab-separated
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return _capped(reader, limits)
    except csv.Error:
        raise UnreadableFile("bad_csv", row=reader.line_num, line=reader.line_num) from None


def _looks_binary(content: bytes) -> bool:
    """Known binary formats, or many control bytes (a NUL or two in a text cell is a cell error, not this)."""
    if content.startswith(_BINARY_MAGIC):
        return True
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    sample = content[:8192]
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 13))
    return control > max(8, len(sample) // 50)


def _decode(content: bytes) -> str:
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile("encoding")


def _as_text(cell: Cell, value: str) -> Cell:
    # Characters XML 1.0 cannot hold would make openpyxl refuse the whole workbook; they show as �.
    cell.value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    cell.data_type = "s"  # openpyxl makes any "=…" a formula; text from data never is one
    if value.startswith(_FORMULA_START):
        cell.quotePrefix = True
    return cell


def text_cell(sheet: Worksheet, value) -> object:
    """``value`` ready for ``sheet.append``: a string becomes a string cell (never a formula); others pass."""
    return _as_text(Cell(sheet), value) if isinstance(value, str) else value


def append_row(sheet: Worksheet, values: Iterable) -> None:
    """Append one row of data: strings stay text, numbers stay numbers, None leaves the cell empty."""
    sheet.append([text_cell(sheet, v) for v in values])


def write_text(sheet: Worksheet, row: int, column: int, value: str) -> Cell:
    """Put a string into one cell as text (headers, labels); returns the cell for styling."""
    return _as_text(sheet.cell(row=row, column=column), value)


def sheet_title(text: str) -> str:
    """A worksheet name from data: the characters Excel forbids (\\ / ? * [ ] :) replaced, at most 31 long."""
    title = INVALID_TITLE_REGEX.sub("_", ILLEGAL_CHARACTERS_RE.sub("", text))[:31].strip("'")
    return title or "-"
