"""Import → export → import gives the same records: a property test over generated rows, both back-ends.

Rows are drawn from each entity's spec (numbers sometimes with thousands separators, text with CJK and
formula-like starts, optional cells left empty), imported from CSV, exported as .xlsx and imported again;
the second import must create nothing and leave every column, read back by SQL, as the first left it.
"""
from __future__ import annotations

import io
import random

import openpyxl
import shapely
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import delete, select

from services import vocabulary
from services.data.cells import credit_check_char
from services.data.exports import records_xlsx
from services.data.imports import MODELS, import_file
from services.data.specs import SPECS, Column
from services.db import read_session, transaction
from services.models import AdminArea, Township
from tests.conftest import call, csv_for

_CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# Printable text of every script, with formula-like starts and inner newlines; no control or private characters.
TEXT = st.text(st.characters(exclude_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp"), include_characters="\n=+-@"),
               min_size=1, max_size=24).map(str.strip).filter(bool)


def _number(column: Column, integer: bool) -> st.SearchStrategy[str]:
    low = column.minimum if column.minimum is not None else -1e6
    high = column.maximum if column.maximum is not None else 1e6
    values = st.integers(int(low), int(high)) if integer else st.floats(low, high, allow_nan=False)
    return values.flatmap(lambda v: st.sampled_from([repr(v) if not integer else str(v), f"{v:,}"]))


def cell_text(column: Column, places: dict) -> st.SearchStrategy[str]:
    kind = column.kind
    if kind in ("int", "float"):
        base = _number(column, kind == "int")
    elif kind == "choice":
        base = st.sampled_from(column.choices)
    elif kind == "bool":
        base = st.sampled_from(["是", "否", "Y", "no", "1", "0"])
    elif kind == "phone":
        # as offices type them (spaces, dashes, brackets): at least six digits; stored in one form (cells._phone)
        base = st.from_regex(r"\+?\(?[0-9]{2,4}\)?[\- ]?[0-9]{4,8}([\- ]?[0-9]{1,4})?", fullmatch=True)
    elif kind == "credit_code":
        base = st.text(st.sampled_from(_CREDIT_CHARS), min_size=17, max_size=17).map(lambda b: b + credit_check_char(b))
    elif kind == "township":
        base = st.sampled_from(places["townships"])
    else:
        base = TEXT.map(lambda s: s[: column.max_length])
    return base if column.required else st.one_of(st.just(""), base)


@st.composite
def entity_rows(draw, entity: str, places: dict) -> list[dict]:
    spec = SPECS[entity]
    key = spec.column(spec.id_field).header
    rows = []
    for _ in range(draw(st.integers(1, 4))):
        row = {c.header: draw(cell_text(c, places)) for c in spec.columns if c.kind not in ("lon", "lat")}
        if entity == "enterprises":  # a category must belong to its sector
            row["类别"] = draw(st.sampled_from(vocabulary.ENTERPRISE_SECTORS[row["行业"]]))
        row["经度"], row["纬度"] = (repr(v) for v in draw(st.sampled_from(places["points"])))
        if row[key] not in {r[key] for r in rows}:
            rows.append(row)
    return rows


def places_of(settings_) -> dict:
    """Township names and 40 points inside the district, drawn once per database (seeded RNG)."""
    with read_session(settings_.database_url) as session:
        names = list(session.scalars(select(Township.name).order_by(Township.code)))
        district = session.get(AdminArea, settings_.region.adcode).geom
    rng = random.Random(3)
    minx, miny, maxx, maxy = district.bounds
    points = []
    while len(points) < 40:
        lon, lat = round(rng.uniform(minx, maxx), 6), round(rng.uniform(miny, maxy), 6)
        if shapely.contains_xy(district, lon, lat):
            points.append((lon, lat))
    return {"townships": names, "points": points}


def snapshot(settings_, entity: str) -> list[tuple]:
    """Every column of the entity's table but the surrogate id, the timestamp and the derived geometry."""
    table = MODELS[entity].__table__
    columns = [c for c in table.c if c.name not in ("id", "updated_at", "geom")]
    with read_session(settings_.database_url) as session:
        return sorted((tuple(r) for r in session.execute(select(*columns))), key=repr)


def round_trip(fresh, entity: str, rows: list[dict]) -> None:
    with transaction(fresh.database_url) as session:
        session.execute(delete(MODELS[entity]))
    first = call(fresh, import_file, entity, csv_for(entity, rows), "in.csv")
    assert first.created == len(rows)
    before = snapshot(fresh, entity)
    exported = call(fresh, records_xlsx, entity, write=False).getvalue()
    again = call(fresh, import_file, entity, exported, "out.xlsx")
    assert (again.rows, again.created, again.updated, again.ignored_columns) == (len(rows), 0, len(rows), ())
    assert snapshot(fresh, entity) == before
    sheet = openpyxl.load_workbook(io.BytesIO(exported)).worksheets[0]
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


_PROPERTY = settings(max_examples=15, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@_PROPERTY
@given(data=st.data())
def test_shelters_survive_import_export_import(fresh, data):
    round_trip(fresh, "shelters", data.draw(entity_rows("shelters", _places(fresh))))


@_PROPERTY
@given(data=st.data())
def test_enterprises_survive_import_export_import(fresh, data):
    round_trip(fresh, "enterprises", data.draw(entity_rows("enterprises", _places(fresh))))


@settings(max_examples=5, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_other_located_entities_survive_import_export_import(fresh, data):
    entity = data.draw(st.sampled_from(["hazards", "depots", "teams", "stations"]))
    round_trip(fresh, entity, data.draw(entity_rows(entity, _places(fresh))))


_PLACES: dict[str, dict] = {}


def _places(settings_) -> dict:
    if settings_.database_url not in _PLACES:
        _PLACES[settings_.database_url] = places_of(settings_)
    return _PLACES[settings_.database_url]


def test_stock_and_vehicles_survive_import_export_import(fresh):
    """References by code (depot, team) and dates: written as the import file spells them."""
    depot = {"储备库编号": "D1", "名称": "=库", "级别": "区级", "库容(立方米)": "100", "经度": "108.7748", "纬度": "29.5328"}
    team = {"队伍编号": "T1", "名称": "队", "队伍类型": "森林消防", "人数": "12", "状态": "待命", "经度": "108.7748",
            "纬度": "29.5328"}
    call(fresh, import_file, "depots", csv_for("depots", [depot]), "d.csv")
    call(fresh, import_file, "teams", csv_for("teams", [team]), "t.csv")
    stock = [{"储备库编号": "D1", "物资编码": "FOOD-RICE", "数量": "1,200.5", "最低库存": "50", "有效期至": "2027-01-31"},
             {"储备库编号": "D1", "物资编码": "FOOD-RICE", "数量": "3", "最低库存": "0", "有效期至": ""}]
    vehicles = [{"车牌号": "渝A12345", "车辆类型": "货车", "所属储备库编号": "D1", "所属队伍编号": "", "载重(千克)": "5000",
                 "容积(立方米)": "20", "状态": "可用"},
                {"车牌号": "-渝B1", "车辆类型": "货车", "所属储备库编号": "", "所属队伍编号": "T1", "载重(千克)": "1e3",
                 "容积(立方米)": "2.5", "状态": "可用"}]
    for entity, rows in (("stock", stock), ("vehicles", vehicles)):
        call(fresh, import_file, entity, csv_for(entity, rows), "in.csv")
        before = snapshot(fresh, entity)
        again = call(fresh, import_file, entity, call(fresh, records_xlsx, entity, write=False).getvalue(), "out.xlsx")
        assert again.rows == len(rows) and snapshot(fresh, entity) == before
