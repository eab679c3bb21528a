"""Real geography: official township codes and seats, approximate polygons tiling the real district."""
from __future__ import annotations

import csv
import math

import shapely
from shapely.geometry import Point
from sqlalchemy import select

from config import ROOT
from services.db import read_session
from services.models import AdminArea, Township, Village


def test_townships_carry_official_codes_and_lie_in_the_district(seeded):
    with (ROOT / "data" / "townships.csv").open(encoding="utf-8") as fh:
        gazetteer = {r["code"]: r for r in csv.DictReader(fh)}
    with read_session(seeded.database_url) as session:
        district = session.get(AdminArea, seeded.region.adcode).geom
        townships = session.scalars(select(Township)).all()
        villages = session.scalars(select(Village)).all()
    assert {t.code for t in townships} == set(gazetteer)
    kinds = sorted(t.kind for t in townships)
    assert (kinds.count("街道"), len(kinds)) == (6, 30)
    for t in townships:
        assert t.geom.contains(Point(t.seat_lon, t.seat_lat)), t.name  # each seat inside its own cell
        assert district.buffer(1e-6).contains(t.geom), t.name  # stored to 7 decimals (about 1 cm)
        assert t.approximate
    approximate_seats = {t.name for t in townships if t.seat_approximate}
    assert approximate_seats == {"邻鄂镇", "太极镇"}
    assert len(villages) == 220 and {v.township_code for v in villages} <= set(gazetteer)


def test_district_area_is_about_2400_km2(seeded):
    with read_session(seeded.database_url) as session:
        district = session.get(AdminArea, seeded.region.adcode).geom
    # Equal-area estimate on the sphere at this latitude: degrees² × (111.32 km)² × cos(lat).
    lat = district.centroid.y
    area_km2 = shapely.area(district) * 111.32 ** 2 * math.cos(math.radians(lat))
    assert 2300 < area_km2 < 2500  # the district reports about 2402 km²
