"""Record exports: an entity's records as an .xlsx in exactly its import format, so the file re-imports unchanged.

Headers come from services.data.specs; booleans are written 是/否, dates YYYY-MM-DD, townships by name and
depots and teams by code; quantities as the exact decimals they are (0.1 stays 0.1); every cell goes through
services.data.spreadsheet, so text is never a formula.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal

import openpyxl
from openpyxl.styles import Font
from sqlalchemy import select

from services.errors import Forbidden
from services.data.imports import MODELS
from services.data.specs import NO, SPECS, YES, Column, EntitySpec
from services.data.spreadsheet import append_row, sheet_title
from services.db.uow import UnitOfWork
from services.models import Depot, RescueTeam, StockLine, Township


@dataclass(frozen=True)
class _Names:
    """What an import file names by a human key and the database by an id or code."""

    townships: dict[str, str]
    depots: dict[int, str]
    teams: dict[int, str]


def export_rows(uow: UnitOfWork, spec: EntitySpec) -> list[list]:
    """The entity's records as import-file rows (one list per record, in the order of ``spec.columns``)."""
    session = uow.session
    model = MODELS[spec.key]
    names = _Names(townships=dict(session.execute(select(Township.code, Township.name)).all()),
                   depots=dict(session.execute(select(Depot.id, Depot.code)).all()),
                   teams=dict(session.execute(select(RescueTeam.id, RescueTeam.code)).all()))
    order = (StockLine.depot_id, StockLine.item_code, StockLine.expires_on, StockLine.id) if spec.key == "stock" \
        else (getattr(model, spec.id_field),)
    return [[_value(col, record, names) for col in spec.columns]
            for record in session.scalars(select(model).order_by(*order))]


def _value(column: Column, record, names: _Names):
    if column.field == "township":
        return names.townships.get(record.township_code)
    if column.field == "depot_code" and not hasattr(record, "depot_code"):
        return names.depots.get(record.depot_id)
    if column.field == "team_code":
        return names.teams.get(record.team_id)
    value = getattr(record, column.field)
    if value is None:
        return None
    if column.kind == "bool":
        return YES if value else NO
    if column.kind == "date":
        return value.isoformat()
    if isinstance(value, Decimal):
        return plain_decimal(value)
    return value


def plain_decimal(value: Decimal) -> int | Decimal:
    """A quantity as a spreadsheet number with no trailing zeros: 0.300 → 0.3, 1500.000 → 1500 (an int)."""
    if value == value.to_integral_value():
        return int(value)
    return value.normalize()


def records_xlsx(uow: UnitOfWork, entity: str) -> io.BytesIO:
    """An .xlsx of every record of ``entity`` with the import headers; returned rewound.

    The county's records: township staff are refused (they read their own township on the map and /m).
    """
    uow.principal.require("records.export")
    if uow.principal.scoped:  # (no township role holds records.export; kept should the table change)
        raise Forbidden.of("entity", "permission.county_only")
    spec = SPECS[entity]
    rows = export_rows(uow, spec)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = sheet_title(spec.title_zh)
    append_row(sheet, spec.headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        append_row(sheet, row)
    for i, col in enumerate(spec.columns, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=i).column_letter].width = max(12, len(col.header) * 2 + 4)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer
