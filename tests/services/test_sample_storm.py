"""The sample storm and thresholds (data/generate_storm.py, data/sample/monitoring/): reproducible, every reading a
station of the sample measures at its own interval, and a storm that crosses the sample's thresholds somewhere
(checked here with a plain rolling sum, independent of services/monitoring)."""
from __future__ import annotations

import csv
import datetime as dt
import importlib.util
from collections import defaultdict

import pytest

from config import ROOT
from services import vocabulary

SAMPLE = ROOT / "data" / "sample"


def _generator():
    spec = importlib.util.spec_from_file_location("generate_storm", ROOT / "data" / "generate_storm.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _rows(path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def storm():
    return _rows(SAMPLE / "monitoring" / "storm.csv")


def test_committed_storm_matches_a_fresh_generation(tmp_path):
    counts = _generator().generate(tmp_path)
    for name in counts:
        assert (tmp_path / name).read_bytes() == (SAMPLE / "monitoring" / name).read_bytes(), name


def test_readings_are_the_stations_own_at_their_interval(storm):
    stations = {s["站点编号"]: s for s in _rows(SAMPLE / "stations.csv")}
    last: dict[tuple, dt.datetime] = {}
    for r in storm:
        station = stations[r["站点编码"]]
        at = dt.datetime.fromisoformat(r["时间"])
        assert at.utcoffset() == dt.timedelta(hours=8) and r["类型"] in vocabulary.READING_KINDS
        assert r["单位"] == vocabulary.READING_UNITS[r["类型"]]
        assert (at.hour * 60 + at.minute) % int(station["上报间隔(分钟)"]) == 0
        key = (r["站点编码"], r["类型"])
        assert key not in last or at > last[key]  # time order, no duplicate
        last[key] = at
        if r["类型"] == "rainfall":
            assert 0 <= float(r["数值"]) <= 300


def test_the_storm_crosses_thresholds_somewhere(storm):
    limits = {(t["站点编码"], t["指标"]): float(t["阈值"]) for t in _rows(SAMPLE / "monitoring" / "thresholds.csv")
              if t["站点编码"]}
    rain = defaultdict(list)
    for r in storm:
        if r["类型"] == "rainfall":
            rain[r["站点编码"]].append((dt.datetime.fromisoformat(r["时间"]), float(r["数值"])))
    over = set()
    for code, series in rain.items():
        for end, _ in series:
            hour = sum(v for at, v in series if end - dt.timedelta(hours=1) < at <= end)
            if (code, "rain_1h") in limits and hour >= limits[(code, "rain_1h")]:
                over.add(code)
    assert 2 <= len(over) <= 12  # a storm that matters in part of the district, not everywhere
    levels = defaultdict(list)
    for r in storm:
        if r["类型"] == "water_level":
            levels[r["站点编码"]].append(float(r["数值"]))
    assert any(max(v) >= limits[(c, "water_guarantee")] for c, v in levels.items())
    assert any(limits[(c, "water_warning")] <= max(v) < limits[(c, "water_guarantee")] for c, v in levels.items())
