"""`python app.py import-readings FILE`: a messy sheet made here (title rows, synonyms, a unit in the header, local
times written several ways, merged station cells, a note row) is stored exactly; a bad row names the sheet's row and
column and nothing is written; on SQLite and PostGIS."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

import app
from tests.services.station_world import add_stations, count, stored

UTC = dt.timezone.utc


def run(monkeypatch, capsys, settings, argv: list[str]) -> tuple[int, str, str]:
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("QJ_INSTANCE_DIR", str(settings.instance_dir))
    code = app.main(argv)
    out = capsys.readouterr()
    assert "Traceback" not in out.err + out.out
    return code, out.out, out.err


def messy_workbook(path, extra_rows=()) -> None:
    book = openpyxl.Workbook()
    note = book.active
    note.title = "填表说明"
    note.append(["本表填写监测站点读数，时间为北京时间"])
    sheet = book.create_sheet("读数")
    sheet.append(["黔江区监测站点读数汇总表"])
    sheet.append([])
    sheet.append(["序号", "测站编码", "观测时间", "监测要素", "读数（mm）", "单位", "备注"])
    rows = [
        (1, "RG-1", dt.datetime(2026, 7, 2, 8, 0), "降雨量", 1.5, None),       # a date-time cell, local time
        (2, None, "2026/7/2 9:00", "雨量", "0.7cm", None),                     # merged station cell, unit after it
        (3, None, "2026年7月2日 10时30分", "rainfall", 2, "厘米"),               # Chinese marks; the unit column
        (4, "HY-1", "2026-07-02T08:00+08:00", "水位", 312.5, "m"),             # a zone of its own; unit over header
        (5, "WX-1", "2026-07-02 08:00:00", "气温", 25.5, "℃"),
        (6, "WX-1", 46205.5, "Wind speed", 36, "km/h"),                        # an Excel serial: 2026-07-02 12:00
    ]
    for row in [*rows, *extra_rows]:
        sheet.append(list(row))
    sheet.merge_cells("B4:B6")
    sheet.append(["填表人：张三"])
    book.save(path)


@pytest.fixture
def world(fresh):
    add_stations(fresh)
    return fresh


def test_a_messy_sheet_is_stored_exactly_in_utc(world, tmp_path, monkeypatch, capsys):
    path = tmp_path / "读数.xlsx"
    messy_workbook(path)
    code, out, err = run(monkeypatch, capsys, world, ["import-readings", str(path)])
    assert code == 0, err
    assert "6" in out and "新存 6 条" in out
    assert stored(world) == [
        ("HY-1", "water_level", dt.datetime(2026, 7, 2, 0, 0, tzinfo=UTC), 312.5, 0),
        ("RG-1", "rainfall", dt.datetime(2026, 7, 2, 0, 0, tzinfo=UTC), 1.5, 0),
        ("RG-1", "rainfall", dt.datetime(2026, 7, 2, 1, 0, tzinfo=UTC), 7.0, 0),
        ("RG-1", "rainfall", dt.datetime(2026, 7, 2, 2, 30, tzinfo=UTC), 20.0, 0),
        ("WX-1", "temperature", dt.datetime(2026, 7, 2, 0, 0, tzinfo=UTC), 25.5, 0),
        ("WX-1", "wind_speed", dt.datetime(2026, 7, 2, 4, 0, tzinfo=UTC), 10.0, 0)]
    code, out, err = run(monkeypatch, capsys, world, ["import-readings", str(path)])  # again: all duplicates
    assert code == 0 and "重复 6 条" in out and count(world) == 6
    code, out, err = run(monkeypatch, capsys, world, ["import-readings", str(path), "--drill", "2"])
    assert code == 0 and count(world, "SELECT count(*) FROM reading WHERE drill_id = 2") == 6


@pytest.mark.parametrize("extra, row, column, words", [
    ((7, "RG-1", "2026-07-02 11:00", "水位", 3, None), 10, "监测要素", ["第 10 行", "水位"]),   # via ingest
    ((7, "NOPE", "2026-07-02 11:00", "雨量", 3, None), 10, "测站编码", ["NOPE"]),
    ((7, "RG-1", "2026-07-02 11:00", "雨量", 900, None), 10, "读数（mm）", ["900"]),
    ((7, "RG-1", "2026-07-02 11:00", "雨量", 1, "kg"), 10, "单位", ["kg"]),
    ((7, "RG-1", "昨天", "雨量", 3, None), 10, "观测时间", ["昨天"]),                          # parsing the cell
    ((7, "RG-1", "2026-07-02 11:00", "雪", 3, None), 10, "监测要素", ["雪"]),
    ((7, "RG-1", "2026-07-02 11:00", "雨量", "很多", None), 10, "读数（mm）", ["很多"]),
    ((7, "RG-1", None, "雨量", 3, None), 10, "观测时间", ["不能为空"]),
])
def test_a_bad_row_names_the_row_and_column_and_nothing_is_written(world, tmp_path, monkeypatch, capsys, extra, row,
                                                                   column, words):
    path = tmp_path / "读数.xlsx"
    messy_workbook(path, [extra])
    code, out, err = run(monkeypatch, capsys, world, ["import-readings", str(path)])
    assert code == 2 and "未写入任何数据" in err
    line = next(line for line in err.splitlines() if column in line)
    assert f"第{row}行" in line.replace(" ", "") or f"第 {row} 行" in line, err
    for word in words:
        assert word in line, (word, err)
    assert count(world) == 0


def test_a_csv_in_gb18030_without_a_unit_column(world, tmp_path, monkeypatch, capsys):
    path = tmp_path / "读数.csv"
    path.write_bytes("站点编码,时间,类型,数值\nGEO-1,2026-07-02 08:00,裂缝宽度,1.25\nGEO-1,2026-07-02 08:00,位移,-3\n"
                     .encode("gb18030"))
    code, out, err = run(monkeypatch, capsys, world, ["import-readings", str(path)])
    assert code == 0, err
    assert [(k, v) for _, k, _, v, _ in stored(world)] == [("crack_width", 1.25), ("displacement", -3.0)]
    missing = tmp_path / "无类型.csv"
    missing.write_bytes("站点编码,时间,数值\nGEO-1,2026-07-02 08:00,1.25\n".encode())
    code, out, err = run(monkeypatch, capsys, world, ["import-readings", str(missing)])
    assert code == 2 and "类型" in err
