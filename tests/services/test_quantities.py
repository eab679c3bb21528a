"""Stock quantities are exact decimals: import → database → export keeps 0.1 + 0.2 = 0.3, on SQLite and PostGIS.

Oracles: the database's own values by direct SQL (a double 0.3 on SQLite, NUMERIC 0.300 on PostgreSQL), the
sheet XML text of the exported workbook, and ``decimal.Decimal`` arithmetic.
"""
from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal

import pytest
from alembic import command
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from shapely.geometry import LineString
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from services.data.cells import CellError, parse_cell
from services.data.exports import records_xlsx
from services.data.imports import import_file
from services.data.specs import SPECS
from services.db import get_engine
from services.db.schema import alembic_config, upgrade
from services.db.uow import unit_of_work
from services.models import StockLine
from services.roads.closures import closure_key
from tests.conftest import call, csv_for

CITY = (108.7748, 29.5328)
QUANTITY = SPECS["stock"].column("quantity")


def _depot(settings) -> None:
    call(settings, import_file, "depots", csv_for("depots", [{"储备库编号": "D1", "名称": "测试库", "级别": "区级",
                                                           "库容(立方米)": "100", "经度": str(CITY[0]),
                                                           "纬度": str(CITY[1])}]), "d.csv")


def _stock(lines: list[tuple[str, str, str]]) -> bytes:
    return csv_for("stock", [{"储备库编号": "D1", "物资编码": code, "数量": quantity, "最低库存": "0",
                              "有效期至": expires} for code, quantity, expires in lines])


def _sql(settings, sql: str) -> list:
    with get_engine(settings.database_url).connect() as conn:
        return list(conn.execute(text(sql)))


def _sheet_cells(workbook: bytes) -> dict[str, tuple[str, str]]:
    """Cell reference → (type attribute, text) from the first sheet's XML, as Excel reads it."""
    xml = zipfile.ZipFile(io.BytesIO(workbook)).read("xl/worksheets/sheet1.xml").decode()
    return {ref: (kind, value) for ref, kind, value in re.findall(r'<c r="([A-Z]+\d+)"[^>]*?t="(\w+)"[^>]*>'
                                                                   r'(?:<v>([^<]*)</v>)?', xml)}


def test_a_tenth_and_two_tenths_are_three_tenths_in_the_database_the_sums_and_the_export(fresh):
    _depot(fresh)
    # Two lines of one batch (merged on import) and two batches of another item (summed by the database).
    lines = [("FOOD-RICE", "0.1", ""), ("FOOD-RICE", "0.2", ""),
             ("WATER-BOTTLED", "0.1", "2030-01-01"), ("WATER-BOTTLED", "0.2", "2031-01-01")]
    call(fresh, import_file, "stock", _stock(lines), "s.csv")
    raw = dict(_sql(fresh, "SELECT item_code, quantity FROM stock_line WHERE item_code = 'FOOD-RICE'"))
    assert raw["FOOD-RICE"] == (Decimal("0.3") if fresh.database_kind == "postgresql" else 0.3)  # not 0.1 + 0.2
    with unit_of_work(fresh) as uow:
        merged = uow.session.scalar(select(StockLine.quantity).where(StockLine.item_code == "FOOD-RICE"))
        summed = uow.session.scalar(select(func.sum(StockLine.quantity)).where(StockLine.item_code == "WATER-BOTTLED"))
    assert isinstance(merged, Decimal) and merged == Decimal("0.3")
    assert isinstance(summed, Decimal) and summed == Decimal("0.3")  # what services.supply.needs sums

    exported = call(fresh, records_xlsx, "stock", write=False).getvalue()
    cells = _sheet_cells(exported)
    quantities = [cells[f"C{row}"] for row in range(2, 5)]
    assert quantities == [("n", "0.3"), ("n", "0.1"), ("n", "0.2")]  # numbers, as written, no float noise

    again = call(fresh, import_file, "stock", exported, "out.xlsx")
    assert again.rows == 3
    with unit_of_work(fresh) as uow:
        after = sorted(uow.session.scalars(select(StockLine.quantity)))
    assert after == [Decimal("0.1"), Decimal("0.2"), Decimal("0.3")]


