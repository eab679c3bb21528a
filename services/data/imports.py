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
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import shapely
from shapely.geometry import Point
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from geo.coords import to_wgs84
from services import vocabulary
from services.data.cells import CellError, RowError, parse_cell, row_error
from services.data.headers import shown_header
from services.data.geocode import Gazetteer, gazetteer, place
from services.data.online_geocode import OnlinePlacer, online_placer
from services.data.places import PlaceIndex
from services.data.specs import IMPORTABLE, LEDGERS, EntitySpec
from services.data.tables import (  # noqa: F401 — the file-level names, re-exported for the edges
    MAX_REPORTED_ERRORS,
    ImportFile,
    ImportRejected,
    SourceTable,
    bare_number,
    column_fields,
    locate_table,
    mapped_columns,
    read_file,
    read_table,
)
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
    gazetteer: Gazetteer
    online: OnlinePlacer | None = None  # the configured online geocoder (services/data/online_geocode.py), or none
    uow: UnitOfWork | None = None       # the ledgers' checks read the database (services/supervision/ledgers.py)
    enterprise_ids: dict[str, int] | None = None  # credit code → id, for the ledgers


def load_context(uow: UnitOfWork) -> ValidationContext:
    session, settings = uow.session, uow.settings
    townships = session.scalars(select(Township).order_by(Township.code)).all()
    polys = [t.geom for t in townships]
    district = session.get(AdminArea, settings.region.adcode).geom
    shapely.prepare(district)
    gz = gazetteer(uow)
    online = online_placer(settings.geocoding, settings.region.adcode, settings.region.name_zh, district,
                           dict(zip((t.code for t in townships), polys)), gz.places.township_name)
    return ValidationContext(
        region_name=settings.region.name_zh,
        district=district,
        township_codes=[t.code for t in townships],
        township_tree=shapely.STRtree(polys), township_polys=polys,
        depot_ids=dict(session.execute(select(Depot.code, Depot.id)).all()),
        team_ids=dict(session.execute(select(RescueTeam.code, RescueTeam.id)).all()),
        item_codes=set(session.scalars(select(SupplyItem.code))),
        places=gz.places,
        gazetteer=gz,
        online=online,
        uow=uow,
    )


def _township_of(ctx: ValidationContext, lon: float, lat: float) -> str | None:
    point = Point(lon, lat)
    for idx in ctx.township_tree.query(point, predicate="intersects"):
        return ctx.township_codes[int(idx)]
    return None


def validate_rows(spec: EntitySpec, table: SourceTable, crs: str, ctx: ValidationContext,
                  mapping: Sequence[str | None] | None = None) -> tuple[list[dict], list[RowError]]:
    """Typed records for every row, or the errors; rows numbered as the spreadsheet shows them."""
    header = list(table.header)
    fields, units, errors = mapped_columns(spec, header, mapping, table.header_row)
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
            if i in units and bare_number(cell):
                cell = f"{cell}{units[i]}"  # a bare number in a 元 column of a 万元 field: read as 元
            try:
                record[col.field] = parse_cell(col, cell)
            except CellError as exc:
                errors.append(row_error(row_no, names.get(col.field, col.header), exc.code, **exc.params))
                record[col.field] = None
                record.setdefault("_bad", set()).add(col.field)
        errors.extend(_check_record(spec, record, row_no, crs, ctx, seen, names))
        records.append(record)
    if not records and not errors:
        errors.append(row_error(table.header_row + 1, spec.headers[0], "empty_file"))
    return records, errors


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
    if spec.key in LEDGERS:
        from services.supervision.ledgers import enterprise_ids, ledger_errors
        if ctx.enterprise_ids is None:
            ctx.enterprise_ids = enterprise_ids(ctx.uow)
        errs.extend(ledger_errors(ctx.uow, spec.key, rec, row_no, ctx.enterprise_ids,
                                  lambda name: names.get(name, _header(spec, name))))
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
    if {"lon", "lat"} & rec.get("_bad", set()):
        return errs  # a coordinate cell that did not read is named already
    if rec.get("lon") is None and rec.get("lat") is None:
        return errs if errs else _geocode(spec, rec, row_no, ctx, names)
    if rec.get("lon") is None or rec.get("lat") is None:
        missing = "lon" if rec.get("lon") is None else "lat"
        return [*errs, row_error(row_no, names.get(missing, _header(spec, missing)), "required")]
    rec["location_quality"] = vocabulary.LOCATION_EXACT
    lon, lat = to_wgs84(float(rec["lon"]), float(rec["lat"]), crs)
    if not ctx.district.contains(Point(lon, lat)):
        errs.append(row_error(row_no, names["lon"], "outside", lon=rec["lon"], lat=rec["lat"], region=ctx.region_name))
        return errs
    rec["lon"], rec["lat"] = round(lon, 7), round(lat, 7)
    if rec.get("township_code") is None and not errs:
        rec["township_code"] = _township_of(ctx, lon, lat)
    return errs


