"""The preview of an import (数据导入预览): how the file's columns map to fields, its first rows as they would be
stored, and every row error, computed in the caller's (reading) unit of work without writing anything.

The write (services/data/imports.py ``import_table``) takes the same mapping, so what the user confirmed is what
is written.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl.utils import get_column_letter

from services.data.cells import RowError
from services.data.headers import shown_header
from services.data.imports import (
    MAX_REPORTED_ERRORS,
    ImportFile,
    column_fields,
    load_context,
    locate_table,
    validate_rows,
)
from services.data.specs import IMPORTABLE
from services.db.uow import UnitOfWork

PREVIEW_ROWS = 10


@dataclass(frozen=True)
class MappedColumn:
    """One column of the file: its position (0-based) and letter, its header, the field it is imported as (None:
    ignored) and the field the header alone would give."""

    position: int
    letter: str
    header: str
    field: str | None
    auto_field: str | None


@dataclass(frozen=True)
class PreviewRow:
    """A data row as understood: its spreadsheet row number and each mapped field's value after conversion
    (numbers without their units, coordinates in WGS-84, township and village by their official names)."""

    row: int
    values: dict[str, object]


@dataclass(frozen=True)
class ImportPreview:
    entity: str
    filename: str
    sheet: str
    header_row: int
    crs: str
    columns: tuple[MappedColumn, ...]
    fields: tuple[str, ...]          # the mapped fields, in the order of the entity's columns
    rows: tuple[PreviewRow, ...]     # the first rows, at most ``PREVIEW_ROWS``
    total_rows: int
    errors: tuple[RowError, ...]     # at most MAX_REPORTED_ERRORS of ``error_total``
    error_total: int

    @property
    def importable(self) -> bool:
        return self.error_total == 0 and self.total_rows > 0


def file_columns(entity: str, table: ImportFile) -> tuple[MappedColumn, ...]:
    """The columns of ``table``'s header with the field each is imported as by default; no database."""
    source = locate_table(IMPORTABLE[entity], table)
    auto = column_fields(IMPORTABLE[entity], source.header)
    return tuple(MappedColumn(i, get_column_letter(i + 1), shown_header(h), auto[i], auto[i])
                 for i, h in enumerate(source.header))


def preview_import(uow: UnitOfWork, entity: str, table: ImportFile, mapping: Sequence[str | None] | None = None,
                   *, rows: int = PREVIEW_ROWS) -> ImportPreview:
    """What importing ``table`` as ``entity`` with ``mapping`` (None: from the headers) would store, and why it
    would be refused; nothing is written. Needs ``data.import``, like the import itself.

    Raises ImportRejected only for a file whose table cannot be taken at all (over the row cap).
    """
    uow.principal.require("data.import")
    spec = IMPORTABLE[entity]
    source = locate_table(spec, table)
    auto = column_fields(spec, source.header)
    chosen = auto if mapping is None else tuple(list(mapping)[:len(source.header)]) + (None,) * max(
        0, len(source.header) - len(mapping))
    records, errors = validate_rows(spec, source, table.crs, load_context(uow), mapping)
    mapped = set(chosen)
    fields = tuple(c.field for c in spec.columns if c.field in mapped)
    return ImportPreview(
        entity=entity, filename=table.filename, sheet=source.sheet, header_row=source.header_row, crs=table.crs,
        columns=tuple(MappedColumn(i, get_column_letter(i + 1), shown_header(h), chosen[i], auto[i])
                      for i, h in enumerate(source.header)),
        fields=fields,
        rows=tuple(PreviewRow(r["_row"], {f: r.get(f) for f in fields}) for r in records[:rows]),
        total_rows=len(source.rows),
        errors=tuple(errors[:MAX_REPORTED_ERRORS]), error_total=len(errors),
    )
