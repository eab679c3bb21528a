"""A bigger synthetic load for the map benchmarks: N enterprises and M hazard points, imported normally.

Rows are copies of the sample (data/sample/) moved by a few hundred metres, with new codes and valid
credit codes, and go through the ordinary importer, so the benchmark also times validation at scale.
Deterministic (fixed seed). Usage:

    DATABASE_URL=sqlite:////tmp/qj20k.sqlite3 python bench/synthetic_load.py --enterprises 20000 --hazards 2000
"""
from __future__ import annotations

import argparse
import csv
import io
import sys
import time
from pathlib import Path

import numpy as np
import shapely

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from config import Settings, load_settings  # noqa: E402
from geo.boundaries import county_boundary  # noqa: E402
from services.data.cells import credit_check_char  # noqa: E402
from services.data.imports import import_file  # noqa: E402
from services.data.seed import setup_database  # noqa: E402
from services.db.uow import unit_of_work  # noqa: E402
from services.data.specs import SPECS  # noqa: E402

SEED = 20261125


def _sample(entity: str) -> list[dict]:
    with (ROOT / "data" / "sample" / f"{entity}.csv").open(encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def _jittered_rows(entity: str, count: int, rng: np.random.Generator, district) -> list[dict]:
    base = _sample(entity)
    rows = []
    shapely.prepare(district)
    for i in range(count):
        row = dict(base[i % len(base)])
        lon, lat = float(row["经度"]), float(row["纬度"])
        while True:  # move up to ~400 m, staying inside the district
            jlon, jlat = lon + rng.normal(0, 0.003), lat + rng.normal(0, 0.0027)
            if district.contains(shapely.Point(jlon, jlat)):
                break
        row["经度"], row["纬度"], row["乡镇街道"] = f"{jlon:.6f}", f"{jlat:.6f}", ""
        if entity == "enterprises":
            body = f"91500114MB{i:07d}"
            row["统一社会信用代码"] = body + credit_check_char(body)
            row["企业名称"] = f"{row['企业名称']}（压测{i}）"
        else:
            row["隐患点编号"] = f"LOAD-HZ-{i:05d}"
            row["名称"] = f"{row['名称']}（压测{i}）"
        rows.append(row)
    return rows


def _csv(entity: str, rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=SPECS[entity].headers)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def inflate(settings: Settings, enterprises: int, hazards: int) -> dict[str, float]:
    """Set up the database with the sample, then import the synthetic load; returns timings in seconds."""
    setup_database(settings, with_sample=True)
    rng = np.random.default_rng(SEED)
    district = county_boundary(settings.region.adcode)
    timings = {}
    for entity, count in (("enterprises", enterprises), ("hazards", hazards)):
        if count <= 0:
            continue
        content = _csv(entity, _jittered_rows(entity, count, rng, district))
        started = time.perf_counter()
        with unit_of_work(settings, write=True, actor="bench") as uow:
            import_file(uow, entity, content, f"load_{entity}.csv", is_sample=True)
        timings[f"import_{entity}_s"] = round(time.perf_counter() - started, 2)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=20000)
    parser.add_argument("--hazards", type=int, default=2000)
    args = parser.parse_args()
    print(inflate(load_settings(), args.enterprises, args.hazards))


if __name__ == "__main__":
    main()
