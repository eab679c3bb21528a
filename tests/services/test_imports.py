"""The importer on both back-ends: a bad row rejects the whole file and writes nothing; good files land."""
from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from geo.coords import wgs84_to_bd09, wgs84_to_gcj02
from services.data.cells import credit_check_char
from services.data.imports import ImportRejected, import_file
from services.data.specs import SPECS
from services.db import read_session, transaction
from services.models import AuditLog, Enterprise, StockLine
from tests.conftest import call


def credit_code(serial: int) -> str:
    body = f"91500114MA{serial:07d}"
    return body + credit_check_char(body)


def enterprise_row(serial: int, **overrides) -> dict:
    row = {
        "统一社会信用代码": credit_code(serial), "企业名称": f"测试建材有限公司{serial}", "行业": "工贸",
        "类别": "建材", "规模": "规上", "风险等级": "一般", "两单两卡": "已完成",
        "所在园区": "", "联系人": "张三", "联系电话": "13800000000", "地址": "城西街道",
        "乡镇街道": "城西街道", "经度": "108.7748", "纬度": "29.5328",
    }
    row.update(overrides)
    return row


def csv_bytes(rows: list[dict], headers: list[str] | None = None) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=headers or SPECS["enterprises"].headers, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def count(settings, model) -> int:
    with read_session(settings.database_url) as session:
        return session.scalar(select(func.count()).select_from(model))


def test_one_bad_row_rejects_the_file_and_names_row_column_reason(fresh):
    rows = [enterprise_row(i) for i in range(1, 21)]
    rows[10]["经度"] = "108.9x"  # the 11th data row is spreadsheet row 12
    audit_before = count(fresh, AuditLog)
    with pytest.raises(ImportRejected) as info:
        call(fresh, import_file, "enterprises", csv_bytes(rows), "企业.csv")
    assert [str(e) for e in info.value.errors] == ["第12行 经度: “108.9x” 不是数字"]
    assert info.value.errors[0].reason_en == "'108.9x' is not a number"
    assert count(fresh, Enterprise) == 0
    assert count(fresh, AuditLog) == audit_before


def test_good_file_is_written_once_with_an_audit_row_and_reimport_updates(fresh):
    rows = [enterprise_row(i) for i in range(1, 6)]
    result = call(fresh, import_file, "enterprises", csv_bytes(rows), "企业.csv", actor="tester")
    assert (result.rows, result.created, result.updated) == (5, 5, 0)
    rows[0]["风险等级"] = "重大"
    again = call(fresh, import_file, "enterprises", csv_bytes(rows), "企业.csv", actor="tester")
    assert (again.created, again.updated) == (0, 5)
    with read_session(fresh.database_url) as session:
        assert session.scalar(select(Enterprise.risk_level).where(
            Enterprise.credit_code == credit_code(1))) == "重大"
        audits = session.scalars(select(AuditLog).where(AuditLog.action == "import")).all()
    assert [(a.actor, a.entity) for a in audits] == [("tester", "enterprises")] * 2
    assert count(fresh, Enterprise) == 5


@pytest.mark.parametrize("overrides, expected", [
    ({"风险等级": "特大"}, "第2行 风险等级: “特大” 不是允许的值"),
    ({"类别": "加油站"}, "第2行 类别: 类别“加油站”不属于行业“工贸”"),
    ({"乡镇街道": "城北街道"}, "第2行 乡镇街道: “城北街道” 不是本区的乡镇街道"),
    ({"经度": "106.55", "纬度": "29.56"}, "第2行 经度: 点位 (106.55, 29.56) 不在黔江区范围内"),
    ({"统一社会信用代码": "91500114MA00000010"}, "第2行 统一社会信用代码: “91500114MA00000010” 校验位错误"),
    ({"企业名称": ""}, "第2行 企业名称: 不能为空"),
])
def test_each_kind_of_bad_value_is_named(fresh, overrides, expected):
    with pytest.raises(ImportRejected) as info:
        call(fresh, import_file, "enterprises", csv_bytes([enterprise_row(1, **overrides)]), "e.csv")
    assert str(info.value.errors[0]).startswith(expected)
    assert count(fresh, Enterprise) == 0


def test_duplicate_key_and_missing_column_are_reported(fresh):
    rows = [enterprise_row(1), enterprise_row(2), enterprise_row(1)]
    with pytest.raises(ImportRejected) as info:
        call(fresh, import_file, "enterprises", csv_bytes(rows), "e.csv")
    assert str(info.value.errors[0]) == f"第4行 统一社会信用代码: “{credit_code(1)}” 与第2行重复"
    headers = [h for h in SPECS["enterprises"].headers if h != "风险等级"]
    with pytest.raises(ImportRejected) as info:
        call(fresh, import_file, "enterprises", csv_bytes([enterprise_row(1)], headers), "e.csv")
    assert str(info.value.errors[0]) == "第1行 风险等级: 缺少列“风险等级”"


