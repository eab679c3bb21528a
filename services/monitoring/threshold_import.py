"""A spreadsheet of thresholds (临界值表) imported in one unit of work (``python app.py import-thresholds FILE``).

Columns (headers in the catalogue, Chinese or English): the hazard point's code or the station's code, the metric
(its code such as ``rain_1h`` or its label such as 1小时临界雨量) and the value. The file is read by the project's
spreadsheet reader (CSV in UTF-8 or GB18030, .xlsx, .xls, .et, .ods); every row goes through
:func:`services.monitoring.thresholds.set_thresholds`, all or nothing, and a refusal names the spreadsheet row and
column.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from services import vocabulary
from services.data.cells import RowError, row_error
from services.data.headers import is_blank, is_note_row, normalise_header
from services.data.tables import ImportRejected, SourceTable, read_file
from services.db.uow import UnitOfWork
from services.errors import FieldError
from services.monitoring.thresholds import PERMISSION, ThresholdInput, set_thresholds
from services.text import CATALOGUE, t

COLUMNS = ("hazard", "station", "metric", "value")


@dataclass(frozen=True)
class ImportedThresholds:
    rows: int
    by_metric: dict[str, int]


def _names(column: str) -> set[str]:
    zh, en = CATALOGUE[f"import.threshold_column.{column}"]
    return {normalise_header(n) for n in (*zh.split("|"), *en.split("|"))}


def _metric(cell) -> str | None:
    text = "" if cell is None else str(cell).strip()
    for metric in vocabulary.THRESHOLD_METRICS:
        if normalise_header(text) in {normalise_header(metric), *(normalise_header(x) for x in CATALOGUE[
                f"term.{metric}"])}:
            return metric
    return None


def _value(cell) -> float | None:
    try:
        value = float(str(cell).strip())
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


HEADER_SEARCH_ROWS = 20  # title rows (临界雨量表, 填报单位) may stand above the header


def _table(file, filename: str) -> SourceTable:
    """The sheet and row whose cells name the metric and the value columns, and the records below it."""
    names = _names("metric"), _names("value")
    for sheet in file.sheets:
        for r, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
            cells = {normalise_header(c) for c in row if c is not None}
            if all(cells & n for n in names):
                rows = tuple((number, data) for number, data in enumerate(sheet.rows[r + 1:], start=r + 2)
                             if not (is_blank(data) or is_note_row(data)))
                if len(rows) > file.max_data_rows:
                    raise ImportRejected([row_error(rows[file.max_data_rows][0], filename, "too_many_rows",
                                                    max_rows=file.max_data_rows)])
                header = tuple("" if h is None else str(h).strip() for h in row)
                return SourceTable(sheet.name, r + 1, header, rows)
    shown = [t(f"import.threshold_column.{c}").split("|")[0] for c in ("metric", "value")]
    raise ImportRejected([row_error(1, filename, "threshold_columns", columns=t("list.separator").join(shown))])


def import_thresholds(uow: UnitOfWork, content: bytes, filename: str, limits=None) -> ImportedThresholds:
    """Set the thresholds of a file's rows; raises ImportRejected (row and column of each problem)."""
    uow.principal.require(PERMISSION)
    table = _table(read_file(content, filename, **({"limits": limits} if limits else {})), filename)
    header = [normalise_header(h) for h in table.header]
    where = {c: next((i for i, h in enumerate(header) if h in _names(c)), None) for c in COLUMNS}
    missing = [c for c in ("metric", "value") if where[c] is None]
    if missing or (where["hazard"] is None and where["station"] is None):
        shown = [t(f"import.threshold_column.{c}").split("|")[0] for c in missing or ("hazard", "station")]
        raise ImportRejected([row_error(table.header_row, filename, "threshold_columns",
                                        columns=t("list.separator").join(shown))])
    label = {c: table.header[i] if i is not None else c for c, i in where.items()}
    items, numbers, errors = [], [], []

    def cell(row, column):
        i = where[column]
        value = row[i] if i is not None and i < len(row) else None
        return None if value is None or str(value).strip() == "" else value

    for number, row in table.rows:
        metric, value = _metric(cell(row, "metric")), _value(cell(row, "value"))
        if metric is None:
            errors.append(row_error(number, label["metric"], "threshold_metric", value=cell(row, "metric") or ""))
        if value is None:
            errors.append(row_error(number, label["value"], "threshold_value", value=cell(row, "value") or ""))
        hazard, station = cell(row, "hazard"), cell(row, "station")
        if metric and value is not None:
            items.append(ThresholdInput(metric, value, None if hazard is None else str(hazard).strip(),
                                        None if station is None else str(station).strip()))
            numbers.append(number)
    if errors:
        raise ImportRejected(errors)
    try:
        set_thresholds(uow, items, field="rows")
    except FieldError as exc:
        parts = exc.field.split(".")
        if len(parts) == 3 and parts[1].isdigit():
            raise ImportRejected([RowError(numbers[int(parts[1])], label.get(parts[2], parts[2]), exc.reason,
                                           exc.reason_en, exc.code)]) from None
        raise
    return ImportedThresholds(len(items), dict(Counter(i.metric for i in items)))