def _geocode(spec: EntitySpec, rec: dict, row_no: int, ctx: ValidationContext,
             names: dict[str, str]) -> list[RowError]:
    """A row without coordinates placed from its address, township and village (services/data/geocode.py)."""
    placed = place(ctx.gazetteer, rec.get("address"), rec.get("township_code"), rec.get("village"))
    if ctx.online is not None:  # off by default: then no address leaves the machine
        placed = ctx.online.improve(placed, rec.get("address"), rec.get("village"))
    if placed.quality == vocabulary.LOCATION_NONE:
        return [row_error(row_no, names.get("lon", _header(spec, "lon")), "unlocated")]
    rec["lon"], rec["lat"] = round(placed.lon, 7), round(placed.lat, 7)
    rec["location_quality"] = placed.quality
    if rec.get("township_code") is None:
        rec["township_code"] = placed.township_code
        rec["township"] = ctx.places.township_name[placed.township_code]
    return []


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
    spec = IMPORTABLE[entity]
    if entity in LEDGERS:
        uow.principal.require("supervision.write")
    source = locate_table(spec, table)
    session = uow.session
    transaction_lock(uow, f"qj-import:{entity}")
    ctx = load_context(uow)
    records, errors = validate_rows(spec, source, table.crs, ctx, mapping)
    if errors:
        raise ImportRejected(errors)
    if entity in LEDGERS:
        from services.supervision.ledgers import write_ledger
        created, updated = write_ledger(uow, entity, records, is_sample), 0
    else:
        created, updated = _write(session, spec, records, ctx, is_sample)
    if entity in ("hazards", "stations"):  # 风险感知: which station watches which point follows the points
        from services.monitoring.assignments import assign_by_distance
        assign_by_distance(uow)
    audit.record(session, actor=uow.actor, action="import", entity=entity, entity_key=table.filename,
                 detail={"rows": len(records), "created": created, "updated": updated, "crs": table.crs,
                         "sample": is_sample, **_online_detail(ctx)})
    return ImportReport(entity, len(records), created, updated, table.crs, _ignored(spec, source, mapping))


def _online_detail(ctx: ValidationContext) -> dict:
    """Whether addresses were sent to an online geocoder, which, and how many: the audit says so."""
    if ctx.online is None:
        return {}
    return {"geocoder": ctx.online.geocoder.name, "geocoder_lookups": ctx.online.lookups}


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
        if spec.key == "stations" and values.get("interval_min") is None:
            values.pop("interval_min", None)  # an empty interval keeps the stored one (the column's default: 60)
        obj = existing.get(rec[spec.id_field])
        if obj is None:
            session.add(model(**values))
            created += 1
        else:
            for k, v in values.items():
                setattr(obj, k, v)
    session.flush()
    if spec.key == "enterprises":  # the four 两单两卡 cards follow the summary the file states (cards.py)
        from services.supervision.cards import sync_cards_from_summary
        keys = [r[spec.id_field] for r in records]
        sync_cards_from_summary(session, session.scalars(select(model.id).where(key_attr.in_(keys))).all())
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
    column = IMPORTABLE["stock"].column("quantity")
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
