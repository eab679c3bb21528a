"""Spreadsheets as township offices make them (issue 13, point 1), made here by the tests: a title merged over the
sheet, a 填表单位 line and blank rows above the header, an instruction sheet before the data sheet, headers with
line breaks, full-width brackets and synonyms, a township merged down ten rows and written short, villages by short
name or code, units in the cells and in the headers, a note row under the data, .xls and WPS .et workbooks, CSV
title lines. Each import is checked against the exact values stored, on both back-ends, and a file with bad rows
names exactly those rows, numbered as Excel shows them."""
from __future__ import annotations

import csv
import io
import math

import openpyxl
import pytest
import xlwt
from sqlalchemy import select

from geo.coords import wgs84_to_gcj02
from services.data.imports import ImportRejected, import_file, read_table
from services.db import read_session, transaction
from services.models import HazardPoint, Village
from tests.conftest import call

TITLE = "石会镇地灾隐患点台账（2026年）"
UNIT_LINE = "填表单位：石会镇人民政府（盖章）      填表日期：2026年7月2日"
NOTES = [["填表说明"], ["1. 每个隐患点填一行，坐标为 WGS-84。"], ["列名", "说明"], ["隐患点编号", "全区唯一"],
         ["经度", "东经，单位度"]]
HEADER = ["编号", "隐患点名称", "灾害类型", "受威胁\n户数", "受威胁\n人数", "威胁财产（元）", "稳定性", "影响半径（米）",
          "预警等级", "乡镇", "村（社区）", "监测员", "联系电话", "东经", "北纬（°）"]
# Four records under the header (sheet rows 5-8); the township is written once, merged down the four rows.
RECORDS = [
    ["SH-001", "关后滑坡", "滑坡", "３户", "11人", "35000元", "不稳定", "150", "黄", "石会", "关后", "张三",
     "（023）7922 1234", "108°36′36.6″", "29°34′18.4″"],
    ["SH-002", "中元崩塌", "崩塌", 2, 7, 35000, "基本稳定", 80, "蓝", None, "中元村", "李四", "138 0000 0001",
     "１０８．６１２", "２９．５７"],
    ["SH-003", "工农泥石流", "泥石流", "1,200", "4,800", "3.5万元", "稳定", "1,000", "无", None, "500114106201",
     "王五", "138-0000-0002", 108.608, 29.573],
    ["SH-004", "黎明滑坡", "滑坡", 0, 0, 0, "稳定", 50, "无", None, "黎明社区", "", "", "E108d36m30s", "N29d34m"],
]
SHIHUI = "500114106"
EXPECTED = [  # (code, households, people, property 10k yuan, radius, village, township, phone, lon, lat)
    ("SH-001", 3, 11, 3.5, 150.0, "关后社区居民委员会", SHIHUI, "023-79221234",
     108 + 36 / 60 + 36.6 / 3600, 29 + 34 / 60 + 18.4 / 3600),
    ("SH-002", 2, 7, 3.5, 80.0, "中元村村民委员会", SHIHUI, "13800000001", 108.612, 29.57),
    ("SH-003", 1200, 4800, 3.5, 1000.0, "工农村村民委员会", SHIHUI, "13800000002", 108.608, 29.573),
    ("SH-004", 0, 0, 0.0, 50.0, "黎明社区居民委员会", SHIHUI, None, 108 + 36.5 / 60, 29 + 34 / 60),
]


