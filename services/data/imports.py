"""Importing CSV and Excel files of enterprises, hazards, shelters, depots, stock, teams and vehicles.

A file is read (``read_file``: size caps, format, every sheet) before any database work, then its table is found
(the header row below titles and notes, on the data sheet: services/data/headers.py), its columns mapped to fields
(automatically, or as the user corrected them in the preview) and validated row by row inside the caller's unit of
work (``preview_import`` shows the result without writing; ``import_table`` writes it); if any row is bad the
whole file is rejected with every RowError and nothing is written. A good file is written in that one transaction (upsert by natural key)
with an audit row naming ``uow.actor``. Edges that hold a file in memory read it first, then open the unit, so
SQLite's write lock is not held while a large workbook is parsed.
"""
from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import shapely
from openpyxl.utils import get_column_letter
from shapely.geometry import Point
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from config import ImportLimits
from geo.coords import normalise_crs, to_wgs84
from services import vocabulary
from services.data.cells import CellError, RowError, parse_cell, row_error
from services.data.headers import (
    HeaderMatch,
    auto_mapping,
    find_header,
    is_blank,
    is_note_row,
    normalise_header,
    shown_header,
)
from services.data.places import PlaceIndex, place_index
from services.data.specs import CRS_HEADER, SPECS, EntitySpec
from services.data.spreadsheet import Sheet, UnreadableFile, read_sheets
from services.db import audit
from services.db.locks import transaction_lock
from services.db.uow import UnitOfWork
from services.models import (
    AdminArea,
    Depot,
    Enterprise,
    HazardPoint,
    MonitoringStation,
    RescueTeam,
    Shelter,
    StockLine,
    SupplyItem,
    Township,
    Vehicle,
)
from services.text import both

MODELS = {
    "enterprises": Enterprise, "hazards": HazardPoint, "shelters": Shelter, "depots": Depot,
    "teams": RescueTeam, "vehicles": Vehicle, "stations": MonitoringStation, "stock": StockLine,
}
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


@dataclass(frozen=True)
class ImportReport:
    """What an import wrote: rows read, records created and updated, the coordinate system, columns ignored."""

    entity: str
    rows: int
    created: int
    updated: int
    crs: str
    ignored_columns: tuple[str, ...] = ()


@dataclass
class ValidationContext:
    """What validation needs from the database: townships, the district and referenced codes."""

    region_name: str
    district: shapely.Geometry
    township_codes: list[str]
    township_tree: shapely.STRtree
    township_polys: list
    depot_ids: dict[str, int]
    team_ids: dict[str, int]
    item_codes: set[str]
    places: PlaceIndex


