"""The sample storm (示例数据) and the sample thresholds of 风险感知 (issue 15), written to data/sample/monitoring/.

A synthetic 30-hour rainstorm over the district, from 2026-07-01 20:00 to 2026-07-03 02:00 (Asia/Shanghai): light
stratiform rain everywhere (0.3–1.2 mm/h) and two convective cells crossing from the south-west to the north-east
(a broad one of 50 mm/h, sigma 6 km, at 14 km/h, and a slow intense one of 95 mm/h, sigma 4 km, at 8 km/h,
over 太极镇 and 城东街道; Gaussian in space, a bell in time).
Stations that measure rain (雨量, 水文, 地质灾害, 气象) report it per interval; hydrological stations report a water
level that rises with the rain of the last six hours (a linear reservoir, 4 h time constant); geological monitors
report cumulative GNSS displacement that creeps (0.02 mm/h) and accelerates once 24 h of rain passes 60 mm.
One rain gauge is silent for 40 minutes during the first cell (missing intervals: the sums are incomplete), and
one weather station reports nothing after 2026-07-02 10:00 (it turns 离线).

Thresholds (临界雨量, 警戒水位 / 保证水位, displacement rate) are synthetic too, in the ranges such values take in the
mountain counties of Chongqing: landslides, collapses and debris flows 30–45 mm in 1 h, 50–70 mm in 3 h and
90–130 mm in 24 h (lower for 不稳定 points); waterlogging points 25–35 mm in 1 h; rain gauges carry station
defaults (40 / 60 / 100 mm) that the points they watch inherit when they have none of their own; hydrological
stations a warning level 3.0 m and a guarantee level 4.5 m above their base; geological monitors 5 mm per 24 h.

Deterministic: one ``numpy.random.default_rng(20261207)``, inputs read from data/sample/stations.csv and
hazards.csv (themselves deterministic). ``python data/generate_storm.py [--out DIR]``.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import math
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"
OUT = SAMPLE / "monitoring"
SEED = 20261207
ZONE = dt.timezone(dt.timedelta(hours=8))
START = dt.datetime(2026, 7, 1, 20, 0, tzinfo=ZONE)
HOURS = 30
KM_LAT = 110.574
STEP_MIN = 5  # the model's time step; a station reports at its own interval (a multiple of 5 minutes)

READINGS_HEADER = ["站点编码", "时间", "类型", "数值", "单位"]
THRESHOLDS_HEADER = ["隐患点编号", "站点编码", "指标", "阈值"]
RAIN_KINDS = ("雨量", "水文", "地质灾害", "气象")
# (start offset h, peak mm/h, sigma km, speed km/h, bell half-width h, start point (lon, lat)) of each cell.
CELLS = ((6.0, 50.0, 6.0, 14.0, 3.0, (108.55, 29.25)), (14.0, 95.0, 4.0, 8.0, 2.0, (108.72, 29.44)))
HEADING = math.radians(40.0)  # towards the north-east, degrees from north
SILENT_GAUGE = ("QJ-ST-005", dt.datetime(2026, 7, 2, 2, 20, tzinfo=ZONE), 40)  # code, from, minutes
OFFLINE_AFTER = ("QJ-ST-045", dt.datetime(2026, 7, 2, 10, 0, tzinfo=ZONE))


def _read(name: str) -> list[dict]:
    with (SAMPLE / name).open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def rain_rate(lon: np.ndarray, lat: np.ndarray, hours: float, background: np.ndarray) -> np.ndarray:
    """mm/h at the points at ``hours`` after START: the background plus each cell at its place and strength."""
    kx = 111.320 * math.cos(math.radians(29.5))
    rate = background * (1.0 if 2.0 <= hours <= HOURS - 3.0 else 0.3)
    for offset, peak, sigma, speed, half, (lon0, lat0) in CELLS:
        age = hours - offset
        if not -2.0 * half <= age <= 2.0 * half + 10.0:
            continue
        travelled = max(age, 0.0) * speed
        cx = lon0 + travelled * math.sin(HEADING) / kx
        cy = lat0 + travelled * math.cos(HEADING) / KM_LAT
        d2 = ((lon - cx) * kx) ** 2 + ((lat - cy) * KM_LAT) ** 2
        strength = peak * math.exp(-((age - half) / half) ** 2)
        rate = rate + strength * np.exp(-d2 / (2 * sigma ** 2))
    return rate


def storm(stations: list[dict], rng: np.random.Generator) -> list[list[str]]:
    """Every reading of the storm, in time order (then station code, then kind)."""
    rainy = [s for s in stations if s["站点类型"] in RAIN_KINDS]
    lon = np.array([float(s["经度"]) for s in rainy])
    lat = np.array([float(s["纬度"]) for s in rainy])
    background = rng.uniform(0.3, 1.2, len(rainy))
    base_level = {s["站点编号"]: round(float(rng.uniform(300.0, 520.0)), 2) for s in rainy if s["站点类型"] == "水文"}
    steps = HOURS * 60 // STEP_MIN
    rain = np.zeros((steps, len(rainy)))
    for k in range(steps):
        rate = rain_rate(lon, lat, (k + 0.5) * STEP_MIN / 60, background)
        rain[k] = rate * STEP_MIN / 60 * rng.lognormal(0.0, 0.2, len(rainy))
    rows: list[tuple] = []
    store = np.zeros(len(rainy))
    moved = np.zeros(len(rainy))
    for k in range(steps):
        at = START + dt.timedelta(minutes=(k + 1) * STEP_MIN)
        store += rain[k] - store * (STEP_MIN / 240.0)  # linear reservoir: the last hours' rain raises the level
        day = rain[max(0, k - 24 * 60 // STEP_MIN + 1):k + 1].sum(axis=0)
        moved += (0.02 + 0.006 * np.clip(day - 60.0, 0.0, None)) * STEP_MIN / 60
        for j, s in enumerate(rainy):
            code, interval = s["站点编号"], int(s["上报间隔(分钟)"] or 60)
            if (k + 1) * STEP_MIN % interval or _silent(code, at):
                continue
            span = interval // STEP_MIN
            amount = rain[k - span + 1:k + 1, j].sum()
            rows.append((at, code, "rainfall", f"{amount:.1f}", "mm"))
            if s["站点类型"] == "水文":
                rows.append((at, code, "water_level", f"{base_level[code] + 0.06 * store[j]:.2f}", "m"))
            if s["站点类型"] == "地质灾害":
                rows.append((at, code, "displacement", f"{moved[j]:.1f}", "mm"))
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    return [[code, at.isoformat(), kind, value, unit] for at, code, kind, value, unit in rows], base_level


def _silent(code: str, at: dt.datetime) -> bool:
    gauge, since, minutes = SILENT_GAUGE
    if code == gauge and since < at <= since + dt.timedelta(minutes=minutes):
        return True
    return code == OFFLINE_AFTER[0] and at > OFFLINE_AFTER[1]


def thresholds(stations: list[dict], hazards: list[dict], base_level: dict[str, float],
               rng: np.random.Generator) -> list[list[str]]:
    rows = []
    for h in hazards:
        if h["灾害类型"] in ("滑坡", "崩塌", "泥石流"):
            low = h["稳定性"] == "不稳定"
            values = {"rain_1h": rng.uniform(30, 38) if low else rng.uniform(36, 45),
                      "rain_3h": rng.uniform(50, 60) if low else rng.uniform(58, 70),
                      "rain_24h": rng.uniform(90, 110) if low else rng.uniform(105, 130)}
        elif h["灾害类型"] in ("易涝点", "洪涝"):
            values = {"rain_1h": rng.uniform(25, 35)}
        else:
            continue
        rows += [[h["隐患点编号"], "", metric, f"{v:.0f}"] for metric, v in values.items()]
    for s in stations:
        code, kind = s["站点编号"], s["站点类型"]
        if kind == "雨量":
            rows += [["", code, "rain_1h", "40"], ["", code, "rain_3h", "60"], ["", code, "rain_24h", "100"]]
        elif kind == "水文":
            rows += [["", code, "water_warning", f"{base_level[code] + 3.0:.2f}"],
                     ["", code, "water_guarantee", f"{base_level[code] + 4.5:.2f}"]]
        elif kind == "地质灾害":
            rows.append(["", code, "displacement_rate", "5"])
    return rows


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def generate(out: Path = OUT) -> dict[str, int]:
    rng = np.random.default_rng(SEED)
    stations, hazards = _read("stations.csv"), _read("hazards.csv")
    readings, base_level = storm(stations, rng)
    limits = thresholds(stations, hazards, base_level, rng)
    out.mkdir(parents=True, exist_ok=True)
    _write(out / "storm.csv", READINGS_HEADER, readings)
    _write(out / "thresholds.csv", THRESHOLDS_HEADER, limits)
    return {"storm.csv": len(readings), "thresholds.csv": len(limits)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Write the sample storm and thresholds (示例数据).")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    for name, rows in generate(args.out).items():
        print(f"{name}: {rows} rows")


if __name__ == "__main__":
    main()
