"""Importing CSV and Excel files of enterprises, hazards, shelters, depots, stock, teams and vehicles.

A file is read (``read_file``: size caps, format, header) before any database work, then validated row by
row inside the caller's unit of work (``import_table``); if any row is bad the whole file is rejected with
every RowError and nothing is written. A good file is written in that one transaction (upsert by natural key)
with an audit row naming ``uow.actor``. Edges that hold a file in memory read it first, then open the unit, so
SQLite's write lock is not held while a large workbook is parsed.
"""
from __future__ import annotations

import csv
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
from services.data.specs import CRS_HEADER, SPECS, EntitySpec
from services.data.spreadsheet import UnreadableFile, read_rows
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
    """A file read as a table, before any database work: its name, declared coordinate system, header, rows."""

    filename: str
    crs: str
    header: tuple[str, ...]
    rows: tuple[list, ...]


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
class _Context:
    """What validation needs from the database: townships, the district and referenced codes."""

    region_name: str
    district: shapely.Geometry
    township_by_key: dict[str, str]
    township_codes: list[str]
    township_tree: shapely.STRtree
    township_polys: list
    depot_ids: dict[str, int]
    team_ids: dict[str, int]
    item_codes: set[str]


def read_table(content: bytes, filename: str,
               limits: ImportLimits = ImportLimits()) -> tuple[list[str], list[list]]:
    """Header and data rows of a .csv (UTF-8, GB18030 or UTF-16) or .xlsx file; raises ImportRejected."""
    try:
        rows = read_rows(content, filename, limits)
    except UnreadableFile as exc:
        raise ImportRejected([row_error(exc.row, filename, exc.code, **exc.params)]) from None
    if not rows:
        raise ImportRejected([row_error(1, filename, "empty_file")])
    header = ["" if h is None else str(h).strip() for h in rows[0]]
    return header, rows[1:]


def read_file(content: bytes, filename: str, *, crs: str = "WGS84",
              limits: ImportLimits = ImportLimits()) -> ImportFile:
    """The file as a table with its declared coordinate system checked; raises ImportRejected. No database."""
    try:
        crs = normalise_crs(crs)
    except ValueError:
        raise ImportRejected([row_error(1, CRS_HEADER, "crs", value=crs)]) from None
    header, rows = read_table(content, filename, limits)
    return ImportFile(filename, crs, tuple(header), tuple(rows))


def _load_context(uow: UnitOfWork) -> _Context:
    session, settings = uow.session, uow.settings
    townships = session.scalars(select(Township).order_by(Township.code)).all()
    by_key = {t.code: t.code for t in townships} | {t.name: t.code for t in townships}
    polys = [t.geom for t in townships]
    district = session.get(AdminArea, settings.region.adcode).geom
    shapely.prepare(district)
    return _Context(
        region_name=settings.region.name_zh,
        district=district,
        township_by_key=by_key, township_codes=[t.code for t in townships],
        township_tree=shapely.STRtree(polys), township_polys=polys,
        depot_ids=dict(session.execute(select(Depot.code, Depot.id)).all()),
        team_ids=dict(session.execute(select(RescueTeam.code, RescueTeam.id)).all()),
        item_codes=set(session.scalars(select(SupplyItem.code))),
    )


def _township_of(ctx: _Context, lon: float, lat: float) -> str | None:
    point = Point(lon, lat)
    for idx in ctx.township_tree.query(point, predicate="intersects"):
        return ctx.township_codes[int(idx)]
    return None


def validate_rows(spec: EntitySpec, header: list[str], rows: list[list], crs: str,
                  ctx: _Context) -> tuple[list[dict], list[RowError]]:
    """Typed records for every row, or the errors; rows are numbered as in a spreadsheet."""
    errors = _repeated_headers(spec, header)
    index = {h: i for i, h in enumerate(header) if h}
    for col in spec.columns:
        if col.header not in index and col.required:
            errors.append(row_error(1, col.header, "missing_column", value=col.header))
    if errors:
        return [], errors
    records: list[dict] = []
    seen: dict[str, int] = {}
    for offset, raw in enumerate(rows):
        row_no = offset + 2
        if all(c is None or str(c).strip() == "" for c in raw):
            continue
        record: dict = {"_row": row_no}
        for col in spec.columns:
            i = index.get(col.header)
            cell = raw[i] if i is not None and i < len(raw) else None
            try:
                record[col.field] = parse_cell(col, cell)
            except CellError as exc:
                errors.append(row_error(row_no, col.header, exc.code, **exc.params))
                record[col.field] = None
        errors.extend(_check_record(spec, record, row_no, crs, ctx, seen))
        records.append(record)
    if not records and not errors:
        errors.append(row_error(2, spec.headers[0], "empty_file"))
    return records, errors