def read_table(content: bytes, filename: str, limits: ImportLimits = ImportLimits(),
               entity: str | None = None) -> tuple[list[str], list[list]]:
    """Header and data rows of a .csv (UTF-8, GB18030 or UTF-16), .xlsx, .xls, .et or .ods file: the table of
    ``entity`` (services/data/headers.py) or, without one, the first sheet from its first non-blank row; raises
    ImportRejected."""
    table = locate_table(SPECS[entity] if entity else None,
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


def load_context(uow: UnitOfWork) -> ValidationContext:
    session, settings = uow.session, uow.settings
    townships = session.scalars(select(Township).order_by(Township.code)).all()
    polys = [t.geom for t in townships]
    district = session.get(AdminArea, settings.region.adcode).geom
    shapely.prepare(district)
    return ValidationContext(
        region_name=settings.region.name_zh,
        district=district,
        township_codes=[t.code for t in townships],
        township_tree=shapely.STRtree(polys), township_polys=polys,
        depot_ids=dict(session.execute(select(Depot.code, Depot.id)).all()),
        team_ids=dict(session.execute(select(RescueTeam.code, RescueTeam.id)).all()),
        item_codes=set(session.scalars(select(SupplyItem.code))),
        places=place_index(uow),
    )


def _township_of(ctx: ValidationContext, lon: float, lat: float) -> str | None:
    point = Point(lon, lat)
    for idx in ctx.township_tree.query(point, predicate="intersects"):
        return ctx.township_codes[int(idx)]
    return None


def column_fields(spec: EntitySpec, header: Sequence[str]) -> tuple[str | None, ...]:
    """The field each column of ``header`` is imported as (None: ignored), as found automatically."""
    return tuple(m.field if m else None for m in auto_mapping(spec, header))


def _mapped(spec: EntitySpec, header: Sequence[str], mapping: Sequence[str | None] | None,
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


def validate_rows(spec: EntitySpec, table: SourceTable, crs: str, ctx: ValidationContext,
                  mapping: Sequence[str | None] | None = None) -> tuple[list[dict], list[RowError]]:
    """Typed records for every row, or the errors; rows numbered as the spreadsheet shows them."""
    header = list(table.header)
    fields, units, errors = _mapped(spec, header, mapping, table.header_row)
    names = {f: shown_header(header[p]) or spec.column(f).header for f, p in fields.items()}
    for col in spec.columns:
        if col.field not in fields and col.required:
            errors.append(row_error(table.header_row, col.header, "missing_column", value=col.header))
    if errors:
        return [], errors
    records: list[dict] = []
    seen: dict[str, int] = {}
    for row_no, raw in table.rows:
        record: dict = {"_row": row_no}
        for col in spec.columns:
            i = fields.get(col.field)
            cell = raw[i] if i is not None and i < len(raw) else None
            if i in units and _bare_number(cell):
                cell = f"{cell}{units[i]}"  # a bare number in a 元 column of a 万元 field: read as 元
            try:
                record[col.field] = parse_cell(col, cell)
            except CellError as exc:
                errors.append(row_error(row_no, names.get(col.field, col.header), exc.code, **exc.params))
                record[col.field] = None
        errors.extend(_check_record(spec, record, row_no, crs, ctx, seen, names))
        records.append(record)
    if not records and not errors:
        errors.append(row_error(table.header_row + 1, spec.headers[0], "empty_file"))
    return records, errors


_BARE_NUMBER = re.compile(r"[+-]?[\d.,]+(?:[eE][+-]?\d+)?")


def _bare_number(cell) -> bool:
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


def _check_record(spec: EntitySpec, rec: dict, row_no: int, crs: str, ctx: ValidationContext,
                  seen: dict[str, int], names: dict[str, str]) -> list[RowError]:
    errs: list[RowError] = []
    if spec.id_field and rec.get(spec.id_field) is not None:
        key = str(rec[spec.id_field])
        if key in seen:
            errs.append(row_error(row_no, names[spec.id_field], "duplicate", value=key, other=seen[key]))
        seen.setdefault(key, row_no)
    if spec.key == "enterprises" and rec.get("sector") and rec.get("category"):
        if rec["category"] not in vocabulary.ENTERPRISE_SECTORS[rec["sector"]]:
            errs.append(row_error(row_no, names["category"], "category", value=rec["category"], sector=rec["sector"]))
    for ref_field, ids, what in (("depot_code", ctx.depot_ids, "import.ref.depots"),
                                 ("team_code", ctx.team_ids, "import.ref.teams"),
                                 ("item_code", ctx.item_codes, "import.ref.items")):
        if ref_field in rec and rec[ref_field] is not None and rec[ref_field] not in ids:
            what_zh, what_en = both(what)
            errs.append(row_error(row_no, names.get(ref_field, _header(spec, ref_field)), "unknown_ref", value=rec[ref_field],
                                  what=what_zh, what_en=what_en))
    if spec.has_location:
        errs.extend(_check_location(spec, rec, row_no, crs, ctx, names))
    return errs


def _header(spec: EntitySpec, field_name: str) -> str:
    return spec.column(field_name).header


def _check_location(spec: EntitySpec, rec: dict, row_no: int, crs: str, ctx: ValidationContext,
                    names: dict[str, str]) -> list[RowError]:
    """Township (by name, short name or code) and village resolved, the point converted and checked."""
    errs: list[RowError] = []
    if rec.get("township") is not None:
        try:
            rec["township_code"] = ctx.places.township(rec["township"])
            rec["township"] = ctx.places.township_name[rec["township_code"]]
        except CellError as exc:
            errs.append(row_error(row_no, names["township"], exc.code, **exc.params))
            rec["township_code"] = None
    if rec.get("village") is not None and not errs:
        try:
            found = ctx.places.find_village(rec["village"], rec.get("township_code"))
        except CellError as exc:
            errs.append(row_error(row_no, names["village"], exc.code, **exc.params))
            found = None
        if found:
            rec["village"] = found[0]
            if rec.get("township_code") is None:
                rec["township_code"] = found[1]
                rec["township"] = ctx.places.township_name[found[1]]
    if rec.get("lon") is None or rec.get("lat") is None:
        return errs
    lon, lat = to_wgs84(float(rec["lon"]), float(rec["lat"]), crs)
    if not ctx.district.contains(Point(lon, lat)):
        errs.append(row_error(row_no, names["lon"], "outside", lon=rec["lon"], lat=rec["lat"], region=ctx.region_name))
        return errs
    rec["lon"], rec["lat"] = round(lon, 7), round(lat, 7)
    if rec.get("township_code") is None and not errs:
        rec["township_code"] = _township_of(ctx, lon, lat)
    return errs


def import_file(uow: UnitOfWork, entity: str, content: bytes, filename: str, *, crs: str = "WGS84",
                is_sample: bool = False) -> ImportReport:
    """Read, validate and import one file; raises ImportRejected (nothing written) if any row is bad."""
    table = read_file(content, filename, crs=crs, limits=uow.settings.imports)
    return import_table(uow, entity, table, is_sample=is_sample)


def import_table(uow: UnitOfWork, entity: str, table: ImportFile, *, mapping: Sequence[str | None] | None = None,
                 is_sample: bool = False) -> ImportReport:
    """Validate and write a file read by ``read_file``, all or nothing; raises ImportRejected with every error.

    ``mapping`` gives the field of each column of the header (None: ignored), as the preview showed and the user
    corrected it; without one the columns are mapped by their headers. Imports are the planners' (and admins')
    work: ``data.import``.

    Imports of one entity run one after another (a lock held to the end of the unit of work): the second sees
    the first's rows and updates them. Without it, two offices importing the same new codes at once on
    PostgreSQL would both insert and one would fail on the unique key after its checks had passed (and two
    stock-takings of one depot would both delete, then both insert).
    """
    uow.principal.require("data.import")
    spec = SPECS[entity]
    source = locate_table(spec, table)
    session = uow.session
    transaction_lock(uow, f"qj-import:{entity}")
    ctx = load_context(uow)
    records, errors = validate_rows(spec, source, table.crs, ctx, mapping)
    if errors:
        raise ImportRejected(errors)
    created, updated = _write(session, spec, records, ctx, is_sample)
    audit.record(session, actor=uow.actor, action="import", entity=entity, entity_key=table.filename,
                 detail={"rows": len(records), "created": created, "updated": updated, "crs": table.crs,
                         "sample": is_sample})
    return ImportReport(entity, len(records), created, updated, table.crs, _ignored(spec, source, mapping))


def _ignored(spec: EntitySpec, source: SourceTable, mapping: Sequence[str | None] | None) -> tuple[str, ...]:
    fields = column_fields(spec, source.header) if mapping is None else tuple(mapping)
    return tuple(shown_header(h) for i, h in enumerate(source.header)
                 if h and (i >= len(fields) or fields[i] is None))


def _write(session: Session, spec: EntitySpec, records: list[dict], ctx: ValidationContext,
           is_sample: bool) -> tuple[int, int]:
    model = MODELS[spec.key]
    if spec.key == "stock":
        return _write_stock(session, records, ctx, is_sample), 0
    key_attr = getattr(model, spec.id_field)
    existing = {getattr(o, spec.id_field): o for o in session.scalars(select(model).where(
        key_attr.in_([r[spec.id_field] for r in records])))}
    created = 0
    skip = {"township", "depot_code", "team_code"}
    for rec in records:
        values = {k: v for k, v in rec.items() if not k.startswith("_") and k not in skip}
        if spec.key == "vehicles":
            values["depot_id"] = ctx.depot_ids.get(rec.get("depot_code"))
            values["team_id"] = ctx.team_ids.get(rec.get("team_code"))
        if spec.has_location:
            values["geom"] = Point(rec["lon"], rec["lat"])
        values["is_sample"] = is_sample
        obj = existing.get(rec[spec.id_field])
        if obj is None:
            session.add(model(**values))
            created += 1
        else:
            for k, v in values.items():
                setattr(obj, k, v)
    session.flush()
    return created, len(records) - created


def _write_stock(session: Session, records: list[dict], ctx: ValidationContext, is_sample: bool) -> int:
    """Stock files replace the stock of every depot they name (a stock-taking, 盘点)."""
    depot_ids = {ctx.depot_ids[r["depot_code"]] for r in records}
    session.execute(delete(StockLine).where(StockLine.depot_id.in_(depot_ids)))
    merged: dict[tuple, dict] = {}
    for rec in records:
        key = (ctx.depot_ids[rec["depot_code"]], rec["item_code"], rec.get("expires_on"))
        if key in merged:
            merged[key]["quantity"] += rec["quantity"]  # exact: Decimal + Decimal
            merged[key]["minimum_quantity"] = max(merged[key]["minimum_quantity"], rec["minimum_quantity"])
            _check_merged(merged[key]["quantity"], rec["_row"])
        else:
            merged[key] = {"depot_id": key[0], "item_code": key[1], "expires_on": key[2],
                           "quantity": rec["quantity"], "minimum_quantity": rec["minimum_quantity"]}
    session.add_all(StockLine(**v, is_sample=is_sample) for v in merged.values())
    session.flush()
    return len(merged)


def _check_merged(quantity, row_no: int) -> None:
    """Lines of one batch add up; the sum must still be a quantity the column takes."""
    column = SPECS["stock"].column("quantity")
    if quantity > column.maximum:
        raise ImportRejected([row_error(row_no, column.header, "range", value=format(quantity.normalize(), "f"),
                                        minimum="0", maximum=f"{column.maximum:.0f}")])


def import_path(uow: UnitOfWork, entity: str, path: Path, **kwargs) -> ImportReport:
    return import_file(uow, entity, Path(path).read_bytes(), Path(path).name, **kwargs)


def load_catalogue(uow: UnitOfWork, path: Path) -> int:
    """Load (replace) the supply catalogue from data/supply_catalogue.csv; returns the number of items."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    session = uow.session
    known = {i.code: i for i in session.scalars(select(SupplyItem))}
    for r in rows:
        values = dict(code=r["code"], name=r["name"], unit=r["unit"], supply_class=r["supply_class"],
                      unit_weight_kg=float(r["unit_weight_kg"]), unit_volume_m3=float(r["unit_volume_m3"]),
                      shelf_life_days=int(r["shelf_life_days"]) if r["shelf_life_days"] else None)
        if r["code"] in known:
            for k, v in values.items():
                setattr(known[r["code"]], k, v)
        else:
            session.add(SupplyItem(**values))
    audit.record(session, actor=uow.actor, action="load", entity="supply_catalogue", detail={"items": len(rows)})
    return len(rows)
