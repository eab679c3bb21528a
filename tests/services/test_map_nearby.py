"""周边研判: what lies within X km of a point or an incident, against an oracle that projects to EPSG:4545."""
from __future__ import annotations

import numpy as np
import pytest
from pyproj import Transformer
from sqlalchemy import create_engine, text

from services.errors import FieldError, NotFound
from services.map.nearby import around_incident, within_radius
from tests.conftest import read

CITY = (108.7869, 29.5251)  # 城东街道's seat
TO_METRES = Transformer.from_crs("EPSG:4326", "EPSG:4545", always_xy=True)


def _sql(settings, query: str, **params) -> list:
    engine = create_engine(settings.database_url)
    try:
        with engine.connect() as c:
            return c.execute(text(query), params).all()
    finally:
        engine.dispose()


def _within(settings, table: str, radius_m: float, columns: str = "id") -> list:
    """Rows of ``table`` within ``radius_m`` of CITY, measured in the projected plane (CGCS2000 GK 108°E);
    points within 0.5 % of the edge are left out, where sphere and plane may disagree."""
    rows = _sql(settings, f"SELECT lon, lat, {columns} FROM {table}")
    x0, y0 = TO_METRES.transform(*CITY)
    x, y = TO_METRES.transform(np.array([r[0] for r in rows]), np.array([r[1] for r in rows]))
    d = np.hypot(x - x0, y - y0)
    inside = [r[2:] for r, m in zip(rows, d) if m <= radius_m * 0.995]
    edge = {r[2] for r, m in zip(rows, d) if radius_m * 0.995 < m <= radius_m * 1.005}
    return inside, edge


@pytest.mark.parametrize("radius_m", [1000, 3000, 10_000])
def test_counts_and_people_match_a_projected_oracle(seeded, radius_m):
    summary = read(seeded, within_radius, *CITY, radius_m)
    hazards, edge = _within(seeded, "hazard_point", radius_m, "id, threatened_people")
    if not edge:
        assert summary.hazards == len(hazards)
        assert summary.threatened_people == sum(people for _, people in hazards)
    enterprises, edge = _within(seeded, "enterprise", radius_m, "id, sector")
    if not edge:
        assert sum(summary.enterprises_by_risk.values()) == len(enterprises)
        assert summary.hazardous_chemicals == sum(sector == "危险化学品" for _, sector in enterprises)
    teams, edge = _within(seeded, "rescue_team", radius_m)
    if not edge and len(teams) <= 30:
        assert {t.id for t in summary.teams} == {i for i, in teams}
    assert all(f.distance_m <= radius_m for group in (summary.hazard_points, summary.enterprises, summary.shelters,
                                                      summary.teams, summary.depots) for f in group)


def test_hazardous_chemicals_come_first_then_risk_and_lists_are_ordered(seeded):
    summary = read(seeded, within_radius, *CITY, 10_000)
    sectors = [e.kind == "危险化学品" for e in summary.enterprises]
    assert summary.hazardous_chemicals > 0 and sectors == sorted(sectors, reverse=True)
    for group in (summary.teams, summary.depots, summary.shelters):
        assert [f.distance_m for f in group] == sorted(f.distance_m for f in group)
    assert all(s.people > 0 and s.level != "closed" for s in summary.shelters)
    assert summary.free_places >= sum(s.people for s in summary.shelters)
    assert summary.to_json()["radius_m"] == 10_000


def test_a_closed_shelter_offers_no_places(seeded):
    (sid, lon, lat), = _sql(seeded, "SELECT id, lon, lat FROM shelter ORDER BY id LIMIT 1")
    engine = create_engine(seeded.database_url)
    with engine.begin() as c:
        status = c.execute(text("SELECT status FROM shelter WHERE id = :i"), {"i": sid}).scalar()
        c.execute(text("UPDATE shelter SET status = '关闭' WHERE id = :i"), {"i": sid})
    try:
        summary = read(seeded, within_radius, lon, lat, 200)
        assert sid not in {s.id for s in summary.shelters}
    finally:
        with engine.begin() as c:
            c.execute(text("UPDATE shelter SET status = :s WHERE id = :i"), {"s": status, "i": sid})
        engine.dispose()


@pytest.mark.parametrize("radius_m", [0, 99, 50_001, float("nan"), True, "5"])
def test_a_radius_out_of_range_is_refused_with_a_reason(seeded, radius_m):
    with pytest.raises(FieldError) as caught:
        read(seeded, within_radius, *CITY, radius_m)
    assert caught.value.field == "radius_m" and "公里" in caught.value.reason


def test_around_an_incident_is_around_its_location(seeded):
    rows = _sql(seeded, "SELECT id, lon, lat FROM incident ORDER BY id LIMIT 1")
    if rows:
        (iid, lon, lat), = rows
        assert read(seeded, around_incident, iid, 3000) == read(seeded, within_radius, lon, lat, 3000)
    with pytest.raises(NotFound):
        read(seeded, around_incident, 987654, 3000)
