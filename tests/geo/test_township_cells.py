"""Property: Voronoi township cells tile the county for any seats inside it — no gap, no overlap, one per seat.

The real seats are checked in tests/services/test_sample_data.py; here hypothesis draws seat sets (as another
county's gazetteer would give) and the tiling is judged by areas and pairwise intersections, not by the code.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import shapely
from hypothesis import HealthCheck, assume, given, settings, strategies as st

from geo.boundaries import approximate_township_polygons, county_boundary


@lru_cache(maxsize=1)
def _county():
    county = county_boundary("500114")
    shapely.prepare(county)
    return county


@st.composite
def seats_inside(draw):
    county = _county()
    minlon, minlat, maxlon, maxlat = county.bounds
    n = draw(st.integers(2, 12))
    seats, guard = [], 0
    while len(seats) < n and guard < 400:
        guard += 1
        lon = draw(st.floats(minlon, maxlon, allow_nan=False))
        lat = draw(st.floats(minlat, maxlat, allow_nan=False))
        if county.contains(shapely.Point(lon, lat)) and all(abs(lon - a) + abs(lat - b) > 1e-3 for a, b in seats):
            seats.append((lon, lat))
    assume(len(seats) >= 2)
    return np.array(seats, dtype=float).reshape(-1, 2)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(seats=seats_inside())
def test_cells_tile_the_county_whatever_the_seats(seats):
    county = _county()
    cells = approximate_township_polygons(seats, county)
    assert len(cells) == len(seats)
    for i, cell in enumerate(cells):
        assert cell.is_valid and not cell.is_empty
        assert cell.covers(shapely.Point(*seats[i])) or cell.distance(shapely.Point(*seats[i])) < 1e-9
    union = shapely.union_all(cells)
    assert abs(union.area - county.area) / county.area < 1e-6  # no gap (and nothing outside)
    assert union.symmetric_difference(county).area / county.area < 1e-6
    overlap = sum(a.intersection(b).area for i, a in enumerate(cells) for b in cells[i + 1:])
    assert overlap / county.area < 1e-9  # no overlap