@pytest.mark.parametrize("crs, convert", [("GCJ02", wgs84_to_gcj02), ("BD09", wgs84_to_bd09)])
def test_declared_coordinate_system_is_converted_to_wgs84(fresh, crs, convert):
    lon, lat = 108.7748, 29.5328
    clon, clat = convert(lon, lat)
    row = enterprise_row(1, 经度=f"{clon:.7f}", 纬度=f"{clat:.7f}", 乡镇街道="")
    call(fresh, import_file, "enterprises", csv_bytes([row]), "e.csv", crs=crs)
    with read_session(fresh.database_url) as session:
        e = session.scalars(select(Enterprise)).one()
    assert abs(e.lon - lon) < 2e-6 and abs(e.lat - lat) < 2e-6
    assert abs(e.geom.x - lon) < 2e-6
    assert e.township_code == "500114003"  # derived from the point: 城西街道


def test_excel_file_with_chinese_headers_imports(fresh):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(SPECS["enterprises"].headers)
    row = enterprise_row(7)
    sheet.append([float(row[h]) if h in ("经度", "纬度") else row[h] for h in SPECS["enterprises"].headers])
    buffer = io.BytesIO()
    book.save(buffer)
    result = call(fresh, import_file, "enterprises", buffer.getvalue(), "企业.xlsx")
    assert result.created == 1


def test_stock_refers_to_known_depots_and_items(fresh):
    depot = {"储备库编号": "D1", "名称": "测试库", "级别": "区级", "库容(立方米)": "100", "负责人": "",
             "联系电话": "", "地址": "", "乡镇街道": "城西街道", "经度": "108.7748", "纬度": "29.5328"}
    call(fresh, import_file, "depots", csv_bytes([depot], SPECS["depots"].headers), "d.csv")
    stock = [{"储备库编号": "D1", "物资编码": "FOOD-RICE", "数量": "100", "最低库存": "50", "有效期至": "2027-01-01"},
             {"储备库编号": "D9", "物资编码": "GOLD", "数量": "1", "最低库存": "0", "有效期至": ""}]
    with pytest.raises(ImportRejected) as info:
        call(fresh, import_file, "stock", csv_bytes(stock, SPECS["stock"].headers), "s.csv")
    assert [str(e) for e in info.value.errors] == ["第3行 储备库编号: “D9” 在储备库中不存在",
                                                   "第3行 物资编码: “GOLD” 在物资目录中不存在"]
    call(fresh, import_file, "stock", csv_bytes(stock[:1], SPECS["stock"].headers), "s.csv")
    call(fresh, import_file, "stock", csv_bytes(stock[:1], SPECS["stock"].headers), "s.csv")
    assert count(fresh, StockLine) == 1  # a stock file replaces the depot's lines, it does not add


def test_an_import_is_written_only_when_its_unit_of_work_commits(fresh):
    """The importer writes into the caller's transaction: a failure after it returns leaves nothing behind."""
    from services.db.uow import unit_of_work
    with pytest.raises(RuntimeError):
        with unit_of_work(fresh, write=True, actor="tester") as uow:
            assert import_file(uow, "enterprises", csv_bytes([enterprise_row(i) for i in range(1, 4)]),
                               "e.csv").created == 3
            raise RuntimeError("the caller fails after the import returned")
    assert count(fresh, Enterprise) == 0 and count(fresh, AuditLog) == 2  # geography and catalogue only


def test_database_enforces_vocabularies_too(fresh):
    call(fresh, import_file, "enterprises", csv_bytes([enterprise_row(1)]), "e.csv")
    with pytest.raises(IntegrityError):
        with transaction(fresh.database_url) as session:
            session.scalars(select(Enterprise)).one().risk_level = "特大"


def test_unreadable_file_is_rejected_with_a_message(fresh):
    with pytest.raises(ImportRejected) as info:
        call(fresh, import_file, "enterprises", b"PK\x03\x04 not really a workbook", "broken.xlsx")
    assert "不是有效的 Excel 工作簿" in str(info.value.errors[0])  # the kind of file, not a Python exception


def test_every_text_limit_of_the_importer_fits_its_database_column():
    from sqlalchemy import String

    from services.data.imports import MODELS
    for key, spec in SPECS.items():
        table = MODELS[key].__table__
        for col in spec.columns:
            if col.field in table.c and isinstance(table.c[col.field].type, String):
                length = table.c[col.field].type.length
                limit = max(map(len, col.choices)) if col.choices else \
                    {"credit_code": 18, "phone": 20}.get(col.kind, col.max_length)
                assert length is None or limit <= length, f"{key}.{col.field}: {limit} > {length}"
