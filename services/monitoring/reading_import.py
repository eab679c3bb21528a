"""Station readings from a CSV or Excel file (``python app.py import-readings FILE [--drill N]``): the sheet read
(services/data: size caps, every sheet, the header row found below titles), each row parsed, then the whole file
stored through the same ``ingest`` as the API, all or nothing.

Columns 站点编码, 时间, 类型, 数值 and optionally 单位 (synonyms: services/data/specs.py READING_HEADERS). Unlike the
API, a time without a zone is allowed here and read in the configured zone (``settings.timezone``): people's sheets
write local time. Every problem names the sheet's row (as Excel numbers it) and the column.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from services import vocabulary
from services.clock import local_zone
from services.data.cells import RowError
from services.data.headers import HEADER_SCAN_ROWS, is_blank, is_note_row, normalise_header, shown_header
from services.data.specs import READING_HEADERS, READING_KIND_WORDS, READING_TIME_MARKS, READING_UNIT_WORDS
from services.data.tables import ImportFile, ImportRejected, MAX_REPORTED_ERRORS
from services.db.uow import UnitOfWork
from services.errors import FieldError
from services.monitoring.readings import IngestResult, ingest
from services.text import both, term

REQUIRED = ("station", "at", "kind", "value")
_BRACKET = re.compile(r"^(.+)\(([^()]+)\)$")
_TIME = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]+(\d{1,2}):(\d{1,2})(?::(\d{1,2})(\.\d+)?)?)?"
                   r"\s*(Z|[+-]\d{2}(?::?\d{2})?)?")
_NUMBER = re.compile(r"([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*(.*)")
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_MARKS = str.maketrans(READING_TIME_MARKS)


@dataclass(frozen=True)
class ReadingSheet:
    """The readings of a file, parsed: each with the sheet's row number; ``columns`` field → header as written."""

    filename: str
    rows: tuple[int, ...]
    readings: tuple[dict, ...]
    columns: dict[str, str]


def _field_of(header) -> tuple[str | None, str | None]:
    """The field a header names and the unit its trailing bracket gives (数值(mm) → value, mm)."""
    key = normalise_header(header)
    unit = None
    found = _BRACKET.match(key)
    for name in ([key, found.group(1)] if found else [key]):
        for field, names in READING_HEADERS.items():
            if name in {normalise_header(n) for n in names}:
                if name != key:
                    unit = found.group(2)
                return field, unit
    return None, None


def _header(file: ImportFile) -> tuple[int, int, dict[str, int], dict[str, str]]:
    """(sheet, row index, field → column, field → unit of its header) of the row naming most fields."""
    best = (0, -1, {}, {})
    for s, sheet in enumerate(file.sheets):
        for r, row in enumerate(sheet.rows[:HEADER_SCAN_ROWS]):
            fields: dict[str, int] = {}
            units: dict[str, str] = {}
            for c, cell in enumerate(row):
                field, unit = _field_of(cell) if isinstance(cell, str) else (None, None)
                if field and field not in fields:
                    fields[field] = c
                    if unit:
                        units[field] = unit
            if len(fields) > len(best[2]):
                best = (s, r, fields, units)
    return best


def _error(row: int, header: str, code: str, **params) -> RowError:
    zh, en = both("readings.import." + code, **params)
    return RowError(row, header, zh, en, code)


def _kind(text: str) -> str | None:
    key = unicodedata.normalize("NFKC", text).strip()
    for code in vocabulary.READING_KINDS:
        if key.lower() in (code, term(code, "en").lower()) or key == term(code):
            return code
    return READING_KIND_WORDS.get(key)


def _zone(text: str | None, settings) -> dt.tzinfo:
    if not text:
        return local_zone(settings)
    if text == "Z":
        return dt.timezone.utc
    digits = text[1:].replace(":", "")
    minutes = int(digits[:2]) * 60 + int(digits[2:4] or 0)
    return dt.timezone(dt.timedelta(minutes=-minutes if text[0] == "-" else minutes))


def _time(cell, settings) -> dt.datetime | None:
    """An aware time from a cell: a workbook's date-time (naive: the configured zone), an Excel serial number, or
    text as people write it (ISO 8601, 2026/7/2 8:00, 2026年7月2日 8时30分), with or without a zone."""
    if isinstance(cell, dt.datetime):
        return cell if cell.tzinfo else cell.replace(tzinfo=local_zone(settings))
    if isinstance(cell, (int, float)) and not isinstance(cell, bool) and 20000 <= cell <= 80000:
        at = _EXCEL_EPOCH + dt.timedelta(seconds=round(float(cell) * 86400))
        return at.replace(tzinfo=local_zone(settings))
    if not isinstance(cell, str):
        return None
    text = unicodedata.normalize("NFKC", cell).strip().translate(_MARKS).strip().rstrip(":")
    found = _TIME.fullmatch(text)
    if not found:
        return None
    year, month, day, hour, minute, second, fraction, zone = found.groups()
    try:
        at = dt.datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0),
                         round(float(fraction or 0) * 1e6))
        return at.replace(tzinfo=_zone(zone, settings))
    except ValueError:
        return None


