"""The synthetic sample data (data/generate_sample.py, data/sample/): reproducible and importable."""
from __future__ import annotations

import csv
import importlib.util
import re
from pathlib import Path

import numpy as np
import pytest
import shapely

from geo.boundaries import approximate_township_polygons, county_boundary
from services.data.specs import SPECS

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample"
FILES = [f"{key}.csv" for key in SPECS] + ["township_population.csv", "village_sample.csv"]
ROW_RANGES = {"enterprises.csv": (1400, 1600), "hazards.csv": (300, 300), "shelters.csv": (35, 45),
              "depots.csv": (10, 10), "stock.csv": (150, 200), "teams.csv": (20, 20),
              "vehicles.csv": (25, 35), "stations.csv": (55, 65), "township_population.csv": (30, 30),
              "village_sample.csv": (220, 220)}
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
PHONE = re.compile(r"^(1[35789]\d{9}|023-\d{8})$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _load_generator():
    spec = importlib.util.spec_from_file_location("generate_sample", ROOT / "data" / "generate_sample.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _rows(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / name).open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _valid_credit_code(code: str) -> bool:
    if len(code) != 18 or any(ch not in USCC_CHARS for ch in code):
        return False
    total = sum(USCC_CHARS.index(ch) * w for ch, w in zip(code[:17], USCC_WEIGHTS))
    return code[17] == USCC_CHARS[(31 - total % 31) % 31]


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> tuple[Path, dict[str, int]]:
    out = tmp_path_factory.mktemp("sample")
    return out, _load_generator().generate(out)


@pytest.fixture(scope="module")
def townships() -> tuple[dict[str, int], list]:
    with (ROOT / "data" / "townships.csv").open(encoding="utf-8-sig", newline="") as f:
        towns = list(csv.DictReader(f))
    seats = np.array([[float(t["seat_lon"]), float(t["seat_lat"])] for t in towns])
    polys = approximate_township_polygons(seats, county_boundary("500114"))
    return {t["name"]: i for i, t in enumerate(towns)}, polys


def test_generation_is_deterministic(generated, tmp_path):
    first, _ = generated
    _load_generator().generate(tmp_path)
    for name in FILES:
        assert (first / name).read_bytes() == (tmp_path / name).read_bytes(), name


def test_committed_sample_matches_a_fresh_generation(generated):
    out, _ = generated
    for name in FILES:
        assert (SAMPLE / name).is_file(), f"data/sample/{name} missing: run python data/generate_sample.py"
        assert (SAMPLE / name).read_bytes() == (out / name).read_bytes(), f"data/sample/{name} is stale"


def test_row_counts_in_range(generated):
    out, counts = generated
    assert set(counts) == set(FILES)
    for name, (low, high) in ROW_RANGES.items():
        assert low <= counts[name] <= high, (name, counts[name])
        assert len(_rows(out, name)) == counts[name]


def test_headers_are_the_import_specs(generated):
    out, _ = generated
    for key, spec in SPECS.items():
        raw = (out / f"{key}.csv").read_bytes()
        assert raw.startswith("\ufeff".encode()), key
        with (out / f"{key}.csv").open(encoding="utf-8-sig", newline="") as f:
            assert next(csv.reader(f)) == spec.headers


def test_every_value_passes_the_column_rules(generated, townships):
    out, _ = generated
    names, _ = townships
    for key, spec in SPECS.items():
        rows = _rows(out, f"{key}.csv")
        for row in rows:
            for col in spec.columns:
                value = row[col.header]
                if value == "":
                    assert not col.required, (key, col.header)
                    continue
                assert len(value) <= col.max_length, (key, col.header, value)
                if col.kind == "choice":
                    assert value in col.choices, (key, col.header, value)
                elif col.kind in ("int", "float"):
                    number = int(value) if col.kind == "int" else float(value)
                    assert col.minimum is None or number >= col.minimum, (key, col.header, value)
                    assert col.maximum is None or number <= col.maximum, (key, col.header, value)
                elif col.kind == "bool":
                    assert value in ("是", "否"), (key, col.header, value)
                elif col.kind == "date":
                    assert DATE.match(value), (key, col.header, value)
                elif col.kind == "phone":
                    assert PHONE.match(value), (key, col.header, value)
                elif col.kind == "township":
                    assert value in names, (key, col.header, value)
                elif col.kind in ("lon", "lat"):
                    assert len(value.split(".")[1]) <= 6, (key, col.header, value)
        if spec.id_field:
            ids = [row[spec.column(spec.id_field).header] for row in rows]
            assert len(ids) == len(set(ids)), key


def test_credit_codes_are_valid_and_unique(generated):
    out, _ = generated
    codes = [r["统一社会信用代码"] for r in _rows(out, "enterprises.csv")]
    assert len(codes) == len(set(codes))
    for code in codes:
        assert _valid_credit_code(code), code
        assert code[:2] == "91" and code[2:8] == "500114", code


def test_points_lie_in_their_township_and_the_district(generated, townships):
    out, _ = generated
    names, polys = townships
    county = county_boundary("500114")
    for key, spec in SPECS.items():
        if not spec.has_location:
            continue
        for row in _rows(out, f"{key}.csv"):
            lon, lat = float(row["经度"]), float(row["纬度"])
            assert shapely.contains_xy(county, lon, lat), (key, row)
            assert shapely.contains_xy(polys[names[row["乡镇街道"]]], lon, lat), (key, row)


def test_references_between_files(generated):
    out, _ = generated
    depots = {r["储备库编号"] for r in _rows(out, "depots.csv")}
    teams = {r["队伍编号"] for r in _rows(out, "teams.csv")}
    with (ROOT / "data" / "supply_catalogue.csv").open(encoding="utf-8-sig", newline="") as f:
        items = {r["code"] for r in csv.DictReader(f)}
    for row in _rows(out, "stock.csv"):
        assert row["储备库编号"] in depots and row["物资编码"] in items
    for row in _rows(out, "vehicles.csv"):
        assert (row["所属储备库编号"] in depots) != (row["所属队伍编号"] in teams), row


def test_hazard_villages_belong_to_their_township(generated):
    out, _ = generated
    with (ROOT / "data" / "townships.csv").open(encoding="utf-8-sig", newline="") as f:
        code_of = {t["name"]: t["code"] for t in csv.DictReader(f)}
    with (ROOT / "data" / "villages.csv").open(encoding="utf-8-sig", newline="") as f:
        villages = {(v["township_code"], v["name"]) for v in csv.DictReader(f)}
    for row in _rows(out, "hazards.csv"):
        assert (code_of[row["乡镇街道"]], row["村(社区)"]) in villages, row


def test_threatened_people_total(generated):
    out, _ = generated
    rows = _rows(out, "hazards.csv")
    assert 2000 <= sum(int(r["威胁人数"]) for r in rows) <= 8000
    assert all(1 <= int(r["威胁户数"]) <= 40 for r in rows)


def test_village_seats_lie_in_their_township_and_populations_sum_to_it(generated, townships):
    out, _ = generated
    index, polys = townships
    with (ROOT / "data" / "townships.csv").open(encoding="utf-8-sig", newline="") as f:
        town_of_code = {t["code"]: index[t["name"]] for t in csv.DictReader(f)}
    with (ROOT / "data" / "villages.csv").open(encoding="utf-8-sig", newline="") as f:
        gazetteer = {v["code"]: v["township_code"] for v in csv.DictReader(f)}
    rows = _rows(out, "village_sample.csv")
    assert [r["code"] for r in rows] == list(gazetteer)
    sums: dict[str, int] = {}
    for r in rows:
        town = gazetteer[r["code"]]
        assert shapely.contains_xy(polys[town_of_code[town]], float(r["seat_lon"]), float(r["seat_lat"])), r
        assert int(r["population"]) > 0
        sums[town] = sums.get(town, 0) + int(r["population"])
    assert sums == {r["code"]: int(r["population"]) for r in _rows(out, "township_population.csv")}


def test_township_populations(generated):
    out, _ = generated
    rows = _rows(out, "township_population.csv")
    assert sum(int(r["population"]) for r in rows) == 554000
    with (ROOT / "data" / "townships.csv").open(encoding="utf-8-sig", newline="") as f:
        assert [r["code"] for r in rows] == [t["code"] for t in csv.DictReader(f)]