def test_quantities_with_more_places_than_the_column_keeps_are_refused_not_rounded(fresh):
    from services.data.imports import ImportRejected
    _depot(fresh)
    with pytest.raises(ImportRejected) as info:
        call(fresh, import_file, "stock", _stock([("FOOD-RICE", "0.0005", ""), ("FOOD-OIL", "1,5", ""),
                                                   ("WATER-BOTTLED", "1_000", "")]), "s.csv")
    assert [e.code for e in info.value.errors] == ["decimals", "not_number", "not_number"]
    assert _sql(fresh, "SELECT COUNT(*) FROM stock_line") == [(0,)]


def test_lines_of_one_batch_that_add_up_past_the_maximum_are_refused(fresh):
    from services.data.imports import ImportRejected
    _depot(fresh)
    with pytest.raises(ImportRejected) as info:
        call(fresh, import_file, "stock", _stock([("FOOD-RICE", "1e9", ""), ("FOOD-RICE", "0.001", "")]), "s.csv")
    assert [(e.row, e.code) for e in info.value.errors] == [(3, "range")]


@hypothesis_settings(max_examples=300, deadline=None)
@given(st.decimals(min_value=0, max_value=Decimal(10) ** 9, places=3, allow_nan=False, allow_infinity=False),
       st.sampled_from(["plain", "grouped", "float"]))
def test_any_quantity_of_at_most_three_places_reads_back_exactly(quantity, written):
    if written == "plain":
        cell = format(quantity, "f")
    elif written == "grouped":
        cell = format(quantity, ",f")
    else:  # a workbook's number cell: the double nearest the decimal
        cell = float(quantity)
    assert parse_cell(QUANTITY, cell) == quantity


@given(st.decimals(min_value=0, max_value=1000, places=6, allow_nan=False, allow_infinity=False))
def test_a_quantity_with_a_fourth_place_is_refused(quantity):
    if quantity == quantity.quantize(Decimal("0.001")):
        return
    with pytest.raises(CellError) as info:
        parse_cell(QUANTITY, format(quantity, "f"))
    assert info.value.code == "decimals"


def test_the_migration_makes_existing_float_stock_exact_and_keys_existing_closures(fresh):
    """Downgrade to 0008 (doubles, no closure key), write what the old schema held, upgrade again."""
    _depot(fresh)
    call(fresh, import_file, "stock", _stock([("FOOD-RICE", "1", "")]), "s.csv")
    command.downgrade(alembic_config(fresh.database_url), "0008")
    geom = ("ST_GeomFromText('LINESTRING(108.77 29.53, 108.78 29.53)', 4326)"
            if fresh.database_kind == "postgresql" else "'LINESTRING (108.77 29.53, 108.78 29.53)'")
    with get_engine(fresh.database_url).begin() as conn:
        conn.execute(text("UPDATE stock_line SET quantity = 0.1, minimum_quantity = 0.2"))
        conn.execute(text("UPDATE stock_line SET quantity = quantity + minimum_quantity"))  # 0.30000000000000004
        for active in (True, True, False):
            conn.execute(text("INSERT INTO road_block (created_at, actor, kind, reason, geom, active) VALUES "
                              f"(CURRENT_TIMESTAMP, 'old', 'segment', 'old', {geom}, :active)"), {"active": active})
    assert _sql(fresh, "SELECT quantity FROM stock_line")[0][0] != 0.3  # the double sum it used to store
    upgrade(fresh.database_url)
    command.check(alembic_config(fresh.database_url))
    with unit_of_work(fresh) as uow:
        assert uow.session.scalar(select(StockLine.quantity)) == Decimal("0.3")
    keys = _sql(fresh, "SELECT active, closure_key FROM road_block ORDER BY id")
    assert [(bool(a), k is not None) for a, k in keys] == [(True, True), (True, False), (False, False)]
    assert keys[0][1] == closure_key("segment", LineString([(108.77, 29.53), (108.78, 29.53)]))  # as the service keys
    with pytest.raises(IntegrityError):  # the CHECK constraint survived SQLite's table rebuild
        with get_engine(fresh.database_url).begin() as conn:
            conn.execute(text("UPDATE stock_line SET quantity = -1"))
