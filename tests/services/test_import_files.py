"""Import files that used to lose rows, mistype numbers or fail obscurely: each is read whole or named.

Wrong <dimension> tags, thousands separators, repeated headers, control characters, unreadable files of
every kind (and byte-flipped workbooks from hypothesis) and size caps checked before anything is parsed.
"""
from __future__ import annotations

import dataclasses
import io
import re
import time
import zipfile

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from config import ImportLimits
from services.data.cells import CellError, parse_cell
from services.data.imports import ImportRejected, import_file, read_table
from services.data.specs import SPECS, Column
from services.models import Enterprise, HazardPoint
from services.text.imports import TEXT as _MESSAGES
from tests.conftest import call
from tests.services.test_imports import count, csv_bytes, enterprise_row

HEADERS = SPECS["enterprises"].headers
# No message may show a Python exception (BadZipFile, KeyError, UnicodeDecodeError, ...).
EXCEPTION_NAME = re.compile(r"(Error|Exception|Warning)\b|BadZip|Traceback")


def workbook_bytes(rows: list[dict]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append([float(row[h]) if h in ("经度", "纬度") else row[h] for h in HEADERS])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rewrite_member(content: bytes, member: str, change) -> bytes:
    """The same .xlsx with one zip member's text passed through ``change``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info.filename, change(data.decode()).encode() if info.filename == member else data)
    return out.getvalue()


def rejection(content: bytes, filename: str, limits: ImportLimits = ImportLimits()):
    with pytest.raises(ImportRejected) as info:
        read_table(content, filename, limits)
    error = info.value.errors[0]
    assert not EXCEPTION_NAME.search(error.reason) and not EXCEPTION_NAME.search(error.reason_en), error
    return error


def test_a_wrong_dimension_tag_loses_no_rows(fresh):
    content = workbook_bytes([enterprise_row(i) for i in range(1, 11)])
    sheet = "xl/worksheets/sheet1.xml"
    lying = rewrite_member(content, sheet, lambda xml: re.sub(r'<dimension ref="A1:N11"\s*/>',
                                                              '<dimension ref="A1:C5"/>', xml))
    with zipfile.ZipFile(io.BytesIO(lying)) as z:
        assert '<dimension ref="A1:C5"/>' in z.read(sheet).decode()
    result = call(fresh, import_file, "enterprises", lying, "企业.xlsx")
    assert (result.rows, result.created) == (10, 10)
    assert count(fresh, Enterprise) == 10


INT = Column("数量", "n", "int", minimum=-10**9, maximum=10**9)
FLOAT = Column("面积", "x", "float", minimum=-10**9, maximum=10**9)


@pytest.mark.parametrize("text, expected", [
    ("1,500", 1500), ("12,345,678", 12345678), ("-1,000", -1000), ("1500", 1500), ("+7", 7), ("1e3", 1000),
    (1500.0, 1500),
])
def test_whole_numbers_with_proper_thousands_groups_are_read(text, expected):
    assert parse_cell(INT, text) == expected


@pytest.mark.parametrize("text, expected", [("12,345.6", 12345.6), ("0.5", 0.5), (".5", 0.5), ("1.5e-05", 1.5e-05),
                                            (1.5e-05, 1.5e-05), ("108.7748", 108.7748)])
def test_decimals_with_proper_thousands_groups_are_read(text, expected):
    assert parse_cell(FLOAT, text) == expected


@pytest.mark.parametrize("text", ["1,5", "1_000", "1,00", "1,5000", ",500", "1,,500", "1.500,5", "nan", "inf",
                                  "0x10", "1 000", "12,345.6.7"])
def test_misplaced_separators_are_not_numbers(text):
    for column, code in ((INT, "not_integer"), (FLOAT, "not_number")):
        with pytest.raises(CellError) as info:
            parse_cell(column, text)
        assert info.value.code == code


def test_a_misplaced_comma_is_reported_with_row_and_column(fresh):
    from tests.conftest import csv_for

    def point(code: str, **cells) -> dict:
        return {"隐患点编号": code, "名称": f"测试{code}", "灾害类型": "滑坡", "威胁户数": "1", "威胁人数": "3",
                "威胁财产(万元)": "1", "稳定性": "不稳定", "影响半径(米)": "50", "预警等级": "无", "乡镇街道": "城西街道",
                "经度": "108.7748", "纬度": "29.5328", **cells}
    rows = [point("C-1", 威胁人数="1,500"), point("C-2", 威胁人数="1,5"), point("C-3", 经度="108,7748")]
    with pytest.raises(ImportRejected) as info:
        call(fresh, import_file, "hazards", csv_for("hazards", rows), "h.csv")
    assert [str(e) for e in info.value.errors] == ["第3行 威胁人数: “1,5” 不是整数", "第4行 经度: “108,7748” 不是数字"]
    assert info.value.errors[0].reason_en == "'1,5' is not a whole number"
    assert count(fresh, HazardPoint) == 0


def test_a_repeated_header_rejects_the_file_naming_both_columns(fresh):
    rows = [enterprise_row(1)]
    body = csv_bytes(rows).decode("utf-8-sig").splitlines()
    body = [body[0] + ",经度", body[1] + ",106.55"]
    with pytest.raises(ImportRejected) as info:
        call(fresh, import_file, "enterprises", "\n".join(body).encode(), "e.csv")
    error = info.value.errors[0]
    assert str(error) == "第1行 经度: 列名“经度”出现两次（M列和O列，即第13列和第15列），无法确定使用哪一列"
    assert "columns M and O, positions 13 and 15" in error.reason_en
    assert count(fresh, Enterprise) == 0


@pytest.mark.parametrize("name, shown", [("测试\x00公司", "U+0000（第3个字符）"), ("\x07铃", "U+0007（第1个字符）"),
                                         ("a\x1bb", "U+001B（第2个字符）")])
def test_control_characters_in_a_text_cell_are_refused(fresh, name, shown):
    rows = [enterprise_row(1), enterprise_row(2, 企业名称=name)]
    with pytest.raises(ImportRejected) as info:
        call(fresh, import_file, "enterprises", csv_bytes(rows), "e.csv")
    assert [str(e) for e in info.value.errors] == [f"第3行 企业名称: 含有不可见的控制字符 {shown}，请删除后重新导入"]
    assert count(fresh, Enterprise) == 0


def test_tabs_and_newlines_in_a_text_cell_are_kept(fresh):
    call(fresh, import_file, "enterprises", csv_bytes([enterprise_row(1, 地址="城西街道\n2号\t楼")]), "e.csv")
    assert count(fresh, Enterprise) == 1


def _no_sheet(content: bytes) -> bytes:
    return rewrite_member(content, "xl/workbook.xml", lambda xml: re.sub(r"<sheets>.*</sheets>", "<sheets/>", xml))


def _zip_of(**members: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in members.items():
            z.writestr(name, text)
    return out.getvalue()


def _encrypted(content: bytes) -> bytes:
    """The workbook with an open password, as Excel writes it (ECMA-376 agile encryption, by msoffcrypto-tool)."""
    from msoffcrypto.format.ooxml import OOXMLFile
    out = io.BytesIO()
    OOXMLFile(io.BytesIO(content)).encrypt("secret", out)
    return out.getvalue()


GOOD = workbook_bytes([enterprise_row(1)])
# An XML entity bomb ("billion laughs") in a sheet: openpyxl parses through defusedxml, which forbids entities.
ENTITIES = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>')
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
UNREADABLE = [
    ("truncated.xlsx", GOOD[: len(GOOD) // 2], "not_xlsx"),
    ("random.xlsx", bytes(range(256)) * 8, "not_xlsx"),
    ("text.xlsx", b"credit,name\n1,2\n", "not_xlsx"),
    ("other.xlsx", _zip_of(**{"readme.txt": "hello"}), "not_xlsx"),
    ("doc.xlsx", _zip_of(**{"[Content_Types].xml": "<Types/>", "word/document.xml": "<w/>"}), "not_xlsx"),
    ("badxml.xlsx", rewrite_member(GOOD, "xl/worksheets/sheet1.xml", lambda xml: xml[: len(xml) // 2]), "not_xlsx"),
    ("nosheet.xlsx", _no_sheet(GOOD), "no_sheet"),
    ("laughs.xlsx", rewrite_member(GOOD, "xl/worksheets/sheet1.xml",
                                   lambda xml: ENTITIES + xml.replace("测试建材有限公司1", "&lol2;")), "not_xlsx"),
    ("locked.xlsx", _encrypted(GOOD), "encrypted"),
    ("old.xls", OLE + "Workbook".encode("utf-16-le"), "old_excel"),
    ("old.et", OLE, "old_excel"),
    ("old.xlsx", OLE, "old_excel"),
    ("web.xls", b"<html><table><tr><td>1</td></tr></table></html>", "old_excel"),
    ("photo.csv", b"\x89PNG\r\n\x1a\n" + bytes(100), "binary"),
    ("blob.csv", bytes(range(256)) * 4, "binary"),
    ("latin.csv", "名称\n".encode() + b"\x80\x80abc\xff\n", "encoding"),
    ("long.csv", b'a,b\n"' + b"x" * 200_000 + b'",1\n', "bad_csv"),
]


@pytest.mark.parametrize("filename, content, code", UNREADABLE, ids=[u[0] for u in UNREADABLE])
def test_each_kind_of_unreadable_file_gets_its_own_human_message(filename, content, code):
    error = rejection(content, filename)
    zh, en = _MESSAGES[code]
    assert (error.row, error.column) == (2 if code == "bad_csv" else 1, filename)
    assert error.reason.startswith(zh.split("{")[0]) and error.reason_en.startswith(en.split("{")[0])


def test_an_empty_workbook_and_an_empty_file_are_named_as_empty():
    book = openpyxl.Workbook()
    buffer = io.BytesIO()
    book.save(buffer)
    for content, name in ((buffer.getvalue(), "empty.xlsx"), (b"", "empty.csv")):
        assert rejection(content, name).reason == "文件中没有数据行"


def test_a_utf16_tab_separated_export_is_read():
    text = "\t".join(HEADERS) + "\n" + "\t".join(enterprise_row(1).values()) + "\n"
    header, rows = read_table(text.encode("utf-16"), "unicode.txt")
    assert header == HEADERS and rows[0][1] == "测试建材有限公司1"


@settings(max_examples=64, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_damaged_workbook_is_read_or_refused_with_a_catalogued_message(data):
    """Byte flips and truncations of a good workbook: rows come back, or one message from the catalogue."""
    content = bytearray(GOOD)
    if data.draw(st.booleans(), label="truncate"):
        content = content[: data.draw(st.integers(0, len(content) - 1), label="length")]
    for _ in range(data.draw(st.integers(1, 4), label="flips")):
        if content:
            content[data.draw(st.integers(0, len(content) - 1))] = data.draw(st.integers(0, 255))
    try:
        read_table(bytes(content), "damaged.xlsx")
    except ImportRejected as exc:
        error = exc.errors[0]
        assert not EXCEPTION_NAME.search(error.reason_en)
        assert any(error.reason_en.startswith(en.split("{")[0]) for _zh, en in _MESSAGES.values())


def test_an_upload_over_the_size_cap_is_refused_before_parsing():
    error = rejection(b"x" * 2 * 1024 * 1024, "e.csv", ImportLimits(max_upload_bytes=1024 * 1024))
    assert error.reason == "文件大小 2.0 MB，超过 1.0 MB 的上限，请拆分后分批导入"


def test_a_workbook_that_unpacks_past_the_cap_is_refused_quickly():
    """~60 MB of sheet XML in a 3 MB file: refused from the zip directory, before openpyxl parses a byte."""
    rows = "".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>测试建材有限公司</t></is></c></row>'
                   for r in range(2, 600_000))
    bomb = rewrite_member(GOOD, "xl/worksheets/sheet1.xml",
                          lambda xml: re.sub(r"<sheetData>.*</sheetData>", f"<sheetData>{rows}</sheetData>", xml))
    assert len(bomb) < 4_000_000
    started = time.perf_counter()
    error = rejection(bomb, "bomb.xlsx")
    assert time.perf_counter() - started < 1.0
    assert error.reason.startswith("工作簿解压后有 ") and "超过 50.0 MB 的上限" in error.reason


def test_an_absurd_compression_ratio_is_refused():
    padding = "<!--" + " " * 3_000_000 + "-->"
    bomb = rewrite_member(GOOD, "xl/worksheets/sheet1.xml", lambda xml: xml.replace("<sheetData>", padding + "<sheetData>"))
    error = rejection(bomb, "bomb.xlsx")
    assert error.reason_en.startswith("workbook part 'xl/worksheets/sheet1.xml' is compressed ")


def test_more_data_rows_than_the_cap_are_refused_naming_the_first_row_over(fresh):
    limits = ImportLimits(max_data_rows=5)
    error = rejection(csv_bytes([enterprise_row(i) for i in range(1, 8)]), "e.csv", limits)
    assert str(error) == "第7行 e.csv: 数据超过 5 行的上限，请拆分后分批导入"
    capped = dataclasses.replace(fresh, imports=limits)
    assert call(capped, import_file, "enterprises", csv_bytes([enterprise_row(i) for i in range(1, 6)]), "e.csv").rows == 5
    with pytest.raises(ImportRejected):
        call(capped, import_file, "enterprises", workbook_bytes([enterprise_row(i) for i in range(1, 7)]), "e.xlsx")


def test_a_workbook_whose_directory_claims_an_unknown_zip_version_is_refused():
    """Found by the damaged-workbook property: a flipped byte made zipfile raise NotImplementedError."""
    content = bytearray(GOOD)
    end = content.rfind(b"PK\x01\x02")  # the last central-directory entry: "version needed to extract" at +6
    content[end + 6] = 64
    error = rejection(bytes(content), "damaged.xlsx")
    assert error.reason_en.startswith(_MESSAGES["not_xlsx"][1].split("{")[0])