def _value(cell) -> tuple[float | None, str | None]:
    """A number and the unit written after it (12.5mm), or (None, None)."""
    if isinstance(cell, bool):
        return None, None
    if isinstance(cell, (int, float)):
        return float(cell), None
    text = unicodedata.normalize("NFKC", str(cell)).strip().replace(",", "") if cell is not None else ""
    found = _NUMBER.fullmatch(text)
    if not found:
        return None, None
    return float(found.group(1)), (found.group(2).strip() or None)


def _station(cell) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))  # a code of digits Excel stored as a number
    return unicodedata.normalize("NFKC", str(cell)).strip()


def read_readings(file: ImportFile, settings) -> ReadingSheet:
    """The readings of ``file`` (read by services/data/tables.read_file), each row parsed; raises ImportRejected
    with every row's problem (row and column named). No database."""
    s, r, fields, header_units = _header(file)
    if r < 0 or len(fields) < 2:
        raise ImportRejected([_error(1, file.filename, "no_header")])
    header = file.sheets[s].rows[r]
    columns = {f: shown_header(header[c]) for f, c in fields.items()}
    missing = [f for f in REQUIRED if f not in fields]
    if missing:
        raise ImportRejected([_error(r + 1, READING_HEADERS[f][0], "missing_column", column=READING_HEADERS[f][0])
                              for f in missing])
    errors: list[RowError] = []
    rows: list[int] = []
    readings: list[dict] = []
    for number, row in enumerate(file.sheets[s].rows[r + 1:], start=r + 2):
        if is_blank(row) or is_note_row(row):
            continue
        reading = _parse_row(number, row, fields, columns, header_units, settings, errors)
        if reading is not None:
            rows.append(number)
            readings.append(reading)
        if len(errors) >= MAX_REPORTED_ERRORS:
            break
    if errors:
        raise ImportRejected(errors)
    return ReadingSheet(file.filename, tuple(rows), tuple(readings), columns)


def _parse_row(number: int, row: Sequence, fields: dict[str, int], columns: dict[str, str],
               header_units: dict[str, str], settings, errors: list[RowError]) -> dict | None:
    def cell(field: str):
        c = fields.get(field)
        value = row[c] if c is not None and c < len(row) else None
        return None if value is None or (isinstance(value, str) and not value.strip()) else value

    before = len(errors)
    for field in REQUIRED:
        if cell(field) is None:
            errors.append(_error(number, columns[field], "required"))
    if len(errors) > before:
        return None
    at = _time(cell("at"), settings)
    if at is None:
        errors.append(_error(number, columns["at"], "time", value=str(cell("at"))[:40]))
    kind = _kind(str(cell("kind")))
    if kind is None:
        known = ", ".join(f"{term(k)} {k}" for k in vocabulary.READING_KINDS)
        errors.append(_error(number, columns["kind"], "kind", value=str(cell("kind"))[:40], kinds=known))
    value, written_unit = _value(cell("value"))
    if value is None:
        errors.append(_error(number, columns["value"], "number", value=str(cell("value"))[:40]))
    if len(errors) > before:
        return None
    unit = cell("unit")
    unit = str(unit).strip() if unit is not None else written_unit or header_units.get("value")
    unit = READING_UNIT_WORDS.get(unicodedata.normalize("NFKC", unit).strip(), unit) if unit else None
    reading = {"station": _station(cell("station")), "at": at, "kind": kind, "value": value}
    if unit:
        reading["unit"] = unit
    return reading


def import_readings(uow: UnitOfWork, sheet: ReadingSheet, drill_id: int = 0) -> IngestResult:
    """Store the readings of ``sheet`` in ``uow`` through ``ingest`` (in batches of the configured size, one
    transaction: all or nothing); a refusal raises ImportRejected naming the row and the column."""
    rows = sheet.rows

    def where(index: int) -> tuple[str, str]:
        return both("readings.row", row=rows[offset + index])

    size = uow.settings.monitoring.max_batch
    stored = duplicates = 0
    stations: set[str] = set()
    newest = None
    for offset in range(0, len(sheet.readings), size):
        try:
            part = ingest(uow, list(sheet.readings[offset:offset + size]), drill_id, where=where)
        except FieldError as exc:
            raise ImportRejected([_as_row_error(exc, sheet, offset)]) from None
        stored, duplicates = stored + part.stored, duplicates + part.duplicates
        stations.update(part.stations)
        newest = max(filter(None, (newest, part.newest)))
    return IngestResult(drill_id, len(sheet.readings), stored, duplicates, tuple(sorted(stations)), newest)


def _as_row_error(exc: FieldError, sheet: ReadingSheet, offset: int) -> RowError:
    index = exc.params.get("index")
    if index is None:  # the batch as a whole (an empty sheet, a bad drill number)
        return RowError(1, sheet.filename, exc.reason, exc.reason_en, exc.code)
    field = exc.params.get("reading_field")
    column = sheet.columns.get(field) or sheet.columns["value"]
    return RowError(sheet.rows[offset + index], column, exc.reason, exc.reason_en, exc.code)
