"""Cells as township offices type them (issue 13, point 1): full-width digits, units in the cell, degrees-minutes-
seconds, phones with brackets and spaces, dates in every common form; each read to the exact value, and what cannot
be read refused with its own reason."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from services.data.cells import CellError, parse_cell
from services.data.specs import SPECS, Column

PEOPLE = Column("受威胁人数", "threatened_people", "int", minimum=0)
MONEY = Column("威胁财产(万元)", "threatened_property_10k_yuan", "float", minimum=0)
MONEY_FULL_WIDTH = Column("威胁财产（万元）", "x", "float", minimum=0)
MASS = Column("数量(kg)", "kg", "decimal", minimum=0)
LON = Column("经度", "lon", "lon", minimum=-180, maximum=180)
LAT = Column("纬度", "lat", "lat", minimum=-90, maximum=90)
PHONE = Column("联系电话", "phone", "phone", required=False)
DATE = Column("有效期至", "expires_on", "date", required=False)


@pytest.mark.parametrize(("column", "cell", "value"), [
    (PEOPLE, "１２３", 123), (PEOPLE, "1,500", 1500), (PEOPLE, "１，５００", 1500), (PEOPLE, "11人", 11),
    (PEOPLE, "11 户", 11), (PEOPLE, " 7名 ", 7),
    (MONEY, "3.5", 3.5), (MONEY, "３．５万元", 3.5), (MONEY, "35000元", 3.5), (MONEY, "1.2亿元", 12000.0),
    (MONEY_FULL_WIDTH, "35,000元", 3.5),
    (MASS, "2吨", Decimal("2000.000")), (MASS, "1,250 kg", Decimal("1250.000")),
    (LON, "108°46′14.5″", 108 + 46 / 60 + 14.5 / 3600), (LON, "108°46'14.5\"", 108 + 46 / 60 + 14.5 / 3600),
    (LON, "108度46分14.5秒", 108 + 46 / 60 + 14.5 / 3600), (LON, "E108d46m14.5s", 108 + 46 / 60 + 14.5 / 3600),
    (LON, "东经108°46′", 108 + 46 / 60), (LON, "108:46:14.5", 108 + 46 / 60 + 14.5 / 3600),
    (LAT, "29°31′N", 29 + 31 / 60), (LAT, "２９．５２", 29.52), (LON, "108.7869", 108.7869),
    (PHONE, "（023）7922 1234", "023-79221234"), (PHONE, "023-7922-1234", "023-79221234"),
    (PHONE, "010 6552 9988", "010-65529988"), (PHONE, "１３８ ００００ ００００", "13800000000"),
    (PHONE, "138-0000-0000", "13800000000"), (PHONE, "+86 138 0000 0000", "+8613800000000"),
    (DATE, "2026-07-02", dt.date(2026, 7, 2)), (DATE, "2026/7/2", dt.date(2026, 7, 2)),
    (DATE, "2026.07.02", dt.date(2026, 7, 2)), (DATE, "2026年7月2日", dt.date(2026, 7, 2)),
    (DATE, "２０２６年７月２日", dt.date(2026, 7, 2)), (DATE, "2026-07-02 08:30", dt.date(2026, 7, 2)),
    (DATE, "46205", dt.date(2026, 7, 2)), (DATE, 46205.0, dt.date(2026, 7, 2)),
    (DATE, dt.datetime(2026, 7, 2, 8, 30), dt.date(2026, 7, 2)),
])
def test_a_messy_cell_reads_to_the_exact_value(column, cell, value):
    got = parse_cell(column, cell)
    if isinstance(value, float):
        assert got == pytest.approx(value, abs=1e-9)
    else:
        assert got == value and type(got) is type(value)


@pytest.mark.parametrize(("column", "cell", "code"), [
    (PEOPLE, "11万元", "unit_unknown"),        # money in a column of people
    (MONEY, "11人", "unit_mismatch"),           # people in a column of 万元
    (MASS, "3万元", "unit_mismatch"),
    (PEOPLE, "12abc", "not_integer"), (MONEY, "1,5", "not_number"),
    (LON, "108.9x", "not_number"), (LON, "108°61′", "dms"), (LON, "108.5°30′", "dms"),
    (PHONE, "12345", "phone"), (PHONE, "023-7922-abcd", "phone"),
    (DATE, "2026-13-02", "date"), (DATE, "2026年2月30日", "date"), (DATE, "7/2/2026", "date"), (DATE, "123", "date"),
])
def test_what_cannot_be_read_is_refused_with_its_reason(column, cell, code):
    with pytest.raises(CellError) as refused:
        parse_cell(column, cell)
    assert refused.value.code == code


def test_the_unit_of_a_column_comes_from_its_header():
    from services.data.cells import column_unit
    money = next(c for c in SPECS["hazards"].columns if c.field == "threatened_property_10k_yuan")
    assert column_unit(money) == "万元" and column_unit(MONEY_FULL_WIDTH) == "万元" and column_unit(PEOPLE) is None
    assert parse_cell(money, "50000元") == 5.0