def _repeated_headers(spec: EntitySpec, header: list[str]) -> list[RowError]:
    """A column of the spec named twice: which one holds the data is unknowable, so the file is refused."""
    first: dict[str, int] = {}
    errors: list[RowError] = []
    for position, name in enumerate(header, start=1):
        if name in spec.headers and name in first:
            errors.append(row_error(1, name, "duplicate_header", value=name, first=first[name],
                                    first_letter=get_column_letter(first[name]), second=position,
                                    second_letter=get_column_letter(position)))
        first.setdefault(name, position)
    return errors


def _check_record(spec: EntitySpec, rec: dict, row_no: int, crs: str, ctx: _Context,
                  seen: dict[str, int]) -> list[RowError]:
    errs: list[RowError] = []
    if spec.id_field and rec.get(spec.id_field) is not None:
        key = str(rec[spec.id_field])
        if key in seen:
            errs.append(row_error(row_no, spec.column(spec.id_field).header, "duplicate", value=key,
                                  other=seen[key]))
        seen.setdefault(key, row_no)
    if spec.key == "enterprises" and rec.get("sector") and rec.get("category"):
        if rec["category"] not in vocabulary.ENTERPRISE_SECTORS[rec["sector"]]:
            errs.append(row_error(row_no, _header(spec, "category"), "category", value=rec["category"], sector=rec["sector"]))
    for ref_field, ids, what in (("depot_code", ctx.depot_ids, "import.ref.depots"),
                                 ("team_code", ctx.team_ids, "import.ref.teams"),
                                 ("item_code", ctx.item_codes, "import.ref.items")):
        if ref_field in rec and rec[ref_field] is not None and rec[ref_field] not in ids:
            what_zh, what_en = both(what)
            errs.append(row_error(row_no, _header(spec, ref_field), "unknown_ref", value=rec[ref_field],
                                  what=what_zh, what_en=what_en))
    if spec.has_location:
        errs.extend(_check_location(spec, rec, row_no, crs, ctx))
    return errs


def _header(spec: EntitySpec, field_name: str) -> str:
    return spec.column(field_name).header


def _check_location(spec: EntitySpec, rec: dict, row_no: int, crs: str, ctx: _Context) -> list[RowError]:
    errs: list[RowError] = []
    if rec.get("township") is not None:
        code = ctx.township_by_key.get(str(rec["township"]))
        if code is None:
            errs.append(row_error(row_no, _header(spec, "township"), "township", value=rec["township"]))
        rec["township_code"] = code
    if rec.get("lon") is None or rec.get("lat") is None:
        return errs
    lon, lat = to_wgs84(float(rec["lon"]), float(rec["lat"]), crs)
    if not ctx.district.contains(Point(lon, lat)):
        errs.append(row_error(row_no, _header(spec, "lon"), "outside", lon=rec["lon"], lat=rec["lat"], region=ctx.region_name))
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


def import_table(uow: UnitOfWork, entity: str, table: ImportFile, *, is_sample: bool = False) -> ImportReport:
    """Validate and write a file read by ``read_file``, all or nothing; raises ImportRejected with every error.

    Imports are the planners' (and admins') work: ``data.import``.

    Imports of one entity run one after another (a lock held to the end of the unit of work): the second sees
    the first's rows and updates them. Without it, two offices importing the same new codes at once on
    PostgreSQL would both insert and one would fail on the unique key after its checks had passed (and two
    stock-takings of one depot would both delete, then both insert).
    """
    uow.principal.require("data.import")
    spec = SPECS[entity]
    session = uow.session
    transaction_lock(uow, f"qj-import:{entity}")
    ctx = _load_context(uow)
    records, errors = validate_rows(spec, list(table.header), list(table.rows), table.crs, ctx)
    if errors:
        raise ImportRejected(errors)
    created, updated = _write(session, spec, records, ctx, is_sample)
    audit.record(session, actor=uow.actor, action="import", entity=entity, entity_key=table.filename,
                 detail={"rows": len(records), "created": created, "updated": updated, "crs": table.crs,
                         "sample": is_sample})
    ignored = tuple(h for h in table.header if h and h not in spec.headers)
    return ImportReport(entity, len(records), created, updated, table.crs, ignored)


def _write(session: Session, spec: EntitySpec, records: list[dict], ctx: _Context,
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


def _write_stock(session: Session, records: list[dict], ctx: _Context, is_sample: bool) -> int:
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
