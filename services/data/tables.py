"""The table of an import file, before any database work: the file read (every sheet), the table found on it
(header row, data rows numbered as the spreadsheet shows them) and its columns mapped to fields.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl.utils import get_column_letter

from config import ImportLimits
from geo.coords import normalise_crs
from services.data.cells import RowError, row_error
from services.data.headers import (
    HeaderMatch,
    auto_mapping,
    find_header,
    is_blank,
    is_note_row,
    normalise_header,
    shown_header,
)
from services.data.specs import CRS_HEADER, IMPORTABLE, EntitySpec
from services.data.spreadsheet import Sheet, UnreadableFile, read_sheets

MAX_REPORTED_ERRORS = 200


class ImportRejected(Exception):
    """The file was not imported; ``errors`` says why, row by row."""

    def __init__(self, errors: list[RowError], total: int | None = None):
        super().__init__(f"{total or len(errors)} errors")
        self.errors = errors[:MAX_REPORTED_ERRORS]
        self.total = total if total is not None else len(errors)


@dataclass(frozen=True)
class ImportFile:
    """A file read, before any database work: its name, declared coordinate system, sheets and row cap."""

    filename: str
    crs: str
    sheets: tuple[Sheet, ...]
    max_data_rows: int = ImportLimits().max_data_rows


@dataclass(frozen=True)
class SourceTable:
    """The table of a file: the sheet it is on, its header row (numbered as the spreadsheet shows it), the header
    and the data rows, each with its spreadsheet row number (title, blank and note rows left out)."""

    sheet: str
    header_row: int
    header: tuple[str, ...]
    rows: tuple[tuple[int, list], ...]


def read_table(content: bytes, filename: str, limits: ImportLimits = ImportLimits(),
               entity: str | None = None) -> tuple[list[str], list[list]]:
    """Header and data rows of a .csv (UTF-8, GB18030 or UTF-16), .xlsx, .xls, .et or .ods file: the table of
    ``entity`` (services/data/headers.py) or, without one, the first sheet from its first non-blank row; raises
    ImportRejected."""
    table = locate_table(IMPORTABLE[entity] if entity else None,
                         read_file(content, filename, limits=limits))
    return list(table.header), [row for _, row in table.rows]


def read_file(content: bytes, filename: str, *, crs: str = "WGS84",
              limits: ImportLimits = ImportLimits()) -> ImportFile:
    """The file's sheets with its declared coordinate system checked; raises ImportRejected. No database."""
    try:
        crs = normalise_crs(crs)
    except ValueError:
        raise ImportRejected([row_error(1, CRS_HEADER, "crs", value=crs)]) from None
    try:
        sheets = read_sheets(content, filename, limits)
    except UnreadableFile as exc:
        raise ImportRejected([row_error(exc.row, filename, exc.code, **exc.params)]) from None
    if all(is_blank(row) for sheet in sheets for row in sheet.rows):
        raise ImportRejected([row_error(1, filename, "empty_file")])
    return ImportFile(filename, crs, tuple(sheets), limits.max_data_rows)


def locate_table(spec: EntitySpec | None, file: ImportFile) -> SourceTable:
    """The table of ``spec`` in ``file``: its header row found, the records below it numbered as the spreadsheet
    shows them; raises ImportRejected past the row cap (naming the first row over it)."""
    s, r = find_header(spec, [sheet.rows for sheet in file.sheets])
    sheet = file.sheets[s]
    header = tuple("" if h is None else str(h).strip() for h in sheet.rows[r]) if sheet.rows else ()
    rows = []
    for number, row in enumerate(sheet.rows[r + 1:], start=r + 2):
        if is_blank(row) or is_note_row(row):
            continue
        if len(rows) == file.max_data_rows:
            raise ImportRejected([row_error(number, file.filename, "too_many_rows", max_rows=file.max_data_rows)])
        rows.append((number, row))
    return SourceTable(sheet.name, r + 1, header, tuple(rows))


def column_fields(spec: EntitySpec, header: Sequence[str]) -> tuple[str | None, ...]:
    """The field each column of ``header`` is imported as (None: ignored), as found automatically."""
    return tuple(m.field if m else None for m in auto_mapping(spec, header))


def mapped_columns(spec: EntitySpec, header: Sequence[str], mapping: Sequence[str | None] | None,
            header_row: int) -> tuple[dict[str, int], dict[int, str], list[RowError]]:
    """(field → column position, position → unit its header names, errors) of a mapping: the automatic one
    when ``mapping`` is None (a header spelled like a spec header twice is then refused), else the user's."""
    errors: list[RowError] = []
    if mapping is None:
        errors = _repeated_headers(spec, header, header_row)
        matches = auto_mapping(spec, header)
    else:
        known = {c.field for c in spec.columns}
        matches = []
        for position, chosen in enumerate(list(mapping)[:len(header)]):
            if chosen is not None and chosen not in known:
                errors.append(row_error(header_row, _letter_header(header, position), "mapping_unknown",
                                        value=str(chosen)))
                chosen = None
            auto = auto_mapping(spec, [header[position]])[0]
            unit = auto.unit if auto and auto.field == chosen else None
            matches.append(HeaderMatch(chosen, 0, unit) if chosen else None)
    fields: dict[str, int] = {}
    units: dict[int, str] = {}
    for position, match in enumerate(matches):
        if match is None:
            continue
        if match.field in fields:
            first = fields[match.field]
            errors.append(row_error(header_row, spec.column(match.field).header, "mapping_twice",
                                    value=spec.column(match.field).header, first_letter=get_column_letter(first + 1),
                                    second_letter=get_column_letter(position + 1)))
            continue
        fields[match.field] = position
        if match.unit:
            units[position] = match.unit
    return fields, units, errors


def _letter_header(header: Sequence[str], position: int) -> str:
    return shown_header(header[position]) or get_column_letter(position + 1)


_BARE_NUMBER = re.compile(r"[+-]?[\d.,]+(?:[eE][+-]?\d+)?")


def bare_number(cell) -> bool:
    """A number without a unit of its own (``35000``, ``３５０００``), which takes the unit of its column's header."""
    if isinstance(cell, bool) or cell is None:
        return False
    return isinstance(cell, (int, float)) or bool(_BARE_NUMBER.fullmatch(unicodedata.normalize("NFKC", str(cell)).strip()))


def _repeated_headers(spec: EntitySpec, header: list[str], header_row: int) -> list[RowError]:
    """A column of the spec named twice: which one holds the data is unknowable, so the file is refused."""
    own = {normalise_header(h): h for h in spec.headers}
    first: dict[str, int] = {}
    errors: list[RowError] = []
    for position, name in enumerate(header, start=1):
        key = normalise_header(name)
        if key in own and key in first:
            errors.append(row_error(header_row, own[key], "duplicate_header", value=shown_header(name),
                                    first=first[key], first_letter=get_column_letter(first[key]), second=position,
                                    second_letter=get_column_letter(position)))
        first.setdefault(key, position)
    return errors