def messy_xlsx(records=RECORDS, *, merge_township=True, header=HEADER) -> bytes:
    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "填表说明"
    for row in NOTES:
        notes.append(row)
    sheet = book.create_sheet("隐患点")
    sheet.append([TITLE])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet.append([UNIT_LINE])
    sheet.append([])
    sheet.append(header)
    for record in records:
        sheet.append(record)
    if merge_township:
        sheet.merge_cells(start_row=5, start_column=10, end_row=5 + len(records) + 3, end_column=10)  # past the data
    sheet.append([])
    sheet.append(["填表人：赵六　　审核人：钱七"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def messy_xls(records=RECORDS) -> bytes:
    """The same sheet as a real BIFF8 .xls (xlwt), merges and all."""
    book = xlwt.Workbook(encoding="utf-8")
    notes = book.add_sheet("填表说明")
    for r, row in enumerate(NOTES):
        for c, value in enumerate(row):
            notes.write(r, c, value)
    sheet = book.add_sheet("隐患点")
    sheet.write_merge(0, 0, 0, len(HEADER) - 1, TITLE)
    sheet.write(1, 0, UNIT_LINE)
    for c, value in enumerate(HEADER):
        sheet.write(3, c, value)
    for r, record in enumerate(records, start=4):
        for c, value in enumerate(record):
            if c == 9:
                continue  # the merged township, written once below
            if value is not None:
                sheet.write(r, c, value)
    sheet.write_merge(4, 4 + len(records) - 1, 9, 9, records[0][9])
    sheet.write(4 + len(records) + 1, 0, "填表人：赵六　　审核人：钱七")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def stored(settings) -> list[tuple]:
    with read_session(settings.database_url) as session:
        return [(h.code, h.threatened_households, h.threatened_people, h.threatened_property_10k_yuan,
                 h.influence_radius_m, h.village, h.township_code, h.contact_phone, h.lon, h.lat)
                for h in session.scalars(select(HazardPoint).order_by(HazardPoint.code))]


def assert_stored(settings, expected=EXPECTED):
    got = stored(settings)
    assert [g[:8] for g in got] == [e[:8] for e in expected]
    for g, e in zip(got, expected):
        assert g[8] == pytest.approx(e[8], abs=1e-7) and g[9] == pytest.approx(e[9], abs=1e-7), g


def test_an_office_workbook_lands_with_the_exact_values(fresh):
    report = call(fresh, import_file, "hazards", messy_xlsx(), "石会镇隐患点.xlsx")
    assert (report.rows, report.created, report.ignored_columns) == (4, 4, ())
    assert_stored(fresh)


def test_an_xls_workbook_reads_like_the_xlsx(fresh):
    content = messy_xls()
    assert content.startswith(b"\xd0\xcf\x11\xe0")  # a real compound file, not an .xlsx renamed
    header, rows = read_table(content, "石会镇隐患点.xls", entity="hazards")
    assert header[:2] == ["编号", "隐患点名称"] and len(rows) == 4 and rows[3][9] == "石会"  # filled from the merge
    call(fresh, import_file, "hazards", content, "石会镇隐患点.xls")
    assert_stored(fresh)


def test_a_wps_et_file_is_read_and_an_unreadable_one_is_named(fresh):
    call(fresh, import_file, "hazards", messy_xls(), "石会镇隐患点.et")  # WPS .et: the same BIFF8 compound file
    assert_stored(fresh)
    with pytest.raises(ImportRejected) as refused:
        call(fresh, import_file, "hazards", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "损坏.et")
    assert refused.value.errors[0].code == "old_excel" and "另存为 .xlsx" in refused.value.errors[0].reason


def test_bad_rows_are_named_by_their_excel_row_numbers(fresh):
    records = [list(r) for r in RECORDS]
    records[1][4] = "七人"           # sheet row 6
    records[3][13] = "109.9"         # sheet row 8: outside the district
    records[3][10] = "关"            # unknown village short name: kept as written, no error
    with pytest.raises(ImportRejected) as refused:
        call(fresh, import_file, "hazards", messy_xlsx(records), "石会镇隐患点.xlsx")
    assert [(e.row, e.column, e.code) for e in refused.value.errors] == [
        (6, "受威胁人数", "not_integer"), (8, "东经", "outside")]
    assert stored(fresh) == []


def test_township_by_short_name_full_name_or_code_and_an_unknown_one_refused(fresh):
    records = [list(r) for r in RECORDS[:3]]
    records[0][9], records[1][9], records[2][9] = "石会镇", SHIHUI, "城西"   # 城西 → 城西街道
    records[2][10] = None
    call(fresh, import_file, "hazards", messy_xlsx(records, merge_township=False), "h.xlsx")
    assert [s[6] for s in stored(fresh)] == [SHIHUI, SHIHUI, "500114003"]
    records = [list(RECORDS[0])]
    records[0][9] = "石"
    with pytest.raises(ImportRejected) as refused:
        call(fresh, import_file, "hazards", messy_xlsx(records, merge_township=False), "h.xlsx")
    assert [(e.row, e.column, e.code) for e in refused.value.errors] == [(5, "乡镇", "township")]


def test_a_village_code_of_another_township_and_an_ambiguous_short_name_are_row_errors(fresh):
    with transaction(fresh.database_url) as session:  # a second 关后 (社区) in 城西街道: 关后 alone is now ambiguous
        session.add(Village(code="500114003999", name="关后社区居民委员会", township_code="500114003"))
    first, second = list(RECORDS[0]), list(RECORDS[1])
    first[9], second[9] = None, "城西街道"
    second[10] = "500114106201"   # 工农村, a village of 石会镇
    with pytest.raises(ImportRejected) as refused:
        call(fresh, import_file, "hazards", messy_xlsx([first, second], merge_township=False), "h.xlsx")
    errors = [(e.row, e.column, e.code) for e in refused.value.errors]
    assert errors == [(5, "村（社区）", "village_ambiguous"), (6, "村（社区）", "village_elsewhere")]
    assert "城西街道关后社区居民委员会、石会镇关后社区居民委员会" in refused.value.errors[0].reason
    assert refused.value.errors[1].reason == "村（社区）“500114106201” 属于石会镇，不属于本行的城西街道"


def csv_text(rows: list[list]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("gb18030")


def test_a_csv_with_title_lines_numbers_rows_as_excel_shows_them(fresh):
    records = [[c if c is not None else "石会" for c in r] for r in RECORDS]
    records[0][11] = "张三\n（白天）"   # a line break inside a cell: Excel shows it in one row
    records[2][2] = "地震"              # row 6 as Excel shows it (title, blank, header, 2 rows)
    with pytest.raises(ImportRejected) as refused:
        call(fresh, import_file, "hazards", csv_text([[TITLE], [], HEADER, *records]), "h.csv")
    assert [(e.row, e.column, e.code) for e in refused.value.errors] == [(6, "灾害类型", "choice")]
    records[2][2] = "泥石流"
    call(fresh, import_file, "hazards", csv_text([[TITLE], [], HEADER, *records]), "h.csv")
    assert [s[:8] for s in stored(fresh)] == [e[:8] for e in EXPECTED]


def test_gcj02_input_lands_within_a_metre_of_the_wgs84_truth(fresh):
    truth = (108.61017, 29.57177)
    lon, lat = wgs84_to_gcj02(*truth)
    records = [list(RECORDS[0])]
    records[0][13], records[0][14] = f"{lon:.8f}", f"{lat:.8f}"
    call(fresh, import_file, "hazards", messy_xlsx(records, merge_township=False), "h.xlsx", crs="GCJ02")
    got = stored(fresh)[0]
    metres = math.hypot((got[8] - truth[0]) * 111_320 * math.cos(math.radians(truth[1])), (got[9] - truth[1]) * 110_574)
    assert metres < 1.0


def test_header_variants_and_synonyms_name_their_fields():
    from services.data.headers import auto_mapping, match_header
    from services.data.specs import SPECS
    hazards, shelters = SPECS["hazards"], SPECS["shelters"]
    cases = {"受威胁\n人数": "threatened_people", "威胁人口": "threatened_people", "威胁人数": "threatened_people",
             "经度（°）": "lon", "东经": "lon", "X坐标": "lon", "纬度(°)": "lat", "北纬": "lat", "Y坐标": "lat",
             "联系电话": "contact_phone", "电话": "contact_phone", "手机": "contact_phone", " 隐患点 编号 ": "code",
             "*名称": "name", "乡镇（街道）": "township", "村（社区）": "village", "威胁财产（万元）":
             "threatened_property_10k_yuan"}
    assert {h: match_header(hazards, h).field for h in cases} == cases
    assert match_header(hazards, "威胁财产（元）").unit == "元" and match_header(hazards, "威胁财产(人)") is None
    assert match_header(shelters, "联系人").field == "contact_person"  # the shelter's 负责人
    # of 联系电话 and 手机 the spec's own header wins; the other column is left out, not doubled
    fields = [m.field if m else None for m in auto_mapping(shelters, ["手机", "联系电话", "备注"])]
    assert fields == [None, "contact_phone", None]


def test_no_synonym_names_two_fields_of_one_entity():
    from services.data.headers import normalise_header
    from services.data.specs import HEADER_SYNONYMS
    from services.data.specs import IMPORTABLE as SPECS  # the entities and the 安全监管 ledgers
    for entity, table in HEADER_SYNONYMS.items():
        owner: dict[str, str] = {normalise_header(c.header): c.field for c in SPECS[entity].columns}
        for field, names in table.items():
            SPECS[entity].column(field)  # every synonym's field exists
            for name in names:
                assert owner.setdefault(normalise_header(name), field) == field, (entity, name)


def test_merged_ranges_fill_rows_with_data_only():
    from services.data.spreadsheet import fill_merged
    rows = [["标题", None, None], ["a", None, "x"], [None, None, "y"], [None, None, None], ["填表人：某", None, None]]
    fill_merged(rows, [(0, 0, 0, 2), (1, 1, 4, 1)])
    assert rows[0] == ["标题"] * 3 and [r[1] for r in rows] == ["标题", None, None, None, None]
    rows[1][1] = "石会"
    fill_merged(rows, [(1, 1, 4, 1)])
    assert [r[1] for r in rows] == ["标题", "石会", "石会", None, None]  # blank row 4 and the note row 5 stay


def test_a_short_name_two_townships_share_is_a_clear_error():
    from services.data.cells import CellError
    from services.data.places import PlaceIndex, township_keys
    index = PlaceIndex()
    for code, name in (("1", "石会镇"), ("2", "石会乡"), ("3", "城西街道")):
        index.township_name[code] = name
        index.townships[code].add(code)
        for key in township_keys(name):
            index.townships[key].add(code)
    assert index.township("城西") == "3" and index.township("石会镇") == "1" and index.township(" 石会乡 ") == "2"
    with pytest.raises(CellError) as refused:
        index.township("石会")
    assert refused.value.code == "township_ambiguous" and refused.value.params["names"] == "石会乡、石会镇"
