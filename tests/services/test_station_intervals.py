"""A station's reporting interval (上报间隔) is imported with it: stored as written, kept when a later file leaves
it empty, 60 minutes for a new station without one, and refused by row outside 1–1440."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from services.data.imports import ImportRejected, import_file
from services.models import MonitoringStation
from tests.conftest import call, csv_for, read


def _row(code: str, interval: str) -> dict:
    return {"站点编号": code, "名称": f"{code}雨量站", "站点类型": "雨量", "状态": "正常", "上报间隔(分钟)": interval,
            "乡镇街道": "城东街道", "经度": "108.7925", "纬度": "29.5330"}


def _intervals(settings) -> dict[str, int]:
    return dict(read(settings, lambda uow: uow.session.execute(
        select(MonitoringStation.code, MonitoringStation.interval_min)).all()))


def test_intervals_are_stored_kept_and_defaulted(fresh):
    call(fresh, import_file, "stations", csv_for("stations", [_row("ST-A", "5"), _row("ST-B", "")]), "s.csv")
    assert _intervals(fresh) == {"ST-A": 5, "ST-B": 60}
    call(fresh, import_file, "stations", csv_for("stations", [_row("ST-A", ""), _row("ST-B", "10")]), "s.csv")
    assert _intervals(fresh) == {"ST-A": 5, "ST-B": 10}


def test_an_interval_out_of_range_is_refused_by_row(fresh):
    with pytest.raises(ImportRejected) as info:
        call(fresh, import_file, "stations",
             csv_for("stations", [_row("ST-A", "5"), _row("ST-B", "0"), _row("ST-C", "1441")]), "s.csv")
    assert [(e.row, e.column) for e in info.value.errors] == [(3, "上报间隔(分钟)"), (4, "上报间隔(分钟)")]
    assert _intervals(fresh) == {}
