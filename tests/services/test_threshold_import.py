"""`python app.py import-thresholds FILE` on both back-ends: a sheet of 隐患点编号 / 站点编码, 指标, 阈值 sets the
thresholds in one unit of work; a bad row is named by its spreadsheet row and column, and nothing is written."""
from __future__ import annotations

import pytest
from sqlalchemy import text

import app
from services.db import read_session
from tests.services.monitoring_world import HOME, RAIN, add_world

LON, LAT = 108.7869, 29.5251


def _run(monkeypatch, capsys, settings, path) -> tuple[int, str, str]:
    monkeypatch.setenv("QJ_INSTANCE_DIR", str(settings.instance_dir))
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    code = app.main(["import-thresholds", str(path)])
    out = capsys.readouterr()
    assert "Traceback" not in out.err + out.out
    return code, out.out, out.err


def _rows(settings):
    with read_session(settings.database_url) as session:
        return sorted(session.execute(text("SELECT coalesce(h.code, s.code), t.metric, t.value FROM threshold t "
                                           "LEFT JOIN hazard_point h ON h.id = t.hazard_point_id LEFT JOIN "
                                           "monitoring_station s ON s.id = t.station_id")).all())


@pytest.fixture
def world(fresh):
    add_world(fresh, [("H1", LON, LAT, HOME)], [("R", RAIN, LON, LAT, 5, HOME)])
    return fresh


def test_a_sheet_of_thresholds_is_imported(world, monkeypatch, capsys, tmp_path):
    path = tmp_path / "阈值.csv"
    path.write_text("临界雨量表\n隐患点编号,站点编码,指标,阈值\nH1,,rain_1h,30\nH1,,24小时临界雨量,120\n,R,rain_3h,55.5\n",
                    encoding="gb18030")
    code, out, err = _run(monkeypatch, capsys, world, path)
    assert code == 0, err
    assert "3" in out
    assert [tuple(r) for r in _rows(world)] == [("H1", "rain_1h", 30.0), ("H1", "rain_24h", 120.0),
                                                ("R", "rain_3h", 55.5)]


@pytest.mark.parametrize("body, row, column", [
    ("H1,,rain_1h,30\nH1,,rain_9h,3\n", 3, "指标"),  # the header is row 1, the records rows 2 and 3
    ("H1,,rain_1h,abc\n", 2, "阈值"),
    ("H1,,rain_1h,30\nNOPE,,rain_1h,3\n", 3, "隐患点编号"),
    ("H1,,rain_1h,30\n,R,water_warning,3\n", 3, "指标"),
    ("H1,,rain_1h,900\n", 2, "阈值"),
])
def test_a_bad_row_is_named_and_nothing_is_written(world, monkeypatch, capsys, tmp_path, body, row, column):
    path = tmp_path / "t.csv"
    path.write_text("隐患点编号,站点编码,指标,阈值\n" + body, encoding="utf-8")
    code, _, err = _run(monkeypatch, capsys, world, path)
    assert code == 2 and f"第{row}行 {column}" in err, err
    assert _rows(world) == []
