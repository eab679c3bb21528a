"""The risk distribution on both back-ends against counts made directly in SQL (GROUP BY township, sector, level),
the hexagon density against a brute-force nearest-centre assignment in metres, and the class breaks."""
from __future__ import annotations

import itertools
import math
from collections import Counter, defaultdict

import numpy as np
import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from pyproj import Transformer
from sqlalchemy import text

from services import vocabulary
from services.analysis.classes import class_breaks, class_of
from services.analysis.distribution import risk_distribution
from services.analysis.frames import AnalysisFilter, metric_crs, parse_filter
from services.db import get_engine
from services.errors import FieldError, Forbidden
from tests.conftest import call_as, principal_for, read


def sql(settings, statement: str, **params) -> list[tuple]:
    with get_engine(settings.database_url).connect() as conn:
        return [tuple(r) for r in conn.execute(text(statement), params)]


def _in(column: str, values: tuple[str, ...], name: str, params: dict) -> str:
    if not values:
        return ""
    keys = [f"{name}{i}" for i in range(len(values))]
    params.update(dict(zip(keys, values)))
    return f" AND {column} IN ({', '.join(':' + k for k in keys)})"


def _enterprise_where(flt: AnalysisFilter, params: dict) -> str:
    return "WHERE 1=1" + _in("township_code", flt.township, "t", params) + _in("sector", flt.sector, "s", params) \
        + _in("risk_level", flt.risk_level, "r", params)


def _hazard_where(flt: AnalysisFilter, params: dict) -> str:
    return "WHERE 1=1" + _in("township_code", flt.township, "t", params) \
        + _in("hazard_type", flt.hazard_type, "h", params) + _in("warning_level", flt.warning_level, "w", params)


FILTERS = [
    AnalysisFilter(),
    AnalysisFilter(township=("500114001", "500114105", "500114249"), sector=("燃气", "成品油", "危险化学品"),
                   risk_level=("重大", "较大")),
    AnalysisFilter(hazard_type=("滑坡", "崩塌"), warning_level=("无", "蓝")),
]


@pytest.mark.parametrize("flt", FILTERS, ids=["all", "townships-sectors-levels", "hazard-types-levels"])
def test_township_sector_level_counts_equal_sql(seeded, flt):
    result = read(seeded, risk_distribution, flt)
    params: dict = {}
    oracle = {(t, s, lv): n for t, s, lv, n in sql(
        seeded, "SELECT township_code, sector, risk_level, count(*) FROM enterprise "
        f"{_enterprise_where(flt, params)} GROUP BY township_code, sector, risk_level", **params)}
    matrix = result.township_sector
    for i, town in enumerate(matrix.rows):
        for j, sector in enumerate(matrix.columns):
            for level, cells in matrix.by_level.items():
                assert cells[i][j] == oracle.get((town, sector, level), 0), (town, sector, level)
            assert matrix.counts[i][j] == sum(oracle.get((town, sector, lv), 0) for lv in vocabulary.RISK_LEVELS)
    assert matrix.total == sum(oracle.values()) == result.totals_enterprises.total
    assert matrix.row_totals == [sum(r) for r in matrix.counts]
    assert matrix.column_totals == [sum(c) for c in zip(*matrix.counts)]
    towns = sql(seeded, "SELECT code FROM township" + (" WHERE code IN ('" + "','".join(flt.township) + "')"
                                                         if flt.township else "") + " ORDER BY code")
    assert matrix.rows == [t for (t,) in towns]


@pytest.mark.parametrize("flt", FILTERS, ids=["all", "townships-sectors-levels", "hazard-types-levels"])
def test_township_rows_and_sectors_equal_sql(seeded, flt):
    result = read(seeded, risk_distribution, flt)
    for column, field in (("scale", "by_scale"), ("duty_card_status", "by_duty_card"), ("risk_level", "by_risk_level")):
        params: dict = {}
        oracle = {(t, v): n for t, v, n in sql(seeded, f"SELECT township_code, {column}, count(*) FROM enterprise "
                                                f"{_enterprise_where(flt, params)} GROUP BY township_code, {column}",
                                                **params)}
        for row in result.townships:
            assert getattr(row.enterprises, field) == {v: oracle.get((row.code, v), 0)
                                                       for v in getattr(row.enterprises, field)}, (row.code, column)
        params = {}
        by_sector = {(s, v): n for s, v, n in sql(seeded, f"SELECT sector, {column}, count(*) FROM enterprise "
                                                  f"{_enterprise_where(flt, params)} GROUP BY sector, {column}",
                                                  **params)}
        for row in result.sectors:
            assert getattr(row.enterprises, field) == {v: by_sector.get((row.sector, v), 0)
                                                       for v in getattr(row.enterprises, field)}
    params = {}
    hidden = dict(sql(seeded, "SELECT township_code, sum(open_hidden_dangers) FROM enterprise "
                      f"{_enterprise_where(flt, params)} GROUP BY township_code", **params))
    assert {r.code: r.enterprises.open_hidden_dangers for r in result.townships} == \
        {r.code: int(hidden.get(r.code, 0)) for r in result.townships}


@pytest.mark.parametrize("flt", FILTERS, ids=["all", "townships-sectors-levels", "hazard-types-levels"])
def test_hazard_counts_and_people_equal_sql(seeded, flt):
    result = read(seeded, risk_distribution, flt)
    params: dict = {}
    where = _hazard_where(flt, params)
    by_type = {(t, h): n for t, h, n in sql(seeded, "SELECT township_code, hazard_type, count(*) FROM hazard_point "
                                            f"{where} GROUP BY township_code, hazard_type", **params)}
    matrix = result.township_hazard_type
    for i, town in enumerate(matrix.rows):
        assert matrix.counts[i] == [by_type.get((town, h), 0) for h in matrix.columns]
    by_level = {(t, h, w): n for t, h, w, n in sql(
        seeded, "SELECT township_code, hazard_type, warning_level, count(*) FROM hazard_point "
        f"{where} GROUP BY township_code, hazard_type, warning_level", **params)}
    for level, cells in matrix.by_level.items():
        for i, town in enumerate(matrix.rows):
            assert cells[i] == [by_level.get((town, h, level), 0) for h in matrix.columns]
    sums = {t: (n, p, hh, prop) for t, n, p, hh, prop in sql(
        seeded, "SELECT township_code, count(*), sum(threatened_people), sum(threatened_households), "
        f"sum(threatened_property_10k_yuan) FROM hazard_point {where} GROUP BY township_code", **params)}
    for row in result.townships:
        n, people, households, prop = sums.get(row.code, (0, 0, 0, 0.0))
        assert (row.hazards.total, row.hazards.threatened_people, row.hazards.threatened_households) == \
            (n, people, households)
        assert row.hazards.threatened_property_10k_yuan == pytest.approx(float(prop), abs=0.01)
        assert sum(row.hazards.by_warning_level.values()) == n == sum(row.hazards.by_hazard_type.values())
    assert result.totals_hazards.total == matrix.total == sum(v[0] for v in sums.values())


def test_shelter_places_per_thousand_residents_equal_sql(seeded):
    result = read(seeded, risk_distribution)
    per_person = seeded.evacuation.area_per_person_m2
    assert not seeded.evacuation.area_per_person_by_type  # the oracle below uses the one rule
    rows = sql(seeded, "SELECT township_code, status, coalesce(declared_capacity_people, "
               "CAST(floor(effective_area_m2 / :pp + 1e-9) AS INTEGER)), occupancy_people, blocked_places FROM shelter",
               pp=per_person)
    free: Counter = Counter()
    for town, status, capacity, occupancy, blocked in rows:
        free[town] += 0 if status == vocabulary.SHELTER_CLOSED else max(0, capacity - occupancy - blocked)
    population = dict(sql(seeded, "SELECT code, population FROM township"))
    sample = dict(sql(seeded, "SELECT code, population_is_sample FROM township"))
    for row in result.townships:
        assert row.shelters.available_places == free[row.code]
        assert row.shelters.population == population[row.code]
        assert row.shelters.population_is_sample == bool(sample[row.code])
        assert row.shelters.places_per_1000 == round(1000 * free[row.code] / population[row.code], 1)
    assert result.totals_shelters.population_is_sample  # the sample's populations are flagged


def test_filters_name_the_parameter_at_fault():
    known = {"500114001", "500114002"}
    assert parse_filter({"township": "500114001,500114002", "sector": ["燃气"]}, known) == \
        AnalysisFilter(township=("500114001", "500114002"), sector=("燃气",))
    for name, value in (("township", "500114999"), ("sector", "烟花"), ("risk_level", "极高"),
                        ("hazard_type", "火山"), ("warning_level", "紫")):
        with pytest.raises(FieldError) as caught:
            parse_filter({name: value}, known)
        assert caught.value.field == name and value in caught.value.reason


def test_township_staff_may_not_read_the_county_analysis(seeded):
    with pytest.raises(Forbidden):
        call_as(seeded, principal_for(seeded, "township", "500114001"), risk_distribution, write=False)
    assert call_as(seeded, principal_for(seeded, "viewer"), risk_distribution, write=False).townships


# The density surface.


def test_metric_crs_is_the_gauss_kruger_zone_of_the_district():
    assert metric_crs(108.77) == "EPSG:4545"  # Qianjiang: CGCS2000 / 3-degree Gauss-Kruger CM 108E
    assert metric_crs(106.4) == "EPSG:4544" and metric_crs(117.0) == "EPSG:4548"


@pytest.mark.parametrize("cell_m", [1000.0, 3000.0])
def test_density_cells_hold_the_points_nearest_their_centres(seeded, cell_m):
    result = read(seeded, risk_distribution, cell_m=cell_m)
    grid = result.density
    assert grid.crs == "EPSG:4545" and grid.cell_m == cell_m
    to_metres = Transformer.from_crs("EPSG:4326", "EPSG:4545", always_xy=True)
    cells = grid.features
    centres = []
    for cell in cells:  # each hexagon, back in metres: a regular hexagon of the given side
        ring = np.array(cell["geometry"]["coordinates"][0])
        x, y = to_metres.transform(ring[:, 0], ring[:, 1])
        area = 0.5 * abs(np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1]))
        assert area == pytest.approx(1.5 * math.sqrt(3) * cell_m**2, rel=2e-3)
        assert np.hypot(np.diff(x), np.diff(y)) == pytest.approx(np.full(6, cell_m), rel=2e-3)
        centres.append((x[:-1].mean(), y[:-1].mean()))
    centres = np.array(centres)
    lonlat = np.array(sql(seeded, "SELECT lon, lat, risk_level FROM enterprise"), dtype=object)
    ex, ey = to_metres.transform(lonlat[:, 0].astype(float), lonlat[:, 1].astype(float))
    nearest = np.argmin(np.hypot(ex[:, None] - centres[None, :, 0], ey[:, None] - centres[None, :, 1]), axis=1)
    scores = seeded.risk_index.scores["risk_level"]
    expected_count, expected_risk = Counter(nearest), defaultdict(float)
    for k, level in zip(nearest, lonlat[:, 2]):
        expected_risk[k] += scores[level]
    for k, cell in enumerate(cells):
        assert cell["properties"]["enterprises"] == expected_count.get(k, 0), cell["id"]
        assert cell["properties"]["enterprise_risk"] == pytest.approx(expected_risk.get(k, 0.0))
    people = np.array(sql(seeded, "SELECT lon, lat, threatened_people FROM hazard_point"), dtype=float)
    hx, hy = to_metres.transform(people[:, 0], people[:, 1])
    near = np.argmin(np.hypot(hx[:, None] - centres[None, :, 0], hy[:, None] - centres[None, :, 1]), axis=1)
    for k, cell in enumerate(cells):
        assert cell["properties"]["threatened_people"] == int(people[near == k, 2].sum())
        assert cell["properties"]["hazards"] == int((near == k).sum())
    assert all(c["properties"]["enterprises"] or c["properties"]["hazards"] for c in cells)  # no empty cells


def test_a_cell_is_the_same_cell_whatever_the_filter(seeded):
    everything = {c["id"]: c for c in read(seeded, risk_distribution).density.features}
    some = read(seeded, risk_distribution, AnalysisFilter(township=("500114001",))).density.features
    assert some and all(c["id"] in everything for c in some)
    assert all(c["geometry"] == everything[c["id"]]["geometry"] for c in some)


# Class breaks.


def _check_classes(values, classes, k):
    data = [v for v in values if v is not None]
    assert len(classes) <= k
    assert sum(c.count for c in classes) == len(data)
    for c in classes:
        members = [v for v in data if c.lower <= v <= c.upper]
        assert c.count == len(members) >= 1  # no empty class
        assert c.lower in data and c.upper in data
        assert (" – " in c.label) == (c.lower != c.upper)  # a single value is labelled as one number, never "0 – 0"
        if " – " in c.label:
            low, high = c.label.split(" – ")
            assert low != high
    for a, b in itertools.pairwise(classes):
        assert a.upper < b.lower  # ascending, disjoint
    for v in data:
        i = class_of(v, classes)
        assert classes[i].lower <= v <= classes[i].upper


@pytest.mark.parametrize("scheme", ["quantiles", "natural_breaks"])
def test_class_breaks_on_the_hard_cases(scheme):
    assert class_breaks([], scheme) == [] and class_breaks([None, None], scheme) == []
    same = class_breaks([7] * 30, scheme)
    assert [(c.lower, c.upper, c.count, c.label) for c in same] == [(7, 7, 30, "7")]
    few = class_breaks([0, 0, 0, 2, 2, 5], scheme, k=5)
    assert [(c.label, c.count) for c in few] == [("0", 3), ("2", 2), ("5", 1)]
    zeros = [0] * 20 + [1, 2, 3, 4, 8, 20, 50]
    _check_classes(zeros, class_breaks(zeros, scheme), 5)
    assert class_breaks(zeros, scheme)[0].label in ("0", "0 – 1")


@hsettings(max_examples=150, deadline=None)
@given(values=st.lists(st.one_of(st.integers(0, 60).map(float), st.floats(0, 1e4, allow_nan=False),
                                 st.none()), max_size=80),
       scheme=st.sampled_from(["quantiles", "natural_breaks"]), k=st.integers(2, 9))
def test_class_breaks_never_give_empty_or_overlapping_classes(values, scheme, k):
    _check_classes(values, class_breaks(values, scheme, k), k)


def test_an_empty_district_gives_zeros_not_errors(fresh):
    empty = read(fresh, risk_distribution)
    assert empty.totals_enterprises.total == 0 and empty.township_sector.total == 0
    assert len(empty.townships) == 30 and empty.township_sector.row_totals == [0] * 30
    assert empty.density.features == [] and all(len(cs) <= 1 for cs in empty.classes.values())


def test_a_filter_that_selects_nothing_gives_zeros(seeded):
    nothing = read(seeded, risk_distribution, AnalysisFilter(township=("500114001",), sector=("非煤矿山",),
                                                             risk_level=("重大",), hazard_type=("病险水库",),
                                                             warning_level=("红",)))
    assert nothing.totals_hazards.total == 0 and nothing.township_hazard_type.row_totals == [0]
    assert nothing.to_json()["township_sector"]["counts"] == [[nothing.totals_enterprises.total]]
